/**
 * @fileoverview Evaluates required flows against a rulebase the way PAN-OS does: rules in order,
 * first match wins, then the default rules (intrazone allow, interzone deny unless overridden).
 *
 * A flow is a region (source set × destination set × ports × App-ID, with the zones of each part);
 * each rule takes the part it definitely matches, leaves the part it definitely does not match to
 * the next rule, and marks the part it may match (FQDN, dynamic group, filter…) as unknown. So a
 * flow can be allowed for some sources and blocked for others, and every verdict names its rule.
 */
import { invalidateMgmtRefs } from './contexts';
import type { DefaultRules, Rule, Rulebase } from '../model/types';
import type { Environment } from './environment';
import type { RequiredFlow } from './flows';
import { isAnyName, namesMayHold, type AddrMatch, type CompiledRule, type Resolver } from './resolve';
import { addrEmpty, addrIntersect, addrSubtract, addrToString, addrUnion, EMPTY, ivIntersect, ivSubtract, ivUnion, parsePorts, portsToString, type AddrSet, type PortSet } from './sets';
import type { Zoner } from './zones';

/** Where a flow is evaluated: a firewall vsys, or the firewalls of a Panorama device group. */
export type EvalContext = {
  id: string;
  label: string;
  rulebases: Rulebase[];
  defaults: DefaultRules | undefined;
  defaultsWhere: string;
  zoner: Zoner;
  /** Where the catalog rules belong (fix placement): vsys rulebase, DG pre-rulebase, shared pre. */
  insertion: Rulebase;
  /** Why this context was chosen. */
  because: string;
  /** Firewall serial for `target` (undefined = any firewall of the device group not named in a target). */
  device: string | undefined;
  /** Rules pushed by Panorama: the firewall's local rules are not in this file. */
  panorama: boolean;
  /** Firewalls of the device group (for `target` when a fix must go into an ancestor's rulebase). */
  targetDevices?: string[];
  /** Is the firewall in the path of Panorama traffic? Findings are only raised when it is. */
  inPath: boolean;
  inPathWhy: string;
};

export type Box = {
  src: AddrSet;
  dst: AddrSet;
  ports: PortSet;
  app: string;
  srcZone: string | undefined;
  dstZone: string | undefined;
  srcVia: string;
  dstVia: string;
};

export type Outcome = 'allow' | 'deny' | 'unknown';

export type Portion = {
  box: Box;
  outcome: Outcome;
  rule: Rule | undefined;
  defaultRule: 'intrazone-default' | 'interzone-default' | undefined;
  reasons: string[];
};

export type TraceStep = { rule: Rule; result: Outcome | 'disabled' | 'not-targeted'; part: string };

export type Verdict = 'allowed' | 'blocked' | 'unknown' | 'not-crossing';

export type FlowResult = {
  flow: RequiredFlow;
  ctx: EvalContext;
  verdict: Verdict;
  /** The rule that decided (allowed by / blocked by); undefined for a default rule. */
  rule: Rule | undefined;
  defaultRule: 'intrazone-default' | 'interzone-default' | undefined;
  portions: Portion[];
  trace: TraceStep[];
  /** Why the verdict is unknown. */
  reasons: string[];
  /** Assumptions made (threat EDLs, local rules not in the file). */
  notes: string[];
  /** Allow rules that failed only because `application-default` does not cover the port. */
  nearMiss: { rule: Rule; app: string; defaults: string }[];
  /** Disabled allow rules that would have allowed a blocked part. */
  disabledHits: Rule[];
  /** Human summary: "allowed by rule 'X' (#3 in vsys:vsys1)". */
  summary: string;
  /** The part of the flow whose outcome decided the verdict (its zones name the default rule's). */
  decisive: Portion | undefined;
  /** Unknown because a peer is a host name resolved at run time and only part of the flow is allowed. */
  byHostName?: true;
};

type Dim<T> = { M: T; U: T; X: T };

function addrDim(box: AddrSet, m: AddrMatch): Dim<AddrSet> {
  if (m.any) return m.negate ? { M: EMPTY, U: EMPTY, X: box } : { M: box, U: EMPTY, X: EMPTY };
  const inside = addrIntersect(box, m.set);
  const rest = addrSubtract(box, m.set);
  const unsure = m.unknown.length > 0;
  if (!m.negate) return unsure ? { M: inside, U: rest, X: EMPTY } : { M: inside, U: EMPTY, X: rest };
  return unsure ? { M: EMPTY, U: rest, X: inside } : { M: rest, U: EMPTY, X: inside };
}

