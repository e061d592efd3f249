/**
 * @fileoverview PANO001, PANO003, PANO011, PANO014 and PANO015, read branch by branch: which contexts
 * count (only those in Panorama's path), how findings are grouped (one per flow and blocking place; one
 * per rule, App-ID and port), the related locations (blocking rule, default-rule override, group
 * member), and the parts of each message that only some configs show (partial blocks, direction
 * "from", application groups, filters, features that are off). A mutation pass over
 * `checks/pano001-blocked-flow.ts`, `pano003-custom-service.ts`, `pano011-service-any.ts`,
 * `pano014-foreign-apps.ts` and `pano015-unused-feature-apps.ts` found these paths read by no test (and
 * that PANO014 said nothing of a group's foreign App-IDs when the group also held a filter).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { editOnce, FIXTURES, ROOT, spanIn } from '../helpers';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');
const SSH28_ENV = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-ssh28-application-default', '.panos-guard.json'), 'utf8')) as EnvFile;
const PANORAMA_DG = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'panorama-dg', 'config.xml'), 'utf8');
const PANORAMA_DG_ENV = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'scenarios', 'panorama-dg', '.panos-guard.json'), 'utf8')) as EnvFile;

/** The text with one edit inside the entry of rule `rule` (`from` must occur there once). */
function inRule(rule: string, from: string, to: string, text = EXAMPLE): string {
  const a = text.indexOf(`<entry name="${rule}">`);
  const b = text.indexOf('</entry>', a);
  assert.ok(a >= 0 && b > a, rule);
  return text.slice(0, a) + editOnce(text.slice(a, b), from, to) + text.slice(b);
}

/** The text without the entry of rule `rule` (rules here hold no nested `<entry>`). */
function dropRule(rule: string, text: string): string {
  const a = text.indexOf(`<entry name="${rule}">`);
  const b = text.indexOf('</entry>', a);
  assert.ok(a >= 0 && b > a, rule);
  return text.slice(0, a) + text.slice(b + '</entry>'.length);
}

/** A one-line security rule entry. */
function rule(name: string, f: { from?: string; to?: string; src?: string; dst?: string; app: string[]; svc: string; action: string; extra?: string }): string {
  const m = (v: string): string => `<member>${v}</member>`;
  return (
    `<entry name="${name}"><from>${m(f.from ?? 'any')}</from><to>${m(f.to ?? 'any')}</to><source>${m(f.src ?? 'any')}</source><destination>${m(f.dst ?? 'any')}</destination>` +
    `<application>${f.app.map(m).join('')}</application><service>${m(f.svc)}</service><action>${f.action}</action>${f.extra ?? ''}</entry>`
  );
}

type Row = { rule: string; rulebase: string | undefined; severity: string; message: string; at: string; related: [string, string][] };

/** The findings of `code`: rule, message, the text its range covers and its related locations (message, text covered). */
function findings(text: string, code: string, env?: EnvFile): Row[] {
  return analyze(text, { fixes: false, env })
    .findings.filter((f) => f.code === code)
    .map((f) => ({
      rule: f.rule ?? '-',
      rulebase: f.rulebase,
      severity: f.severity,
      message: f.message,
      at: text.slice(f.span.start, f.span.end),
      related: (f.related ?? []).map((r): [string, string] => [r.message, text.slice(r.span.start, r.span.end)]),
    }));
}

function messages(text: string, code: string, env?: EnvFile): string[] {
  return findings(text, code, env).map((f) => `${f.rule}: ${f.message}`);
}

// ---------------------------------------------------------------------------------------------
// A second vsys that is not in Panorama's path: its zone (ethernet1/7) holds no management host.

const VSYS2 = `</entry>
        <entry name="vsys2">
          <zone><entry name="branch"><network><layer3><member>ethernet1/7</member></layer3></network></entry></zone>
          <rulebase><security><rules>
            ${rule('V2 to Panorama', { dst: '10.10.10.5', app: ['web-browsing', 'syslog'], svc: 'any', action: 'allow' })}
            ${rule('V2 ssh', { app: ['ssh'], svc: 'application-default', action: 'allow' })}
            ${rule('V2 deny all', { app: ['any'], svc: 'any', action: 'deny' })}
          </rules></security></rulebase>
        </entry>
      </vsys>`;
const TWO_VSYS = editOnce(
  editOnce(EXAMPLE, '</entry>\n      </vsys>', VSYS2),
  '<entry name="ethernet1/6">',
  '<entry name="ethernet1/7"><layer3><ip><entry name="10.60.0.1/24"/></ip></layer3></entry><entry name="ethernet1/6">',
);

