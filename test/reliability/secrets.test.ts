/**
 * @fileoverview Secrets never leave the config: the password hashes, keys and community strings of
 * the corpus files are collected from the files themselves (XML leaf elements such as <phash>,
 * <password>, <private-key>, <key>, <community>…; set-form `phash …`, `password …`), then
 * everything the real CLI prints (lint text/json/sarif, flows, inspect; with and without a Panorama
 * address) and everything the real language server sends (diagnostics, hovers on every rule name
 * and on every secret, document symbols, code actions with their edits, code lenses, the flow
 * table, the env template, panos/status, window/logMessage and $/logTrace with tracing set to
 * verbose, and its stderr) is searched for each secret and for 24-character pieces of the long ones.
 *
 * Not covered (by design, documented in docs/reliability.md): `lint --fix-dry-run` prints a diff
 * of the user's own file, which shows unchanged lines between the first and the last change; and
 * an editor's own client-side trace of the messages it sends (didOpen carries the whole text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { analyze } from '../../server/src/core/analyze';
import { allRulebases } from '../../server/src/core/model/types';
import { LineIndex } from '../../server/src/core/text';
import { CORPUS, ROOT, corpusFiles } from '../helpers';
import { LspClient } from '../lsp/lspClient';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');

type Secret = { file: string; value: string; offset: number };

/** Secret values of one config, with their offsets. */
function secretsOf(file: string, text: string): Secret[] {
  const out: Secret[] = [];
  const xml = /<(phash|password|private-key|key|secret|community|community-string|auth-password|priv-password|passphrase|shared-secret|pre-shared-key|authkey|api-key|bind-password)>([^<]+)<\/\1>/g;
  for (let m = xml.exec(text); m; m = xml.exec(text)) {
    const raw = m[2]!;
    const value = raw.trim();
    if (value.length >= 8 && !/^[A-Za-z-]+$/.test(value)) out.push({ file, value, offset: m.index + m[1]!.length + 2 + raw.indexOf(value) });
  }
  const set = /(?:^|\s)(phash|password|private-key|key|secret|community|authkey|passphrase|bind-password)\s+("[^"\n]*"|'[^'\n]*'|[^\s[\]]+)/gm;
  for (let m = set.exec(text); m; m = set.exec(text)) {
    const value = m[2]!.replace(/^["']|["']$/g, '');
    // Plain words are settings (`password complexity`, `key lifetime`), not secrets.
    if (value.length >= 8 && !/^[A-Za-z-]+$/.test(value)) out.push({ file, value, offset: m.index + m[0].length - m[2]!.length });
  }
  return out;
}

/** The strings to search for: the secret and, for long ones, 24-character pieces of it. */
function needles(s: string): string[] {
  const out = new Set([s]);
  if (s.length > 32) for (let i = 0; i + 24 <= s.length; i += 24) out.add(s.slice(i, i + 24));
  if (s.length > 24) out.add(s.slice(-24));
  return [...out];
}

function leaks(haystack: string, secrets: Secret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    for (const n of needles(s.value)) {
      if (haystack.includes(n) || haystack.includes(JSON.stringify(n).slice(1, -1))) {
        found.push(`${path.relative(CORPUS, s.file)}@${s.offset}: ${JSON.stringify(n.slice(0, 40))}`);
        break;
      }
    }
  }
  return found;
}

const files = corpusFiles().filter((f) => !f.endsWith('.md'));
const withSecrets = files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })).map((x) => ({ ...x, secrets: secretsOf(x.file, x.text) })).filter((x) => x.secrets.length > 0);
const allSecrets = withSecrets.flatMap((x) => x.secrets);

test('the corpus holds secrets to look for (phash, password, private-key, key)', () => {
  assert.ok(withSecrets.length >= 6, `files with secrets: ${withSecrets.map((x) => path.basename(x.file)).join(', ')}`);
  const kinds = new Set(allSecrets.map((s) => s.value.slice(0, 3)));
  assert.ok(allSecrets.some((s) => s.value.startsWith('$1$')), 'MD5-crypt password hashes');
  assert.ok(allSecrets.some((s) => s.value.startsWith('-AQ==') && s.value.length > 200), 'an encrypted private key');
  assert.ok(kinds.size > 2);
  // Each secret really is in its file at the recorded offset.
  for (const s of allSecrets) assert.equal(fs.readFileSync(s.file, 'utf8').slice(s.offset, s.offset + s.value.length), s.value);
  // The search finds a planted secret, whole, as a 24-character piece, and JSON-escaped.
  const key = allSecrets.find((s) => s.value.length > 200)!;
  assert.equal(leaks(`x ${key.value} y`, [key]).length, 1);
  assert.equal(leaks(`…${key.value.slice(48, 72)}…`, [key]).length, 1);
  assert.equal(leaks(JSON.stringify({ m: `${key.value.slice(-24)}` }), [key]).length, 1);
  assert.equal(leaks('nothing here', allSecrets).length, 0);
});

