/** Content of the benchmark configs: realistic objects and security rules as format-neutral trees. */
import { ent, leaf, list, mem, node, type El, type Ent, type Rng } from './generate-lib';

// ---------------------------------------------------------------------------------------------
// Vocabulary (real App-IDs and PAN-OS keywords; the rest is invented)
// ---------------------------------------------------------------------------------------------

/** Real App-ID names, weighted towards the common ones by repetition. */
export const APPS: readonly string[] = [
  'ssl', 'ssl', 'ssl', 'web-browsing', 'web-browsing', 'web-browsing', 'dns', 'dns', 'ntp', 'ssh', 'ssh',
  'panorama', 'paloalto-updates', 'ms-rdp', 'ldap', 'smtp-base', 'snmp', 'syslog', 'kerberos', 'radius',
  'ms-ds-smb', 'msrpc', 'mssql-db', 'mysql', 'oracle', 'ftp', 'ping', 'icmp', 'traceroute', 'dhcp', 'tftp',
  'ms-update', 'google-base', 'office365-enterprise-access', 'zoom', 'webex', 'salesforce-base', 'github-base',
  'citrix', 'vmware', 'ipsec', 'ike', 'openvpn', 'sip', 'rtp', 'netbios-ns', 'netbios-ss', 'active-directory',
  'ms-exchange', 'imap', 'pop3', 'soap', 'http-proxy', 'git-base', 'jira', 'confluence-base', 'slack-base',
];

const WORDS = [
  'web', 'app', 'db', 'api', 'erp', 'crm', 'hr', 'finance', 'backup', 'proxy', 'mail', 'print', 'voip',
  'camera', 'badge', 'scada', 'lab', 'build', 'git', 'jump', 'vpn', 'wifi', 'iot', 'nas', 'dc', 'dns', 'ntp',
  'ldap', 'radius', 'siem', 'edr', 'patch', 'wsus', 'sccm', 'k8s', 'vdi', 'citrix', 'sap', 'pos', 'kiosk',
];
const ENVS = ['prod', 'dev', 'test', 'qa', 'stage', 'dr', 'shared', 'mgmt'];
const TAG_WORDS = [
  'prod', 'dev', 'test', 'pci', 'hipaa', 'sox', 'dmz', 'internal', 'external', 'web', 'db', 'app', 'legacy',
  'temporary', 'vendor', 'cloud', 'onprem', 'critical', 'review', 'migrated', 'decommission', 'owner-neteng',
  'owner-secops', 'owner-apps', 'change-approved', 'inbound', 'outbound', 'east-west', 'quarantine', 'iot',
];
const DESCRIPTIONS = [
  'Requested by application team, see change CHG0012345',
  'R&D build servers <temporary>',
  'Migrated from ASA ruleset',
  "Vendor's remote support access",
  'Allow monitoring & health checks',
  'Legacy access, review by Q3',
  'Per security baseline v2',
  'Created by automation',
  'Access for backup window 22:00-04:00',
  'East-west segmentation -> app tier',
];
const VERBS = ['Allow', 'Allow', 'Allow', 'Permit', 'Block', 'Deny', 'DC', 'Inet', 'Web', 'Mgmt'];
/** Zones every site template defines (rules pick from these). */
export const BASE_ZONES = ['trust', 'untrust', 'dmz', 'servers', 'users', 'guest', 'vpn', 'mgmt'];
export const EXTRA_ZONES = ['voice', 'iot', 'printers', 'cameras', 'backup', 'partners', 'lab', 'pci', 'wifi-corp', 'scada'];
export const LOG_SETTINGS = ['default', 'log-to-panorama'];
export const PROFILE_GROUPS = ['default', 'strict', 'dc-inbound'];

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

// ---------------------------------------------------------------------------------------------
// Object scopes: which names exist where, so rules only reference visible objects
// ---------------------------------------------------------------------------------------------