test('a vsys outside Panorama\'s path raises none of PANO001/003/011/014/015, though its rules would', () => {
  const a = analyze(TWO_VSYS, { fixes: false, env: SSH28_ENV });
  assert.deepEqual(
    a.policy!.contexts.map((c) => [c.id, c.inPath]),
    [
      ['vsys:vsys1', true],
      ['vsys:vsys2', false],
    ],
  );
  // Only vsys1's findings: vsys2's deny-all blocks every flow, its "V2 ssh" near-misses ssh on tcp/28,
  // and "V2 to Panorama" allows service any, web-browsing and syslog to 10.10.10.5.
  assert.deepEqual(messages(TWO_VSYS, 'PANO001', SSH28_ENV), [
    "Deny other from Panorama: Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#7 in vsys:vsys1). Needed for NTP (always required).",
  ]);
  assert.deepEqual(messages(TWO_VSYS, 'PANO003', SSH28_ENV), [
    "Panorama HA: ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'Panorama HA' (#5 in vsys:vsys1) does not allow Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh): a custom service for tcp/28 is needed with application ssh.",
  ]);
  assert.deepEqual(messages(TWO_VSYS, 'PANO011'), [
    "Devices to Panorama: Rule 'Devices to Panorama' allows any port (service any) to Panorama/Log Collectors (10.10.10.5); use application-default or the catalog's ports.",
  ]);
  assert.deepEqual(messages(TWO_VSYS, 'PANO014'), []);
  assert.deepEqual(messages(TWO_VSYS, 'PANO015'), [
    "Panorama to services: Rule 'Panorama to services' allows syslog, but no Panorama flow needs it here: no syslog server profile on Panorama; off unless .panos-guard.json features.trapsEsm is true.",
  ]);
});

// ---------------------------------------------------------------------------------------------
// PANO001

test('PANO001: a rule-blocked flow names the blocking rule as related location, with its catalog entry and flow', () => {
  const f = analyze(EXAMPLE, { fixes: false }).findings.filter((x) => x.code === 'PANO001');
  assert.deepEqual(
    f.map((x) => [x.rule, x.catalogId, x.flowId]),
    [['Deny other from Panorama', 'ntp-123', 'ntp-123/ntp']],
  );
  assert.deepEqual(findings(EXAMPLE, 'PANO001')[0]!.related, [["blocking rule 'Deny other from Panorama' (#7 in vsys:vsys1)", 'Deny other from Panorama']]);
});

test('PANO001: a flow blocked for part of its sources says which part (the rest is allowed)', () => {
  const narrow = inRule('Devices to Panorama', '<member>managed-devices</member>', '<member>10.20.0.0/25</member>');
  assert.deepEqual(messages(narrow, 'PANO001', { managedDevices: ['10.20.0.0/24'] }), [
    "Deny other to Panorama: Blocked: managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama) is denied by rule 'Deny other to Panorama' (#6 in vsys:vsys1) for 10.20.0.128/25 (other parts are allowed). Needed for managed devices fetching updates (this firewall is managed by Panorama).",
    "Deny other to Panorama: Blocked: managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/3978 (panorama) is denied by rule 'Deny other to Panorama' (#6 in vsys:vsys1) for 10.20.0.128/25 (other parts are allowed). Needed for managed devices to Panorama (config, logs) (this firewall is managed by Panorama).",
    "Deny other from Panorama: Blocked: Panorama/Log Collectors 10.10.10.5 → NTP servers (addresses unknown) udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#7 in vsys:vsys1). Needed for NTP (always required).",
  ]);
});

