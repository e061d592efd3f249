/**
 * @fileoverview LSP diagnostics against the real `panos-guard-lsp --stdio` process: exact
 * diagnostics for XML and set configs, incremental didChange that fixes the problem, didClose,
 * non-PAN-OS XML, syntax errors, settings (severity overrides, size limit), `.panos-guard.json`
 * problems on the env file itself, and didChange bursts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FIXTURES, rangeOf, spanIn, spanOf } from '../helpers';
import { docAt, edit, inScenario, LspClient, scenario, sleep, TIMEOUT, type Doc } from './lspClient';

const DOCS = 'https://github.com/panos-guard/panos-guard/blob/main/docs/rules/';
const FIXTURES_URI = pathToFileURL(FIXTURES).toString();

type Status = { uri: string; state: string; text: string; detail: string; blocked: number; allowed: number; unknown: number };

/** A diagnostic without `data` (checked separately: its key is an internal format). */
function noData(d: Diagnostic): Diagnostic {
  const { data: _data, ...rest } = d;
  return rest;
}

function open(c: LspClient, d: Doc, version = 1): void {
  c.open(d.uri, d.languageId, d.text, version);
}

const NTP_BLOCKED =
  "Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#6 in vsys:vsys1). Needed for NTP (always required).";
const SSH28 =
  "ssh on tcp/28 is not covered by application-default (ssh defaults: tcp/22), so rule 'Panorama HA' (#5 in vsys:vsys1) does not allow Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh) nor Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh): a custom service for tcp/28 is needed with application ssh.";
const DYN =
  "Cannot tell whether these 3 flows are allowed: managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/3978 (panorama); managed devices 10.20.0.0/24 → Log Collectors 10.10.10.6 tcp/3978 (panorama); managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama). Reason: dynamic address group 'dyn-devices' (filter 'managed-fw') gets its members at run time.";
const FQDN =
  "Cannot tell whether Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is allowed: FQDN address 'ntp-fqdn' (ntp.example.net) is resolved by the firewall at run time; map it in .panos-guard.json \"fqdn\".";

/** The PANO001 diagnostic of fw-flow-removed: on the name of the blocking rule (quoted in set form). */
function ntpBlocked(d: Doc): Diagnostic {
  const name = d.path.endsWith('.set') ? spanIn(d.text, 'rules "Deny other from Panorama"', '"Deny other from Panorama"') : spanIn(d.text, '<entry name="Deny other from Panorama">', 'Deny other from Panorama');
  const r = rangeOf(d.text, name);
  return {
    range: r,
    severity: 1,
    code: 'PANO001',
    codeDescription: { href: `${DOCS}PANO001.md` },
    source: 'panos-guard',
    message: NTP_BLOCKED,
    relatedInformation: [{ location: { uri: d.uri, range: r }, message: "blocking rule 'Deny other from Panorama' (#6 in vsys:vsys1)" }],
  };
}

