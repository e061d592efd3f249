/**
 * @fileoverview Builds the {@link ConfigModel} from the parsed tree of either text form.
 * Locations follow ../shared/panos-reference.md (§2–§5); unverified ones are marked [U] there
 * and are read leniently (several shapes accepted).
 */
import type { ParsedDoc } from '../parse';
import { EntryMap, type CNode } from '../parse/tree';
import type { Located, Span } from '../text';
import type {
  AddressGroup,
  AddressObject,
  CollectorGroup,
  ConfigModel,
  DefaultRules,
  DeviceGroup,
  DeviceKind,
  GroupObject,
  Ha,
  Interface,
  LogCollector,
  MemberList,
  Mgmt,
  NamedObject,
  Network,
  Rule,
  RuleAction,
  Rulebase,
  RulebaseKind,
  Scope,
  ScopeKind,
  ServerProfile,
  ServerProfileKind,
  ServiceObject,
  StaticRoute,

  Vsys,
  Zone,
} from './types';
import { addressTypeAndText } from './types';

/** A routing table's static routes per address family, and the tag of their next hop's address. */
const ROUTE_FAMILIES = [
  ['ip', 'ip-address'],
  ['ipv6', 'ipv6-address'],
] as const;

/** Children of a zone's `network` that list its interfaces. */
const ZONE_IFACE_KINDS = new Set(['layer3', 'layer2', 'virtual-wire', 'tap', 'tunnel', 'external']);

const ACTIONS = new Set(['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both']);

function members(node: CNode | undefined): MemberList {
  return { items: node ? node.members() : [], node };
}

function yes(v: Located<string> | undefined, dflt: boolean): boolean {
  if (!v) return dflt;
  return v.value === 'yes';
}

function entryName(e: CNode): { name: string; span: { start: number; end: number } } | undefined {
  if (e.name === undefined) return undefined;
  return { name: e.name, span: e.nameSpan ?? e.keySpan };
}

export function emptyScope(kind: ScopeKind, name: string, parent: Scope | undefined, node: CNode | undefined): Scope {
  return {
    kind,
    name,
    parent,
    node,
    addresses: new EntryMap(),
    addressGroups: new EntryMap(),
    services: new EntryMap(),
    serviceGroups: new EntryMap(),
    applicationGroups: new EntryMap(),
    applicationFilters: new EntryMap(),
    applications: new EntryMap(),
    externalLists: new EntryMap(),
    tags: new EntryMap(),
    profileGroups: new EntryMap(),
    logForwarding: new Map(),
    regions: new EntryMap(),
  };
}

/**
 * Reads the objects held by a container node (shared, vsys entry, device-group entry): each object's
 * name now, the rest of it when first asked for (see {@link ReadAddress}).
 */
function fillScope(scope: Scope, c: CNode | undefined): void {
  if (!c) return;
  const each = <T extends { node: CNode }>(tag: string, into: Map<string, T>, make: (e: CNode, name: string) => T): void => c.child(tag)?.fillEntries(into, make);
  const named = (tag: string, into: Map<string, NamedObject>): void => each(tag, into, (e, name) => new NamedEntry(e, name, scope));
  each('address', scope.addresses, (e, name) => new ReadAddress(e, name, scope));
  each('address-group', scope.addressGroups, (e, name) => new ReadAddressGroup(e, name, scope));
  each('service', scope.services, (e, name) => new ReadService(e, name, scope));
  each('service-group', scope.serviceGroups, (e, name) => new ReadGroup(e, name, scope, false));
  each('application-group', scope.applicationGroups, (e, name) => new ReadGroup(e, name, scope, true));
  named('application-filter', scope.applicationFilters);
  named('application', scope.applications);
  named('external-list', scope.externalLists);
  named('tag', scope.tags);
  named('profile-group', scope.profileGroups);
  named('region', scope.regions);
  const lf = c.child('log-settings')?.child('profiles');
  if (lf) {
    for (const e of lf.entries()) {
      const n = entryName(e);
      if (n && !scope.logForwarding.has(n.name)) scope.logForwarding.set(n.name, { name: n.name, nameSpan: n.span, node: e, scope });
    }
  }
}

/** Marks a lazily read field not read yet (its value may be `undefined`). */
const UNREAD: unique symbol = Symbol('unread');

/**
 * A named object that is only looked up by name (application, filter, external list, tag, profile
 * group, region): the span of its name when asked for. A class of its own, not a {@link ReadObject}:
 * a fifth kind of object through ReadObject's constructor made its field stores megamorphic (the
 * model took half as long again).
 */
class NamedEntry implements NamedObject {
  private _nameSpan: Span | undefined;

  constructor(
    readonly node: CNode,
    readonly name: string,
    readonly scope: Scope,
  ) {}

  get nameSpan(): Span {
    return (this._nameSpan ??= entrySpan(this.node));
  }
}

/**
 * An object read from its entry: the name now, the fields when first asked for, as spans recorded
 * like the model's (see `CNode.tracked`). A large config holds tens of thousands of objects of which
 * the policy reads the few its rules name; reading every field of every object was about a third of
 * building the model of an object-heavy file.
 */
abstract class ReadObject implements NamedObject {
  private _nameSpan: Span | undefined;

