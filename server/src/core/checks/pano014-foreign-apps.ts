/**
 * @fileoverview PANO014: a rule reaching Panorama allows App-IDs that are not Panorama/Log Collector
 * App-IDs (directly, through an application group, or through a filter).
 */
import { catalogAppIds } from '../catalog/load';
import { lookup } from '../model/types';
import type { Check } from './types';
import { reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO014', title: 'Non-Panorama applications allowed to Panorama', category: 'overbroad', severity: 'warning', fix: 'review' },
  run(ctx) {
    const known = catalogAppIds(ctx.policy.env.catalog);
    for (const x of reachingRules(ctx.policy)) {
      if (x.c.app.any) continue;
      for (const part of x.c.app.parts) {
        const unknown = x.c.app.unknown.filter((u) => u.member === part.member);
        if (unknown.length > 0) {
          ctx.report({
            message: `Rule '${x.rule.name}' allows '${part.member.value}' to or from Panorama/Log Collectors: ${unknown[0]!.reason}, which may include App-IDs Panorama does not need.`,
            severity: 'information',
            span: part.member.span,
            rule: x.rule.name,
            rulebase: x.rule.rulebase.location,
          });
          // A group may hold definite App-IDs beside the filter: those are said too (a filter adds none).
        }
        const foreign = [...new Set(part.apps.filter((a) => !known.has(a)))];
        if (foreign.length === 0) continue;
        const f: Parameters<typeof ctx.report>[0] = {
          message: part.group
            ? `Application group '${part.group}' in rule '${x.rule.name}' holds App-IDs that Panorama/Log Collectors do not use: ${foreign.join(', ')}.`
            : `Rule '${x.rule.name}' allows ${foreign[0]} to or from Panorama/Log Collectors; it is not a Panorama/Log Collector App-ID.`,
          span: part.member.span,
          rule: x.rule.name,
          rulebase: x.rule.rulebase.location,
        };
        if (part.group) {
          const g = lookup(x.rule.rulebase.scope, 'applicationGroups', part.group);
          const m = g?.members.find((mm) => foreign.includes(mm.value));
          if (g) f.related = [{ message: `member of application group '${g.name}'`, span: m?.span ?? g.nameSpan }];
        }
        ctx.report(f);
      }
    }
  },
};
