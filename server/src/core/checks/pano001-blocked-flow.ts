/**
 * @fileoverview PANO001: a required Panorama/Log Collector flow is blocked by a rule or a default rule.
 */
import { ruleRef, type FlowResult } from '../policy/evaluate';
import type { Check } from './types';
import { rulebaseSpan } from './util';

export const check: Check = {
  meta: { code: 'PANO001', title: 'Required Panorama flow is blocked', category: 'missing', severity: 'error', fix: 'safe' },
  run(ctx) {
    const seen = new Set<string>();
    for (const r of ctx.policy.results) {
      if (!r.ctx.inPath || r.verdict !== 'blocked' || r.nearMiss.length > 0) continue;
      // One finding per flow and blocking place, however many contexts share it.
      const key = `${r.flow.id}|${r.rule ? `${r.rule.rulebase.location}/${r.rule.name}` : `${r.ctx.insertion.location}/${r.defaultRule}`}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const where = r.ctx.panorama ? ` on the firewalls of ${r.ctx.label}` : '';
      const by = r.rule ? `rule ${ruleRef(r.rule)}` : `the default rule ${r.defaultRule}${zonesOf(r)}`;
      const part = r.summary.includes('(other parts are allowed)') ? r.summary.slice(r.summary.indexOf(' for ')) : '';
      const f: Parameters<typeof ctx.report>[0] = {
        message: `Blocked: ${r.flow.label} is denied by ${by}${where}${part}. Needed for ${r.flow.cflow.label} (${r.flow.why}).`,
        span: r.rule ? r.rule.nameSpan : rulebaseSpan(r.ctx.insertion),
        rulebase: r.rule ? r.rule.rulebase.location : r.ctx.insertion.location,
        catalogId: r.flow.entry.id,
        flowId: r.flow.id,
      };
      if (r.rule) {
        f.rule = r.rule.name;
        f.related = [{ message: `blocking rule ${ruleRef(r.rule)}`, span: r.rule.nameSpan }];
      } else {
        const dn = r.defaultRule === 'intrazone-default' ? r.ctx.defaults?.intrazone.span : r.ctx.defaults?.interzone.span;
        if (dn) f.related = [{ message: `${r.defaultRule} override`, span: dn }];
      }
      ctx.report(f);
    }
  },
};

function zonesOf(r: FlowResult): string {
  const p = r.decisive;
  return p && p.defaultRule ? ` (zone ${p.box.srcZone} → ${p.box.dstZone})` : '';
}
