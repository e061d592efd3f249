/**
 * @fileoverview Analysis time at scale, with the fuzz harness's bound (2 s below 1 MiB, 2 s per MiB
 * above; test/fuzz/fuzz.ts boundMs): the big shapes that hold, and minimal reproductions of the
 * super-linear paths the fuzz run found (each a `todo` naming the code to fix).
 *
 * Each input is analysed (with fixes, as the CLI and the server do) in a worker thread after a
 * warm-up analysis of its base fixture; the test thread kills a worker that runs past the bound
 * plus one second, so a reproduction costs at most that long however slow the code is.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseEnvFile, type EnvFile } from '../../server/src/core/env/envFile';
import { FIXTURES } from '../helpers';
import { boundMs } from '../fuzz/fuzz';

const OUT_CORE = path.resolve(__dirname, '..', '..', 'server', 'src', 'core');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { analyze } = require(workerData.core + '/analyze.js');
const { ruleSetFix } = require(workerData.core + '/fixes/index.js');
const { suppressFix } = require(workerData.core + '/fixes/suppress.js');
analyze(workerData.warm, workerData.opts);
parentPort.postMessage({ start: true });
const t0 = performance.now();
const a = analyze(workerData.text, workerData.opts);
if (workerData.codeActions) {
  // What the server computes for a code-action request covering every diagnostic.
  for (const f of a.findings) suppressFix(a, f);
  ruleSetFix(a);
}
parentPort.postMessage({ ms: performance.now() - t0, findings: a.findings.length, internal: a.findings.filter((f) => f.message.startsWith('panos-guard internal error')).map((f) => f.message) });
`;

type Timed = { ms: number; killed: boolean; findings: number; internal: string[]; bound: number };

/** Analyses `text` in a worker (after a warm-up on `warm`); kills it at bound + 1 s. */
function timed(text: string, warm: string, env?: EnvFile, codeActions = false): Promise<Timed> {
  const bound = boundMs(text.length);
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { core: OUT_CORE, text, warm, codeActions, opts: env ? { env } : {} }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    let t0 = 0;
    let timer = setTimeout(() => {
      void w.terminate();
      reject(new Error('the worker did not start within 60 s'));
    }, 60_000);
    w.on('message', (m: { start?: boolean; ms: number; findings: number; internal: string[] }) => {
      clearTimeout(timer);
      if (m.start) {
        t0 = Date.now();
        timer = setTimeout(() => {
          void w.terminate();
          resolve({ ms: Date.now() - t0, killed: true, findings: 0, internal: [], bound });
        }, bound + 1000);
        return;
      }
      void w.terminate();
      resolve({ ms: m.ms, findings: m.findings, internal: m.internal, killed: false, bound });
    });
    w.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function within(r: Timed, what: string): void {
  if (process.env.PANOS_GUARD_TEST_DEBUG) process.stderr.write(`# ${what}: ${r.killed ? 'killed after' : ''} ${r.ms.toFixed(0)} ms (bound ${r.bound} ms)\n`);
  assert.ok(!r.killed, `${what}: killed after bound ${r.bound} ms + 1 s`);
  assert.deepEqual(r.internal, []);
  assert.ok(r.ms <= r.bound, `${what}: ${r.ms.toFixed(0)} ms (bound ${r.bound} ms)`);
}

const fx = (name: string, file: string): string => fs.readFileSync(path.join(FIXTURES, 'scenarios', name, file), 'utf8');
const TIGHT = fx('fw-tight', 'config.xml');
const TIGHT_SET = fx('fw-tight', 'config.set');
const APP_ANY = fx('fw-application-any', 'config.xml');
const APP_ANY_ENV = parseEnvFile(fx('fw-application-any', '.panos-guard.json')).env;
const SHADOWED = fx('fw-shadowed', 'config.xml');
const SHADOWED_ENV = parseEnvFile(fx('fw-shadowed', '.panos-guard.json')).env;
const range = (n: number, f: (k: number) => string): string => Array.from({ length: n }, (_, k) => f(k)).join('');

describe('scale: what holds', () => {
  test('XML: a rule source of 100,000 members (2.3 MB)', async () => {
    within(await timed(TIGHT.replace('<source>', `<source>${range(100_000, (k) => `<member>m${k}</member>`)}`), TIGHT), '100,000 members');
  });
  test('XML: an address group of 100,000 members used by a rule', async () => {
    const t = TIGHT.replace('<source>', '<source><member>big</member>').replace('<address>', `<address-group><entry name="big"><static>${range(100_000, (k) => `<member>m${k}</member>`)}</static></entry></address-group><address>`);
    within(await timed(t, TIGHT), '100,000-member group');
  });
  test('XML: 10,000 and 100,000 nested elements, closed and unclosed', async () => {
    for (const n of [10_000, 100_000]) {
      within(await timed(TIGHT.replace('<source>', `<source>${'<a>'.repeat(n)}${'</a>'.repeat(n)}`), TIGHT), `${n} nested, closed`);
      within(await timed(TIGHT.replace('<rules>', `<rules>${'<entry name="e">'.repeat(n)}`), TIGHT), `${n} nested entries, unclosed`);
    }
  });
  test('XML: the whole config on one 5 MB line', async () => {
    const flat = TIGHT.replace(/\r?\n\s*/g, '');
    within(await timed(flat.replace('<address>', `<address>${range(80_000, (k) => `<entry name="p${k}"><ip-netmask>10.${k >> 16}.${(k >> 8) & 255}.${k & 255}</ip-netmask></entry>`)}`), TIGHT), '5 MB line');
  });
  test('XML: 65,536 distinct element names that share one hash (every string of 16 pairs of Aa and BB, 2.5 MB), and as many address names', async () => {
    // Under the scanner's hash (h·31 + c) all these names collide: interning them walked every name
    // before each (~20 s) until a probe kept a name by its string past the 16th of its hash.
    const names = Array.from({ length: 1 << 16 }, (_, i) => range(16, (b) => ((i >> b) & 1 ? 'Aa' : 'BB')));
    within(await timed(TIGHT.replace('<source>', `<source><x>${names.map((n) => `<${n}/>`).join('')}</x>`), TIGHT), '65,536 colliding element names');
    within(await timed(TIGHT.replace('<address>', `<address>${names.map((n) => `<entry name="${n}"><ip-netmask>10.9.9.9</ip-netmask></entry>`).join('')}`), TIGHT), '65,536 colliding address names');
  });
  test('set: a 5 MB quoted value, and 100,000 distinct one-line objects', async () => {
    within(await timed(`${TIGHT_SET}\nset address big description "${'x'.repeat(5 * 1024 * 1024)}"\n`, TIGHT_SET), '5 MB quoted value');
    within(await timed(`${TIGHT_SET}\n${range(100_000, (k) => `set address a${k} ip-netmask 10.${k >> 16}.${(k >> 8) & 255}.${k & 255}\n`)}`, TIGHT_SET), '100,000 objects');
  });
});

describe('scale: super-linear paths (known bugs)', { concurrency: 2 }, () => {
  test('set: a path of 30,000 keyword tokens on one line (60 KB)', async () => {
    within(await timed(`${TIGHT_SET}\nset ${'a '.repeat(30_000)}\n`, TIGHT_SET), '30,000 tokens');
  });
  test('set: a member list of 50,000 names (350 KB)', async () => {
    within(await timed(`${TIGHT_SET}\nset rulebase security rules "Admin to Panorama" source [ ${range(50_000, (k) => `m${k} `)}]\n`, TIGHT_SET), '50,000 members');
  });
  test('set: 16,000 quoted tokens on one line (64 KB)', async () => {
    within(await timed(`${TIGHT_SET}\nset address x description ${'"q" '.repeat(16_000)}\n`, TIGHT_SET), '16,000 quoted tokens');
  });
  test('XML: 20,000 open elements closed by 20,000 stray end tags (150 KB)', async () => {
    within(await timed(TIGHT.replace('<source>', `<source>${'<a>'.repeat(20_000)}${'</b>'.repeat(20_000)}`), TIGHT), '20,000 stray end tags');
  });
  test('XML: a description of 400,000 "&amp;" (2 MB)', async () => {
    within(await timed(TIGHT.replace('<action>allow</action>', `<action>allow</action><description>${'&amp;'.repeat(400_000)}</description>`), TIGHT), '400,000 entities');
  });
  test('XML with fixes: 4,000 allow-any rules (210 KB)', async () => {
    within(await timed(APP_ANY.replace('<rules>', `<rules>${range(4000, (k) => `<entry name="r${k}"><action>allow</action></entry>`)}`), APP_ANY, APP_ANY_ENV), '4,000 rules');
  });
  test('XML with fixes: 1,000 allow-any rules and a comment of 200,000 line breaks (256 KB); analysis plus the code actions for every finding', async () => {
    // suppressFix() for each of the 5,000 findings searched every rulebase for its rule and built a new
    // editor, indexing every line of the text: O(findings x (rules + lines)), 27 s.
    const t = APP_ANY.replace('<rules>', `<rules>${range(1000, (k) => `<entry name="r${k}"><action>allow</action></entry>`)}`).replace('<devices>', `<!--${'\n'.repeat(200_000)}--><devices>`);
    within(await timed(t, APP_ANY, APP_ANY_ENV, true), '1,000 rules and 200,000 lines, code actions');
  });
  test(
    'XML on one line: a 5 MB comment early in the line; analysis plus the code actions for every finding',
    async () => {
      const flat = SHADOWED.replace(/\r?\n\s*/g, '');
      within(await timed(flat.replace('<devices>', `<devices><!--${'-'.repeat(5 * 1024 * 1024)}-->`), SHADOWED, SHADOWED_ENV, true), '5 MB line, code actions');
    },
  );
  test('set: a script of 30,000 rules each followed by a move (2.6 MB)', async () => {
    within(await timed(range(30_000, (k) => `set rulebase security rules r${k} source any\nmove rulebase security rules r${k} top\n`), TIGHT_SET), '30,000 moves');
  });
});