  constructor(
    readonly node: CNode,
    readonly name: string,
    readonly scope: Scope,
  ) {}

  get nameSpan(): Span {
    return (this._nameSpan ??= entrySpan(this.node));
  }

  protected read<T>(f: (e: CNode) => T): T {
    return this.node.tracked(() => f(this.node));
  }
}

class ReadAddress extends ReadObject implements AddressObject {
  private typed: { type: AddressObject['type']; value: Located<string> | undefined } | undefined;
  private tt: AddressObject['typeAndText'] | undefined;
  private _description: Located<string> | undefined | typeof UNREAD = UNREAD;
  private _tags: string[] | undefined;

  private typedValue(): { type: AddressObject['type']; value: Located<string> | undefined } {
    // The type is found as typeAndText finds it (one reading of which child holds the value).
    return (this.typed ??= this.read((e) => {
      const type = this.typeAndText.type;
      return { type, value: type === 'unknown' ? undefined : e.textOf(type) };
    }));
  }
  get type(): AddressObject['type'] {
    return this.typedValue().type;
  }
  get value(): Located<string> | undefined {
    return this.typedValue().value;
  }
  get typeAndText(): AddressObject['typeAndText'] {
    return (this.tt ??= this.readTypeAndText());
  }
  private readTypeAndText(): AddressObject['typeAndText'] {
    return addressTypeAndText(this.node);
  }
  get description(): Located<string> | undefined {
    if (this._description === UNREAD) this._description = this.read((e) => e.textOf('description'));
    return this._description;
  }
  get tags(): string[] {
    return (this._tags ??= this.node.child('tag')?.members().map((m) => m.value) ?? []);
  }
}

class ReadAddressGroup extends ReadObject implements AddressGroup {
  private _static: Located<string>[] | undefined | typeof UNREAD = UNREAD;
  private _staticNames: readonly string[] | undefined;
  private _dynamic: boolean | undefined;
  private _dynamicFilter: Located<string> | undefined | typeof UNREAD = UNREAD;
  private _description: Located<string> | undefined | typeof UNREAD = UNREAD;

  get static(): Located<string>[] | undefined {
    if (this._static === UNREAD) this._static = this.read((e) => e.child('static')?.members());
    return this._static;
  }
  get staticNames(): readonly string[] {
    return (this._staticNames ??= this.node.memberValuesOf('static'));
  }
  get dynamic(): boolean {
    return (this._dynamic ??= this.node.child('dynamic') !== undefined);
  }
  get dynamicFilter(): Located<string> | undefined {
    if (this._dynamicFilter === UNREAD) {
      this._dynamicFilter = this.read((e) => {
        const dyn = e.child('dynamic');
        return dyn ? (dyn.textOf('filter') ?? { value: '', span: dyn.keySpan }) : undefined;
      });
    }
    return this._dynamicFilter;
  }
  get description(): Located<string> | undefined {
    if (this._description === UNREAD) this._description = this.read((e) => e.textOf('description'));
    return this._description;
  }
}

class ReadService extends ReadObject implements ServiceObject {
  private proto: { protocol: ServiceObject['protocol']; port: Located<string> | undefined; sourcePort: Located<string> | undefined } | undefined;
  private _description: Located<string> | undefined | typeof UNREAD = UNREAD;

  private protoValue(): NonNullable<ReadService['proto']> {
    return (this.proto ??= this.read((e) => {
      const proto = e.child('protocol');
      for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
        const pn = proto?.child(protocol);
        if (pn) return { protocol, port: pn.textOf('port'), sourcePort: pn.textOf('source-port') };
      }
      // set form: `protocol tcp` as a value with no port.
      const v = proto?.text()?.value;
      return { protocol: v === 'tcp' || v === 'udp' || v === 'sctp' ? v : undefined, port: undefined, sourcePort: undefined };
    }));
  }
  get protocol(): ServiceObject['protocol'] {
    return this.protoValue().protocol;
  }
  get port(): Located<string> | undefined {
    return this.protoValue().port;
  }
  get sourcePort(): Located<string> | undefined {
    return this.protoValue().sourcePort;
  }
  get description(): Located<string> | undefined {
    if (this._description === UNREAD) this._description = this.read((e) => e.textOf('description'));
    return this._description;
  }
}

/** A service group or application group (`legacyOk`: the PAN-OS 6.x application-group schema). */
class ReadGroup extends ReadObject implements GroupObject {
  private list: { members: Located<string>[]; membersNode: CNode | undefined; legacy: boolean } | undefined;

  constructor(node: CNode, name: string, scope: Scope, private readonly legacyOk: boolean) {
    super(node, name, scope);
  }

  private memberList(): NonNullable<ReadGroup['list']> {
    return (this.list ??= this.read((e) => {
      const mn = e.child('members');
      if (mn) return { members: mn.members(), membersNode: mn, legacy: false };
      const legacy = this.legacyOk && e.members().length > 0;
      return legacy ? { members: e.members(), membersNode: e, legacy } : { members: [], membersNode: undefined, legacy };
    }));
  }
  get members(): Located<string>[] {
    return this.memberList().members;
  }
  get membersNode(): CNode | undefined {
    return this.memberList().membersNode;
  }
  get legacy(): boolean {
    return this.memberList().legacy;
  }
}