export type ObjScope = {
  name: string;
  parent: ObjScope | undefined;
  /** Second octet of this scope's 10.x address space, so scopes do not collide. */
  ipBase: number;
  addresses: string[];
  addressGroups: string[];
  services: string[];
  serviceGroups: string[];
  appGroups: string[];
  tags: string[];
  /** Names taken in this scope (PAN-OS shares one namespace between addresses and address groups etc.). */
  used: Set<string>;
  counter: number;
};

export function newScope(name: string, parent: ObjScope | undefined, ipBase: number): ObjScope {
  return { name, parent, ipBase, addresses: [], addressGroups: [], services: [], serviceGroups: [], appGroups: [], tags: [], used: new Set(), counter: 0 };
}

/** A name not yet used in the scope: the candidate, or the candidate with the object index appended. */
function unique(s: ObjScope, candidate: string, idx: number): string {
  let n = candidate;
  if (s.used.has(n)) n = `${candidate}-${idx}`;
  while (s.used.has(n)) n += 'x';
  s.used.add(n);
  return n;
}

type ObjKind = 'addresses' | 'addressGroups' | 'services' | 'serviceGroups' | 'appGroups' | 'tags';

/** Picks a visible name: mostly the scope's own objects, then its ancestors, then shared. */
function pickVisible(rng: Rng, s: ObjScope, kind: ObjKind): string | undefined {
  const chain: ObjScope[] = [];
  for (let x: ObjScope | undefined = s; x; x = x.parent) if (x[kind].length) chain.push(x);
  if (chain.length === 0) return undefined;
  const r = rng.next();
  // Own 60 %, the rest spread over ancestors and shared (the last element of the chain).
  const at = r < 0.6 ? 0 : Math.min(chain.length - 1, 1 + Math.floor(((r - 0.6) / 0.4) * (chain.length - 1)));
  return rng.pick(chain[at]![kind]);
}

function pickMany(rng: Rng, s: ObjScope, kind: ObjKind, n: number): string[] {
  const out = new Set<string>();
  for (let i = 0; i < n * 2 && out.size < n; i++) {
    const v = pickVisible(rng, s, kind);
    if (v !== undefined) out.add(v);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

export function tagEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  const name = unique(s, rng.pick(TAG_WORDS), i);
  s.tags.push(name);
  const k: El[] = [leaf('color', `color${rng.int(1, 16)}`)];
  if (rng.chance(0.3)) k.push(leaf('comments', rng.pick(DESCRIPTIONS)));
  return ent(name, ...k);
}

/** One address object: host, network, range or FQDN; a few carry a description or tags. */
export function addressEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  const b = s.ipBase;
  const c = Math.floor(i / 250) % 256;
  const d = (i % 250) + 2;
  const kind = rng.weighted(['host', 'net', 'range', 'fqdn'], [60, 20, 7, 13]);
  let name: string;
  let value: El;
  const style = rng.next();
  const role = `${rng.pick(WORDS)}-${rng.pick(ENVS)}`;
  if (kind === 'host') {
    const ip = `10.${b}.${c}.${d}`;
    name = style < 0.5 ? `h-${ip}` : style < 0.9 ? `${role}-${pad(i, 4)}` : `${rng.pick(WORDS)} server ${pad(i, 4)}`;
    value = leaf('ip-netmask', rng.chance(0.5) ? `${ip}/32` : ip);
  } else if (kind === 'net') {
    const len = rng.pick([24, 24, 24, 25, 26, 27, 28, 23, 22]);
    const base = len >= 24 ? `10.${b}.${c}.${d & (255 << (32 - len)) & 255}` : `10.${b}.${c & (255 << (24 - len)) & 255}.0`;
    name = style < 0.6 ? `n-${base}_${len}` : `net-${role}-${pad(i, 4)}`;
    value = leaf('ip-netmask', `${base}/${len}`);
  } else if (kind === 'range') {
    const hi = Math.min(254, d + rng.int(3, 40));
    name = `r-10.${b}.${c}.${d}-${hi}`;
    value = leaf('ip-range', `10.${b}.${c}.${d}-10.${b}.${c}.${hi}`);
  } else {
    const host = `${rng.pick(WORDS)}${rng.int(1, 99)}.${rng.pick(ENVS)}.corp.example.com`;
    name = style < 0.7 ? host : `fqdn-${role}-${pad(i, 4)}`;
    value = leaf('fqdn', host);
  }
  name = unique(s, name, i);
  s.addresses.push(name);
  const k: El[] = [value];
  if (rng.chance(0.1)) k.push(leaf('description', rng.pick(DESCRIPTIONS)));
  if (rng.chance(0.12)) {
    const tags = pickMany(rng, s, 'tags', rng.int(1, 2));
    if (tags.length) k.push(mem('tag', tags));
  }
  return ent(name, ...k);
}

