/**
 * @fileoverview Resolves what a rule's members mean: address objects and nested groups, services
 * and groups, application groups, zones. What cannot be known from the text (FQDNs not mapped in
 * the env file, dynamic groups, application filters, custom EDLs, regions) is kept as "unknown"
 * with its reason, never guessed.
 */
import type { Located } from '../text';
import type { AddressObject, MemberList, Rule, Scope } from '../model/types';
import { addressTypeAndText, lookup, peekRead } from '../model/types';
import type { CNode } from '../parse/tree';
import type { Environment } from './environment';
import { ALL, ALL_PORTS, EMPTY, addrEqual, addrOverlaps, addrUnionAll, ivUnion, parseAddress, parsePorts, v4CidrOverlaps, type AddrSet, type PortSet } from './sets';

/** Why a member's meaning is unknown, pointing at the member. */
export type Unknown = { reason: string; member: Located<string> };

export type AddrMatch = {
  any: boolean;
  set: AddrSet;
  unknown: Unknown[];
  /** Predefined threat EDLs: assumed not to hold management peers; noted in traces. */
  threatLists: string[];
  negate: boolean;
};

export type ProtoPorts = { tcp: PortSet; udp: PortSet };

export type SvcMatch = {
  any: boolean;
  appDefault: boolean;
  ports: ProtoPorts;
  unknown: Unknown[];
  /** Members that resolved to ports, for explaining and for the overbroad checks. */
  parts: { member: Located<string>; ports: ProtoPorts; via?: string }[];
};

export type AppMatch = {
  any: boolean;
  apps: Set<string>;
  unknown: Unknown[];
  /** For each member, the App-IDs it stands for (groups expanded). */
  parts: { member: Located<string>; apps: string[]; group?: string }[];
};

export type ZoneMatch = { any: boolean; zones: Set<string> };

export type CompiledRule = {
  readonly rule: Rule;
  readonly from: ZoneMatch;
  readonly to: ZoneMatch;
  readonly src: AddrMatch;
  readonly dst: AddrMatch;
  readonly app: AppMatch;
  readonly svc: SvcMatch;
  /** Other match criteria that are not `any` (source-user, URL category, HIP): reasons. */
  readonly extra: { field: string; member: Located<string> }[];
};

/** Predefined Palo Alto Networks threat EDLs (malicious IP feeds). */
export const THREAT_EDLS = new Set(['panw-highrisk-ip-list', 'panw-known-ip-list', 'panw-bulletproof-ip-list', 'panw-torexit-ip-list']);

/** Predefined services [U ports, panos-reference.md §3]. */
const PREDEFINED_SERVICES: Record<string, ProtoPorts> = {
  'service-http': { tcp: [80, 81, 8080, 8081], udp: [] },
  'service-https': { tcp: [443, 444], udp: [] },
};

const NO_PORTS: ProtoPorts = { tcp: [], udp: [] };

/** No reasons and no threat lists: shared by the many resolved objects that have none (never pushed to). */
const NONE: string[] = [];

function isAny(items: Located<string>[]): boolean {
  // A plain loop: asked for every side of every rule, often while the code is still cold.
  for (let i = 0; i < items.length; i++) if (items[i]!.value === 'any') return true;
  return items.length === 0;
}

/** {@link isAny} of member names read without spans. */
export function isAnyName(names: readonly string[]): boolean {
  return names.length === 0 || names.includes('any');
}

/**
 * Whether a rule side's zone names as read (`any`, or none listed: every zone) may hold one of
 * `zones`; an undefined member of `zones` is a zone unknown, which any side may hold.
 */
export function namesMayHold(names: readonly string[], zones: ReadonlySet<string | undefined>): boolean {
  if (zones.has(undefined) || isAnyName(names)) return true;
  for (let k = 0; k < names.length; k++) if (zones.has(names[k])) return true;
  return false;
}

/** Whether address names meet a host set, per scope and name ({@link Resolver.nameMeets}). */
type OverlapMemo = Map<Scope | undefined, Map<string, boolean>>;

