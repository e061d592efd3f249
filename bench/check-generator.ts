/** Checks the benchmark generator: sizes, determinism, well-formed XML, zero parse errors, same model from XML and set. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { XMLValidator } from 'fast-xml-parser';
import { parse } from '../server/src/core/parse';
import type { CNode } from '../server/src/core/parse/tree';
import { buildModel } from '../server/src/core/model/build';
import { lookup, type ConfigModel, type Mgmt, type Rule, type Scope } from '../server/src/core/model/types';
import { inspectModel } from '../server/src/core/inspect';
import { generate, generateToFile, type GenerateOptions } from './generate';

const MB = 1024 * 1024;
const failures: string[] = [];
const warnings: string[] = [];

function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
}

function load(text: string, label: string): ConfigModel {
  const doc = parse(text);
  check(doc.errors.length === 0, `${label}: ${doc.errors.length} parse errors, first: ${doc.errors.slice(0, 3).map((e) => `${e.message} @${e.span.start}`).join('; ')}`);
  const m = buildModel(doc);
  if (!m) throw new Error(`${label}: no model`);
  return m;
}

/** The inspect summary without what only the text form can differ in (format, XML root attributes). */
function summary(m: ConfigModel): unknown {
  const s = inspectModel(m) as Record<string, unknown>;
  delete s.format;
  delete s.version;
  delete s.detailVersion;
  return s;
}

