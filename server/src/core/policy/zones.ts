/**
 * @fileoverview Which zone an address is in, as the firewall decides it: the zone of the interface
 * whose connected subnet or static route holds the address (longest prefix wins), or the env
 * file's `zones` map where the config has no interfaces (e.g. on Panorama).
 */
import type { Network, Scope } from '../model/types';
import type { Environment } from './environment';
import { addrEmpty, addrIntersect, addrKey, addrOverlaps, addrUnion, addrSubtract, parseAddress, parseInterfaceAddress, type AddrSet } from './sets';
import { lookup } from '../model/types';

export type ZonePortion = {
  set: AddrSet;
  zone: string | undefined;
  /** Connected subnet id ("ethernet1/2 10.10.10.1/24") when the portion is on a connected subnet. */
  subnet: string | undefined;
  /** How the zone was found, for traces. */
  via: string;
};

type Entry = { set: AddrSet; zone: string | undefined; subnet: string | undefined; via: string; size: number };

function sizeOf(s: AddrSet): number {
  let n = 0;
  for (let i = 0; i < s.v4.length; i += 2) n += s.v4[i + 1]! - s.v4[i]!;
  for (let i = 0; i < s.v6.length; i += 2) n += Number(s.v6[i + 1]! - s.v6[i]!);
  return n;
}

export class Zoner {
  private readonly entries: Entry[] = [];
  private readonly zonesMemo = new Map<string, Set<string | undefined>>();
  private readonly zonesByObject = new WeakMap<AddrSet, Set<string | undefined>>();
  /** {@link split}'s answers per set object, then by value. */
  private readonly splitByObject = new WeakMap<AddrSet, readonly ZonePortion[]>();
  private readonly splitMemo = new Map<string, readonly ZonePortion[]>();
  /** Zones facing the Internet (default route, or the env file's `internetZones`). */
  readonly internetZones = new Set<string>();
  readonly hasZones: boolean;

  constructor(networks: Network[], env: Environment, scope: Scope | undefined) {
    const zoneOfIf = new Map<string, string>();
    for (const n of networks) for (const z of n.zones) for (const i of z.interfaces) zoneOfIf.set(i, z.name);
    const connected: { set: AddrSet; iface: string; text: string }[] = [];
    for (const n of networks) {
      for (const itf of n.interfaces.values()) {
        for (const ip of itf.ips) {
          let ia = parseInterfaceAddress(ip.value);
          if (!ia) {
            // The interface address may be an address object name.
            const obj = lookup(scope, 'addresses', ip.value);
            const v = obj?.value?.value;
            ia = v ? parseInterfaceAddress(v) : undefined;
          }
          if (!ia) continue;
          connected.push({ set: ia.subnet, iface: itf.name, text: ip.value });
          this.entries.push({ set: ia.subnet, zone: zoneOfIf.get(itf.name), subnet: `${itf.name} ${ip.value}`, via: `connected subnet of ${itf.name}`, size: sizeOf(ia.subnet) });
        }
      }
    }
    for (const n of networks) {
      for (const r of n.routes) {
        const dest = parseAddress(r.destination);
        if (!dest) continue;
        let iface = r.iface;
        if (!iface && r.nexthop) {
          const nh = parseAddress(r.nexthop);
          const c = nh && connected.find((x) => addrOverlaps(x.set, nh));
          iface = c ? c.iface : undefined;
        }
        const zone = iface ? zoneOfIf.get(iface) : undefined;
        this.entries.push({ set: dest, zone, subnet: undefined, via: `static route ${r.destination}${iface ? ` via ${iface}` : ''}`, size: sizeOf(dest) });
        if (zone && (r.destination === '0.0.0.0/0' || r.destination === '::/0')) this.internetZones.add(zone);
      }
    }
    for (const z of env.zones) {
      // Env entries win ties: give them a slightly smaller size.
      this.entries.push({ set: z.set, zone: z.zone, subnet: undefined, via: `.panos-guard.json zones["${z.text}"]`, size: sizeOf(z.set) - 0.5 });
    }
    if (env.internetZones) {
      this.internetZones.clear();
      for (const z of env.internetZones) this.internetZones.add(z);
    }
    this.entries.sort((a, b) => a.size - b.size);
    this.hasZones = this.entries.some((e) => e.zone !== undefined);
  }

  /** The zones an address set touches (undefined: a part no interface, route or env zone covers). */
  zonesOf(set: AddrSet): Set<string | undefined> {
    // Asked for the same few management-host sets over and over: memoised by object, then by value.
    const same = this.zonesByObject.get(set);
    if (same) return same;
    const key = addrKey(set);
    const hit = this.zonesMemo.get(key);
    if (hit) return hit;
    const out = new Set<string | undefined>();
    if (this.zonesMemo.size < 10000) this.zonesMemo.set(key, out);
    this.zonesByObject.set(set, out);
    let rest = set;
    for (const e of this.entries) {
      if (addrEmpty(rest)) return out;
      const part = addrIntersect(rest, e.set);
      if (addrEmpty(part)) continue;
      out.add(e.zone);
      rest = addrSubtract(rest, e.set);
    }
    if (!addrEmpty(rest)) out.add(undefined);
    return out;
  }

  /** Splits an address set by zone (longest prefix first); the rest has zone undefined. */
  split(set: AddrSet): readonly ZonePortion[] {
    // Flows share their address sets (each peer's, the management hosts'): split once per set object.
    const same = this.splitByObject.get(set);
    if (same) return same;
    // Peers whose addresses are unknown (the DNS and NTP servers, the update servers…) are each their
    // own object for all addresses: split once by value (the whole space meets every subnet and route).
    const key = set.v4.length + set.v6.length <= 8 ? addrKey(set) : undefined;
    const known = key !== undefined ? this.splitMemo.get(key) : undefined;
    if (known) {
      this.splitByObject.set(set, known);
      return known;
    }
    const out: ZonePortion[] = [];
    this.splitByObject.set(set, out);
    if (key !== undefined) this.splitMemo.set(key, out);
    let rest = set;
    for (const e of this.entries) {
      if (addrEmpty(rest)) break;
      const part = addrIntersect(rest, e.set);
      if (addrEmpty(part)) continue;
      rest = addrSubtract(rest, e.set);
      const prev = out.find((o) => o.zone === e.zone && o.subnet === e.subnet && o.via === e.via);
      if (prev) prev.set = addrUnion(prev.set, part);
      else out.push({ set: part, zone: e.zone, subnet: e.subnet, via: e.via });
    }
    if (!addrEmpty(rest)) out.push({ set: rest, zone: undefined, subnet: undefined, via: 'no interface, route or .panos-guard.json zone covers it' });
    return out;
  }
}
