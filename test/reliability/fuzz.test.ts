/**
 * @fileoverview The fixed 500-case subset of the fuzz harness (test/fuzz/fuzz.ts, seed 1, cases
 * 0–499: the first 31 visit every mutation category once, the rest are drawn by weight), run inside
 * `npm test`. One test per category asserts that none of its cases failed (no exception, within
 * the time bound, spans inside the document, fixes keep well-formed XML well-formed).
 *
 * Cases that hit a known, reported product bug are split off into `todo` tests of their own (by
 * category and mutation note, below), so that the rest of each category keeps protecting; the
 * same bugs have minimal reproductions in scaling.test.ts. When a bug is fixed, delete its entry
 * here: its cases then count as ordinary cases again.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz, sampleFixes, type CaseResult, type FuzzReport } from '../fuzz/fuzz';
import { CATEGORIES } from '../fuzz/mutators';

const SEED = 1;
const CASES = 500;

/** Known product bugs (see docs/reliability.md, "What failed"), matched by category and note. */
const KNOWN: { id: string; match: (r: CaseResult) => boolean; why: string }[] = [];

let report: FuzzReport | undefined;

async function fuzzReport(): Promise<FuzzReport> {
  report ??= await runFuzz({ cases: CASES, seed: SEED, workers: 2, graceMs: 500, keepResults: true });
  return report;
}

describe(`fuzz: fixed ${CASES}-case subset (seed ${SEED})`, { timeout: 240_000 }, () => {
  test('the subset ran every case and visits every category', async () => {
    const r = await fuzzReport();
    assert.equal(r.results.length, CASES);
    assert.deepEqual(r.results.map((x) => x.index), Array.from({ length: CASES }, (_, i) => i));
    for (const c of CATEGORIES) assert.ok(r.categories[c.name]!.cases >= 1, `category ${c.name} has cases`);
    const wf = r.results.filter((x) => x.wellFormed);
    assert.ok(wf.length >= 40, `well-formed XML cases: ${wf.length}`);
    assert.ok(wf.reduce((n, x) => n + x.fixesChecked, 0) >= 40, 'fixes checked on well-formed XML');
  });

  for (const c of CATEGORIES) {
    test(`category ${c.name}`, async () => {
      const r = await fuzzReport();
      const mine = r.results.filter((x) => x.category === c.name && !KNOWN.some((k) => k.match(x)));
      const failed = mine.filter((x) => x.failures.length > 0);
      assert.deepEqual(
        failed.map((x) => `case ${x.index} ${x.source} (${x.note.slice(0, 100)}): ${x.failures.map((f) => `${f.kind}: ${f.detail.split('\n')[0]!.slice(0, 300)}`).join(' | ')}`),
        [],
      );
    });
  }

  for (const k of KNOWN) {
    test(`known bug ${k.id}: its cases pass`, { todo: k.why }, async () => {
      const r = await fuzzReport();
      const cases = r.results.filter((x) => KNOWN.find((kk) => kk.match(x)) === k);
      assert.deepEqual(
        cases.filter((x) => x.failures.length > 0).map((x) => `case ${x.index} [${x.category}] ${x.note.slice(0, 80)}: ${x.failures.map((f) => f.kind).join(', ')}`),
        [],
      );
    });
  }
});

describe('fuzz: fix sampling on huge cases', () => {
  test('every kind is kept once, the rest spread evenly, in document order', () => {
    const all = Array.from({ length: 1000 }, (_, i) => ({ from: i === 999 ? 'insert-rule-set' : i % 2 ? 'a suppress' : 'a', i }));
    const s = sampleFixes(all, 10);
    assert.deepEqual(s.map((x) => x.i), [0, 1, 142, 285, 428, 571, 714, 857, 999]);
    assert.deepEqual(sampleFixes(all.slice(0, 5), 10).map((x) => x.i), [0, 1, 2, 3, 4]);
  });
});
