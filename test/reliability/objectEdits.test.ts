/**
 * @fileoverview Edits that keep the model (the rule path, and the object path: an address's value
 * edited; in the `set` form both also patch the tree in place) against the
 * real language server, on ~3 MB generated Panorama files: every version's diagnostics are published,
 * the final ones equal what the real CLI reports, and the server's live JS heap after a full GC (a
 * heap snapshot) stays within 1.5× of a fresh server's holding the final text. A kept model or tree
 * reads some values after every edit; read as slices of that version's text, each would keep its whole
 * text (3 MB here, 50 MB in the bench) alive as long as the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generate } from '../../bench/generate';
import { analyze } from '../../server/src/core/analyze';
import { usedNames } from '../unit/sameAnalysis';
import { LspClient, cliDiagnostics, diagKey as key } from '../lsp/lspClient';
import { liveHeapMiB, sleep, withSnapshots } from './heap';

const EDITS = 24;

/** A client whose server logs how it analysed each version (PANOS_GUARD_TIMING) and writes heap snapshots to `dir`. */
function client(dir: string): LspClient {
  const prev = process.env.PANOS_GUARD_TIMING;
  process.env.PANOS_GUARD_TIMING = '1';
  try {
    return withSnapshots(dir, () => new LspClient());
  } finally {
    if (prev === undefined) delete process.env.PANOS_GUARD_TIMING;
    else process.env.PANOS_GUARD_TIMING = prev;
  }
}

async function editsKeepNoText(format: 'xml' | 'set', how: string[]): Promise<void> {
  const text0 = generate({ kind: 'panorama', format, targetBytes: 3 << 20, seed: 3 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-objects-'));
  const file = path.join(dir, `panorama.${format}`);
  const uri = pathToFileURL(file).toString();
  const snapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-objects-heap-'));
  const c = client(snapDir);
  let heapAfter: number;
  let finalText: string;
  try {
    await c.initialize(pathToFileURL(dir).toString());
    c.open(uri, format, text0, 1);
    await c.diagnostics(uri, (d) => d.version === 1, 120_000);
    const doc = TextDocument.create(uri, 'xml', 1, text0);
    // The last digit of the values of addresses the analysis uses (each edit makes its object read
    // again from that version of the text), and of services named in rules, spread over the file.
    const used = usedNames(analyze(text0, { fixes: false }));
    const value = format === 'xml' ? /<entry name="([^"]+)">\s*<ip-netmask>\d+\.\d+\.\d+\.\d+/g : /address "?([^"\n]+?)"? ip-netmask \d+\.\d+\.\d+\.\d+/g;
    const values = [...text0.matchAll(value)].filter((m) => used.has(m[1]!)).map((m) => m.index! + m[0].length - 1);
    const rulebases = format === 'xml' ? [...text0.matchAll(/<rules>[^]*?<\/rules>/g)].map((m) => [m.index!, m.index! + m[0].length] as const) : [];
    const members = format === 'xml' ? [...text0.matchAll(/<member>tcp-\d+/g)].map((m) => m.index! + m[0].length - 1).filter((o) => rulebases.some(([s, e]) => o > s && o < e)) : [...text0.matchAll(/ security rules .* service \[? ?tcp-\d+/g)].map((m) => m.index! + m[0].length - 1);
    assert.ok(values.length >= EDITS / 2 && members.length > 100, `${values.length} used address values, ${members.length} rule members`);
    for (let v = 2; v < 2 + EDITS; v++) {
      const pick = v % 2 === 0 ? values : members;
      const at = pick[Math.floor(((v - 2) * pick.length) / EDITS)]!;
      const ch = doc.getText()[at]!;
      assert.match(ch, /\d/);
      const change = { range: { start: doc.positionAt(at), end: doc.positionAt(at + 1) }, text: ch === '7' ? '6' : '7' };
      TextDocument.update(doc, [change], v);
      c.change(uri, v, [change]);
      await c.diagnostics(uri, (d) => d.version === v, 120_000);
    }
    finalText = doc.getText();
    const last = await c.diagnostics(uri, (d) => d.version === EDITS + 1, 1000);
    assert.deepEqual(last.map(key), cliDiagnostics(file, finalText));
    const paths = [...c.stderr.matchAll(/panos-guard timing: v(\d+) (incremental|full)(?: \(([^)]*)\))?/g)].filter((m) => Number(m[1]) >= 2).map((m) => m[3] ?? m[2]!);
    assert.equal(paths.length, EDITS, c.stderr.slice(-2000));
    // Only the paths that keep the model or the tree, the first (the address edits') among them.
    assert.ok(paths.every((p) => how.includes(p)) && paths.includes(how[0]!), paths.join('\n'));
    await sleep(2500);
    heapAfter = await liveHeapMiB(c, snapDir);
  } finally {
    await c.shutdown();
  }
  const fresh = client(snapDir);
  let heapFresh: number;
  try {
    await fresh.initialize(pathToFileURL(dir).toString());
    fresh.open(uri, format, finalText, 1);
    await fresh.diagnostics(uri, (d) => d.version === 1, 120_000);
    await sleep(2500);
    heapFresh = await liveHeapMiB(fresh, snapDir);
  } finally {
    await fresh.shutdown();
  }
  process.stderr.write(`# ${format} edits: live heap ${heapAfter.toFixed(1)} MiB after ${EDITS} edits, ${heapFresh.toFixed(1)} MiB for a fresh server holding the final text\n`);
  assert.ok(heapAfter <= 1.5 * heapFresh, `live heap ${heapAfter.toFixed(1)} MiB after the edits, ${heapFresh.toFixed(1)} MiB fresh`);
}

test('XML: address values and rule members edited one after another: the model is kept, the diagnostics match the CLI, and no text version stays alive', { timeout: 600_000 }, async () => {
  // The address edits take the object path, the rule edits the rule path: the model is never built again.
  await editsKeepNoText('xml', ['an address or service object or group re-scanned and made again; model and resolved names kept, policy evaluated again', 'incremental', 'no Panorama-relevant rule changed']);
});

test('set: address values and rule services edited one after another: the tree is patched and the model kept, the diagnostics match the CLI, and no text version stays alive', { timeout: 600_000 }, async () => {
  // The address edits read their entry's lines again and make that object again, the rule edits take the rule path.
  await editsKeepNoText('set', ['an address or service object or group read again and made again; model and resolved names kept, policy evaluated again', 'incremental', 'no Panorama-relevant rule changed']);
});
