/**
 * @fileoverview PANO021: an allow rule for Panorama traffic does not log at session end or has no
 * log forwarding profile.
 */
import type { Check } from './types';
import { reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO021', title: 'Panorama allow rule without log forwarding', category: 'hygiene', severity: 'information', fix: 'review' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      if (x.rule.logSetting && x.rule.logEnd) continue;
      ctx.report({
        message: !x.rule.logEnd
          ? `Rule '${x.rule.name}' allows Panorama/Log Collector traffic with logging at session end turned off.`
          : `Rule '${x.rule.name}' allows Panorama/Log Collector traffic without a log forwarding profile (log-setting).`,
        span: x.rule.nameSpan,
        rule: x.rule.name,
        rulebase: x.rule.rulebase.location,
      });
    }
  },
};