/** Static groups of visible addresses (sometimes nesting an earlier group) and a few dynamic ones. */
export function addressGroupEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  const name = unique(s, rng.chance(0.8) ? `grp-${rng.pick(WORDS)}-${rng.pick(ENVS)}` : `${rng.pick(WORDS)} ${rng.pick(ENVS)} servers`, i);
  const k: El[] = [];
  const tags = pickMany(rng, s, 'tags', 2);
  if (tags.length && rng.chance(0.12)) {
    const filter = tags.length === 2 ? `'${tags[0]}' ${rng.pick(['and', 'or'])} '${tags[1]}'` : `'${tags[0]}'`;
    k.push(node('dynamic', leaf('filter', filter)));
  } else {
    const members = pickMany(rng, s, 'addresses', rng.int(2, 6));
    if (s.addressGroups.length && rng.chance(0.1)) members.push(rng.pick(s.addressGroups));
    if (members.length === 0) members.push(`10.${s.ipBase}.255.1`);
    k.push(mem('static', members));
  }
  if (rng.chance(0.2)) k.push(leaf('description', rng.pick(DESCRIPTIONS)));
  s.addressGroups.push(name);
  return ent(name, ...k);
}

const WELL_KNOWN: readonly [string, string][] = [
  ['tcp', '22'], ['tcp', '28'], ['tcp', '443'], ['tcp', '8443'], ['tcp', '8080'], ['tcp', '3389'], ['tcp', '1433'],
  ['tcp', '3306'], ['tcp', '1521'], ['tcp', '389'], ['tcp', '636'], ['tcp', '25'], ['tcp', '3978'], ['tcp', '28443'],
  ['udp', '514'], ['udp', '161'], ['udp', '162'], ['udp', '123'], ['udp', '53'], ['udp', '1812'], ['tcp', '9443'],
];

/** tcp/udp services: single ports, ranges and comma lists, a few with a source port. */
export function serviceEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  let proto: string;
  let port: string;
  const r = rng.next();
  if (r < 0.35) {
    [proto, port] = rng.pick(WELL_KNOWN);
  } else if (r < 0.7) {
    proto = rng.chance(0.8) ? 'tcp' : 'udp';
    port = String(rng.int(1024, 65000));
  } else if (r < 0.85) {
    proto = rng.chance(0.85) ? 'tcp' : 'udp';
    const lo = rng.int(1024, 60000);
    port = `${lo}-${lo + rng.pick([1, 9, 10, 99, 100, 999])}`;
  } else {
    proto = 'tcp';
    port = rng.pick(['389,636', '80,443', '8080,8443,9443', '135,139,445', '5060,5061', '20,21', '1433,1434']);
  }
  const cand = rng.chance(0.7) ? `${proto}-${port.replace(/,/g, '_')}` : `svc-${rng.pick(WORDS)}-${port.split(/[,-]/)[0]}`;
  const name = unique(s, cand, i);
  const pk: El[] = [leaf('port', port)];
  if (rng.chance(0.03)) pk.push(leaf('source-port', String(rng.int(1024, 5000))));
  const k: El[] = [node('protocol', node(proto, ...pk))];
  if (rng.chance(0.1)) k.push(leaf('description', rng.pick(DESCRIPTIONS)));
  s.services.push(name);
  return ent(name, ...k);
}