/** {@link Resolver.mayMatch}'s answers: 1 yes, 2 + h no (h: how deep groups nest below the name). */
type MatchMemo = { names: Map<Scope | undefined, Map<string, number>>; groups: WeakMap<object, number> };

/** Resolves address-like members in a scope (with the env's FQDN map). */
export class Resolver {
  private addrCache = new Map<Scope, Map<string, { set: AddrSet; unknown: string[]; threat: string[] }>>();
  private svcCache = new Map<Scope, Map<string, { ports: ProtoPorts; unknown: string[] }>>();
  private appCache = new Map<Scope, Map<string, { apps: string[]; unknown: string[]; group: boolean }>>();
  private ruleCache = new WeakMap<Rule, CompiledRule>();
  private objCache = new WeakMap<object, { set: AddrSet; unknown: string[]; threat: string[] }>();
  /** Per static address group: whether it meets a set of hosts (the last one asked). */
  private overlapCache = new WeakMap<object, { hosts: AddrSet; v: boolean }>();
  private touchCache = new WeakMap<readonly string[], { hosts: AddrSet; v: boolean }>();
  /** {@link nameOverlaps}' answers, per scope and name, for the host set last asked about. */
  private overlapNames = new Map<Scope | undefined, Map<string, boolean>>();
  private overlapHosts: AddrSet | undefined;
  /** The host set last asked about (see {@link canonical}). */
  private hostsSeen: AddrSet | undefined;
  /** {@link mayMatch}'s answers per host set, per scope and name, and per static group. */
  private matchMemo = new WeakMap<AddrSet, MatchMemo>();
  /** How deep groups nest below the name {@link nameMayMatch} answered "no" for last. */
  private height = 0;
  /** Whether its last "yes" came from a member nested too deep. */
  private limited = false;

  constructor(private env: Environment) {}

  /**
   * This resolver for a new environment object built from the same inputs (the incremental path):
   * its caches depend only on the objects and the FQDN map, which the inputs fix.
   */
  withEnv(env: Environment): Resolver {
    this.env = env;
    return this;
  }

  /**
   * Forgets what depends on the address objects and groups of `names`, whose entries were edited in
   * place under the same names (`groups`: every static group object of those names, in any scope):
   * their resolved sets and answers, those of the groups, and every compiled rule and answer per rule
   * side, which are made again from the names kept (the incremental object path, `incremental.ts`).
   */
  forgetAddresses(names: ReadonlySet<string>, groups: readonly object[]): void {
    for (const m of this.addrCache.values()) for (const n of names) m.delete(n);
    for (const m of this.overlapNames.values()) for (const n of names) m.delete(n);
    for (const g of groups) {
      this.objCache.delete(g);
      this.overlapCache.delete(g);
    }
    this.ruleCache = new WeakMap();
    this.touchCache = new WeakMap();
    this.matchMemo = new WeakMap();
  }

  /**
   * Forgets what depends on the services and service groups of `names`, whose entries were edited in
   * place under the same names (as {@link forgetAddresses}): their ports, and every compiled rule.
   */
  forgetServices(names: ReadonlySet<string>): void {
    for (const m of this.svcCache.values()) for (const n of names) m.delete(n);
    this.ruleCache = new WeakMap();
  }

  /** One address name (object, group, EDL, literal). */
  addressName(scope: Scope | undefined, name: string, depth = 0): { set: AddrSet; unknown: string[]; threat: string[] } {
    const key = scope ?? ({} as Scope);
    let cache = this.addrCache.get(key);
    if (!cache) {
      cache = new Map();
      this.addrCache.set(key, cache);
    }
    const hit = cache.get(name);
    if (hit) return hit;
    const r = this.addressUncached(scope, name, depth);
    cache.set(name, r);
    return r;
  }

  private addressUncached(scope: Scope | undefined, name: string, depth: number): { set: AddrSet; unknown: string[]; threat: string[] } {
    if (name === 'any') return { set: ALL, unknown: [], threat: [] };
    if (depth > 32) return { set: EMPTY, unknown: [`address group nesting too deep at '${name}'`], threat: [] };
    const obj = lookup(scope, 'addresses', name);
    return obj ? this.objectSet(name, obj) : this.addressNotObject(scope, name, depth);
  }

