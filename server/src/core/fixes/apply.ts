/**
 * @fileoverview Applying text edits (CLI `--fix`, tests) and printing them as a unified diff.
 */
import type { Edit } from '../findings';

/** Applies non-overlapping edits; overlapping ones (after the first) are skipped and counted. */
export function applyEdits(text: string, edits: Edit[]): { text: string; skipped: number } {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.span.start - b.e.span.start || a.e.span.end - b.e.span.end || a.i - b.i)
    .map((x) => x.e);
  let out = '';
  let pos = 0;
  let skipped = 0;
  let lastInsertAt = -1;
  for (const e of sorted) {
    if (e.span.start < pos || (e.span.start === e.span.end && e.span.start === lastInsertAt && e.newText === '')) {
      skipped++;
      continue;
    }
    out += text.slice(pos, e.span.start) + e.newText;
    pos = e.span.end;
    if (e.span.start === e.span.end) lastInsertAt = e.span.start;
  }
  out += text.slice(pos);
  return { text: out, skipped };
}

/** A minimal unified diff (whole-file hunks by changed line ranges), for `--fix-dry-run`. */
export function unifiedDiff(file: string, a: string, b: string): string {
  const la = a.split(/\r?\n/);
  const lb = b.split(/\r?\n/);
  let start = 0;
  while (start < la.length && start < lb.length && la[start] === lb[start]) start++;
  let ea = la.length - 1;
  let eb = lb.length - 1;
  while (ea >= start && eb >= start && la[ea] === lb[eb]) {
    ea--;
    eb--;
  }
  const ctx = 3;
  const s = Math.max(0, start - ctx);
  const endA = Math.min(la.length - 1, ea + ctx);
  const endB = Math.min(lb.length - 1, eb + ctx);
  const out = [`--- ${file}`, `+++ ${file} (fixed)`, `@@ -${s + 1},${endA - s + 1} +${s + 1},${endB - s + 1} @@`];
  for (let i = s; i < start; i++) out.push(` ${la[i]}`);
  for (let i = start; i <= ea; i++) out.push(`-${la[i]}`);
  for (let i = start; i <= eb; i++) out.push(`+${lb[i]}`);
  for (let i = ea + 1; i <= endA; i++) out.push(` ${la[i]}`);
  return out.join('\n');
}

/**
 * Two edits conflict when they overlap or start at the same offset (for two inserts: the same offset).
 * For a set of edits already taken, a candidate conflicts when one of them starts where it starts, or
 * when one starting before its end ends after its start.
 */
class TakenSpans {
  /** Every start offset an edit may have, sorted and unique (the Fenwick tree's positions). */
  private readonly starts: number[];
  /** Fenwick tree over `starts`: the greatest end of the taken edits starting at or before a position. */
  private readonly maxEnd: Float64Array;
  private readonly takenStarts = new Set<number>();

  constructor(allStarts: number[]) {
    this.starts = [...new Set(allStarts)].sort((a, b) => a - b);
    this.maxEnd = new Float64Array(this.starts.length).fill(-Infinity);
  }

  /** Number of known starts below `offset`. */
  private below(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  conflicts(e: Edit): boolean {
    if (this.takenStarts.has(e.span.start)) return true;
    // The greatest end among taken edits starting before e ends.
    let best = -Infinity;
    for (let i = this.below(e.span.end) - 1; i >= 0; i = (i & (i + 1)) - 1) best = Math.max(best, this.maxEnd[i]!);
    return best > e.span.start;
  }

  add(e: Edit): void {
    this.takenStarts.add(e.span.start);
    for (let i = this.below(e.span.start); i < this.starts.length; i |= i + 1) this.maxEnd[i] = Math.max(this.maxEnd[i]!, e.span.end);
  }
}

/**
 * Picks whole fixes whose edits conflict with no fix picked before (eslint-style passes: the rest
 * waits for the next pass, after re-analysis). Returns the edits of the picked fixes. Conflicts are
 * looked up in an index of the edits taken so far: comparing each fix with every edit taken before
 * was O(fixes^2), and `lint --fix --unsafe-fixes` has a fix for nearly every finding.
 */
export function pickFixes(fixes: { edits: Edit[] }[]): { edits: Edit[]; picked: number } {
  const taken = new TakenSpans(fixes.flatMap((f) => f.edits.map((e) => e.span.start)));
  const edits: Edit[] = [];
  let picked = 0;
  for (const f of fixes) {
    if (f.edits.some((e) => taken.conflicts(e))) continue;
    for (const e of f.edits) taken.add(e);
    edits.push(...f.edits);
    picked++;
  }
  return { edits, picked };
}
