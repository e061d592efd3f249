/**
 * @fileoverview The config model: one shape for both text forms. Every node keeps the span it was
 * read from; checks never know which form the text was in.
 */
import type { CNode } from '../parse/tree';
import type { Located, Span } from '../text';

export type DeviceKind = 'firewall' | 'panorama' | 'unknown';

/** A member list field of a rule or object, with the field node for edits. */
export type MemberList = {
  items: Located<string>[];
  /** The field node (`<source>` / set `source`), absent when the field is not set. */
  node: CNode | undefined;
};

export type RuleAction = 'allow' | 'deny' | 'drop' | 'reset-client' | 'reset-server' | 'reset-both' | 'unknown';

export type Rule = {
  name: string;
  nameSpan: Span;
  node: CNode;
  /** 0-based position in its rulebase. */
  index: number;
  rulebase: Rulebase;
  from: MemberList;
  to: MemberList;
  source: MemberList;
  destination: MemberList;
  /** The member values of `from`, read without their spans. */
  fromNames: readonly string[];
  /** The member values of `to`, read without their spans. */
  toNames: readonly string[];
  /** The member values of `source`, read without their spans (asked of every rule; few need more). */
  sourceNames: readonly string[];
  /** The member values of `destination`, read without their spans. */
  destinationNames: readonly string[];
  /**
   * The member values of `source` or `destination`, or undefined when that side is negated, kept only
   * if they were read before: asked once of every rule of every device group when Panorama's device
   * groups are chosen, of which the analysis reads most no further.
   */
  addressNamesOnce(side: 'source' | 'destination'): readonly string[] | undefined;
  sourceUser: MemberList;
  category: MemberList;
  application: MemberList;
  /** The member values of `application`, read without their spans. */
  applicationNames: readonly string[];
  service: MemberList;
  sourceHip: MemberList;
  destinationHip: MemberList;
  action: RuleAction;
  actionValue: Located<string> | undefined;
  disabled: boolean;
  disabledValue: Located<string> | undefined;
  negateSource: boolean;
  negateDestination: boolean;
  ruleType: 'universal' | 'intrazone' | 'interzone';
  logSetting: Located<string> | undefined;
  logStart: boolean;
  /** Logging at session end; PAN-OS default is yes. */
  logEnd: boolean;
  profileGroup: MemberList;
  /** The first member of `profile-setting/group` and the `log-setting` value, read without spans (for counting). */
  profileGroupName: string | undefined;
  logSettingName: string | undefined;
  /** `profile-setting/profiles/<kind>` members by kind. */
  profiles: Map<string, MemberList>;
  /** Panorama `target`; undefined = all devices of the device group. */
  target: { devices: { serial: Located<string>; vsys: string[] }[]; negate: boolean } | undefined;
  tags: MemberList;
  description: Located<string> | undefined;
  uuid: string | undefined;
};

export type RulebaseKind = 'local' | 'pre' | 'post';

export type Rulebase = {
  /** `vsys:vsys1`, `shared/pre`, `shared/post`, `device-group:DG/pre`, `panorama/pre` (pushed, on a firewall). */
  location: string;
  kind: RulebaseKind;
  scope: Scope;
  rules: Rule[];
  /** The `security/rules` node when present. */
  rulesNode: CNode | undefined;
  /** The deepest existing ancestor of the rules node on its path (for inserting containers). */
  anchor: { node: CNode; missing: string[] } | undefined;
  /** Default security rules overrides at this level (firewall vsys, Panorama shared/DG post). */
  defaults: DefaultRules | undefined;
  /** Where findings about the whole rulebase go: the `rules` key, else its nearest existing ancestor's. */
  span: Span;
};

export type DefaultRules = {
  intrazone: { action: RuleAction; logEnd: boolean; node: CNode | undefined; span: Span | undefined };
  interzone: { action: RuleAction; logEnd: boolean; node: CNode | undefined; span: Span | undefined };
};

export type AddressObject = {
  name: string;
  nameSpan: Span;
  node: CNode;
  scope: Scope;
  type: 'ip-netmask' | 'ip-range' | 'fqdn' | 'ip-wildcard' | 'unknown';
  value: Located<string> | undefined;
  /** `type` and the text of `value`, read without spans (what resolving the address needs). */
  typeAndText: { type: AddressObject['type']; text: string | undefined };
  description: Located<string> | undefined;
  tags: string[];
};

