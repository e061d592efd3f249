/**
 * @fileoverview `generateRuleSet` and `panos-guard generate`: exact output for a small environment,
 * the same output from the real CLI, and the acceptance check of the issue: the output for a typical
 * environment, pasted into an EMPTY firewall config (interfaces, zones and routes matching the
 * environment's zones; no rules, no objects), lints clean.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { generateRuleSet } from '../../server/src/core/fixes/generate';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { ROOT } from '../helpers';
import { checkGolden } from '../goldenUtil';
import { toSet, toXml, type FirewallSpec } from '../scenarios/spec';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmpDirs: string[] = [];
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-gen-'));
  tmpDirs.push(d);
  return d;
}
after(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

// -------------------------------------------------------------------------------------------------
// A small environment: exact lines

const SMALL: EnvFile = {
  panorama: ['10.10.10.5'],
  adminClients: ['10.30.0.0/24'],
  peers: { ntpServers: ['10.40.0.123'] },
  zones: { '10.10.10.0/24': 'mgmt', '10.30.0.0/24': 'admin', '10.40.0.0/24': 'services' },
};

const ALLOW_EXTRA = ['log-setting panos-guard-logs', 'profile-setting group panos-guard-profiles'];

function rule(p: string, name: string, f: Record<string, string>, extra: string[] = []): string[] {
  const q = `${p} "${name}"`;
  if (f.action === 'allow') extra = [...ALLOW_EXTRA, ...extra];
  const order = ['to', 'from', 'source', 'destination', 'source-user', 'category', 'application', 'service', 'action'];
  return [...order.map((k) => `${q} ${k} ${f[k] ?? 'any'}`), ...extra.map((e) => `${q} ${e}`)];
}

function smallSet(container: string, rulePrefix: string): string {
  const P = rulePrefix;
  return [
    '# panos-guard rule set for 6 required flows (catalog: securing Panorama and Log Collector communications)',
    // A fresh config has no profiles: the rule set brings a profile group and a log forwarding profile.
    `${container} profile-group panos-guard-profiles virus default`,
    `${container} profile-group panos-guard-profiles spyware default`,
    `${container} profile-group panos-guard-profiles vulnerability default`,
    `${container} profile-group panos-guard-profiles wildfire-analysis default`,
    `${container} log-settings profiles panos-guard-logs match-list traffic-to-panorama log-type traffic`,
    `${container} log-settings profiles panos-guard-logs match-list traffic-to-panorama filter "All Logs"`,
    `${container} log-settings profiles panos-guard-logs match-list traffic-to-panorama send-to-panorama yes`,
    `${container} address admin-clients-10.30.0.0_24 ip-netmask 10.30.0.0/24`,
    `${container} address admin-clients-10.30.0.0_24 description "admin clients (panos-guard)"`,
    `${container} address Panorama-10.10.10.5 ip-netmask 10.10.10.5/32`,
    `${container} address Panorama-10.10.10.5 description "Panorama/Log Collectors (panos-guard)"`,
    `${container} address NTP-servers-10.40.0.123 ip-netmask 10.40.0.123/32`,
    `${container} address NTP-servers-10.40.0.123 description "NTP servers (panos-guard)"`,
    ...rule(P, 'Allow admin clients to Panorama-LC', { to: 'mgmt', from: 'admin', source: 'admin-clients-10.30.0.0_24', destination: 'Panorama-10.10.10.5', application: 'ssh', service: 'application-default', action: 'allow' }, ['description "panos-guard: admin CLI (SSH) (ssh-22)"']),
    ...rule(P, 'Allow Panorama-LC to DNS servers', { from: 'mgmt', source: 'Panorama-10.10.10.5', application: 'dns', service: 'application-default', action: 'allow' }, ['description "panos-guard: DNS lookups (dns-53)"']),
    ...rule(P, 'Allow Panorama to PANW cloud', { from: 'mgmt', source: 'Panorama-10.10.10.5', application: '[ paloalto-shared-services paloalto-updates ]', service: 'application-default', action: 'allow' }, [
      'description "panos-guard: Palo Alto Networks shared services, content and software updates (shared-services-80-443-444, https-443)"',
    ]),
    ...rule(P, 'Allow Panorama-LC to NTP servers', { to: 'services', from: 'mgmt', source: 'Panorama-10.10.10.5', destination: 'NTP-servers-10.40.0.123', application: 'ntp', service: 'application-default', action: 'allow' }, ['description "panos-guard: NTP (ntp-123)"']),
    ...rule(P, 'Allow admin clients to Panorama', { to: 'mgmt', from: 'admin', source: 'admin-clients-10.30.0.0_24', destination: 'Panorama-10.10.10.5', application: 'ssl', service: 'application-default', action: 'allow' }, ['description "panos-guard: web interface (HTTPS) (https-443)"']),
    ...rule(P, 'Deny other traffic to Panorama', { destination: 'Panorama-10.10.10.5', action: 'deny' }, ['log-end yes', 'log-setting panos-guard-logs', 'description "panos-guard: deny and log all other traffic to Panorama/Log Collectors"']),
    ...rule(P, 'Deny other traffic from Panorama', { source: 'Panorama-10.10.10.5', action: 'deny' }, ['log-end yes', 'log-setting panos-guard-logs', 'description "panos-guard: deny and log all other traffic from Panorama/Log Collectors"']),
  ].join('\n') + '\n';
}

describe('generateRuleSet: a small environment, exact output', () => {
  test('set form, firewall (single vsys): `set address …` and `set rulebase security rules …`', () => {
    const out = generateRuleSet({ format: 'set', kind: 'firewall', env: SMALL });
    assert.equal(out, smallSet('set', 'set rulebase security rules'));
  });

  test('set form, firewall vsys2: `set vsys vsys2 …`', () => {
    const out = generateRuleSet({ format: 'set', kind: 'firewall', vsys: 'vsys2', env: SMALL });
    assert.equal(out, smallSet('set vsys vsys2', 'set vsys vsys2 rulebase security rules'));
  });

  test('set form, Panorama device group with a space: `set device-group "Edge DG" pre-rulebase …`', () => {
    const out = generateRuleSet({ format: 'set', kind: 'panorama', deviceGroup: 'Edge DG', env: SMALL });
    assert.equal(out, smallSet('set device-group "Edge DG"', 'set device-group "Edge DG" pre-rulebase security rules'));
  });

  test('set form, Panorama without a device group: `set shared pre-rulebase …`', () => {
    const out = generateRuleSet({ format: 'set', kind: 'panorama', env: SMALL });
    assert.equal(out, smallSet('set shared', 'set shared pre-rulebase security rules'));
  });

  test('XML form: comments naming the containers, then the entries (golden)', () => {
    const out = generateRuleSet({ format: 'xml', kind: 'firewall', env: SMALL });
    const comments = out.split('\n').filter((l) => l.startsWith('<!--'));
    assert.deepEqual(comments, [
      '<!-- panos-guard rule set for 6 required flows (catalog: securing Panorama and Log Collector communications) -->',
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/profile-group -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/log-settings/profiles -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/address -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/security/rules, before rules that would block this traffic -->",
    ]);
    // Well-formed once wrapped; the same rules in the same order as the set form.
    assert.equal(XMLValidator.validate(`<x>${out}</x>`), true);
    const xmlNames = [...out.matchAll(/^<entry name="([^"]+)">$/gm)].map((m) => m[1]);
    const setOut = generateRuleSet({ format: 'set', kind: 'firewall', env: SMALL });
    const setNames = [...new Set([...setOut.matchAll(/^set profile-group (\S+) /gm), ...setOut.matchAll(/^set log-settings profiles (\S+) /gm), ...setOut.matchAll(/^set address (\S+) ip-netmask/gm), ...setOut.matchAll(/^set rulebase security rules "([^"]+)" to /gm)].map((m) => m[1]))];
    assert.deepEqual(xmlNames, setNames);
    checkGolden('generate.small-env.firewall.xml.golden', out);
  });

  test('XML form, Panorama device group: paths under the device group, names escaped', () => {
    const out = generateRuleSet({ format: 'xml', kind: 'panorama', deviceGroup: `R&D "edge"`, env: SMALL });
    const comments = out.split('\n').filter((l) => l.startsWith('<!--'));
    assert.deepEqual(comments.slice(1), [
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/device-group/entry[@name='R&amp;D &quot;edge&quot;']/profile-group -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/device-group/entry[@name='R&amp;D &quot;edge&quot;']/log-settings/profiles -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/device-group/entry[@name='R&amp;D &quot;edge&quot;']/address -->",
      "<!-- into /config/devices/entry[@name='localhost.localdomain']/device-group/entry[@name='R&amp;D &quot;edge&quot;']/pre-rulebase/security/rules, before rules that would block this traffic -->",
    ]);
    assert.equal(XMLValidator.validate(`<x>${out}</x>`), true);
  });

  test('no Panorama address known: one comment line saying how to give one', () => {
    assert.equal(generateRuleSet({ format: 'set', kind: 'firewall', env: {} }), '# panos-guard: no Panorama address is known; give one with --panorama IP or .panos-guard.json "panorama"\n');
    assert.equal(generateRuleSet({ format: 'xml', kind: 'firewall', env: {} }), '<!-- panos-guard: no Panorama address is known; give one with --panorama IP or .panos-guard.json "panorama" -->\n');
  });

  test('the real CLI prints exactly generateRuleSet (set and xml, --env and --device-group)', () => {
    const dir = tmpdir();
    const envFile = path.join(dir, 'env.json');
    fs.writeFileSync(envFile, JSON.stringify(SMALL, null, 2));
    for (const format of ['set', 'xml'] as const) {
      const r = cli(['generate', '--format', format, '--env', envFile]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, generateRuleSet({ format, kind: 'firewall', env: SMALL }));
      const dg = cli(['generate', `--format=${format}`, '--env', envFile, '--device-group', 'Edge DG']);
      assert.equal(dg.status, 0, dg.stderr);
      assert.equal(dg.stdout, generateRuleSet({ format, kind: 'panorama', deviceGroup: 'Edge DG', env: SMALL }));
    }
    const bad = cli(['generate', '--format', 'json', '--env', envFile]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'panos-guard: generate --format must be xml or set (not json)\n');
    const kind = cli(['generate', '--kind', 'router', '--env', envFile]);
    assert.equal(kind.status, 2);
    assert.equal(kind.stderr, 'panos-guard: --kind must be firewall or panorama\n');
    // --panorama on the command line instead of an env file.
    const p = cli(['generate', '--format', 'set', '--panorama', '10.10.10.5']);
    assert.equal(p.status, 0);
    assert.equal(p.stdout, generateRuleSet({ format: 'set', kind: 'firewall', env: {}, cli: { panorama: ['10.10.10.5'] } }));
    assert.match(p.stdout, /^set address Panorama-10\.10\.10\.5 ip-netmask 10\.10\.10\.5\/32$/m);
  });
});

// -------------------------------------------------------------------------------------------------
// A typical environment, pasted into an empty firewall config

const TYPICAL: EnvFile = {
  panorama: ['10.10.10.5'],
  logCollectors: ['10.10.10.6'],
  managedDevices: ['10.20.0.0/24'],
  adminClients: ['10.30.0.0/24'],
  peers: { dnsServers: ['10.40.0.53'], ntpServers: ['10.40.0.123'], syslogServers: ['10.40.0.14'] },
  features: { syslogProfile: true },
  zones: { '10.10.10.0/24': 'mgmt', '10.20.0.0/16': 'devices', '10.30.0.0/24': 'admin', '10.40.0.0/24': 'services', '0.0.0.0/0': 'untrust' },
};

/** Empty firewall whose interfaces, zones and default route match TYPICAL.zones. */
const EMPTY_FW: FirewallSpec = {
  kind: 'firewall',
  hostname: 'fw-empty',
  mgmtIp: '192.0.2.10',
  panoramaServer: '10.10.10.5',
  net: {
    interfaces: [
      { name: 'ethernet1/1', ip: '203.0.113.2/24', zone: 'untrust' },
      { name: 'ethernet1/2', ip: '10.10.10.1/24', zone: 'mgmt' },
      { name: 'ethernet1/3', ip: '10.20.0.1/16', zone: 'devices' },
      { name: 'ethernet1/4', ip: '10.30.0.1/24', zone: 'admin' },
      { name: 'ethernet1/5', ip: '10.40.0.1/24', zone: 'services' },
    ],
    routes: [{ name: 'default-route', destination: '0.0.0.0/0', iface: 'ethernet1/1', nexthop: '203.0.113.1' }],
  },
  objects: [],
  profileGroups: [],
  logProfiles: [],
  rules: [],
};

