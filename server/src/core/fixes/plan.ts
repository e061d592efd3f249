/**
 * @fileoverview Plans the catalog-derived rule set for one place of a config: discrete allow rules
 * per direction and peer group ("define discreet rules wherever possible"), custom services for
 * ports outside an App-ID's defaults, address objects where none exists (existing ones that mean
 * the same are reused), and the final logged deny rules. Names are deterministic and never collide.
 */
import type { PeerKind } from '../catalog/load';
import type { AddressObject, ConfigModel, Rule, Rulebase, Scope } from '../model/types';
import { allRulebases, peekEntries } from '../model/types';
import type { Environment } from '../policy/environment';
import { appDefaultPorts, type EvalContext, type FlowResult } from '../policy/evaluate';
import type { RequiredFlow } from '../policy/flows';
import type { Resolver } from '../policy/resolve';
import type { Zoner } from '../policy/zones';
import { addrEqual, addrKey, addrToString, addrUnion, ivSubtract, parseAddress, portsToString, type AddrSet } from '../policy/sets';
import type { ObjectDraft, RuleDraft } from './render';

export type PlannedObject = ObjectDraft & { scope: Scope | undefined };

export type Plan = {
  objects: PlannedObject[];
  allows: RuleDraft[];
  denies: RuleDraft[];
  /** Things the title should say (no profile group, unknown peers…). */
  notes: string[];
  /** Flows the allows cover. */
  flows: RequiredFlow[];
};

const SUBJECT_NAMES: Partial<Record<PeerKind, string>> = { panorama: 'Panorama', logCollectors: 'Log-Collector', haPeer: 'Panorama-HA-peer', managementHosts: 'Panorama' };

/** Short peer names for rule names (PAN-OS rule names: 63 characters). */
const RULE_NAMES: Partial<Record<PeerKind, string>> = { managementHosts: 'Panorama-LC', paloaltoCloud: 'PANW cloud' };

/**
 * What the fixes look up in a model's rules, computed once per model: each finding's fix would
 * otherwise walk every rule of every rulebase (O(findings x rules); 4,000 allow-any rules gave 20,000
 * findings and took 6-9 s, 100,000 rules never finished).
 */
type RuleIndex = {
  /** Names used by the model's rules (lower case). */
  names?: Set<string>;
  /** Rules by rulebase location and name (the first rulebase of a location, the first rule of a name). */
  byLocation?: Map<string, Map<string, Rule>>;
  /** The profile group and log forwarding profile that enabled allow rules use most. */
  mostUsed?: Profiles;
  /** pickProfiles() per scope. */
  profiles?: Map<Scope | undefined, Profiles>;
};
const ruleIndexes = new WeakMap<ConfigModel, RuleIndex>();

function ruleIndex(m: ConfigModel): RuleIndex {
  let ix = ruleIndexes.get(m);
  if (!ix) {
    ix = {};
    ruleIndexes.set(m, ix);
  }
  return ix;
}

/** Forgets everything cached about a model's rules (a rule was replaced by an incremental edit). */
export function invalidateRuleNames(m: ConfigModel): void {
  ruleIndexes.delete(m);
}

/** Names used by a model's rules (lower case). */
function ruleNamesOf(m: ConfigModel): Set<string> {
  const ix = ruleIndex(m);
  if (!ix.names) {
    ix.names = new Set();
    for (const rb of allRulebases(m)) for (const r of rb.rules) ix.names.add(r.name.toLowerCase());
  }
  return ix.names;
}

/**
 * The rule a finding names: the first rule called `name` in the first rulebase at `location` (what a
 * search through allRulebases() finds), from an index built once per model.
 */
export function ruleAt(m: ConfigModel, location: string, name: string): Rule | undefined {
  const ix = ruleIndex(m);
  if (!ix.byLocation) {
    ix.byLocation = new Map();
    for (const rb of allRulebases(m)) {
      if (ix.byLocation.has(rb.location)) continue;
      const byName = new Map<string, Rule>();
      for (const r of rb.rules) if (!byName.has(r.name)) byName.set(r.name, r);
      ix.byLocation.set(rb.location, byName);
    }
  }
  return ix.byLocation.get(location)?.get(name);
}