/** {@link appDefaultPorts}' answers per catalog (the catalog is read once per process): asked for every box a rule of `application-default` meets. */
const defaultPortsMemo = new WeakMap<object, { tcp: Map<string, PortSet | undefined>; udp: Map<string, PortSet | undefined> }>();

/** Default ports of an App-ID for a protocol (catalog `applications`); the set returned is shared: not to be changed. */
export function appDefaultPorts(env: Environment, app: string, protocol: 'tcp' | 'udp'): PortSet | undefined {
  const apps = env.catalog.applications;
  let memo = defaultPortsMemo.get(apps);
  if (!memo) defaultPortsMemo.set(apps, (memo = { tcp: new Map(), udp: new Map() }));
  const m = memo[protocol];
  if (m.has(app)) return m.get(app);
  const a = apps[app];
  let out: PortSet | undefined;
  if (a && Object.prototype.hasOwnProperty.call(apps, app)) {
    out = [];
    for (const d of a.defaultPorts) if (d.protocol === protocol) out = ivUnion(out, parsePorts(d.ports) ?? []);
  }
  m.set(app, out);
  return out;
}

export function ruleRef(r: Rule): string {
  return `'${r.name}' (#${r.index + 1} in ${r.rulebase.location})`;
}

type MatchResult = {
  D: Box | undefined;
  N: Box[];
  Q: { box: Box; reasons: string[] }[];
  nearMiss: string | undefined;
};

const emptyAddr = addrEmpty;

type Tri = boolean | 'maybe';

const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === 'maybe' || b === 'maybe' ? 'maybe' : true);

const zoneOk = (z: { any: boolean; zones: Set<string> }, zone: string | undefined): Tri => (z.any ? true : zone === undefined ? 'maybe' : z.zones.has(zone));

/** Whether a box's zones are the rule's (its from and to zones, and intrazone/interzone). */
function zonesMatch(c: CompiledRule, box: Box): Tri {
  const zr = and(zoneOk(c.from, box.srcZone), zoneOk(c.to, box.dstZone));
  const type = c.rule.ruleType;
  if (type === 'universal' || zr === false) return zr;
  const same = box.srcZone === undefined || box.dstZone === undefined ? 'maybe' : box.srcZone === box.dstZone;
  return and(zr, same === 'maybe' ? 'maybe' : type === 'intrazone' ? same : !same);
}

/** A rule that does not match a box at all: the box goes on to the next rule whole. */
const NO_MATCH: MatchResult = Object.freeze({ D: undefined, N: [], Q: [], nearMiss: undefined });

