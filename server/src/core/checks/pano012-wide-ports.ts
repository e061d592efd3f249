/**
 * @fileoverview PANO012: a service or port range in a rule reaching Panorama opens ports the catalog
 * does not need for the rule's applications and direction.
 */
import { ivSubtract, ivUnion, type PortSet } from '../policy/sets';
import type { Check } from './types';
import { portsText, reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO012', title: 'Ports wider than Panorama needs', category: 'overbroad', severity: 'warning', fix: 'review' },
  run(ctx) {
    const flows = ctx.policy.flows;
    for (const x of reachingRules(ctx.policy)) {
      if (x.c.svc.any) continue;
      // Ports the active flows of the rule's direction(s) and App-IDs need.
      const need: { tcp: PortSet; udp: PortSet } = { tcp: [], udp: [] };
      const mgmtSide = (k: string): boolean => k === 'panorama' || k === 'logCollectors' || k === 'managementHosts' || k === 'haPeer';
      for (const f of flows) {
        const inbound = mgmtSide(f.dstKind);
        const outbound = mgmtSide(f.srcKind);
        if (!((x.inbound && inbound) || (x.outbound && outbound))) continue;
        if (!x.c.app.any && !f.apps.some((a) => x.c.app.apps.has(a))) continue;
        need[f.protocol] = ivUnion(need[f.protocol], f.ports);
      }
      for (const part of x.c.svc.parts) {
        const extra: string[] = [];
        for (const proto of ['tcp', 'udp'] as const) {
          const e = ivSubtract(part.ports[proto], need[proto]);
          if (e.length > 0) extra.push(portsText(proto, e));
        }
        if (extra.length === 0) continue;
        const needed = (['tcp', 'udp'] as const).filter((p) => need[p].length > 0).map((p) => portsText(p, need[p])).join(', ') || 'none';
        ctx.report({
          message: `Service '${part.member.value}' in rule '${x.rule.name}' opens ${extra.join(', ')} beyond what Panorama/Log Collector traffic of this rule needs (${needed}).`,
          span: part.member.span,
          rule: x.rule.name,
          rulebase: x.rule.rulebase.location,
        });
      }
    }
  },
};
