/**
 * @fileoverview PANO022: a disabled rule would allow a required flow that is now blocked.
 */
import { ruleRef } from '../policy/evaluate';
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO022', title: 'Required flow relies on a disabled rule', category: 'hygiene', severity: 'warning', fix: 'none' },
  run(ctx) {
    const seen = new Set<string>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath) continue;
      for (const d of r.disabledHits) {
        const key = `${d.rulebase.location}/${d.name}|${r.flow.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ctx.report({
          message: `Rule ${ruleRef(d)} is disabled, but it would allow ${r.flow.label}, which is blocked${r.rule ? ` by rule ${ruleRef(r.rule)}` : r.defaultRule ? ` by the default rule ${r.defaultRule}` : ''}.`,
          span: d.disabledValue?.span ?? d.nameSpan,
          rule: d.name,
          rulebase: d.rulebase.location,
          catalogId: r.flow.entry.id,
          flowId: r.flow.id,
        });
      }
    }
  },
};
