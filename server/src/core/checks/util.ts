/**
 * @fileoverview Helpers shared by the checks: which rules reach Panorama/Log Collectors, where a
 * rulebase-level finding goes, and compact text for port sets.
 */
import type { Rule, Rulebase } from '../model/types';
import type { PolicyResult } from '../policy';
import type { EvalContext } from '../policy/evaluate';
import { namesMayHold, type CompiledRule } from '../policy/resolve';
import { ALL, addrEmpty, addrIntersect, addrSubtract, portCount, portsToString, type AddrSet, type PortSet } from '../policy/sets';
import type { Span } from '../text';

export type Reach = {
  rule: Rule;
  c: CompiledRule;
  ctx: EvalContext;
  /** Traffic to a management host is allowed by this rule. */
  inbound: boolean;
  /** Traffic from a management host is allowed by this rule. */
  outbound: boolean;
  /** Zones the rule's traffic to management hosts may come from (for the Internet check). */
  fromZones: { any: boolean; zones: Set<string> };
};

function effective(a: CompiledRule['src']): AddrSet {
  if (a.any) return a.negate ? { v4: [], v6: [] } : ALL;
  return a.negate ? addrSubtract(ALL, a.set) : a.set;
}

/**
 * Whether a rule side's zones may hold a management host: `any`, or one of the zones the hosts are
 * in (`mgmtZones`, the context's `zonesOf` of the host set). When not, {@link touches} is false for
 * that side whatever its addresses (every part of the hosts lies in one of those zones, or in no
 * known zone), so its addresses need not be resolved.
 */
export function zonesMayHold(zones: { any: boolean; zones: Set<string> }, mgmtZones: ReadonlySet<string | undefined>): boolean {
  if (zones.any) return true;
  for (const z of mgmtZones) if (z !== undefined && zones.zones.has(z)) return true;
  return false;
}

/** Whether the rule's addresses and zones cover some management host on one side. */
function touches(side: CompiledRule['dst'], zones: { any: boolean; zones: Set<string> }, ctx: EvalContext, mgmt: AddrSet): boolean {
  // A side of `any` meets every management host: the host set itself (its zones are remembered by object).
  const hit = side.any && !side.negate ? mgmt : addrIntersect(effective(side), mgmt);
  if (addrEmpty(hit)) return false;
  return zones.any || zonesMayHold(zones, ctx.zoner.zonesOf(hit));
}

/**
 * An enabled rule of a context that may meet a management host on a side: that side's zones may hold
 * one ({@link zonesMayHold}) and its member names may name one (`Resolver.mayTouch`). Sides are not
 * resolved here.
 */
export type MgmtCandidate = { rule: Rule; c: CompiledRule; mayIn: boolean; mayOut: boolean };

const candidateCache = new WeakMap<EvalContext, MgmtCandidate[]>();

/**
 * The enabled rules of a context (any action) that may meet a management host, in rule order: the one
 * pass over all its rules that both the reaching allow rules and PANO023's shadowing candidates are
 * taken from. Contexts are made anew by every analysis, so the cache lives as long as its policy.
 */
export function mgmtCandidates(policy: PolicyResult, ctx: EvalContext): MgmtCandidate[] {
  const hit = candidateCache.get(ctx);
  if (hit) return hit;
  const out: MgmtCandidate[] = [];
  const mgmt = policy.env.mgmtHosts;
  if (!addrEmpty(mgmt)) {
    // The zones the hosts are in (a part in no known zone is met by no rule's zones: see zonesMayHold).
    const mgmtZones = new Set([...ctx.zoner.zonesOf(mgmt)].filter((z) => z !== undefined));
    for (const rb of ctx.rulebases) {
      const rules = rb.rules;
      // Indexed: every rule, while the code is still cold (for-of allocates an iterator result per step there).
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.disabled) continue;
        // Zones first (a few names per rule), on the names as read: most rules join zones no
        // management host is in, and are then neither compiled nor their addresses resolved.
        const zonesIn = namesMayHold(rule.toNames, mgmtZones);
        const zonesOut = namesMayHold(rule.fromNames, mgmtZones);
        if (!zonesIn && !zonesOut) continue;
        const scope = rule.rulebase.scope;
        const mayIn = zonesIn && policy.resolver.mayTouch(scope, rule.destinationNames, rule.negateDestination, mgmt);
        const mayOut = zonesOut && policy.resolver.mayTouch(scope, rule.sourceNames, rule.negateSource, mgmt);
        if (mayIn || mayOut) out.push({ rule, c: policy.resolver.compile(rule), mayIn, mayOut });
      }
    }
  }
  candidateCache.set(ctx, out);
  return out;
}