/** Whether lower-casing may change `s` (an ASCII capital, or any character past ASCII); reads it in place. */
function mayHaveCapitals(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return true;
  }
  return false;
}

/**
 * Per scope: whether an object name is taken (in any case), address objects and groups by the exact
 * address set they mean, services by protocol and port. Built once per scope, the address part only
 * as far as lookups need: the objects are read in order until the set asked for is met (a fix asks
 * for a few sets; reading and resolving every object of a large scope for them was most of computing
 * the fixes).
 */
class ScopeIndex {
  /**
   * The names that lower-casing changes, lower-cased (made at the first question): a name already in
   * lower case is answered by its map. Before, every name of the scope was copied in lower case into
   * one set (110,000 in the generated 50 MB firewall: ~9 MB allocated and ~6 MB kept per analysis).
   */
  private capitals: Set<string> | undefined;
  /** Sets read so far → the first object or group (in scope order) meaning it. */
  private readonly byAddr = new Map<string, string>();
  /** Objects, then groups, not read yet (undefined: all read). */
  private pending: Iterator<[string, AddressObject]> | undefined;
  private groupsPending: boolean;
  private byServiceMap: Map<string, string> | undefined;

  constructor(
    private readonly scope: Scope,
    private readonly resolver: Resolver | undefined,
  ) {
    // Read without keeping the objects made for it: an object meaning the set is named, not kept.
    this.pending = peekEntries(scope.addresses);
    this.groupsPending = resolver !== undefined;
  }

  /** Whether an object of this scope is called `lower` (given in lower case) in any case. */
  has(lower: string): boolean {
    const s = this.scope;
    const maps: Map<string, unknown>[] = [s.addresses, s.addressGroups, s.services, s.serviceGroups, s.applicationGroups, s.tags];
    for (const m of maps) if (m.has(lower)) return true;
    if (!this.capitals) {
      this.capitals = new Set();
      for (const m of maps) for (const k of m.keys()) if (mayHaveCapitals(k)) this.capitals.add(k.toLowerCase());
    }
    return this.capitals.has(lower);
  }

  /** Records `name` for the set of key `k` unless an earlier object or group means it. */
  private add(k: string, name: string): void {
    if (!this.byAddr.has(k)) this.byAddr.set(k, name);
  }

  /** The first address object, else group, of this scope meaning exactly the set of `key`. */
  address(key: string): string | undefined {
    const hit = this.byAddr.get(key);
    if (hit !== undefined) return hit;
    if (this.pending) {
      for (let r = this.pending.next(); !r.done; r = this.pending.next()) {
        const [name, o] = r.value;
        // Type and text without spans: most objects read here are never shown.
        const tt = o.typeAndText;
        if ((tt.type === 'ip-netmask' || tt.type === 'ip-range') && tt.text !== undefined) {
          const p = parseAddress(tt.text);
          if (!p) continue;
          const k = addrKey(p);
          this.add(k, name);
          if (k === key) return this.byAddr.get(k);
        }
      }
      this.pending = undefined;
    }
    if (this.groupsPending) {
      // Groups come after every object (an object meaning the set is preferred); read all of them at once.
      this.groupsPending = false;
      for (const name of this.scope.addressGroups.keys()) {
        const r = this.resolver!.addressName(this.scope, name);
        if (r.unknown.length === 0) this.add(addrKey(r.set), name);
      }
      return this.byAddr.get(key);
    }
    return undefined;
  }

  /** Service objects by protocol and port (whitespace removed): the first one of the scope. */
  get byService(): Map<string, string> {
    if (!this.byServiceMap) {
      this.byServiceMap = new Map();
      for (const [name, o] of this.scope.services) {
        if (!o.port || !o.protocol) continue;
        const k = serviceKey(o.protocol, o.port.value.replace(/\s/g, ''));
        if (!this.byServiceMap.has(k)) this.byServiceMap.set(k, name);
      }
    }
    return this.byServiceMap;
  }
}
const scopeIndex = new WeakMap<Scope, ScopeIndex>();