function parseAction(v: string | undefined): RuleAction {
  return v && ACTIONS.has(v) ? (v as RuleAction) : v === undefined ? 'unknown' : 'unknown';
}

export function readRule(e: CNode, index: number, rb: Rulebase): Rule | undefined {
  const name = e.name;
  return name === undefined ? undefined : new ReadRule(e, name, index, rb);
}

/** The span of an entry's name (its key's when it has none), recorded like the model's spans. */
function entrySpan(e: CNode): Span {
  return e.tracked(() => e.nameSpan ?? e.keySpan);
}

/**
 * The fields of a {@link ReadRule} that the policy reads of some of its rules only (the rules a flow
 * reaches, and those the checks look further into): kept apart, made when one is first asked for.
 */
class RuleFields {
  from: MemberList | undefined;
  to: MemberList | undefined;
  source: MemberList | undefined;
  destination: MemberList | undefined;
  sourceNames: readonly string[] | undefined;
  destinationNames: readonly string[] | undefined;
  applicationNames: readonly string[] | undefined;
  application: MemberList | undefined;
  service: MemberList | undefined;
  tags: MemberList | undefined;
  actionValue: Located<string> | undefined | typeof UNREAD = UNREAD;
  disabledValue: Located<string> | undefined | typeof UNREAD = UNREAD;
  negateSource: boolean | typeof UNREAD = UNREAD;
  negateDestination: boolean | typeof UNREAD = UNREAD;
  ruleType: Rule['ruleType'] | undefined;
  logEnd: boolean | typeof UNREAD = UNREAD;
  description: Located<string> | undefined | typeof UNREAD = UNREAD;
  sourceUser: MemberList | undefined;
  category: MemberList | undefined;
  sourceHip: MemberList | undefined;
  destinationHip: MemberList | undefined;
  profileGroup: MemberList | undefined;
  profiles: Map<string, MemberList> | undefined;
  target: Rule['target'] | typeof UNREAD = UNREAD;
  logSetting: Located<string> | undefined | typeof UNREAD = UNREAD;
  logStart: boolean | typeof UNREAD = UNREAD;
  uuid: string | undefined | typeof UNREAD = UNREAD;
  nameSpan: Span | undefined;
}

/**
 * A security rule read from its entry: its name now, every field when first asked for, as spans
 * recorded like the model's (see `CNode.tracked`). The policy reads the applications of the rules of
 * the evaluated rulebases, the addresses of their allow rules and the rest of the few rules a flow
 * reaches; rules of rulebases no context evaluates are never read past their names.
 *
 * What the analysis reads of every rule (its zones, whether it is disabled, its action) is kept on the
 * object itself, the other ~30 fields in a {@link RuleFields} made for the rules read further: the
 * generated 50 MB firewall's 12,278 rule objects took 3.7 MB with every field on each, and 3,888 of
 * them are read past their zones and action (an analysis with fixes).
 */
class ReadRule implements Rule {
  private _fromNames: readonly string[] | undefined;
  private _toNames: readonly string[] | undefined;
  private _disabled: boolean | undefined;
  private _action: RuleAction | undefined;
  private _f: RuleFields | undefined;

  constructor(
    readonly node: CNode,
    readonly name: string,
    readonly index: number,
    readonly rulebase: Rulebase,
  ) {}

  /** The fields read of a few rules, made now if none was read yet. */
  private get f(): RuleFields {
    return (this._f ??= new RuleFields());
  }