  /** An address object's set; one object seen from many device groups' scopes is read once. */
  private objectSet(name: string, obj: AddressObject): { set: AddrSet; unknown: string[]; threat: string[] } {
    let r = this.objCache.get(obj);
    if (!r) this.objCache.set(obj, (r = this.addressObject(name, obj)));
    return r;
  }

  /** The host set {@link meetsOfNode} and {@link meetsOfObject} are asked about (set just before). */
  private meetsHosts: AddrSet = EMPTY;
  /**
   * Whether an address entry not made yet meets {@link meetsHosts}, read from its node (the entry
   * stays unmade): an `ip-netmask` of the common IPv4 forms is compared where it is read, with no set
   * made (`v4CidrOverlaps`), any other value through its set as resolving reads it.
   */
  private readonly meetsOfNode = (e: CNode): boolean => {
    const netmask = e.textValueOf('ip-netmask');
    const fast = netmask === undefined ? undefined : v4CidrOverlaps(netmask, this.meetsHosts);
    if (fast !== undefined) return fast;
    // `ip-netmask` is the type an entry is read for first (`addressTypeAndText`): not read twice.
    const tt: AddressObject['typeAndText'] = netmask !== undefined ? { type: 'ip-netmask', text: netmask } : addressTypeAndText(e);
    return addrOverlaps(this.typedSet(e.name ?? '', tt).set, this.meetsHosts);
  };
  // A made object is kept by its map anyway: its set is kept with it, as resolving it would.
  private readonly meetsOfObject = (o: AddressObject): boolean => addrOverlaps(this.objectSet(o.name, o).set, this.meetsHosts);

  private addressObject(name: string, obj: AddressObject): { set: AddrSet; unknown: string[]; threat: string[] } {
    // The type and text only: resolving records no span (most objects are never shown).
    return this.typedSet(name, obj.typeAndText);
  }

  private typedSet(name: string, tt: AddressObject['typeAndText']): { set: AddrSet; unknown: string[]; threat: string[] } {
    const type = tt.type;
    const v = tt.text ?? '';
    if (type === 'ip-netmask' || type === 'ip-range') {
      const s = parseAddress(v);
      return s ? { set: s, unknown: NONE, threat: NONE } : { set: EMPTY, unknown: [`address '${name}' has an unreadable value '${v}'`], threat: [] };
    }
    if (type === 'fqdn') {
      const s = this.env.fqdn.get(v.toLowerCase());
      return s ? { set: s, unknown: NONE, threat: NONE } : { set: EMPTY, unknown: [`FQDN address '${name}' (${v}) is resolved by the firewall at run time; map it in .panos-guard.json "fqdn"`], threat: [] };
    }
    return { set: EMPTY, unknown: [`address '${name}' (${type}) cannot be evaluated`], threat: [] };
  }

  private addressNotObject(scope: Scope | undefined, name: string, depth: number): { set: AddrSet; unknown: string[]; threat: string[] } {
    const grp = lookup(scope, 'addressGroups', name);
    if (grp) {
      if (grp.dynamicFilter) return { set: EMPTY, unknown: [`dynamic address group '${name}' (filter ${grp.dynamicFilter.value}) gets its members at run time`], threat: [] };
      // One group seen from many device groups' scopes is resolved once.
      const known = this.objCache.get(grp);
      if (known) return known;
      const sets: AddrSet[] = [];
      const unknown: string[] = [];
      const threat: string[] = [];
      for (const m of grp.static ?? []) {
        // Members resolve in the group's own scope.
        const r = this.addressName(grp.scope, m.value, depth + 1);
        sets.push(r.set);
        for (const u of r.unknown) unknown.push(u);
        for (const t of r.threat) threat.push(t);
      }
      const out = { set: addrUnionAll(sets), unknown, threat };
      this.objCache.set(grp, out);
      return out;
    }
    if (THREAT_EDLS.has(name)) return { set: EMPTY, unknown: [], threat: [name] };
    const edl = lookup(scope, 'externalLists', name);
    if (edl) return { set: EMPTY, unknown: [`external dynamic list '${name}' is fetched at run time`], threat: [] };
    const lit = parseAddress(name);
    if (lit) return { set: lit, unknown: [], threat: [] };
    if (lookup(scope, 'regions', name) || /^[A-Z]{2}$/.test(name)) return { set: EMPTY, unknown: [`region '${name}' is resolved by the firewall's geolocation database`], threat: [] };
    return { set: EMPTY, unknown: [`'${name}' is not an address, address group or EDL defined in this config`], threat: [] };
  }

