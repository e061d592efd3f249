/**
 * @fileoverview Faults around the real language server and CLI processes:
 * - the server process killed mid-session: a new server process, given the reopened document,
 *   republishes the same diagnostics. Restarting is the client's job (vscode-languageclient
 *   restarts a crashed server, up to 4 times in 3 minutes, and re-sends didOpen for the open
 *   documents); here the LSP layer checks the server half of that contract. The e2e layer
 *   (test/e2e, real VS Code) could check the whole: kill the server pid (from
 *   `ps`/the client's `serverProcess`... or `process.kill(pid)` of the child of the extension
 *   host running dist/server.js), then wait for vscode.languages.getDiagnostics(uri) to be
 *   republished (onDidChangeDiagnostics) with the same entries;
 * - a file deleted or renamed while open, and the env file deleted: diagnostics go on from the
 *   editor's text and fall back to defaults (no env) without a crash;
 * - an invalid .panos-guard.json (bad JSON, bad IPs, unknown keys): positioned findings on that
 *   file, while the config analysis goes on with what was valid (defaults when nothing was);
 * - `lint --fix` on a read-only file (and in a read-only folder) leaves it untouched, with a
 *   one-line error on stderr and exit 2. The tests run as root, which ignores permission bits, so
 *   the CLI runs as `nobody` (spawn with uid/gid 65534); without root they run as the current user.
 *   Checked by mutation (see hostile.test.ts, M9): with the `fs.accessSync(file, W_OK)` line removed
 *   from a copy of out/server/src/cli.js, the read-only-file test fails — the atomic write (temp
 *   file + rename in a writable folder) replaces the read-only file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { analyze } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import { LineIndex } from '../../server/src/core/text';
import { FIXTURES, ROOT, spanOf } from '../helpers';
import { LspClient } from '../lsp/lspClient';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');
const SC = path.join(FIXTURES, 'scenarios');
const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

type Key = { code: string; message: string; range: unknown };
const key = (d: Diagnostic | Key): Key => ({ code: String(d.code), message: String(d.message), range: d.range });

/** A scenario copied to a fresh folder (config + env file). */
function scenario(name: string, form: 'xml' | 'set' = 'xml', withEnv = true): { dir: string; file: string; uri: string; text: string; envPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-faults-'));
  const file = path.join(dir, `config.${form}`);
  const text = fs.readFileSync(path.join(SC, name, `config.${form}`), 'utf8');
  fs.writeFileSync(file, text);
  const envPath = path.join(dir, '.panos-guard.json');
  if (withEnv) fs.copyFileSync(path.join(SC, name, '.panos-guard.json'), envPath);
  return { dir, file, uri: pathToFileURL(file).toString(), text, envPath };
}

/** The real CLI's findings for a text, as (code, message, range), with or without an env file. */
function cliFindings(text: string, envText: string | undefined, form = 'xml'): Key[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-faults-cli-'));
  const file = path.join(dir, `c.${form}`);
  fs.writeFileSync(file, text);
  if (envText !== undefined) fs.writeFileSync(path.join(dir, '.panos-guard.json'), envText);
  const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', file], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `cli: ${r.status} ${r.stderr}`);
  return (JSON.parse(r.stdout) as { files: { diagnostics: Key[] }[] }).files[0]!.diagnostics.map(key);
}

async function started(root: string): Promise<LspClient> {
  const c = new LspClient();
  await c.initialize(pathToFileURL(root).toString());
  return c;
}

/** Waits for the next publish of `uri` after `count` publishes. */
function nextPublish(c: LspClient, uri: string, count: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
  return c.diagnostics(uri, () => c.publishCount(uri) > count, timeoutMs);
}

/** Waits until the published diagnostics of `uri` are `expected` (then a deepEqual shows the difference). */
async function expectDiagnostics(c: LspClient, uri: string, expected: Key[], what: string, timeoutMs = 20_000): Promise<void> {
  const same = (d: { diagnostics: Diagnostic[] }): boolean => JSON.stringify(d.diagnostics.map(key)) === JSON.stringify(expected);
  let last: Diagnostic[] = [];
  try {
    last = await c.diagnostics(uri, (d) => {
      last = d.diagnostics;
      return same(d);
    }, timeoutMs);
  } catch {
    // Timed out: fall through to the comparison, which reports the difference.
  }
  assert.deepEqual(last.map(key), expected, what);
}

// -------------------------------------------------------------------------------------------------