  get nameSpan(): Span {
    const f = this.f;
    return (f.nameSpan ??= entrySpan(this.node));
  }
  get from(): MemberList {
    const f = this.f;
    return (f.from ??= this.list('from'));
  }
  get to(): MemberList {
    const f = this.f;
    return (f.to ??= this.list('to'));
  }
  get source(): MemberList {
    const f = this.f;
    return (f.source ??= this.list('source'));
  }
  get destination(): MemberList {
    const f = this.f;
    return (f.destination ??= this.list('destination'));
  }
  get fromNames(): readonly string[] {
    return (this._fromNames ??= this.namesOf(this._f?.from, 'from'));
  }
  get toNames(): readonly string[] {
    return (this._toNames ??= this.namesOf(this._f?.to, 'to'));
  }
  get sourceNames(): readonly string[] {
    const f = this.f;
    return (f.sourceNames ??= this.namesOf(f.source, 'source'));
  }
  get destinationNames(): readonly string[] {
    const f = this.f;
    return (f.destinationNames ??= this.namesOf(f.destination, 'destination'));
  }
  addressNamesOnce(side: 'source' | 'destination'): readonly string[] | undefined {
    const f = this._f;
    const source = side === 'source';
    const negate = f ? (source ? f.negateSource : f.negateDestination) : UNREAD;
    if (negate === UNREAD ? this.node.textValueOf(source ? 'negate-source' : 'negate-destination') === 'yes' : negate) return undefined;
    return (source ? f?.sourceNames : f?.destinationNames) ?? this.namesOf(source ? f?.source : f?.destination, side);
  }
  get applicationNames(): readonly string[] {
    const f = this.f;
    return (f.applicationNames ??= this.namesOf(f.application, 'application'));
  }
  get application(): MemberList {
    const f = this.f;
    return (f.application ??= this.list('application'));
  }
  get service(): MemberList {
    const f = this.f;
    return (f.service ??= this.list('service'));
  }
  get tags(): MemberList {
    const f = this.f;
    return (f.tags ??= this.list('tag'));
  }
  get actionValue(): Located<string> | undefined {
    const f = this.f;
    if (f.actionValue === UNREAD) f.actionValue = this.text('action');
    return f.actionValue;
  }
  get action(): RuleAction {
    // The value alone (asked of every rule; its span only by the few findings and fixes on the action).
    return (this._action ??= parseAction(this.valueOf(this._f ? this._f.actionValue : UNREAD, 'action')));
  }
  get disabledValue(): Located<string> | undefined {
    const f = this.f;
    if (f.disabledValue === UNREAD) f.disabledValue = this.text('disabled');
    return f.disabledValue;
  }
  get disabled(): boolean {
    return (this._disabled ??= this.valueOf(this._f ? this._f.disabledValue : UNREAD, 'disabled') === 'yes');
  }
  get negateSource(): boolean {
    const f = this.f;
    if (f.negateSource === UNREAD) f.negateSource = yes(this.node.textOf('negate-source'), false);
    return f.negateSource;
  }
  get negateDestination(): boolean {
    const f = this.f;
    if (f.negateDestination === UNREAD) f.negateDestination = yes(this.node.textOf('negate-destination'), false);
    return f.negateDestination;
  }
  get ruleType(): Rule['ruleType'] {
    const f = this.f;
    if (f.ruleType === undefined) {
      const rt = this.node.textOf('rule-type')?.value;
      f.ruleType = rt === 'intrazone' || rt === 'interzone' ? rt : 'universal';
    }
    return f.ruleType;
  }
  get logEnd(): boolean {
    const f = this.f;
    if (f.logEnd === UNREAD) f.logEnd = yes(this.node.textOf('log-end'), true);
    return f.logEnd;
  }
  get description(): Located<string> | undefined {
    const f = this.f;
    if (f.description === UNREAD) f.description = this.text('description');
    return f.description;
  }

  /** A field's value: from its located value if that was read already, else from the text without a span. */
  private valueOf(read: Located<string> | undefined | typeof UNREAD, tag: string): string | undefined {
    return read !== UNREAD ? read?.value : this.node.textValueOf(tag);
  }

  /** A member list's values: from the list if it was read already, else from the text without spans. */
  private namesOf(list: MemberList | undefined, tag: string): readonly string[] {
    return list ? list.items.map((m) => m.value) : this.node.memberValuesOf(tag);
  }

  /** A member list read now, with its spans recorded (see `CNode.tracked`). */
  private listOf(field: () => CNode | undefined): MemberList {
    return this.node.tracked(() => members(field()));
  }

  /** The member list field `tag`, read now. */
  private list(tag: string): MemberList {
    return this.listOf(() => this.node.child(tag));
  }

  /** A scalar field read now, with its span recorded. */
  private text(tag: string): Located<string> | undefined {
    return this.node.tracked(() => this.node.textOf(tag));
  }

  get sourceUser(): MemberList {
    const f = this.f;
    return (f.sourceUser ??= this.list('source-user'));
  }
  get category(): MemberList {
    const f = this.f;
    return (f.category ??= this.list('category'));
  }
  get sourceHip(): MemberList {
    const f = this.f;
    return (f.sourceHip ??= this.listOf(() => this.node.child('source-hip') ?? this.node.child('hip-profiles')));
  }
  get destinationHip(): MemberList {
    const f = this.f;
    return (f.destinationHip ??= this.list('destination-hip'));
  }
  get profileGroup(): MemberList {
    const f = this.f;
    return (f.profileGroup ??= this.listOf(() => this.node.child('profile-setting')?.child('group')));
  }
  get profileGroupName(): string | undefined {
    const read = this._f?.profileGroup;
    return read ? read.items[0]?.value : this.node.child('profile-setting')?.memberValuesOf('group')[0];
  }
  get logSettingName(): string | undefined {
    const f = this._f;
    return f ? this.valueOf(f.logSetting, 'log-setting') : this.node.textValueOf('log-setting');
  }
  get profiles(): Map<string, MemberList> {
    const f = this.f;
    return (f.profiles ??= this.node.tracked(() => {
      const profiles = new Map<string, MemberList>();
      for (const k of this.node.child('profile-setting')?.child('profiles')?.children() ?? []) {
        profiles.set(k.tag, members(k));
      }
      return profiles;
    }));
  }
  get target(): Rule['target'] {
    const f = this.f;
    if (f.target === UNREAD) f.target = this.node.tracked(() => readTarget(this.node));
    return f.target;
  }
  get logSetting(): Located<string> | undefined {
    const f = this.f;
    if (f.logSetting === UNREAD) f.logSetting = this.text('log-setting');
    return f.logSetting;
  }
  get logStart(): boolean {
    const f = this.f;
    if (f.logStart === UNREAD) f.logStart = yes(this.node.textOf('log-start'), false);
    return f.logStart;
  }
  get uuid(): string | undefined {
    const f = this.f;
    if (f.uuid === UNREAD) f.uuid = this.node.attr('uuid')?.value ?? this.node.textOf('uuid')?.value;
    return f.uuid;
  }
}