  /**
   * False when the side cannot reach any address of `hosts`: not negated, not `any`, and no member
   * resolves to an address among them. True means "maybe": resolve the side ({@link addresses}).
   * Cheaper than the side's union for the many rules that never name a management host.
   */
  mayTouch(scope: Scope, names: readonly string[], negate: boolean, asked: AddrSet): boolean {
    if (negate || isAnyName(names)) return true;
    const hosts = this.canonical(asked);
    // Several checks ask about the same rule sides: remembered per side (and host set).
    const seen = this.touchCache.get(names);
    if (seen && seen.hosts === hosts) return seen.v;
    let v = false;
    const memo = this.memoFor(hosts);
    for (let i = 0; i < names.length; i++) {
      if (this.nameOverlaps(scope, names[i]!, hosts, 0, memo)) {
        v = true;
        break;
      }
    }
    this.touchCache.set(names, { hosts, v });
    return v;
  }

  /**
   * False only when {@link addresses} of the side would give a set that meets none of `hosts` and no
   * member it cannot resolve: what the flows' gate asks of a rule side before the side is resolved.
   * Worked out name by name (a static group member by member, stopping at the first that may match),
   * without the union of a group's members that resolving builds; remembered per host set object.
   */
  mayMatch(scope: Scope, names: readonly string[], negate: boolean, hosts: AddrSet): boolean {
    if (negate || isAnyName(names)) return true;
    let memo = this.matchMemo.get(hosts);
    if (!memo) this.matchMemo.set(hosts, (memo = { names: new Map(), groups: new WeakMap() }));
    for (let i = 0; i < names.length; i++) if (this.nameMayMatch(scope, names[i]!, hosts, 0, memo)) return true;
    return false;
  }

  private nameMayMatch(scope: Scope | undefined, name: string, hosts: AddrSet, depth: number, memo: MatchMemo): boolean {
    // Nested too deep: unknown, as resolving has it. A "yes" found so is not remembered (less deep,
    // the same name may resolve); a "no" is remembered with how deep groups nest below the name
    // (2 + height; 1 is a yes), and holds from any depth that leaves room for that.
    this.height = 0;
    this.limited = false;
    if (depth > 32) {
      this.limited = true;
      return true;
    }
    let m = memo.names.get(scope);
    if (!m) memo.names.set(scope, (m = new Map()));
    const seen = m.get(name);
    if (seen !== undefined && (seen === 1 || depth + seen - 2 <= 32)) {
      if (seen !== 1) this.height = seen - 2;
      return seen === 1;
    }
    let v = false;
    let h = 0;
    let limited = false;
    // A static group as addressNotObject resolves it (its set the union of its members', its unknown
    // members theirs), member by member; every other name as resolved.
    const grp = name !== 'any' && !lookup(scope, 'addresses', name) ? lookup(scope, 'addressGroups', name) : undefined;
    if (grp && !grp.dynamicFilter) {
      const g = memo.groups.get(grp);
      if (g !== undefined && (g === 1 || depth + g - 2 <= 32)) {
        v = g === 1;
        if (!v) h = g - 2;
      } else {
        const members = grp.staticNames;
        for (let i = 0; i < members.length && !v; i++) {
          v = this.nameMayMatch(grp.scope, members[i]!, hosts, depth + 1, memo);
          h = Math.max(h, this.height + 1);
          limited = this.limited;
        }
        if (!limited) memo.groups.set(grp, v ? 1 : 2 + h);
      }
    } else {
      const r = this.addressName(scope, name, depth);
      v = r.unknown.length > 0 || addrOverlaps(r.set, hosts);
    }
    if (!limited) m.set(name, v ? 1 : 2 + h);
    this.height = v ? 0 : h;
    this.limited = limited;
    return v;
  }

