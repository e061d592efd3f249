/**
 * @fileoverview The scenario fixtures: a firewall in front of Panorama with a tight, complete rule
 * set, variants that break it one way each, a Panorama whose device-group pre-rulebase carries the
 * rules, and a config whose verdicts depend on FQDN and dynamic groups.
 */
import type { RuleDraft } from '../../server/src/core/fixes/render';
import type { FirewallSpec, PanoramaSpec, Spec } from './spec';

export type Scenario = { name: string; description: string; spec: Spec; env: Record<string, unknown> };

const NET = {
  interfaces: [
    { name: 'ethernet1/1', ip: '203.0.113.2/24', zone: 'untrust' },
    { name: 'ethernet1/2', ip: '10.10.10.1/24', zone: 'mgmt' },
    { name: 'ethernet1/3', ip: '10.20.0.1/16', zone: 'devices' },
    { name: 'ethernet1/4', ip: '10.30.0.1/24', zone: 'admin' },
    { name: 'ethernet1/5', ip: '10.40.0.1/24', zone: 'services' },
  ],
  routes: [{ name: 'default-route', destination: '0.0.0.0/0', iface: 'ethernet1/1', nexthop: '203.0.113.1' }],
};

const ENV = {
  panorama: ['10.10.10.5'],
  logCollectors: ['10.10.10.6'],
  managedDevices: ['10.20.0.0/24'],
  adminClients: ['10.30.0.0/24'],
  peers: { dnsServers: ['10.40.0.53'], ntpServers: ['10.40.0.123'], syslogServers: ['10.40.0.14'] },
  features: { syslogProfile: true },
};

const allowCommon = { action: 'allow' as const, logSetting: 'fwd-logs', profileGroup: 'pg-default' };

function tightRules(): RuleDraft[] {
  return [
    { name: 'Admin to Panorama', from: ['admin'], to: ['mgmt'], source: ['admin-clients'], destination: ['panorama', 'log-collector'], application: ['ssh', 'ssl'], service: ['application-default'], ...allowCommon },
    { name: 'Devices to Panorama', from: ['devices'], to: ['mgmt'], source: ['managed-devices'], destination: ['panorama', 'log-collector'], application: ['panorama', 'paloalto-updates'], service: ['application-default'], ...allowCommon },
    { name: 'Panorama to services', from: ['mgmt'], to: ['services'], source: ['panorama', 'log-collector'], destination: ['dns-server', 'ntp-server', 'syslog-server'], application: ['dns', 'ntp', 'syslog'], service: ['application-default'], ...allowCommon },
    { name: 'Panorama to Internet', from: ['mgmt'], to: ['untrust'], source: ['panorama'], destination: ['any'], application: ['paloalto-updates', 'paloalto-shared-services'], service: ['application-default'], ...allowCommon },
    { name: 'Deny other to Panorama', from: ['any'], to: ['any'], source: ['any'], destination: ['panorama', 'log-collector'], application: ['any'], service: ['any'], action: 'deny', logSetting: 'fwd-logs', logEnd: true },
    { name: 'Deny other from Panorama', from: ['any'], to: ['any'], source: ['panorama', 'log-collector'], destination: ['any'], application: ['any'], service: ['any'], action: 'deny', logSetting: 'fwd-logs', logEnd: true },
    { name: 'Users to Internet', from: ['admin'], to: ['untrust'], source: ['any'], destination: ['any'], application: ['web-browsing', 'ssl'], service: ['application-default'], ...allowCommon },
  ];
}

function firewall(rules: RuleDraft[], extra: Partial<FirewallSpec> = {}): FirewallSpec {
  return {
    kind: 'firewall',
    hostname: 'fw-edge',
    mgmtIp: '192.0.2.10',
    panoramaServer: '10.10.10.5',
    net: NET,
    objects: [
      { type: 'address', name: 'panorama', value: '10.10.10.5/32' },
      { type: 'address', name: 'log-collector', value: '10.10.10.6/32' },
      { type: 'address', name: 'managed-devices', value: '10.20.0.0/24' },
      { type: 'address', name: 'admin-clients', value: '10.30.0.0/24' },
      { type: 'address', name: 'dns-server', value: '10.40.0.53/32' },
      { type: 'address', name: 'ntp-server', value: '10.40.0.123/32' },
      { type: 'address', name: 'syslog-server', value: '10.40.0.14/32' },
    ],
    profileGroups: ['pg-default'],
    logProfiles: ['fwd-logs'],
    rules,
    ...extra,
  };
}

function edit(rules: RuleDraft[], name: string, patch: Partial<RuleDraft>): RuleDraft[] {
  return rules.map((r) => (r.name === name ? { ...r, ...patch } : r));
}

const tight = tightRules();

