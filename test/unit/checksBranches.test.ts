/**
 * @fileoverview PANO002's logged final deny, read rule field by rule field: a deny counts only when it
 * matches all other traffic to (or from) every Panorama and Log Collector address — every zone, user,
 * App-ID and service, any rule type, any firewall, the management hosts whole on its side and `any`
 * on the other. Each case changes one field of the example's "Deny other to Panorama". A mutation pass
 * over `checks/pano002-no-final-deny.ts` found these fields read by no test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { editOnce, ROOT } from '../helpers';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');

/** The example with one edit inside the entry of rule `rule` (`from` must occur there once). */
function inRule(rule: string, from: string, to: string, text = EXAMPLE): string {
  const a = text.indexOf(`<entry name="${rule}">`);
  const b = text.indexOf('</entry>', a);
  assert.ok(a >= 0 && b > a, rule);
  return text.slice(0, a) + editOnce(text.slice(a, b), from, to) + text.slice(b);
}

/** The messages of the findings of `code`, each after its rule's name. */
function findings(text: string, code: string): string[] {
  return analyze(text, { fixes: false }).findings.filter((f) => f.code === code).map((f) => `${f.rule ?? '-'}: ${f.message}`);
}

function pano002(text: string): string[] {
  return findings(text, 'PANO002');
}

/** PANO002's finding when the deny to Panorama does not count: after the last allow rule that reaches it. */
const TO =
  "Panorama HA: No explicit deny with logging for all other traffic to Panorama/Log Collectors (10.10.10.5) after rule 'Panorama HA' (#5 in vsys:vsys1): unexpected applications fall through to the default rules, which do not log by default.";

test('PANO002: the example ends with logged denies to and from Panorama', () => {
  assert.deepEqual(pano002(EXAMPLE), []);
});

test('PANO002: a deny that leaves out part of the other traffic to Panorama is not the final deny', () => {
  const deny = 'Deny other to Panorama';
  const cases: [string, string, string][] = [
    ['an intrazone rule', '<action>deny</action>', '<rule-type>intrazone</rule-type><action>deny</action>'],
    ['a source user', '<source-user>\n                    <member>any</member>', '<source-user>\n                    <member>corp\\admins</member>'],
    ['a service', '<service>\n                    <member>any</member>', '<service>\n                    <member>service-https</member>'],
    ['a source zone', '<from>\n                    <member>any</member>', '<from>\n                    <member>untrust</member>'],
    ['a destination zone', '<to>\n                    <member>any</member>', '<to>\n                    <member>mgmt</member>'],
    ['an App-ID', '<application>\n                    <member>any</member>', '<application>\n                    <member>ssh</member>'],
    ['negated sources', '<action>deny</action>', '<negate-source>yes</negate-source><action>deny</action>'],
    ['negated destinations', '<action>deny</action>', '<negate-destination>yes</negate-destination><action>deny</action>'],
    ['a destination it cannot resolve', '<member>panorama-peer</member>', '<member>panorama-peer</member><member>no-such-object</member>'],
    ['no logging at its end', '<log-end>yes</log-end>', '<log-end>no</log-end>'],
  ];
  for (const [what, from, to] of cases) {
    assert.deepEqual(pano002(inRule(deny, from, to)), [TO], what);
  }
});

test("PANO002: on Panorama, a deny targeted at some of a device group's firewalls is not the final deny for the others", () => {
  const scenario = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'scenarios', 'panorama-dg', 'config.xml'), 'utf8');
  assert.deepEqual(pano002(scenario), []);
  const targeted = inRule('Deny other to Panorama', '<action>deny</action>', '<action>deny</action><target><devices><entry name="0001"/></devices></target>', scenario);
  assert.deepEqual(pano002(targeted), [
    "Devices to Panorama: No explicit deny with logging for all other traffic to Panorama/Log Collectors (10.10.10.5, 10.10.10.6) after rule 'Devices to Panorama' (#2 in device-group:edge-dg/pre): unexpected applications fall through to the firewall's local rules and the default rules, which do not log by default.",
  ]);
});

test('PANO013: any source is reported on rules that let traffic reach Panorama, not on those from it, nor on a negated any', () => {
  const anySource = inRule('Admin to Panorama', '<member>admin-clients</member>', '<member>any</member>');
  assert.deepEqual(findings(anySource, 'PANO013'), [
    "Admin to Panorama: Rule 'Admin to Panorama' allows any source to Panorama/Log Collectors (10.10.10.5); limit it to the admin clients and managed devices that need it.",
  ]);
  // From Panorama (its own zone) to the Internet: any source there is any host of Panorama's zone, not a way in.
  assert.deepEqual(findings(inRule('Panorama to Internet', '<member>panorama</member>', '<member>any</member>'), 'PANO013'), []);
  // `any` negated matches no source at all.
  assert.deepEqual(findings(inRule('Admin to Panorama', '<action>allow</action>', '<negate-source>yes</negate-source><action>allow</action>', anySource), 'PANO013'), []);
});

test('PANO020: a rule with security profiles of its own, not a group, has them', () => {
  const group = '<group>\n                      <member>pg-default</member>\n                    </group>';
  assert.deepEqual(findings(EXAMPLE, 'PANO020'), []);
  assert.deepEqual(findings(inRule('Admin to Panorama', group, '<profiles><virus><member>default</member></virus></profiles>'), 'PANO020'), []);
  assert.deepEqual(findings(inRule('Admin to Panorama', group, ''), 'PANO020'), [
    "Admin to Panorama: Rule 'Admin to Panorama' allows Panorama/Log Collector traffic without security profiles; attach a profile group so allowed traffic is scanned for threats.",
  ]);
});
