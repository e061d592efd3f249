/**
 * A flow is split into one box per zone pair; once its first rules have decided most boxes, the rules
 * that name only the zones of decided boxes cannot change the verdict, and are passed over without
 * their addresses being resolved (the 50 MB generated firewall first allows part of its DNS flow 1,350
 * rules in, past hundreds of such rules). Their notes must not appear either. And the rules past those that
 * decide a flow are not read at all: a rulebase's index by destination zone goes only as far as its
 * flows, and a rule's applications are read only when an undecided part of a flow is in its zones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import type { Environment } from '../../server/src/core/policy/environment';
import { evaluateFlow, type FlowResult } from '../../server/src/core/policy/evaluate';
import { analyzePolicy } from '../../server/src/core/policy/index';
import { buildEnvironment } from '../../server/src/core/policy/environment';
import { buildModel } from '../../server/src/core/model/build';
import { parse } from '../../server/src/core/parse/index';
import type { Rule } from '../../server/src/core/model/types';
import { Resolver } from '../../server/src/core/policy/resolve';

const DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios', 'fw-tight');

/** The fw-tight scenario's config and its env file (as JSON, to be changed before it is read). */
function fwTight(): { base: string; envJson: { peers: Record<string, unknown> } } {
  return {
    base: fs.readFileSync(path.join(DIR, 'config.xml'), 'utf8'),
    envJson: JSON.parse(fs.readFileSync(path.join(DIR, '.panos-guard.json'), 'utf8')) as { peers: Record<string, unknown> },
  };
}

/** A deny from zone mgmt to one zone, for any source, application and service. */
function deny(name: string, to: string, destinations: string[]): string {
  const members = destinations.map((d) => `<member>${d}</member>`).join('');
  return (
    `<entry name="${name}"><from><member>mgmt</member></from><to><member>${to}</member></to>` +
    `<source><member>any</member></source><destination>${members}</destination>` +
    '<application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>'
  );
}

/**
 * fw-tight with its DNS servers unknown (so the DNS flow is split over every zone the firewall has),
 * and first in its rulebase: a deny deciding the whole mgmt → devices part, then a rule into devices
 * naming a threat feed (no box it could match is left), then one into admin (whose box is left).
 */
function scenario(): { text: string; env: ReturnType<typeof parseEnvFile>['env'] } {
  const { base, envJson } = fwTight();
  delete envJson.peers.dnsServers;
  const rules = deny('Mgmt to devices', 'devices', ['any']) + deny('Feed in devices', 'devices', ['panw-known-ip-list', '10.20.0.0/16']) + deny('Feed in admin', 'admin', ['panw-known-ip-list', '10.99.0.0/24']);
  const text = base.replace('<entry name="Admin to Panorama">', `${rules}<entry name="Admin to Panorama">`);
  assert.notEqual(text, base);
  return { text, env: parseEnvFile(JSON.stringify(envJson)).env };
}

function dnsResult(): { r: FlowResult; env: Environment } {
  const { text, env } = scenario();
  const policy = analyze(text, { fixes: false, env }).policy!;
  const r = policy.results.find((x) => x.flow.id === 'dns-53/dns');
  assert.ok(r, 'the DNS flow is evaluated');
  return { r, env: policy.env };
}

