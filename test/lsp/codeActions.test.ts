/**
 * @fileoverview LSP code actions against the real server: quick fixes (exact titles, `isPreferred`
 * only on the safe first fix), their edits applied by the test (last to first) leave no finding,
 * "Suppress … for rule", "Show documentation", the source action "Insert the Panorama rule set",
 * and the `data` round trip (fixes found from the diagnostic without a new analysis).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { editOnce, FIXTURES, rangeOf, spanIn, spanOf } from '../helpers';
import { applyTextEdits, inScenario, LspClient, offsetAt, scenario, sleep, TIMEOUT, type Doc } from './lspClient';
import { pathToFileURL } from 'node:url';

const DOCS = 'https://github.com/panos-guard/panos-guard/blob/main/docs/rules/';

let c: LspClient;
let n = 0;

/** Opens `text` as a new document in the scenario's folder (its env applies) and waits for version 1. */
async function openFresh(scenarioName: string, form: 'xml' | 'set', text: string): Promise<{ d: Doc; diags: Diagnostic[] }> {
  const d = inScenario(scenarioName, `lsp-ca-${++n}.${form}`, text);
  c.open(d.uri, d.languageId, d.text);
  const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
  return { d, diags };
}

function quickFixes(d: Doc, diag: Diagnostic, only: string[] | undefined = ['quickfix']): Promise<CodeAction[]> {
  return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range: diag.range, context: { diagnostics: [diag], ...(only ? { only } : {}), triggerKind: 1 } });
}

function editsOf(d: Doc, a: CodeAction): TextEdit[] {
  assert.ok(a.edit?.changes, `action '${a.title}' has an edit`);
  assert.deepEqual(Object.keys(a.edit.changes), [d.uri], 'edits only the document itself');
  return a.edit.changes[d.uri]!;
}

/** Applies the action's edits to the text and analyses the result as a fresh document: its diagnostics. */
async function afterApplying(scenarioName: string, d: Doc, a: CodeAction): Promise<{ text: string; diags: Diagnostic[] }> {
  const text = applyTextEdits(d.text, editsOf(d, a));
  const r = await openFresh(scenarioName, d.path.endsWith('.set') ? 'set' : 'xml', text);
  c.close(r.d.uri);
  return { text, diags: r.diags };
}

