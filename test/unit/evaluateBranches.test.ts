/**
 * @fileoverview Each way a rule can match a part of a flow only perhaps, or not as its zones and
 * addresses alone say, read once on the example firewall with one rule put first (or its rules
 * replaced by the defaults): the parts of the flows it decides, their outcomes and reasons, exactly.
 * A mutation pass over `policy/evaluate.ts` found each of these paths read by no test before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import type { FlowResult } from '../../server/src/core/policy/evaluate';
import { editOnce as edit, ROOT } from '../helpers';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');

/** A rule from `admin` to `mgmt` matching every address, App-ID and service, with `body` added. */
function probe(body: string, over: Record<string, string> = {}): string {
  const f = { from: 'admin', to: 'mgmt', source: 'any', destination: 'any', application: 'any', service: 'any', ...over };
  const m = (tag: keyof typeof f): string => `<${tag}><member>${f[tag]}</member></${tag}>`;
  return `<entry name="Probe">${m('from')}${m('to')}${m('source')}${m('destination')}${m('application')}${m('service')}${body}</entry>`;
}

/** The example with `rule` first in its rulebase (and `objects` first in its address list). */
function first(rule: string, objects = ''): string {
  return edit(edit(EXAMPLE, '<rules>\n', `<rules>\n${rule}\n`), '<address>\n', `${objects}<address>\n`);
}

type Said = { verdict: string; summary: string; parts: unknown[] };

/** The SSH and web UI flows of the admin clients: verdict, summary and each part (zones, outcome, deciding rule, reasons). */
function flows(text: string): Record<'ssh' | 'ui', Said> {
  const policy = analyze(text, { fixes: false }).policy!;
  const of = (id: string): Said => {
    const r: FlowResult = policy.results.find((x) => x.flow.id === id)!;
    return { verdict: r.verdict, summary: r.summary, parts: r.portions.map((p) => [p.box.srcZone, p.box.dstZone, p.outcome, p.rule?.name ?? p.defaultRule, ...p.reasons]) };
  };
  return { ssh: of('ssh-22/admin-cli'), ui: of('https-443/web-ui') };
}

/** The parts the example's own rules decide after the admin zone's (the same in every case below). */
const REST = [
  ['untrust', 'mgmt', 'deny', 'Deny other to Panorama'],
  ['services', 'mgmt', 'deny', 'Deny other to Panorama'],
  ['dr', 'mgmt', 'deny', 'Deny other to Panorama'],
  ['devices', 'mgmt', 'deny', 'Deny other to Panorama'],
  ['untrust', 'mgmt', 'deny', 'Deny other to Panorama'],
];
const HA = ['dr', 'mgmt', 'allow', 'Panorama HA'];

/**
 * A rule that matches the admin zone's part only perhaps, for `reason`: that part is unknown, naming it.
 * (The admin clients' addresses are unknown: the first rule that allows part of a flow settles it, and
 * its parts end there.)
 */
function perhaps(reason: string): Record<'ssh' | 'ui', Said> {
  return {
    ssh: { verdict: 'allowed', summary: "allowed by rule 'Panorama HA' (#6 in vsys:vsys1)", parts: [['admin', 'mgmt', 'unknown', 'Probe', reason], HA] },
    ui: { verdict: 'unknown', summary: `unknown: ${reason}`, parts: [['admin', 'mgmt', 'unknown', 'Probe', reason], ...REST] },
  };
}

test('the example as it is: the admin clients reach Panorama by its first rule', () => {
  const byAdminRule: Said = { verdict: 'allowed', summary: "allowed by rule 'Admin to Panorama' (#1 in vsys:vsys1)", parts: [['admin', 'mgmt', 'allow', 'Admin to Panorama']] };
  assert.deepEqual(flows(EXAMPLE), { ssh: byAdminRule, ui: byAdminRule });
});

test('a URL category matches web traffic perhaps, and other traffic not at all', () => {
  const got = flows(first(probe('<category><member>social-networking</member></category><action>deny</action>')));
  const reason = "rule 'Probe' (#1 in vsys:vsys1) also matches on category 'social-networking'";
  assert.deepEqual(got.ui, perhaps(reason).ui);
  // SSH is not web traffic: the rule does not match it, the next one allows it.
  assert.deepEqual(got.ssh, { verdict: 'allowed', summary: "allowed by rule 'Admin to Panorama' (#2 in vsys:vsys1)", parts: [['admin', 'mgmt', 'allow', 'Admin to Panorama']] });
});

test("a source user matches the admin clients' traffic perhaps", () => {
  const got = flows(first(probe('<source-user><member>corp\\admins</member></source-user><action>deny</action>')));
  assert.deepEqual(got, perhaps("rule 'Probe' (#1 in vsys:vsys1) also matches on source-user 'corp\\admins'"));
});

