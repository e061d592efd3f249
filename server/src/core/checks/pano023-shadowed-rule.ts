/**
 * @fileoverview PANO023: a Panorama allow rule is shadowed: an earlier rule matches everything it
 * matches, so it never applies.
 */
import type { Rule } from '../model/types';
import { ruleRef } from '../policy/evaluate';
import type { AddrMatch, CompiledRule } from '../policy/resolve';
import { ALL, addrCovers, addrSubtract, ivSubtract, type AddrSet } from '../policy/sets';
import type { Check } from './types';
import { reachingRules } from './util';

function eff(a: AddrMatch): AddrSet | undefined {
  if (a.unknown.length > 0) return undefined;
  if (a.any) return a.negate ? { v4: [], v6: [] } : ALL;
  return a.negate ? addrSubtract(ALL, a.set) : a.set;
}

function zonesCover(a: CompiledRule['from'], b: CompiledRule['from']): boolean {
  if (a.any) return true;
  if (b.any) return false;
  return [...b.zones].every((z) => a.zones.has(z));
}

/** Does rule `a` match every packet rule `b` matches? */
export function covers(a: CompiledRule, b: CompiledRule): boolean {
  if (a.extra.length > 0 || a.rule.ruleType !== b.rule.ruleType && a.rule.ruleType !== 'universal') return false;
  if (a.rule.target && a.rule.target.devices.length > 0) return false;
  if (!zonesCover(a.from, b.from) || !zonesCover(a.to, b.to)) return false;
  for (const [x, y] of [[a.src, b.src], [a.dst, b.dst]] as const) {
    const ex = eff(x);
    const ey = eff(y);
    if (!ex || !ey || !addrCovers(ex, ey)) return false;
  }
  if (!a.app.any) {
    if (b.app.any || a.app.unknown.length > 0 || b.app.unknown.length > 0) return false;
    for (const app of b.app.apps) if (!a.app.apps.has(app)) return false;
  }
  if (!a.svc.any) {
    if (b.svc.any || a.svc.unknown.length > 0 || b.svc.unknown.length > 0) return false;
    if (b.svc.appDefault && !a.svc.appDefault) return false;
    if (ivSubtract(b.svc.ports.tcp, a.svc.ports.tcp).length > 0 || ivSubtract(b.svc.ports.udp, a.svc.ports.udp).length > 0) return false;
  }
  return true;
}

export const check: Check = {
  meta: { code: 'PANO023', title: 'Shadowed Panorama rule', category: 'hygiene', severity: 'warning', fix: 'none' },
  run(ctx) {
    for (const x of reachingRules(ctx.policy)) {
      const ordered: Rule[] = x.ctx.rulebases.flatMap((rb) => rb.rules);
      const idx = ordered.indexOf(x.rule);
      for (let i = 0; i < idx; i++) {
        const earlier = ordered[i]!;
        if (earlier.disabled) continue;
        const ce = ctx.policy.resolver.compile(earlier);
        if (!covers(ce, x.c)) continue;
        ctx.report({
          message: `Rule '${x.rule.name}' is shadowed by rule ${ruleRef(earlier)}, which matches all traffic it matches (and ${earlier.action === 'allow' ? 'allows' : 'blocks'} it first); '${x.rule.name}' never applies.`,
          span: x.rule.nameSpan,
          rule: x.rule.name,
          rulebase: x.rule.rulebase.location,
          related: [{ message: `shadowing rule ${ruleRef(earlier)}`, span: earlier.nameSpan }],
        });
        break;
      }
    }
  },
};