  /**
   * Whether the address name `name` (object, group, EDL, literal) stands for some address of `hosts`.
   * `remember`: keep the answer (and those of a group's members) for the next question; false for a
   * caller that asks once about each of many names (the device groups' choice: an answer remembered
   * costs about what working it out again does, and would be kept for the resolver's life).
   */
  nameMeets(scope: Scope | undefined, name: string, hosts: AddrSet, remember = true): boolean {
    const h = this.canonical(hosts);
    return this.nameOverlaps(scope, name, h, 0, remember ? this.memoFor(h) : undefined);
  }

  /**
   * `hosts`, or the host set asked about before when it holds the same addresses: each analysis
   * builds its environment anew, and an incremental one keeps this resolver, so what is remembered
   * per host set (above) stays valid across edits instead of being worked out again for every rule.
   */
  private canonical(hosts: AddrSet): AddrSet {
    const h = this.hostsSeen;
    if (h === hosts) return hosts;
    if (h && addrEqual(h, hosts)) return h;
    this.hostsSeen = hosts;
    return hosts;
  }

  /**
   * Whether one address name meets `hosts`, remembered per scope and name in `memo` (rule sides name
   * the same objects over and over; each first answer costs a few lookups in maps of tens of thousands
   * of names, and on a large config those lookups miss the CPU caches); without one, worked out.
   */
  private nameOverlaps(scope: Scope | undefined, name: string, hosts: AddrSet, depth: number, memo: OverlapMemo | undefined): boolean {
    if (!memo) return this.overlapUncached(scope, name, hosts, depth, memo);
    let m = memo.get(scope);
    if (!m) memo.set(scope, (m = new Map()));
    let v = m.get(name);
    if (v === undefined) {
      v = this.overlapUncached(scope, name, hosts, depth, memo);
      m.set(name, v);
    }
    return v;
  }

  /** This resolver's answers for `hosts` (the host set last asked about: see {@link canonical}). */
  private memoFor(hosts: AddrSet): OverlapMemo {
    if (hosts !== this.overlapHosts) {
      this.overlapHosts = hosts;
      this.overlapNames = new Map();
    }
    return this.overlapNames;
  }

  /**
   * {@link nameOverlaps} worked out: an object by its value, a static group member by member (not as a
   * union). An address entry's value is read without its object being made when it is not made
   * ({@link meetsOfNode}; its value worked out again at each question: most objects a rule side
   * names are asked about here only), a made object's set as resolving reads it.
   */
  private overlapUncached(scope: Scope | undefined, name: string, hosts: AddrSet, depth: number, memo: OverlapMemo | undefined): boolean {
    if (depth <= 32 && name !== 'any') {
      // The object's value read without making the object if it is not made (most are asked once).
      this.meetsHosts = hosts;
      const met = peekRead(scope, 'addresses', name, this.meetsOfNode, this.meetsOfObject);
      if (met !== undefined) return met;
      const grp = lookup(scope, 'addressGroups', name);
      if (grp) {
        // A dynamic group gets its members at run time: it names no host here.
        if (grp.dynamic) return false;
        const seen = this.overlapCache.get(grp);
        if (seen && seen.hosts === hosts) return seen.v;
        let v = false;
        const members = grp.staticNames;
        for (let i = 0; i < members.length; i++) {
          // Members resolve in the group's own scope.
          if (this.nameOverlaps(grp.scope, members[i]!, hosts, depth + 1, memo)) {
            v = true;
            break;
          }
        }
        this.overlapCache.set(grp, { hosts, v });
        return v;
      }
      // Not an object or a group: an external list, a region or an unknown name stands for no known
      // address (see addressNotObject), a literal for itself.
      if (THREAT_EDLS.has(name) || lookup(scope, 'externalLists', name)) return false;
      const lit = parseAddress(name);
      return lit !== undefined && addrOverlaps(lit, hosts);
    }
    return addrOverlaps(this.addressName(scope, name, depth).set, hosts);
  }