/**
 * Reads every field of a rule that is not read yet: before its entry's text changes under it (an
 * incremental edit replaces the rule, and the old one is still asked what it matched).
 */
export function readAllFields(r: Rule): void {
  void [r.nameSpan, r.from, r.to, r.source, r.destination, r.application, r.service, r.tags, r.actionValue, r.action, r.disabledValue, r.disabled, r.negateSource, r.negateDestination, r.ruleType, r.logEnd, r.description];
  void [r.sourceUser, r.category, r.sourceHip, r.destinationHip, r.profileGroup, r.profiles, r.target, r.logSetting, r.logStart, r.uuid];
}

function readTarget(e: CNode): Rule['target'] {
  const tgt = e.child('target');
  if (!tgt) return undefined;
  const devs = tgt.child('devices')?.entries() ?? [];
  return {
    devices: devs
      .filter((d) => d.name !== undefined)
      .map((d) => ({
        serial: { value: d.name!, span: d.nameSpan ?? d.keySpan },
        vsys: (d.child('vsys')?.entries() ?? []).map((v) => v.name ?? ''),
      })),
    negate: yes(tgt.textOf('negate'), false),
  };
}

/** Reads `<container>/security/rules` as a rulebase; `path` names the container's missing parts. */
function readRulebase(location: string, kind: RulebaseKind, scope: Scope, container: CNode | undefined, anchorIfMissing: { node: CNode; missing: string[] } | undefined): Rulebase {
  const sec = container?.child('security');
  const rulesNode = sec?.child('rules');
  let anchor: Rulebase['anchor'];
  if (rulesNode) anchor = { node: rulesNode, missing: [] };
  else if (sec) anchor = { node: sec, missing: ['rules'] };
  else if (container) anchor = { node: container, missing: ['security', 'rules'] };
  else if (anchorIfMissing) anchor = { node: anchorIfMissing.node, missing: [...anchorIfMissing.missing, 'security', 'rules'] };
  const rb: Rulebase = { location, kind, scope, rules: [], rulesNode, anchor, defaults: undefined, span: rulesNode?.keySpan ?? anchor?.node.keySpan ?? { start: 0, end: 0 } };
  let i = 0;
  for (const e of rulesNode?.entries() ?? []) {
    const r = readRule(e, i, rb);
    if (r) {
      rb.rules.push(r);
      i++;
    }
  }
  const dr = container?.child('default-security-rules')?.child('rules');
  if (dr) rb.defaults = readDefaults(dr);
  return rb;
}

function readDefaults(rules: CNode): DefaultRules {
  const one = (name: string, dflt: RuleAction): DefaultRules['intrazone'] => {
    const e = rules.entry(name);
    return {
      action: e?.textOf('action') ? parseAction(e.textOf('action')!.value) : dflt,
      logEnd: yes(e?.textOf('log-end'), false),
      node: e,
      span: e ? (e.nameSpan ?? e.keySpan) : undefined,
    };
  };
  return { intrazone: one('intrazone-default', 'allow'), interzone: one('interzone-default', 'deny') };
}

function readMgmt(sys: CNode | undefined): Mgmt {
  const m: Mgmt = {
    node: sys,
    keySpan: sys?.keySpan,
    hostname: sys?.textOf('hostname'),
    ipAddress: sys?.textOf('ip-address'),
    netmask: sys?.textOf('netmask'),
    ipv6Address: sys?.textOf('ipv6-address'),
    permittedIps: [],
    serviceDisables: new Map(),
    serviceNode: sys?.child('service'),
    panoramaServers: [],
    ntpServers: [],
    dnsServers: [],
    updateServer: sys?.textOf('update-server'),
    snmpPolling: !!sys?.child('snmp-setting')?.child('access-setting'),
    scpHosts: [],
  };
  if (!sys) return m;
  const pip = sys.child('permitted-ip');
  if (pip) {
    for (const e of pip.entries()) {
      if (e.name !== undefined) m.permittedIps.push({ value: e.name, span: e.nameSpan ?? e.keySpan });
    }
    for (const v of pip.members()) m.permittedIps.push(v);
  }
  for (const k of m.serviceNode?.children() ?? []) {
    if (k.tag.startsWith('disable-')) {
      const t = k.text();
      if (t) m.serviceDisables.set(k.tag.slice('disable-'.length), t);
    }
  }
  for (const tag of ['panorama-server', 'panorama-server-2']) {
    const v = sys.textOf(tag);
    if (v && v.value) m.panoramaServers.push(v);
  }
  const lp = sys.child('panorama')?.child('local-panorama');
  for (const tag of ['panorama-server', 'panorama-server-2']) {
    const v = lp?.textOf(tag);
    if (v && v.value) m.panoramaServers.push(v);
  }
  const ntp = sys.child('ntp-servers');
  for (const tag of ['primary-ntp-server', 'secondary-ntp-server']) {
    const v = ntp?.child(tag)?.textOf('ntp-server-address');
    if (v && v.value) m.ntpServers.push(v);
  }
  const dns = sys.child('dns-setting')?.child('servers');
  for (const tag of ['primary', 'secondary']) {
    const v = dns?.textOf(tag);
    if (v && v.value) m.dnsServers.push(v);
  }
  for (const e of sys.child('config-bundle-export-schedule')?.entries() ?? []) {
    const h = e.child('protocol')?.child('scp')?.textOf('hostname');
    if (h && h.value) m.scpHosts.push(h);
  }
  return m;
}

