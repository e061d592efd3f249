/**
 * @fileoverview PANO003: an App-ID is needed on a port outside its application-default ports (ssh on
 * tcp/28, the note's footnote) while the rule allowing it uses `application-default`.
 */
import { ruleRef } from '../policy/evaluate';
import { portsToString } from '../policy/sets';
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO003', title: 'Custom service needed for a non-default port', category: 'missing', severity: 'error', fix: 'safe' },
  run(ctx) {
    const seen = new Set<string>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath || r.verdict !== 'blocked') continue;
      for (const nm of r.nearMiss) {
        const key = `${r.flow.id}|${nm.rule.rulebase.location}/${nm.rule.name}|${nm.app}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const member = nm.rule.service.items.find((m) => m.value === 'application-default');
        const port = `${r.flow.protocol}/${portsToString(r.flow.ports)}`;
        ctx.report({
          message: `${nm.app} on ${port} is not covered by application-default (${nm.app} defaults: ${r.flow.protocol}/${nm.defaults}), so rule ${ruleRef(nm.rule)} does not allow ${r.flow.label}: a custom service for ${port} is needed with application ${nm.app}.`,
          span: member?.span ?? nm.rule.nameSpan,
          rule: nm.rule.name,
          rulebase: nm.rule.rulebase.location,
          catalogId: r.flow.entry.id,
          flowId: r.flow.id,
          related: r.rule ? [{ message: `then blocked by rule ${ruleRef(r.rule)}`, span: r.rule.nameSpan }] : [],
        });
      }
    }
  },
};
