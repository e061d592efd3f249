/**
 * The firewalls of one device group that rule targets set apart are evaluated as contexts of their
 * own over the same rulebases; a flow that reaches no rule with a target gets one result for them
 * all. Every result must equal that context's flow evaluated anew.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { evaluateFlow, type FlowResult } from '../../server/src/core/policy/evaluate';
import { addrToString } from '../../server/src/core/policy/sets';
import { generate } from '../../bench/generate';
import { corpusFiles, editOnce, read } from '../helpers';

const SCENARIO = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios', 'panorama-dg', 'config.xml');

/** The scenario with a second firewall (0003) in edge-dg and, first in its pre-rulebase, an SSH deny targeting it. */
function targetedScenario(): string {
  const base = fs.readFileSync(SCENARIO, 'utf8');
  const rule =
    '<entry name="Lab SSH block"><from><member>any</member></from><to><member>any</member></to>' +
    '<source><member>any</member></source><destination><member>any</member></destination>' +
    '<application><member>ssh</member></application><service><member>application-default</member></service>' +
    '<action>deny</action><target><devices><entry name="0003"/></devices><negate>no</negate></target></entry>';
  const out = base
    .replace('<entry name="edge-dg">\n          <devices>\n            <entry name="0001"/>', '<entry name="edge-dg">\n          <devices>\n            <entry name="0001"/><entry name="0003"/>')
    .replace('<entry name="Admin to Panorama">', `${rule}<entry name="Admin to Panorama">`);
  assert.equal(out.split('0003').length, 3, 'both edits applied');
  return out;
}

/** Everything a result says, by value. */
function said(r: FlowResult): unknown {
  const box = (b: FlowResult['portions'][number]['box']): string => `${addrToString(b.src, 9)} [${b.srcZone}] → ${addrToString(b.dst, 9)} [${b.dstZone}] ${b.app} ${JSON.stringify(b.ports)}`;
  return {
    verdict: r.verdict,
    summary: r.summary,
    rule: r.rule?.name,
    defaultRule: r.defaultRule,
    portions: r.portions.map((p) => [box(p.box), p.outcome, p.rule?.name, p.defaultRule, p.reasons]),
    trace: r.trace.map((t) => [t.rule.name, t.result, t.part]),
    reasons: r.reasons,
    notes: r.notes,
    nearMiss: r.nearMiss.map((n) => [n.rule.name, n.app, n.defaults]),
    disabledHits: r.disabledHits.map((x) => x.name),
    decisive: r.decisive ? box(r.decisive.box) : undefined,
  };
}

test("every flow result equals its context's flow evaluated anew, results shared between a device group's firewalls included", () => {
  const configs: [string, string][] = corpusFiles().map((f) => [f, read(f)]);
  configs.push(['generated panorama, seed 3', generate({ kind: 'panorama', format: 'xml', targetBytes: 1024 * 1024, seed: 3 })]);
  configs.push(['panorama-dg scenario with a targeted SSH deny', targetedScenario()]);
  let compared = 0;
  let sharedResults = 0;
  for (const [name, text] of configs) {
    const policy = analyze(text, { fixes: false }).policy;
    if (!policy) continue;
    for (const r of policy.results) {
      assert.deepEqual(said(r), said(evaluateFlow(policy.env, policy.resolver, r.flow, r.ctx)), `${name}: ${r.ctx.id}, flow ${r.flow.id}`);
      compared++;
      if (policy.results.some((o) => o !== r && o.ctx !== r.ctx && o.flow === r.flow && o.trace === r.trace)) sharedResults++;
    }
  }
  assert.ok(compared > 80 && sharedResults > 20, `${compared} compared, ${sharedResults} shared`);
});