function readHa(dc: CNode | undefined): Ha | undefined {
  const ha = dc?.child('high-availability');
  if (!ha) return undefined;
  // [U] paths: accept `peer-ip`, `peer/ip-address`, `peer-ip-address`; encryption as `encryption/enabled` or `encryption`.
  const peerIp = ha.textOf('peer-ip') ?? ha.child('peer')?.textOf('ip-address') ?? ha.textOf('peer-ip-address') ?? ha.child('peer')?.textOf('ip');
  const enc = ha.child('encryption');
  let encryption: boolean | undefined;
  if (enc) {
    const v = enc.textOf('enabled') ?? enc.text();
    if (v) encryption = v.value === 'yes';
  }
  return { node: ha, enabled: yes(ha.textOf('enabled'), !!peerIp), peerIp, encryption };
}

function readNetwork(device: CNode | undefined, vsysNodes: CNode[], where: string): Network {
  const net = device?.child('network');
  const interfaces = new Map<string, Interface>();
  const addIf = (name: string, node: CNode, ipParent: CNode | undefined): void => {
    const ips: Located<string>[] = [];
    for (const ipn of [ipParent?.child('ip'), ipParent?.child('ipv6')?.child('address')]) {
      if (!ipn) continue;
      for (const e of ipn.entries()) if (e.name !== undefined) ips.push({ value: e.name, span: e.nameSpan ?? e.keySpan });
      for (const m of ipn.members()) ips.push(m);
    }
    const existing = interfaces.get(name);
    if (existing) existing.ips.push(...ips);
    else interfaces.set(name, { name, ips, node });
  };
  const ifs = net?.child('interface');
  for (const kind of ['ethernet', 'aggregate-ethernet']) {
    for (const e of ifs?.child(kind)?.entries() ?? []) {
      if (e.name === undefined) continue;
      const l3 = e.child('layer3');
      addIf(e.name, e, l3);
      for (const u of l3?.child('units')?.entries() ?? []) if (u.name !== undefined) addIf(u.name, u, u);
    }
  }
  for (const kind of ['vlan', 'loopback', 'tunnel']) {
    const k = ifs?.child(kind);
    if (!k) continue;
    addIf(kind, k, k);
    for (const u of k.child('units')?.entries() ?? []) if (u.name !== undefined) addIf(u.name, u, u);
  }
  const routes: StaticRoute[] = [];
  // IPv4 routes (`ip`, next hop `ip-address`) and IPv6 routes (`ipv6`, next hop `ipv6-address`).
  const readRoutes = (rt: CNode | undefined): void => {
    for (const [family, hop] of ROUTE_FAMILIES) {
      for (const e of rt?.child(family)?.child('static-route')?.entries() ?? []) {
        const d = e.textOf('destination');
        if (e.name !== undefined && d) routes.push({ name: e.name, destination: d.value, iface: e.textOf('interface')?.value, nexthop: e.child('nexthop')?.textOf(hop)?.value, node: e });
      }
    }
  };
  for (const vr of net?.child('virtual-router')?.entries() ?? []) readRoutes(vr.child('routing-table'));
  for (const lr of net?.child('logical-router')?.entries() ?? []) {
    for (const vrf of lr.child('vrf')?.entries() ?? []) readRoutes(vrf.child('routing-table'));
  }
  const zones: Zone[] = [];
  for (const v of vsysNodes) {
    for (const z of v.child('zone')?.entries() ?? []) {
      const n = entryName(z);
      if (!n) continue;
      const nw = z.child('network');
      const ifaces: string[] = [];
      // Only the interface lists (`layer3`, `layer2`, …), not `zone-protection-profile`, `log-setting`, ….
      for (const k of nw?.children() ?? []) if (ZONE_IFACE_KINDS.has(k.tag)) for (const m of k.members()) ifaces.push(m.value);
      zones.push({ name: n.name, nameSpan: n.span, node: z, interfaces: ifaces, where: `${where}${v.name ?? 'vsys'}` });
    }
  }
  return { zones, interfaces, routes };
}

