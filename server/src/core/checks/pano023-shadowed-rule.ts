/**
 * @fileoverview PANO023: a Panorama allow rule is shadowed: an earlier rule matches everything it
 * matches, so it never applies.
 */
import type { Rule } from '../model/types';
import { ruleRef } from '../policy/evaluate';
import type { AddrMatch, CompiledRule } from '../policy/resolve';
import { ALL, addrCovers, addrOverlaps, addrSubtract, ivSubtract, type AddrSet } from '../policy/sets';
import type { Check } from './types';
import { mgmtCandidates, reachingRules, ruleOrder } from './util';

const effCache = new WeakMap<AddrMatch, AddrSet | null>();

function eff(a: AddrMatch): AddrSet | undefined {
  const hit = effCache.get(a);
  if (hit !== undefined) return hit ?? undefined;
  let r: AddrSet | undefined;
  if (a.unknown.length > 0) r = undefined;
  else if (a.any) r = a.negate ? { v4: [], v6: [] } : ALL;
  else r = a.negate ? addrSubtract(ALL, a.set) : a.set;
  effCache.set(a, r ?? null);
  return r;
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
  // Cheapest tests first: zones, then App-IDs and services, addresses last.
  if (!zonesCover(a.from, b.from) || !zonesCover(a.to, b.to)) return false;
  if (!a.app.any) {
    // An application filter of the earlier rule only adds App-IDs to those it lists; one of the later
    // rule's may add App-IDs the earlier rule lacks.
    if (b.app.any || b.app.unknown.length > 0) return false;
    for (const app of b.app.apps) if (!a.app.apps.has(app)) return false;
  }
  if (!a.svc.any) {
    if (b.svc.any || a.svc.unknown.length > 0 || b.svc.unknown.length > 0) return false;
    if (b.svc.appDefault && !a.svc.appDefault) return false;
    if (ivSubtract(b.svc.ports.tcp, a.svc.ports.tcp).length > 0 || ivSubtract(b.svc.ports.udp, a.svc.ports.udp).length > 0) return false;
  }
  for (const [x, y] of [[a.src, b.src], [a.dst, b.dst]] as const) {
    const ex = eff(x);
    const ey = eff(y);
    if (!ex || !ey || !addrCovers(ex, ey)) return false;
  }
  return true;
}

const coverMemo = new WeakMap<CompiledRule, WeakMap<CompiledRule, boolean>>();

/** {@link covers}, remembered per pair of compiled rules (unchanged pairs are free on the next edit). */
function coversMemo(a: CompiledRule, b: CompiledRule): boolean {
  let m = coverMemo.get(a);
  if (!m) {
    m = new WeakMap();
    coverMemo.set(a, m);
  }
  const hit = m.get(b);
  if (hit !== undefined) return hit;
  const v = covers(a, b);
  m.set(b, v);
  return v;
}

export const check: Check = {
  meta: { code: 'PANO023', title: 'Shadowed Panorama rule', category: 'hygiene', severity: 'warning', fix: 'none' },
  run(ctx) {
    // An earlier rule can only shadow a rule that reaches Panorama if it matches that traffic too, so it
    // must itself touch a management host: only those are compared (a linear pass, not rules x rules).
    const mgmt = ctx.policy.env.mgmtHosts;
    const t = (a: AddrMatch): boolean => {
      const e = eff(a);
      return !!e && addrOverlaps(e, mgmt);
    };
    const orders = new Map<unknown, { ordered: Rule[]; pos: Map<Rule, number> }>();
    // Panorama rules are those that name a management host (not `any`): a broad rule reaching Panorama
    // is reported as overbroad, not as a shadowed Panorama rule.
    const names = (a: AddrMatch): boolean => !a.any && !a.negate && addrOverlaps(a.set, mgmt);
    for (const x of reachingRules(ctx.policy)) {
      if (!names(x.c.dst) && !names(x.c.src)) continue;
      let o = orders.get(x.ctx);
      if (!o) {
        const { pos } = ruleOrder(x.ctx);
        // x reaches a management host in one direction: to it (destination zones that may hold one,
        // destination addresses that meet one) or from it (the same on the source side). A rule that
        // covers x joins every zone and address x does, so it does the same in that direction: the
        // context's candidates (zones and names that may meet a host, see mgmtCandidates) whose side
        // then resolves to addresses that meet one.
        const ordered = mgmtCandidates(ctx.policy, x.ctx)
          .filter((m) => (m.mayIn && t(m.c.dst)) || (m.mayOut && t(m.c.src)))
          .map((m) => m.rule);
        o = { ordered, pos };
        orders.set(x.ctx, o);
      }
      const idx = o.pos.get(x.rule) ?? -1;
      for (const earlier of o.ordered) {
        if ((o.pos.get(earlier) ?? 0) >= idx) break;
        if (earlier.disabled) continue;
        const ce = ctx.policy.resolver.compile(earlier);
        if (!coversMemo(ce, x.c)) continue;
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