describe('server process killed mid-session', () => {
  test('SIGKILL while a request is pending; a new server process republishes the same diagnostics for the reopened document', async () => {
    const s = scenario('fw-earlier-deny');
    const c1 = await started(s.dir);
    let before: Diagnostic[];
    try {
      c1.open(s.uri, 'xml', s.text);
      before = await c1.diagnostics(s.uri, (d) => d.version === 1);
      assert.ok(before.length > 0);
      // Kill it hard while a request is in flight (as a crash would).
      const pending = c1.request('textDocument/documentSymbol', { textDocument: { uri: s.uri } }).then(
        () => 'answered',
        () => 'rejected',
      );
      const exited = new Promise<NodeJS.Signals | null>((r) => c1.proc.on('exit', (_code, sig) => r(sig)));
      c1.proc.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('pending'), 5000))]);
      assert.ok(outcome === 'answered' || outcome === 'rejected' || outcome === 'pending', String(outcome));
    } finally {
      await c1.shutdown();
    }
    // What the client does on restart: a new process, initialize, didOpen of the open documents.
    const c2 = await started(s.dir);
    try {
      c2.open(s.uri, 'xml', s.text);
      const after = await c2.diagnostics(s.uri, (d) => d.version === 1);
      assert.deepEqual(after.map(key), before.map(key));
      assert.deepEqual(after.map(key), cliFindings(s.text, fs.readFileSync(s.envPath, 'utf8')));
    } finally {
      await c2.shutdown();
    }
  });
});

describe('files deleted or renamed while open', () => {
  test('the config file deleted on disk: edits are still analysed from the editor text', async () => {
    const s = scenario('fw-earlier-deny');
    const c = await started(s.dir);
    try {
      c.open(s.uri, 'xml', s.text);
      const d1 = await c.diagnostics(s.uri, (d) => d.version === 1);
      fs.unlinkSync(s.file);
      // Type a syntax error at the end of the file: the server must analyse version 2 from memory.
      const end = new LineIndex(s.text).positionAt(s.text.length);
      c.change(s.uri, 2, [{ range: { start: end, end }, text: '<oops' }]);
      const d2 = await c.diagnostics(s.uri, (d) => d.version === 2);
      assert.ok(d2.length > d1.length, 'a new syntax finding');
      assert.ok(d2.some((d) => d.code === 'PANO000'));
      assert.equal(c.proc.exitCode, null);
    } finally {
      await c.shutdown();
    }
  });

  test('renamed (didClose old URI, didOpen new URI): the old URI is cleared, the new one gets the same diagnostics', async () => {
    const s = scenario('fw-earlier-deny');
    const c = await started(s.dir);
    try {
      c.open(s.uri, 'xml', s.text);
      const d1 = await c.diagnostics(s.uri, (d) => d.version === 1);
      const renamed = path.join(s.dir, 'renamed.xml');
      fs.renameSync(s.file, renamed);
      const newUri = pathToFileURL(renamed).toString();
      const n = c.publishCount(s.uri);
      c.close(s.uri);
      c.open(newUri, 'xml', s.text);
      assert.deepEqual(await nextPublish(c, s.uri, n), [], 'the old URI is cleared');
      const d2 = await c.diagnostics(newUri, (d) => d.version === 1);
      assert.deepEqual(d2.map(key), d1.map(key));
      // Hover and symbols on the new URI work; on the old one they answer empty.
      const sym = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: newUri } });
      assert.ok(sym.length > 0);
      assert.deepEqual(await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: s.uri } }), []);
    } finally {
      await c.shutdown();
    }
  });

  test('the env file deleted (watched-file event): diagnostics fall back to the defaults, no crash', async () => {
    const s = scenario('fw-earlier-deny');
    const envText = fs.readFileSync(s.envPath, 'utf8');
    const c = await started(s.dir);
    try {
      c.open(s.uri, 'xml', s.text);
      const d1 = await c.diagnostics(s.uri, (d) => d.version === 1);
      assert.deepEqual(d1.map(key), cliFindings(s.text, envText), 'with the env file');
      fs.unlinkSync(s.envPath);
      void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(s.envPath).toString(), type: 3 }] });
      const defaults = cliFindings(s.text, undefined);
      assert.notDeepEqual(defaults, d1.map(key), 'the env file matters for this scenario');
      await expectDiagnostics(c, s.uri, defaults, 'without the env file');
      assert.equal(c.proc.exitCode, null);
      assert.doesNotMatch(c.stderr, /Error|exception/i);
    } finally {
      await c.shutdown();
    }
  });

  test('the env file deleted while open in the editor (didClose): config diagnostics fall back to the defaults', async () => {
    const s = scenario('fw-earlier-deny');
    const envText = fs.readFileSync(s.envPath, 'utf8');
    const envUri = pathToFileURL(s.envPath).toString();
    const c = await started(s.dir);
    try {
      c.open(envUri, 'json', envText);
      c.open(s.uri, 'xml', s.text);
      await c.diagnostics(s.uri, (d) => d.version === 1);
      await c.diagnostics(envUri, (d) => d.diagnostics.length === 0);
      fs.unlinkSync(s.envPath);
      c.close(envUri);
      await expectDiagnostics(c, s.uri, cliFindings(s.text, undefined), 'without the env file');
    } finally {
      await c.shutdown();
    }
  });
});