describe('diagnostics', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize(FIXTURES_URI);
  }, { timeout: TIMEOUT });
  after(() => c.shutdown(), { timeout: TIMEOUT });

  test('XML: the blocked NTP flow of fw-flow-removed, exactly (range = name of the blocking rule)', { timeout: TIMEOUT }, async () => {
    const d = scenario('fw-flow-removed', 'xml');
    open(c, d);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
    const r = rangeOf(d.text, spanIn(d.text, '<entry name="Deny other from Panorama">', 'Deny other from Panorama'));
    assert.deepEqual(diags.map(noData), [
      {
        range: r,
        severity: 1,
        code: 'PANO001',
        codeDescription: { href: `${DOCS}PANO001.md` },
        source: 'panos-guard',
        message: NTP_BLOCKED,
        relatedInformation: [{ location: { uri: d.uri, range: r }, message: "blocking rule 'Deny other from Panorama' (#6 in vsys:vsys1)" }],
      },
    ]);
    assert.deepEqual(diags.map(noData), [ntpBlocked(d)]);
    const data = diags[0]!.data as { key: string; version: number };
    assert.equal(data.version, 1);
    assert.match(data.key, /^PANO001:/);
    const st = await c.notification<Status>('panos/status', (p) => p.uri === d.uri);
    assert.deepEqual(st, { uri: d.uri, state: 'ok', text: 'PAN-OS Guard: 1 blocked', detail: 'Panorama flows: 9 allowed, 1 blocked, 0 unknown', blocked: 1, allowed: 9, unknown: 0 });
    c.close(d.uri);
  });

  test('set: the same finding on the quoted rule name of the first line of the blocking rule', { timeout: TIMEOUT }, async () => {
    const d = scenario('fw-flow-removed', 'set');
    open(c, d);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
    assert.deepEqual(diags.map(noData), [ntpBlocked(d)]);
    // The range is line 84 of the file: `set rulebase security rules "Deny other from Panorama" to any`.
    assert.deepEqual(diags[0]!.range, { start: { line: 83, character: 28 }, end: { line: 83, character: 54 } });
    c.close(d.uri);
  });

  for (const form of ['xml', 'set'] as const) {
    test(`${form}: PANO003 on application-default of the HA rule, related to the rule that then blocks (fw-ssh28-application-default)`, { timeout: TIMEOUT }, async () => {
      const d = scenario('fw-ssh28-application-default', form);
      open(c, d);
      const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
      // The application-default member of rule 'Panorama HA' (in XML: the first one after the rule's name).
      const ha = spanOf(d.text, form === 'xml' ? '<entry name="Panorama HA">' : 'rules "Panorama HA" service application-default');
      const member = spanOf(d.text, 'application-default', 0, ha.start);
      const deny = form === 'xml' ? spanIn(d.text, '<entry name="Deny other to Panorama">', 'Deny other to Panorama') : spanIn(d.text, 'rules "Deny other to Panorama"', '"Deny other to Panorama"');
      assert.deepEqual(diags.map(noData), [
        {
          range: rangeOf(d.text, member),
          severity: 1,
          code: 'PANO003',
          codeDescription: { href: `${DOCS}PANO003.md` },
          source: 'panos-guard',
          message: SSH28,
          relatedInformation: [{ location: { uri: d.uri, range: rangeOf(d.text, deny) }, message: "then blocked by rule 'Deny other to Panorama' (#6 in vsys:vsys1)" }],
        },
      ]);
      c.close(d.uri);
    });

    test(`${form}: two PANO026 (information) on the dynamic group and the FQDN member, no related information (fw-fqdn-dynamic)`, { timeout: TIMEOUT }, async () => {
      const d = scenario('fw-fqdn-dynamic', form);
      open(c, d);
      const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
      const dyn = form === 'xml' ? spanIn(d.text, '<member>dyn-devices</member>', 'dyn-devices') : spanIn(d.text, 'source dyn-devices', 'dyn-devices');
      const fq = form === 'xml' ? spanIn(d.text, '<member>ntp-fqdn</member>', 'ntp-fqdn') : spanIn(d.text, 'destination [ dns-server ntp-fqdn', 'ntp-fqdn');
      const base = { severity: 3, code: 'PANO026', codeDescription: { href: `${DOCS}PANO026.md` }, source: 'panos-guard' };
      assert.deepEqual(diags.map(noData), [
        { range: rangeOf(d.text, dyn), ...base, message: DYN },
        { range: rangeOf(d.text, fq), ...base, message: FQDN },
      ]);
      c.close(d.uri);
    });
  }

  test('XML: an incremental didChange adding <member>ntp</member> to the services rule removes the diagnostic', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-fix-ntp.xml', scenario('fw-flow-removed', 'xml').text);
    open(c, d);
    assert.equal((await c.diagnostics(d.uri, (p) => p.version === 1)).length, 1);
    const dns = spanIn(d.text, '<member>dns</member>\n                    <member>syslog</member>', '<member>dns</member>');
    const e = edit(d.text, { start: dns.end, end: dns.end }, '\n                    <member>ntp</member>');
    c.change(d.uri, 2, [e.change]);
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
    // And back: removing it again brings the finding back at its (unchanged) place.
    const again = edit(e.text, spanOf(e.text, '\n                    <member>ntp</member>'), '');
    assert.equal(again.text, d.text);
    c.change(d.uri, 3, [again.change]);
    const back = await c.diagnostics(d.uri, (p) => p.version === 3);
    assert.deepEqual(back.map(noData), [ntpBlocked(d)]);
    c.close(d.uri);
  });

  test('set: an incremental didChange adding ntp to the application list of the services rule removes the diagnostic', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-fix-ntp.set', scenario('fw-flow-removed', 'set').text);
    open(c, d);
    assert.equal((await c.diagnostics(d.uri, (p) => p.version === 1)).length, 1);
    const dns = spanIn(d.text, '"Panorama to services" application [ dns syslog ]', 'dns');
    const e = edit(d.text, { start: dns.end, end: dns.end }, ' ntp');
    assert.ok(e.text.includes('"Panorama to services" application [ dns ntp syslog ]'));
    c.change(d.uri, 2, [e.change]);
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
    c.close(d.uri);
  });

  test('CRLF line ends: the same line/character (computed without the server), and an incremental fix works', { timeout: TIMEOUT }, async () => {
    const lf = scenario('fw-flow-removed', 'xml').text;
    const crlf = lf.replace(/\n/g, '\r\n');
    const d = inScenario('fw-flow-removed', 'lsp-crlf.xml', crlf);
    open(c, d);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
    const at = lf.indexOf('<entry name="Deny other from Panorama">') + '<entry name="'.length;
    const line = lf.slice(0, at).split('\n').length - 1;
    const character = at - (lf.lastIndexOf('\n', at - 1) + 1);
    assert.deepEqual(
      diags.map((x) => [x.code, x.range]),
      [['PANO001', { start: { line, character }, end: { line, character: character + 'Deny other from Panorama'.length } }]],
    );
    const dns = spanIn(crlf, '<member>dns</member>\r\n                    <member>syslog</member>', '<member>dns</member>');
    const e = edit(crlf, { start: dns.end, end: dns.end }, '\r\n                    <member>ntp</member>');
    c.change(d.uri, 2, [e.change]);
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
    c.close(d.uri);
  });

  test('didClose publishes an empty list for the document', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-close.xml', scenario('fw-flow-removed', 'xml').text);
    open(c, d);
    assert.equal((await c.diagnostics(d.uri, (p) => p.version === 1)).length, 1);
    c.close(d.uri);
    // The close publishes an empty list (without a version).
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === undefined), []);
    const n = c.publishCount(d.uri);
    await sleep(400);
    assert.equal(c.publishCount(d.uri), n, 'nothing published after the close');
    assert.deepEqual(c.publishes(d.uri).at(-1), { uri: d.uri, diagnostics: [] });
  });

  test('pom.xml (not PAN-OS): no diagnostic at all, status not-panos', { timeout: TIMEOUT }, async () => {
    const d = docAt(path.join(FIXTURES, 'non-panos', 'pom.xml'));
    open(c, d);
    const st = await c.notification<Status>('panos/status', (p) => p.uri === d.uri);
    assert.deepEqual(st, { uri: d.uri, state: 'not-panos', text: 'PAN-OS Guard: not a PAN-OS config', detail: 'no <config> root or set commands', blocked: 0, allowed: 0, unknown: 0 });
    // No request answers anything for it either (no analysis was made).
    assert.deepEqual(await c.request('textDocument/documentSymbol', { textDocument: { uri: d.uri } }), []);
    await sleep(300);
    for (const p of c.publishes(d.uri)) assert.deepEqual(p.diagnostics, []);
    c.close(d.uri);
  });

  test('pom.xml (not PAN-OS): the server publishes an empty diagnostics list on open', { timeout: TIMEOUT }, async () => {
    const d = docAt(path.join(FIXTURES, 'non-panos', 'pom.xml'));
    const uri = d.uri.replace('pom.xml', 'pom.xml?empty-list');
    c.open(uri, 'xml', d.text);
    const p = await c.nextPublish(uri, 0, 1000);
    assert.deepEqual(p.diagnostics, []);
    c.close(uri);
  });

  test('a config edited into a non-PAN-OS XML gets an empty list', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-to-pom.xml', scenario('fw-flow-removed', 'xml').text);
    open(c, d);
    assert.equal((await c.diagnostics(d.uri, (p) => p.version === 1)).length, 1);
    c.change(d.uri, 2, [{ text: fs.readFileSync(path.join(FIXTURES, 'non-panos', 'pom.xml'), 'utf8') }]);
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
    c.close(d.uri);
  });

  test('XML syntax error: exact range and message; gone when fixed by an incremental change', { timeout: TIMEOUT }, async () => {
    const tight = scenario('fw-tight', 'xml').text;
    const first = spanOf(tight, '<action>allow</action>');
    const bad = tight.slice(0, first.end - 1) + tight.slice(first.end);
    const d = inScenario('fw-tight', 'lsp-syntax.xml', bad);
    open(c, d);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
    const endTag = spanIn(bad, '<action>allow</action\n', '</action');
    assert.deepEqual(diags, [
      {
        range: rangeOf(bad, endTag),
        severity: 1,
        code: 'PANO000',
        codeDescription: { href: `${DOCS}PANO000.md` },
        source: 'panos-guard',
        message: "End tag </action> is not terminated by '>'",
        data: diags[0]!.data,
      },
    ]);
    const e = edit(bad, { start: endTag.end, end: endTag.end }, '>');
    assert.equal(e.text, tight);
    c.change(d.uri, 2, [e.change]);
    assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
    c.close(d.uri);
  });

  test('didOpen: the document is analysed and published once', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-open-once.xml', scenario('fw-flow-removed', 'xml').text);
    open(c, d);
    await c.diagnostics(d.uri, (p) => p.version === 1);
    await sleep(600);
    assert.deepEqual(
      c.publishes(d.uri).map((p) => p.version),
      [1],
    );
    c.close(d.uri);
  });

  test('steady state: a burst of didChange on an analysed document publishes only the final version, once', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-burst-steady.xml', scenario('fw-flow-removed', 'xml').text);
    open(c, d);
    await c.diagnostics(d.uri, (p) => p.version === 1);
    const before = c.publishCount(d.uri);
    let text = d.text;
    const N = 40;
    for (let v = 2; v <= N + 1; v++) {
      const at = text.indexOf('</config>');
      const e = edit(text, { start: at, end: at }, `<!-- ${v} -->`);
      text = e.text;
      c.change(d.uri, v, [e.change]);
    }
    await c.diagnostics(d.uri, (p) => p.version === N + 1);
    await sleep(600);
    const after = c.publishes(d.uri).slice(before);
    assert.deepEqual(
      after.map((p) => p.version),
      [N + 1],
    );
    assert.equal(after[0]!.diagnostics.length, 1);
    c.close(d.uri);
  });
});