function readServerProfiles(c: CNode | undefined, where: string, out: ServerProfile[]): void {
  if (!c) return;
  const one = (kind: ServerProfileKind, list: CNode | undefined): void => {
    for (const e of list?.entries() ?? []) {
      const n = entryName(e);
      if (!n) continue;
      const servers: ServerProfile['servers'] = [];
      const collect = (node: CNode, depth: number): void => {
        for (const k of node.children()) {
          if (k.tag === 'server') {
            for (const s of k.entries()) {
              const host = s.textOf('server') ?? s.textOf('address') ?? s.textOf('ip-address') ?? s.textOf('gateway') ?? s.textOf('manager') ?? s.textOf('host');
              servers.push({ name: s.name ?? '', node: s, host, port: s.textOf('port'), transport: s.textOf('transport') ?? s.textOf('protocol') });
            }
          } else if (depth < 3) {
            collect(k, depth + 1);
          }
        }
      };
      collect(e, 0);
      out.push({ kind, name: n.name, nameSpan: n.span, node: e, where, servers });
    }
  };
  const ls = c.child('log-settings');
  for (const k of ['syslog', 'email', 'snmptrap', 'http'] as const) one(k, ls?.child(k));
  const sp = c.child('server-profile');
  for (const k of ['ldap', 'radius', 'tacplus', 'kerberos'] as const) one(k, sp?.child(k));
}

function detectKind(config: CNode, device: CNode | undefined): DeviceKind {
  if (config.child('panorama')) return 'panorama';
  if (device && (device.child('device-group') || device.child('template') || device.child('template-stack') || device.child('log-collector-group') || device.child('log-collector'))) return 'panorama';
  if (config.child('mgt-config')?.child('devices')?.entries().length) return 'panorama';
  if (device?.child('vsys') || device?.child('network') || config.child('policy')) return 'firewall';
  if (device?.child('deviceconfig')) return 'unknown';
  return 'unknown';
}

/** Builds the model; returns undefined when the text holds no config tree. */
export function buildModel(doc: ParsedDoc): ConfigModel | undefined {
  // The spans the model keeps are recorded (XML), so that an incremental edit can shift them.
  if (doc.xml) doc.xml.tracking = true;
  try {
    return buildModelUntracked(doc);
  } finally {
    if (doc.xml) doc.xml.tracking = false;
  }
}