test('PANO001: a flow blocked by an overridden default rule points at that override (intrazone or interzone)', () => {
  // Both default rules overridden to deny; no explicit denies; ethernet1/7 (admin clients 10.60.0.0/24) joins zone mgmt.
  let t = editOnce(
    EXAMPLE,
    '</rules>\n            </security>\n          </rulebase>',
    '</rules>\n            </security>\n            <default-security-rules><rules><entry name="intrazone-default"><action>deny</action><log-end>yes</log-end></entry><entry name="interzone-default"><action>deny</action><log-end>yes</log-end></entry></rules></default-security-rules>\n          </rulebase>',
  );
  t = dropRule('Deny other from Panorama', dropRule('Deny other to Panorama', t));
  t = editOnce(t, '<member>ethernet1/2</member>\n                </layer3>', '<member>ethernet1/2</member><member>ethernet1/7</member>\n                </layer3>');
  t = editOnce(t, '<member>ethernet1/6</member>\n            </interface>', '<member>ethernet1/6</member><member>ethernet1/7</member>\n            </interface>');
  t = editOnce(t, '<entry name="ethernet1/6">', '<entry name="ethernet1/7"><layer3><ip><entry name="10.60.0.1/24"/></ip></layer3></entry><entry name="ethernet1/6">');
  const env: EnvFile = { adminClients: ['10.60.0.0/24'], peers: { ntpServers: ['10.40.0.123'] } };
  assert.deepEqual(findings(t, 'PANO001', env), [
    {
      rule: '-',
      rulebase: 'vsys:vsys1',
      severity: 'error',
      message: 'Blocked: Panorama/Log Collectors 10.10.10.5 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by the default rule interzone-default (zone mgmt → services). Needed for NTP (always required).',
      at: 'rules',
      related: [['interzone-default override', 'interzone-default']],
    },
    {
      rule: '-',
      rulebase: 'vsys:vsys1',
      severity: 'error',
      message: 'Blocked: admin clients 10.60.0.0/24 → Panorama 10.10.10.5 tcp/443 (ssl) is denied by the default rule intrazone-default (zone mgmt → mgmt). Needed for web interface (HTTPS) (always required).',
      at: 'rules',
      related: [['intrazone-default override', 'intrazone-default']],
    },
    {
      rule: '-',
      rulebase: 'vsys:vsys1',
      severity: 'error',
      message: 'Blocked: admin clients 10.60.0.0/24 → Panorama/Log Collectors 10.10.10.5 tcp/22 (ssh) is denied by the default rule intrazone-default (zone mgmt → mgmt). Needed for admin CLI (SSH) (always required).',
      at: 'rules',
      related: [['intrazone-default override', 'intrazone-default']],
    },
  ]);
});

// ---------------------------------------------------------------------------------------------
// Panorama: edge-dg gets a second firewall (0003), so a rule targeted at 0001 makes two contexts.

const TARGETS = (() => {
  const tgt = (negate: string): string => `<target><devices><entry name="0001"/></devices><negate>${negate}</negate></target>`;
  let p = editOnce(PANORAMA_DG, '<entry name="0001"/>\n          </devices>\n          <address>', '<entry name="0001"/><entry name="0003"/>\n          </devices>\n          <address>');
  p = editOnce(
    p,
    '<rules>\n                <entry name="Admin to Panorama">',
    '<rules>' +
      rule('Block NTP 0001', { app: ['ntp'], svc: 'application-default', action: 'deny', extra: tgt('no') }) +
      rule('Block NTP others', { app: ['ntp'], svc: 'application-default', action: 'deny', extra: tgt('yes') }) +
      '\n                <entry name="Admin to Panorama">',
  );
  // A shared pre-rule that allows ssh on its default port only: HA sync on tcp/28 near-misses it in both contexts.
  return editOnce(p, '<pre-rulebase>\n      <security>\n        <rules/>', '<pre-rulebase>\n      <security>\n        <rules>' + rule('HA ssh', { app: ['ssh'], svc: 'application-default', action: 'allow' }) + '</rules>');
})();
const TARGETS_ENV: EnvFile = { ...PANORAMA_DG_ENV, haPeer: ['10.50.0.5'], features: { ha: 'encrypted' } };

test('PANO001: one finding per flow and blocking place: a place shared by two contexts once, two places twice', () => {
  const a = analyze(TARGETS, { fixes: false, env: TARGETS_ENV });
  assert.deepEqual(
    a.policy!.contexts.map((c) => c.id),
    ['device-group:edge-dg@0001', 'device-group:edge-dg'],
  );
  assert.deepEqual(messages(TARGETS, 'PANO001', TARGETS_ENV), [
    // Both contexts reach 'Block external DNS': reported once, for the first.
    "Block external DNS: Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → DNS servers 10.40.0.53 udp/53 (dns) is denied by rule 'Block external DNS' (#1 in device-group:branches/pre) on the firewalls of device group edge-dg (firewall 0001). Needed for DNS lookups (always required).",
    // NTP is blocked by a different rule in each context: once per rule.
    "Block NTP 0001: Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Block NTP 0001' (#1 in device-group:edge-dg/pre) on the firewalls of device group edge-dg (firewall 0001). Needed for NTP (always required).",
    "Block NTP others: Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Block NTP others' (#2 in device-group:edge-dg/pre) on the firewalls of device group edge-dg (firewalls not named in a rule target). Needed for NTP (always required).",
  ]);
});