/** Start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

before(async () => {
  c = new LspClient();
  await c.initialize(pathToFileURL(FIXTURES).toString());
}, { timeout: TIMEOUT });
after(() => c.shutdown(), { timeout: TIMEOUT });

describe('quick fixes', () => {
  for (const form of ['xml', 'set'] as const) {
    test(`${form}: PANO001 of fw-flow-removed offers the insert fix (preferred), suppress and docs; the insert fix leaves no finding`, { timeout: TIMEOUT }, async () => {
      const { d, diags } = await openFresh('fw-flow-removed', form, scenario('fw-flow-removed', form).text);
      assert.equal(diags.length, 1);
      const diag = diags[0]!;
      const acts = await quickFixes(d, diag);
      assert.deepEqual(
        acts.map((a) => [a.title, a.kind, a.isPreferred]),
        [
          ["Insert rule 'Allow Panorama-LC to NTP servers' allowing ntp udp/123 before 'Deny other from Panorama'", 'quickfix', true],
          ["Suppress PANO001 for rule 'Deny other from Panorama' (adds 'panos-guard-disable PANO001' to its description)", 'quickfix', undefined],
          ['Show documentation for PANO001', 'quickfix', undefined],
        ],
      );
      for (const a of acts) assert.deepEqual(a.diagnostics, [diag], 'each action names the diagnostic it fixes (data included)');
      assert.deepEqual(acts[2], {
        title: 'Show documentation for PANO001',
        kind: 'quickfix',
        diagnostics: [diag],
        command: { title: 'Show documentation for PANO001', command: 'panosGuard.openDocs', arguments: [`${DOCS}PANO001.md`] },
      });
      // The insert: one zero-width edit at the start of the blocking rule's (first) line.
      const ruleAt = form === 'xml' ? spanOf(d.text, '<entry name="Deny other from Panorama">').start : spanOf(d.text, 'set rulebase security rules "Deny other from Panorama"').start;
      const edits = editsOf(d, acts[0]!);
      const at = rangeOf(d.text, { start: lineStart(d.text, ruleAt), end: lineStart(d.text, ruleAt) });
      assert.deepEqual(
        edits.map((e) => e.range),
        [at],
      );
      const newText = edits[0]!.newText;
      if (form === 'xml') {
        assert.ok(newText.startsWith('                <entry name="Allow Panorama-LC to NTP servers">\n'), newText);
        assert.ok(newText.endsWith('                </entry>\n'), newText);
        assert.ok(newText.includes('<application>\n                    <member>ntp</member>\n                  </application>'), newText);
      } else {
        assert.ok(newText.startsWith('set rulebase security rules "Allow Panorama-LC to NTP servers" to services\n'), newText);
        assert.ok(newText.includes('set rulebase security rules "Allow Panorama-LC to NTP servers" application ntp\n'), newText);
        assert.ok(newText.endsWith('\n'));
      }
      // Applied by the client as incremental changes, last to first, on the open document: no finding.
      const sorted = [...edits].sort((a, b) => offsetAt(d.text, b.range.start) - offsetAt(d.text, a.range.start));
      c.change(d.uri, 2, sorted.map((e) => ({ range: e.range, text: e.newText })));
      assert.deepEqual(await c.diagnostics(d.uri, (p) => p.version === 2), []);
      // And the same text opened afresh: no finding either.
      const r = await afterApplying('fw-flow-removed', d, acts[0]!);
      assert.deepEqual(r.diags, []);
      c.close(d.uri);
    });

    test(`${form}: PANO003 of fw-ssh28-application-default: the safe fix is preferred, the review fix is not; each leaves no finding`, { timeout: TIMEOUT }, async () => {
      const { d, diags } = await openFresh('fw-ssh28-application-default', form, scenario('fw-ssh28-application-default', form).text);
      assert.deepEqual(
        diags.map((x) => x.code),
        ['PANO003'],
      );
      const acts = await quickFixes(d, diags[0]!);
      assert.deepEqual(
        acts.map((a) => [a.title, a.kind, a.isPreferred]),
        [
          ["Add service tcp-28 (tcp/28) and rule 'Panorama HA tcp-28' allowing ssh on it after 'Panorama HA'", 'quickfix', true],
          ["Use service tcp-28 instead of application-default in rule 'Panorama HA' (changes the rule: ssh is then allowed on tcp/28 only)", 'quickfix', undefined],
          ["Suppress PANO003 for rule 'Panorama HA' (adds 'panos-guard-disable PANO003' to its description)", 'quickfix', undefined],
          ['Show documentation for PANO003', 'quickfix', undefined],
        ],
      );
      // The review fix replaces the application-default member of the HA rule with the new service.
      const review = editsOf(d, acts[1]!);
      const ha = spanOf(d.text, form === 'xml' ? '<entry name="Panorama HA">' : 'rules "Panorama HA" service application-default');
      const member = form === 'xml' ? spanOf(d.text, '<member>application-default</member>', 0, ha.start) : spanOf(d.text, 'application-default', 0, ha.start);
      assert.deepEqual(
        review.find((e) => e.newText === (form === 'xml' ? '<member>tcp-28</member>' : 'tcp-28'))?.range,
        rangeOf(d.text, member),
      );
      for (const a of acts.slice(0, 3)) {
        const r = await afterApplying('fw-ssh28-application-default', d, a);
        assert.deepEqual(
          r.diags.map((x) => [x.code, x.message]),
          [],
          `after '${a.title}'`,
        );
      }
      c.close(d.uri);
    });
  }

  for (const form of ['xml', 'set'] as const) {
    test(`${form}: CRLF document: the fix writes CRLF line ends only and leaves no finding`, { timeout: TIMEOUT }, async () => {
      const crlf = scenario('fw-flow-removed', form).text.replace(/\n/g, '\r\n');
      const { d, diags } = await openFresh('fw-flow-removed', form, crlf);
      assert.deepEqual(
        diags.map((x) => x.code),
        ['PANO001'],
      );
      const acts = await quickFixes(d, diags[0]!);
      assert.equal(acts[0]!.isPreferred, true);
      for (const a of acts.slice(0, 2)) {
        for (const e of editsOf(d, a)) assert.ok(!/(^|[^\r])\n/.test(e.newText), `only CRLF in ${JSON.stringify(e.newText.slice(0, 120))}`);
        const r = await afterApplying('fw-flow-removed', d, a);
        assert.ok(!/(^|[^\r])\n/.test(r.text), 'the whole text keeps CRLF');
        assert.deepEqual(r.diags, [], `after '${a.title}'`);
      }
      c.close(d.uri);
    });
  }

  test('xml: the narrowing fix for service any (fw-service-any) is offered for review only, and leaves no finding', { timeout: TIMEOUT }, async () => {
    const { d, diags } = await openFresh('fw-service-any', 'xml', scenario('fw-service-any', 'xml').text);
    assert.deepEqual(
      diags.map((x) => x.code),
      ['PANO011'],
    );
    const acts = await quickFixes(d, diags[0]!);
    assert.deepEqual(
      acts.map((a) => [a.title, a.isPreferred]),
      [
        ["Replace service any with application-default in rule 'Devices to Panorama' (changes policy)", undefined],
        ["Suppress PANO011 for rule 'Devices to Panorama' (adds 'panos-guard-disable PANO011' to its description)", undefined],
        ['Show documentation for PANO011', undefined],
      ],
    );
    assert.ok(acts.every((a) => a.isPreferred !== true), 'nothing preferred');
    const any = spanOf(d.text, '<member>any</member>', 0, spanOf(d.text, '<service>', 0, spanOf(d.text, '<entry name="Devices to Panorama">').start).start);
    assert.deepEqual(editsOf(d, acts[0]!), [{ range: rangeOf(d.text, any), newText: '<member>application-default</member>' }]);
    assert.deepEqual((await afterApplying('fw-service-any', d, acts[0]!)).diags, []);
    c.close(d.uri);
  });

  test('set: the narrowing fix for application any (fw-application-any) is not preferred and leaves no finding', { timeout: TIMEOUT }, async () => {
    const { d, diags } = await openFresh('fw-application-any', 'set', scenario('fw-application-any', 'set').text);
    assert.deepEqual(
      diags.map((x) => x.code),
      ['PANO010'],
    );
    const acts = await quickFixes(d, diags[0]!);
    assert.equal(acts[0]!.title, "Replace application any with ssh, ssl in rule 'Admin to Panorama' (changes policy)");
    assert.equal(acts[0]!.isPreferred, undefined);
    assert.deepEqual(editsOf(d, acts[0]!), [{ range: rangeOf(d.text, spanIn(d.text, '"Admin to Panorama" application any', 'any')), newText: '[ ssh ssl ]' }]);
    const r = await afterApplying('fw-application-any', d, acts[0]!);
    assert.ok(r.text.includes('set rulebase security rules "Admin to Panorama" application [ ssh ssl ]\n'));
    assert.deepEqual(r.diags, []);
    c.close(d.uri);
  });
});

describe('suppress and documentation', () => {
  test('xml: "Suppress PANO001 for rule …" adds the token to the rule\'s description; re-analysis drops the finding', { timeout: TIMEOUT }, async () => {
    const { d, diags } = await openFresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const acts = await quickFixes(d, diags[0]!);
    const sup = acts.find((a) => a.title.startsWith('Suppress'))!;
    const rule = spanOf(d.text, '<entry name="Deny other from Panorama">');
    const close = spanOf(d.text, '                </entry>', 0, rule.start);
    assert.deepEqual(editsOf(d, sup), [{ range: rangeOf(d.text, { start: close.start, end: close.start }), newText: '                  <description>panos-guard-disable PANO001</description>\n' }]);
    const r = await afterApplying('fw-flow-removed', d, sup);
    const ruleText = r.text.slice(r.text.indexOf('<entry name="Deny other from Panorama">'), r.text.indexOf('</entry>', r.text.indexOf('<entry name="Deny other from Panorama">')));
    assert.ok(ruleText.includes('<description>panos-guard-disable PANO001</description>'), ruleText);
    assert.deepEqual(r.diags, []);
    c.close(d.uri);
  });

  test('set: "Suppress PANO001 for rule …" adds a description line; re-analysis drops the finding', { timeout: TIMEOUT }, async () => {
    const { d, diags } = await openFresh('fw-flow-removed', 'set', scenario('fw-flow-removed', 'set').text);
    const acts = await quickFixes(d, diags[0]!);
    const sup = acts.find((a) => a.title.startsWith('Suppress'))!;
    assert.equal(sup.title, "Suppress PANO001 for rule 'Deny other from Panorama' (adds 'panos-guard-disable PANO001' to its description)");
    const edits = editsOf(d, sup);
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['set rulebase security rules "Deny other from Panorama" description "panos-guard-disable PANO001"\n'],
    );
    // After the rule's last line.
    const last = spanOf(d.text, 'set rulebase security rules "Deny other from Panorama" log-setting fwd-logs\n');
    assert.deepEqual(edits[0]!.range, rangeOf(d.text, { start: last.end, end: last.end }));
    const r = await afterApplying('fw-flow-removed', d, sup);
    assert.deepEqual(r.diags, []);
    c.close(d.uri);
  });

  test('xml: suppressing in a rule that already has a description keeps it and appends the token', { timeout: TIMEOUT }, async () => {
    const base = scenario('fw-service-any', 'xml').text;
    const rule = spanOf(base, '<entry name="Devices to Panorama">');
    const close = spanOf(base, '                </entry>', 0, rule.start);
    const text = base.slice(0, close.start) + '                  <description>managed firewalls</description>\n' + base.slice(close.start);
    const { d, diags } = await openFresh('fw-service-any', 'xml', text);
    const acts = await quickFixes(d, diags[0]!);
    const sup = acts.find((a) => a.title.startsWith('Suppress'))!;
    const r = await afterApplying('fw-service-any', d, sup);
    assert.ok(r.text.includes('<description>managed firewalls panos-guard-disable PANO011</description>'), 'description kept, token appended');
    assert.equal(r.text.split('<description>').length, text.split('<description>').length, 'no second description element');
    assert.deepEqual(r.diags, []);
    c.close(d.uri);
  });
});

describe('two findings on one place', () => {
  test('set: a group holding a filter and a foreign App-ID has two PANO014 findings; each action they share is offered once, naming both', { timeout: TIMEOUT }, async () => {
    const base = scenario('fw-tight', 'set').text;
    const text =
      editOnce(base, 'set rulebase security rules "Admin to Panorama" application [ ssh ssl ]\n', 'set rulebase security rules "Admin to Panorama" application mixed\n') +
      'set application-filter remote-filter subcategory remote-access\nset application-group mixed members [ ssh ssl web-browsing remote-filter ]\n';
    const { d, diags } = await openFresh('fw-tight', 'set', text);
    const at = rangeOf(text, spanIn(text, '"Admin to Panorama" application mixed', 'mixed'));
    assert.deepEqual(
      diags.map((x) => [x.code, x.severity, x.range]),
      [
        ['PANO014', 2, at],
        ['PANO014', 3, at],
      ],
    );
    const acts = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range: at, context: { diagnostics: diags, only: ['quickfix'], triggerKind: 1 } });
    assert.deepEqual(
      acts.map((a) => [a.title, a.isPreferred, a.diagnostics?.length]),
      [
        ["Replace application group 'mixed' with its Panorama App-IDs (ssh, ssl) in rule 'Admin to Panorama' (changes policy)", undefined, 2],
        ["Suppress PANO014 for rule 'Admin to Panorama' (adds 'panos-guard-disable PANO014' to its description)", undefined, 2],
        ['Show documentation for PANO014', undefined, 2],
      ],
    );
    for (const a of acts) assert.deepEqual(a.diagnostics, diags, a.title);
    assert.deepEqual(editsOf(d, acts[0]!), [{ range: at, newText: '[ ssh ssl ]' }]);
    c.close(d.uri);
  });
});

describe('source action: insert the Panorama rule set', () => {
  /** fw-flow-removed with only the unrelated rule 'Users to Internet' left. */
  function withoutPanoramaRules(form: 'xml' | 'set'): string {
    const base = scenario('fw-flow-removed', form).text;
    if (form === 'xml') {
      const a = base.indexOf('                <entry name="Admin to Panorama">');
      const b = base.indexOf('                <entry name="Users to Internet">');
      return base.slice(0, a) + base.slice(b);
    }
    return base
      .split('\n')
      .filter((l) => !l.startsWith('set rulebase') || l.includes('"Users to Internet"'))
      .join('\n');
  }

  for (const form of ['xml', 'set'] as const) {
    test(`${form}: requested with context.only, it exists on a config missing the rules and its edit leaves no missing-category finding`, { timeout: TIMEOUT }, async () => {
      const { d, diags } = await openFresh('fw-flow-removed', form, withoutPanoramaRules(form));
      const missing = ['PANO001', 'PANO002', 'PANO003'];
      assert.deepEqual(
        diags.map((x) => x.code),
        // The two Palo Alto cloud flows (Panorama has IPv4 only, so IPv4 destinations) fall to interzone-default too.
        ['PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO002'],
      );
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const acts = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range, context: { diagnostics: [], only: ['source.panosGuard.insertRuleSet'] } });
      assert.deepEqual(
        acts.map((a) => [a.title, a.kind, a.isPreferred, a.diagnostics, a.command]),
        [['Insert the Panorama rule set: 8 allow and 2 deny rule(s) in vsys:vsys1', 'source.panosGuard.insertRuleSet', undefined, undefined, undefined]],
      );
      // `source` includes it (kinds are hierarchical); `quickfix` does not.
      const src = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range, context: { diagnostics: [], only: ['source'] } });
      assert.deepEqual(
        src.map((a) => a.kind),
        ['source.panosGuard.insertRuleSet'],
      );
      const qf = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range, context: { diagnostics: [], only: ['quickfix'] } });
      assert.deepEqual(qf, []);
      const r = await afterApplying('fw-flow-removed', d, acts[0]!);
      assert.deepEqual(
        r.diags.filter((x) => missing.includes(String(x.code))),
        [],
      );
      assert.deepEqual(r.diags, [], 'no finding at all');
      c.close(d.uri);
    });
  }

  test('xml: a config that already has every rule gets no rule-set action', { timeout: TIMEOUT }, async () => {
    const { d } = await openFresh('fw-tight', 'xml', scenario('fw-tight', 'xml').text);
    const acts = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: d.uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.panosGuard.insertRuleSet'] },
    });
    assert.deepEqual(acts, []);
    c.close(d.uri);
  });
});