test('an application filter matches perhaps', () => {
  const filter = '<application-filter><entry name="remote-access"><category><member>networking</member></category></entry></application-filter>\n';
  const got = flows(first(probe('<action>deny</action>', { application: 'remote-access' }), filter));
  assert.deepEqual(got, perhaps("application filter 'remote-access' selects App-IDs by attributes"));
});

test('a service the config does not define matches perhaps', () => {
  const got = flows(first(probe('<action>deny</action>', { service: 'svc-undefined' })));
  assert.deepEqual(got, perhaps("'svc-undefined' is not a service or service group defined in this config"));
});

test('a negated source naming an FQDN object matches perhaps (the addresses it leaves out are not known)', () => {
  const text = edit(first(probe('<negate-source>yes</negate-source><action>deny</action>', { source: 'jump-host' })), '<address>\n', '<address>\n<entry name="jump-host"><fqdn>jump.example.com</fqdn></entry>\n');
  const got = flows(text);
  assert.deepEqual(got, perhaps('FQDN address \'jump-host\' (jump.example.com) is resolved by the firewall at run time; map it in .panos-guard.json "fqdn"'));
});

test('a rule without an action decides nothing: what it matches is unknown', () => {
  assert.deepEqual(flows(first(probe(''))), perhaps("rule 'Probe' (#1 in vsys:vsys1) has no valid action"));
});

test('an intrazone rule does not match traffic between zones; an interzone one does', () => {
  const anyZones = { from: 'any', to: 'any' };
  const intra = flows(first(probe('<rule-type>intrazone</rule-type><action>deny</action>', anyZones)));
  assert.deepEqual(intra.ssh.summary, "allowed by rule 'Admin to Panorama' (#2 in vsys:vsys1)");
  assert.deepEqual(intra.ui.summary, "allowed by rule 'Admin to Panorama' (#2 in vsys:vsys1)");
  const inter = flows(first(probe('<rule-type>interzone</rule-type><action>deny</action>', anyZones)));
  const denied = ['untrust', 'admin', 'services', 'dr', 'devices', 'untrust'].map((z) => [z, 'mgmt', 'deny', 'Probe']);
  assert.deepEqual(inter.ssh, { verdict: 'blocked', summary: "blocked by rule 'Probe' (#1 in vsys:vsys1)", parts: denied });
  assert.deepEqual(inter.ui, { verdict: 'blocked', summary: "blocked by rule 'Probe' (#1 in vsys:vsys1)", parts: denied });
});

test('without rules the default rules decide, as the rulebase overrides them', () => {
  const noRules = edit(EXAMPLE, /<rules>[\s\S]*<\/rules>/, '<rules>\n</rules>');
  const defaults = (entry: string, text = noRules): string => edit(text, '</security>', `</security>\n<default-security-rules><rules>${entry}</rules></default-security-rules>`);
  const zones = ['untrust', 'admin', 'services', 'dr', 'devices', 'untrust'];
  const all = (outcome: string): unknown[] => zones.map((z) => [z, 'mgmt', outcome, 'interzone-default']);
  // Interzone: denied by PAN-OS's default, allowed when the rulebase overrides it.
  assert.deepEqual(flows(noRules).ssh, { verdict: 'blocked', summary: 'blocked by the default rule interzone-default (zone untrust → mgmt)', parts: all('deny') });
  assert.deepEqual(flows(defaults('<entry name="interzone-default"><action>allow</action></entry>')).ssh, {
    verdict: 'allowed',
    summary: 'allowed by the default rule interzone-default (zone untrust → mgmt)',
    parts: all('allow'),
  });
  // The admins' interface moved into zone mgmt: their traffic to Panorama is intrazone, allowed by
  // PAN-OS's default, denied when the rulebase overrides it.
  const intra = edit(
    edit(noRules, /(<entry name="mgmt">\s*<network>\s*<layer3>\s*)<member>ethernet1\/2<\/member>/, '$1<member>ethernet1/2</member><member>ethernet1/4</member>'),
    /(<entry name="admin">\s*<network>\s*<layer3>\s*)<member>ethernet1\/4<\/member>/,
    '$1',
  );
  const parts = (outcome: string): unknown[] => zones.map((z) => (z === 'admin' ? ['mgmt', 'mgmt', outcome, 'intrazone-default'] : [z, 'mgmt', 'deny', 'interzone-default']));
  assert.deepEqual(flows(intra).ssh, { verdict: 'allowed', summary: 'allowed by the default rule intrazone-default (zone mgmt → mgmt)', parts: parts('allow') });
  assert.deepEqual(flows(defaults('<entry name="intrazone-default"><action>deny</action></entry>', intra)).ssh, {
    verdict: 'blocked',
    summary: 'blocked by the default rule interzone-default (zone untrust → mgmt)',
    parts: parts('deny'),
  });
});