export function serviceGroupEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  const name = unique(s, `sg-${rng.pick(WORDS)}-${rng.pick(ENVS)}`, i);
  const members = pickMany(rng, s, 'services', rng.int(2, 6));
  if (rng.chance(0.2)) members.push(rng.pick(['service-http', 'service-https']));
  s.serviceGroups.push(name);
  return ent(name, mem('members', members));
}

export function appGroupEnt(rng: Rng, s: ObjScope): Ent {
  const i = s.counter++;
  const name = unique(s, rng.chance(0.85) ? `apps-${rng.pick(WORDS)}` : `${rng.pick(WORDS)} apps`, i);
  s.appGroups.push(name);
  return ent(name, mem('members', [...new Set(rng.sample(APPS, rng.int(2, 6)))]));
}

/** Object kinds in emission order (PAN-OS exports keep the same order: groups after members). */
export const OBJ_KINDS = ['tag', 'address', 'address-group', 'service', 'service-group', 'application-group'] as const;
export type ObjTag = (typeof OBJ_KINDS)[number];
/** Share of the objects of a scope per kind. */
export const OBJ_SHARE: Record<ObjTag, number> = {
  tag: 0.04,
  address: 0.66,
  'address-group': 0.1,
  service: 0.12,
  'service-group': 0.04,
  'application-group': 0.04,
};
export const OBJ_MAKERS: Record<ObjTag, (rng: Rng, s: ObjScope) => Ent> = {
  tag: tagEnt,
  address: addressEnt,
  'address-group': addressGroupEnt,
  service: serviceEnt,
  'service-group': serviceGroupEnt,
  'application-group': appGroupEnt,
};

/** Log forwarding profiles and security profile groups every scope's rules may reference. */
export function logForwardingProfiles(): El {
  const prof = (n: string, panorama: boolean): Ent =>
    ent(
      n,
      list('match-list', [
        ent('traffic-all', leaf('log-type', 'traffic'), leaf('filter', 'All Logs'), leaf('send-to-panorama', panorama ? 'yes' : 'no'), mem('send-syslog', ['siem-syslog'])),
        ent('threat-all', leaf('log-type', 'threat'), leaf('filter', 'All Logs'), leaf('send-to-panorama', 'yes')),
      ]),
    );
  return list('profiles', [prof('default', false), prof('log-to-panorama', true)]);
}