// -------------------------------------------------------------------------------------------------

const BAD_ENVS: { name: string; text: string; expect: { message: string | RegExp; needle: string; n?: number }[] }[] = [
  {
    name: 'bad JSON',
    text: '{ "panorama": [10.10.10.5], "logCollectors": ["10.10.10.6"] ',
    expect: [
      { message: 'panorama[0]: expected string, found number', needle: '10.10' },
      { message: "Invalid JSON: ',' or ']' expected", needle: '.', n: 1 },
      { message: "Invalid JSON: ',' or '}' expected", needle: '.', n: 1 },
    ],
  },
  {
    name: 'bad IPs',
    text: '{\n  "panorama": ["10.10.10.5", "999.1.2.3", "not-an-ip"],\n  "logCollectors": ["10.10.10.6/33"]\n}\n',
    expect: [
      { message: "panorama[1]: '999.1.2.3' is not a valid IP address, CIDR or range", needle: '"999.1.2.3"' },
      { message: "panorama[2]: 'not-an-ip' does not match the expected format", needle: '"not-an-ip"' },
      { message: "panorama[2]: 'not-an-ip' is not a valid IP address, CIDR or range", needle: '"not-an-ip"' },
      { message: "logCollectors[0]: '10.10.10.6/33' is not a valid IP address, CIDR or range", needle: '"10.10.10.6/33"' },
    ],
  },
  {
    name: 'unknown keys and values',
    text: '{\n  "panorama": ["10.10.10.5"],\n  "panoramaa": ["1.2.3.4"],\n  "features": { "bogus": true },\n  "rules": { "PANO001": "loud" }\n}\n',
    expect: [
      { message: /^panoramaa: unknown property \(expected one of: /, needle: '"panoramaa"' },
      { message: /^features\.bogus: unknown property/, needle: '"bogus"' },
      { message: 'rules.PANO001: must be one of "off", "error", "warning", "information", "hint"', needle: '"loud"' },
    ],
  },
];

describe('invalid .panos-guard.json', () => {
  for (const bad of BAD_ENVS) {
    test(`${bad.name}: positioned findings on the env file; the config analysis goes on with what was valid`, async () => {
      const s = scenario('fw-earlier-deny');
      fs.writeFileSync(s.envPath, bad.text);
      const envUri = pathToFileURL(s.envPath).toString();
      const c = await started(s.dir);
      try {
        c.open(s.uri, 'xml', s.text);
        const cfg = await c.diagnostics(s.uri, (d) => d.version === 1);
        const envDiags = await c.diagnostics(envUri);
        const li = new LineIndex(bad.text);
        const expected = bad.expect.map((e) => ({ range: li.rangeOf(spanOf(bad.text, e.needle, e.n ?? 0)), message: e.message }));
        assert.equal(envDiags.length, expected.length, JSON.stringify(envDiags.map((d) => d.message)));
        envDiags.forEach((d, i) => {
          const e = expected[i]!;
          assert.equal(d.code, 'PANO090');
          assert.equal(d.severity, 1);
          if (typeof e.message === 'string') assert.equal(d.message, e.message);
          else assert.match(String(d.message), e.message);
          assert.deepEqual(d.range, e.range, `range of ${d.message}`);
        });
        // The config is analysed with the valid part of the file (nothing valid: defaults).
        const { env } = parseEnvFile(bad.text);
        const tli = new LineIndex(s.text);
        const want = analyze(s.text, { env }).findings.map((f) => ({ code: f.code, message: f.message, range: tli.rangeOf(f.span) }));
        assert.deepEqual(cfg.map(key), want);
        assert.ok(cfg.length > 0);
        if (bad.name === 'bad JSON') assert.deepEqual(cfg.map(key), cliFindings(s.text, undefined), 'bad JSON: the defaults');
        // The real CLI refuses the invalid file: one line, the first problem by line:column, and how many more.
        const r = spawnSync(process.execPath, [BIN, 'lint', s.file], { cwd: s.dir, encoding: 'utf8' });
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        const first = envDiags[0]!;
        const more = expected.length > 1 ? ` (and ${expected.length - 1} more problem${expected.length > 2 ? 's' : ''})` : '';
        assert.equal(r.stderr, `panos-guard: invalid environment file ${s.envPath}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${String(first.message)}${more}\n`);
      } finally {
        await c.shutdown();
      }
    });
  }

  test('editing the env file in the editor: problems appear while it is broken, clear when fixed, configs follow', async () => {
    const s = scenario('fw-earlier-deny');
    const good = fs.readFileSync(s.envPath, 'utf8');
    const envUri = pathToFileURL(s.envPath).toString();
    const c = await started(s.dir);
    try {
      c.open(s.uri, 'xml', s.text);
      const d1 = await c.diagnostics(s.uri, (d) => d.version === 1);
      c.open(envUri, 'json', good);
      await c.diagnostics(envUri, (d) => d.diagnostics.length === 0);
      const broken = good.replace('"10.30.0.0/24"', '"10.30.0.0/99"');
      assert.notEqual(broken, good);
      c.change(envUri, 2, [{ text: broken }]);
      const envDiags = await c.diagnostics(envUri, (d) => d.diagnostics.length > 0);
      assert.deepEqual(envDiags.map((d) => d.range), [new LineIndex(broken).rangeOf(spanOf(broken, '"10.30.0.0/99"'))]);
      // The config follows the env with the invalid address dropped (admin clients unknown).
      const tli = new LineIndex(s.text);
      const partial = analyze(s.text, { env: parseEnvFile(broken).env }).findings.map((f) => ({ code: f.code, message: f.message, range: tli.rangeOf(f.span) }));
      assert.notDeepEqual(partial, d1.map(key));
      await expectDiagnostics(c, s.uri, partial, 'with the broken env');
      c.change(envUri, 3, [{ text: good }]);
      await c.diagnostics(envUri, (d) => d.diagnostics.length === 0);
      await expectDiagnostics(c, s.uri, d1.map(key), 'with the env fixed again');
    } finally {
      await c.shutdown();
    }
  });
});

// -------------------------------------------------------------------------------------------------

describe('lint --fix on a file it must not write', () => {
  const asUser = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const runFix = (file: string, cwd: string): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BIN, 'lint', '--fix', file], { cwd, encoding: 'utf8', ...asUser });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  test('a read-only file in a writable folder: refused (the atomic rename alone would replace it), untouched, no temp file', () => {
    const s = scenario('fw-earlier-deny');
    // The folder is writable by the CLI's user: only the file's own mode protects it.
    fs.chmodSync(s.dir, 0o777);
    fs.chmodSync(s.file, 0o444);
    fs.chmodSync(s.envPath, 0o644);
    const before = fs.statSync(s.file);
    const r = runFix(s.file, s.dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^panos-guard: not writing ${escapeRe(s.file)}: EACCES: permission denied, access '${escapeRe(s.file)}'\\n$`));
    assert.equal(fs.readFileSync(s.file, 'utf8'), s.text);
    const after = fs.statSync(s.file);
    assert.equal(after.ino, before.ino, 'same inode (not replaced by a rename)');
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.deepEqual(fs.readdirSync(s.dir).sort(), ['.panos-guard.json', 'config.xml']);
  });

  test('a writable file in a read-only folder: the temp file cannot be created, the original stays, no partial write', () => {
    const s = scenario('fw-earlier-deny', 'set');
    fs.chmodSync(s.file, 0o666);
    fs.chmodSync(s.dir, 0o555);
    try {
      const before = fs.statSync(s.file);
      const r = runFix(s.file, s.dir);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^panos-guard: not writing ${escapeRe(s.file)}: EACCES: permission denied, open '${escapeRe(path.join(s.dir, '.config.set.panos-guard-'))}\\d+\\.tmp'\\n$`));
      assert.equal(fs.readFileSync(s.file, 'utf8'), s.text);
      assert.equal(fs.statSync(s.file).mtimeMs, before.mtimeMs);
      assert.deepEqual(fs.readdirSync(s.dir).sort(), ['.panos-guard.json', 'config.set']);
    } finally {
      fs.chmodSync(s.dir, 0o755);
    }
  });

  test('control: the same file, writable, is fixed (so the refusals above are about permissions)', () => {
    const s = scenario('fw-earlier-deny');
    fs.chmodSync(s.dir, 0o777);
    fs.chmodSync(s.file, 0o666);
    const r = runFix(s.file, s.dir);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /applied \d+ fix\(es\)/);
    assert.notEqual(fs.readFileSync(s.file, 'utf8'), s.text);
  });
});