describe('broken elements', () => {
  /** The findings `code` on the document and the titles of the quick fixes offered for each; no failure logged. */
  async function offered(scenarioName: string, text: string, code: string): Promise<string[][]> {
    const before = c.notifications.length;
    const { d, diags } = await openFresh(scenarioName, 'xml', text);
    const out: string[][] = [];
    for (const diag of diags.filter((x) => x.code === code)) out.push((await quickFixes(d, diag)).map((x) => x.title));
    const logs = c.notifications.slice(before).filter((x) => x.method === 'window/logMessage').map((x) => (x.params as { message: string }).message);
    assert.deepEqual(logs.filter((m) => m.includes('could not be computed')), []);
    c.close(d.uri);
    return out;
  }

  test('xml: a rule whose end tag is broken gets no fix that adds to it, only the documentation (and no failure is logged)', { timeout: TIMEOUT }, async () => {
    const cut = scenario('fw-tight', 'xml').text.replace('                  <log-setting>fwd-logs</log-setting>\n', '');
    const at = cut.indexOf('</entry>', cut.indexOf('<entry name="Admin to Panorama">')) + '</entry'.length;
    assert.deepEqual(await offered('fw-tight', cut, 'PANO021'), [
      ["Set log forwarding profile 'fwd-logs' on rule 'Admin to Panorama' (changes the rule)", "Suppress PANO021 for rule 'Admin to Panorama' (adds 'panos-guard-disable PANO021' to its description)", 'Show documentation for PANO021'],
    ]);
    assert.deepEqual(await offered('fw-tight', cut.slice(0, at) + '\ufeff' + cut.slice(at), 'PANO021'), [['Show documentation for PANO021']]);
  });

  test('xml: a member whose end tag is broken is not replaced by the narrowing fix; the suppress fix, which adds to the intact rule, stays', { timeout: TIMEOUT }, async () => {
    const text = scenario('fw-application-any', 'xml').text;
    const at = text.indexOf('<member>any</member>', text.indexOf('<application>')) + '<member>any</member'.length;
    const suppress = "Suppress PANO010 for rule 'Admin to Panorama' (adds 'panos-guard-disable PANO010' to its description)";
    assert.deepEqual(await offered('fw-application-any', text, 'PANO010'), [["Replace application any with ssh, ssl in rule 'Admin to Panorama' (changes policy)", suppress, 'Show documentation for PANO010']]);
    assert.deepEqual(await offered('fw-application-any', text.slice(0, at) + '\ufeff' + text.slice(at), 'PANO010'), [[suppress, 'Show documentation for PANO010']]);
  });
});

