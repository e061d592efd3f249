/**
 * @fileoverview Golden files: byte-for-byte comparison with a readable line diff on failure.
 * Golden files are (re)written ONLY when the environment variable UPDATE_GOLDEN=1 is set; a missing
 * golden file is a failure otherwise. Also the line diff used by the goldens and their messages
 * (Myers' O(ND) algorithm, independent of the product's `unifiedDiff`).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

export const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');

export function updating(): boolean {
  return process.env.UPDATE_GOLDEN === '1';
}

type Op = { op: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Line-level edit script from `a` to `b` (Myers), with 0-based line numbers on both sides. */
export function diffLines(a: string[], b: string[]): Op[] {
  // Common prefix and suffix first: fixes insert or replace small regions of large files.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const mid = myers(A, B);
  const out: Op[] = [];
  for (let i = 0; i < pre; i++) out.push({ op: ' ', line: a[i]!, a: i, b: i });
  for (const m of mid) out.push({ ...m, a: m.a + pre, b: m.b + pre });
  for (let i = 0; i < suf; i++) out.push({ op: ' ', line: a[a.length - suf + i]!, a: a.length - suf + i, b: b.length - suf + i });
  return out;
}

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m === 0) {
    return [...a.map((line, i) => ({ op: '-' as const, line, a: i, b: 0 })), ...b.map((line, j) => ({ op: '+' as const, line, a: n, b: j }))];
  }
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  // Very different texts (a failing comparison): give up on minimality past this many edits.
  const limit = Math.min(max, 4000);
  outer: for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break outer;
      }
    }
  }
  if (found < 0) {
    return [...a.map((line, i) => ({ op: '-' as const, line, a: i, b: 0 })), ...b.map((line, j) => ({ op: '+' as const, line, a: n, b: j }))];
  }
  // Backtrack.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const t = trace[d]!; // v before step d, window [-(d+1), d+1]
    const at = (k: number): number => t[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    while (x > px && y > py && (down ? y - 1 > py : x - 1 > px)) {
      x--;
      y--;
      ops.push({ op: ' ', line: a[x]!, a: x, b: y });
    }
    if (down) {
      y--;
      ops.push({ op: '+', line: b[y]!, a: x, b: y });
    } else {
      x--;
      ops.push({ op: '-', line: a[x]!, a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ op: ' ', line: a[x]!, a: x, b: y });
  }
  return ops.reverse();
}

/** Splits into lines keeping a visible marker for CR (so CRLF vs LF differences show). */
function lines(s: string): string[] {
  return s.split('\n').map((l) => l.replace(/\r/g, '\\r'));
}

/** A unified diff (hunks with `context` lines) of `a` → `b`; '' when equal. */
export function unified(a: string, b: string, context = 3, labels: [string, string] = ['expected', 'actual']): string {
  if (a === b) return '';
  const ops = diffLines(lines(a), lines(b));
  const changed = ops.map((o, i) => (o.op !== ' ' ? i : -1)).filter((i) => i >= 0);
  if (changed.length === 0) return `--- ${labels[0]}\n+++ ${labels[1]}\n(texts differ only in a way the line diff cannot show)\n`;
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const s = Math.max(0, i - context);
    const e = Math.min(ops.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else hunks.push([s, e]);
  }
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  for (const [s, e] of hunks) {
    const part = ops.slice(s, e + 1);
    const aLines = part.filter((o) => o.op !== '+');
    const bLines = part.filter((o) => o.op !== '-');
    const aStart = aLines.length ? aLines[0]!.a + 1 : part[0]!.a;
    const bStart = bLines.length ? bLines[0]!.b + 1 : part[0]!.b;
    out.push(`@@ -${aStart},${aLines.length} +${bStart},${bLines.length} @@`);
    for (const o of part) out.push(`${o.op}${o.line}`);
  }
  return out.join('\n') + '\n';
}

export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/**
 * Compares `actual` with test/golden/<name> byte for byte. With UPDATE_GOLDEN=1 writes it instead.
 */
export function checkGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (updating()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    if (!old || !old.equals(Buffer.from(actual, 'utf8'))) fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    assert.fail(`golden file test/golden/${name} is missing; review the output and create it with UPDATE_GOLDEN=1`);
  }
  const expected = fs.readFileSync(file);
  const got = Buffer.from(actual, 'utf8');
  if (expected.equals(got)) return;
  const d = unified(expected.toString('utf8'), actual, 3, [`test/golden/${name}`, 'actual']);
  assert.fail(`output differs from golden file test/golden/${name} (rerun with UPDATE_GOLDEN=1 only after reviewing):\n${d}`);
}