test("a flow that reaches a rule targeting one firewall is evaluated for each of the device group's firewalls", () => {
  const policy = analyze(targetedScenario(), { fixes: false }).policy!;
  assert.deepEqual(
    policy.contexts.map((c) => c.id),
    ['device-group:edge-dg@0003', 'device-group:edge-dg'],
  );
  const of = (ctx: string, flow: string): FlowResult => policy.results.find((r) => r.ctx.id === ctx && r.flow.id === flow)!;
  const ssh = policy.flows.find((f) => f.apps.includes('ssh'))!;
  assert.equal(of('device-group:edge-dg@0003', ssh.id).summary, "blocked by rule 'Lab SSH block' (#1 in device-group:edge-dg/pre)");
  assert.equal(of('device-group:edge-dg', ssh.id).summary, "allowed by rule 'Admin to Panorama' (#2 in device-group:edge-dg/pre)");
  assert.deepEqual(
    of('device-group:edge-dg', ssh.id).trace.slice(0, 2).map((t) => [t.rule.name, t.result, t.part]),
    [
      ['Lab SSH block', 'not-targeted', 'not targeted at this firewall'],
      ['Admin to Panorama', 'allow', '10.30.0.0/24 [admin] → 10.10.10.5, 10.10.10.6 [mgmt] ssh'],
    ],
  );
  // On 0003 the targeted deny takes every part of the flow, from each zone the admins' traffic may come from.
  assert.deepEqual([...new Set(of('device-group:edge-dg@0003', ssh.id).trace.map((t) => `${t.rule.name}: ${t.result}`))], ['Lab SSH block: deny']);
  // A flow no targeted rule can match (SSL to Panorama) is evaluated once for both firewalls.
  const ssl = policy.flows.find((f) => f.apps.includes('ssl') && !f.apps.includes('ssh'))!;
  assert.equal(of('device-group:edge-dg@0003', ssl.id).trace, of('device-group:edge-dg', ssl.id).trace);
  assert.notEqual(of('device-group:edge-dg@0003', ssh.id).trace, of('device-group:edge-dg', ssh.id).trace);
});

test('a part of a flow whose zone is unknown is met by a rule that names zones as "maybe": that part is unknown, naming the zone and the rule', () => {
  // The example firewall without its routing table: the Internet (Palo Alto Networks' cloud services,
  // addresses unknown) lies in no zone then, and 'Panorama to Internet' names its zones.
  const example = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');
  const from = example.indexOf('<routing-table>');
  const to = example.indexOf('</routing-table>') + '</routing-table>'.length;
  assert.ok(from > 0 && to > from);
  const policy = analyze(example.slice(0, from) + example.slice(to), { fixes: false }).policy!;
  const r = policy.results.find((x) => x.flow.id === 'shared-services-80-443-444/shared-services')!;
  const unknown =
    "the zone of Palo Alto Networks cloud services (addresses unknown) is unknown (no interface, route or .panos-guard.json zone covers it); rule 'Panorama to Internet' (#4 in vsys:vsys1) names zones";
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(
    r.portions.map((p) => [p.box.srcZone, p.box.dstZone, p.outcome, p.rule?.name, p.reasons]),
    [
      ['mgmt', 'untrust', 'allow', 'Panorama to Internet', []],
      ['mgmt', undefined, 'unknown', 'Panorama to Internet', [unknown]],
    ],
  );
  assert.deepEqual(r.reasons, [unknown]);
  // The same part read against every rule anew: the rules before it name other zones, and say nothing of it.
  assert.deepEqual(said(evaluateFlow(policy.env, policy.resolver, r.flow, r.ctx)), said(r));
});

test('a rule whose target is negated applies to every firewall of the device group but those it names', () => {
  const negated = editOnce(targetedScenario(), '<negate>no</negate></target></entry><entry name="Admin to Panorama">', '<negate>yes</negate></target></entry><entry name="Admin to Panorama">');
  const policy = analyze(negated, { fixes: false }).policy!;
  assert.deepEqual(
    policy.contexts.map((c) => c.id),
    ['device-group:edge-dg@0003', 'device-group:edge-dg'],
  );
  const ssh = policy.flows.find((f) => f.apps.includes('ssh'))!;
  const of = (ctx: string): FlowResult => policy.results.find((r) => r.ctx.id === ctx && r.flow.id === ssh.id)!;
  assert.equal(of('device-group:edge-dg@0003').summary, "allowed by rule 'Admin to Panorama' (#2 in device-group:edge-dg/pre)");
  assert.deepEqual(of('device-group:edge-dg@0003').trace[0]!.result, 'not-targeted');
  assert.equal(of('device-group:edge-dg').summary, "blocked by rule 'Lab SSH block' (#1 in device-group:edge-dg/pre)");
});
