/**
 * @fileoverview The documented limits (docs/reliability.md, "Limits"), each enforced with a clear
 * message rather than a crash:
 * - the language server's `panosGuard.maxFileSizeMB` (default 64): above it only syntax is
 *   checked, and the language status says so;
 * - the CLI's 500 MiB file limit (server/src/io.ts MAX_CONFIG_BYTES), just under V8's longest
 *   string (2^29 - 24 UTF-16 units, about 512 MiB);
 * - nesting depth: XML has no depth limit (an explicit stack, no recursion; 1,000,000 levels
 *   parse), .panos-guard.json stops at 256 levels with a positioned problem;
 * - the syntax-issue cap MAX_SYNTAX_ISSUES (200) in parse/xml.ts, shared by the set parser: the
 *   rest is summarised in one last issue, so hostile input cannot flood the editor.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import { MAX_SYNTAX_ISSUES } from '../../server/src/core/parse/xml';
import { LineIndex } from '../../server/src/core/text';
import { documentSymbols } from '../../server/src/handlers/symbols';
import { hoverAt } from '../../server/src/handlers/hover';
import { generate } from '../../bench/generate';
import { FIXTURES, ROOT, spanOf } from '../helpers';
import { LspClient } from '../lsp/lspClient';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');
const TIGHT = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-tight', 'config.xml'), 'utf8');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-limits-'));
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('file size', () => {
  test('language server: above panosGuard.maxFileSizeMB only syntax is checked, and the status says so', async () => {
    // 1.5 MB of config with a syntax error at the end; the limit set to 1 MB.
    const base = generate({ kind: 'firewall', format: 'xml', targetBytes: 1.5 * 1024 * 1024, seed: 3 });
    const text = base.replace(/<\/config>\s*$/, '</config>\n<oops');
    const dir = tmp();
    const uri = pathToFileURL(path.join(dir, 'big.xml')).toString();
    const c = new LspClient();
    try {
      await c.initialize(pathToFileURL(dir).toString());
      c.settings = { maxFileSizeMB: 1 };
      c.open(uri, 'xml', text);
      const diags = await c.diagnostics(uri, (d) => d.version === 1, 60_000);
      assert.ok(diags.length > 0);
      assert.deepEqual([...new Set(diags.map((d) => d.code))], ['PANO000'], 'syntax findings only');
      type Status = { uri: string; state: string; detail: string };
      const lastStatus = (): Status | undefined => c.notifications.filter((n) => n.method === 'panos/status').map((n) => n.params as Status).filter((p) => p.uri === uri).pop();
      for (let i = 0; i < 100 && !lastStatus(); i++) await new Promise((r) => setTimeout(r, 50));
      const status = lastStatus();
      assert.ok(status, 'a status notification');
      assert.equal(status.state, 'syntax-only');
      assert.equal(status.detail, `${(text.length / 1048576).toFixed(1)} MB is above panosGuard.maxFileSizeMB (1 MB): only syntax is checked`);
      // The same text under the default limit (64 MB) gets the full analysis.
      c.settings = {};
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      const full = await c.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code !== 'PANO000'), 60_000);
      assert.ok(full.some((d) => d.code !== 'PANO000'));
    } finally {
      await c.shutdown();
    }
  });

  test('CLI: a file larger than 2 GB (sparse) is refused with a one-line reason (a sparse file, nothing is read)', () => {
    const dir = tmp();
    const file = path.join(dir, 'huge.xml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 2 * 1024 * 1024 * 1024 + 1);
    try {
      const r = cli(['lint', file]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `panos-guard: cannot read ${file}: larger than 500 MiB (the most text a JavaScript string can hold)\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'CLI: a file between V8\'s longest string (~512 MiB) and 2 GB is refused with a clear reason, not an internal error',
    () => {
      const dir = tmp();
      const file = path.join(dir, 'large.xml');
      fs.writeFileSync(file, '');
      fs.truncateSync(file, 600 * 1024 * 1024);
      try {
        const r = cli(['lint', file]);
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, new RegExp(`^panos-guard: cannot read ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^\\n]+\\n$`));
        assert.doesNotMatch(r.stderr, /internal error/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('nesting depth', () => {
  test('XML: no depth limit — 1,000,000 nested elements (closed, and left open) analyse, the handlers work', () => {
    for (const [label, text] of [
      ['closed', TIGHT.replace('<source>', `<source>${'<a>'.repeat(1_000_000)}${'</a>'.repeat(1_000_000)}`)],
      ['open', `${TIGHT.slice(0, TIGHT.indexOf('<rules>') + '<rules>'.length)}${'<entry name="e">'.repeat(1_000_000)}`],
    ] as const) {
      const t0 = performance.now();
      const a = analyze(text);
      const ms = performance.now() - t0;
      assert.ok(ms < Math.max(2000, (2000 * text.length) / 1048576), `${label}: ${ms.toFixed(0)} ms`);
      assert.ok(a.model, label);
      const li = new LineIndex(text);
      documentSymbols(a, li);
      hoverAt(a, text.length - 10);
      if (label === 'open') {
        // Elements open at <rules> (config, devices, entry, vsys, entry, rulebase, security, rules) plus the million.
        let depth = 0;
        for (const m of TIGHT.slice(0, TIGHT.indexOf('<rules>') + 7).matchAll(/<(\/?)[A-Za-z][^>]*?(\/?)>/g)) depth += m[1] ? -1 : m[2] ? 0 : 1;
        assert.equal(depth, 8);
        const open = depth + 1_000_000;
        const eof = a.findings.find((f) => f.message.startsWith('Unexpected end of file'));
        assert.equal(eof?.message, `Unexpected end of file: ${open} elements not closed (innermost <entry>)`);
        assert.deepEqual(eof.span, { start: text.length, end: text.length });
        // Only the 20 innermost unclosed elements get their own "never closed" finding.
        assert.equal(a.findings.filter((f) => /^Element <.*> is never closed$/.test(f.message)).length, 20);
      }
    }
  });

  test('.panos-guard.json: nesting beyond 256 levels is a positioned problem, not a stack overflow', () => {
    const text = `{"zones": ${'['.repeat(300)}${']'.repeat(300)}}`;
    const { problems } = parseEnvFile(text);
    const deep = problems.find((p) => p.message === 'Invalid JSON: Nesting too deep');
    assert.ok(deep, JSON.stringify(problems.map((p) => p.message)));
    // The 257th opening bracket: the 256th level is still accepted.
    assert.deepEqual(deep.span, { start: text.indexOf('[') + 255, end: text.indexOf('[') + 256 });
    assert.doesNotThrow(() => parseEnvFile('['.repeat(1_000_000)));
  });
});

describe(`syntax issues are capped at MAX_SYNTAX_ISSUES (${MAX_SYNTAX_ISSUES})`, () => {
  test('XML: 1,000 stray end tags give 200 findings and one summary at the last one', () => {
    const text = TIGHT.replace('<source>', `<source>${'</x>'.repeat(1000)}`);
    const a = analyze(text);
    const syntax = a.findings.filter((f) => f.code === 'PANO000');
    assert.equal(syntax.length, MAX_SYNTAX_ISSUES + 1);
    const summary = syntax.find((f) => f.message === '800 more XML syntax errors not shown');
    assert.ok(summary);
    const stray = syntax.filter((f) => f.message.startsWith('Unexpected end tag </x>'));
    assert.equal(stray.length, MAX_SYNTAX_ISSUES);
    assert.deepEqual(summary.span, stray[stray.length - 1]!.span, 'the summary sits on the last reported issue');
    assert.deepEqual(stray[0]!.span, spanOf(text, '</x>'));
  });

  test('set: 1,000 unknown commands give 200 findings and one summary', () => {
    const text = `set address a ip-netmask 10.0.0.1\n${'bogus line\n'.repeat(1000)}set address b ip-netmask 10.0.0.2\n`;
    const a = analyze(text);
    const syntax = a.findings.filter((f) => f.code === 'PANO000');
    assert.equal(syntax.length, MAX_SYNTAX_ISSUES + 1);
    assert.ok(syntax.some((f) => f.message === '800 more syntax errors not shown'));
    assert.equal(syntax.filter((f) => f.message.startsWith("Unknown command 'bogus'")).length, MAX_SYNTAX_ISSUES);
  });

  test('language server: a file with 10,000 syntax errors publishes at most 201 syntax diagnostics', async () => {
    const text = TIGHT.replace('<source>', `<source>${'</x>'.repeat(10_000)}`);
    const dir = tmp();
    const uri = pathToFileURL(path.join(dir, 'broken.xml')).toString();
    const c = new LspClient();
    try {
      await c.initialize(pathToFileURL(dir).toString());
      c.open(uri, 'xml', text);
      const diags = await c.diagnostics(uri, (d) => d.version === 1);
      const syntax = diags.filter((d) => d.code === 'PANO000');
      assert.equal(syntax.length, MAX_SYNTAX_ISSUES + 1);
      assert.ok(syntax.some((d) => d.message === '9800 more XML syntax errors not shown'));
    } finally {
      await c.shutdown();
    }
  });
});
