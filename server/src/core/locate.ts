/**
 * @fileoverview What is at an offset of a config (a rule member, a rule name, an object name or an
 * object group member), and where names are defined and referenced. Used by hover, go to
 * definition, find references and completion; pure, so tests share it with the server.
 */
import type { AddressGroup, AddressObject, ConfigModel, GroupObject, MemberList, NamedObject, Rule, Scope, ServiceObject, Zone } from './model/types';
import { allRulebases, lookup } from './model/types';
import type { Located, Span } from './text';

export const RULE_FIELDS = ['from', 'to', 'source', 'destination', 'sourceUser', 'category', 'application', 'service', 'sourceHip', 'destinationHip', 'tags'] as const;
export type RuleField = (typeof RULE_FIELDS)[number] | 'profileGroup';

/** The XML/set name of a rule field. */
export const FIELD_TAG: Record<RuleField, string> = {
  from: 'from',
  to: 'to',
  source: 'source',
  destination: 'destination',
  sourceUser: 'source-user',
  category: 'category',
  application: 'application',
  service: 'service',
  sourceHip: 'source-hip',
  destinationHip: 'destination-hip',
  tags: 'tag',
  profileGroup: 'group',
};

export type Definition = { kind: string; name: string; nameSpan: Span; scope: Scope | undefined; node: NamedObject['node'] };

export type Located2 =
  | { kind: 'member'; rule: Rule; field: RuleField; member: Located<string> }
  | { kind: 'rule'; rule: Rule }
  | { kind: 'object'; def: Definition }
  | { kind: 'groupMember'; group: Definition; member: Located<string>; memberKind: 'address' | 'service' | 'application' };

function inside(s: Span, o: number): boolean {
  return o >= s.start && o <= s.end;
}

/** Every object namespace of the model (shared, vsys, device groups, pushed). */
export function scopes(m: ConfigModel): Scope[] {
  const out: Scope[] = [m.shared, ...m.vsys.map((v) => v.scope), ...m.deviceGroups.map((d) => d.scope)];
  if (m.sharedPre && !out.includes(m.sharedPre.scope)) out.push(m.sharedPre.scope);
  return out;
}

function fieldList(rule: Rule, f: RuleField): MemberList {
  return rule[f];
}

/** All object definitions of a model (for symbols and references). */
export function definitions(m: ConfigModel): Definition[] {
  const out: Definition[] = [];
  const add = (kind: string, o: NamedObject | AddressObject | AddressGroup | ServiceObject | GroupObject, scope: Scope): void => {
    out.push({ kind, name: o.name, nameSpan: o.nameSpan, scope, node: o.node });
  };
  for (const s of scopes(m)) {
    for (const o of s.addresses.values()) add('address', o, s);
    for (const o of s.addressGroups.values()) add('address-group', o, s);
    for (const o of s.services.values()) add('service', o, s);
    for (const o of s.serviceGroups.values()) add('service-group', o, s);
    for (const o of s.applicationGroups.values()) add('application-group', o, s);
    for (const o of s.applicationFilters.values()) add('application-filter', o, s);
    for (const o of s.applications.values()) add('application', o, s);
    for (const o of s.externalLists.values()) add('external-list', o, s);
    for (const o of s.tags.values()) add('tag', o, s);
    for (const o of s.profileGroups.values()) add('profile-group', o, s);
    for (const o of s.logForwarding.values()) add('log-forwarding', o, s);
  }
  for (const z of allZones(m)) out.push({ kind: 'zone', name: z.name, nameSpan: z.nameSpan, scope: undefined, node: z.node });
  return out;
}

function allZones(m: ConfigModel): Zone[] {
  return [...m.network.zones, ...m.templates.flatMap((t) => t.network.zones)];
}

export function locate(m: ConfigModel, offset: number): Located2 | undefined {
  for (const rb of allRulebases(m)) {
    for (const rule of rb.rules) {
      for (const f of [...RULE_FIELDS, 'profileGroup'] as RuleField[]) {
        for (const mem of fieldList(rule, f).items) if (inside(mem.span, offset)) return { kind: 'member', rule, field: f, member: mem };
      }
      if (inside(rule.nameSpan, offset)) return { kind: 'rule', rule };
    }
  }
  for (const s of scopes(m)) {
    const groupKinds: [string, Map<string, { name: string; nameSpan: Span; node: NamedObject['node'] } & { members?: Located<string>[]; static?: Located<string>[] | undefined }>, 'address' | 'service' | 'application'][] = [
      ['address-group', s.addressGroups as never, 'address'],
      ['service-group', s.serviceGroups as never, 'service'],
      ['application-group', s.applicationGroups as never, 'application'],
    ];
    for (const [kind, map, memberKind] of groupKinds) {
      for (const g of map.values()) {
        const list = g.members ?? g.static ?? [];
        for (const mem of list) {
          if (inside(mem.span, offset)) return { kind: 'groupMember', group: { kind, name: g.name, nameSpan: g.nameSpan, scope: s, node: g.node }, member: mem, memberKind };
        }
      }
    }
  }
  for (const d of definitions(m)) if (inside(d.nameSpan, offset)) return { kind: 'object', def: d };
  return undefined;
}