// ---------------------------------------------------------------------------------------------
// PANO003

test('PANO003: a shared rule near-missed in two contexts is one finding in its own rulebase, each flow named once', () => {
  const f = analyze(TARGETS, { fixes: false, env: TARGETS_ENV }).findings.filter((x) => x.code === 'PANO003');
  assert.deepEqual(
    f.map((x) => [x.rule, x.rulebase, x.catalogId, x.flowId]),
    [['HA ssh', 'shared/pre', 'ssh-28', 'ssh-28/ha-encrypted']],
  );
  assert.deepEqual(findings(TARGETS, 'PANO003', TARGETS_ENV), [
    {
      rule: 'HA ssh',
      rulebase: 'shared/pre',
      severity: 'error',
      message:
        "ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'HA ssh' (#1 in shared/pre) does not allow Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh): a custom service for tcp/28 is needed with application ssh.",
      at: 'application-default',
      related: [["then blocked by rule 'Deny other from Panorama' (#8 in device-group:edge-dg/pre)", 'Deny other from Panorama']],
    },
  ]);
});

test('PANO003: two rules near-missing the same App-ID and port are two findings, each naming the rule that then blocks', () => {
  const ha = EXAMPLE.slice(EXAMPLE.indexOf('<entry name="Panorama HA">'), EXAMPLE.indexOf('<entry name="Deny other to Panorama">'));
  const t = editOnce(EXAMPLE, '<entry name="Deny other to Panorama">', editOnce(ha, '"Panorama HA"', '"Panorama HA 2"') + '<entry name="Deny other to Panorama">');
  const then: [string, string][] = [["then blocked by rule 'Deny other to Panorama' (#7 in vsys:vsys1)", 'Deny other to Panorama']];
  const flows = 'Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh)';
  assert.deepEqual(
    findings(t, 'PANO003', SSH28_ENV).map((f) => [f.rule, f.message, f.related]),
    [
      ['Panorama HA', `ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'Panorama HA' (#5 in vsys:vsys1) does not allow ${flows}: a custom service for tcp/28 is needed with application ssh.`, then],
      ['Panorama HA 2', `ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'Panorama HA 2' (#6 in vsys:vsys1) does not allow ${flows}: a custom service for tcp/28 is needed with application ssh.`, then],
    ],
  );
});

test('PANO003: one App-ID near-missed on two ports (tcp and udp) is one finding per port', () => {
  const esm = rule('ESM to Panorama', { to: 'mgmt', dst: 'panorama', app: ['syslog'], svc: 'application-default', action: 'allow' });
  const t = editOnce(EXAMPLE, '<entry name="Deny other to Panorama">', esm + '<entry name="Deny other to Panorama">');
  assert.deepEqual(messages(t, 'PANO003', { features: { trapsEsm: true } }), [
    "ESM to Panorama: syslog on tcp/23000-23999 is not covered by application-default (syslog defaults: tcp/514,6514), so rule 'ESM to Panorama' (#6 in vsys:vsys1) does not allow Traps ESM (addresses unknown) → Panorama 10.10.10.5 tcp/23000-23999 (syslog): a custom service for tcp/23000-23999 is needed with application syslog.",
    "ESM to Panorama: syslog on udp/23000-23999 is not covered by application-default (syslog defaults: udp/514), so rule 'ESM to Panorama' (#6 in vsys:vsys1) does not allow Traps ESM (addresses unknown) → Panorama 10.10.10.5 udp/23000-23999 (syslog): a custom service for udp/23000-23999 is needed with application syslog.",
  ]);
});

// ---------------------------------------------------------------------------------------------
// PANO011

test('PANO011: a rule from Panorama says "from"; more than three hosts are shortened', () => {
  const out = inRule('Panorama to Internet', '<member>application-default</member>', '<member>any</member>');
  assert.deepEqual(messages(out, 'PANO011'), [
    "Devices to Panorama: Rule 'Devices to Panorama' allows any port (service any) to Panorama/Log Collectors (10.10.10.5); use application-default or the catalog's ports.",
    "Panorama to Internet: Rule 'Panorama to Internet' allows any port (service any) from Panorama/Log Collectors (10.10.10.5); use application-default or the catalog's ports.",
  ]);
  const hosts = analyze(EXAMPLE, { fixes: false, env: { logCollectors: ['10.10.10.7', '10.10.10.9', '10.10.10.11'] } });
  assert.deepEqual(
    hosts.findings.filter((f) => f.code === 'PANO011').map((f) => f.message),
    [`Rule 'Devices to Panorama' allows any port (service any) to Panorama/Log Collectors (10.10.10.5, 10.10.10.7, 10.10.10.9, … (1 more)); use application-default or the catalog's ports.`],
  );
});

