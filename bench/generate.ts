/** Deterministic generator of large, realistic PAN-OS Panorama/firewall configs (XML or set) for benchmarks; also a CLI. */
import * as os from 'os';
import * as path from 'path';
import {
  CountSink, FileSink, Rng, StringSink, ent, leaf, list, makeEmitter, mem, node, counted,
  type El, type Emitter, type Ent, type Sink, type Tally,
} from './generate-lib';
import {
  BASE_ZONES, EXTRA_ZONES, LC_IPS, OBJ_KINDS, OBJ_MAKERS, OBJ_SHARE, PANORAMA_IP,
  logForwardingProfiles, mgmtObjects, mgmtRules, newScope, profileGroups, ruleEnt,
  type ObjScope, type ObjTag,
} from './generate-content';

export type GenerateOptions = {
  kind: 'panorama' | 'firewall';
  format: 'xml' | 'set';
  /** Wanted output size; the result is within a few percent of it. */
  targetBytes: number;
  seed?: number;
  /**
   * Which form the content is sized for (default: `format`). The set form of a given content is
   * smaller than its XML form, so a set file of N bytes holds more rules than an XML file of N
   * bytes. Pass `sizeFormat: 'xml'` with `format: 'set'` to get exactly the content of the XML file
   * of the same seed and target (used to check both forms give the same model).
   */
  sizeFormat?: 'xml' | 'set';
};

export type GenerateStats = {
  bytes: number;
  rules: number;
  objects: number;
  deviceGroups: number;
  /** Bytes spent on rule entries and on object entries; the rest is skeleton (templates, settings). */
  ruleBytes: number;
  objectBytes: number;
  ms: number;
};

// ---------------------------------------------------------------------------------------------
// Plans: counts only, decided before anything is printed
// ---------------------------------------------------------------------------------------------

type DgPlan = {
  name: string;
  parent: number;
  depth: number;
  devices: string[];
  pre: number;
  post: number;
  objects: number;
  /** Template and stack pushing this DG's network (DGs with devices only). */
  template: string | undefined;
  stack: string | undefined;
  zones: string[];
  edge: boolean;
};

type PanoramaPlan = { kind: 'panorama'; dgs: DgPlan[]; sharedObjects: number; sharedPre: number; sharedPost: number; serials: string[] };
type FirewallPlan = { kind: 'firewall'; rules: number; vsysObjects: number; sharedObjects: number; ifaces: number; zones: number };
type Plan = PanoramaPlan | FirewallPlan;

/** Objects per rule: real exports run at about 2 MB per 1,000 rules and 2 MB per 12,000 objects. */
const OBJECTS_PER_RULE = 8;

const ROOT_DGS = ['Datacenter', 'Branches', 'EMEA', 'AMER', 'APAC', 'Cloud'];
const CITIES = [
  'Berlin', 'Paris', 'London', 'Madrid', 'Rome', 'Vienna', 'Zurich', 'Oslo', 'Dublin', 'Lisbon', 'Prague', 'Warsaw',
  'Boston', 'Austin', 'Denver', 'Seattle', 'Chicago', 'Atlanta', 'Toronto', 'Dallas', 'Miami', 'Phoenix',
  'Tokyo', 'Osaka', 'Seoul', 'Sydney', 'Singapore', 'Mumbai', 'Pune', 'Jakarta', 'Manila', 'Auckland',
];
const SITE_KINDS = [' Office', '-DC', '-Branch', ' Plant', '-Retail', '-Campus', ' Warehouse', '-Lab'];

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Splits `total` into integer parts proportional to `w`. */
function split(total: number, w: number[]): number[] {
  const sum = w.reduce((a, b) => a + b, 0);
  const out = w.map((x) => Math.floor((total * x) / sum));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i]!++;
  return out;
}

