#!/usr/bin/env node
// Runs the e2e suite in a real VS Code extension host via @vscode/test-electron's runTests and our code-server launcher.
//
// Usage: node test/e2e/runExtensionTests.mjs [--extension DIR] [--suite out/test/e2e/suite/index.js]
//          [--scenario test/e2e/scenarios/panosGuard.json] [--workspace DIR] [--timeout SECONDS] [--keep]
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extensionLogs } from './lib/extensionLog.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const launcher = join(here, 'launcher', 'code-server-launcher.mjs');
const require = createRequire(import.meta.url);

const { values: opt } = parseArgs({
  options: {
    extension: { type: 'string', default: repo },
    suite: { type: 'string', default: join(repo, 'out', 'test', 'e2e', 'suite', 'index.js') },
    scenario: { type: 'string', default: join(here, 'scenarios', 'panosGuard.json') },
    workspace: { type: 'string' },
    timeout: { type: 'string', default: process.env.PANOS_GUARD_E2E_TIMEOUT || '120' },
    keep: { type: 'boolean', default: false },
  },
});

function summary(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
}

async function main() {
  const scenarioPath = resolve(opt.scenario);
  const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));
  const workspace = resolve(opt.workspace ?? resolve(dirname(scenarioPath), scenario.workspace));
  const suite = resolve(opt.suite);
  if (!existsSync(suite)) throw new Error(`suite ${suite} not found: run \`npm run build\` first`);
  // git may not keep the executable bit (or a fresh checkout may lack it); runTests spawns the file directly.
  chmodSync(launcher, 0o755);

  const work = mkdtempSync(join(tmpdir(), 'pg-e2e-'));
  const resultsFile = join(work, 'results.json');
  const { runTests } = require('@vscode/test-electron');
  let runError;
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: resolve(opt.extension),
      extensionTestsPath: suite,
      launchArgs: [workspace, `--user-data-dir=${join(work, 'user-data')}`, `--extensions-dir=${join(work, 'extensions')}`,
        `--launcher-timeout=${opt.timeout}`],
      // Reaches the extension host through the launcher and the server, which pass their environment on.
      // PANOS_GUARD_TIMING: the server traces its analyses and unanswered code actions into its log (printed on failure).
      extensionTestsEnv: { PANOS_GUARD_E2E_RESULTS: resultsFile, PANOS_GUARD_E2E_SCENARIO: scenarioPath, PANOS_GUARD_TIMING: '1' },
    });
  } catch (e) {
    runError = e;
  }

  let results = null;
  try { results = JSON.parse(readFileSync(resultsFile, 'utf8')); } catch { /* the suite never finished */ }
  const failing = !results || results.some((r) => !r.ok);
  // A failure prints the extension's log (the client's errors and the server's trace) before anything is removed.
  if (failing) console.error(`${extensionLogs(join(work, 'user-data'))}\n---`);
  const keep = opt.keep || !!runError || failing;
  if (keep) console.log(`kept profile and logs in ${work}`);
  else rmSync(work, { recursive: true, force: true });

  if (!results) {
    console.error(`no test results: ${runError?.message ?? 'suite did not write its results file'}`);
    summary(0, 1);
    return 1;
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(`FAILED: ${r.name}\n${r.error}`);
  summary(results.length - failed.length, failed.length);
  return failed.length > 0 || runError || results.length === 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e.stack || e.message);
  summary(0, 1);
  process.exitCode = 1;
});