describe('diagnostics: a burst before the first analysis', () => {
  test(
    'many rapid didChange right after didOpen: only the final version is published, far fewer times than changes',
    { timeout: TIMEOUT },
    async () => {
      const c = new LspClient();
      try {
        await c.initialize(FIXTURES_URI);
        const d = inScenario('fw-flow-removed', 'lsp-burst-cold.xml', scenario('fw-flow-removed', 'xml').text);
        open(c, d);
        let text = d.text;
        const N = 50;
        for (let v = 2; v <= N + 1; v++) {
          const at = text.indexOf('</config>');
          const e = edit(text, { start: at, end: at }, '\n');
          text = e.text;
          c.change(d.uri, v, [e.change]);
        }
        const diags = await c.diagnostics(d.uri, (p) => p.version === N + 1);
        assert.equal(diags.length, 1);
        await sleep(800);
        const versions = c.publishes(d.uri).map((p) => p.version);
        assert.ok(versions.every((v) => v === N + 1), `only the final version is published: ${JSON.stringify(versions)}`);
        assert.ok(versions.length <= 3, `${versions.length} publishes for ${N} changes`);
      } finally {
        await c.shutdown();
      }
    },
  );
});

describe('diagnostics: settings', () => {
  test('severity override from workspace/configuration, re-published after workspace/didChangeConfiguration', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    try {
      c.settings = { rules: { PANO001: 'warning' } };
      await c.initialize(FIXTURES_URI);
      const d = scenario('fw-flow-removed', 'xml');
      open(c, d);
      const want = ntpBlocked(d);
      assert.deepEqual((await c.diagnostics(d.uri, (p) => p.version === 1)).map(noData), [{ ...want, severity: 2 }]);
      c.settings = { rules: {} };
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual((await c.diagnostics(d.uri, (p) => p.diagnostics[0]?.severity !== 2)).map(noData), [{ ...want, severity: 1 }]);
      c.settings = { rules: { PANO001: 'off' } };
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await c.diagnostics(d.uri, (p) => p.diagnostics.length === 0), []);
    } finally {
      await c.shutdown();
    }
  });

  test('enable: false: an empty list and a disabled status', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    try {
      c.settings = { enable: false };
      await c.initialize(FIXTURES_URI);
      const d = scenario('fw-flow-removed', 'xml');
      open(c, d);
      assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 1), []);
      const st = await c.notification<Status>('panos/status', (p) => p.uri === d.uri);
      assert.deepEqual([st.state, st.text], ['disabled', 'PAN-OS Guard: off']);
      // Enabled again: the finding appears.
      c.settings = {};
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(
        (await c.diagnostics(d.uri, (p) => p.diagnostics.length > 0)).map((x) => x.code),
        ['PANO001'],
      );
    } finally {
      await c.shutdown();
    }
  });

  test('maxFileSizeMB below the file size: only syntax checks, one syntax-only status however many edits', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    try {
      c.settings = { maxFileSizeMB: 0.001, debounceMs: 20 };
      await c.initialize(FIXTURES_URI);
      const d = inScenario('fw-flow-removed', 'lsp-size.xml', scenario('fw-flow-removed', 'xml').text);
      open(c, d);
      // PANO001 (a policy finding) is not computed above the limit.
      assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 1), []);
      const st = await c.notification<Status>('panos/status', (p) => p.uri === d.uri);
      assert.deepEqual(st, {
        uri: d.uri,
        state: 'syntax-only',
        text: 'PAN-OS Guard: syntax only',
        detail: '0.0 MB is above panosGuard.maxFileSizeMB (0.001 MB): only syntax is checked',
        blocked: 0,
        allowed: 0,
        unknown: 0,
      });
      // Syntax checks still run: break an end tag, then repair it; then a few harmless edits.
      let text = d.text;
      const tag = spanOf(text, '</action>');
      let e = edit(text, { start: tag.end - 1, end: tag.end }, '');
      text = e.text;
      c.change(d.uri, 2, [e.change]);
      const syn = await c.diagnostics(d.uri, (p) => p.version === 2);
      assert.deepEqual(
        syn.map((x) => [x.code, x.message, x.range]),
        [['PANO000', "End tag </action> is not terminated by '>'", rangeOf(text, { start: tag.start, end: tag.end - 1 })]],
      );
      e = edit(text, { start: tag.end - 1, end: tag.end - 1 }, '>');
      text = e.text;
      c.change(d.uri, 3, [e.change]);
      assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 3), []);
      for (let v = 4; v <= 8; v++) {
        const at = text.indexOf('</config>');
        e = edit(text, { start: at, end: at }, ' ');
        text = e.text;
        c.change(d.uri, v, [e.change]);
        await c.diagnostics(d.uri, (p) => p.version === v);
      }
      const statuses = c.notifications.filter((x) => x.method === 'panos/status' && (x.params as Status).uri === d.uri);
      assert.equal(statuses.length, 1, `one status notification, got ${JSON.stringify(statuses)}`);
      assert.equal(c.notifications.filter((x) => x.method === 'window/showMessage').length, 0, 'no popup');
    } finally {
      await c.shutdown();
    }
  });
});