type XNode = { name: string; attrName: string | undefined; start: number; openEnd: number; closeStart: number; end: number; selfClosing: boolean; children: XNode[] };

/** Minimal element tree with offsets (test-side, for pasting only). */
function tree(text: string): XNode {
  const root: XNode = { name: '#doc', attrName: undefined, start: 0, openEnd: 0, closeStart: text.length, end: text.length, selfClosing: false, children: [] };
  const stack: XNode[] = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[2]) continue;
    const [all, close, name, attrs, self] = m;
    if (close) {
      const n = stack.pop()!;
      assert.equal(n.name, name);
      n.closeStart = m.index;
      n.end = m.index + all.length;
      continue;
    }
    const an = /\sname\s*=\s*"([^"]*)"/.exec(attrs ?? '');
    const n: XNode = { name: name!, attrName: an?.[1], start: m.index, openEnd: m.index + all.length, closeStart: -1, end: -1, selfClosing: !!self, children: [] };
    stack[stack.length - 1]!.children.push(n);
    if (self) {
      n.closeStart = n.openEnd;
      n.end = n.openEnd;
    } else stack.push(n);
  }
  return root;
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Inserts `content` as the last children of the element at `xpath` (creating what is missing). */
function pasteInto(text: string, xpath: string, content: string): string {
  const segs = xpath.replace(/^\//, '').split('/').map((s) => {
    const m = /^([\w.-]+)(?:\[@name='([^']*)'\])?$/.exec(s);
    assert.ok(m, `xpath segment ${s}`);
    return { name: m[1]!, attrName: m[2] === undefined ? undefined : unescapeXml(m[2]) };
  });
  for (let depth = 0; depth <= segs.length; depth++) {
    let node = tree(text);
    let k = 0;
    for (; k < segs.length; k++) {
      const s = segs[k]!;
      const next = node.children.find((c) => c.name === s.name && (s.attrName === undefined || c.attrName === s.attrName));
      if (!next) break;
      node = next;
    }
    if (k === segs.length) {
      if (node.selfClosing) {
        const open = text.slice(node.start, node.openEnd).replace(/\s*\/>$/, '>');
        return text.slice(0, node.start) + open + '\n' + content + `</${node.name}>` + text.slice(node.end);
      }
      return text.slice(0, node.closeStart) + content + text.slice(node.closeStart);
    }
    // Create the missing element segs[k] inside `node`.
    const s = segs[k]!;
    const el = s.attrName !== undefined ? `<${s.name} name="${s.attrName}"></${s.name}>\n` : `<${s.name}></${s.name}>\n`;
    if (node.selfClosing) {
      const open = text.slice(node.start, node.openEnd).replace(/\s*\/>$/, '>');
      text = text.slice(0, node.start) + open + '\n' + el + `</${node.name}>` + text.slice(node.end);
    } else text = text.slice(0, node.closeStart) + el + text.slice(node.closeStart);
  }
  throw new Error('unreachable');
}