/** Which object kinds a member of a field may name. */
function kindsFor(field: RuleField | 'address' | 'service' | 'application'): (keyof Scope)[] {
  switch (field) {
    case 'source':
    case 'destination':
    case 'address':
      return ['addresses', 'addressGroups', 'externalLists', 'regions'];
    case 'service':
      return ['services', 'serviceGroups'];
    case 'application':
      return ['applicationGroups', 'applicationFilters', 'applications'];
    case 'tags':
      return ['tags'];
    case 'profileGroup':
      return ['profileGroups'];
    default:
      return [];
  }
}

const KIND_NAME: Partial<Record<keyof Scope, string>> = {
  addresses: 'address',
  addressGroups: 'address-group',
  externalLists: 'external-list',
  regions: 'region',
  services: 'service',
  serviceGroups: 'service-group',
  applicationGroups: 'application-group',
  applicationFilters: 'application-filter',
  applications: 'application',
  tags: 'tag',
  profileGroups: 'profile-group',
};

/** The definition a member name resolves to (scope chain: DG → ancestors → shared). */
export function resolveName(m: ConfigModel, scope: Scope | undefined, field: RuleField | 'address' | 'service' | 'application', name: string): Definition | undefined {
  if (field === 'from' || field === 'to') {
    const z = allZones(m).find((x) => x.name === name);
    return z ? { kind: 'zone', name: z.name, nameSpan: z.nameSpan, scope: undefined, node: z.node } : undefined;
  }
  for (const k of kindsFor(field)) {
    const o = lookup(scope, k as 'addresses', name) as NamedObject | undefined;
    if (o) return { kind: KIND_NAME[k] ?? String(k), name: o.name, nameSpan: o.nameSpan, scope: o.scope, node: o.node };
  }
  return undefined;
}

/** Every member (rule fields and group members) that resolves to `def`. */
export function references(m: ConfigModel, def: Definition): Located<string>[] {
  const out: Located<string>[] = [];
  const same = (d: Definition | undefined): boolean => !!d && d.nameSpan.start === def.nameSpan.start && d.nameSpan.end === def.nameSpan.end;
  for (const rb of allRulebases(m)) {
    for (const rule of rb.rules) {
      for (const f of [...RULE_FIELDS, 'profileGroup'] as RuleField[]) {
        for (const mem of fieldList(rule, f).items) {
          if (mem.value === def.name && same(resolveName(m, rb.scope, f, mem.value))) out.push(mem);
        }
      }
    }
  }
  for (const s of scopes(m)) {
    for (const g of s.addressGroups.values()) for (const mem of g.static ?? []) if (mem.value === def.name && same(resolveName(m, s, 'address', mem.value))) out.push(mem);
    for (const g of s.serviceGroups.values()) for (const mem of g.members) if (mem.value === def.name && same(resolveName(m, s, 'service', mem.value))) out.push(mem);
    for (const g of s.applicationGroups.values()) for (const mem of g.members) if (mem.value === def.name && same(resolveName(m, s, 'application', mem.value))) out.push(mem);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Names that may go into a rule field at this scope (for completion). */
export function namesFor(m: ConfigModel, scope: Scope | undefined, field: RuleField): { name: string; kind: string }[] {
  const out: { name: string; kind: string }[] = [];
  const seen = new Set<string>();
  if (field === 'from' || field === 'to') {
    for (const z of allZones(m)) if (!seen.has(z.name)) {
      seen.add(z.name);
      out.push({ name: z.name, kind: 'zone' });
    }
    return out;
  }
  for (let s = scope; s; s = s.parent) {
    for (const k of kindsFor(field)) {
      const map = s[k] as Map<string, unknown>;
      for (const name of map.keys()) if (!seen.has(name)) {
        seen.add(name);
        out.push({ name, kind: KIND_NAME[k] ?? String(k) });
      }
    }
  }
  return out;
}