/** What a rule does to a box: the part it decides (D), the parts it leaves (N), the parts it may match (Q); NO_MATCH: none of it. */
function matchBox(env: Environment, flow: RequiredFlow, box: Box, c: CompiledRule, ctx: EvalContext): MatchResult {
  const rule = c.rule;
  // Zones first: most rules a flow passes name other zones than most of its boxes.
  const zr = zonesMatch(c, box);
  if (zr === false) return NO_MATCH;
  const whole: string[] = [];
  if (zr === 'maybe') whole.push(`${unknownZone(env, flow, box)}; rule ${ruleRef(rule)} names zones`);
  // Other criteria: management traffic carries no user or HIP; non-web traffic has no URL category.
  let xr: boolean | 'maybe' = true;
  for (const e of c.extra) {
    const clientFlow = flow.srcKind === 'adminClients';
    const web = box.app === 'ssl' || box.app === 'web-browsing';
    const r = e.field === 'category' ? (web ? 'maybe' : false) : clientFlow ? 'maybe' : false;
    xr = and(xr, r);
    if (r === 'maybe') whole.push(`rule ${ruleRef(rule)} also matches on ${e.field} '${e.member.value}'`);
  }
  // Application.
  let ar: boolean | 'maybe' = c.app.any || c.app.apps.has(box.app) ? true : c.app.unknown.length > 0 ? 'maybe' : false;
  if (ar === 'maybe') whole.push(...c.app.unknown.map((u) => u.reason));
  const wr = and(and(zr, xr), ar);
  if (wr === false) return NO_MATCH;
  // Addresses and ports.
  const s = addrDim(box.src, c.src);
  const d = addrDim(box.dst, c.dst);
  let allowed: PortSet;
  if (c.svc.any) allowed = [0, 65536];
  else {
    allowed = c.svc.ports[flow.protocol];
    if (c.svc.appDefault) allowed = ivUnion(allowed, appDefaultPorts(env, box.app, flow.protocol) ?? []);
  }
  const pM = ivIntersect(box.ports, allowed);
  const pRest = ivSubtract(box.ports, allowed);
  const p: Dim<PortSet> = c.svc.unknown.length > 0 ? { M: pM, U: pRest, X: [] } : { M: pM, U: [], X: pRest };
  let nearMiss: string | undefined;
  if (wr === true && rule.action === 'allow' && c.svc.appDefault && pM.length === 0 && !emptyAddr(s.M) && !emptyAddr(d.M)) {
    nearMiss = portsToString(appDefaultPorts(env, box.app, flow.protocol) ?? []);
  }
  const N: Box[] = [];
  let cur = box;
  if (!emptyAddr(s.X)) N.push({ ...cur, src: s.X });
  cur = { ...cur, src: addrUnion(s.M, s.U) };
  if (!emptyAddr(cur.src)) {
    if (!emptyAddr(d.X)) N.push({ ...cur, dst: d.X });
    cur = { ...cur, dst: addrUnion(d.M, d.U) };
    if (!emptyAddr(cur.dst)) {
      if (p.X.length > 0) N.push({ ...cur, ports: p.X });
      cur = { ...cur, ports: ivUnion(p.M, p.U) };
    }
  }
  const curEmpty = emptyAddr(cur.src) || emptyAddr(cur.dst) || cur.ports.length === 0;
  const Q: MatchResult['Q'] = [];
  let D: Box | undefined;
  if (!curEmpty) {
    if (wr === 'maybe') {
      Q.push({ box: cur, reasons: whole });
    } else {
      let c2 = cur;
      if (!emptyAddr(s.U)) {
        Q.push({ box: { ...c2, src: s.U }, reasons: c.src.unknown.map((u) => u.reason) });
        c2 = { ...c2, src: s.M };
      }
      if (!emptyAddr(c2.src) && !emptyAddr(d.U)) {
        Q.push({ box: { ...c2, dst: d.U }, reasons: c.dst.unknown.map((u) => u.reason) });
        c2 = { ...c2, dst: d.M };
      }
      if (!emptyAddr(c2.src) && !emptyAddr(c2.dst) && p.U.length > 0) {
        Q.push({ box: { ...c2, ports: p.U }, reasons: c.svc.unknown.map((u) => u.reason) });
        c2 = { ...c2, ports: p.M };
      }
      if (!emptyAddr(c2.src) && !emptyAddr(c2.dst) && c2.ports.length > 0) D = c2;
    }
  }
  void ctx;
  return { D, N, Q, nearMiss };
}

/** Number of addresses (IPv6 counted in /64 blocks, so both fit in a double). */
function addrSize(a: AddrSet): number {
  let n = 0;
  for (let i = 0; i < a.v4.length; i += 2) n += a.v4[i + 1]! - a.v4[i]!;
  for (let i = 0; i < a.v6.length; i += 2) n += Number((a.v6[i + 1]! - a.v6[i]!) >> 64n);
  return n;
}

/** "the zone of Panorama 10.10.10.5 is unknown (…)", naming a peer whose addresses are unknown by its kind. */
function unknownZone(env: Environment, flow: RequiredFlow, b: Box): string {
  const src = b.srcZone === undefined;
  const kind = src ? flow.srcKind : flow.dstKind;
  const peer = env.peers.get(kind);
  const who = peer && !peer.known ? `${env.catalog.peers[kind]} (addresses unknown)` : addrToString(src ? b.src : b.dst, 2);
  return `the zone of ${who} is unknown (${src ? b.srcVia : b.dstVia})`;
}

function targeted(rule: Rule, device: string | undefined): boolean {
  const t = rule.target;
  if (!t || t.devices.length === 0) return true;
  const listed = device !== undefined && t.devices.some((d) => d.serial.value === device);
  return t.negate ? !listed : listed;
}

function boxLabel(b: Box): string {
  return `${addrToString(b.src, 2)}${b.srcZone ? ` [${b.srcZone}]` : ''} → ${addrToString(b.dst, 2)}${b.dstZone ? ` [${b.dstZone}]` : ''} ${b.app}`;
}

/** A trace step about one box; its text is written when read (the flows table), not for every evaluation. */
function boxStep(rule: Rule, result: TraceStep['result'], box: Box): TraceStep {
  return {
    rule,
    result,
    get part() {
      return boxLabel(box);
    },
  };
}