describe('diagnostics: .panos-guard.json problems', () => {
  let c: LspClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-lsp-env-'));
    c = new LspClient();
    await c.initialize(pathToFileURL(dir).toString());
  }, { timeout: TIMEOUT });
  after(async () => {
    await c.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }, { timeout: TIMEOUT });

  function setup(name: string, env: string): { config: Doc; envUri: string } {
    const sub = path.join(dir, name);
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, '.panos-guard.json'), env);
    const file = path.join(sub, 'config.xml');
    fs.writeFileSync(file, scenario('fw-flow-removed', 'xml').text);
    return { config: docAt(file), envUri: pathToFileURL(path.join(sub, '.panos-guard.json')).toString() };
  }

  test('a bad IP and an unknown key: exact diagnostics on the env file; the config is analysed with the rest', { timeout: TIMEOUT }, async () => {
    const env = '{\n  "panorama": ["10.10.10.5"],\n  "logCollectors": ["10.10.10.300"],\n  "panoramaServers": ["10.10.10.7"],\n  "peers": { "ntpServers": ["10.40.0.123"], "syslogServers": ["10.40.0.14"] },\n  "features": { "syslogProfile": true }\n}\n';
    const { config, envUri } = setup('bad-ip-key', env);
    open(c, config);
    const envDiags = await c.diagnostics(envUri);
    const base = { severity: 1, code: 'PANO090', codeDescription: { href: `${DOCS}PANO090.md` }, source: 'panos-guard' };
    assert.deepEqual(envDiags, [
      { range: rangeOf(env, spanOf(env, '"10.10.10.300"')), ...base, message: "logCollectors[0]: '10.10.10.300' is not a valid IP address, CIDR or range" },
      {
        range: rangeOf(env, spanOf(env, '"panoramaServers"')),
        ...base,
        message: 'panoramaServers: unknown property (expected one of: $schema, panorama, logCollectors, haPeer, managedDevices, adminClients, peers, features, zones, internetZones, deviceGroups, fqdn, rules)',
      },
    ]);
    // The config is still analysed: Panorama and the NTP server from the valid part; no Log Collector.
    const diags = await c.diagnostics(config.uri, (p) => p.version === 1);
    assert.deepEqual(
      diags.map((x) => [x.code, x.message]),
      [['PANO001', "Blocked: Panorama/Log Collectors 10.10.10.5 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#6 in vsys:vsys1). Needed for NTP (always required)."]],
    );
    c.close(config.uri);
  });

  test('bad JSON (a missing comma): exact diagnostic on the env file; the config is analysed with what was read before it', { timeout: TIMEOUT }, async () => {
    const env = '{\n  "panorama": ["10.10.10.5"],\n  "peers": { "ntpServers": ["10.40.0.123"], "syslogServers": ["10.40.0.14"] },\n  "features": { "syslogProfile": true }\n  "logCollectors": ["10.10.10.6"]\n}\n';
    const { config, envUri } = setup('bad-json-comma', env);
    open(c, config);
    const envDiags = await c.diagnostics(envUri);
    const at = spanOf(env, '"logCollectors"');
    assert.deepEqual(envDiags, [
      {
        range: rangeOf(env, { start: at.start, end: at.start + 1 }),
        severity: 1,
        code: 'PANO090',
        codeDescription: { href: `${DOCS}PANO090.md` },
        source: 'panos-guard',
        message: "Invalid JSON: ',' or '}' expected",
      },
    ]);
    assert.deepEqual(envDiags[0]!.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } });
    const diags = await c.diagnostics(config.uri, (p) => p.version === 1);
    assert.deepEqual(
      diags.map((x) => [x.code, x.message]),
      [['PANO001', "Blocked: Panorama/Log Collectors 10.10.10.5 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#6 in vsys:vsys1). Needed for NTP (always required)."]],
    );
    c.close(config.uri);
  });

  test(
    'bad JSON (a trailing comma before a line break): the diagnostic is on the comma',
    { timeout: TIMEOUT },
    async () => {
      const env = '{\n  "panorama": ["10.10.10.5"],\n  "logCollectors": ["10.10.10.6"],\n  "peers": { "ntpServers": ["10.40.0.123"] },\n}\n';
      const { config, envUri } = setup('bad-json-trailing', env);
      open(c, config);
      const envDiags = await c.diagnostics(envUri);
      const comma = spanOf(env, ',\n}').start;
      assert.deepEqual(envDiags.map((d) => [d.code, d.message, d.range]), [['PANO090', 'Invalid JSON: Trailing comma', rangeOf(env, { start: comma, end: comma + 1 })]]);
      assert.deepEqual(rangeOf(env, { start: comma, end: comma + 1 }), { start: { line: 3, character: 44 }, end: { line: 3, character: 45 } });
      c.close(config.uri);
    },
  );

  test('a valid env file gets an empty list on its own URI', { timeout: TIMEOUT }, async () => {
    const env = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-flow-removed', '.panos-guard.json'), 'utf8');
    const { config, envUri } = setup('valid', env);
    open(c, config);
    assert.deepEqual(await c.diagnostics(envUri), []);
    assert.deepEqual(
      (await c.diagnostics(config.uri, (p) => p.version === 1)).map((x) => x.message),
      [NTP_BLOCKED],
    );
    c.close(config.uri);
  });

  test('the env file changed on disk (workspace/didChangeWatchedFiles): the config is analysed again with it', { timeout: TIMEOUT }, async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-flow-removed', '.panos-guard.json'), 'utf8');
    const { config, envUri } = setup('watched', valid);
    open(c, config);
    assert.deepEqual(
      (await c.diagnostics(config.uri, (p) => p.version === 1)).map((x) => [x.code, x.severity]),
      [['PANO001', 1]],
    );
    const hint = JSON.stringify({ ...JSON.parse(valid), rules: { PANO001: 'hint' } }, null, 2);
    fs.writeFileSync(new URL(envUri), hint);
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: envUri, type: 2 }] });
    const p = await c.diagnostics(config.uri, (x) => x.diagnostics[0]?.severity !== 1, 5000);
    assert.deepEqual(
      p.map((x) => [x.code, x.severity]),
      [['PANO001', 4]],
    );
    c.close(config.uri);
  });

  test('the env file edited in the editor: its problems are published as it is typed, and the config follows it', { timeout: TIMEOUT }, async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-flow-removed', '.panos-guard.json'), 'utf8');
    const { config, envUri } = setup('edited', valid);
    open(c, config);
    assert.equal((await c.diagnostics(config.uri, (p) => p.version === 1)).length, 1);
    c.open(envUri, 'json', valid);
    const bad = valid.replace('"10.10.10.6"', '"10.10.10.600"').replace('"features": {', '"rules": { "PANO001": "off" },\n  "features": {');
    c.change(envUri, 2, [{ text: bad }]);
    const envDiags = await c.diagnostics(envUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(
      envDiags.map((x) => [x.code, x.message, x.range]),
      [['PANO090', "logCollectors[0]: '10.10.10.600' is not a valid IP address, CIDR or range", rangeOf(bad, spanOf(bad, '"10.10.10.600"'))]],
    );
    // The config is analysed again with the edited (unsaved) env: PANO001 is off now.
    assert.deepEqual(await c.diagnostics(config.uri, (p) => p.diagnostics.length === 0, 5000), []);
    c.close(envUri);
    c.close(config.uri);
  });

  test(
    'for LSP clients other than VS Code: the server registers a watcher for .panos-guard.json when the client supports it',
    { timeout: TIMEOUT },
    async () => {
      const c2 = new LspClient();
      try {
        await c2.initialize(pathToFileURL(dir).toString(), true, { didChangeWatchedFiles: { dynamicRegistration: true } });
        const reg = await c2.until('a watcher registration', () => c2.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'), 1000);
        const globs = (reg.registerOptions as { watchers: { globPattern: unknown }[] }).watchers.map((w) => w.globPattern);
        assert.ok(globs.some((g) => typeof g === 'string' && g.endsWith('.panos-guard.json')), JSON.stringify(globs));
      } finally {
        await c2.shutdown();
      }
    },
  );
});
