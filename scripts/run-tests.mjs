#!/usr/bin/env node
// Runs every test layer in order and prints one closing line `N passed, N failed`:
//   1. unit, CLI and LSP tests (node --test, the real CLI and server as processes)
//   2. the extension-host suite in the real VS Code (code-server) through @vscode/test-electron's runTests
//   3. packaging: the VSIX (npm run package), then the UI smoke test installing that VSIX in the workbench
//   4. the same LSP checks from headless Neovim against `panos-guard-lsp --stdio`
// Expects `npm run build` and `npm run bundle` done (the npm test script does both) and the real-editor
// environment set up (the pretest script: scripts/setup-test-env.mjs). PANOS_GUARD_SKIP_EDITOR=1 runs layer 1 only.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0 };
const layers = [];

function run(name, cmd, args, parse) {
  return new Promise((res) => {
    const t0 = Date.now();
    console.log(`\n=== ${name}: ${[cmd, ...args].map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
    const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => {
      let { passed, failed } = parse(out);
      // A layer that exits non-zero without reporting a failure still counts as one failure.
      if (code !== 0 && failed === 0) failed = 1;
      totals.passed += passed;
      totals.failed += failed;
      layers.push(`${name}: ${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      res(code);
    });
  });
}

/** `node --test` spec reporter summary: "ℹ pass N" / "ℹ fail N". */
function nodeTest(out) {
  const n = (k) => Number(new RegExp(`^ℹ ${k} (\\d+)`, 'm').exec(out)?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled') };
}

/** Our harnesses print "N passed, N failed" as their last summary. */
function summaryLine(out) {
  const all = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const m = all[all.length - 1];
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 0 };
}

const testDirs = ['unit', 'cli', 'lsp', 'reliability'].map((d) => join('out', 'test', d)).filter((d) => {
  try {
    return readdirSync(join(repo, d)).some((f) => f.endsWith('.test.js'));
  } catch {
    return false;
  }
});
await run('unit, CLI and LSP tests', process.execPath, ['--test', '--test-reporter=spec', ...testDirs], nodeTest);

if (process.env.PANOS_GUARD_SKIP_EDITOR !== '1') {
  await run('extension-host suite (real VS Code 1.139 via runTests)', process.execPath, ['test/e2e/runExtensionTests.mjs'], summaryLine);
  const pkgCode = await run('VSIX packaging', process.execPath, ['scripts/package.mjs'], (out) => (/\.vsix: [\d.]+ KiB/.test(out) ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }));
  if (pkgCode === 0) {
    const version = JSON.parse((await import('node:fs')).readFileSync(join(repo, 'package.json'), 'utf8')).version;
    await run('UI smoke test (VSIX installed into the workbench, Chromium)', process.execPath, ['test/e2e/ui/smoke.mjs', '--vsix', join(repo, '.test-output', `panos-guard-${version}.vsix`)], summaryLine);
  }
  await run('Neovim LSP client', process.execPath, ['test/e2e/nvim/runNvim.mjs'], summaryLine);
}

console.log('\n=== summary');
for (const l of layers) console.log(l);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 ? 1 : 0;