/** Initial boxes of a flow in a context: split by zone, one box per App-ID; same-subnet parts dropped. */
export function flowBoxes(flow: RequiredFlow, ctx: EvalContext): { boxes: Box[]; notCrossing: number } {
  const boxes: Box[] = [];
  let notCrossing = 0;
  const sp = ctx.zoner.split(flow.src);
  const dp = ctx.zoner.split(flow.dst);
  for (const s of sp) {
    for (const d of dp) {
      if (s.subnet !== undefined && s.subnet === d.subnet) {
        notCrossing++;
        continue;
      }
      for (const app of flow.apps) {
        boxes.push({ src: s.set, dst: d.set, ports: flow.ports, app, srcZone: s.zone, dstZone: d.zone, srcVia: s.via, dstVia: d.via });
      }
    }
  }
  return { boxes, notCrossing };
}

/**
 * What the boxes still to be decided share, to reject rules that cannot match any of them in O(1). It
 * is made again whenever a rule decides or splits a box: a flow split by zone is mostly decided by
 * its first rules, and the few zone pairs left then pass over every rule that names other zones
 * without resolving its addresses.
 */
type Gate = { src: AddrSet; dst: AddrSet; srcZones: Set<string | undefined>; dstZones: Set<string | undefined> };

function flowGate(flow: RequiredFlow, boxes: Box[]): Gate {
  return { src: flow.src, dst: flow.dst, srcZones: new Set(boxes.map((b) => b.srcZone)), dstZones: new Set(boxes.map((b) => b.dstZone)) };
}

/**
 * Conservative: false only when the rule's addresses can match no box of the flow. Its zones were
 * tested against the same gate already, on the names, by the candidates ({@link Candidates.next}).
 */
function addressesMayMatch(resolver: Resolver, rule: Rule, g: Gate): boolean {
  const scope = rule.rulebase.scope;
  return resolver.mayMatch(scope, rule.sourceNames, rule.negateSource, g.src) && resolver.mayMatch(scope, rule.destinationNames, rule.negateDestination, g.dst);
}

/**
 * Per rulebase, its rules by destination zone (`to`) and by source zone (`from`; the rules of `any`
 * apart on each side), indexed from the first rule on only as far as some flow's evaluation has gone,
 * and each rule's applications, read when a flow first reaches the rule through its zones. Most flows
 * are decided by rules near the top, and a flow's zones are a few of many: the applications (names
 * read, groups and filters resolved) of a rule into or from other zones are never read. Before, the
 * index was by App-ID, and every rule up to the deepest decided flow had its applications read (all
 * 12,278 of the generated 50 MB firewall's, for 167 that could match its DNS flow).
 */
type RuleIndex = {
  done: number;
  byTo: Map<string, number[]>;
  toAny: number[];
  byFrom: Map<string, number[]>;
  fromAny: number[];
  /**
   * Per rule: the App-IDs it may match, as its compiled application part would (groups expanded);
   * null when it may match any (`any`, none listed, or a group or filter not resolvable); undefined:
   * not read yet.
   */
  apps: (readonly string[] | null | undefined)[];
};

const ruleIndex = new WeakMap<Rulebase, RuleIndex>();

/** Forgets what was indexed about a rulebase (one of its rules was replaced by an incremental edit). */
export function invalidateRulebase(rb: Rulebase): void {
  ruleIndex.delete(rb);
  invalidateMgmtRefs(rb);
}

/** Indexes by destination and source zone the rules of `rb` before `to` not indexed yet. */
function indexUpTo(rb: Rulebase, idx: RuleIndex, to: number): void {
  const rules = rb.rules;
  for (let i = idx.done; i < to; i++) {
    const r = rules[i]!;
    indexSide(r.toNames, i, idx.byTo, idx.toAny);
    indexSide(r.fromNames, i, idx.byFrom, idx.fromAny);
  }
  idx.done = to;
}

function indexSide(names: readonly string[], i: number, by: Map<string, number[]>, any: number[]): void {
  if (isAnyName(names)) {
    any.push(i);
    return;
  }
  // Indexed loops: this runs for every rule while the code is still cold, where for-of allocates.
  for (let k = 0; k < names.length; k++) {
    const z = names[k]!;
    const l = by.get(z);
    if (l) {
      if (l[l.length - 1] !== i) l.push(i);
    } else by.set(z, [i]);
  }
}

/** The App-IDs rule `i` of `rb` may match (null: any), read once per rulebase index. */
function appsOf(resolver: Resolver, rb: Rulebase, idx: RuleIndex, i: number): readonly string[] | null {
  const known = idx.apps[i];
  if (known !== undefined) return known;
  const r = rb.rules[i]!;
  const names = r.applicationNames;
  let out: string[] | null = names.length === 0 ? null : [];
  for (let k = 0; k < names.length && out; k++) {
    const n = names[k]!;
    if (n === 'any') {
      out = null;
      break;
    }
    const m = resolver.applicationName(r.rulebase.scope, n);
    if (m.unknown.length > 0) out = null;
    else for (let j = 0; j < m.apps.length; j++) out.push(m.apps[j]!);
  }
  idx.apps[i] = out;
  return out;
}