/**
 * A context's rules in evaluation order and each rule's place, per context (contexts are made anew by
 * every analysis, incremental ones included): PANO002, PANO023 and the rule-set fix ask.
 */
const orderOf = new WeakMap<EvalContext, { ordered: Rule[]; pos: Map<Rule, number> }>();

export function ruleOrder(ec: EvalContext): { ordered: Rule[]; pos: Map<Rule, number> } {
  let order = orderOf.get(ec);
  if (!order) {
    const all: Rule[] = ec.rulebases.flatMap((rb) => rb.rules);
    orderOf.set(ec, (order = { ordered: all, pos: new Map(all.map((r, i) => [r, i])) }));
  }
  return order;
}

const reachCache = new WeakMap<PolicyResult, Map<boolean, Reach[]>>();

/** Enabled allow rules of in-path contexts (or all contexts) that reach a management host, each rule once. */
export function reachingRules(policy: PolicyResult, allContexts = false): Reach[] {
  let m = reachCache.get(policy);
  if (!m) {
    m = new Map();
    reachCache.set(policy, m);
  }
  const hit = m.get(allContexts);
  if (hit) return hit;
  // When every context is in the path (a firewall's vsys), both questions have one answer.
  const same = policy.contexts.every((c) => c.inPath) ? m.get(!allContexts) : undefined;
  const r = same ?? computeReach(policy, allContexts);
  m.set(allContexts, r);
  return r;
}

function computeReach(policy: PolicyResult, allContexts: boolean): Reach[] {
  const out: Reach[] = [];
  const seen = new Set<Rule>();
  const mgmt = policy.env.mgmtHosts;
  if (addrEmpty(mgmt)) return out;
  for (const ctx of policy.contexts) {
    if (!ctx.inPath && !allContexts) continue;
    for (const { rule, c, mayIn, mayOut } of mgmtCandidates(policy, ctx)) {
      if (rule.action !== 'allow' || seen.has(rule)) continue;
      const inbound = mayIn && touches(c.dst, c.to, ctx, mgmt);
      const outbound = mayOut && touches(c.src, c.from, ctx, mgmt);
      if (!inbound && !outbound) continue;
      seen.add(rule);
      out.push({ rule, c, ctx, inbound, outbound, fromZones: c.from });
    }
  }
  return out;
}

/** Where a finding about a whole rulebase goes: its `rules` key, else its nearest existing ancestor. */
export function rulebaseSpan(rb: Rulebase): Span {
  return rb.span;
}

/** "tcp/1-21,23-65535 (65,534 ports)" */
export function portsText(proto: string, p: PortSet): string {
  const n = portCount(p);
  const s = portsToString(p);
  return n > 8 ? `${proto}/${s.length > 40 ? s.slice(0, 40) + '…' : s} (${thousands(n)} ports)` : `${proto}/${s}`;
}

/** `65536` → `65,536`, as `toLocaleString('en-US')` writes it, without loading ICU's locale data (~25 ms on a cold CLI run). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A member list's `any` (or the rule name when the field is absent). */
export function anySpan(rule: Rule, items: { value: string; span: Span }[]): Span {
  return items.find((m) => m.value === 'any')?.span ?? rule.nameSpan;
}