export type AddressGroup = {
  name: string;
  nameSpan: Span;
  node: CNode;
  scope: Scope;
  static: Located<string>[] | undefined;
  /** The member values of `static`, read without their spans (empty when there is none). */
  staticNames: readonly string[];
  /** Whether the group is dynamic (has a `dynamic` child), without reading its filter. */
  dynamic: boolean;
  dynamicFilter: Located<string> | undefined;
  description: Located<string> | undefined;
};

export type ServiceObject = {
  name: string;
  nameSpan: Span;
  node: CNode;
  scope: Scope;
  protocol: 'tcp' | 'udp' | 'sctp' | undefined;
  port: Located<string> | undefined;
  sourcePort: Located<string> | undefined;
  description: Located<string> | undefined;
};

export type GroupObject = {
  name: string;
  nameSpan: Span;
  node: CNode;
  scope: Scope;
  members: Located<string>[];
  /** The member list node (`members` or, legacy application-group, the entry itself). */
  membersNode: CNode | undefined;
  /** Legacy schema: `application-group/entry/member` without `<members>` (PAN-OS 6.x). */
  legacy: boolean;
};

export type NamedObject = { name: string; nameSpan: Span; node: CNode; scope: Scope };

export type ScopeKind = 'shared' | 'vsys' | 'device-group' | 'pushed';

/** An object namespace: Panorama shared, a device group, a firewall vsys (+ its shared). */
export type Scope = {
  kind: ScopeKind;
  name: string;
  /** Where names not found here are looked up (DG parent, then shared). */
  parent: Scope | undefined;
  node: CNode | undefined;
  addresses: Map<string, AddressObject>;
  addressGroups: Map<string, AddressGroup>;
  services: Map<string, ServiceObject>;
  serviceGroups: Map<string, GroupObject>;
  applicationGroups: Map<string, GroupObject>;
  applicationFilters: Map<string, NamedObject>;
  applications: Map<string, NamedObject>;
  externalLists: Map<string, NamedObject>;
  tags: Map<string, NamedObject>;
  profileGroups: Map<string, NamedObject>;
  logForwarding: Map<string, NamedObject>;
  regions: Map<string, NamedObject>;
};

export type Zone = {
  name: string;
  nameSpan: Span;
  node: CNode;
  interfaces: string[];
  /** Where it is defined: `vsys1`, `template:T/vsys1`. */
  where: string;
};

export type Interface = { name: string; ips: Located<string>[]; node: CNode };

export type StaticRoute = { name: string; destination: string; iface: string | undefined; nexthop: string | undefined; node: CNode };

/** Zones, interfaces and routes of one device (a firewall, or what a template pushes). */
export type Network = {
  zones: Zone[];
  interfaces: Map<string, Interface>;
  routes: StaticRoute[];
};

/** Management-plane settings (`deviceconfig/system`). */
export type Mgmt = {
  node: CNode | undefined;
  /** The key of the `system` node (findings about the management settings go there). */
  keySpan: Span | undefined;
  hostname: Located<string> | undefined;
  ipAddress: Located<string> | undefined;
  netmask: Located<string> | undefined;
  ipv6Address: Located<string> | undefined;
  permittedIps: Located<string>[];
  /** `service/disable-*` values by service name (`http`, `telnet`, …). */
  serviceDisables: Map<string, Located<string>>;
  serviceNode: CNode | undefined;
  panoramaServers: Located<string>[];
  ntpServers: Located<string>[];
  dnsServers: Located<string>[];
  updateServer: Located<string> | undefined;
  /** SNMP polling configured (`snmp-setting/access-setting`). */
  snmpPolling: boolean;
  /** SCP destinations of scheduled config exports. */
  scpHosts: Located<string>[];
};

export type Ha = {
  node: CNode;
  enabled: boolean;
  peerIp: Located<string> | undefined;
  /** true = encrypted (tcp/28), false = clear text, undefined = not said. */
  encryption: boolean | undefined;
};

export type LogCollector = {
  serial: string;
  nameSpan: Span;
  node: CNode;
  mgmt: Mgmt;
};

export type CollectorGroup = { name: string; nameSpan: Span; node: CNode; collectors: Located<string>[] };

export type ServerProfileKind = 'syslog' | 'email' | 'snmptrap' | 'http' | 'ldap' | 'radius' | 'tacplus' | 'kerberos';

export type ServerProfile = {
  kind: ServerProfileKind;
  name: string;
  nameSpan: Span;
  node: CNode;
  /** `panorama`, `shared`, `vsys:vsys1`, `template:T`. */
  where: string;
  servers: {
    name: string;
    node: CNode;
    host: Located<string> | undefined;
    port: Located<string> | undefined;
    transport: Located<string> | undefined;
  }[];
};