/** Pastes `generate --format xml` output: each commented group into the container its comment names. */
function pasteXml(config: string, generated: string): string {
  const groups: { path: string; body: string }[] = [];
  let cur: { path: string; body: string } | undefined;
  for (const line of generated.split('\n')) {
    const m = /^<!-- into (\S+?)(?:, .*)? -->$/.exec(line);
    if (m) {
      cur = { path: m[1]!, body: '' };
      groups.push(cur);
    } else if (line.startsWith('<!--') || line === '') continue;
    else {
      assert.ok(cur, `an entry before any "into" comment: ${line}`);
      cur.body += line + '\n';
    }
  }
  assert.ok(groups.length >= 2, 'objects and rules groups');
  let out = config;
  for (const g of groups) out = pasteInto(out, g.path, g.body);
  return out;
}

function lintJson(file: string, envFile: string): { status: number | null; diagnostics: { code: string; severity: string; message: string; rule?: string }[] } {
  const r = cli(['lint', '--format', 'json', '--env', envFile, file]);
  assert.equal(r.stderr, '');
  const j = JSON.parse(r.stdout) as { files: { diagnostics: { code: string; severity: string; message: string; rule?: string }[] }[] };
  return { status: r.status, diagnostics: j.files[0]!.diagnostics };
}