const NO_RULES: readonly number[] = [];

/** The place of the first rule after `last` in `l` (rules ascending). */
function after(l: readonly number[], last: number): number {
  let lo = 0;
  let hi = l.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l[mid]! <= last) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The zones a flow's gate has undecided on each side (undefined: a zone unknown, which every rule may hold). */
export type GateZones = { srcZones: ReadonlySet<string | undefined>; dstZones: ReadonlySet<string | undefined> };

/**
 * The rules of a rulebase that may match a flow, in rule order, one at a time (`next`: undefined after
 * the last): their source and destination zones may hold one of the flow's still undecided (`next`'s
 * argument, subsets of the zones it began with) and their applications may match one of its
 * App-IDs. The rules come from the index of one side, the destination or the source zones: whichever
 * has fewer rules left on the lists of its undecided zones, chosen again whenever the gate's zones
 * shrink (the generated 50 MB firewall's DNS flow keeps 27 destination zones undecided and one
 * source zone: 13,417 rules walked by destination, of which 2,025 came from that source zone). With
 * a zone unknown undecided on both sides, every rule is read in turn. The rulebase is indexed further
 * only when the rules indexed so far are used up, by doubling steps.
 *
 * The lists of one side are merged through a heap of the lists by their next rule: a flow into every
 * zone of a firewall (the DNS servers', with a route to each zone) reads each rule once for
 * log(zones) steps, where a scan of every list's head per rule grew as rules × zones (the generated
 * 50 MB firewall's DNS flow: 10,226 rules reached through 46 lists). The lists are those of the
 * undecided zones only, found again (by binary search, past the last rule given) when the gate's
 * zones shrink.
 */
class Candidates {
  private readonly idx: RuleIndex;
  /** The chosen side's lists (the rules of `any`, then one per undecided zone) and the place in each. */
  private lists: (readonly number[])[] | undefined;
  private at: number[] = [];
  /** The lists not used up, as a binary min-heap on the rule each is at. */
  private heap: number[] = [];
  private last = -1;
  /** Every rule in turn (a zone unknown undecided on both sides). */
  private all = false;
  /** The gate's zone counts when the lists were last made. */
  private heldDst = 0;
  private heldSrc = 0;

  constructor(
    private readonly resolver: Resolver,
    private readonly rb: Rulebase,
    private readonly apps: readonly string[],
  ) {
    let idx = ruleIndex.get(rb);
    // One slot per rule (filled as flows reach the rules; a hole is a rule not read yet).
    if (!idx) ruleIndex.set(rb, (idx = { done: 0, byTo: new Map(), toAny: [], byFrom: new Map(), fromAny: [], apps: new Array<readonly string[] | null | undefined>(rb.rules.length) }));
    this.idx = idx;
  }

  /** The next candidate whose zones may hold one of the flow's still undecided (the gate's). */
  next(gate: GateZones): Rule | undefined {
    // Zones decided since the lists were made: the lists are made again, of the zones left (the rest
    // of a list of a decided zone holds no candidate but the rules that also name an undecided zone).
    if ((this.lists || this.all) && (gate.dstZones.size < this.heldDst || gate.srcZones.size < this.heldSrc)) {
      this.lists = undefined;
      this.all = false;
    }
    for (let i = this.nextByZone(gate); i >= 0; i = this.nextByZone(gate)) {
      const rule = this.rb.rules[i]!;
      // From or into zones all decided already (the gate's zone test, on the names): passed over
      // before its applications are read. A side's names are not read when a zone unknown is
      // undecided (every rule may hold it: the DNS and NTP servers' zones, with no route to them).
      if (!mayHold(rule, true, gate.dstZones) || !mayHold(rule, false, gate.srcZones)) continue;
      const a = appsOf(this.resolver, this.rb, this.idx, i);
      if (a === null || a.some((x) => this.apps.includes(x))) return rule;
    }
    return undefined;
  }

