#!/usr/bin/env node
// Drives headless Neovim 0.7 as an LSP client (lspProbe.lua) against a language server and asserts on its JSON result.
//
// Usage: node test/e2e/nvim/runNvim.mjs [--scenario test/e2e/scenarios/panosGuard.json] [--timeout SECONDS]
//          [-- SERVER_CMD...]   (default server: node bin/panos-guard-lsp.js --stdio)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertTestEnv, nvimPath } from '../../../scripts/test-env.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');

/**
 * Runs the probe and resolves with its result object ({ ok, error?, diagnostics, actionTitles, textAfter, ... }).
 * nvim runs in its own process group so the hard timeout also kills the language server it started.
 */
export async function runNvimProbe({ cmd, file, rootDir, diagnostic, fixTitle, timeoutMs = 60_000 }) {
  assertTestEnv({ needBrowser: false, needServer: false, needNvim: true });
  const work = mkdtempSync(join(tmpdir(), 'pg-nvim-'));
  try {
    const resultFile = join(work, 'result.json');
    const configFile = join(work, 'config.json');
    // The Lua side waits at most this long per step; the process timeout below is the outer bound.
    writeFileSync(configFile, JSON.stringify({ cmd, file: resolve(file), rootDir: resolve(rootDir), resultFile,
      diagnostic, fixTitle, timeoutMs: Math.max(1000, Math.floor(timeoutMs / 3)) }));
    const args = ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(here, 'lspProbe.lua')}`];
    const child = spawn(nvimPath(), args, {
      detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: rootDir,
      env: { ...process.env, PANOS_GUARD_NVIM_CONFIG: configFile },
    });
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    process.once('exit', killGroup);
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, timeoutMs);
    const code = await new Promise((res) => child.on('exit', (c, s) => res(c ?? s)));
    clearTimeout(timer);
    killGroup(); // the language server, if nvim left it behind
    process.removeListener('exit', killGroup);
    let result;
    try { result = JSON.parse(readFileSync(resultFile, 'utf8')); } catch { result = { ok: false, error: 'no result file written' }; }
    if (timedOut) result = { ...result, ok: false, error: `nvim killed after ${timeoutMs} ms (hard timeout)` };
    return { ...result, exitCode: code, output: output.trim() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const { values: opt, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scenario: { type: 'string', default: join(here, '..', 'scenarios', 'panosGuard.json') },
      timeout: { type: 'string', default: '60' },
    },
  });
  const scenarioPath = resolve(opt.scenario);
  const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));
  const rootDir = resolve(dirname(scenarioPath), scenario.workspace);
  const cmd = positionals.length ? positionals : ['node', join(repo, 'bin', 'panos-guard-lsp.js'), '--stdio'];
  const t0 = Date.now();
  const r = await runNvimProbe({
    cmd, rootDir, file: join(rootDir, scenario.file), timeoutMs: Number(opt.timeout) * 1000,
    diagnostic: scenario.nvim?.diagnostic ?? scenario.diagnostic, fixTitle: scenario.fix?.title,
  });
  console.log(`nvim probe finished in ${Date.now() - t0} ms (exit ${r.exitCode}); steps: ${(r.steps ?? []).map((s) => `${s.name}@${s.ms}ms`).join(' ')}`);

  const checks = [
    ['nvim exited cleanly', r.ok && r.exitCode === 0, r.error ?? r.output],
    ['matching diagnostic published', (r.diagnostics ?? []).length > 0, JSON.stringify(r.diagnostics)],
  ];
  if (scenario.fix) {
    checks.push(['quick fix offered', (r.actionTitles ?? []).includes(scenario.fix.title), JSON.stringify(r.actionTitles)]);
    const want = scenario.fix.expectTextIncludes;
    checks.push(['edit applied', typeof r.textAfter === 'string' && (!want || r.textAfter.includes(want)), r.textAfter]);
    checks.push(['diagnostic cleared after edit', Array.isArray(r.diagnosticsAfter), JSON.stringify(r.diagnosticsAfter)]);
  }
  let failed = 0;
  for (const [name, pass, detail] of checks) {
    if (pass) console.log(`  ok   ${name}`);
    else { failed++; console.error(`  FAIL ${name}\n      ${String(detail ?? '').split('\n').join('\n      ')}`); }
  }
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code; }, (e) => { console.error(e.stack || e.message); console.log('0 passed, 1 failed'); process.exitCode = 1; });
}