/** Device groups a few levels deep (regions → sites), with rules and objects spread unevenly. */
function panoramaPlan(n: number, seed: number): PanoramaPlan {
  const rng = Rng.for(seed, 'plan');
  const count = clamp(Math.round(Math.sqrt(n) * 0.6), 5, 150);
  const roots = clamp(Math.round(count / 6), 2, ROOT_DGS.length);
  const dgs: DgPlan[] = [];
  const used = new Set<string>();
  const mk = (name: string, parent: number, edge = false): DgPlan => ({
    name, parent, depth: parent < 0 ? 1 : dgs[parent]!.depth + 1, devices: [], pre: 0, post: 0, objects: 0,
    template: undefined, stack: undefined, zones: BASE_ZONES, edge,
  });
  for (let i = 0; i < roots; i++) dgs.push(mk(ROOT_DGS[i]!, -1));
  // The edge DG sits under Datacenter; it protects Panorama and its Log Collectors.
  dgs.push(mk('edge-dg', 0, true));
  for (const d of dgs) used.add(d.name);
  while (dgs.length < count) {
    let name = `${rng.pick(CITIES)}${rng.pick(SITE_KINDS)}`;
    if (used.has(name)) name = `${name} ${dgs.length}`;
    used.add(name);
    const eligible = dgs.map((d, i) => (d.depth < 3 && !d.edge ? i : -1)).filter((i) => i >= 0);
    const parent = rng.chance(0.5) ? rng.int(0, roots - 1) : rng.pick(eligible);
    dgs.push(mk(name, parent));
  }
  const hasKids = new Set(dgs.map((d) => d.parent));
  let serial = 0;
  const serials: string[] = [];
  const weights: number[] = [];
  dgs.forEach((d, i) => {
    const leafDg = !hasKids.has(i);
    const nDev = d.edge ? 2 : leafDg ? rng.int(1, 6) : rng.chance(0.3) ? 1 : 0;
    for (let k = 0; k < nDev; k++) d.devices.push(`0079${pad(10000000 + 7919 * ++serial, 8)}`);
    serials.push(...d.devices);
    if (d.devices.length) {
      d.template = d.edge ? 'edge-net' : `${slug(d.name)}-net`;
      d.stack = d.edge ? 'edge-stack' : `${slug(d.name)}-stack`;
      d.zones = d.edge ? [...BASE_ZONES, 'devices', 'admin'] : [...BASE_ZONES, ...rng.sample(EXTRA_ZONES, rng.int(0, 4))];
    }
    weights.push(d.edge ? 1 : (leafDg ? 1 : 0.4) * (0.3 + rng.next() * 2.5));
  });
  const sharedPre = Math.round(n * 0.02);
  const sharedPost = Math.round(n * 0.01);
  const perDg = split(n - sharedPre - sharedPost, weights);
  const objects = n * OBJECTS_PER_RULE;
  const sharedObjects = Math.round(objects * 0.15);
  const objPerDg = split(objects - sharedObjects, weights);
  dgs.forEach((d, i) => {
    d.pre = Math.round(perDg[i]! * 0.7);
    d.post = perDg[i]! - d.pre;
    d.objects = objPerDg[i]!;
  });
  return { kind: 'panorama', dgs, sharedObjects, sharedPre, sharedPost, serials };
}

function firewallPlan(n: number): FirewallPlan {
  const objects = n * OBJECTS_PER_RULE;
  return {
    kind: 'firewall',
    rules: n,
    sharedObjects: Math.round(objects * 0.1),
    vsysObjects: objects - Math.round(objects * 0.1),
    ifaces: clamp(Math.round(6 + n / 150), 6, 48),
    zones: clamp(Math.round(14 + n / 400), 14, 80),
  };
}

function planFor(kind: GenerateOptions['kind'], n: number, seed: number): Plan {
  return kind === 'panorama' ? panoramaPlan(n, seed) : firewallPlan(n);
}

/** Rules, objects and "units" of fixed overhead (device groups or interfaces) of a plan. */
function planTotals(p: Plan): { rules: number; objects: number; units: number } {
  if (p.kind === 'firewall') return { rules: p.rules, objects: p.sharedObjects + p.vsysObjects, units: p.ifaces + p.zones };
  let rules = p.sharedPre + p.sharedPost;
  let objects = p.sharedObjects;
  for (const d of p.dgs) {
    rules += d.pre + d.post;
    objects += d.objects;
  }
  return { rules, objects, units: p.dgs.length };
}

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

type Ctx = { em: Emitter; seed: number; tally: Tally; seq: { n: number } };

/** Emits a scope's objects, kind by kind; `extra` entries (fixed objects) come first in their list. */
function emitObjects(c: Ctx, rng: Rng, scope: ObjScope, total: number, extra: Partial<Record<ObjTag, Ent[]>> = {}): void {
  const counts = OBJ_KINDS.map((k) => Math.round(total * OBJ_SHARE[k]));
  // Small scopes still get a tag and an address so rules have something to reference.
  if (total > 0) {
    counts[0] = Math.max(counts[0]!, 1);
    counts[1] = Math.max(counts[1]!, 1);
  }
  counted(c.em, c.tally, 'objects', () => {
    OBJ_KINDS.forEach((k, i) => {
      const fixed = extra[k] ?? [];
      if (counts[i]! + fixed.length === 0) return;
      c.em.open(k);
      for (const e of fixed) c.em.entry(e);
      for (let j = 0; j < counts[i]!; j++) c.em.entry(OBJ_MAKERS[k](rng, scope));
      c.em.close();
    });
  });
}

