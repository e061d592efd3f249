/**
 * @fileoverview The scenario fixtures (issue "Policy engine and checks", acceptance): every scenario's
 * exact findings (code, severity, message, range) in XML and in set form, the two forms agreeing on
 * codes and messages; and the committed fixture files equal what the spec builder writes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { LineIndex } from '../../server/src/core/text';
import { FIXTURES } from '../helpers';
import { renderScenario } from '../scenarios/build';
import { scenarios } from '../scenarios/scenarios';

type Row = { code: string; severity: string; message: string; at: string; text: string };

function findings(dir: string, form: 'xml' | 'set'): Row[] {
  const text = fs.readFileSync(path.join(dir, `config.${form}`), 'utf8');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const li = new LineIndex(text);
  return analyze(text, { env, fixes: false }).findings.map((f) => {
    const r = li.rangeOf(f.span);
    return { code: f.code, severity: f.severity, message: f.message, at: `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`, text: text.slice(f.span.start, f.span.end) };
  });
}

/** Expected findings per scenario: code, severity, the exact message, and the text the range covers in each form. */
const EXPECTED: Record<string, { code: string; severity: string; message: string; xml: string; set: string }[]> = {
  'fw-tight': [],
  'fw-flow-removed': [
    {
      code: 'PANO001',
      severity: 'error',
      message: "Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#6 in vsys:vsys1). Needed for NTP (always required).",
      xml: 'Deny other from Panorama',
      set: '"Deny other from Panorama"',
    },
  ],
  'fw-application-any': [
    { code: 'PANO010', severity: 'warning', message: "Rule 'Admin to Panorama' allows any application to Panorama/Log Collectors (10.10.10.5, 10.10.10.6); only the catalog's App-IDs are needed.", xml: 'any', set: 'any' },
  ],
  'fw-service-any': [
    { code: 'PANO011', severity: 'warning', message: "Rule 'Devices to Panorama' allows any port (service any) to Panorama/Log Collectors (10.10.10.5, 10.10.10.6); use application-default or the catalog's ports.", xml: 'any', set: 'any' },
  ],
  'fw-internet-source-any': [
    {
      code: 'PANO013',
      severity: 'error',
      message: "Rule 'Admin to Panorama' allows any source from Internet-facing zone 'untrust' to Panorama/Log Collectors (10.10.10.5, 10.10.10.6): management interfaces must not be reachable from the Internet.",
      xml: 'any',
      set: 'any',
    },
  ],
  'fw-ssh28-application-default': [
    {
      code: 'PANO003',
      severity: 'error',
      message:
        "ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'Panorama HA' (#5 in vsys:vsys1) does not allow Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh): a custom service for tcp/28 is needed with application ssh.",
      xml: 'application-default',
      set: 'application-default',
    },
  ],
  'fw-shadowed': [
    { code: 'PANO010', severity: 'warning', message: "Rule 'Admin anything' allows any application to Panorama/Log Collectors (10.10.10.5, 10.10.10.6); only the catalog's App-IDs are needed.", xml: 'any', set: 'any' },
    { code: 'PANO011', severity: 'warning', message: "Rule 'Admin anything' allows any port (service any) to Panorama/Log Collectors (10.10.10.5, 10.10.10.6); use application-default or the catalog's ports.", xml: 'any', set: 'any' },
    {
      code: 'PANO023',
      severity: 'warning',
      message: "Rule 'Admin to Panorama' is shadowed by rule 'Admin anything' (#1 in vsys:vsys1), which matches all traffic it matches (and allows it first); 'Admin to Panorama' never applies.",
      xml: 'Admin to Panorama',
      set: '"Admin to Panorama"',
    },
  ],
  'fw-earlier-deny': [
    {
      code: 'PANO001',
      severity: 'error',
      message: "Blocked: admin clients 10.30.0.0/24 → Panorama/Log Collectors 10.10.10.5, 10.10.10.6 tcp/22 (ssh) is denied by rule 'Block SSH' (#1 in vsys:vsys1). Needed for admin CLI (SSH) (always required).",
      xml: 'Block SSH',
      set: '"Block SSH"',
    },
  ],
  'fw-fqdn-dynamic': [
    {
      code: 'PANO026',
      severity: 'information',
      message:
        "Cannot tell whether these 3 flows are allowed: managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/3978 (panorama); managed devices 10.20.0.0/24 → Log Collectors 10.10.10.6 tcp/3978 (panorama); managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama). Reason: dynamic address group 'dyn-devices' (filter 'managed-fw') gets its members at run time.",
      xml: 'dyn-devices',
      set: 'dyn-devices',
    },
    {
      code: 'PANO026',
      severity: 'information',
      message: 'Cannot tell whether Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is allowed: FQDN address \'ntp-fqdn\' (ntp.example.net) is resolved by the firewall at run time; map it in .panos-guard.json "fqdn".',
      xml: 'ntp-fqdn',
      set: 'ntp-fqdn',
    },
  ],
  'panorama-dg': [
    {
      code: 'PANO001',
      severity: 'error',
      message:
        "Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → DNS servers 10.40.0.53 udp/53 (dns) is denied by rule 'Block external DNS' (#1 in device-group:branches/pre) on the firewalls of device group edge-dg. Needed for DNS lookups (always required).",
      xml: 'Block external DNS',
      set: '"Block external DNS"',
    },
  ],
};