  addresses(scope: Scope, ml: MemberList, negate: boolean): AddrMatch {
    if (isAny(ml.items)) return { any: true, set: ALL, unknown: [], threatLists: [], negate };
    const sets: AddrSet[] = [];
    const unknown: Unknown[] = [];
    const threatLists: string[] = [];
    for (const m of ml.items) {
      const r = this.addressName(scope, m.value);
      sets.push(r.set);
      for (const u of r.unknown) unknown.push({ reason: u, member: m });
      for (const t of r.threat) threatLists.push(t);
    }
    return { any: false, set: addrUnionAll(sets), unknown, threatLists, negate };
  }

  serviceName(scope: Scope | undefined, name: string, depth = 0): { ports: ProtoPorts; unknown: string[] } {
    const key = scope ?? ({} as Scope);
    let cache = this.svcCache.get(key);
    if (!cache) {
      cache = new Map();
      this.svcCache.set(key, cache);
    }
    const hit = cache.get(name);
    if (hit) return hit;
    const r = this.serviceUncached(scope, name, depth);
    cache.set(name, r);
    return r;
  }

  private serviceUncached(scope: Scope | undefined, name: string, depth: number): { ports: ProtoPorts; unknown: string[] } {
    if (depth > 32) return { ports: NO_PORTS, unknown: [`service group nesting too deep at '${name}'`] };
    const svc = lookup(scope, 'services', name);
    if (svc) {
      if (!svc.protocol || svc.protocol === 'sctp') return { ports: NO_PORTS, unknown: [] };
      const p = svc.port ? parsePorts(svc.port.value) : undefined;
      if (!p) return { ports: NO_PORTS, unknown: [`service '${name}' has an unreadable port '${svc.port?.value ?? ''}'`] };
      return { ports: svc.protocol === 'tcp' ? { tcp: p, udp: [] } : { tcp: [], udp: p }, unknown: [] };
    }
    const grp = lookup(scope, 'serviceGroups', name);
    if (grp) {
      let ports: ProtoPorts = NO_PORTS;
      const unknown: string[] = [];
      for (const m of grp.members) {
        const r = this.serviceName(grp.scope, m.value, depth + 1);
        ports = { tcp: ivUnion(ports.tcp, r.ports.tcp), udp: ivUnion(ports.udp, r.ports.udp) };
        unknown.push(...r.unknown);
      }
      return { ports, unknown };
    }
    const pre = PREDEFINED_SERVICES[name];
    if (pre && Object.prototype.hasOwnProperty.call(PREDEFINED_SERVICES, name)) return { ports: pre, unknown: [] };
    return { ports: NO_PORTS, unknown: [`'${name}' is not a service or service group defined in this config`] };
  }

  services(scope: Scope, ml: MemberList): SvcMatch {
    if (ml.items.some((m) => m.value === 'any') || ml.items.length === 0) {
      return { any: true, appDefault: false, ports: { tcp: ALL_PORTS, udp: ALL_PORTS }, unknown: [], parts: [] };
    }
    let ports: ProtoPorts = NO_PORTS;
    let appDefault = false;
    const unknown: Unknown[] = [];
    const parts: SvcMatch['parts'] = [];
    for (const m of ml.items) {
      if (m.value === 'application-default') {
        appDefault = true;
        continue;
      }
      const r = this.serviceName(scope, m.value);
      ports = { tcp: ivUnion(ports.tcp, r.ports.tcp), udp: ivUnion(ports.udp, r.ports.udp) };
      for (const u of r.unknown) unknown.push({ reason: u, member: m });
      parts.push({ member: m, ports: r.ports });
    }
    return { any: false, appDefault, ports, unknown, parts };
  }