/** `<X-rulebase>/security/rules` with `count` generated rules and optional fixed rules at `at`. */
function emitRulebase(c: Ctx, tag: string, count: number, mkRule: () => Ent, fixed?: { at: number; rules: Ent[] }, tail?: El): void {
  if (count === 0 && !fixed && !tail) return;
  if (tag) c.em.open(tag);
  c.em.open('security');
  c.em.open('rules');
  counted(c.em, c.tally, 'rules', () => {
    for (let i = 0; i < count; i++) {
      if (fixed && i === fixed.at) for (const r of fixed.rules) c.em.entry(r);
      c.em.entry(mkRule());
    }
    if (fixed && fixed.at >= count) for (const r of fixed.rules) c.em.entry(r);
  });
  c.em.close();
  c.em.close();
  if (tail) c.em.el(tail);
  if (tag) c.em.close();
}

const DEFAULT_RULES: El = node(
  'default-security-rules',
  list('rules', [
    ent('intrazone-default', leaf('action', 'allow'), leaf('log-end', 'yes')),
    ent('interzone-default', leaf('action', 'deny'), leaf('log-start', 'no'), leaf('log-end', 'yes')),
  ]),
);

function adminUsers(): El {
  return list('users', [
    ent('admin', leaf('phash', '$5$benchgen$notarealhashnotarealhashnotarealhash'), node('permissions', node('role-based', leaf('superuser', 'yes')))),
    ent('netops', leaf('phash', '$5$benchgen$notarealhashnotarealhashnotarealhash'), node('permissions', node('role-based', leaf('deviceadmin', 'localhost.localdomain')))),
  ]);
}

/** `deviceconfig/system` of a management interface. */
function systemEl(host: string, ip: string, mask: string, gw: string, extra: El[], permitted: string[]): El {
  return node(
    'deviceconfig',
    node(
      'system',
      leaf('hostname', host),
      node('type', node('static')),
      leaf('ip-address', ip),
      leaf('netmask', mask),
      leaf('default-gateway', gw),
      leaf('update-server', 'updates.paloaltonetworks.com'),
      leaf('timezone', 'UTC'),
      leaf('login-banner', 'Authorized access only. Activity is logged & monitored.'),
      node('dns-setting', node('servers', leaf('primary', '10.10.10.53'), leaf('secondary', '10.10.10.54'))),
      node('ntp-servers', node('primary-ntp-server', leaf('ntp-server-address', '10.10.10.123')), node('secondary-ntp-server', leaf('ntp-server-address', '0.pool.ntp.org'))),
      list('permitted-ip', permitted.map((p) => ent(p))),
      node('service', leaf('disable-telnet', 'yes'), leaf('disable-http', 'yes')),
      ...extra,
    ),
  );
}

function syslogProfiles(rng: Rng, n: number): El {
  const profiles: Ent[] = [ent('siem-syslog', list('server', [
    ent('siem-1', leaf('transport', 'UDP'), leaf('port', '514'), leaf('format', 'BSD'), leaf('server', '10.40.0.10'), leaf('facility', 'LOG_USER')),
    ent('siem-2', leaf('transport', 'SSL'), leaf('port', '6514'), leaf('format', 'IETF'), leaf('server', '10.40.0.11'), leaf('facility', 'LOG_USER')),
  ]))];
  for (let i = 1; i < n; i++) {
    const tcp = rng.chance(0.4);
    profiles.push(ent(`syslog-${pad(i, 2)}`, list('server', [
      ent(`collector-${i}`, leaf('transport', tcp ? 'TCP' : 'UDP'), leaf('port', tcp ? '1514' : '514'), leaf('format', 'BSD'), leaf('server', `10.40.${i}.${rng.int(2, 250)}`), leaf('facility', `LOG_LOCAL${rng.int(0, 7)}`)),
    ])));
  }
  return list('syslog', profiles);
}

function emailProfiles(): El {
  return list('email', [ent('soc-email', list('server', [
    ent('smtp-relay', leaf('display-name', 'Panorama'), leaf('from', 'panorama@example.com'), leaf('to', 'soc@example.com'), leaf('gateway', '10.40.0.25'), leaf('protocol', 'SMTP'), leaf('port', '25')),
  ]))]);
}