export function profileGroups(): El {
  return list('profile-group', [
    ent('default', mem('virus', ['default']), mem('spyware', ['default']), mem('vulnerability', ['default']), mem('url-filtering', ['default'])),
    ent('strict', mem('virus', ['default']), mem('spyware', ['strict']), mem('vulnerability', ['strict']), mem('url-filtering', ['default']), mem('wildfire-analysis', ['default'])),
    ent('dc-inbound', mem('virus', ['default']), mem('vulnerability', ['strict'])),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

export type RuleCtx = {
  rng: Rng;
  scope: ObjScope;
  zones: readonly string[];
  /** Devices a Panorama rule may target (empty on a firewall). */
  devices: readonly string[];
  /** Global rule counter: rule names are unique across the whole config. */
  seq: { n: number };
};

function randomCidr(rng: Rng): string {
  const r = rng.next();
  if (r < 0.5) return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`;
  if (r < 0.7) return `192.168.${rng.int(0, 255)}.0/24`;
  if (r < 0.85) return `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return `10.${rng.int(0, 255)}.0.0/16`;
}

function zonesField(rng: Rng, zones: readonly string[], anyP: number): string[] {
  if (rng.chance(anyP)) return ['any'];
  return rng.sample(zones, rng.chance(0.85) ? 1 : 2);
}

function addrField(rng: Rng, s: ObjScope): string[] {
  const r = rng.next();
  if (r < 0.2) return ['any'];
  if (r < 0.35) return Array.from({ length: rng.int(1, 2) }, () => randomCidr(rng));
  const out = pickMany(rng, s, rng.chance(0.7) ? 'addresses' : 'addressGroups', rng.weighted([1, 2, 3, 4], [55, 25, 12, 8]));
  return out.length ? out : ['any'];
}

function appField(rng: Rng, s: ObjScope): string[] {
  const r = rng.next();
  if (r < 0.12) return ['any'];
  if (r < 0.25) {
    const g = pickVisible(rng, s, 'appGroups');
    if (g) return [g];
  }
  return [...new Set(rng.sample(APPS, rng.int(1, 4)))];
}

function serviceField(rng: Rng, s: ObjScope): string[] {
  const r = rng.next();
  if (r < 0.5) return ['application-default'];
  if (r < 0.62) return ['any'];
  if (r < 0.68) return [rng.pick(['service-http', 'service-https'])];
  const out = pickMany(rng, s, rng.chance(0.75) ? 'services' : 'serviceGroups', rng.int(1, 3));
  return out.length ? out : ['application-default'];
}

function ruleName(rng: Rng, seq: { n: number }): string {
  const n = seq.n++;
  const a = rng.pick(WORDS);
  const b = rng.pick(WORDS);
  return rng.chance(0.6) ? `${rng.pick(VERBS)} ${a} to ${b} ${pad(n, 5)}` : `${a}-${rng.pick(ENVS)}-to-${b}-${pad(n, 5)}`;
}

/** One generated security rule with realistic field mix. */
export function ruleEnt(c: RuleCtx): Ent {
  const { rng, scope } = c;
  const name = ruleName(rng, c.seq);
  const action = rng.weighted(['allow', 'deny', 'drop'], [80, 12, 8]);
  const k: El[] = [
    mem('to', zonesField(rng, c.zones, 0.12)),
    mem('from', zonesField(rng, c.zones, 0.18)),
    mem('source', addrField(rng, scope)),
    mem('destination', addrField(rng, scope)),
    mem('source-user', ['any']),
    mem('category', ['any']),
    mem('application', appField(rng, scope)),
    mem('service', serviceField(rng, scope)),
    mem('source-hip', ['any']),
    mem('destination-hip', ['any']),
  ];
  if (rng.chance(0.35)) {
    const tags = pickMany(rng, scope, 'tags', rng.int(1, 2));
    if (tags.length) k.push(mem('tag', tags));
  }
  k.push(leaf('action', action));
  if (rng.chance(0.85)) k.push(leaf('log-setting', rng.pick(LOG_SETTINGS)));
  if (action === 'allow' && rng.chance(0.7)) k.push(node('profile-setting', mem('group', [rng.pick(PROFILE_GROUPS)])));
  if (rng.chance(0.35)) k.push(leaf('description', rng.pick(DESCRIPTIONS)));
  if (rng.chance(0.03)) k.push(leaf('disabled', 'yes'));
  if (rng.chance(0.02)) k.push(leaf('negate-source', 'yes'));
  if (rng.chance(0.01)) k.push(leaf('negate-destination', 'yes'));
  if (rng.chance(0.05)) k.push(leaf('log-start', 'yes'));
  if (c.devices.length && rng.chance(0.08)) k.push(targetEl(rng, c.devices));
  return { n: name, a: [['uuid', rng.uuid()]], k };
}

function targetEl(rng: Rng, devices: readonly string[]): El {
  const d = rng.pick(devices);
  const e = rng.chance(0.3) ? ent(d, list('vsys', [ent('vsys1')])) : ent(d);
  return node('target', list('devices', [e]), leaf('negate', 'no'));
}

// ---------------------------------------------------------------------------------------------
// Management-plane block: objects and rules around Panorama and its Log Collectors
// ---------------------------------------------------------------------------------------------

export const PANORAMA_IP = '10.10.10.5';
export const LC_IPS = ['10.10.10.6', '10.10.10.7'];

/** Address/service objects the management rules reference (registered in the scope). */
export function mgmtObjects(s: ObjScope): { addresses: Ent[]; groups: Ent[]; services: Ent[] } {
  const a = (n: string, v: string, d?: string): Ent => {
    s.used.add(n);
    s.addresses.push(n);
    return d ? ent(n, leaf('ip-netmask', v), leaf('description', d)) : ent(n, leaf('ip-netmask', v));
  };
  const addresses = [
    a('panorama-mgmt', `${PANORAMA_IP}/32`, 'Panorama management interface'),
    a('log-collector-01', `${LC_IPS[0]}/32`, 'Dedicated Log Collector 1'),
    a('log-collector-02', `${LC_IPS[1]}/32`, 'Dedicated Log Collector 2'),
    a('net-mgmt', '10.10.10.0/24'),
    a('net-devices', '10.20.0.0/16', 'Managed firewalls (MGT)'),
    a('net-admin', '10.30.0.0/24', 'Admin workstations'),
  ];
  s.used.add('panorama-servers');
  s.addressGroups.push('panorama-servers');
  const groups = [ent('panorama-servers', mem('static', ['panorama-mgmt', 'log-collector-01', 'log-collector-02']))];
  s.used.add('tcp-3978');
  s.used.add('tcp-28443');
  s.services.push('tcp-3978', 'tcp-28443');
  const services = [
    ent('tcp-3978', node('protocol', node('tcp', leaf('port', '3978'))), leaf('description', 'Firewall to Panorama / Log Collector')),
    ent('tcp-28443', node('protocol', node('tcp', leaf('port', '28443')))),
  ];
  return { addresses, groups, services };
}

/** A handful of rules letting devices and admins reach Panorama, plus one broad legacy rule. */
export function mgmtRules(rng: Rng, seq: { n: number }): Ent[] {
  const r = (name: string, from: string[], to: string[], src: string[], dst: string[], app: string[], svc: string[], desc: string): Ent => {
    seq.n++;
    return {
      n: name,
      a: [['uuid', rng.uuid()]],
      k: [
        mem('to', to), mem('from', from), mem('source', src), mem('destination', dst), mem('source-user', ['any']),
        mem('category', ['any']), mem('application', app), mem('service', svc), mem('source-hip', ['any']),
        mem('destination-hip', ['any']), leaf('action', 'allow'), leaf('log-setting', 'log-to-panorama'),
        leaf('description', desc),
      ],
    };
  };
  return [
    r('Managed devices to Panorama', ['devices'], ['mgmt'], ['net-devices'], ['panorama-mgmt'], ['panorama'], ['application-default'], 'Firewalls connect to Panorama on tcp/3978'),
    r('Managed devices to Log Collectors', ['devices'], ['mgmt'], ['net-devices'], ['log-collector-01', 'log-collector-02'], ['panorama', 'paloalto-logging-service'], ['application-default'], 'Log forwarding to the collector group'),
    r('Admin HTTPS to Panorama', ['admin'], ['mgmt'], ['net-admin'], ['panorama-mgmt'], ['ssl', 'web-browsing'], ['application-default'], 'Web UI for administrators'),
    r('Admin SSH to Panorama', ['admin'], ['mgmt'], ['10.30.0.0/24'], ['panorama-servers'], ['ssh'], ['application-default'], 'CLI for administrators'),
    r('Panorama content updates', ['mgmt'], ['untrust'], ['panorama-mgmt'], ['any'], ['paloalto-updates', 'ssl'], ['application-default'], 'Dynamic updates & licensing'),
    r('Legacy any to Panorama', ['any'], ['mgmt'], ['any'], ['panorama-mgmt'], ['any'], ['any'], 'Temporary rule from migration, to be removed'),
  ];
}