/** Forgets a scope's index of object names and values (an object of it was made again, `incremental.ts`). */
export function invalidateObjectIndex(scope: Scope): void {
  scopeIndex.delete(scope);
}

function serviceKey(protocol: string, ports: string): string {
  return `${protocol}\0${ports}`;
}

function indexOf(scope: Scope, resolver: Resolver | undefined): ScopeIndex {
  let ix = scopeIndex.get(scope);
  if (!ix) {
    ix = new ScopeIndex(scope, resolver);
    scopeIndex.set(scope, ix);
  }
  return ix;
}

/** Naming and object reuse within one scope chain. Indexes are built once per model and scope. */
export class Namer {
  /** Names taken by this fix (lower case); shared between namers of one fix so that they never collide. */
  private readonly used: Set<string>;
  private readonly base: { has(lower: string): boolean }[];
  readonly created: PlannedObject[] = [];

  constructor(
    model: ConfigModel | undefined,
    private readonly scope: Scope | undefined,
    private readonly resolver: Resolver | undefined,
    reserved: Set<string> = new Set(),
  ) {
    this.used = reserved;
    this.base = [];
    if (model) this.base.push(ruleNamesOf(model));
    for (let s = scope; s; s = s.parent) this.base.push(indexOf(s, resolver));
  }

  private taken(n: string): boolean {
    const l = n.toLowerCase();
    return this.used.has(l) || this.base.some((b) => b.has(l));
  }

  /** A name not used by any rule or object: `base`, `base-2`, … (PAN-OS names: 63 chars). */
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9 ._-]/g, '-').slice(0, 58);
    let n = clean;
    for (let i = 2; this.taken(n); i++) n = `${clean}-${i}`;
    this.used.add(n.toLowerCase());
    return n;
  }

  /** An existing address object or group (or one created by this plan) meaning exactly `set`. */
  private existingAddress(set: AddrSet): string | undefined {
    const key = addrKey(set);
    if (this.resolver) {
      for (let s = this.scope; s; s = s.parent) {
        const hit = indexOf(s, this.resolver).address(key);
        if (hit) return hit;
      }
    }
    for (const c of this.created) {
      if (c.type === 'address') {
        const p = parseAddress(c.value);
        if (p && addrEqual(p, set)) return c.name;
      }
    }
    return undefined;
  }

  /** Address members meaning exactly `set`: existing objects or groups, else new address objects (one per block). */
  addresses(set: AddrSet, kind: PeerKind, env: Environment): string[] {
    const whole = this.existingAddress(set);
    if (whole) return [whole];
    const label = SUBJECT_NAMES[kind] ?? env.catalog.peers[kind].replace(/\s+/g, '-');
    // Each run of addresses (an interval) by an object meaning it whole (a range object), else by its
    // printed parts (hosts, prefixes, ranges), each by an object meaning it or a new one.
    const out: string[] = [];
    const runs: AddrSet[] = [];
    for (let i = 0; i < set.v4.length; i += 2) runs.push({ v4: [set.v4[i]!, set.v4[i + 1]!], v6: [] });
    for (let i = 0; i < set.v6.length; i += 2) runs.push({ v4: [], v6: [set.v6[i]!, set.v6[i + 1]!] });
    for (const run of runs) {
      const found = runs.length > 1 ? this.existingAddress(run) : undefined;
      if (found) out.push(found);
      else out.push(...this.addressParts(run, label, kind, env));
    }
    return out;
  }

  /** {@link addresses} for one run of addresses: each printed part by an object meaning it or a new one. */
  private addressParts(set: AddrSet, label: string, kind: PeerKind, env: Environment): string[] {
    const parts = addrToString(set, 1000).split(', ');
    return parts.map((p) => {
      const ps = parseAddress(p.includes('-') || p.includes('/') ? p : p);
      const found = ps ? this.existingAddress(ps) : undefined;
      if (found) return found;
      const name = this.unique(`${label}-${p.replace('/', '_')}`);
      const value = p.includes('-') || p.includes('/') ? p : p.includes(':') ? `${p}/128` : `${p}/32`;
      this.created.push({ type: 'address', name, value, description: `${env.catalog.peers[kind]} (panos-guard)`, scope: this.scope });
      return name;
    });
  }

  /** A service object for protocol/port: existing one reused, else `tcp-28`. */
  service(protocol: 'tcp' | 'udp', ports: string): string {
    // From the scope indexes: scanning every service object per call made each narrowing fix O(services).
    const key = serviceKey(protocol, ports);
    for (let s = this.scope; s; s = s.parent) {
      const hit = indexOf(s, this.resolver).byService.get(key);
      if (hit !== undefined) return hit;
    }
    for (const c of this.created) if (c.type === 'service' && c.protocol === protocol && c.port === ports) return c.name;
    const name = this.unique(`${protocol}-${ports.replace(/,/g, '_')}`);
    this.created.push({ type: 'service', name, protocol, port: ports, description: 'custom service for an App-ID on a non-default port (panos-guard)', scope: this.scope });
    return name;
  }
}