/** One layer3 interface with an address, or subinterfaces (`units`) each with an address and VLAN tag. */
function ethernetEnt(name: string, ip: string | undefined, units: [string, string][], comment?: string): Ent {
  const l3: El[] = [];
  if (ip) l3.push(list('ip', [ent(ip)]));
  if (units.length) l3.push(list('units', units.map(([u, uip]) => ent(u, list('ip', [ent(uip)]), leaf('tag', u.split('.')[1]!)))));
  const k: El[] = [node('layer3', ...l3)];
  if (comment) k.push(leaf('comment', comment));
  return { n: name, k };
}

function staticRoute(name: string, dest: string, iface: string, nexthop: string): Ent {
  return ent(name, node('nexthop', leaf('ip-address', nexthop)), leaf('interface', iface), leaf('metric', '10'), leaf('destination', dest));
}

function virtualRouter(ifaces: string[], routes: Ent[]): El {
  return list('virtual-router', [ent('default', mem('interface', ifaces), node('routing-table', node('ip', list('static-route', routes))))]);
}

function zoneList(zones: [string, string[]][]): El {
  return list('zone', zones.map(([z, ifs]) => ent(z, node('network', mem('layer3', ifs)))));
}

// ---------------------------------------------------------------------------------------------
// Panorama
// ---------------------------------------------------------------------------------------------

/** A site template: uplink, subinterfaces per zone, default route, zones, panorama-server. */
function siteTemplate(rng: Rng, d: DgPlan, site: number): Ent {
  const ifs: Ent[] = [];
  const zones: [string, string[]][] = [];
  const all: string[] = [];
  let uplinkNh: string;
  if (d.edge) {
    // Management-plane network of the brief: mgmt / devices / admin on their own ports, untrust on ethernet1/1.
    ifs.push(ethernetEnt('ethernet1/1', '203.0.113.2/30', [], 'ISP uplink'));
    ifs.push(ethernetEnt('ethernet1/2', '10.10.10.1/24', [], 'Panorama and Log Collectors'));
    ifs.push(ethernetEnt('ethernet1/3', '10.20.0.1/16', [], 'Managed devices MGT'));
    ifs.push(ethernetEnt('ethernet1/4', '10.30.0.1/24', [], 'Admin workstations'));
    zones.push(['untrust', ['ethernet1/1']], ['mgmt', ['ethernet1/2']], ['devices', ['ethernet1/3']], ['admin', ['ethernet1/4']]);
    all.push('ethernet1/1', 'ethernet1/2', 'ethernet1/3', 'ethernet1/4');
    const rest = d.zones.filter((z) => !['untrust', 'mgmt', 'devices', 'admin'].includes(z));
    const units: [string, string][] = rest.map((_, i) => [`ethernet1/5.${(i + 1) * 10}`, `172.16.${(i + 1) * 10}.1/24`]);
    ifs.push(ethernetEnt('ethernet1/5', undefined, units));
    rest.forEach((z, i) => zones.push([z, [units[i]![0]]]));
    all.push('ethernet1/5', ...units.map((u) => u[0]));
    uplinkNh = '203.0.113.1';
  } else {
    const a = 1 + (site % 250);
    const up = `198.51.100.${(site * 4) % 252 + 2}/30`;
    uplinkNh = `198.51.100.${(site * 4) % 252 + 1}`;
    ifs.push(ethernetEnt('ethernet1/1', up, [], 'Internet'));
    zones.push(['untrust', ['ethernet1/1']]);
    all.push('ethernet1/1');
    const inner = d.zones.filter((z) => z !== 'untrust');
    const nPorts = rng.int(1, 3);
    const portUnits: [string, string][][] = Array.from({ length: nPorts }, () => []);
    inner.forEach((z, i) => {
      const port = 2 + (i % nPorts);
      const vlan = (i + 1) * 10;
      const u: [string, string] = [`ethernet1/${port}.${vlan}`, `172.${16 + (site % 16)}.${(a * 7 + vlan) % 256}.1/24`];
      portUnits[port - 2]!.push(u);
      zones.push([z, [u[0]]]);
    });
    portUnits.forEach((units, i) => {
      ifs.push(ethernetEnt(`ethernet1/${i + 2}`, undefined, units));
      all.push(`ethernet1/${i + 2}`, ...units.map((u) => u[0]));
    });
  }
  const cfg = node(
    'config',
    list('devices', [ent(
      'localhost.localdomain',
      node('network', node('interface', list('ethernet', ifs)), virtualRouter(all, [staticRoute('default-route', '0.0.0.0/0', 'ethernet1/1', uplinkNh)])),
      node('deviceconfig', node('system', leaf('panorama-server', PANORAMA_IP), leaf('domain', 'corp.example.com'))),
      list('vsys', [ent('vsys1', zoneList(zones), node('import', node('network', mem('interface', all))))]),
    )]),
  );
  return ent(d.template!, node('settings', leaf('default-vsys', 'vsys1')), cfg);
}

