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
import { runFuzz, type CaseResult, type FuzzReport } from '../fuzz/fuzz';
import { CATEGORIES } from '../fuzz/mutators';

const SEED = 1;
const CASES = 500;

/** Known product bugs (see docs/reliability.md, "What failed"), matched by category and note. */
const KNOWN: { id: string; match: (r: CaseResult) => boolean; why: string }[] = [
  {
    id: 'set-path-quadratic',
    match: (r) => (r.category === 'long-line-set-path' && /keyword tokens/.test(r.note)) || (r.category === 'deep-nesting-set' && /keywords|list\/entry pairs/.test(r.note)),
    why: 'BUG parse/set.ts isList(): walks every ancestor up to the nearest `entry` for each token, O(tokens^2) on a long path without entries (`set a a a …`: 20,000 tokens 1.4–3.4 s; a 5 MB line never finishes)',
  },
  {
    id: 'set-members-quadratic',
    match: (r) => r.category === 'list-100k-set' || r.category === 'long-line-set-members',
    why: 'BUG parse/set.ts addValue(): linear duplicate scan of node.values for every member, O(members^2) (100,000 members in a bracket list or as 100,000 lines: over a minute; XML takes 1.2 s)',
  },
  {
    id: 'set-quoted-tokens-quadratic',
    match: (r) => r.category === 'long-line-set-path' && /quoted tokens/.test(r.note),
    why: 'BUG parse/set.ts tokenizeLine(): every double-quoted token rescans the rest of its logical line (logicalEnd, the quote count, /\\s"/ on text.slice(e+1, lineEnd)), O(tokens x line length): 8,000 quoted tokens on one 32 KB line take 1.2 s; a 5 MB line never finishes',
  },
  {
    id: 'xml-entities-in-value-quadratic',
    match: (r) => r.category === 'giant-attribute' && /"&amp;"/.test(r.note) && /^entry name/.test(r.note),
    why: 'BUG parse/xml.ts decodeText(): for every entity it searches the next "<" from the current position through the whole document (text.indexOf(\'<\', p) is not bounded by `to`), O(entities x distance): a 1.3 MB attribute of 262,144 "&amp;" takes 2.6-2.9 s to decode (bound 2.5 s), larger ones far longer',
  },
  {
    id: 'one-line-indent-walk',
    match: (r) => r.category === 'long-line-xml',
    why: 'BUG fixes/edits.ts detectUnit()/indentOf(): walks back to the line start for each of the first 200 parent elements and their first child, per editor (every analysis with fixes, every suppressFix and ruleSetFix): ~400 x line length character reads; a 5 MB one-line config analyses in 1.5-2 s in a fresh process but 11.5-12.9 s (bound 10 s) after ~100 earlier analyses in the same process (seed 1 cases 15899, 19692)',
  },
  {
    id: 'fixes-per-finding-scan-all-rules',
    match: (r) => r.category === 'list-100k-xml' && /rules/.test(r.note),
    why: 'BUG fixes/index.ts profileFixes() -> fixes/plan.ts pickProfiles(): for every PANO020/PANO021 finding it walks and counts all rules of all rulebases, O(findings x rules): 4,000 allow-any rules (212 KB) take 8.7 s with fixes (0.35 s without); 100,000 rules never finish',
  },
];

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
