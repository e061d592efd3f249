/**
 * @fileoverview Who is Panorama, who talks to it: the environment of one config, from the config
 * itself, the `.panos-guard.json` file and CLI shorthands, each fact with where it came from.
 */
import { loadCatalog, type Catalog, type PeerKind, type Trigger } from '../catalog/load';
import type { EnvFile } from '../env/envFile';
import type { Severity } from '../findings';
import type { ConfigModel, ServerProfileKind } from '../model/types';
import type { Span } from '../text';
import { ALL, EMPTY, addrEmpty, addrSubtract, addrToString, addrUnion, parseAddress, publicSpace, type AddrSet } from './sets';

export type Origin = 'config' | 'env' | 'cli';

/** One address fact and where it came from. */
export type AddressFact = { value: string; set: AddrSet | undefined; from: Origin; span?: Span; note?: string };

/** The addresses of one kind of peer. */
export type PeerSet = {
  kind: PeerKind;
  /** Concrete addresses; for an unknown peer a stand-in (every address but Panorama's, or the Internet). */
  set: AddrSet;
  /** True when the addresses come from the config or the env file (every one must be allowed). */
  known: boolean;
  facts: AddressFact[];
  /** Host names that could not be resolved (FQDNs not in the env file's `fqdn`). */
  unresolved: string[];
  /** For server-profile peers: each server with its port and transport. */
  servers?: { host: string; set: AddrSet | undefined; port: string | undefined; transport: string | undefined; profile: string; span?: Span }[];
};

export type Feature = { on: boolean; why: string };

export type Environment = {
  catalog: Catalog;
  peers: Map<PeerKind, PeerSet>;
  features: Map<Trigger, Feature>;
  /** Zones of address ranges from the env file. */
  zones: { set: AddrSet; zone: string; text: string }[];
  internetZones: Set<string> | undefined;
  deviceGroups: string[] | undefined;
  fqdn: Map<string, AddrSet>;
  ruleSeverity: Map<string, Severity | 'off'>;
  /** Panorama, Log Collectors and the HA peer. */
  mgmtHosts: AddrSet;
};

export type CliEnv = { panorama?: string[]; logCollectors?: string[] };

const PROFILE_PEERS: Partial<Record<PeerKind, ServerProfileKind>> = {
  syslogServers: 'syslog',
  emailServers: 'email',
  snmpTrapReceivers: 'snmptrap',
  ldapServers: 'ldap',
  radiusServers: 'radius',
  tacacsServers: 'tacplus',
  kerberosServers: 'kerberos',
};

const PROFILE_TRIGGERS: Partial<Record<Trigger, ServerProfileKind>> = {
  syslogProfile: 'syslog',
  emailProfile: 'email',
  snmpTrapProfile: 'snmptrap',
  ldapProfile: 'ldap',
  radiusProfile: 'radius',
  tacacsProfile: 'tacplus',
  kerberosProfile: 'kerberos',
};

const SUBJECTS: PeerKind[] = ['panorama', 'logCollectors', 'haPeer', 'managementHosts'];

export function isSubject(k: PeerKind): boolean {
  return SUBJECTS.includes(k);
}

function resolveHost(host: string, fqdn: Map<string, AddrSet>): AddrSet | undefined {
  return parseAddress(host) ?? fqdn.get(host.toLowerCase());
}

