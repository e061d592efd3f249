/**
 * A flow is split into one box per zone pair; once its first rules have decided most boxes, the rules
 * that name only the zones of decided boxes cannot change the verdict, and are passed over without
 * their addresses being resolved (the 50 MB generated firewall decides its DNS flow 10,000 rules in,
 * past thousands of such rules). Their notes must not appear either. And the rules past those that
 * decide a flow are not read at all: the App-ID index of a rulebase goes only as far as its flows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import type { Environment } from '../../server/src/core/policy/environment';
import { evaluateFlow, type FlowResult } from '../../server/src/core/policy/evaluate';
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
    [
      ['Mgmt to devices', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 10.20.0.0/16 [devices] dns'],
      ['Panorama to services', 'allow', '10.10.10.5, 10.10.10.6 [mgmt] → 10.40.0.14, 10.40.0.53, … (1 more) [services] dns'],
      ['Deny other from Panorama', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 203.0.113.0/24 [untrust] dns'],
      ['Deny other from Panorama', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 10.30.0.0/24 [admin] dns'],
      ['Deny other from Panorama', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 10.40.0.0/29, 10.40.0.8/30, … (5 more) [services] dns'],
      ['Deny other from Panorama', 'deny', '10.10.10.5, 10.10.10.6 [mgmt] → 0.0.0.0-10.10.9.255, 10.10.11.0-10.19.255.255, … (4 more) [untrust] dns'],
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
  assert.deepEqual(read, ['Mgmt to devices', 'Feed in admin', 'Panorama to services', 'Deny other to Panorama', 'Deny other from Panorama']);
});

test("a rulebase's App-ID index is read only as far as its flows go (in doubling steps from 64 rules)", () => {
  // fw-tight (7 rules that decide every flow) with 300 rules after them that no flow reaches, each
  // naming an application of its own: the applications the analysis reads are recorded by name.
  const { base, envJson } = fwTight();
  let filler = '';
  for (let i = 0; i < 300; i++) {
    filler +=
      `<entry name="Filler ${i}"><from><member>admin</member></from><to><member>untrust</member></to><source><member>any</member></source>` +
      `<destination><member>any</member></destination><application><member>app-filler-${i}</member></application>` +
      '<service><member>application-default</member></service><action>allow</action></entry>';
  }
  const end = base.lastIndexOf('</rules>');
  const text = base.slice(0, end) + filler + base.slice(end);
  const env = parseEnvFile(JSON.stringify(envJson)).env;
  const read = new Set<number>();
  const proto = Resolver.prototype;
  const applicationName = proto.applicationName;
  proto.applicationName = function (this: Resolver, scope, name) {
    const m = /^app-filler-(\d+)$/.exec(name);
    if (m) read.add(Number(m[1]));
    return applicationName.call(this, scope, name);
  };
  try {
    const policy = analyze(text, { fixes: false, env }).policy!;
    assert.equal(policy.contexts.length, 1);
    assert.equal(policy.contexts[0]!.rulebases.map((rb) => rb.rules.length).join(), '307');
    assert.deepEqual(
      policy.results.map((r) => r.verdict),
      ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'not-crossing', 'allowed', 'not-crossing'],
    );
  } finally {
    proto.applicationName = applicationName;
  }
  // The first step indexes rules 0–63: the 7 rules and fillers 0–56; none after.
  assert.deepEqual([...read].sort((a, b) => a - b), Array.from({ length: 57 }, (_, i) => i));
});