test('a rule whose zones hold no box left of a flow adds no note; one whose zones do, does', () => {
  const { r } = dnsResult();
  assert.equal(r.summary, "allowed by rule 'Panorama to services' (#6 in vsys:vsys1)");
  assert.deepEqual(r.notes, ["rule 'Feed in admin' (#3 in vsys:vsys1) uses threat feed 'panw-known-ip-list'; management peers are assumed not to be listed in it"]);
  assert.deepEqual(
    r.trace.map((t) => [t.rule.name, t.result, t.part]),
    // The DNS servers' addresses are unknown: the first rule that allows part of the flow settles it.
    [
      ['Mgmt to devices', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 10.20.0.0/16 [devices] dns'],
      ['Panorama to services', 'allow', '10.10.10.5, 10.10.10.6 [mgmt] → 10.40.0.14, 10.40.0.53, … (1 more) [services] dns'],
    ],
  );
});

test('the rules a flow reaches after its boxes in their zones are decided are passed over with their addresses unresolved', () => {
  const { r, env } = dnsResult();
  // A resolver of its own, so that nothing the checks resolved is cached: every destination the
  // evaluation reads is resolved here, and recorded by the rule it belongs to.
  const resolver = new Resolver(env);
  const rules = r.ctx.rulebases.flatMap((rb) => rb.rules);
  const read: string[] = [];
  const addresses = resolver.addresses.bind(resolver);
  resolver.addresses = (scope, ml, negate) => {
    const rule = rules.find((x) => x.destination === ml);
    if (rule) read.push(rule.name);
    return addresses(scope, ml, negate);
  };
  const again = evaluateFlow(env, resolver, r.flow, r.ctx);
  assert.equal(again.summary, r.summary);
  assert.deepEqual(again.notes, r.notes);
  // 'Feed in devices' comes after the part into devices is decided: passed over on its zones, unresolved;
  // 'Panorama to services' allows part of the flow and settles it: the rules after it are not read.
  assert.deepEqual(read, ['Mgmt to devices', 'Feed in admin', 'Panorama to services']);
});

/**
 * fw-tight (7 rules that decide every flow) with 300 rules from zone admin into zone `to` after them
 * (or before them, `first`), each naming an application of its own.
 */
function withFillers(to: string, first = false): { text: string; env: ReturnType<typeof parseEnvFile>['env'] } {
  const { base, envJson } = fwTight();
  let filler = '';
  for (let i = 0; i < 300; i++) {
    filler +=
      `<entry name="Filler ${i}"><from><member>admin</member></from><to><member>${to}</member></to><source><member>any</member></source>` +
      `<destination><member>any</member></destination><application><member>app-filler-${i}</member></application>` +
      '<service><member>application-default</member></service><action>allow</action></entry>';
  }
  const at = first ? base.indexOf('<entry name="Admin to Panorama">') : base.lastIndexOf('</rules>');
  assert.ok(at > 0);
  return { text: base.slice(0, at) + filler + base.slice(at), env: parseEnvFile(JSON.stringify(envJson)).env };
}

const FW_TIGHT_VERDICTS = ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'not-crossing', 'allowed', 'not-crossing'];

/** Runs `run` recording the filler applications resolved meanwhile (by name, in the order first read). */
function fillerAppsRead<T>(run: () => T): { result: T; read: string[] } {
  const read = new Set<string>();
  const applicationName = Resolver.prototype.applicationName;
  Resolver.prototype.applicationName = function (this: Resolver, scope, name) {
    if (name.startsWith('app-filler-')) read.add(name);
    return applicationName.call(this, scope, name);
  };
  try {
    return { result: run(), read: [...read] };
  } finally {
    Resolver.prototype.applicationName = applicationName;
  }
}

