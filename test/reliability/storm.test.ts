/**
 * @fileoverview Edit storm against the real language server (`node bin/panos-guard-lsp.js --stdio`,
 * driven by test/lsp/lspClient.ts): a ~1 MB generated firewall config, 1,000 rapid incremental
 * didChange notifications with random small edits, a hover timed in the middle of the storm,
 * then the final diagnostics compared with what the real CLI (`lint --format json`) reports for
 * the final text, and the server's resident memory before and after.
 *
 * Memory is read from /proc/<pid>/status (VmRSS) of the server process (the client spawns node on
 * bin/panos-guard-lsp.js directly, so its pid is the server's). "Before" is taken once the first
 * diagnostics of the opened document are published and the server has been idle for SETTLE_MS.
 * "After": once the diagnostics of the last version are published, RSS is sampled every second
 * for at least SETTLE_MS and at most SETTLE_MAX_MS, and the lowest sample counts (no forced GC:
 * the server runs without --expose-gc, as in production, and V8 gives garbage back lazily, after
 * some idle seconds; memory that stays referenced — a leak — never comes down).
 *
 * The storm runs once; three tests read its result (consistency, memory, hover latency).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { generate } from '../../bench/generate';
import { LspClient, cliDiagnostics, diagKey as key, type DiagKey as Key } from '../lsp/lspClient';
import { Rng } from '../fuzz/mutators';
import { liveHeapMiB, sleep, withSnapshots } from './heap';

const EDITS = 1000;
const SETTLE_MS = 2000;
const SETTLE_MAX_MS = 15_000;
const HOVER_BOUND_MS = 200;

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS in /proc/<pid>/status');
  return Number(m[1]);
}


/** A random small edit: mostly typing inside text content (values), sometimes anywhere (markup too). */
function randomEdit(doc: TextDocument, rng: Rng): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } {
  const text = doc.getText();
  let at: number;
  if (rng.chance(0.8)) {
    // Inside a text node: between a '>' and the next '<' that are not adjacent.
    for (let tries = 0; ; tries++) {
      const p = rng.int(text.length);
      const gt = text.lastIndexOf('>', p);
      const lt = text.indexOf('<', p);
      if ((gt >= 0 && lt > gt + 1 && text.lastIndexOf('<', p) < gt) || tries > 20) {
        at = p;
        break;
      }
    }
  } else at = rng.int(text.length);
  const del = rng.chance(0.4) ? Math.min(rng.range(1, 3), text.length - at) : 0;
  const ins = rng.chance(del > 0 ? 0.5 : 1) ? Array.from({ length: rng.range(1, 3) }, () => rng.pick(['a', 'b', 'x', '1', '0', '.', '-', ' ', '/', '9'])).join('') : '';
  return { range: { start: doc.positionAt(at), end: doc.positionAt(at + del) }, text: ins };
}



type StormResult = {
  hoverMs: number;
  hover: Hover | null;
  sentMs: number;
  stormMs: number;
  rssBefore: number;
  rssAfter: number;
  rssSeries: number[];
  /** Live JS heap (MiB) of the storm server after a full GC (heap snapshot), and of a fresh server holding the final text. */
  heapAfter: number;
  heapFresh: number;
  finalText: string;
  diags: Diagnostic[];
  cliDiags: Key[];
  alive: boolean;
};

let storm: Promise<StormResult> | undefined;

