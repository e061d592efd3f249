/**
 * @fileoverview The real server under hostile documents and odd requests: it keeps answering,
 * requests for unknown documents get empty results (not errors), and shutdown/exit end the process
 * with exit code 0.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Hover, DocumentSymbol } from 'vscode-languageserver-protocol';
import { FIXTURES, rangeOf, spanIn } from '../helpers';
import { LspClient, scenario, inScenario, positionAt, TIMEOUT } from './lspClient';

/** fw-flow-removed with NUL bytes: inside every member value, and 10,000 of them between two elements. */
function withNuls(): string {
  const t = scenario('fw-flow-removed', 'xml').text.replace(/<member>/g, '<member>\u0000');
  const at = t.indexOf('<rulebase>');
  return t.slice(0, at) + '\u0000'.repeat(10000) + t.slice(at);
}

/** [name, languageId, text, whether syntax errors must be reported]. */
const HOSTILE: [string, string, string, boolean][] = [
  [
    'unterminated everything (XML)',
    'xml',
    '<?xml version="1.0"?>\n<config version="10.2.0">\n  <devices>\n    <entry name="localhost\n      <vsys><entry name=\'vsys1\n        <rulebase><security><rules><entry name="r1"><source><member>any<!-- comment <![CDATA[ data <?pi ',
    true,
  ],
  ['10,000-deep nesting (XML)', 'xml', '<?xml version="1.0"?>\n<config version="10.2.0">\n' + '<devices><entry name="d">'.repeat(5000) + '\n</config>\n', true],
  ['NUL bytes (XML)', 'xml', withNuls(), false],
  ['unbalanced quotes and brackets (set)', 'panos-set', 'set rulebase security rules "unterminated to [ a [ b\nset address "x ip-netmask ]]] 10.0.0.1/32\nset rulebase security rules \u0000 source [ [ [\n' + 'set '.repeat(2000) + '\n', true],
];

describe('hostile documents', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize(pathToFileURL(FIXTURES).toString());
  }, { timeout: TIMEOUT });
  after(() => c.shutdown(), { timeout: TIMEOUT });

  for (const [name, lang, text, syntax] of HOSTILE) {
    test(`${name}: diagnostics are published and hover/symbols still answer`, { timeout: TIMEOUT }, async () => {
      const uri = `untitled:hostile-${name.replace(/\W+/g, '-')}`;
      c.open(uri, lang, text);
      const t0 = Date.now();
      const diags = await c.diagnostics(uri, (p) => p.version === 1);
      assert.ok(Date.now() - t0 < 10000, 'within 10 s');
      if (syntax) assert.ok(diags.some((d) => d.code === 'PANO000'), 'the problems are reported as syntax errors');
      const lines = text.split('\n');
      for (const d of diags) {
        assert.ok(d.range.end.line < lines.length, `range inside the document: ${JSON.stringify(d.range)}`);
        assert.ok(d.range.end.character <= lines[d.range.end.line]!.length, `range inside the line: ${JSON.stringify(d.range)}`);
      }
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
      assert.ok(h === null || typeof h === 'object');
      const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(Array.isArray(syms));
      if (!syntax) assert.equal(syms[0]?.children?.length, 7, 'the rules are still read');
      // An edit far past the end of the document (clamped by the server) and a full replacement.
      c.change(uri, 2, [{ range: { start: { line: 99999, character: 5 }, end: { line: 99999, character: 9 } }, text: '\u0000<' }]);
      await c.diagnostics(uri, (p) => p.version === 2);
      c.change(uri, 3, [{ text: text.slice(0, Math.floor(text.length / 2)) }]);
      await c.diagnostics(uri, (p) => p.version === 3);
      c.close(uri);
      assert.equal(c.proc.exitCode, null, 'the server is still running');
    });
  }

  test('after all of them, a real config still gets exact diagnostics and hover', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-after-hostile.xml', scenario('fw-flow-removed', 'xml').text);
    c.open(d.uri, d.languageId, d.text);
    const diags = await c.diagnostics(d.uri, (p) => p.version === 1);
    const name = rangeOf(d.text, spanIn(d.text, '<entry name="Deny other from Panorama">', 'Deny other from Panorama'));
    assert.deepEqual(
      diags.map((x) => [x.code, x.range]),
      [['PANO001', name]],
    );
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: d.uri }, position: name.start });
    assert.deepEqual(h?.range, name);
    assert.match((h!.contents as { value: string }).value, /^\*\*rule 'Deny other from Panorama' \(#6 in vsys:vsys1\)\*\*: deny\n/);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
    assert.equal(syms[0]!.children!.length, 7);
    c.close(d.uri);
    assert.equal(c.stderr, '', 'nothing on stderr');
  });

  test('malformed request parameters get an error response, and the server goes on', { timeout: TIMEOUT }, async () => {
    const d = inScenario('fw-flow-removed', 'lsp-malformed.xml', scenario('fw-flow-removed', 'xml').text);
    c.open(d.uri, d.languageId, d.text);
    await c.diagnostics(d.uri, (p) => p.version === 1);
    await assert.rejects(c.request('textDocument/hover', { textDocument: { uri: d.uri } }));
    const pos = positionAt(d.text, spanIn(d.text, '<entry name="Admin to Panorama">', 'Admin').start);
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: d.uri }, position: pos });
    assert.ok(h, 'still answers');
    c.close(d.uri);
  });
});