function globalTemplate(): Ent {
  const sys = systemEl('fw-default', '0.0.0.0', '255.255.255.0', '0.0.0.0', [leaf('panorama-server', PANORAMA_IP)], ['10.10.10.0/24', '10.30.0.0/24']);
  // A template does not set the firewalls' own MGT address; keep only the shared settings.
  const keep = new Set(['timezone', 'login-banner', 'dns-setting', 'ntp-servers', 'permitted-ip', 'service', 'panorama-server', 'update-server']);
  const system = sys.k![0]!;
  system.k = system.k!.filter((e) => keep.has(e.t));
  return ent('Global-Settings', node('settings', leaf('default-vsys', 'vsys1')), node('config', list('devices', [ent('localhost.localdomain', sys)])));
}

function readonlyEl(p: PanoramaPlan): El {
  const dgs = p.dgs.map((d, i) => {
    const k: El[] = [];
    if (d.parent >= 0) k.push(leaf('parent-dg', p.dgs[d.parent]!.name));
    k.push(leaf('id', String(11 + i)));
    return ent(d.name, ...k);
  });
  return node('readonly', leaf('max-internal-id', String(11 + p.dgs.length)), list('devices', [ent('localhost.localdomain', list('device-group', dgs))]));
}

function panoramaEl(rng: Rng): El {
  return node(
    'panorama',
    node('log-settings', syslogProfiles(rng, 4), emailProfiles()),
    node('server-profile', list('ldap', [ent('corp-ldap', list('server', [
      ent('dc01', leaf('address', '10.40.1.10'), leaf('port', '389')),
      ent('dc02', leaf('address', '10.40.1.11'), leaf('port', '389')),
    ]), leaf('base', 'DC=corp,DC=example,DC=com'), leaf('ldap-type', 'active-directory'))])),
  );
}

function logCollectors(): El {
  return list('log-collector', LC_IPS.map((ip, i) => ent(
    `0079000001${pad(i + 1, 2)}`,
    node('deviceconfig', node('system',
      leaf('hostname', `lc-${pad(i + 1, 2)}`), leaf('ip-address', ip), leaf('netmask', '255.255.255.0'), leaf('default-gateway', '10.10.10.1'),
      node('dns-setting', node('servers', leaf('primary', '10.10.10.53'))),
      node('service', leaf('disable-telnet', 'yes'), leaf('disable-http', 'yes'), leaf('disable-snmp', 'yes')),
    )),
  )));
}

function renderPanorama(p: PanoramaPlan, c: Ctx): void {
  const { em, seed } = c;
  em.open('config', { attrs: [['version', '10.2.0'], ['urldb', 'paloaltonetworks'], ['detail-version', '10.2.3']], hideInSet: true });
  em.open('mgt-config');
  em.el(adminUsers());
  em.el(list('devices', p.serials.map((s) => ent(s))));
  em.close();

  const shared = newScope('shared', undefined, 200);
  const srng = Rng.for(seed, 'shared');
  em.open('shared');
  emitObjects(c, srng, shared, p.sharedObjects);
  em.el(profileGroups());
  em.el(node('log-settings', syslogProfiles(srng, 1), logForwardingProfiles()));
  const sctx = { rng: srng, scope: shared, zones: ['any', 'untrust', 'trust', 'dmz'], devices: [] as string[], seq: c.seq };
  emitRulebase(c, 'pre-rulebase', p.sharedPre, () => ruleEnt(sctx));
  emitRulebase(c, 'post-rulebase', p.sharedPost, () => ruleEnt(sctx), undefined, DEFAULT_RULES);
  em.close();

  em.open('devices', { hideInSet: true });
  em.openEntry('localhost.localdomain', { hideInSet: true });
  em.el(systemEl('panorama-01', PANORAMA_IP, '255.255.255.0', '10.10.10.1', [], ['10.10.10.0/24', '10.30.0.0/24', '10.20.0.0/16']));
  renderTemplates(p, c);
  renderDeviceGroups(p, c, shared);
  em.el(logCollectors());
  em.el(list('log-collector-group', [ent('lcg-main', node('logfwd-setting', mem('collectors', LC_IPS.map((_, i) => `0079000001${pad(i + 1, 2)}`))))]));
  em.close();
  em.close();
  em.el(readonlyEl(p));
  em.el(panoramaEl(Rng.for(seed, 'panorama')));
  em.close();
}

