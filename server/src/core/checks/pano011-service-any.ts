/**
 * @fileoverview PANO011: an allow rule reaching Panorama/Log Collectors allows service `any`.
 */
import { addrToString } from '../policy/sets';
import type { Check } from './types';
import { anySpan, reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO011', title: 'Service any to or from Panorama', category: 'overbroad', severity: 'warning', fix: 'review' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      if (!x.c.svc.any) continue;
      const dir = x.inbound && x.outbound ? 'to and from' : x.inbound ? 'to' : 'from';
      ctx.report({
        message: `Rule '${x.rule.name}' allows any port (service any) ${dir} Panorama/Log Collectors (${addrToString(ctx.policy.env.mgmtHosts, 3)}); use application-default or the catalog's ports.`,
        span: anySpan(x.rule, x.rule.service.items),
        rule: x.rule.name,
        rulebase: x.rule.rulebase.location,
      });
    }
  },
};
