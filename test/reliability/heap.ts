/**
 * @fileoverview The live JS heap of a language server under test: a heap snapshot the server writes on
 * SIGUSR2 (V8 collects garbage first), its nodes' self sizes summed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LspClient } from '../lsp/lspClient';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a client whose server writes a heap snapshot (after a full GC) to `dir` on SIGUSR2. */
export function withSnapshots(dir: string, make: () => LspClient): LspClient {
  const prev = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${prev ? `${prev} ` : ''}--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
  try {
    return make();
  } finally {
    if (prev === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = prev;
  }
}

/** Live JS heap of the server: the sum of self sizes in a heap snapshot (V8 collects garbage first). */
export async function liveHeapMiB(c: LspClient, dir: string): Promise<number> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(c.proc.pid!, 'SIGUSR2');
  for (let i = 0; i < 240; i++) {
    await sleep(250);
    const f = fs.readdirSync(dir).find((x) => x.endsWith('.heapsnapshot') && !before.has(x));
    if (!f) continue;
    const p = path.join(dir, f);
    let json: { snapshot: { meta: { node_fields: string[] } }; nodes: number[] } | undefined;
    try {
      json = JSON.parse(fs.readFileSync(p, 'utf8'));
    } catch {
      continue; // still being written
    }
    fs.unlinkSync(p);
    const fields = json!.snapshot.meta.node_fields;
    const self = fields.indexOf('self_size');
    let total = 0;
    for (let k = self; k < json!.nodes.length; k += fields.length) total += json!.nodes[k]!;
    return total / 1048576;
  }
  throw new Error('no heap snapshot');
}