test("a rulebase is indexed by destination zone only as far as its flows go (in doubling steps from 64 rules), and no rule's applications are read past the rules that decide every flow", () => {
  // The flows alone (no checks, which read every rule's zones): the destination zones each rule's
  // evaluation reads, and the applications, are recorded by filler number.
  const { text, env: envFile } = withFillers('untrust');
  const model = buildModel(parse(text))!;
  const env = buildEnvironment(model, envFile);
  const rules = model.vsys[0]!.rulebase.rules;
  assert.equal(rules.length, 307);
  const proto = Object.getPrototypeOf(rules[0]!) as object;
  const toNames = Object.getOwnPropertyDescriptor(proto, 'toNames')!;
  const zonesRead = new Set<number>();
  Object.defineProperty(proto, 'toNames', {
    configurable: true,
    get(this: Rule) {
      const m = /^Filler (\d+)$/.exec(this.name);
      if (m) zonesRead.add(Number(m[1]));
      return toNames.get!.call(this);
    },
  });
  let appsRead: string[];
  try {
    const { result: policy, read } = fillerAppsRead(() => analyzePolicy(model, env));
    assert.deepEqual(
      policy.results.map((r) => r.verdict),
      FW_TIGHT_VERDICTS,
    );
    appsRead = read;
  } finally {
    Object.defineProperty(proto, 'toNames', toNames);
  }
  // The first step indexes rules 0–63 by destination zone: the 7 rules and fillers 0–56; none after.
  assert.deepEqual([...zonesRead].sort((a, b) => a - b), Array.from({ length: 57 }, (_, i) => i));
  // Every flow's boxes into untrust are decided by the 7 rules: no filler is a candidate.
  assert.deepEqual(appsRead, []);
});

test("the applications of rules from or into zones no undecided part of a flow is in are never read, in a full analysis too", () => {
  // After the rules that decide every flow; and before them, from a zone no flow to untrust comes from.
  for (const [to, first] of [['untrust', false], ['devices', false], ['untrust', true]] as const) {
    const { text, env } = withFillers(to, first);
    const { result: policy, read } = fillerAppsRead(() => analyze(text, { fixes: false, env }).policy!);
    assert.equal(policy.contexts[0]!.rulebases.map((rb) => rb.rules.length).join(), '307');
    assert.deepEqual(
      policy.results.map((r) => r.verdict),
      FW_TIGHT_VERDICTS,
    );
    assert.deepEqual(read, [], `fillers into ${to}${first ? ', first' : ''}`);
  }
});