export type Profiles = { profileGroup: string | undefined; logSetting: string | undefined };

/** The most used of `vals` (ties: the first by name), ignoring undefined and empty ones. */
function mostUsed(vals: (string | undefined)[]): string | undefined {
  const m = new Map<string, number>();
  for (const v of vals) if (v) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The profile group and log forwarding profile most used by a model's enabled allow rules, counted once per model. */
function mostUsedProfiles(model: ConfigModel): Profiles {
  const ix = ruleIndex(model);
  if (!ix.mostUsed) {
    const rules: Rule[] = allRulebases(model).flatMap((rb) => rb.rules).filter((r) => r.action === 'allow' && !r.disabled);
    // Names without spans: every allow rule is counted, and its spans are never shown.
    ix.mostUsed = { profileGroup: mostUsed(rules.map((r) => r.profileGroupName)), logSetting: mostUsed(rules.map((r) => r.logSettingName)) };
  }
  return ix.mostUsed;
}

/**
 * The profile group and log forwarding profile most used by existing allow rules (else the first defined).
 * Called for every PANO020/PANO021 finding and every planned rule set, so the count is made once per model
 * and the answer kept per scope (recounting every rule per finding was O(findings x rules)).
 */
export function pickProfiles(model: ConfigModel | undefined, scope: Scope | undefined): Profiles {
  if (!model) return profilesFor({ profileGroup: undefined, logSetting: undefined }, scope);
  const ix = ruleIndex(model);
  ix.profiles ??= new Map();
  let p = ix.profiles.get(scope);
  if (!p) {
    p = profilesFor(mostUsedProfiles(model), scope);
    ix.profiles.set(scope, p);
  }
  return { ...p };
}

/** The config's most used profiles if `scope` sees them, else the first ones defined along its chain. */
function profilesFor(used: Profiles, scope: Scope | undefined): Profiles {
  const visible = (name: string, kind: 'profileGroups' | 'logForwarding'): boolean => {
    for (let s = scope; s; s = s.parent) if (s[kind].has(name)) return true;
    return false;
  };
  let pg = used.profileGroup;
  if (pg && !visible(pg, 'profileGroups')) pg = undefined;
  let ls = used.logSetting;
  if (ls && !visible(ls, 'logForwarding')) ls = undefined;
  for (let s = scope; s && !pg; s = s.parent) pg = firstKey(s.profileGroups);
  for (let s = scope; s && !ls; s = s.parent) ls = firstKey(s.logForwarding);
  return { profileGroup: pg, logSetting: ls };
}

/** A map's first key (without copying every key into an array). */
function firstKey<K>(m: Map<K, unknown>): K | undefined {
  for (const k of m.keys()) return k;
  return undefined;
}

function zonesOf(zoner: Zoner | undefined, set: AddrSet): string[] {
  if (!zoner || !zoner.hasZones) return ['any'];
  const parts = zoner.split(set);
  if (parts.some((p) => p.zone === undefined)) return ['any'];
  return [...new Set(parts.map((p) => p.zone!))].sort();
}

function isMgmt(k: PeerKind): boolean {
  return k === 'panorama' || k === 'logCollectors' || k === 'managementHosts' || k === 'haPeer';
}

function peerName(env: Environment, k: PeerKind): string {
  return RULE_NAMES[k] ?? env.catalog.peers[k];
}

/** Plans allow rules for `flows` (grouped by direction and peers) and, if asked, the final denies. */
export function planRuleSet(opts: {
  model: ConfigModel | undefined;
  env: Environment;
  resolver: Resolver | undefined;
  zoner: Zoner | undefined;
  scope: Scope | undefined;
  flows: RequiredFlow[];
  /** Final deny rules to plan: traffic to and/or from the management hosts. */
  denies: ('to' | 'from')[];
  namer?: Namer;
  /** Limit the allows to these firewalls (rules placed in an ancestor device group's rulebase). */
  target?: string[];
  /** Profile group and log forwarding profile to use instead of the config's (generate). */
  profiles?: { profileGroup: string | undefined; logSetting: string | undefined };
}): Plan {
  const { env, zoner } = opts;
  const namer = opts.namer ?? new Namer(opts.model, opts.scope, opts.resolver);
  const { profileGroup, logSetting } = opts.profiles ?? pickProfiles(opts.model, opts.scope);
  const notes: string[] = [];
  if (!profileGroup) notes.push('no profile group to attach');
  const common = { action: 'allow' as const, ...(logSetting ? { logSetting } : {}), ...(profileGroup ? { profileGroup } : {}) };
  // Group flows: same source kind, destination kind, and service kind (default ports or custom).
  const groups = new Map<string, { flows: RequiredFlow[]; custom: boolean }>();
  for (const f of opts.flows) {
    const custom = f.apps.some((a) => {
      const d = appDefaultPorts(env, a, f.protocol);
      return !d || ivSubtract(f.ports, d).length > 0;
    });
    const key = `${f.srcKind}>${f.dstKind}${custom ? `>custom:${f.protocol}/${portsToString(f.ports)}` : ''}`;
    const g = groups.get(key);
    if (g) g.flows.push(f);
    else groups.set(key, { flows: [f], custom });
  }
  const allows: RuleDraft[] = [];
  for (const { flows, custom } of groups.values()) {
    const f0 = flows[0]!;
    const srcPeer = env.peers.get(f0.srcKind)!;
    const dstPeer = env.peers.get(f0.dstKind)!;
    let src: AddrSet = f0.src;
    let dst: AddrSet = f0.dst;
    for (const f of flows.slice(1)) {
      src = addrUnion(src, f.src);
      dst = addrUnion(dst, f.dst);
    }
    const source = srcPeer.known ? namer.addresses(src, f0.srcKind, env) : ['any'];
    const destination = dstPeer.known ? namer.addresses(dst, f0.dstKind, env) : ['any'];
    if (!srcPeer.known && !isMgmt(f0.srcKind)) notes.push(`${peerName(env, f0.srcKind)} unknown: source any (name them in .panos-guard.json)`);
    const apps = [...new Set(flows.flatMap((f) => f.apps))];
    const service = custom ? [...new Set(flows.map((f) => namer.service(f.protocol, portsToString(f.ports))))] : ['application-default'];
    const from = srcPeer.known ? zonesOf(zoner, src) : ['any'];
    const to = dstPeer.known ? zonesOf(zoner, dst) : zoner && f0.dstKind === 'paloaltoCloud' && zoner.internetZones.size > 0 ? [...zoner.internetZones].sort() : ['any'];
    const base = `Allow ${peerName(env, f0.srcKind)} to ${peerName(env, f0.dstKind)}${custom ? ` ${flows[0]!.protocol}-${portsToString(flows[0]!.ports)}` : ''}`;
    allows.push({
      name: namer.unique(base),
      from,
      to,
      source,
      destination,
      application: apps,
      service,
      ...common,
      ...(opts.target && opts.target.length ? { target: { devices: opts.target } } : {}),
      description: `panos-guard: ${[...new Set(flows.map((f) => f.cflow.label))].join(', ')} (${[...new Set(flows.map((f) => f.entry.id))].join(', ')})`,
    });
  }
  const denies: RuleDraft[] = [];
  if (opts.denies.length > 0) {
    const mgmt = namer.addresses(env.mgmtHosts, 'managementHosts', env);
    const log = { logEnd: true, ...(logSetting ? { logSetting } : {}) };
    if (opts.denies.includes('to')) denies.push({ name: namer.unique('Deny other traffic to Panorama'), from: ['any'], to: ['any'], source: ['any'], destination: mgmt, application: ['any'], service: ['any'], action: 'deny', ...log, description: 'panos-guard: deny and log all other traffic to Panorama/Log Collectors' });
    if (opts.denies.includes('from')) denies.push({ name: namer.unique('Deny other traffic from Panorama'), from: ['any'], to: ['any'], source: mgmt, destination: ['any'], application: ['any'], service: ['any'], action: 'deny', ...log, description: 'panos-guard: deny and log all other traffic from Panorama/Log Collectors' });
  }
  return { objects: namer.created, allows, denies, notes: [...new Set(notes)], flows: opts.flows };
}

/** Results of a context whose flow no explicit rule allows (blocked, unknown, or allowed only by a default rule). */
export function resultsNeedingRules(results: FlowResult[], ctx: EvalContext): FlowResult[] {
  return results.filter((r) => r.ctx === ctx && (r.verdict === 'blocked' || r.verdict === 'unknown' || (r.verdict === 'allowed' && !r.rule)));
}

/** Flows of a context that no explicit rule allows. */
export function flowsNeedingRules(results: FlowResult[], ctx: EvalContext): RequiredFlow[] {
  return resultsNeedingRules(results, ctx).map((r) => r.flow);
}

/**
 * Where an allow for a flow must go: before the first rule (of a pre or local rulebase) that denies or
 * may deny part of it, else at the end of the context's own rulebase.
 */
export function anchorOf(r: FlowResult): { rb: Rulebase; before: Rule | undefined } {
  let first: Rule | undefined;
  for (const p of r.portions) {
    if (p.outcome === 'allow' || !p.rule || p.rule.rulebase.kind === 'post') continue;
    if (!first || globalIndex(r.ctx, p.rule) < globalIndex(r.ctx, first)) first = p.rule;
  }
  return first ? { rb: first.rulebase, before: first } : { rb: r.ctx.insertion, before: undefined };
}

/** Position of a rule in the context's evaluation order. */
export function globalIndex(ctx: EvalContext, rule: Rule): number {
  let base = 0;
  for (const rb of ctx.rulebases) {
    if (rb === rule.rulebase) return base + rule.index;
    base += rb.rules.length;
  }
  return -1;
}

/** Position of an insertion point (before a rule, or at the end of a rulebase) in evaluation order. */
export function pointIndex(ctx: EvalContext, rb: Rulebase, before: Rule | undefined, after?: Rule): number {
  if (before) return globalIndex(ctx, before) - 0.5;
  if (after) return globalIndex(ctx, after) + 0.5;
  let base = 0;
  for (const x of ctx.rulebases) {
    if (x === rb) return base + rb.rules.length - 1 / 4;
    base += x.rules.length;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** The rulebase a rule set goes into for a blocked flow: the blocker's (pre/local) rulebase, else the context's. */
export function targetRulebase(ctx: EvalContext, blocker: Rule | undefined): Rulebase {
  if (blocker && blocker.rulebase.kind !== 'post') return blocker.rulebase;
  return ctx.insertion;
}
