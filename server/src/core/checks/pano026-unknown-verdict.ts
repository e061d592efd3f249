/**
 * @fileoverview PANO026: whether a required flow is allowed cannot be told from the config (FQDN,
 * dynamic group, filter, unknown zone); said as such, never guessed.
 */
import type { Span } from '../text';
import type { Environment } from '../policy/environment';
import type { RequiredFlow } from '../policy/flows';
import type { Check } from './types';
import { rulebaseSpan } from './util';

/** Where the config names a host name of the flow's peers that could not be resolved, if it does. */
function hostNameSpan(env: Environment, flow: RequiredFlow): Span | undefined {
  for (const kind of [flow.srcKind, flow.dstKind]) {
    const fact = env.peers.get(kind)?.facts.find((f) => f.from === 'config' && !f.set && f.span && flow.unresolved.includes(f.value));
    if (fact) return fact.span;
  }
  return undefined;
}

export const check: Check = {
  meta: { code: 'PANO026', title: 'Panorama flow cannot be evaluated', category: 'hygiene', severity: 'information', fix: 'none' },
  run(ctx) {
    // One finding per place and reason; the flows it leaves undecided are listed.
    const groups = new Map<string, { f: Parameters<typeof ctx.report>[0]; reason: string; labels: string[] }>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath || r.verdict !== 'unknown') continue;
      // Unknown because of a peer's host name (`byHostName`), whatever else is unknown in the flow: said
      // with that reason (the evaluation's first), at the name where the config gives it.
      const byName = r.byHostName === true;
      const p = byName ? undefined : r.portions.find((x) => x.outcome === 'unknown');
      const rule = p?.rule;
      const reason = p?.reasons[0] ?? r.reasons[0] ?? 'unknown';
      const c = rule ? ctx.policy.resolver.compile(rule) : undefined;
      const u = c && [...c.src.unknown, ...c.dst.unknown, ...c.app.unknown, ...c.svc.unknown].find((x) => p!.reasons.includes(x.reason));
      const named = byName ? hostNameSpan(ctx.policy.env, r.flow) : undefined;
      const span = u ? u.member.span : rule ? rule.nameSpan : (named ?? rulebaseSpan(r.ctx.insertion));
      const key = `${span.start}:${span.end}|${reason}`;
      const g = groups.get(key);
      if (g) {
        if (!g.labels.includes(r.flow.label)) g.labels.push(r.flow.label);
        continue;
      }
      const f: Parameters<typeof ctx.report>[0] = {
        message: '',
        span,
        rulebase: rule ? rule.rulebase.location : r.ctx.insertion.location,
        catalogId: r.flow.entry.id,
        flowId: r.flow.id,
      };
      if (rule) f.rule = rule.name;
      groups.set(key, { f, reason, labels: [r.flow.label] });
    }
    for (const { f, reason, labels } of groups.values()) {
      f.message = labels.length === 1 ? `Cannot tell whether ${labels[0]} is allowed: ${reason}.` : `Cannot tell whether these ${labels.length} flows are allowed: ${labels.join('; ')}. Reason: ${reason}.`;
      ctx.report(f);
    }
  },
};
