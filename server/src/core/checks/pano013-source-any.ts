/**
 * @fileoverview PANO013: an allow rule to Panorama/Log Collectors accepts any source; worse from an
 * Internet-facing zone (the note: no direct Internet access to management interfaces).
 */
import { addrToString } from '../policy/sets';
import type { Check } from './types';
import { anySpan, reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO013', title: 'Any source to Panorama', category: 'overbroad', severity: 'warning', fix: 'review' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      if (!x.inbound || !x.c.src.any || x.c.src.negate) continue;
      const inet = [...x.ctx.zoner.internetZones];
      const fromInternet = inet.filter((z) => x.fromZones.any || x.fromZones.zones.has(z));
      const mgmt = addrToString(ctx.policy.env.mgmtHosts, 3);
      if (fromInternet.length > 0) {
        ctx.report({
          message: `Rule '${x.rule.name}' allows any source ${x.fromZones.any ? 'from any zone, including' : 'from'} Internet-facing zone ${fromInternet.map((z) => `'${z}'`).join(', ')} to Panorama/Log Collectors (${mgmt}): management interfaces must not be reachable from the Internet.`,
          severity: 'error',
          span: anySpan(x.rule, x.rule.source.items),
          rule: x.rule.name,
          rulebase: x.rule.rulebase.location,
        });
      } else {
        ctx.report({
          message: `Rule '${x.rule.name}' allows any source to Panorama/Log Collectors (${mgmt}); limit it to the admin clients and managed devices that need it.`,
          span: anySpan(x.rule, x.rule.source.items),
          rule: x.rule.name,
          rulebase: x.rule.rulebase.location,
        });
      }
    }
  },
};