/** First differing path between two JSON-like values, or undefined when equal. */
function firstDiff(a: unknown, b: unknown, at = ''): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array vs object`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (Array.isArray(a) && ka.length !== kb.length) return `${at}: length ${ka.length} != ${kb.length}`;
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
    if (d) return d;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tree comparison: both parsers should give the same tree for the same content.
// ---------------------------------------------------------------------------------------------

function valuesOf(n: CNode): string[] {
  const m = n.members().map((x) => x.value);
  if (m.length || n.children().some((c) => c.tag !== 'member')) return m;
  const t = n.text()?.value;
  return t ? [t] : [];
}

/** Collects up to `limit` differences between the XML tree and the set tree under `path`. */
function diffTrees(x: CNode, s: CNode, at: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  const vx = valuesOf(x).join(' ');
  const vs = valuesOf(s).join(' ');
  if (vx !== vs) out.push(`${at}: value '${vx}' (xml) vs '${vs}' (set)`);
  const key = (c: CNode): string => (c.tag === 'entry' ? `entry[${c.name}]` : c.tag);
  const kx = new Map<string, CNode>();
  const ks = new Map<string, CNode>();
  for (const c of x.children()) if (c.tag !== 'member') kx.set(key(c), c);
  for (const c of s.children()) ks.set(key(c), c);
  for (const [k, c] of kx) {
    if (out.length >= limit) return;
    const o = ks.get(k);
    if (!o) out.push(`${at}/${k}: only in xml`);
    else diffTrees(c, o, `${at}/${k}`, out, limit);
  }
  for (const k of ks.keys()) if (!kx.has(k) && out.length < limit) out.push(`${at}/${k}: only in set`);
  // Entry order matters (rule order); compare it where both have entries.
  const ox = [...kx.keys()].filter((k) => k.startsWith('entry['));
  const os_ = [...ks.keys()].filter((k) => k.startsWith('entry['));
  if (ox.length === os_.length && ox.join('\n') !== os_.join('\n') && out.length < limit) out.push(`${at}: entry order differs`);
}

/** Folds paths like `…/entry[rule 00042]/…` so one parser issue is reported once, with a count. */
function groupDiffs(diffs: string[]): string[] {
  const counts = new Map<string, { n: number; example: string }>();
  for (const d of diffs) {
    const k = d.replace(/entry\[[^\]]*\]/g, 'entry[*]').replace(/'[^']*'/g, "'…'");
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { n: 1, example: d });
  }
  return [...counts.values()].map((c) => `${c.n}x ${c.example}`);
}

// ---------------------------------------------------------------------------------------------
// Model comparison beyond inspect: networks, management settings, rule fields.
// ---------------------------------------------------------------------------------------------

function mgmtDigest(m: Mgmt): unknown {
  return {
    hostname: m.hostname?.value,
    ip: m.ipAddress?.value,
    permitted: m.permittedIps.map((x) => x.value),
    disables: [...m.serviceDisables].map(([k, v]) => `${k}=${v.value}`),
    panorama: m.panoramaServers.map((x) => x.value),
    ntp: m.ntpServers.map((x) => x.value),
    dns: m.dnsServers.map((x) => x.value),
  };
}

function ruleDigest(r: Rule): unknown {
  const l = (x: { items: { value: string }[] }): string => x.items.map((i) => i.value).join(',');
  return [r.name, l(r.from), l(r.to), l(r.source), l(r.destination), l(r.application), l(r.service), r.action, r.disabled, r.negateSource, r.negateDestination, r.logSetting?.value, l(r.profileGroup), l(r.tags), r.description?.value, r.target ? `${r.target.negate}:${r.target.devices.map((d) => `${d.serial.value}/${d.vsys.join('+')}`).join(',')}` : null];
}

function modelDigest(m: ConfigModel): Record<string, unknown> {
  const net = (n: ConfigModel['network']): unknown => ({
    interfaces: [...n.interfaces.values()].map((i) => `${i.name}=${i.ips.map((x) => x.value).join(',')}`),
    routes: n.routes.map((r) => `${r.name}:${r.destination}->${r.iface}`),
  });
  const scopes: Scope[] = [m.shared, ...m.vsys.map((v) => v.scope), ...m.deviceGroups.map((d) => d.scope)];
  return {
    mgmt: mgmtDigest(m.mgmt),
    network: net(m.network),
    templates: m.templates.map((t) => ({ name: t.name, network: net(t.network), mgmt: mgmtDigest(t.mgmt) })),
    logForwarding: scopes.map((s) => [s.name, [...s.logForwarding.keys()]]),
    profileGroups: scopes.map((s) => [s.name, [...s.profileGroups.keys()]]),
    collectorGroups: m.collectorGroups.map((c) => [c.name, c.collectors.map((x) => x.value)]),
    managedDevices: m.managedDevices.map((x) => x.value),
    defaults: [m.sharedPost?.defaults, ...m.vsys.map((v) => v.rulebase.defaults)].map((d) => d && `${d.intrazone.action}/${d.interzone.action}`),
    rules: [...(m.sharedPre?.rules ?? []), ...m.deviceGroups.flatMap((d) => [...d.pre.rules, ...d.post.rules]), ...(m.sharedPost?.rules ?? []), ...m.vsys.flatMap((v) => v.rulebase.rules)].map(ruleDigest),
  };
}

// ---------------------------------------------------------------------------------------------
// Generator consistency: every rule reference resolves to a visible object.
// ---------------------------------------------------------------------------------------------

const LITERAL = /^(any|application-default|service-http|service-https|\d+\.\d+\.\d+\.\d+(\/\d+)?)$/;

function unresolved(m: ConfigModel): string[] {
  const bad: string[] = [];
  const zones = new Set([...m.network.zones, ...m.templates.flatMap((t) => t.network.zones)].map((z) => z.name));
  for (const rb of [m.sharedPre, m.sharedPost, ...m.deviceGroups.flatMap((d) => [d.pre, d.post]), ...m.vsys.map((v) => v.rulebase)]) {
    for (const r of rb?.rules ?? []) {
      const s = rb!.scope;
      for (const a of [...r.source.items, ...r.destination.items]) {
        if (!LITERAL.test(a.value) && !lookup(s, 'addresses', a.value) && !lookup(s, 'addressGroups', a.value)) bad.push(`${r.name}: address ${a.value}`);
      }
      for (const a of r.service.items) {
        if (!LITERAL.test(a.value) && !lookup(s, 'services', a.value) && !lookup(s, 'serviceGroups', a.value)) bad.push(`${r.name}: service ${a.value}`);
      }
      for (const z of [...r.from.items, ...r.to.items]) if (z.value !== 'any' && !zones.has(z.value)) bad.push(`${r.name}: zone ${z.value}`);
      for (const t of r.tags.items) if (!lookup(s, 'tags', t.value)) bad.push(`${r.name}: tag ${t.value}`);
      for (const g of r.profileGroup.items) if (!lookup(s, 'profileGroups', g.value)) bad.push(`${r.name}: profile-group ${g.value}`);
    }
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------

function checkKind(kind: GenerateOptions['kind']): void {
  const base: GenerateOptions = { kind, format: 'xml', targetBytes: MB, seed: 1 };
  const xml = generate(base);
  const setSame = generate({ ...base, format: 'set', sizeFormat: 'xml' });
  const setOwn = generate({ ...base, format: 'set' });
  const pct = (n: number): string => `${((n / MB - 1) * 100).toFixed(1)}%`;
  console.log(`${kind}: xml ${xml.length} B (${pct(xml.length)}), set ${setOwn.length} B (${pct(setOwn.length)}), set with the XML content ${setSame.length} B`);
  check(Math.abs(xml.length / MB - 1) <= 0.05, `${kind} xml size ${xml.length} not within 5% of ${MB}`);
  check(Math.abs(setOwn.length / MB - 1) <= 0.05, `${kind} set size ${setOwn.length} not within 5% of ${MB}`);
  check(generate(base) === xml, `${kind}: xml not deterministic`);
  check(generate({ ...base, seed: 2 }) !== xml, `${kind}: seed has no effect`);
  const v = XMLValidator.validate(xml);
  check(v === true, `${kind}: XML not well-formed: ${JSON.stringify(v)}`);
  const file = path.join(os.tmpdir(), `check-generator-${process.pid}-${kind}.xml`);
  generateToFile(base, file);
  check(fs.readFileSync(file, 'latin1') === xml, `${kind}: generateToFile differs from generate`);
  fs.unlinkSync(file);

  const mx = load(xml, `${kind} xml`);
  const ms = load(setSame, `${kind} set (xml content)`);
  load(setOwn, `${kind} set`);
  const d = firstDiff(summary(mx), summary(ms));
  check(d === undefined, `${kind}: inspect summaries of xml and set differ at ${d}`);
  const sx = inspectModel(mx);
  const rules = sx.rulebases.reduce((a, r) => a + r.rules.length, 0);
  console.log(`  model: kind=${sx.kind} rules=${rules} rulebases=${sx.rulebases.length} deviceGroups=${sx.deviceGroups.length} templates=${sx.templates.length} objects=${JSON.stringify(sx.objects)}`);
  check(sx.kind === kind, `${kind}: model kind is ${sx.kind}`);
  check(sx.panorama.includes('10.10.10.5'), `${kind}: Panorama address 10.10.10.5 not found`);
  if (kind === 'panorama') {
    check(JSON.stringify(sx.logCollectors) === JSON.stringify(['10.10.10.6', '10.10.10.7']), `panorama: log collectors ${JSON.stringify(sx.logCollectors)}`);
    const edge = sx.deviceGroups.find((g) => g.name === 'edge-dg');
    check(edge?.parent === 'Datacenter', 'panorama: edge-dg missing or not under Datacenter');
    check(sx.deviceGroups.some((g) => g.parent && sx.deviceGroups.find((p) => p.name === g.parent)?.parent), 'panorama: hierarchy is not three levels deep anywhere');
    const pre = sx.rulebases.find((r) => r.location === 'device-group:edge-dg/pre');
    check(!!pre?.rules.includes('Managed devices to Panorama') && !!pre.rules.includes('Legacy any to Panorama'), 'panorama: edge-dg pre-rulebase lacks the management rules');
    const zones = sx.zones.filter((z) => z.where.startsWith('template:edge-net/')).map((z) => `${z.name}:${z.interfaces.join(',')}`);
    console.log(`  edge-net zones: ${zones.join(' ')}`);
  }
  const bad = unresolved(mx);
  check(bad.length === 0, `${kind}: ${bad.length} unresolved references, e.g. ${bad.slice(0, 5).join('; ')}`);

  // Not part of the pass/fail: differences between the two parsers, to report upstream.
  const dx = modelDigest(mx);
  const ds = modelDigest(ms);
  for (const k of Object.keys(dx)) {
    const md = firstDiff(dx[k], ds[k], k);
    if (md) warnings.push(`${kind}: model (beyond inspect) differs between xml and set at ${md}`);
  }
  const diffs: string[] = [];
  diffTrees(parse(xml).config!, parse(setSame).config!, '', diffs, 100000);
  for (const g of groupDiffs(diffs)) warnings.push(`${kind}: tree ${g}`);
}

function main(): void {
  const t0 = Date.now();
  checkKind('panorama');
  checkKind('firewall');
  for (const w of warnings) console.log(`WARN ${w}`);
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(failures.length ? `${failures.length} check(s) failed` : `all checks passed (${Date.now() - t0} ms)`);
  process.exitCode = failures.length ? 1 : 0;
}

main();