  applicationName(scope: Scope | undefined, name: string, depth = 0): { apps: string[]; unknown: string[]; group: boolean } {
    const key = scope ?? ({} as Scope);
    let cache = this.appCache.get(key);
    if (!cache) {
      cache = new Map();
      this.appCache.set(key, cache);
    }
    const hit = cache.get(name);
    if (hit) return hit;
    let r: { apps: string[]; unknown: string[]; group: boolean };
    const grp = depth > 32 ? undefined : lookup(scope, 'applicationGroups', name);
    if (grp) {
      const apps: string[] = [];
      const unknown: string[] = [];
      for (const m of grp.members) {
        const x = this.applicationName(grp.scope, m.value, depth + 1);
        apps.push(...x.apps);
        unknown.push(...x.unknown);
      }
      r = { apps, unknown, group: true };
    } else if (lookup(scope, 'applicationFilters', name)) {
      r = { apps: [], unknown: [`application filter '${name}' selects App-IDs by attributes`], group: false };
    } else {
      r = { apps: [name], unknown: [], group: false };
    }
    cache.set(name, r);
    return r;
  }

  applications(scope: Scope, ml: MemberList): AppMatch {
    if (isAny(ml.items)) return { any: true, apps: new Set(), unknown: [], parts: [] };
    const apps = new Set<string>();
    const unknown: Unknown[] = [];
    const parts: AppMatch['parts'] = [];
    for (const m of ml.items) {
      const r = this.applicationName(scope, m.value);
      for (const a of r.apps) apps.add(a);
      for (const u of r.unknown) unknown.push({ reason: u, member: m });
      const part: AppMatch['parts'][number] = { member: m, apps: r.apps };
      if (r.group) part.group = m.value;
      parts.push(part);
    }
    return { any: false, apps, unknown, parts };
  }

  /** The rule's meaning; each part is resolved on first use (most rules are only ever asked for one part). */
  compile(rule: Rule): CompiledRule {
    const hit = this.ruleCache.get(rule);
    if (hit) return hit;
    const c = new LazyRule(this, rule);
    this.ruleCache.set(rule, c);
    return c;
  }
}

/** A rule side's zones, from the member names (`any`, or none listed: every zone). */
function zm(names: readonly string[]): ZoneMatch {
  return { any: isAnyName(names), zones: new Set(names) };
}

/** A compiled rule whose parts are computed when first read. */
class LazyRule implements CompiledRule {
  private _from?: ZoneMatch;
  private _to?: ZoneMatch;
  private _src?: AddrMatch;
  private _dst?: AddrMatch;
  private _app?: AppMatch;
  private _svc?: SvcMatch;
  private _extra?: CompiledRule['extra'];

  constructor(
    private readonly r: Resolver,
    readonly rule: Rule,
  ) {}

  get from(): ZoneMatch {
    return (this._from ??= zm(this.rule.fromNames));
  }
  get to(): ZoneMatch {
    return (this._to ??= zm(this.rule.toNames));
  }
  get src(): AddrMatch {
    return (this._src ??= this.r.addresses(this.rule.rulebase.scope, this.rule.source, this.rule.negateSource));
  }
  get dst(): AddrMatch {
    return (this._dst ??= this.r.addresses(this.rule.rulebase.scope, this.rule.destination, this.rule.negateDestination));
  }
  get app(): AppMatch {
    return (this._app ??= this.r.applications(this.rule.rulebase.scope, this.rule.application));
  }
  get svc(): SvcMatch {
    return (this._svc ??= this.r.services(this.rule.rulebase.scope, this.rule.service));
  }
  get extra(): CompiledRule['extra'] {
    if (!this._extra) {
      const out: CompiledRule['extra'] = [];
      const add = (field: string, ml: MemberList): void => {
        if (!isAny(ml.items)) out.push({ field, member: ml.items[0]! });
      };
      add('source-user', this.rule.sourceUser);
      add('category', this.rule.category);
      add('source-hip', this.rule.sourceHip);
      add('destination-hip', this.rule.destinationHip);
      this._extra = out;
    }
    return this._extra;
  }
}
