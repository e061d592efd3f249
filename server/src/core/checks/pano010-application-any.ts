/**
 * @fileoverview PANO010: an allow rule reaching Panorama/Log Collectors allows application `any`.
 */
import { addrToString } from '../policy/sets';
import type { Check } from './types';
import { anySpan, reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO010', title: 'Application any to or from Panorama', category: 'overbroad', severity: 'warning', fix: 'review' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      if (!x.c.app.any) continue;
      const dir = x.inbound && x.outbound ? 'to and from' : x.inbound ? 'to' : 'from';
      ctx.report({
        message: `Rule '${x.rule.name}' allows any application ${dir} Panorama/Log Collectors (${addrToString(ctx.policy.env.mgmtHosts, 3)}); only the catalog's App-IDs are needed.`,
        span: anySpan(x.rule, x.rule.application.items),
        rule: x.rule.name,
        rulebase: x.rule.rulebase.location,
      });
    }
  },
};