describe('data round trip', () => {
  test('fixes are found from the diagnostic data right after publishing, without a new analysis', { timeout: TIMEOUT }, async () => {
    const { d } = await openFresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    await sleep(400); // let the open settle
    // A change elsewhere (a comment at the end): the next publish is version 2.
    const at = d.text.indexOf('</config>');
    c.change(d.uri, 2, [{ range: rangeOf(d.text, { start: at, end: at }), text: '<!-- x -->' }]);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 2);
    const count = c.publishCount(d.uri);
    const acts = await quickFixes(d, diags[0]!);
    assert.equal(acts.length, 3);
    assert.equal(acts[0]!.isPreferred, true);
    assert.deepEqual((diags[0]!.data as { version: number }).version, 2);
    await sleep(400);
    assert.equal(c.publishCount(d.uri), count, 'the request caused no new analysis (nothing re-published)');
    c.close(d.uri);
  });

  test('without data, with a forged key, or stale (an older version whose offsets moved): no fixes', { timeout: TIMEOUT }, async () => {
    const { d, diags } = await openFresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const diag = diags[0]!;
    const { data: _data, ...noData } = diag;
    assert.deepEqual(await quickFixes(d, noData), []);
    assert.deepEqual(await quickFixes(d, { ...diag, data: { key: 'PANO001:0:1::x:1', version: 1 } }), []);
    assert.deepEqual(await quickFixes(d, { ...diag, source: 'other-linter' }), [], 'other sources are ignored');
    // Insert a line at the top of the file: the finding moves, so the version-1 diagnostic no longer matches.
    c.change(d.uri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '<!-- moved -->\n' }]);
    const moved = await c.diagnostics(d.uri, (p) => p.version === 2);
    assert.equal(moved[0]!.range.start.line, diag.range.start.line + 1);
    assert.deepEqual(await quickFixes(d, diag), [], 'the stale diagnostic gets no (misplaced) fix');
    assert.equal((await quickFixes(d, moved[0]!)).length, 3);
    c.close(d.uri);
  });

  test('a fix computation that fails is logged and not kept (the next request computes it again); unmatched diagnostics are traced', { timeout: TIMEOUT }, async () => {
    const saved = { fault: process.env.PANOS_GUARD_TEST_FAULT, timing: process.env.PANOS_GUARD_TIMING };
    process.env.PANOS_GUARD_TEST_FAULT = 'fixes-once';
    process.env.PANOS_GUARD_TIMING = '1';
    let own: LspClient;
    try {
      own = new LspClient();
    } finally {
      for (const [k, v] of [['PANOS_GUARD_TEST_FAULT', saved.fault], ['PANOS_GUARD_TIMING', saved.timing]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    try {
      await own.initialize(pathToFileURL(FIXTURES).toString());
      const d = scenario('fw-flow-removed', 'xml');
      own.open(d.uri, d.languageId, d.text);
      const diag = (await own.diagnostics(d.uri, (p) => p.version === 1))[0]!;
      const ask = (x: Diagnostic): Promise<CodeAction[]> => own.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: d.uri }, range: x.range, context: { diagnostics: [x], only: ['quickfix'], triggerKind: 1 } });
      const suppress = "Suppress PANO001 for rule 'Deny other from Panorama' (adds 'panos-guard-disable PANO001' to its description)";
      assert.deepEqual((await ask(diag)).map((a) => [a.title, a.isPreferred]), [[suppress, undefined], ['Show documentation for PANO001', undefined]]);
      const logs = own.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
      assert.deepEqual(logs.map((m) => m.split('\n')[0]), ['panos-guard: the fixes of a PANO001 finding could not be computed: Error: fault injected (PANOS_GUARD_TEST_FAULT)']);
      assert.deepEqual((await ask(diag)).map((a) => [a.title, a.isPreferred]), [
        ["Insert rule 'Allow Panorama-LC to NTP servers' allowing ntp udp/123 before 'Deny other from Panorama'", true],
        [suppress, undefined],
        ['Show documentation for PANO001', undefined],
      ]);
      assert.deepEqual(await ask({ ...diag, data: { key: 'PANO001:0:1::x:1', version: 1 } }), []);
      assert.deepEqual(own.stderr.split('\n').filter((l) => l.includes('code action')), ['panos-guard timing: code action: 1 of 1 diagnostic(s) not among the 1 finding(s) of v1']);
    } finally {
      await own.shutdown();
    }
  });
});
