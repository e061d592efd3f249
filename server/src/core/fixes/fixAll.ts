/**
 * @fileoverview Applies fixes in passes (`lint --fix`, the property tests): each pass re-analyses the
 * text and applies the first fix of every finding that does not conflict with another, until
 * nothing changes (at most 10 passes).
 */
import { analyze, type AnalyzeOptions } from '../analyze';
import { applyEdits, pickFixes } from './apply';
import './index';

export function fixAll(text: string, opts: AnalyzeOptions, unsafe: boolean): { text: string; applied: number; passes: number } {
  let cur = text;
  let applied = 0;
  let passes = 0;
  for (; passes < 10; passes++) {
    const a = analyze(cur, opts);
    const fixes = a.findings.flatMap((f) => (f.fixes ?? []).filter((x) => x.safe || unsafe).slice(0, 1));
    // The final denies go after the last allow: place them only once no allow is still to be inserted,
    // so that an allow never lands behind a deny written in the same pass.
    const allowsFirst = fixes.filter((x) => x.kind !== 'insert-deny');
    const { edits, picked } = pickFixes(allowsFirst.some((x) => x.kind.startsWith('insert') || x.kind === 'add-custom-service') ? allowsFirst : fixes);
    if (picked === 0) break;
    const next = applyEdits(cur, edits).text;
    if (next === cur) break;
    cur = next;
    applied += picked;
  }
  return { text: cur, applied, passes };
}
