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

/** Two edits conflict when they overlap or insert at the same offset. */
function conflicts(a: Edit, b: Edit): boolean {
  if (a.span.start === a.span.end && b.span.start === b.span.end) return a.span.start === b.span.start;
  return a.span.start < b.span.end && b.span.start < a.span.end || a.span.start === b.span.start;
}

/**
 * Picks whole fixes whose edits conflict with no fix picked before (eslint-style passes: the rest
 * waits for the next pass, after re-analysis). Returns the edits of the picked fixes.
 */
export function pickFixes(fixes: { edits: Edit[] }[]): { edits: Edit[]; picked: number } {
  const edits: Edit[] = [];
  let picked = 0;
  for (const f of fixes) {
    if (f.edits.some((e) => edits.some((x) => conflicts(e, x)))) continue;
    edits.push(...f.edits);
    picked++;
  }
  return { edits, picked };
}
