/**
 * @fileoverview `inspect`: what the model holds, for users (what did the tool understand?) and tests.
 */
import { analyzeEnvironmentSummary } from './policy/summary';
import type { ConfigModel, Rulebase } from './model/types';
import { allRulebases } from './model/types';

export type InspectResult = {
  format: 'xml' | 'set';
  kind: string;
  version: string | null;
  detailVersion: string | null;
  hostname: string | null;
  managementIp: string | null;
  panorama: string[];
  logCollectors: string[];
  deviceGroups: { name: string; parent: string | null; devices: string[] }[];
  templates: { name: string; kind: string; templates: string[]; devices: string[] }[];
  vsys: string[];
  rulebases: { location: string; rules: string[] }[];
  objects: Record<string, number>;
  objectNames: Record<string, string[]>;
  zones: { name: string; where: string; interfaces: string[] }[];
  serverProfiles: { kind: string; name: string; where: string; servers: string[] }[];
};

function objectsOf(m: ConfigModel): { counts: Record<string, number>; names: Record<string, string[]> } {
  const kinds = ['addresses', 'addressGroups', 'services', 'serviceGroups', 'applicationGroups', 'applicationFilters', 'applications', 'externalLists', 'tags', 'profileGroups'] as const;
  const counts: Record<string, number> = {};
  const names: Record<string, string[]> = {};
  const scopes = [m.shared, ...m.vsys.map((v) => v.scope), ...m.deviceGroups.map((d) => d.scope)];
  const label: Record<(typeof kinds)[number], string> = {
    addresses: 'address',
    addressGroups: 'address-group',
    services: 'service',
    serviceGroups: 'service-group',
    applicationGroups: 'application-group',
    applicationFilters: 'application-filter',
    applications: 'application',
    externalLists: 'external-list',
    tags: 'tag',
    profileGroups: 'profile-group',
  };
  for (const k of kinds) {
    const l: string[] = [];
    for (const s of scopes) {
      for (const name of s[k].keys()) l.push(s.kind === 'shared' ? name : `${s.name}/${name}`);
    }
    counts[label[k]] = l.length;
    names[label[k]] = l.sort();
  }
  return { counts, names };
}

function rbOut(rb: Rulebase): { location: string; rules: string[] } {
  return { location: rb.location, rules: rb.rules.map((r) => r.name) };
}

export function inspectModel(m: ConfigModel): InspectResult {
  const { counts, names } = objectsOf(m);
  const env = analyzeEnvironmentSummary(m);
  return {
    format: m.format,
    kind: m.kind,
    version: m.version?.value ?? null,
    detailVersion: m.detailVersion?.value ?? null,
    hostname: m.mgmt.hostname?.value ?? null,
    managementIp: m.mgmt.ipAddress?.value ?? null,
    panorama: env.panorama,
    logCollectors: env.logCollectors,
    deviceGroups: m.deviceGroups.map((d) => ({ name: d.name, parent: d.parent?.value ?? null, devices: d.devices.map((x) => x.value) })),
    templates: m.templates.map((t) => ({ name: t.name, kind: t.kind, templates: t.templates.map((x) => x.value), devices: t.devices.map((x) => x.value) })),
    vsys: m.vsys.map((v) => v.name),
    rulebases: allRulebases(m).map(rbOut),
    objects: counts,
    objectNames: names,
    zones: [...m.network.zones, ...m.templates.flatMap((t) => t.network.zones)].map((z) => ({ name: z.name, where: z.where, interfaces: z.interfaces })),
    serverProfiles: m.serverProfiles.map((p) => ({ kind: p.kind, name: p.name, where: p.where, servers: p.servers.map((s) => s.host?.value ?? '?') })),
  };
}