function renderTemplates(p: PanoramaPlan, c: Ctx): void {
  const rng = Rng.for(c.seed, 'templates');
  const sites = p.dgs.filter((d) => d.template);
  c.em.open('template');
  c.em.entry(globalTemplate());
  sites.forEach((d, i) => c.em.entry(siteTemplate(rng, d, i + 1)));
  c.em.close();
  c.em.open('template-stack');
  for (const d of sites) {
    c.em.entry(ent(d.stack!, mem('templates', [d.template!, 'Global-Settings']), list('devices', d.devices.map((s) => ent(s))), node('settings', leaf('default-vsys', 'vsys1'))));
  }
  c.em.close();
}

function renderDeviceGroups(p: PanoramaPlan, c: Ctx, shared: ObjScope): void {
  const scopes: ObjScope[] = [];
  c.em.open('device-group');
  p.dgs.forEach((d, i) => {
    // Parents come first in the plan, so their scope already exists.
    const scope = newScope(d.name, d.parent >= 0 ? scopes[d.parent]! : shared, 32 + i);
    scopes.push(scope);
    const rng = Rng.for(c.seed, `dg:${i}`);
    c.em.openEntry(d.name);
    if (d.devices.length) c.em.el(list('devices', d.devices.map((s) => ent(s))));
    c.em.el(leaf('description', d.devices.length ? `${d.name} firewalls` : `${d.name} (parent group)`));
    let extra: Partial<Record<ObjTag, Ent[]>> = {};
    if (d.edge) {
      const m = mgmtObjects(scope);
      extra = { address: m.addresses, 'address-group': m.groups, service: m.services };
    }
    emitObjects(c, rng, scope, d.objects, extra);
    const ctx = { rng, scope, zones: d.zones, devices: d.devices, seq: c.seq };
    const fixed = d.edge ? { at: Math.min(5, Math.floor(d.pre / 10)), rules: mgmtRules(rng, c.seq) } : undefined;
    emitRulebase(c, 'pre-rulebase', d.pre, () => ruleEnt(ctx), fixed);
    emitRulebase(c, 'post-rulebase', d.post, () => ruleEnt(ctx));
    c.em.close();
  });
  c.em.close();
}

// ---------------------------------------------------------------------------------------------
// Firewall
// ---------------------------------------------------------------------------------------------

/** Interfaces, zones and routes of a single firewall; mgmt/devices/admin subnets match the edge DG. */
function firewallNetwork(p: FirewallPlan, rng: Rng): { network: El; zones: El; zoneNames: string[]; ifaceNames: string[] } {
  const ifs: Ent[] = [ethernetEnt('ethernet1/1', '203.0.113.2/30', [], 'ISP uplink')];
  ifs.push(ethernetEnt('ethernet1/2', undefined, [['ethernet1/2.10', '10.10.10.1/24'], ['ethernet1/2.20', '10.20.0.1/16'], ['ethernet1/2.30', '10.30.0.1/24']], 'Management networks'));
  const zoneIfs = new Map<string, string[]>([['untrust', ['ethernet1/1']], ['mgmt', ['ethernet1/2.10']], ['devices', ['ethernet1/2.20']], ['admin', ['ethernet1/2.30']]]);
  const names = [...BASE_ZONES, ...EXTRA_ZONES].filter((z) => !zoneIfs.has(z));
  for (let i = 0; names.length + zoneIfs.size < p.zones; i++) names.push(`zone-${pad(i + 1, 2)}`);
  const all = ['ethernet1/1', 'ethernet1/2', 'ethernet1/2.10', 'ethernet1/2.20', 'ethernet1/2.30'];
  const routes: Ent[] = [staticRoute('default-route', '0.0.0.0/0', 'ethernet1/1', '203.0.113.1')];
  let zi = 0;
  for (let port = 3; port < 3 + p.ifaces; port++) {
    const ifn = `ethernet1/${port}`;
    const nUnits = rng.chance(0.3) ? 0 : rng.int(1, 6);
    const units: [string, string][] = [];
    for (let u = 1; u <= nUnits; u++) units.push([`${ifn}.${u * 100 + port}`, `172.${16 + (port % 16)}.${(u * 17 + port * 3) % 256}.1/24`]);
    const ip = nUnits ? undefined : `192.168.${port}.1/24`;
    ifs.push(ethernetEnt(ifn, ip, units));
    all.push(ifn, ...units.map((x) => x[0]));
    for (const leafIf of nUnits ? units.map((x) => x[0]) : [ifn]) {
      const z = names[zi++ % names.length]!;
      zoneIfs.set(z, [...(zoneIfs.get(z) ?? []), leafIf]);
    }
    if (rng.chance(0.5)) routes.push(staticRoute(`to-site-${port}`, `10.${100 + port}.0.0/16`, ifn, ip ? `192.168.${port}.254` : units[0]![1].replace(/\.1\/24$/, '.254')));
  }
  const zones = [...zoneIfs.entries()];
  return {
    network: node('network', node('interface', list('ethernet', ifs)), virtualRouter(all, routes)),
    zones: zoneList(zones),
    zoneNames: zones.map((z) => z[0]),
    ifaceNames: all,
  };
}