describe('generate for a typical environment, pasted into an empty firewall config', () => {
  const dir = tmpdir();
  const envFile = path.join(dir, 'typical.json');
  fs.writeFileSync(envFile, JSON.stringify(TYPICAL, null, 2) + '\n');
  const made: Record<'xml' | 'set', string> = { xml: '', set: '' };

  for (const format of ['set', 'xml'] as const) {
    const file = path.join(dir, `pasted.${format}`);
    test(`${format}: paste the CLI output into the empty config`, () => {
      const empty = format === 'set' ? toSet(EMPTY_FW) : toXml(EMPTY_FW);
      assert.ok(!/security rules|<entry name="[^"]*">\s*<to>/.test(empty), 'the config has no rules');
      assert.ok(format === 'set' ? !/^set address /m.test(empty) : !/<address>/.test(empty), 'and no objects');
      const g = cli(['generate', '--format', format, '--env', envFile]);
      assert.equal(g.status, 0, g.stderr);
      assert.equal(g.stdout, generateRuleSet({ format, kind: 'firewall', env: TYPICAL }));
      const pasted = format === 'set' ? empty + g.stdout : pasteXml(empty, g.stdout);
      if (format === 'xml') assert.equal(XMLValidator.validate(pasted), true);
      fs.writeFileSync(file, pasted);
      made[format] = pasted;
      // The firewall is in Panorama's path and every required flow is allowed by a pasted rule.
      const f = cli(['flows', '--format', 'json', '--env', envFile, file]);
      assert.equal(f.status, 0, f.stderr);
      const t = JSON.parse(f.stdout) as { contexts: { inPath: boolean }[]; flows: { id: string; verdict: string; rule: string | null }[] };
      assert.deepEqual(t.contexts.map((c) => c.inPath), [true]);
      assert.ok(t.flows.length >= 10);
      for (const fl of t.flows) {
        if (fl.verdict === 'not-crossing') continue;
        assert.equal(fl.verdict, 'allowed', `${fl.id} is allowed`);
        assert.match(fl.rule ?? '', /^Allow /, `${fl.id} is allowed by a generated rule, not by a default rule`);
      }
    });

    test(`${format}: lint reports no finding at all`, () => {
      const { status, diagnostics } = lintJson(file, envFile);
      assert.equal(status, 0);
      assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.message}`), []);
    });
  }

  test('set and XML paste yield the same model (inspect agrees on rules and objects)', () => {
    const a = JSON.parse(cli(['inspect', '--format', 'json', '--env', envFile, path.join(dir, 'pasted.set')]).stdout) as { rulebases: unknown; objectNames: unknown };
    const b = JSON.parse(cli(['inspect', '--format', 'json', '--env', envFile, path.join(dir, 'pasted.xml')]).stdout) as { rulebases: unknown; objectNames: unknown };
    assert.deepEqual(a.rulebases, b.rulebases);
    assert.deepEqual(a.objectNames, b.objectNames);
  });
});