export type DeviceGroup = {
  name: string;
  nameSpan: Span;
  node: CNode;
  parent: Located<string> | undefined;
  devices: Located<string>[];
  scope: Scope;
  pre: Rulebase;
  post: Rulebase;
};

export type Template = {
  name: string;
  nameSpan: Span;
  node: CNode;
  kind: 'template' | 'template-stack';
  /** Member templates of a stack. */
  templates: Located<string>[];
  devices: Located<string>[];
  network: Network;
  mgmt: Mgmt;
  vsys: string[];
};

export type Vsys = {
  name: string;
  node: CNode | undefined;
  scope: Scope;
  rulebase: Rulebase;
  zones: Zone[];
};

export type ConfigModel = {
  format: 'xml' | 'set';
  kind: DeviceKind;
  /** The key of the config root. */
  rootSpan: Span;
  version: Located<string> | undefined;
  detailVersion: Located<string> | undefined;
  root: CNode;
  shared: Scope;
  vsys: Vsys[];
  network: Network;
  mgmt: Mgmt;
  ha: Ha | undefined;
  /** Panorama: shared pre/post rulebases. Firewall: rules pushed by Panorama (`policy panorama`). */
  sharedPre: Rulebase | undefined;
  sharedPost: Rulebase | undefined;
  deviceGroups: DeviceGroup[];
  templates: Template[];
  logCollectors: LogCollector[];
  collectorGroups: CollectorGroup[];
  serverProfiles: ServerProfile[];
  managedDevices: Located<string>[];
  /** NFS log storage configured (legacy Panorama VM). */
  nfsStorage: Located<string> | undefined;
};

/** All rulebases of the model, Panorama ones in evaluation order. */
export function allRulebases(m: ConfigModel): Rulebase[] {
  const out: Rulebase[] = [];
  if (m.sharedPre) out.push(m.sharedPre);
  for (const dg of m.deviceGroups) out.push(dg.pre);
  for (const v of m.vsys) out.push(v.rulebase);
  for (const dg of m.deviceGroups) out.push(dg.post);
  if (m.sharedPost) out.push(m.sharedPost);
  return out;
}

/** Looks a name up in a scope chain (DG → ancestors → shared). */
export function lookup<K extends ScopeMapKey>(scope: Scope | undefined, kind: K, name: string): Scope[K] extends Map<string, infer V> ? V | undefined : never {
  for (let s = scope; s; s = s.parent) {
    const v = (s[kind] as Map<string, unknown>).get(name);
    if (v !== undefined) return v as never;
  }
  return undefined as never;
}

/** Address types in the order an entry is read for its value. */
const ADDRESS_TYPES = ['ip-netmask', 'ip-range', 'fqdn', 'ip-wildcard'] as const;

/**
 * An address entry's {@link AddressObject.typeAndText}, read from its node: what its object answers
 * (the model's address objects read it so), for an entry whose object is not made ({@link peekRead}).
 */
export function addressTypeAndText(node: CNode): AddressObject['typeAndText'] {
  for (const type of ADDRESS_TYPES) {
    const text = node.textValueOf(type);
    if (text !== undefined) return { type, text };
  }
  return { type: 'unknown', text: undefined };
}

/**
 * What `read` makes of the object `name` names in `scope`'s chain (as {@link lookup} finds it), or
 * undefined if no scope has one: through the maps' `peekWith` where they have one (`EntryMap`), an
 * entry whose object is not made yet is read from its node (`fromNode`) and no object is made.
 */
export function peekRead<K extends ScopeMapKey, R>(
  scope: Scope | undefined,
  kind: K,
  name: string,
  fromNode: (e: CNode) => R,
  read: (v: Scope[K] extends Map<string, infer V> ? V : never) => R,
): R | undefined {
  for (let s = scope; s; s = s.parent) {
    const m = s[kind] as Map<string, unknown> & { peekWith?: (name: string, fromNode: (e: CNode) => R, fromObject: (v: unknown) => R) => R | undefined };
    const v = m.peekWith ? m.peekWith(name, fromNode, read as (v: unknown) => R) : m.has(name) ? read(m.get(name) as never) : undefined;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A map's entries, through its `peekEntries` where it has one (`EntryMap`): objects not made yet are not kept. */
export function peekEntries<V>(m: Map<string, V>): Iterator<[string, V]> {
  const p = (m as Map<string, V> & { peekEntries?: () => Iterator<[string, V]> }).peekEntries;
  return p ? p.call(m) : m.entries();
}

/** The fields of a {@link Scope} that map object names to objects. */
export type ScopeMapKey = { [K in keyof Scope]-?: Scope[K] extends Map<string, unknown> ? K : never }[keyof Scope];
