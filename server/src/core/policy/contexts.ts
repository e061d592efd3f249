/**
 * @fileoverview Where to evaluate: each vsys of a firewall, or on Panorama the device groups whose
 * firewalls sit in Panorama's path (named in the env file, else those whose rules reference the
 * Panorama/Log Collector addresses), in PAN-OS order: shared pre → device-group pre (ancestors
 * first) → [local rules] → device-group post (leaf first) → shared post → default rules.
 */
import type { ConfigModel, DefaultRules, DeviceGroup, Network, Rule, Rulebase } from '../model/types';
import type { Environment } from './environment';
import type { EvalContext } from './evaluate';
import type { Resolver } from './resolve';
import { addrEmpty, addrIsAll, addrKey, addrToString } from './sets';
import { Zoner } from './zones';

/** Ancestors of a device group, root first, ending with the group itself. */
export function dgChain(m: ConfigModel, dg: DeviceGroup): DeviceGroup[] {
  const chain: DeviceGroup[] = [dg];
  const seen = new Set([dg.name]);
  let p = dg.parent?.value;
  while (p && !seen.has(p)) {
    seen.add(p);
    const pd = m.deviceGroups.find((d) => d.name === p);
    if (!pd) break;
    chain.unshift(pd);
    p = pd.parent?.value;
  }
  return chain;
}

/**
 * Answers of `referencesMgmt` per rulebase, for the same resolver (same objects and environment inputs) and the same
 * management addresses: an incremental edit re-asks for every device group, and only the edited
 * rulebase can have changed (`invalidateMgmtRefs`).
 */
const mgmtRefs = new WeakMap<Rulebase, { resolver: Resolver; hosts: string; v: boolean }>();

/** Forgets the answer for a rulebase one of whose rules was replaced. */
export function invalidateMgmtRefs(rb: Rulebase): void {
  mgmtRefs.delete(rb);
}

/** Does a rulebase hold a rule whose source or destination names a management host explicitly? */
function referencesMgmt(rb: Rulebase, env: Environment, resolver: Resolver): boolean {
  if (addrEmpty(env.mgmtHosts)) return false;
  const hosts = addrKey(env.mgmtHosts);
  const hit = mgmtRefs.get(rb);
  if (hit && hit.resolver === resolver && hit.hosts === hosts) return hit.v;
  const v = referencesMgmtUncached(rb, env, resolver);
  mgmtRefs.set(rb, { resolver, hosts, v });
  return v;
}

function referencesMgmtUncached(rb: Rulebase, env: Environment, resolver: Resolver): boolean {
  // Member by member: no rule is compiled and no group's union is built unless a member meets a
  // management host (few do), which on a large Panorama is most of the cost of choosing its device
  // groups. Nothing is kept for the answers either: not the rules' address members, not the objects
  // they name, not an answer per name (most rules are of device groups no flow is evaluated in, and
  // at 50 MB what was kept for them was half of what an analysis kept).
  const mgmt = env.mgmtHosts;
  const names = (r: Rule, side: 'source' | 'destination'): boolean => {
    const members = r.addressNamesOnce(side);
    if (members === undefined) return false;
    const scope = r.rulebase.scope;
    let hit = false;
    for (const n of members) {
      if (n === 'any') return false;
      if (!hit && resolver.nameMeets(scope, n, mgmt, false)) hit = true;
    }
    if (!hit) return false;
    // A member that stands for every address makes the side `any`, not a name of a management host.
    for (const n of members) if (addrIsAll(resolver.addressName(scope, n).set)) return false;
    return true;
  };
  for (const r of rb.rules) {
    if (names(r, 'source') || names(r, 'destination')) return true;
  }
  return false;
}

/** Networks (zones, interfaces, routes) that the firewalls of a device group get from templates. */
function dgNetworks(m: ConfigModel, dg: DeviceGroup): { nets: Network[]; why: string } {
  const serials = new Set(dg.devices.map((d) => d.value));
  const stacks = m.templates.filter((t) => t.devices.some((d) => serials.has(d.value)));
  const nets: Network[] = [];
  const names: string[] = [];
  for (const s of stacks) {
    nets.push(s.network);
    names.push(`${s.kind} ${s.name}`);
    for (const tn of s.templates) {
      const t = m.templates.find((x) => x.kind === 'template' && x.name === tn.value);
      if (t) {
        nets.push(t.network);
        names.push(`template ${t.name}`);
      }
    }
  }
  if (nets.length === 0) {
    const withZones = m.templates.filter((t) => t.network.zones.length > 0);
    const stacksWithZones = withZones.filter((t) => t.kind === 'template-stack');
    if (withZones.length === 1 || (stacksWithZones.length === 0 && withZones.length > 0 && new Set(withZones.map((t) => t.name)).size === 1)) {
      nets.push(withZones[0]!.network);
      return { nets, why: `zones from ${withZones[0]!.kind} ${withZones[0]!.name} (the only one with zones)` };
    }
    return { nets, why: 'no template stack shares devices with this device group' };
  }
  return { nets, why: `zones from ${names.join(', ')}` };
}

function defaultsOf(chain: DeviceGroup[], shared: Rulebase | undefined): { d: DefaultRules | undefined; where: string } {
  for (let i = chain.length - 1; i >= 0; i--) {
    const d = chain[i]!.post.defaults;
    if (d) return { d, where: chain[i]!.post.location };
  }
  return shared?.defaults ? { d: shared.defaults, where: shared.location } : { d: undefined, where: 'PAN-OS defaults (intrazone allow, interzone deny)' };
}