function renderFirewall(p: FirewallPlan, c: Ctx): void {
  const { em, seed } = c;
  const rng = Rng.for(seed, 'firewall');
  em.open('config', { attrs: [['version', '10.2.0'], ['urldb', 'paloaltonetworks'], ['detail-version', '10.2.3']], hideInSet: true });
  em.open('mgt-config');
  em.el(adminUsers());
  em.close();

  const shared = newScope('shared', undefined, 200);
  const srng = Rng.for(seed, 'shared');
  em.open('shared');
  emitObjects(c, srng, shared, p.sharedObjects);
  em.el(profileGroups());
  em.el(node('log-settings', syslogProfiles(srng, 3), emailProfiles(), logForwardingProfiles()));
  em.close();

  em.open('devices', { hideInSet: true });
  em.openEntry('localhost.localdomain', { hideInSet: true });
  const net = firewallNetwork(p, rng);
  em.el(net.network);
  em.el(systemEl('fw-edge-01', '10.20.0.10', '255.255.0.0', '10.20.0.1', [leaf('panorama-server', PANORAMA_IP)], ['10.10.10.0/24', '10.30.0.0/24']));
  em.open('vsys', { hideInSet: true });
  em.openEntry('vsys1', { hideInSet: true });
  em.el(net.zones);
  const vsys = newScope('vsys1', shared, 64);
  const m = mgmtObjects(vsys);
  const vrng = Rng.for(seed, 'vsys1');
  emitObjects(c, vrng, vsys, p.vsysObjects, { address: m.addresses, 'address-group': m.groups, service: m.services });
  const ctx = { rng: vrng, scope: vsys, zones: net.zoneNames, devices: [] as string[], seq: c.seq };
  em.open('rulebase');
  emitRulebase(c, '', p.rules, () => ruleEnt(ctx), { at: Math.min(8, Math.floor(p.rules / 10)), rules: mgmtRules(vrng, c.seq) }, DEFAULT_RULES);
  em.close();
  em.el(node('import', node('network', mem('interface', net.ifaceNames))));
  em.close();
  em.close();
  em.close();
  em.close();
  em.close();
}

// ---------------------------------------------------------------------------------------------
// Sizing and public API
// ---------------------------------------------------------------------------------------------

function render(kind: GenerateOptions['kind'], format: 'xml' | 'set', p: Plan, seed: number, sink: Sink): Tally {
  const c: Ctx = { em: makeEmitter(format, sink), seed, tally: { rules: 0, objects: 0 }, seq: { n: 1 } };
  if (kind === 'panorama') renderPanorama(p as PanoramaPlan, c);
  else renderFirewall(p as FirewallPlan, c);
  return c.tally;
}

/**
 * Finds the rule count whose rendering is closest to `target` bytes. Two small probe renders give
 * bytes per rule, per object and per overhead unit; the size of any plan is then predicted without
 * rendering it, which keeps sizing cheap even for 200 MB outputs.
 */