// ---------------------------------------------------------------------------------------------
// PANO014 / PANO015 with application groups and filters

const GROUPS = editOnce(
  EXAMPLE,
  '<profile-group>',
  `<application-group>
            <entry name="svc-apps"><members><member>dns</member><member>syslog</member><member>more-syslog</member></members></entry>
            <entry name="more-syslog"><members><member>syslog</member></members></entry>
            <entry name="admin-extra"><members><member>ssl</member><member>web-browsing</member><member>web-nested</member></members></entry>
            <entry name="web-nested"><members><member>web-browsing</member><member>ftp</member></members></entry>
            <entry name="two-filters"><members><member>remote-filter</member><member>media-filter</member></members></entry>
          </application-group>
          <application-filter>
            <entry name="remote-filter"><subcategory><member>remote-access</member></subcategory></entry>
            <entry name="media-filter"><category><member>media</member></category></entry>
          </application-filter>
          <profile-group>`,
);

test('PANO014: a group holding foreign App-IDs (also through a nested group) lists each once and points at its first foreign member', () => {
  const t = inRule('Admin to Panorama', '<member>ssl</member>', '<member>admin-extra</member>', GROUPS);
  const f = analyze(t, { fixes: false }).findings.filter((x) => x.code === 'PANO014');
  assert.deepEqual(
    f.map((x) => [x.rule, x.severity, x.message, t.slice(x.span.start, x.span.end)]),
    [['Admin to Panorama', 'warning', "Application group 'admin-extra' in rule 'Admin to Panorama' holds App-IDs that Panorama/Log Collectors do not use: web-browsing, ftp.", 'admin-extra']],
  );
  assert.deepEqual(
    f[0]!.related?.map((r) => [r.message, r.span]),
    [["member of application group 'admin-extra'", spanIn(t, '<entry name="admin-extra"><members><member>ssl</member><member>web-browsing</member>', 'web-browsing')]],
  );
});

/** A PANO014 finding on rule 'Admin to Panorama' of vsys1, as {@link findings} gives it. */
function admin(severity: string, message: string, at: string, related: [string, string][] = []): Row {
  return { rule: 'Admin to Panorama', rulebase: 'vsys:vsys1', severity, message, at, related };
}

test('PANO014: each application filter (alone or in a group) is one information finding on its own member, with the first filter as reason', () => {
  const t = inRule('Admin to Panorama', '<member>ssl</member>', '<member>ssl</member><member>remote-filter</member><member>two-filters</member>', GROUPS);
  assert.deepEqual(findings(t, 'PANO014'), [
    admin('information', "Rule 'Admin to Panorama' allows 'remote-filter' to or from Panorama/Log Collectors: application filter 'remote-filter' selects App-IDs by attributes, which may include App-IDs Panorama does not need.", 'remote-filter'),
    admin('information', "Rule 'Admin to Panorama' allows 'two-filters' to or from Panorama/Log Collectors: application filter 'remote-filter' selects App-IDs by attributes, which may include App-IDs Panorama does not need.", 'two-filters'),
  ]);
});

test('PANO014: a group holding a filter and foreign App-IDs gets both findings (the filter does not hide them), the warning first', () => {
  const groups = editOnce(GROUPS, '<entry name="two-filters">', '<entry name="mixed"><members><member>web-browsing</member><member>remote-filter</member></members></entry>\n            <entry name="two-filters">');
  const t = inRule('Admin to Panorama', '<member>ssl</member>', '<member>mixed</member>', groups);
  assert.deepEqual(findings(t, 'PANO014'), [
    admin('warning', "Application group 'mixed' in rule 'Admin to Panorama' holds App-IDs that Panorama/Log Collectors do not use: web-browsing.", 'mixed', [["member of application group 'mixed'", 'web-browsing']]),
    admin('information', "Rule 'Admin to Panorama' allows 'mixed' to or from Panorama/Log Collectors: application filter 'remote-filter' selects App-IDs by attributes, which may include App-IDs Panorama does not need.", 'mixed'),
  ]);
});