describe('unknown documents', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize(pathToFileURL(FIXTURES).toString());
  }, { timeout: TIMEOUT });
  after(() => c.shutdown(), { timeout: TIMEOUT });

  for (const [what, uri] of [
    ['never opened', pathToFileURL('/nowhere/never-opened.xml').toString()],
    ['closed', 'untitled:closed.xml'],
  ] as const) {
    test(`requests for a ${what} document return empty results, not errors`, { timeout: TIMEOUT }, async () => {
      if (what === 'closed') {
        const d = scenario('fw-flow-removed', 'xml');
        c.open(uri, 'xml', d.text);
        await c.diagnostics(uri, (p) => p.version === 1);
        c.close(uri);
        await c.diagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
      }
      const td = { textDocument: { uri } };
      const pos = { line: 0, character: 0 };
      assert.equal(await c.request('textDocument/hover', { ...td, position: pos }), null);
      assert.deepEqual(await c.request('textDocument/documentSymbol', td), []);
      assert.equal(await c.request('textDocument/definition', { ...td, position: pos }), null);
      assert.deepEqual(await c.request('textDocument/references', { ...td, position: pos, context: { includeDeclaration: true } }), []);
      assert.deepEqual(await c.request('textDocument/completion', { ...td, position: pos }), []);
      assert.deepEqual(await c.request('textDocument/codeLens', td), []);
      assert.deepEqual(await c.request('textDocument/codeAction', { ...td, range: { start: pos, end: pos }, context: { diagnostics: [] } }), []);
      assert.equal(await c.request('panos/flowTable', { uri }), null);
      const tmpl = JSON.parse(await c.request<string>('panos/envTemplate', { uri })) as { panorama: string[] };
      assert.deepEqual(tmpl.panorama, ['10.10.10.5'], 'the placeholder address');
    });
  }
});

describe('lifecycle', () => {
  function exited(c: LspClient): Promise<number | null> {
    return new Promise((res) => {
      if (c.proc.exitCode !== null) res(c.proc.exitCode);
      else c.proc.on('exit', (code) => res(code));
    });
  }

  /** The exit code, or 'still running after 5 s'. */
  async function exitCodeWithin(done: Promise<number | null>): Promise<number | null | string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([done, new Promise<string>((r) => (timer = setTimeout(() => r('still running after 5 s'), 5000)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  test('shutdown then exit: the process ends with exit code 0', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    await c.initialize(null);
    const d = scenario('fw-flow-removed', 'xml');
    c.open(d.uri, d.languageId, d.text);
    await c.diagnostics(d.uri, (p) => p.version === 1);
    const done = exited(c);
    assert.equal(await c.request('shutdown', undefined), null);
    void c.conn.sendNotification('exit');
    const code = await exitCodeWithin(done);
    assert.equal(code, 0);
    c.conn.dispose();
  });

  test('exit without shutdown: the process ends with exit code 1 (as the protocol says)', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    await c.initialize(null);
    const done = exited(c);
    void c.conn.sendNotification('exit');
    const code = await exitCodeWithin(done);
    assert.equal(code, 1);
    c.conn.dispose();
  });

  test('the client closing stdin ends the process', { timeout: TIMEOUT }, async () => {
    const c = new LspClient();
    await c.initialize(null);
    const done = exited(c);
    c.proc.stdin!.end();
    const code = await exitCodeWithin(done);
    assert.notEqual(code, 'still running after 5 s');
    c.conn.dispose();
  });

  test('the client closing stdin ends the process with 0 after a shutdown request, 1 without one', { timeout: TIMEOUT }, async () => {
    for (const [shutdown, want] of [[true, 0], [false, 1]] as const) {
      const c = new LspClient();
      await c.initialize(null);
      const done = exited(c);
      if (shutdown) assert.equal(await c.request('shutdown', undefined), null);
      c.proc.stdin!.end();
      assert.equal(await exitCodeWithin(done), want, shutdown ? 'after shutdown' : 'without shutdown');
      c.conn.dispose();
    }
  });
});