  /** The index of the next rule whose zones on the chosen side may hold one of the gate's undecided, or -1. */
  private nextByZone(gate: GateZones): number {
    const rules = this.rb.rules;
    for (;;) {
      if (!this.lists && !this.all) this.choose(gate);
      if (this.all) {
        const i = ++this.last;
        return i < rules.length ? i : -1;
      }
      const lists = this.lists!;
      const heap = this.heap;
      if (heap.length > 0) {
        const k = heap[0]!;
        const l = lists[k]!;
        const rule = l[this.at[k]!++]!;
        if (this.at[k]! < l.length) this.down(0);
        else {
          const tail = heap.pop()!;
          if (heap.length > 0) {
            heap[0] = tail;
            this.down(0);
          }
        }
        // A rule naming two of the flow's zones heads two lists: taken once.
        if (rule > this.last) {
          this.last = rule;
          return rule;
        }
        continue;
      }
      const done = this.idx.done;
      if (done >= rules.length) return -1;
      indexUpTo(this.rb, this.idx, Math.min(rules.length, Math.max(64, done * 2)));
      // A zone first met in the rules just indexed has a list now.
      this.lists = undefined;
    }
  }

  /**
   * Makes the lists to merge: of the side with fewer indexed rules left on the lists of its undecided
   * zones (a side with a zone unknown undecided is not chosen: every rule may hold it), each from
   * its first rule after the last one given.
   */
  private choose(gate: GateZones): void {
    this.heldDst = gate.dstZones.size;
    this.heldSrc = gate.srcZones.size;
    const idx = this.idx;
    const dst = gate.dstZones.has(undefined) ? undefined : this.sideLists(idx.toAny, idx.byTo, gate.dstZones);
    const src = gate.srcZones.has(undefined) ? undefined : this.sideLists(idx.fromAny, idx.byFrom, gate.srcZones);
    const pick = dst && src ? (src.left < dst.left ? src : dst) : (dst ?? src);
    if (!pick) {
      this.all = true;
      return;
    }
    const lists = (this.lists = pick.lists);
    this.at = pick.at;
    this.heap = [];
    for (let k = 0; k < lists.length; k++) if (this.at[k]! < lists[k]!.length) this.push(k);
  }

  private sideLists(any: readonly number[], by: Map<string, number[]>, zones: ReadonlySet<string | undefined>): { lists: (readonly number[])[]; at: number[]; left: number } {
    const lists: (readonly number[])[] = [any];
    for (const z of zones) lists.push(by.get(z!) ?? NO_RULES);
    const at = new Array<number>(lists.length);
    let left = 0;
    for (let k = 0; k < lists.length; k++) {
      const l = lists[k]!;
      const p = (at[k] = after(l, this.last));
      left += l.length - p;
    }
    return { lists, at, left };
  }

  /** The rule list `k` is at (the heap's key). */
  private head(k: number): number {
    return this.lists![k]![this.at[k]!]!;
  }

  private push(k: number): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(k);
    const v = this.head(k);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.head(heap[p]!) <= v) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = k;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const k = heap[i]!;
    const v = this.head(k);
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.head(heap[c + 1]!) < this.head(heap[c]!)) c++;
      if (this.head(heap[c]!) >= v) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = k;
  }
}

/** {@link namesMayHold} of a rule's `to` (or `from`) names, read only when `zones` lacks a zone unknown. */
function mayHold(rule: Rule, to: boolean, zones: ReadonlySet<string | undefined>): boolean {
  return zones.has(undefined) || namesMayHold(to ? rule.toNames : rule.fromNames, zones);
}

const ANY_ZONE: ReadonlySet<string | undefined> = new Set([undefined]);

/**
 * The rules of a rulebase that may match a flow (all of them, in order: for tests) whose source and
 * destination zones are `srcZones` and `dstZones` (undefined: a zone unknown, which passes every rule).
 * `narrow`, given each rule found and the zones it was found with, may return fewer zones to find
 * the next ones with (as an evaluation's gate shrinks when rules decide parts of the flow).
 */
export function candidates(
  resolver: Resolver,
  rb: Rulebase,
  flow: RequiredFlow,
  dstZones = ANY_ZONE,
  srcZones = ANY_ZONE,
  narrow?: (rule: Rule, gate: GateZones) => GateZones,
): Rule[] {
  const out: Rule[] = [];
  const it = new Candidates(resolver, rb, flow.apps);
  let gate: GateZones = { srcZones, dstZones };
  for (let r = it.next(gate); r; r = it.next(gate)) {
    out.push(r);
    if (narrow) gate = narrow(r, gate);
  }
  return out;
}

/**
 * What an evaluation consulted besides the rules and zones of its context: `targeted` is set when a
 * rule whose `target` names firewalls was reached (the verdict may then differ between the firewalls
 * of one device group).
 */
export type DeviceUse = { targeted: boolean };