test('every scenario has its expectations (and no expectation lacks a scenario)', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), scenarios.map((s) => s.name).sort());
});

for (const s of scenarios) {
  test(`scenario ${s.name}: exact findings in XML and set form`, () => {
    const dir = path.join(FIXTURES, 'scenarios', s.name);
    const xml = findings(dir, 'xml');
    const set = findings(dir, 'set');
    const want = EXPECTED[s.name]!;
    assert.deepEqual(
      xml.map((f) => ({ code: f.code, severity: f.severity, message: f.message, text: f.text })),
      want.map((w) => ({ code: w.code, severity: w.severity, message: w.message, text: w.xml })),
    );
    assert.deepEqual(
      set.map((f) => ({ code: f.code, severity: f.severity, message: f.message, text: f.text })),
      want.map((w) => ({ code: w.code, severity: w.severity, message: w.message, text: w.set })),
    );
  });
}

test('the ranges point into the rule the message names (XML and set)', () => {
  // Each finding that names a rule is placed inside that rule: its range lies within the rule's lines.
  for (const s of scenarios) {
    const dir = path.join(FIXTURES, 'scenarios', s.name);
    for (const form of ['xml', 'set'] as const) {
      const text = fs.readFileSync(path.join(dir, `config.${form}`), 'utf8');
      const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
      const a = analyze(text, { env, fixes: false });
      for (const f of a.findings) {
        if (!f.rule) continue;
        const rule = a.model!.vsys.flatMap((v) => v.rulebase.rules).concat(a.model!.deviceGroups.flatMap((d) => [...d.pre.rules, ...d.post.rules])).find((r) => r.name === f.rule && r.rulebase.location === f.rulebase);
        assert.ok(rule, `${s.name}.${form}: rule ${f.rule}`);
        const parts = rule.node.parts.map((p) => p.span);
        assert.ok(parts.some((p) => f.span.start >= p.start && f.span.end <= p.end), `${s.name}.${form} ${f.code}: range inside rule '${f.rule}'`);
      }
    }
  }
});

test('committed fixtures equal what the spec builder writes (no drift between XML and set)', () => {
  for (const s of scenarios) {
    const dir = path.join(FIXTURES, 'scenarios', s.name);
    const r = renderScenario(s.name);
    assert.equal(fs.readFileSync(path.join(dir, 'config.xml'), 'utf8'), r.xml, `${s.name}/config.xml`);
    assert.equal(fs.readFileSync(path.join(dir, 'config.set'), 'utf8'), r.set, `${s.name}/config.set`);
    assert.equal(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8'), r.env, `${s.name}/.panos-guard.json`);
  }
});
