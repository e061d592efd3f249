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
    const { edits, picked } = pickFixes(fixes);
    if (picked === 0) break;
    const next = applyEdits(cur, edits).text;
    if (next === cur) break;
    cur = next;
    applied += picked;
  }
  return { text: cur, applied, passes };
}