const panorama: PanoramaSpec = {
  kind: 'panorama',
  hostname: 'panorama-1',
  mgmtIp: '10.10.10.5',
  permittedIp: ['10.30.0.0/24', '10.20.0.0/16'],
  dns: ['10.40.0.53'],
  ntp: ['10.40.0.123'],
  managed: ['0001', '0002'],
  logCollectors: [{ serial: '0000LC1', ip: '10.10.10.6', permittedIp: ['10.10.10.0/24', '10.20.0.0/16'] }],
  collectorGroups: [{ name: 'cg1', collectors: ['0000LC1'] }],
  syslog: [{ name: 'syslog-prof', servers: [{ name: 's1', host: '10.40.0.14', transport: 'UDP', port: '514' }] }],
  sharedObjects: [
    { type: 'address', name: 'panorama', value: '10.10.10.5/32' },
    { type: 'address', name: 'log-collector', value: '10.10.10.6/32' },
  ],
  profileGroups: ['pg-default'],
  logProfiles: ['fwd-logs'],
  sharedPre: [],
  sharedPost: [],
  templates: [{ name: 'edge-net', net: NET, vsysZones: [] }],
  stacks: [{ name: 'edge-stack', templates: ['edge-net'], devices: ['0001'] }],
  deviceGroups: [
    {
      name: 'branches',
      devices: ['0002'],
      objects: [],
      pre: [
        // Ancestor pre-rules run first: this one blocks DNS from Panorama for every child group.
        { name: 'Block external DNS', from: ['any'], to: ['services'], source: ['any'], destination: ['any'], application: ['dns'], service: ['application-default'], action: 'deny', logSetting: 'fwd-logs' },
        // Targeted at another firewall: it must not block NTP on 0001.
        { name: 'Branch NTP block', from: ['any'], to: ['any'], source: ['any'], destination: ['any'], application: ['ntp'], service: ['application-default'], action: 'deny', target: { devices: ['0002'] } },
      ],
      post: [],
    },
    {
      name: 'edge-dg',
      parent: 'branches',
      devices: ['0001'],
      objects: [
        { type: 'address', name: 'managed-devices', value: '10.20.0.0/24' },
        { type: 'address', name: 'admin-clients', value: '10.30.0.0/24' },
        { type: 'address', name: 'services-net', value: '10.40.0.0/24' },
      ],
      pre: [
        { name: 'Admin to Panorama', from: ['admin'], to: ['mgmt'], source: ['admin-clients'], destination: ['panorama', 'log-collector'], application: ['ssh', 'ssl'], service: ['application-default'], ...allowCommon },
        { name: 'Devices to Panorama', from: ['devices'], to: ['mgmt'], source: ['managed-devices'], destination: ['panorama', 'log-collector'], application: ['panorama', 'paloalto-updates'], service: ['application-default'], ...allowCommon },
        { name: 'Panorama to services', from: ['mgmt'], to: ['services'], source: ['panorama', 'log-collector'], destination: ['services-net'], application: ['dns', 'ntp', 'syslog'], service: ['application-default'], ...allowCommon },
        { name: 'Panorama to Internet', from: ['mgmt'], to: ['untrust'], source: ['panorama'], destination: ['any'], application: ['paloalto-updates', 'paloalto-shared-services'], service: ['application-default'], ...allowCommon },
        { name: 'Deny other to Panorama', from: ['any'], to: ['any'], source: ['any'], destination: ['panorama', 'log-collector'], application: ['any'], service: ['any'], action: 'deny', logSetting: 'fwd-logs', logEnd: true },
        { name: 'Deny other from Panorama', from: ['any'], to: ['any'], source: ['panorama', 'log-collector'], destination: ['any'], application: ['any'], service: ['any'], action: 'deny', logSetting: 'fwd-logs', logEnd: true },
      ],
      post: [],
    },
  ],
};

/** The bundled example (`npm start`): a firewall in front of Panorama with three typical problems. */
export const example: Scenario = {
  name: 'example-firewall',
  description: 'Example for npm start: NTP missing from the services rule, service any on the managed-devices rule, and Panorama HA (ssh on tcp/28) allowed with application-default only.',
  spec: firewall(
    [
      ...edit(edit(tight.slice(0, 4), 'Panorama to services', { application: ['dns', 'syslog'] }), 'Devices to Panorama', { service: ['any'] }),
      { name: 'Panorama HA', from: ['mgmt', 'dr'], to: ['mgmt', 'dr'], source: ['panorama', 'panorama-peer'], destination: ['panorama', 'panorama-peer'], application: ['ssh'], service: ['application-default'], ...allowCommon },
      ...edit(edit(tight.slice(4), 'Deny other to Panorama', { destination: ['panorama', 'log-collector', 'panorama-peer'] }), 'Deny other from Panorama', { source: ['panorama', 'log-collector', 'panorama-peer'] }),
    ],
    {
      net: { interfaces: [...NET.interfaces, { name: 'ethernet1/6', ip: '10.50.0.1/24', zone: 'dr' }], routes: NET.routes },
      objects: [...firewall([]).objects, { type: 'address', name: 'panorama-peer', value: '10.50.0.5/32' }],
    },
  ),
  env: { ...ENV, haPeer: ['10.50.0.5'], features: { syslogProfile: true, ha: 'encrypted' } },
};

