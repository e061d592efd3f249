/**
 * @fileoverview The server's record of what changed since the last analysis (documents.ts
 * ChangeMap), checked against a brute-force origin map over random edit sequences.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeMap } from '../../server/src/documents';
import { mulberry32 as rng } from '../fuzz/mutators';

/** For each character of the current text, its offset in the base text (-1: inserted since). */
function applyBrute(origin: number[], a: number, b: number, len: number): number[] {
  return [...origin.slice(0, a), ...Array.from({ length: len }, () => -1), ...origin.slice(b)];
}

/** [s, e) of the current text is unchanged: its characters come, in order, from one base span. */
function contiguous(origin: number[], s: number, e: number): boolean {
  if (origin[s]! < 0) return false;
  for (let k = s + 1; k < e; k++) if (origin[k] !== origin[s]! + (k - s)) return false;
  return true;
}

for (const seed of [1, 2, 3, 4, 5]) {
  test(`ChangeMap maps exactly the unchanged spans, both ways, over 200 random edits (seed ${seed})`, () => {
    const r = rng(seed);
    const base = 2000;
    const m = new ChangeMap(base);
    let origin = Array.from({ length: base }, (_, k) => k);
    let mappedOld = 0;
    let mappedNew = 0;
    for (let i = 0; i < 200; i++) {
      const n = origin.length;
      const a = Math.floor(r() * (n + 1));
      const b = Math.min(n, a + (r() < 0.5 ? 0 : Math.floor(r() * 6)));
      const len = r() < 0.3 ? 0 : Math.floor(r() * 5);
      m.record(a, b, len);
      origin = applyBrute(origin, a, b, len);
      // Current spans: mapped iff unchanged, and then to the base span they came from.
      for (let k = 0; k < 40; k++) {
        const s = Math.floor(r() * origin.length);
        const e = Math.min(origin.length, s + 1 + Math.floor(r() * 30));
        const got = m.toOld(s, e);
        const want = contiguous(origin, s, e) ? { start: origin[s]!, end: origin[s]! + (e - s) } : undefined;
        assert.deepEqual(got, want, `edit #${i}: current [${s}, ${e})`);
        if (got) mappedOld++;
      }
      // Base spans: mapped iff every character survives, in order, in one current span.
      const where = new Map<number, number>();
      origin.forEach((o, k) => {
        if (o >= 0) where.set(o, k);
      });
      for (let k = 0; k < 40; k++) {
        const s = Math.floor(r() * base);
        const e = Math.min(base, s + 1 + Math.floor(r() * 30));
        const at = where.get(s);
        let ok = at !== undefined;
        for (let j = s; ok && j < e; j++) ok = where.get(j) === at! + (j - s);
        // A deletion between two surviving characters breaks the span too.
        if (ok && at !== undefined) ok = contiguous(origin, at, at + (e - s));
        const got = m.toNew(s, e);
        assert.deepEqual(got, ok ? { start: at!, end: at! + (e - s) } : undefined, `edit #${i}: base [${s}, ${e})`);
        if (got) mappedNew++;
      }
    }
    // The random spans are mostly away from the edits: most of them map.
    assert.ok(mappedOld > 4000 && mappedNew > 4000, `${mappedOld} / ${mappedNew} of 8000 mapped`);
  });
}

test('ChangeMap span: one edit covering every change, as the incremental analysis takes it', () => {
  const m = new ChangeMap(100);
  assert.equal(m.span(100, 100), undefined);
  m.record(10, 12, 5); // 100 -> 103
  m.record(50, 50, 1); // 103 -> 104
  assert.deepEqual(m.span(100, 104), { start: 10, oldEnd: 47, newEnd: 51 });
  m.replaceAll();
  assert.deepEqual(m.span(100, 7), { start: 0, oldEnd: 100, newEnd: 7 });
  assert.equal(m.toOld(0, 1), undefined);
  m.reset(7);
  assert.equal(m.changed, false);
  assert.deepEqual(m.toOld(2, 5), { start: 2, end: 5 });
});
