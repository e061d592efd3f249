#!/usr/bin/env node
// UI smoke test through the real workbench: open file, see squiggle, read Problems, apply the quick fix, save; PNG per stage.
//
// Usage: node test/e2e/ui/smoke.mjs (--vsix X.vsix | --dev EXT_DIR) [--scenario test/e2e/scenarios/panosGuard.json]
//          [--screenshots .test-output/screenshots] [--timeout SECONDS]
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { armTimeout, finish, onCleanup } from '../lib/cleanup.mjs';
import { pollUntil } from '../lib/poll.mjs';
import { startUiSession } from './session.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const { values: opt } = parseArgs({
  options: {
    vsix: { type: 'string' },
    dev: { type: 'string' },
    scenario: { type: 'string', default: join(here, '..', 'scenarios', 'panosGuard.json') },
    screenshots: { type: 'string', default: join(repo, '.test-output', 'screenshots') },
    timeout: { type: 'string', default: process.env.PANOS_GUARD_E2E_TIMEOUT || '120' },
  },
});
if (!opt.vsix === !opt.dev) {
  console.error('give exactly one of --vsix X.vsix or --dev EXT_DIR');
  process.exit(2);
}

const scenarioPath = resolve(opt.scenario);
const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));
const results = [];
let session;

/** One named stage: timed, screenshotted, and recorded as passed/failed for the closing line. */
async function stage(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    await session?.driver.shot(name);
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - t0} ms)${detail ? `: ${detail}` : ''}`);
  } catch (e) {
    await session?.driver.shot(`${name}-FAILED`).catch(() => {});
    results.push({ name, ok: false });
    console.error(`  FAIL ${name} (${Date.now() - t0} ms): ${e.message}`);
    if (session) console.error(session.logs());
    throw e;
  }
}

async function main() {
  armTimeout(Number(opt.timeout) * 1000, 'the UI smoke test');
  // Work on a copy: the test saves the file, and the fixture must stay as it is.
  const ws = mkdtempSync(join(tmpdir(), 'pg-ui-ws-'));
  onCleanup(() => rmSync(ws, { recursive: true, force: true }));
  cpSync(resolve(dirname(scenarioPath), scenario.workspace), ws, { recursive: true });
  const file = join(ws, scenario.file);
  const shots = resolve(opt.screenshots);
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (f.endsWith('.png')) rmSync(join(shots, f)); // no stale pictures

  const squiggle = scenario.ui?.squiggle ?? 'error';
  const t0 = Date.now();
  await stage('workbench', async () => {
    session = await startUiSession({
      folder: ws,
      extension: opt.vsix ? { vsix: resolve(opt.vsix) } : { devPath: resolve(opt.dev) },
      screenshotDir: shots,
      log: (level, text) => { if (level === 'error' || level === 'warn') console.log(`    [${level}] ${text.split('\n')[0]}`); },
    });
    await session.driver.ready();
    return `server port ${session.server.port}`;
  });
  const d = session.driver;
  await stage('open-file', () => d.openFile(basename(scenario.file)));
  // The Problems panel first: it tells where the finding is, so the editor can be scrolled to it.
  let problems = '';
  await stage('problems-panel', async () => {
    problems = await d.problemsText(scenario.diagnostic.messageIncludes);
    return JSON.stringify(problems.replace(/\s+/g, ' ').slice(0, 160));
  });
  // Where to put the cursor: the scenario's ui.at, else the position the Problems row shows ("[Ln 2, Col 49]").
  const m = /Ln (\d+), Col (\d+)/.exec(problems);
  const [line, col] = scenario.ui?.at ?? (m ? [Number(m[1]), Number(m[2])] : [1, 1]);
  await stage(`squiggle-${squiggle}`, async () => {
    await d.goTo(line, col);
    return `${await d.waitForSquiggle(squiggle)} squiggle(s) at ${line}:${col}, ${Date.now() - t0} ms after start`;
  });
  if (scenario.fix) {
    const before = await d.squiggleCount(squiggle);
    await stage('quick-fix', async () => {
      await d.goTo(line, col);
      await d.applyQuickFix(scenario.fix.title);
      await d.waitForFewerSquiggles(squiggle, before);
      return `at ${line}:${col}`;
    });
    await stage('save', async () => {
      const original = readFileSync(file, 'utf8');
      await d.save();
      // The tab turns clean when the save is acknowledged; the bytes reach the disk through the server, so poll it.
      const want = scenario.fix.expectTextIncludes;
      await pollUntil(() => { const t = readFileSync(file, 'utf8'); return t !== original && (!want || t.includes(want)); },
        { what: `the saved file to contain '${want ?? '(a change)'}'`, timeoutMs: 10_000 });
      return 'file on disk updated';
    });
  }
  await session.close();
  return 0;
}

main().then(() => 0, (e) => { if (!results.some((r) => !r.ok)) console.error(e.stack || e.message); return 1; })
  .then((code) => {
    const failed = results.filter((r) => !r.ok).length;
    console.log(`screenshots: ${resolve(opt.screenshots)}`);
    console.log(`${results.length - failed} passed, ${failed} failed`);
    finish(code);
  });