/** Builds the environment. `file` is the parsed env file (already validated). */
export function buildEnvironment(m: ConfigModel | undefined, file: EnvFile = {}, cli: CliEnv = {}): Environment {
  const catalog = loadCatalog();
  const fqdn = new Map<string, AddrSet>();
  for (const [name, addrs] of Object.entries(file.fqdn ?? {})) {
    let s: AddrSet = EMPTY;
    for (const a of addrs) {
      const p = parseAddress(a);
      if (p) s = addrUnion(s, p);
    }
    fqdn.set(name.toLowerCase(), s);
  }
  const facts = new Map<PeerKind, AddressFact[]>();
  const add = (k: PeerKind, value: string | undefined, from: Origin, span?: Span, note?: string): void => {
    if (!value) return;
    const l = facts.get(k) ?? [];
    if (l.some((f) => f.value === value)) return;
    const fact: AddressFact = { value, set: resolveHost(value, fqdn), from };
    if (span) fact.span = span;
    if (note) fact.note = note;
    l.push(fact);
    facts.set(k, l);
  };
  for (const v of cli.panorama ?? []) add('panorama', v, 'cli');
  for (const v of cli.logCollectors ?? []) add('logCollectors', v, 'cli');
  for (const v of file.panorama ?? []) add('panorama', v, 'env');
  for (const v of file.logCollectors ?? []) add('logCollectors', v, 'env');
  for (const v of file.haPeer ?? []) add('haPeer', v, 'env');
  for (const v of file.managedDevices ?? []) add('managedDevices', v, 'env');
  for (const v of file.adminClients ?? []) add('adminClients', v, 'env');
  for (const [k, l] of Object.entries(file.peers ?? {})) for (const v of l ?? []) add(k as PeerKind, v, 'env');

  const servers = new Map<PeerKind, NonNullable<PeerSet['servers']>>();
  if (m) {
    if (m.kind === 'panorama') {
      add('panorama', m.mgmt.ipAddress?.value, 'config', m.mgmt.ipAddress?.span, 'Panorama management IP');
      add('panorama', m.mgmt.ipv6Address?.value, 'config', m.mgmt.ipv6Address?.span, 'Panorama management IPv6');
      for (const lc of m.logCollectors) add('logCollectors', lc.mgmt.ipAddress?.value, 'config', lc.mgmt.ipAddress?.span, `Log Collector ${lc.serial}`);
      if (m.ha?.enabled && m.ha.peerIp) add('haPeer', m.ha.peerIp.value, 'config', m.ha.peerIp.span, 'HA peer');
      for (const s of m.mgmt.dnsServers) add('dnsServers', s.value, 'config', s.span);
      for (const s of m.mgmt.ntpServers) add('ntpServers', s.value, 'config', s.span);
      for (const s of m.mgmt.scpHosts) add('scpServers', s.value, 'config', s.span);
      // Firewalls' management IPs pushed by templates are managed devices.
      for (const t of m.templates) add('managedDevices', t.mgmt.ipAddress?.value, 'config', t.mgmt.ipAddress?.span, `management IP in ${t.kind} ${t.name}`);
      for (const [peer, kind] of Object.entries(PROFILE_PEERS) as [PeerKind, ServerProfileKind][]) {
        for (const p of m.serverProfiles.filter((x) => x.kind === kind && x.where === 'panorama')) {
          for (const s of p.servers) {
            if (!s.host?.value) continue;
            add(peer, s.host.value, 'config', s.host.span, `${kind} server profile ${p.name}`);
            const l = servers.get(peer) ?? [];
            const entry: NonNullable<PeerSet['servers']>[number] = { host: s.host.value, set: resolveHost(s.host.value, fqdn), port: s.port?.value, transport: s.transport?.value, profile: p.name, span: s.host.span };
            l.push(entry);
            servers.set(peer, l);
          }
        }
      }
    }
    // A firewall (or a template) names its Panorama.
    for (const s of m.mgmt.panoramaServers) add('panorama', s.value, 'config', s.span, 'panorama-server');
    for (const t of m.templates) for (const s of t.mgmt.panoramaServers) add('panorama', s.value, 'config', s.span, `panorama-server in ${t.kind} ${t.name}`);
  }

  const setOf = (k: PeerKind): AddrSet => {
    let s: AddrSet = EMPTY;
    for (const f of facts.get(k) ?? []) if (f.set) s = addrUnion(s, f.set);
    return s;
  };
  const panorama = setOf('panorama');
  const lcs = setOf('logCollectors');
  const ha = setOf('haPeer');
  const mgmtHosts = addrUnion(addrUnion(panorama, lcs), ha);
  const peers = new Map<PeerKind, PeerSet>();
  for (const k of Object.keys(catalog.peers) as PeerKind[]) {
    let f = facts.get(k) ?? [];
    if (k === 'managementHosts') f = [...(facts.get('panorama') ?? []), ...(facts.get('logCollectors') ?? [])];
    const known = f.filter((x) => x.set);
    const unresolved = f.filter((x) => !x.set).map((x) => x.value);
    let set: AddrSet = EMPTY;
    for (const x of known) set = addrUnion(set, x.set!);
    let isKnown = known.length > 0;
    if (!isKnown && !isSubject(k)) {
      // Unknown peer: any address but the management hosts; cloud services: the Internet.
      set = k === 'paloaltoCloud' ? publicSpace() : addrSubtract(ALL, mgmtHosts);
      isKnown = false;
    }
    const ps: PeerSet = { kind: k, set, known: isKnown, facts: f, unresolved };
    const sv = servers.get(k);
    if (sv) ps.servers = sv;
    peers.set(k, ps);
  }

  // Features (catalog triggers).
  const features = new Map<Trigger, Feature>();
  const ff = file.features ?? {};
  const set = (t: Trigger, on: boolean, why: string): void => {
    features.set(t, { on, why });
  };
  const fromFile = (t: Trigger): boolean | undefined => (Object.prototype.hasOwnProperty.call(ff, t) ? (ff as Record<string, boolean>)[t] : undefined);
  const decide = (t: Trigger, on: boolean, why: string): void => {
    const v = fromFile(t);
    if (v !== undefined) set(t, v, `${v ? 'on' : 'off'} in ${'.panos-guard.json'} features.${t}`);
    else set(t, on, why);
  };
  const hasPanorama = !addrEmpty(panorama);
  decide('always', true, 'always required');
  decide('contentUpdates', true, 'Panorama downloads content updates (default; set features.contentUpdates false if it does not)');
  decide('sharedServices', true, 'Panorama uses Palo Alto Networks shared services (default)');
  const managed = (m?.managedDevices.length ?? 0) > 0 || (facts.get('managedDevices')?.length ?? 0) > 0 || (m?.kind === 'firewall' && hasPanorama);
  decide('managedDevices', managed, managed ? (m?.kind === 'firewall' ? 'this firewall is managed by Panorama' : 'Panorama has managed devices') : 'no managed devices found');
  const hasLc = !addrEmpty(lcs);
  decide('logCollectors', hasLc, hasLc ? 'Log Collectors present' : 'no Log Collector addresses');
  decide('managedDevicesWithCollectors', managed && hasLc, managed && hasLc ? 'managed devices and Log Collectors present' : 'needs managed devices and Log Collectors');
  const multi = m?.collectorGroups.find((g) => g.collectors.length > 1);
  decide('collectorGroupMulti', !!multi || (facts.get('logCollectors')?.length ?? 0) > 1, multi ? `Collector Group ${multi.name} has ${multi.collectors.length} Log Collectors` : (facts.get('logCollectors')?.length ?? 0) > 1 ? 'more than one Log Collector' : 'no Collector Group with more than one Log Collector');
  // HA: env features.ha wins, else the config.
  const haMode = Object.prototype.hasOwnProperty.call(ff, 'ha') ? ff.ha : undefined;
  if (haMode !== undefined) {
    set('haEncrypted', haMode === 'encrypted', `features.ha is ${JSON.stringify(haMode)} in .panos-guard.json`);
    set('haCleartext', haMode === 'cleartext', `features.ha is ${JSON.stringify(haMode)} in .panos-guard.json`);
  } else {
    const haOn = !addrEmpty(ha) || (m?.kind === 'panorama' && !!m.ha?.enabled);
    const enc = m?.ha?.encryption;
    decide('haEncrypted', haOn && enc === true, haOn ? (enc === true ? 'HA peer with encryption on' : 'HA encryption off') : 'no HA peer');
    decide('haCleartext', haOn && enc !== true, haOn ? (enc === true ? 'HA encryption on' : enc === false ? 'HA peer with encryption off' : 'HA peer; encryption not enabled in the config') : 'no HA peer');
  }
  for (const [t, kind] of Object.entries(PROFILE_TRIGGERS) as [Trigger, ServerProfileKind][]) {
    const p = m?.kind === 'panorama' ? m.serverProfiles.find((x) => x.kind === kind && x.where === 'panorama' && x.servers.length > 0) : undefined;
    decide(t, !!p, p ? `${kind} server profile ${p.name}` : `no ${kind} server profile on Panorama`);
  }
  decide('snmpPolling', m?.kind === 'panorama' && m.mgmt.snmpPolling, m?.kind === 'panorama' && m.mgmt.snmpPolling ? 'SNMP access configured (snmp-setting)' : 'SNMP polling not configured');
  decide('scpExport', (facts.get('scpServers')?.length ?? 0) > 0, (facts.get('scpServers')?.length ?? 0) > 0 ? 'scheduled SCP export configured' : 'no SCP export');
  decide('nfsStorage', !!m?.nfsStorage, m?.nfsStorage ? 'NFS log storage configured' : 'no NFS storage');
  for (const t of ['trapsEsm', 'panoramaInterconnect', 'ztp', 'cortexDataLake', 'autofocus'] as Trigger[]) {
    decide(t, false, `off unless .panos-guard.json features.${t} is true`);
  }

  const zones: Environment['zones'] = [];
  for (const [cidr, zone] of Object.entries(file.zones ?? {})) {
    const s = parseAddress(cidr);
    if (s) zones.push({ set: s, zone, text: cidr });
  }
  const ruleSeverity = new Map<string, Severity | 'off'>();
  for (const [code, sev] of Object.entries(file.rules ?? {})) ruleSeverity.set(code, sev);
  return {
    catalog,
    peers,
    features,
    zones,
    internetZones: file.internetZones ? new Set(file.internetZones) : undefined,
    deviceGroups: file.deviceGroups,
    fqdn,
    ruleSeverity,
    mgmtHosts,
  };
}

/** "Panorama 10.10.10.5", "managed devices (addresses unknown)". */
export function peerLabel(env: Environment, k: PeerKind): string {
  const p = env.peers.get(k);
  const name = env.catalog.peers[k];
  if (!p) return name;
  if (!p.known) return `${name} (${p.unresolved.length ? p.unresolved.join(', ') + ': ' : ''}addresses unknown)`;
  return `${name} ${addrToString(p.set)}`;
}
