/**
 * @fileoverview PANO003: an App-ID is needed on a port outside its application-default ports (ssh on
 * tcp/28, the note's footnote) while the rule allowing it uses `application-default`.
 */
import { ruleRef, type FlowResult } from '../policy/evaluate';
import { portsToString } from '../policy/sets';
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO003', title: 'Custom service needed for a non-default port', category: 'missing', severity: 'error', fix: 'safe' },
  run(ctx) {
    // One finding per rule, App-ID and port; the flows that need it are listed.
    const groups = new Map<string, { r: FlowResult; nm: FlowResult['nearMiss'][number]; labels: string[] }>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath || r.verdict !== 'blocked') continue;
      for (const nm of r.nearMiss) {
        const key = `${nm.rule.rulebase.location}/${nm.rule.name}|${nm.app}|${r.flow.protocol}/${portsToString(r.flow.ports)}`;
        const g = groups.get(key);
        if (g) {
          if (!g.labels.includes(r.flow.label)) g.labels.push(r.flow.label);
        } else groups.set(key, { r, nm, labels: [r.flow.label] });
      }
    }
    for (const { r, nm, labels } of groups.values()) {
      {
        const member = nm.rule.service.items.find((m) => m.value === 'application-default');
        const port = `${r.flow.protocol}/${portsToString(r.flow.ports)}`;
        ctx.report({
          message: `${nm.app} on ${port} is not covered by application-default (${nm.app} defaults: ${r.flow.protocol}/${nm.defaults}), so rule ${ruleRef(nm.rule)} does not allow ${labels.join(' nor ')}: a custom service for ${port} is needed with application ${nm.app}.`,
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