export function evaluateFlow(env: Environment, resolver: Resolver, flow: RequiredFlow, ctx: EvalContext, use?: DeviceUse): FlowResult {
  const { boxes, notCrossing } = flowBoxes(flow, ctx);
  const portions: Portion[] = [];
  const trace: TraceStep[] = [];
  const notes: string[] = [];
  const nearMiss: FlowResult['nearMiss'] = [];
  const disabledCandidates: Rule[] = [];
  let remaining = boxes;
  let gate = flowGate(flow, boxes);
  // A flow to or from peers whose addresses are unknown ('some') needs one of them to get through: the
  // first rule that allows part of it settles the verdict, and the rules after it are not read (the
  // trace ends there). Not when a peer is a host name resolved at run time: then every part counts.
  const settleOnAllow = flow.coverage === 'some' && flow.unresolved.length === 0;
  let settled = false;
  rulebases: for (const rb of ctx.rulebases) {
    const cands = new Candidates(resolver, rb, flow.apps);
    // The remaining boxes checked before the next rule is asked for (which may index further).
    while (remaining.length > 0) {
      const rule = cands.next(gate);
      if (!rule) break;
      if (!addressesMayMatch(resolver, rule, gate)) continue;
      const c = resolver.compile(rule);
      if (rule.disabled) {
        if (rule.action === 'allow' && remaining.some((b) => matchBox(env, flow, b, c, ctx).D)) {
          disabledCandidates.push(rule);
          trace.push({ rule, result: 'disabled', part: 'would match' });
        }
        continue;
      }
      if (use && rule.target && rule.target.devices.length > 0) use.targeted = true;
      if (!targeted(rule, ctx.device)) {
        if (remaining.some((b) => matchBox(env, flow, b, c, ctx).D)) trace.push({ rule, result: 'not-targeted', part: `not targeted at ${ctx.device ?? 'this firewall'}` });
        continue;
      }
      // Made at the first box the rule matches (the boxes before it kept as they were): most rules a
      // flow reaches match none of its boxes, and a box in zones the rule does not name is passed
      // over here, without a call (a flow into every zone of a firewall has a box per zone).
      let next: Box[] | undefined;
      const from = c.from;
      const to = c.to;
      for (let k = 0; k < remaining.length; k++) {
        const b = remaining[k]!;
        // (A zone the rule does not name makes `zonesMatch` false.)
        const m = zoneOk(from, b.srcZone) === false || zoneOk(to, b.dstZone) === false ? NO_MATCH : matchBox(env, flow, b, c, ctx);
        if (m === NO_MATCH) {
          next?.push(b);
          continue;
        }
        next ??= remaining.slice(0, k);
        if (m.nearMiss && !nearMiss.some((n) => n.rule === rule && n.app === b.app)) nearMiss.push({ rule, app: b.app, defaults: m.nearMiss });
        if (m.D) {
          // A rule without a (known) action does not commit on PAN-OS: its verdict is unknown, not a deny.
          const outcome: Outcome = rule.action === 'allow' ? 'allow' : rule.action === 'unknown' ? 'unknown' : 'deny';
          if (outcome === 'allow' && settleOnAllow) settled = true;
          portions.push({ box: m.D, outcome, rule, defaultRule: undefined, reasons: outcome === 'unknown' ? [`rule ${ruleRef(rule)} has no valid action`] : [] });
          trace.push(boxStep(rule, outcome, m.D));
          for (const t of [...c.src.threatLists, ...c.dst.threatLists]) {
            const n = `rule ${ruleRef(rule)} matches threat feed '${t}'; management peers are assumed not to be listed in it`;
            if (!notes.includes(n)) notes.push(n);
          }
        } else if (c.src.threatLists.length + c.dst.threatLists.length > 0 && m.Q.length === 0) {
          for (const t of [...c.src.threatLists, ...c.dst.threatLists]) {
            const n = `rule ${ruleRef(rule)} uses threat feed '${t}'; management peers are assumed not to be listed in it`;
            if (!notes.includes(n)) notes.push(n);
          }
        }
        for (const q of m.Q) {
          portions.push({ box: q.box, outcome: 'unknown', rule, defaultRule: undefined, reasons: q.reasons });
          trace.push(boxStep(rule, 'unknown', q.box));
        }
        next.push(...m.N);
      }
      if (next) {
        remaining = next;
        gate = flowGate(flow, remaining);
      }
      if (settled) break rulebases;
    }
  }
  if (settled) remaining = [];
  if (ctx.panorama && remaining.length > 0) {
    notes.push("the firewall's local rules are evaluated between the pre and post rulebases; they are not in this file");
  }
  for (const b of remaining) {
    const d = ctx.defaults;
    if (b.srcZone === undefined || b.dstZone === undefined) {
      portions.push({ box: b, outcome: 'unknown', rule: undefined, defaultRule: undefined, reasons: [`no rule matches and the default rule depends on zones; ${unknownZone(env, flow, b)}; add it to .panos-guard.json "zones"`] });
      continue;
    }
    const intra = b.srcZone === b.dstZone;
    const which = intra ? 'intrazone-default' : 'interzone-default';
    const action = intra ? (d?.intrazone.action ?? 'allow') : (d?.interzone.action ?? 'deny');
    portions.push({ box: b, outcome: action === 'allow' ? 'allow' : 'deny', rule: undefined, defaultRule: which, reasons: [] });
  }
  // Verdict.
  let verdict: Verdict;
  let rule: Rule | undefined;
  let defaultRule: FlowResult['defaultRule'];
  let decisive: Portion | undefined;
  const allows = portions.filter((p) => p.outcome === 'allow');
  const denies = portions.filter((p) => p.outcome === 'deny');
  const unknowns = portions.filter((p) => p.outcome === 'unknown');
  // For an unknown peer ('some'), name the deny that covers most of it (the Internet, not a lab subnet).
  const bySize = flow.coverage === 'some' ? [...denies].sort((a, b) => addrSize(b.box.src) + addrSize(b.box.dst) - addrSize(a.box.src) - addrSize(a.box.dst)) : denies;
  const firstDeny = bySize.find((p) => p.rule) ?? bySize[0];
  if (portions.length === 0) {
    verdict = notCrossing > 0 ? 'not-crossing' : 'allowed';
  } else if (flow.coverage === 'some') {
    if (allows.length > 0) {
      verdict = 'allowed';
      decisive = allows.find((p) => p.rule) ?? allows[0]!;
    } else if (unknowns.length > 0) verdict = 'unknown';
    else {
      verdict = 'blocked';
      decisive = firstDeny;
    }
  } else if (denies.length > 0) {
    verdict = 'blocked';
    decisive = firstDeny;
  } else if (unknowns.length > 0) verdict = 'unknown';
  else {
    verdict = 'allowed';
    decisive = allows.find((p) => p.rule) ?? allows[0];
  }
  rule = decisive?.rule;
  defaultRule = rule ? undefined : decisive?.defaultRule;
  const reasons = [...new Set(unknowns.flatMap((u) => u.reasons))];
  // A peer named by an unresolved FQDN could be any address: "some part is allowed" says nothing then.
  const byHostName = verdict === 'allowed' && flow.coverage === 'some' && flow.unresolved.length > 0 && portions.some((p) => p.outcome !== 'allow');
  if (byHostName) {
    verdict = 'unknown';
    rule = undefined;
    defaultRule = undefined;
    decisive = undefined;
    reasons.unshift(`${flow.unresolved.join(', ')} ${flow.unresolved.length === 1 ? 'is a host name' : 'are host names'} resolved at run time and only some addresses are allowed; map ${flow.unresolved.length === 1 ? 'it' : 'them'} in .panos-guard.json "fqdn"`);
  }
  const disabledHits = verdict === 'blocked' ? disabledCandidates : [];
  const r: FlowResult = { flow, ctx, verdict, rule, defaultRule, portions, trace, reasons, notes, nearMiss: verdict === 'blocked' ? nearMiss : [], disabledHits, summary: '', decisive };
  if (byHostName) r.byHostName = true;
  r.summary = summarize(r);
  return r;
}