function buildModelUntracked(doc: ParsedDoc): ConfigModel | undefined {
  const config = doc.config;
  if (!config || (doc.format !== 'xml' && doc.format !== 'set')) return undefined;
  const devices = config.child('devices');
  const device = devices?.entry('localhost.localdomain') ?? devices?.entries()[0];
  const kind = detectKind(config, device);
  const sharedNode = config.child('shared');
  const shared = emptyScope('shared', 'shared', undefined, sharedNode);
  fillScope(shared, sharedNode);
  const model: ConfigModel = {
    format: doc.format,
    kind,
    rootSpan: config.keySpan,
    version: undefined,
    detailVersion: undefined,
    root: config,
    shared,
    vsys: [],
    network: { zones: [], interfaces: new Map(), routes: [] },
    mgmt: readMgmt(device?.child('deviceconfig')?.child('system')),
    ha: readHa(device?.child('deviceconfig')),
    sharedPre: undefined,
    sharedPost: undefined,
    deviceGroups: [],
    templates: [],
    logCollectors: [],
    collectorGroups: [],
    serverProfiles: [],
    managedDevices: [],
    nfsStorage: undefined,
  };
  model.version = config.attr('version');
  model.detailVersion = config.attr('detail-version');
  const sp = device?.child('deviceconfig')?.child('setting')?.child('management')?.child('storage-partition');
  const choice = sp?.choice();
  if (choice && choice.value === 'nfs') model.nfsStorage = choice;

  if (kind === 'panorama') {
    const sharedAnchor = (part: string): { node: CNode; missing: string[] } =>
      sharedNode ? { node: sharedNode, missing: [part] } : { node: config, missing: ['shared', part] };
    model.sharedPre = readRulebase('shared/pre', 'pre', shared, sharedNode?.child('pre-rulebase'), sharedAnchor('pre-rulebase'));
    model.sharedPost = readRulebase('shared/post', 'post', shared, sharedNode?.child('post-rulebase'), sharedAnchor('post-rulebase'));
    readServerProfiles(config.child('panorama'), 'panorama', model.serverProfiles);
    for (const e of config.child('mgt-config')?.child('devices')?.entries() ?? []) {
      if (e.name !== undefined) model.managedDevices.push({ value: e.name, span: e.nameSpan ?? e.keySpan });
    }
    // Device groups and their hierarchy (8.x+: readonly/…/parent-dg; older: DG's own parent-dg).
    const ro = config.child('readonly')?.child('devices')?.entries()[0]?.child('device-group');
    const dgNodes = device?.child('device-group')?.entries() ?? [];
    const parents = new Map<string, Located<string>>();
    for (const e of dgNodes) {
      if (e.name === undefined) continue;
      const p = ro?.entry(e.name)?.textOf('parent-dg') ?? e.textOf('parent-dg');
      if (p && p.value) parents.set(e.name, p);
    }
    const scopes = new Map<string, Scope>();
    for (const e of dgNodes) {
      if (e.name !== undefined) {
        const s = emptyScope('device-group', e.name, shared, e);
        fillScope(s, e);
        scopes.set(e.name, s);
      }
    }
    for (const [name, s] of scopes) {
      const p = parents.get(name);
      const ps = p ? scopes.get(p.value) : undefined;
      // Guard against cycles in hand-edited hierarchies.
      let ok = !!ps;
      for (let a = ps, guard = 0; a && ok; a = a.parent, guard++) if (a === s || guard > 64) ok = false;
      if (ps && ok) s.parent = ps;
    }
    for (const e of dgNodes) {
      const n = entryName(e);
      if (!n) continue;
      const scope = scopes.get(n.name)!;
      const devs: Located<string>[] = [];
      const dn = e.child('devices');
      for (const d of dn?.entries() ?? []) if (d.name !== undefined) devs.push({ value: d.name, span: d.nameSpan ?? d.keySpan });
      for (const m of dn?.members() ?? []) devs.push(m);
      const dg: DeviceGroup = {
        name: n.name,
        nameSpan: n.span,
        node: e,
        parent: parents.get(n.name),
        devices: devs,
        scope,
        pre: readRulebase(`device-group:${n.name}/pre`, 'pre', scope, e.child('pre-rulebase'), { node: e, missing: ['pre-rulebase'] }),
        post: readRulebase(`device-group:${n.name}/post`, 'post', scope, e.child('post-rulebase'), { node: e, missing: ['post-rulebase'] }),
      };
      model.deviceGroups.push(dg);
      for (const d of devs) if (!model.managedDevices.some((m) => m.value === d.value)) model.managedDevices.push(d);
    }
    for (const kindTag of ['template', 'template-stack'] as const) {
      for (const e of device?.child(kindTag)?.entries() ?? []) {
        const n = entryName(e);
        if (!n) continue;
        const cfg = e.child('config');
        const tdev = cfg?.child('devices')?.entries()[0];
        const vsysNodes = tdev?.child('vsys')?.entries() ?? [];
        const devs: Located<string>[] = [];
        for (const d of e.child('devices')?.entries() ?? []) if (d.name !== undefined) devs.push({ value: d.name, span: d.nameSpan ?? d.keySpan });
        for (const m of e.child('devices')?.members() ?? []) devs.push(m);
        model.templates.push({
          name: n.name,
          nameSpan: n.span,
          node: e,
          kind: kindTag,
          templates: e.child('templates')?.members() ?? [],
          devices: devs,
          network: readNetwork(tdev, vsysNodes, `${kindTag}:${n.name}/`),
          mgmt: readMgmt(tdev?.child('deviceconfig')?.child('system')),
          vsys: vsysNodes.map((v) => v.name ?? ''),
        });
      }
    }
    for (const e of device?.child('log-collector')?.entries() ?? []) {
      const n = entryName(e);
      if (!n) continue;
      const lc: LogCollector = { serial: n.name, nameSpan: n.span, node: e, mgmt: readMgmt(e.child('deviceconfig')?.child('system')) };
      model.logCollectors.push(lc);
    }
    for (const e of device?.child('log-collector-group')?.entries() ?? []) {
      const n = entryName(e);
      if (!n) continue;
      const lf = e.child('logfwd-setting');
      const collectors: Located<string>[] = [...(lf?.child('collectors')?.members() ?? [])];
      for (const d of lf?.child('devices')?.entries() ?? []) collectors.push(...(d.child('collectors')?.members() ?? []));
      const cg: CollectorGroup = { name: n.name, nameSpan: n.span, node: e, collectors };
      model.collectorGroups.push(cg);
    }
  } else {
    // Firewall (or unknown): vsys, its network, Panorama-pushed policy.
    const vsysNodes = device?.child('vsys')?.entries() ?? [];
    for (const v of vsysNodes) {
      const n = entryName(v);
      if (!n) continue;
      const scope = emptyScope('vsys', n.name, shared, v);
      fillScope(scope, v);
      const rb = readRulebase(`vsys:${n.name}`, 'local', scope, v.child('rulebase'), { node: v, missing: ['rulebase'] });
      const vs: Vsys = { name: n.name, node: v, scope, rulebase: rb, zones: [] };
      model.vsys.push(vs);
    }
    if (model.vsys.length === 0 && kind === 'firewall') {
      // A firewall export with no vsys yet: rules would go to vsys1.
      const scope = emptyScope('vsys', 'vsys1', shared, undefined);
      const anchor = device ? { node: device, missing: ['vsys', 'entry[vsys1]', 'rulebase'] } : { node: config, missing: ['devices', 'entry[localhost.localdomain]', 'vsys', 'entry[vsys1]', 'rulebase'] };
      model.vsys.push({ name: 'vsys1', node: undefined, scope, rulebase: readRulebase('vsys:vsys1', 'local', scope, undefined, anchor), zones: [] });
    }
    model.network = readNetwork(device, vsysNodes, '');
    for (const vs of model.vsys) vs.zones = model.network.zones.filter((z) => z.where === vs.name);
    const pol = config.child('policy')?.child('panorama');
    if (pol) {
      const pushed = emptyScope('pushed', 'panorama', shared, pol);
      fillScope(pushed, pol);
      model.sharedPre = readRulebase('panorama/pre', 'pre', pushed, pol.child('pre-rulebase'), undefined);
      model.sharedPost = readRulebase('panorama/post', 'post', pushed, pol.child('post-rulebase'), undefined);
    }
    readServerProfiles(sharedNode, 'shared', model.serverProfiles);
    for (const v of vsysNodes) readServerProfiles(v, `vsys:${v.name ?? ''}`, model.serverProfiles);
  }
  return model;
}