test('once the part of a flow into a zone is decided, the rules into that zone alone are no longer visited (their list leaves the merge)', () => {
  // fw-tight with its DNS servers unknown (the DNS flow split over every zone): 'Mgmt to devices'
  // decides the part into devices first; 300 rules from mgmt into devices follow it.
  const { base, envJson } = fwTight();
  delete envJson.peers.dnsServers;
  let fillers = '';
  for (let i = 0; i < 300; i++) {
    fillers +=
      `<entry name="Into devices ${i}"><from><member>mgmt</member></from><to><member>devices</member></to><source><member>any</member></source>` +
      '<destination><member>any</member></destination><application><member>dns</member></application>' +
      '<service><member>application-default</member></service><action>allow</action></entry>';
  }
  const text = base.replace('<entry name="Admin to Panorama">', `${deny('Mgmt to devices', 'devices', ['any'])}${fillers}<entry name="Admin to Panorama">`);
  const policy = analyze(text, { fixes: false, env: parseEnvFile(JSON.stringify(envJson)).env }).policy!;
  const env = policy.env;
  const r = policy.results.find((x) => x.flow.id === 'dns-53/dns')!;
  const rules = r.ctx.rulebases.flatMap((rb) => rb.rules);
  assert.equal(rules.length, 308);
  // Which rules the merge hands out: each is tested by its zone names (namesMayHold) before anything else.
  const owner = new Map(rules.flatMap((x) => [[x.toNames, `${x.name} (to)`] as const, [x.fromNames, `${x.name} (from)`] as const]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../../server/src/core/policy/resolve') as { namesMayHold: (names: readonly string[], zones: ReadonlySet<string | undefined>) => boolean };
  const namesMayHold = mod.namesMayHold;
  const visited: string[] = [];
  mod.namesMayHold = (names, zones) => {
    const who = owner.get(names);
    if (who) visited.push(who);
    return namesMayHold(names, zones);
  };
  let again: FlowResult;
  try {
    again = evaluateFlow(env, new Resolver(env), r.flow, r.ctx);
  } finally {
    mod.namesMayHold = namesMayHold;
  }
  assert.equal(again.summary, r.summary);
  assert.deepEqual(again.trace.map((t) => [t.rule.name, t.result]), r.trace.map((t) => [t.rule.name, t.result]));
  // The rules whose destination zones (or `any`) hold an undecided part when reached, and not one of the
  // 300, up to 'Panorama to services', which allows part of the flow and settles it.
  assert.deepEqual(
    visited,
    ['Mgmt to devices', 'Panorama to services'].flatMap((n) => [`${n} (to)`, `${n} (from)`]),
  );
});

test('the first rule that allows part of a flow to peers of unknown address settles it; a flow to known peers, or to a host name resolved at run time, is read on', () => {
  const parts = (r: FlowResult): unknown[] => r.portions.map((p) => [p.box.srcZone ?? null, p.box.dstZone ?? null, p.outcome, p.rule?.name ?? p.defaultRule]);
  const dns = (servers: string[] | undefined): FlowResult => {
    const { base, envJson } = fwTight();
    if (servers) envJson.peers.dnsServers = servers;
    else delete envJson.peers.dnsServers;
    const text = base.replace('<entry name="Admin to Panorama">', `${deny('Mgmt to devices', 'devices', ['any'])}<entry name="Admin to Panorama">`);
    assert.notEqual(text, base);
    return analyze(text, { fixes: false, env: parseEnvFile(JSON.stringify(envJson)).env }).policy!.results.find((x) => x.flow.id === 'dns-53/dns')!;
  };
  // Unknown DNS servers ('some'): allowed into services by rule #4; the parts into the other zones are
  // neither read on nor given to the default rules.
  const some = dns(undefined);
  assert.deepEqual([some.flow.coverage, some.verdict, some.summary], ['some', 'allowed', "allowed by rule 'Panorama to services' (#4 in vsys:vsys1)"]);
  assert.deepEqual(parts(some), [
    ['mgmt', 'devices', 'deny', 'Mgmt to devices'],
    ['mgmt', 'services', 'allow', 'Panorama to services'],
  ]);
  // Two known servers ('all'): the one in services is allowed, the one in untrust denied after it.
  const all = dns(['10.40.0.53', '203.0.113.53']);
  assert.deepEqual([all.flow.coverage, all.verdict, all.summary], ['all', 'blocked', "blocked by rule 'Deny other from Panorama' (#7 in vsys:vsys1) for 10.10.10.5, 10.10.10.6 (other parts are allowed)"]);
  assert.deepEqual(parts(all), [
    ['mgmt', 'services', 'allow', 'Panorama to services'],
    ['mgmt', 'untrust', 'deny', 'Deny other from Panorama'],
  ]);
  // Panorama's NTP server named by a host name: any address, 'some', but a part allowed says nothing of
  // the address it resolves to; every part is read.
  const dir = path.join(DIR, '..', 'panorama-dg');
  const text = fs.readFileSync(path.join(dir, 'config.set'), 'utf8').replace('ntp-server-address 10.40.0.123', 'ntp-server-address ntp.example.net');
  const env = parseEnvFile(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')).env;
  const ntp = analyze(text, { fixes: false, env }).policy!.results.find((x) => x.flow.id === 'ntp-123/ntp')!;
  assert.deepEqual([ntp.flow.coverage, ntp.flow.unresolved, ntp.verdict], ['some', ['ntp.example.net'], 'unknown']);
  assert.deepEqual(ntp.reasons, ['ntp.example.net is a host name resolved at run time and only some addresses are allowed; map it in .panos-guard.json "fqdn"']);
  assert.deepEqual(parts(ntp), [
    ['mgmt', 'services', 'allow', 'Panorama to services'],
    ['mgmt', 'untrust', 'deny', 'Deny other from Panorama'],
    ['mgmt', 'admin', 'deny', 'Deny other from Panorama'],
    ['mgmt', 'devices', 'deny', 'Deny other from Panorama'],
    ['mgmt', 'untrust', 'deny', 'Deny other from Panorama'],
  ]);
});
