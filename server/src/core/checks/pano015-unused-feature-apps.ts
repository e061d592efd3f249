/**
 * @fileoverview PANO015: a rule allows catalog App-IDs for features this environment does not use
 * (the note: "if certain ports or protocols are not leveraged, it is not necessary to allow such traffic").
 */
import type { Check } from './types';
import { reachingRules } from './util';

export const check: Check = {
  meta: { code: 'PANO015', title: 'Panorama App-ID for an unused feature', category: 'overbroad', severity: 'information', fix: 'review' },
  run(ctx) {
    const env = ctx.policy.env;
    const active = new Set(ctx.policy.flows.flatMap((f) => f.apps));
    for (const x of reachingRules(ctx.policy)) {
      if (x.c.app.any) continue;
      for (const part of x.c.app.parts) {
        const unused = [...new Set(part.apps)].filter((a) => {
          if (active.has(a)) return false;
          const entries = env.catalog.entries.filter((e) => e.appIds.includes(a));
          return entries.length > 0;
        });
        for (const a of unused) {
          const triggers = [...new Set(env.catalog.entries.filter((e) => e.appIds.includes(a)).flatMap((e) => e.flows.map((f) => f.trigger)))];
          const why = triggers.map((t) => env.features.get(t)?.why ?? t).join('; ');
          ctx.report({
            message: `Rule '${x.rule.name}' allows ${a}${part.group ? ` (through application group '${part.group}')` : ''}, but no Panorama flow needs it here: ${why}.`,
            span: part.member.span,
            rule: x.rule.name,
            rulebase: x.rule.rulebase.location,
          });
        }
      }
    }
  },
};
