/**
 * @fileoverview The policy engine's entry point: environment → required flows → contexts → verdicts.
 */
import type { ConfigModel } from '../model/types';
import { buildContexts } from './contexts';
import type { Environment } from './environment';
import { evaluateFlow, type EvalContext, type FlowResult } from './evaluate';
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

/** `resolver` may be passed back from a previous analysis of the same config and environment. */
export function analyzePolicy(m: ConfigModel, env: Environment, previous?: Resolver): PolicyResult {
  const resolver = previous ? previous.withEnv(env) : new Resolver(env);
  const { flows, skipped } = requiredFlows(env);
  const contexts = flows.length > 0 ? buildContexts(m, env, resolver) : [];
  const results: FlowResult[] = [];
  for (const ctx of contexts) {
    for (const f of flows) results.push(evaluateFlow(env, resolver, f, ctx));
  }
  return { env, resolver, flows, skipped, contexts, results };
}