test('the real CLI never prints a secret (lint text/json/sarif, flows, inspect)', () => {
  const list = withSecrets.map((x) => x.file);
  const runs: string[][] = [];
  for (const extra of [[], ['--panorama', '192.0.2.50', '--log-collector', '192.0.2.51']]) {
    runs.push(['lint', ...extra, ...list], ['lint', '--format', 'json', ...extra, ...list], ['lint', '--format', 'sarif', ...extra, ...list]);
    runs.push(['flows', ...extra, ...list], ['flows', '--format', 'json', ...extra, ...list], ['inspect', ...extra, ...list], ['inspect', '--format', 'json', ...extra, ...list]);
  }
  let total = 0;
  for (const args of runs) {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.ok(r.status === 0 || r.status === 1, `${args.slice(0, 3).join(' ')}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
    assert.ok(r.stdout.length > 0);
    total += r.stdout.length + r.stderr.length;
    assert.deepEqual(leaks(r.stdout + r.stderr, allSecrets), [], `${args.slice(0, 3).join(' ')} prints no secret`);
  }
  assert.ok(total > 10_000, 'the CLI printed something substantial');
});

test('the real language server never sends a secret (diagnostics, hovers, symbols, code actions, lenses, flow table, status, verbose traces, stderr)', { timeout: 300_000 }, async () => {
  const c = new LspClient();
  const out: string[] = [];
  let hovers = 0;
  try {
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(CORPUS).toString(),
      trace: 'verbose',
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } } },
      workspaceFolders: [{ uri: pathToFileURL(CORPUS).toString(), name: 'corpus' }],
    }).then((r) => out.push(JSON.stringify(r)));
    await c.conn.sendNotification('initialized', {});
    await c.conn.sendNotification('$/setTrace', { value: 'verbose' });
    for (const { file, text, secrets } of withSecrets) {
      const uri = pathToFileURL(file).toString();
      c.open(uri, file.endsWith('.xml') ? 'xml' : 'panos-set', text);
      const diags = await c.diagnostics(uri, (d) => d.version === 1, 60_000);
      out.push(JSON.stringify(diags));
      const li = new LineIndex(text);
      const a = analyze(text);
      // Hover on every rule name, on every secret, and on the elements around the secrets.
      const points: number[] = [];
      if (a.model) for (const rb of allRulebases(a.model)) for (const r of rb.rules) points.push(r.nameSpan.start + 1);
      for (const s of secrets) points.push(s.offset, s.offset + 1, s.offset + Math.floor(s.value.length / 2), Math.max(0, s.offset - 3));
      for (const p of points) {
        const h = await c.request('textDocument/hover', { textDocument: { uri }, position: li.positionAt(p) });
        if (h) hovers++;
        out.push(JSON.stringify(h));
      }
      out.push(JSON.stringify(await c.request('textDocument/documentSymbol', { textDocument: { uri } })));
      out.push(JSON.stringify(await c.request('textDocument/codeLens', { textDocument: { uri } })));
      for (const s of secrets.slice(0, 20)) {
        const pos = li.positionAt(s.offset + 1);
        out.push(JSON.stringify(await c.request('textDocument/completion', { textDocument: { uri }, position: pos })));
        out.push(JSON.stringify(await c.request('textDocument/definition', { textDocument: { uri }, position: pos })));
        out.push(JSON.stringify(await c.request('textDocument/references', { textDocument: { uri }, position: pos, context: { includeDeclaration: true } })));
      }
      const whole = { start: { line: 0, character: 0 }, end: li.positionAt(text.length) };
      out.push(JSON.stringify(await c.request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: diags as Diagnostic[] } })));
      out.push(JSON.stringify(await c.request('panos/flowTable', { uri })));
      out.push(JSON.stringify(await c.request('panos/envTemplate', { uri })));
      c.close(uri);
    }
    // Settings with tracing on, re-analysis of everything still open (none) and a last status.
    await new Promise((r) => setTimeout(r, 300));
    out.push(JSON.stringify(c.notifications), c.stderr);
  } finally {
    await c.shutdown();
  }
  const all = out.join('\n');
  assert.ok(all.length > 10_000, 'the server sent something substantial');
  assert.ok(hovers >= 20, `hovers with content: ${hovers}`);
  assert.ok(c.notifications.some((n) => n.method === 'panos/status'), 'status notifications were captured');
  assert.deepEqual(leaks(all, allSecrets), [], 'no secret in anything the server sent');
});
