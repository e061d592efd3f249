/**
 * @fileoverview PANO020: an allow rule for Panorama traffic has no security profiles (the note's
 * "What's Next": attach security profiles to every rule that allows traffic).
 */
import type { Check } from './types';
import { reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO020', title: 'Panorama allow rule without security profiles', category: 'hygiene', severity: 'warning', fix: 'review' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      const hasProfiles = x.rule.profileGroup.items.length > 0 || [...x.rule.profiles.values()].some((p) => p.items.length > 0);
      if (hasProfiles) continue;
      ctx.report({
        message: `Rule '${x.rule.name}' allows Panorama/Log Collector traffic without security profiles; attach a profile group so allowed traffic is scanned for threats.`,
        span: x.rule.nameSpan,
        rule: x.rule.name,
        rulebase: x.rule.rulebase.location,
      });
    }
  },
};
