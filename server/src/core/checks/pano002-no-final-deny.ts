/**
 * @fileoverview PANO002: no explicit, logged deny for all other traffic to/from Panorama and Log
 * Collectors after the allow rules (the note: "a deny rule for all other unexpected applications").
 */
import type { Rule } from '../model/types';
import { ruleRef } from '../policy/evaluate';
import type { CompiledRule } from '../policy/resolve';
import { addrCovers, addrToString, type AddrSet } from '../policy/sets';
import type { PolicyResult } from '../policy';
import type { EvalContext } from '../policy/evaluate';
import type { Check } from './types';
import { reachingRules, ruleOrder, rulebaseSpan } from './util';

/** Does a deny rule cover every packet to (dir 'in') or from (dir 'out') the management hosts? */
function coversAll(c: CompiledRule, mgmt: AddrSet, dir: 'in' | 'out'): boolean {
  const r = c.rule;
  if (r.disabled || r.action === 'allow' || r.action === 'unknown' || !r.logEnd) return false;
  if (r.ruleType !== 'universal' || c.extra.length > 0 || !c.app.any || !c.svc.any || !c.from.any || !c.to.any) return false;
  if (r.target && r.target.devices.length > 0) return false;
  const mine = dir === 'in' ? c.dst : c.src;
  const other = dir === 'in' ? c.src : c.dst;
  if (!other.any || other.negate) return false;
  if (mine.any) return !mine.negate;
  return !mine.negate && mine.unknown.length === 0 && addrCovers(mine.set, mgmt);
}

/** Directions ('to', 'from') with no explicit logged deny after the last allow reaching management hosts. */
export function missingDenies(policy: PolicyResult, ec: EvalContext): { missing: string[]; last: Rule | undefined } {
  const mgmt = policy.env.mgmtHosts;
  const { ordered, pos } = ruleOrder(ec);
  const reach = reachingRules(policy, true).filter((x) => pos.has(x.rule));
  // Per direction: the deny must follow the last allow of that direction.
  const lastOf = (dir: 'inbound' | 'outbound'): number => reach.reduce((m, a) => (a[dir] ? Math.max(m, pos.get(a.rule)!) : m), -1);
  const lastIn = lastOf('inbound');
  const lastOut = lastOf('outbound');
  const covered = (from: number, dir: 'in' | 'out'): boolean => {
    for (let i = from + 1; i < ordered.length; i++) {
      const r = ordered[i]!;
      // Cheap filters first: only enabled deny rules that log can qualify.
      if (r.disabled || r.action === 'allow' || r.action === 'unknown' || !r.logEnd) continue;
      if (coversAll(policy.resolver.compile(r), mgmt, dir)) return true;
    }
    return false;
  };
  const missing: string[] = [];
  if (!covered(lastIn, 'in')) missing.push('to');
  if (!covered(lastOut, 'out')) missing.push('from');
  const lastIdx = Math.max(missing.includes('to') ? lastIn : -1, missing.includes('from') ? lastOut : -1);
  return { missing, last: lastIdx >= 0 ? ordered[lastIdx] : undefined };
}

export const check: Check = {
  meta: { code: 'PANO002', title: 'No logged deny for other Panorama traffic', category: 'missing', severity: 'warning', fix: 'safe' },
  run(ctx) {
    const mgmt = ctx.policy.env.mgmtHosts;
    const done = new Set<string>();
    for (const ec of ctx.policy.contexts) {
      if (!ec.inPath || done.has(ec.insertion.location)) continue;
      done.add(ec.insertion.location);
      const { missing, last } = missingDenies(ctx.policy, ec);
      if (missing.length === 0) continue;
      const f: Parameters<typeof ctx.report>[0] = {
        message: `No explicit deny with logging for all other traffic ${missing.join(' and ')} Panorama/Log Collectors (${addrToString(mgmt, 3)})${last ? ` after rule ${ruleRef(last)}` : ''}: unexpected applications fall through to ${ec.panorama ? 'the firewall\'s local rules and ' : ''}the default rules, which do not log by default.`,
        span: last ? last.nameSpan : rulebaseSpan(ec.insertion),
        rulebase: last ? last.rulebase.location : ec.insertion.location,
      };
      if (last) f.rule = last.name;
      ctx.report(f);
    }
  },
};