test('PANO015: an unused App-ID held twice by a group (directly and through a nested group) is one finding naming the group', () => {
  const t = inRule('Panorama to services', '<member>syslog</member>', '<member>svc-apps</member>', GROUPS);
  assert.deepEqual(findings(t, 'PANO015'), [
    {
      rule: 'Panorama to services',
      rulebase: 'vsys:vsys1',
      severity: 'information',
      message: "Rule 'Panorama to services' allows syslog (through application group 'svc-apps'), but no Panorama flow needs it here: no syslog server profile on Panorama; off unless .panos-guard.json features.trapsEsm is true.",
      at: 'svc-apps',
      related: [],
    },
  ]);
});

test('PANO015: the reason lists every feature that would need the App-ID, each once, from every catalog entry holding it', () => {
  // With managed devices off, nothing needs panorama: its entries' triggers (3978, 28270, 28443, 28769), deduplicated.
  assert.deepEqual(messages(EXAMPLE, 'PANO015', { features: { managedDevices: false } }), [
    "Devices to Panorama: Rule 'Devices to Panorama' allows panorama, but no Panorama flow needs it here: off in .panos-guard.json features.managedDevices; needs managed devices and Log Collectors; no Log Collector addresses; no Collector Group with more than one Log Collector; no HA peer.",
    "Panorama to services: Rule 'Panorama to services' allows syslog, but no Panorama flow needs it here: no syslog server profile on Panorama; off unless .panos-guard.json features.trapsEsm is true.",
  ]);
});

// ---------------------------------------------------------------------------------------------
// Panorama: two more device groups (dc1-dg, dc2-dg) alike, each in Panorama's path with its own rules
// and no explicit deny, so the same flows fall to the interzone default in each.

const TWO_DGS = (() => {
  const dg = (name: string, serial: string): string =>
    `<entry name="${name}"><devices><entry name="${serial}"/></devices><pre-rulebase><security><rules>` +
    rule('HA ssh', { app: ['ssh'], svc: 'application-default', action: 'allow' }) +
    rule('Admin to Panorama', { from: 'admin', to: 'mgmt', dst: 'panorama', app: ['ssl'], svc: 'application-default', action: 'allow' }) +
    '</rules></security></pre-rulebase></entry>';
  const p = editOnce(PANORAMA_DG, '</device-group>\n    </entry>\n  </devices>', dg('dc1-dg', '0003') + dg('dc2-dg', '0004') + '</device-group>\n    </entry>\n  </devices>');
  return editOnce(p, '<entry name="0002"/>\n    </devices>\n  </mgt-config>', '<entry name="0002"/><entry name="0003"/><entry name="0004"/>\n    </devices>\n  </mgt-config>');
})();

test('PANO001/PANO003: the same default rule, or rules of one name, in two device groups are reported for each', () => {
  const a = analyze(TWO_DGS, { fixes: false, env: TARGETS_ENV });
  assert.deepEqual(
    a.policy!.contexts.map((c) => [c.id, c.inPath]),
    [
      ['device-group:edge-dg', true],
      ['device-group:dc1-dg', true],
      ['device-group:dc2-dg', true],
    ],
  );
  const byDefault = a.findings.filter((f) => f.code === 'PANO001' && f.rule === undefined);
  const flows = ['https-443/content-updates', 'shared-services-80-443-444/shared-services', 'dns-53/dns', 'ntp-123/ntp', 'syslog-514-6514/syslog', 'panorama-3978/devices-to-collectors', 'updates-28443/device-updates', 'panorama-3978/managed-devices'];
  assert.deepEqual(
    byDefault.map((f) => [f.rulebase, f.flowId]),
    ['device-group:dc1-dg/pre', 'device-group:dc2-dg/pre'].flatMap((rb) => flows.map((id) => [rb, id])),
  );
  assert.deepEqual(
    byDefault.filter((f) => f.flowId === 'ntp-123/ntp').map((f) => f.message),
    ['dc1-dg', 'dc2-dg'].map(
      (g) => `Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by the default rule interzone-default (zone mgmt → services) on the firewalls of device group ${g}. Needed for NTP (always required).`,
    ),
  );
  assert.deepEqual(
    messages(TWO_DGS, 'PANO003', TARGETS_ENV),
    ['dc1-dg', 'dc2-dg'].map(
      (g) =>
        `HA ssh: ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'HA ssh' (#1 in device-group:${g}/pre) does not allow Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh): a custom service for tcp/28 is needed with application ssh.`,
    ),
  );
});