function inPath(zoner: Zoner, env: Environment): { inPath: boolean; why: string } {
  if (addrEmpty(env.mgmtHosts)) return { inPath: false, why: 'no Panorama or Log Collector address is known' };
  for (const p of zoner.split(env.mgmtHosts)) {
    if (p.zone === undefined) continue;
    if (p.subnet !== undefined || p.via.startsWith('.panos-guard.json') || (p.via.startsWith('static route') && !p.via.startsWith('static route 0.0.0.0/0') && !p.via.startsWith('static route ::/0'))) {
      return { inPath: true, why: `${addrToString(p.set, 2)} is in zone ${p.zone} (${p.via})` };
    }
  }
  return { inPath: false, why: `no zone of this firewall holds ${addrToString(env.mgmtHosts, 3)} other than through a default route` };
}

export function buildContexts(m: ConfigModel, env: Environment, resolver: Resolver): EvalContext[] {
  const out: EvalContext[] = [];
  if (m.kind !== 'panorama') {
    const multi = m.vsys.length > 1;
    for (const v of m.vsys) {
      const net: Network = { zones: multi ? m.network.zones.filter((z) => z.where === v.name) : m.network.zones, interfaces: m.network.interfaces, routes: m.network.routes };
      const zoner = new Zoner([net], env, v.scope);
      const ip = inPath(zoner, env);
      const rulebases = [m.sharedPre, v.rulebase, m.sharedPost].filter((x): x is Rulebase => !!x);
      out.push({
        id: `vsys:${v.name}`,
        label: `vsys ${v.name}`,
        rulebases,
        defaults: v.rulebase.defaults,
        defaultsWhere: v.rulebase.defaults ? `${v.rulebase.location} default-security-rules` : 'PAN-OS defaults (intrazone allow, interzone deny)',
        zoner,
        insertion: v.rulebase,
        because: multi ? `vsys ${v.name}` : 'the firewall',
        device: undefined,
        panorama: false,
        inPath: ip.inPath,
        inPathWhy: ip.why,
      });
    }
    return out;
  }
  // Panorama: choose the device groups in Panorama's path.
  let chosen: { dg: DeviceGroup; because: string }[] = [];
  if (env.deviceGroups && env.deviceGroups.length > 0) {
    for (const name of env.deviceGroups) {
      const dg = m.deviceGroups.find((d) => d.name === name);
      if (dg) chosen.push({ dg, because: `named in .panos-guard.json deviceGroups` });
    }
  } else {
    for (const dg of m.deviceGroups) {
      if (referencesMgmt(dg.pre, env, resolver) || referencesMgmt(dg.post, env, resolver)) {
        chosen.push({ dg, because: `its rules reference ${addrToString(env.mgmtHosts, 3)}` });
      }
    }
    // A parent and its child both chosen: the child's evaluation includes the parent's rules.
    chosen = chosen.filter((c) => !chosen.some((o) => o !== c && dgChain(m, o.dg).includes(c.dg)));
  }
  for (const { dg, because } of chosen) {
    const chain = dgChain(m, dg);
    const rulebases = [m.sharedPre, ...chain.map((d) => d.pre), ...chain.slice().reverse().map((d) => d.post), m.sharedPost].filter((x): x is Rulebase => !!x);
    const { d, where } = defaultsOf(chain, m.sharedPost);
    const { nets, why } = dgNetworks(m, dg);
    const zoner = new Zoner(nets, env, dg.scope);
    // Firewalls named in a rule target behave differently from the rest: evaluate each separately.
    const targetSerials = new Set<string>();
    for (const rb of rulebases) for (const r of rb.rules) for (const t of r.target?.devices ?? []) targetSerials.add(t.serial.value);
    const serials = dg.devices.map((x) => x.value);
    const classes: (string | undefined)[] = serials.filter((s) => targetSerials.has(s));
    if (serials.length === 0 || serials.some((s) => !targetSerials.has(s))) classes.push(undefined);
    for (const device of classes) {
      out.push({
        id: `device-group:${dg.name}${device ? `@${device}` : ''}`,
        label: `device group ${dg.name}${device ? ` (firewall ${device})` : classes.length > 1 ? ' (firewalls not named in a rule target)' : ''}`,
        rulebases,
        defaults: d,
        defaultsWhere: where,
        zoner,
        insertion: dg.pre,
        because: `${because}; ${why}`,
        device,
        targetDevices: device ? [device] : serials,
        panorama: true,
        inPath: true,
        inPathWhy: because,
      });
    }
  }
  if (out.length === 0) {
    const zoner = new Zoner([], env, m.shared);
    const rulebases = [m.sharedPre, m.sharedPost].filter((x): x is Rulebase => !!x);
    // Shared rules go to every managed firewall: if they name Panorama, they protect it.
    const sharedRefs = rulebases.some((rb) => referencesMgmt(rb, env, resolver));
    out.push({
      id: 'shared',
      label: 'shared rulebases',
      rulebases,
      defaults: m.sharedPost?.defaults,
      defaultsWhere: m.sharedPost?.defaults ? 'shared/post default-security-rules' : 'PAN-OS defaults (intrazone allow, interzone deny)',
      zoner,
      insertion: m.sharedPre!,
      because: sharedRefs
        ? `shared rules reference ${addrToString(env.mgmtHosts, 3)} (no device group is named in .panos-guard.json "deviceGroups" or references them)`
        : 'no device group is known to sit in front of Panorama (none is named in .panos-guard.json "deviceGroups" and no device-group rule references the Panorama/Log Collector addresses)',
      device: undefined,
      panorama: true,
      inPath: sharedRefs,
      inPathWhy: sharedRefs ? 'shared rules reference Panorama/Log Collectors' : 'no device group is known to protect Panorama',
    });
  }
  return out;
}