export const scenarios: Scenario[] = [
  { name: 'fw-tight', description: 'Firewall in front of Panorama with a tight, complete rule set: no missing and no overbroad finding.', spec: firewall(tight), env: ENV },
  {
    name: 'fw-flow-removed',
    description: 'NTP was removed from the Panorama-to-services rule: the NTP flow falls to the final deny.',
    spec: firewall(edit(tight, 'Panorama to services', { application: ['dns', 'syslog'] })),
    env: ENV,
  },
  { name: 'fw-application-any', description: 'The admin rule allows application any.', spec: firewall(edit(tight, 'Admin to Panorama', { application: ['any'] })), env: ENV },
  { name: 'fw-service-any', description: 'The managed-devices rule allows service any.', spec: firewall(edit(tight, 'Devices to Panorama', { service: ['any'] })), env: ENV },
  {
    name: 'fw-internet-source-any',
    description: 'The admin rule accepts any source, also from the Internet-facing zone.',
    spec: firewall(edit(tight, 'Admin to Panorama', { from: ['admin', 'untrust'], source: ['any'] })),
    env: ENV,
  },
  {
    name: 'fw-ssh28-application-default',
    description: 'Panorama HA with encryption (ssh on tcp/28) through the firewall, allowed with application-default only.',
    spec: firewall(
      [
        ...tight.slice(0, 4),
        { name: 'Panorama HA', from: ['mgmt', 'dr'], to: ['mgmt', 'dr'], source: ['panorama', 'panorama-peer'], destination: ['panorama', 'panorama-peer'], application: ['ssh'], service: ['application-default'], ...allowCommon },
        ...edit(edit(tight.slice(4), 'Deny other to Panorama', { destination: ['panorama', 'log-collector', 'panorama-peer'] }), 'Deny other from Panorama', { source: ['panorama', 'log-collector', 'panorama-peer'] }),
      ],
      {
        net: { interfaces: [...NET.interfaces, { name: 'ethernet1/6', ip: '10.50.0.1/24', zone: 'dr' }], routes: NET.routes },
        objects: [...firewall([]).objects, { type: 'address', name: 'panorama-peer', value: '10.50.0.5/32' }],
      },
    ),
    env: { ...ENV, haPeer: ['10.50.0.5'], features: { syslogProfile: true, ha: 'encrypted' } },
  },
  {
    name: 'fw-shadowed',
    description: 'A broad admin rule above the Panorama rules shadows the admin-to-Panorama rule.',
    spec: firewall([{ name: 'Admin anything', from: ['admin'], to: ['any'], source: ['admin-clients'], destination: ['any'], application: ['any'], service: ['any'], ...allowCommon }, ...tight]),
    env: ENV,
  },
  {
    name: 'fw-earlier-deny',
    description: 'An earlier deny for SSH blocks the admin CLI flow.',
    spec: firewall([{ name: 'Block SSH', from: ['any'], to: ['any'], source: ['any'], destination: ['any'], application: ['ssh'], service: ['application-default'], action: 'deny', logSetting: 'fwd-logs' }, ...tight]),
    env: ENV,
  },
  {
    name: 'fw-fqdn-dynamic',
    description: 'The NTP server is an FQDN object and managed devices a dynamic group: their verdicts are unknown, not guessed.',
    spec: firewall(
      edit(edit(tight, 'Panorama to services', { destination: ['dns-server', 'ntp-fqdn', 'syslog-server'] }), 'Devices to Panorama', { source: ['dyn-devices'] }),
      {
        objects: [
          ...firewall([]).objects,
          { type: 'address', name: 'ntp-fqdn', value: 'ntp.example.net', kind: 'fqdn' },
          { type: 'address-group', name: 'dyn-devices', members: [], filter: "'managed-fw'" },
        ],
      },
    ),
    env: ENV,
  },
  {
    name: 'panorama-dg',
    description: 'Panorama whose device-group pre-rulebase carries the Panorama rules; the parent group blocks DNS first; a rule targeted at another firewall does not apply.',
    spec: panorama,
    env: { managedDevices: ['10.20.0.0/24'], adminClients: ['10.30.0.0/24'] },
  },
];
