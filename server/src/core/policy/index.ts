/**
 * @fileoverview The policy engine's entry point: environment → required flows → contexts → verdicts.
 */
import type { ConfigModel, Rule, Rulebase } from '../model/types';
import { buildContexts } from './contexts';
import type { Environment } from './environment';
import { evaluateFlow, type DeviceUse, type EvalContext, type FlowResult } from './evaluate';
import { requiredFlows, type RequiredFlow, type SkippedFlow } from './flows';
import { Resolver } from './resolve';

export type PolicyResult = {
  env: Environment;
  resolver: Resolver;
  flows: RequiredFlow[];
  skipped: SkippedFlow[];
  contexts: EvalContext[];
  results: FlowResult[];
};

/** What an incremental edit changed: one rule replaced, and the previous results. */
export type PolicyChange = { before: Rule; after: Rule; previous: PolicyResult };

/**
 * `resolver` may be passed back from a previous analysis of the same config and environment; with
 * `change`, a flow whose App-IDs neither version of the changed rule can match keeps its previous result.
 */
export function analyzePolicy(m: ConfigModel, env: Environment, previous?: Resolver, change?: PolicyChange): PolicyResult {
  const resolver = previous ? previous.withEnv(env) : new Resolver(env);
  const { flows, skipped } = requiredFlows(env);
  const contexts = flows.length > 0 ? buildContexts(m, env, resolver) : [];
  const results = evaluateFlows(env, resolver, flows, contexts, change);
  return { env, resolver, flows, skipped, contexts, results };
}

/**
 * Every flow in every context, in context order. With `change`, a flow whose App-IDs neither version
 * of the changed rule can match keeps its previous result.
 */
export function evaluateFlows(env: Environment, resolver: Resolver, flows: RequiredFlow[], contexts: EvalContext[], change?: PolicyChange): FlowResult[] {
  const results: FlowResult[] = [];
  const old = new Map<string, FlowResult>();
  if (change) for (const r of change.previous.results) old.set(`${r.ctx.id}\0${r.flow.id}`, r);
  const mayAffect = (f: RequiredFlow): boolean => {
    if (!change) return true;
    for (const rule of [change.before, change.after]) {
      const app = resolver.compile(rule).app;
      if (app.any || app.unknown.length > 0 || f.apps.some((a) => app.apps.has(a))) return true;
    }
    return false;
  };
  // The firewalls of one device group that rule targets set apart are contexts of their own over the
  // same rulebases and zones: a flow that reaches no rule with a target has one result for them all.
  const shared = new Map<Rulebase[], Map<RequiredFlow, FlowResult>>();
  for (const ctx of contexts) {
    let same = shared.get(ctx.rulebases);
    if (!same) shared.set(ctx.rulebases, (same = new Map()));
    for (const f of flows) {
      const prev = old.get(`${ctx.id}\0${f.id}`);
      const twin = same.get(f);
      // Same flow in the same place, and the edited rule cannot match its App-IDs: same verdict.
      if (prev && !mayAffect(f) && sameFlow(prev.flow, f)) results.push({ ...prev, flow: f, ctx });
      else if (twin && sameEvaluation(twin.ctx, ctx)) results.push({ ...twin, ctx });
      else {
        const use: DeviceUse = { targeted: false };
        const r = evaluateFlow(env, resolver, f, ctx, use);
        if (!use.targeted) same.set(f, r);
        results.push(r);
      }
    }
  }
  return results;
}

/** Whether two contexts evaluate a flow alike but for rule targets (their device alone differs). */
function sameEvaluation(a: EvalContext, b: EvalContext): boolean {
  return a.rulebases === b.rulebases && a.zoner === b.zoner && a.defaults === b.defaults && a.panorama === b.panorama;
}

function sameFlow(a: RequiredFlow, b: RequiredFlow): boolean {
  return a.id === b.id && a.protocol === b.protocol && a.coverage === b.coverage && a.label === b.label;
}