function summarize(r: FlowResult): string {
  const by = r.rule ? `rule ${ruleRef(r.rule)}` : r.defaultRule ? `the default rule ${r.defaultRule}${defaultWhere(r)}` : '';
  switch (r.verdict) {
    case 'allowed':
      return `allowed by ${by}${partial(r)}`;
    case 'blocked':
      return `blocked by ${by}${partial(r)}`;
    case 'unknown':
      return `unknown: ${r.reasons[0] ?? 'cannot be evaluated'}`;
    case 'not-crossing':
      return 'not required of this firewall: both ends are on the same connected subnet';
  }
}

function defaultWhere(r: FlowResult): string {
  const p = r.decisive;
  return p && p.defaultRule ? ` (zone ${p.box.srcZone} → ${p.box.dstZone})` : '';
}

function partial(r: FlowResult): string {
  if (r.verdict === 'blocked' && r.flow.coverage === 'all') {
    const ok = r.portions.filter((p) => p.outcome === 'allow');
    if (ok.length > 0) {
      let s: AddrSet = EMPTY;
      for (const p of r.portions.filter((x) => x.outcome === 'deny')) s = addrUnion(s, p.box.src);
      return ` for ${addrToString(s, 3)} (other parts are allowed)`;
    }
  }
  return '';
}