function sizeToTarget(kind: GenerateOptions['kind'], format: 'xml' | 'set', target: number, seed: number): number {
  const probe = (n: number): { bytes: number; tally: Tally; t: ReturnType<typeof planTotals> } => {
    const p = planFor(kind, n, seed);
    const sink = new CountSink();
    const tally = render(kind, format, p, seed, sink);
    return { bytes: sink.bytes, tally, t: planTotals(p) };
  };
  const a = probe(60);
  const b = probe(600);
  const perRule = (a.tally.rules + b.tally.rules) / (a.t.rules + b.t.rules);
  const perObj = (a.tally.objects + b.tally.objects) / (a.t.objects + b.t.objects);
  const otherA = a.bytes - a.tally.rules - a.tally.objects;
  const otherB = b.bytes - b.tally.rules - b.tally.objects;
  const perUnit = b.t.units !== a.t.units ? (otherB - otherA) / (b.t.units - a.t.units) : 0;
  const fixed = otherA - perUnit * a.t.units;
  const predict = (n: number): number => {
    const t = planTotals(planFor(kind, n, seed));
    return fixed + perRule * t.rules + perObj * t.objects + perUnit * t.units;
  };
  let lo = 1;
  let hi = 1 << 24;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (predict(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  const n = lo > 1 && target - predict(lo - 1) < predict(lo) - target ? lo - 1 : lo;
  return target <= REFINE_BELOW ? refine(n, target, perRule + perObj * OBJECTS_PER_RULE, probe) : n;
}

/**
 * Small configs have few device groups, so one template more or less moves the size by several
 * percent; there a couple of counting renders (cheap at this size) correct the prediction.
 */
const REFINE_BELOW = 16 * 1024 * 1024;

function refine(n: number, target: number, slope: number, probe: (n: number) => { bytes: number }): number {
  let best = n;
  let bestErr = Infinity;
  for (let i = 0; i < 4; i++) {
    const err = probe(n).bytes - target;
    if (Math.abs(err) < bestErr) {
      best = n;
      bestErr = Math.abs(err);
    }
    if (bestErr < target * 0.01) break;
    const next = Math.max(1, n - Math.round(err / slope));
    if (next === n) break;
    n = next;
  }
  return best;
}

function prepare(opts: GenerateOptions): { seed: number; plan: Plan } {
  const seed = opts.seed ?? 1;
  const n = sizeToTarget(opts.kind, opts.sizeFormat ?? opts.format, opts.targetBytes, seed);
  return { seed, plan: planFor(opts.kind, n, seed) };
}

function stats(plan: Plan, bytes: number, tally: Tally, t0: number): GenerateStats {
  const t = planTotals(plan);
  return {
    bytes,
    // The fixed management rules come on top of the planned ones (one block per config).
    rules: t.rules + 6,
    objects: t.objects,
    deviceGroups: plan.kind === 'panorama' ? plan.dgs.length : 0,
    ruleBytes: tally.rules,
    objectBytes: tally.objects,
    ms: Date.now() - t0,
  };
}

/** The whole config as one string. */
export function generate(opts: GenerateOptions): string {
  const { seed, plan } = prepare(opts);
  const sink = new StringSink();
  render(opts.kind, opts.format, plan, seed, sink);
  return sink.toString();
}

/** Streams the config to `file` (no full copy in memory); returns sizes and timing. */
export function generateToFile(opts: GenerateOptions, file: string): GenerateStats {
  const t0 = Date.now();
  const { seed, plan } = prepare(opts);
  const sink = new FileSink(file);
  let tally: Tally;
  try {
    tally = render(opts.kind, opts.format, plan, seed, sink);
  } finally {
    sink.close();
  }
  return stats(plan, sink.bytes, tally, t0);
}

/** `10MB`, `500KB`, `1.5GB` (binary units) or plain bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}' (use e.g. 10MB, 500KB, 1GB or bytes)`);
  const unit = (m[2] ?? '').toUpperCase()[0];
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  return Math.round(parseFloat(m[1]!) * mult);
}

function main(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'Usage: node out/bench/generate.js [--kind panorama|firewall] [--format xml|set] [--size 10MB] [--seed 1]\n' +
        '                                  [--size-format xml|set] [--out FILE]\n' +
        'Writes a deterministic generated config (default: $TMPDIR/panos-<kind>-<size>-s<seed>.<format>) and prints its stats as JSON.\n',
    );
    return;
  }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
    args.set(a.slice(2), argv[++i] ?? '');
  }
  const kind = args.get('kind') ?? 'panorama';
  const format = args.get('format') ?? 'xml';
  const sizeFormat = args.get('size-format');
  if (kind !== 'panorama' && kind !== 'firewall') throw new Error('--kind panorama|firewall');
  if (format !== 'xml' && format !== 'set') throw new Error('--format xml|set');
  if (sizeFormat !== undefined && sizeFormat !== 'xml' && sizeFormat !== 'set') throw new Error('--size-format xml|set');
  const opts: GenerateOptions = { kind, format, targetBytes: parseSize(args.get('size') ?? '10MB'), seed: Number(args.get('seed') ?? '1') };
  if (sizeFormat) opts.sizeFormat = sizeFormat;
  const out = args.get('out') ?? path.join(os.tmpdir(), `panos-${kind}-${args.get('size') ?? '10MB'}-s${opts.seed}.${format === 'xml' ? 'xml' : 'set'}`);
  const s = generateToFile(opts, out);
  process.stdout.write(JSON.stringify({ out, target: opts.targetBytes, ...s }) + '\n');
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
