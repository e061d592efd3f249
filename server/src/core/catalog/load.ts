/**
 * @fileoverview Loads the catalog (catalog.json, derived from the seed note) and checks it against
 * catalog.schema.json and its own cross-references at load. Everything else reads ports and
 * App-IDs from here; nothing else in the code hard-codes them.
 */
import { fromPlain } from '../json/json';
import { validate, type Schema } from '../json/schema';
import rawCatalog from './catalog.json';
import rawSchema from './catalog.schema.json';

export type Protocol = 'tcp' | 'udp';
export type PortSpec = { protocol: Protocol; ports: string; ssl?: boolean };
export type PeerKind = keyof typeof rawCatalog.peers;
export type Trigger = keyof typeof rawCatalog.triggers;

export type CatalogFlow = {
  id: string;
  src: PeerKind;
  dst: PeerKind;
  trigger: Trigger;
  bidirectional?: boolean;
  appIds?: string[];
  label: string;
};

export type CatalogEntry = {
  id: string;
  ports: PortSpec[];
  direction: 'inbound' | 'outbound' | 'both';
  appIds: string[];
  role: 'panorama' | 'logCollector' | 'both';
  description: string;
  customService: boolean;
  customServiceSource?: string;
  userPorts?: boolean;
  appIdNote?: string;
  unverified?: string[];
  versionNotes?: { ports: string; protocol: Protocol; releases: string; source: string; verified: boolean }[];
  source: string;
  flows: CatalogFlow[];
};

export type AppDefault = { defaultPorts: PortSpec[]; verified: boolean; source: string };

export type Catalog = {
  source: { title: string; file: string };
  peers: Record<PeerKind, string>;
  triggers: Record<Trigger, string>;
  applications: Record<string, AppDefault>;
  entries: CatalogEntry[];
};

/** Problems of a catalog value: schema violations and broken cross-references. */
export function checkCatalog(value: unknown): string[] {
  const problems = validate(fromPlain(value), rawSchema as Schema).map((p) => p.message);
  if (problems.length > 0) return problems;
  const c = value as Catalog;
  const ids = new Set<string>();
  for (const e of c.entries) {
    if (ids.has(e.id)) problems.push(`entries: duplicate id '${e.id}'`);
    ids.add(e.id);
    const fids = new Set<string>();
    for (const f of e.flows) {
      if (fids.has(f.id)) problems.push(`${e.id}: duplicate flow id '${f.id}'`);
      fids.add(f.id);
      for (const a of f.appIds ?? []) {
        if (!e.appIds.includes(a)) problems.push(`${e.id}/${f.id}: App-ID '${a}' is not one of the entry's App-IDs`);
      }
    }
    for (const a of e.appIds) {
      if (!Object.prototype.hasOwnProperty.call(c.applications, a)) problems.push(`${e.id}: App-ID '${a}' has no application-default entry in 'applications'`);
    }
  }
  return problems;
}

/**
 * The catalog shipped in the build. It is checked against its schema and its own cross-references
 * ({@link checkCatalog}) by the tests (`test/unit/catalog.test.ts`), not at every start: it is part of
 * the code, no user input reaches it, and the check took ~2 ms of a cold `lint` (the schema walk run
 * while the code is still cold).
 */
export function loadCatalog(): Catalog {
  return rawCatalog as unknown as Catalog;
}

/** All App-IDs named by the catalog. */
export function catalogAppIds(c: Catalog = loadCatalog()): Set<string> {
  const s = new Set<string>();
  for (const e of c.entries) for (const a of e.appIds) s.add(a);
  return s;
}

export function entryById(id: string, c: Catalog = loadCatalog()): CatalogEntry | undefined {
  return c.entries.find((e) => e.id === id);
}