/** One storm, shared by the tests below (it takes tens of seconds). */
function runStorm(): Promise<StormResult> {
  storm ??= (async (): Promise<StormResult> => {
    const text0 = generate({ kind: 'firewall', format: 'xml', targetBytes: 1 << 20, seed: 1 });
    assert.ok(text0.length > 900_000, `generated ${text0.length} chars`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-storm-'));
    const file = path.join(dir, 'storm.xml');
    const uri = pathToFileURL(file).toString();
    const snapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-storm-heap-'));
    const c = withSnapshots(snapDir, () => new LspClient());
    const pid = c.proc.pid!;
    try {
      await c.initialize(pathToFileURL(dir).toString());
      c.open(uri, 'xml', text0, 1);
      await c.diagnostics(uri, (d) => d.version === 1, 60_000);
      await sleep(SETTLE_MS);
      const rssBefore = rssKiB(pid);

      // The edits (and the hover's position) are made before the storm, so that the client's own
      // work (it keeps a copy of the 1 MB text) neither slows the storm down nor delays reading
      // the hover's answer: the latency measured is the server's.
      const doc = TextDocument.create(uri, 'xml', 1, text0);
      const rng = new Rng(20240);
      const changes: ReturnType<typeof randomEdit>[] = [];
      const hoverAt = Math.floor(EDITS / 2);
      let hoverPos: { line: number; character: number } | undefined;
      for (let v = 2; v <= EDITS + 1; v++) {
        const change = randomEdit(doc, rng);
        TextDocument.update(doc, [change], v);
        changes.push(change);
        if (v === hoverAt) {
          // A hover on a rule name in the middle of the storm; more changes follow right after it.
          const text = doc.getText();
          hoverPos = doc.positionAt(text.indexOf('<entry name="', text.indexOf('<rules>')) + '<entry name="'.length + 1);
        }
      }
      let hoverMs = -1;
      let hoverResult: Promise<Hover | null> | undefined;
      const t0 = performance.now();
      for (let v = 2; v <= EDITS + 1; v++) {
        c.change(uri, v, [changes[v - 2]!]);
        if (v === hoverAt) {
          const h0 = performance.now();
          hoverResult = c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: hoverPos! }).then((r) => {
            hoverMs = performance.now() - h0;
            return r;
          });
        }
        // Let the client's event loop run now and then (it reads the hover's answer), as an editor's does.
        if (v % 20 === 0) await new Promise((r) => setImmediate(r));
      }
      const sentMs = performance.now() - t0;
      const hover = await hoverResult!;
      const diags = await c.diagnostics(uri, (d) => d.version === EDITS + 1, 120_000);
      const stormMs = performance.now() - t0;
      // V8 returns the storm's garbage lazily (its memory reducer runs after some idle seconds):
      // sample once a second for up to SETTLE_MAX_MS after the last publish, keep the lowest value,
      // stop as soon as it is within the bound. A leak (memory still referenced) never comes down.
      const rssSeries: number[] = [];
      for (let waited = 0; waited < SETTLE_MAX_MS; waited += 1000) {
        await sleep(1000);
        rssSeries.push(rssKiB(pid));
        if (Math.min(...rssSeries) <= 1.5 * rssBefore && waited >= SETTLE_MS) break;
      }
      const rssAfter = Math.min(...rssSeries);
      const heapAfter = await liveHeapMiB(c, snapDir);
      const finalText = doc.getText();
      const cliDiags = cliDiagnostics(file, finalText);
      // Reference for the leak check: a fresh server holding only the final text.
      const fresh = withSnapshots(snapDir, () => new LspClient());
      let heapFresh: number;
      try {
        await fresh.initialize(pathToFileURL(dir).toString());
        fresh.open(uri, 'xml', finalText, 1);
        await fresh.diagnostics(uri, (d) => d.version === 1, 60_000);
        await sleep(SETTLE_MS);
        heapFresh = await liveHeapMiB(fresh, snapDir);
      } finally {
        await fresh.shutdown();
      }
      process.stderr.write(`# storm: ${EDITS} changes sent in ${sentMs.toFixed(0)} ms; hover answered in ${hoverMs.toFixed(0)} ms (${hover === null ? 'null' : 'with contents'}); final diagnostics after ${stormMs.toFixed(0)} ms; RSS ${rssBefore} KiB before, then ${rssSeries.join(', ')} KiB at 1 s intervals (x${(rssAfter / rssBefore).toFixed(2)}); live heap after a full GC ${heapAfter.toFixed(1)} MiB vs ${heapFresh.toFixed(1)} MiB for a fresh server holding the final text\n`);
      return { hoverMs, hover, sentMs, stormMs, rssBefore, rssAfter, rssSeries, heapAfter, heapFresh, finalText, diags, cliDiags, alive: c.proc.exitCode === null };
    } finally {
      await c.shutdown();
    }
  })();
  return storm;
}


test('edit storm: the final diagnostics equal the real CLI findings on the final text', { timeout: 600_000 }, async () => {
  const s = await runStorm();
  assert.ok(s.alive, 'the server is still running');
  assert.ok(s.cliDiags.length > 0);
  assert.deepEqual(s.diags.map(key), s.cliDiags.map(key));
});

test('edit storm: no leak: the live heap after a full GC is within 1.5x of a fresh server holding the same text', { timeout: 600_000 }, async () => {
  const s = await runStorm();
  assert.ok(s.heapAfter <= 1.5 * s.heapFresh, `live heap ${s.heapAfter.toFixed(1)} MiB after the storm, ${s.heapFresh.toFixed(1)} MiB fresh`);
});

test(
  'edit storm: RSS after the storm stays within 1.5x of before',
  {
    timeout: 600_000,
  },
  async () => {
    const s = await runStorm();
    assert.ok(s.rssAfter <= 1.5 * s.rssBefore, `RSS ${s.rssBefore} KiB before, ${s.rssAfter} KiB after (x${(s.rssAfter / s.rssBefore).toFixed(2)}); samples ${s.rssSeries.join(', ')}`);
  },
);

test(
  `edit storm: a hover in the middle of the storm answers within ${HOVER_BOUND_MS} ms`,
  {
    timeout: 600_000,
  },
  async () => {
  const s = await runStorm();
  assert.ok(s.hover && typeof s.hover === 'object' && 'contents' in s.hover, 'the hover has contents');
  assert.ok(s.hoverMs >= 0 && s.hoverMs <= HOVER_BOUND_MS, `hover answered in ${s.hoverMs.toFixed(0)} ms`);
  },
);
