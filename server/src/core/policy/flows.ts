/**
 * @fileoverview Required flows: the catalog entries whose triggers hold in this environment,
 * turned into concrete flows (source set, destination set, protocol, ports, App-IDs).
 */
import type { CatalogEntry, CatalogFlow, PeerKind, Protocol } from '../catalog/load';
import type { Environment, PeerSet } from './environment';
import { isSubject, peerLabel } from './environment';
import { addrEmpty, addrToString, addrUnion, EMPTY, ivUnion, parsePorts, portsToString, type AddrSet, type PortSet } from './sets';

export type RequiredFlow = {
  /** Stable id: `<catalog id>/<flow id>[/reverse][/<proto>-<ports>]`. */
  id: string;
  entry: CatalogEntry;
  cflow: CatalogFlow;
  srcKind: PeerKind;
  dstKind: PeerKind;
  src: AddrSet;
  dst: AddrSet;
  protocol: Protocol;
  ports: PortSet;
  apps: string[];
  /** 'all': every address must be allowed (known peers); 'some': at least one (unknown peers). */
  coverage: 'all' | 'some';
  label: string;
  /** Peer host names that could not be resolved (FQDNs without an env `fqdn` entry). */
  unresolved: string[];
  /** Why the flow is required (the trigger and where it came from). */
  why: string;
};

export type SkippedFlow = { id: string; label: string; why: string };

/** Default ports of user-controlled services, per server-profile transport. */
function profilePort(entry: CatalogEntry, transport: string | undefined, port: string | undefined): { protocol: Protocol; ports: string } | undefined {
  const t = (transport ?? '').toUpperCase();
  const specs = entry.ports;
  let spec = specs[0];
  if (t === 'SSL') spec = specs.find((s) => s.ssl) ?? spec;
  else if (t === 'TCP') spec = specs.find((s) => s.protocol === 'tcp' && !s.ssl) ?? spec;
  else if (t === 'UDP') spec = specs.find((s) => s.protocol === 'udp') ?? spec;
  else spec = specs.find((s) => s.protocol === 'udp') ?? specs[0];
  if (!spec) return undefined;
  // The catalog lists several default ports (25,587; 389,636): a profile uses one of them.
  const first = spec.ports.split(',')[0]!;
  return { protocol: spec.protocol, ports: port && /^\d+$/.test(port) ? port : first };
}

export function requiredFlows(env: Environment): { flows: RequiredFlow[]; skipped: SkippedFlow[] } {
  const flows: RequiredFlow[] = [];
  const skipped: SkippedFlow[] = [];
  for (const entry of env.catalog.entries) {
    for (const cflow of entry.flows) {
      const feat = env.features.get(cflow.trigger);
      const baseId = `${entry.id}/${cflow.id}`;
      if (!feat?.on) {
        skipped.push({ id: baseId, label: cflow.label, why: feat?.why ?? 'not in use' });
        continue;
      }
      const dirs: [PeerKind, PeerKind, string][] = [[cflow.src, cflow.dst, '']];
      if (cflow.bidirectional) dirs.push([cflow.dst, cflow.src, '/reverse']);
      for (const [sk, dk, suffix] of dirs) {
        const sp = env.peers.get(sk)!;
        const dp = env.peers.get(dk)!;
        const missingSubject = [sp, dp].find((p) => isSubject(p.kind) && addrEmpty(p.set));
        if (missingSubject) {
          skipped.push({ id: baseId + suffix, label: cflow.label, why: `no address known for ${env.catalog.peers[missingSubject.kind]}` });
          continue;
        }
        const apps = cflow.appIds ?? entry.appIds;
        const coverage = sp.known && dp.known ? 'all' : 'some';
        const why = feat.why;
        const serverPeer = [sp, dp].find((p) => p.servers && p.servers.length > 0);
        if (entry.userPorts || serverPeer) {
          // User-controlled ports: one flow per (protocol, port) the server profiles use.
          const groups = new Map<string, { protocol: Protocol; ports: string; set: AddrSet }>();
          const peer = serverPeer;
          if (peer?.servers) {
            for (const s of peer.servers) {
              const pp = profilePort(entry, s.transport, s.port);
              if (!pp || !s.set) continue;
              const key = `${pp.protocol}-${pp.ports}`;
              const g = groups.get(key);
              if (g) g.set = addrUnion(g.set, s.set);
              else groups.set(key, { ...pp, set: s.set });
            }
          }
          if (groups.size === 0) {
            const pp = profilePort(entry, undefined, undefined)!;
            groups.set(`${pp.protocol}-${pp.ports}`, { ...pp, set: EMPTY });
          }
          for (const [key, g] of groups) {
            const peerSet = addrEmpty(g.set) ? undefined : g.set;
            const src = peerSet && peer === sp ? peerSet : sp.set;
            const dst = peerSet && peer === dp ? peerSet : dp.set;
            const ports = parsePorts(g.ports)!;
            flows.push(make(env, entry, cflow, sk, dk, src, dst, g.protocol, ports, apps, coverage, `${baseId}${suffix}${groups.size > 1 ? `/${key}` : ''}`, why, sp, dp));
          }
          continue;
        }
        const byProto = new Map<Protocol, PortSet>();
        for (const spec of entry.ports) {
          const p = parsePorts(spec.ports)!;
          byProto.set(spec.protocol, ivUnion(byProto.get(spec.protocol) ?? [], p));
        }
        for (const [protocol, ports] of byProto) {
          const id = `${baseId}${suffix}${byProto.size > 1 ? `/${protocol}` : ''}`;
          flows.push(make(env, entry, cflow, sk, dk, sp.set, dp.set, protocol, ports, apps, coverage, id, why, sp, dp));
        }
      }
    }
  }
  return { flows, skipped };
}

/**
 * An unknown peer talks to a management host only in the address families that host has: a Panorama
 * with an IPv4 address only needs no IPv6 rule (and no IPv6 zone).
 */
function sameFamilies(other: AddrSet, subject: AddrSet): AddrSet {
  return { v4: subject.v4.length ? other.v4 : [], v6: subject.v6.length ? other.v6 : [] };
}

function make(env: Environment, entry: CatalogEntry, cflow: CatalogFlow, sk: PeerKind, dk: PeerKind, src: AddrSet, dst: AddrSet, protocol: Protocol, ports: PortSet, apps: string[], coverage: 'all' | 'some', id: string, why: string, sp: PeerSet, dp: PeerSet): RequiredFlow {
  if (!sp.known && dp.known) src = sameFamilies(src, dst);
  if (!dp.known && sp.known) dst = sameFamilies(dst, src);
  const sl = sp.known ? `${env.catalog.peers[sk]} ${addrLabel(src)}` : peerLabel(env, sk);
  const dl = dp.known ? `${env.catalog.peers[dk]} ${addrLabel(dst)}` : peerLabel(env, dk);
  return {
    id,
    entry,
    cflow,
    srcKind: sk,
    dstKind: dk,
    src,
    dst,
    protocol,
    ports,
    apps,
    coverage,
    label: `${sl} → ${dl} ${protocol}/${portsToString(ports)} (${apps.join(', ')})`,
    unresolved: [...sp.unresolved, ...dp.unresolved],
    why,
  };
}

function addrLabel(s: AddrSet): string {
  return addrToString(s, 3);
}
