/**
 * @fileoverview PANO026: whether a required flow is allowed cannot be told from the config (FQDN,
 * dynamic group, filter, unknown zone); said as such, never guessed.
 */
import type { Check } from './types';
import { rulebaseSpan } from './util';

export const check: Check = {
  meta: { code: 'PANO026', title: 'Panorama flow cannot be evaluated', category: 'hygiene', severity: 'information', fix: 'none' },
  run(ctx) {
    const seen = new Set<string>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath || r.verdict !== 'unknown') continue;
      const p = r.portions.find((x) => x.outcome === 'unknown');
      const rule = p?.rule;
      const key = `${r.flow.id}|${rule ? `${rule.rulebase.location}/${rule.name}` : r.ctx.insertion.location}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = rule ? ctx.policy.resolver.compile(rule) : undefined;
      const u = c && [...c.src.unknown, ...c.dst.unknown, ...c.app.unknown, ...c.svc.unknown].find((x) => p!.reasons.includes(x.reason));
      const f: Parameters<typeof ctx.report>[0] = {
        message: `Cannot tell whether ${r.flow.label} is allowed: ${p?.reasons[0] ?? r.reasons[0] ?? 'unknown'}.`,
        span: u ? u.member.span : rule ? rule.nameSpan : rulebaseSpan(r.ctx.insertion),
        rulebase: rule ? rule.rulebase.location : r.ctx.insertion.location,
        catalogId: r.flow.entry.id,
        flowId: r.flow.id,
      };
      if (rule) f.rule = rule.name;
      ctx.report(f);
    }
  },
};
