/**
 * @fileoverview What the analysis reports: findings with spans, related locations and fixes.
 * Offsets only; the CLI and the server convert them to line/character at the edge.
 */
import type { Span } from './text';

export type Category = 'missing' | 'overbroad' | 'hygiene' | 'syntax';
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text edit: replace `span` of the analysed document with `newText` (empty span = insert). */
export type Edit = { span: Span; newText: string };

export type Fix = {
  title: string;
  edits: Edit[];
  /** Safe fixes only add (objects, allow rules, the deny rule); others change existing policy. */
  safe: boolean;
  /** Stable key of the fix kind, for tests and `data`. */
  kind: string;
};

export type Related = { message: string; span: Span };

export type Finding = {
  code: string;
  category: Category;
  severity: Severity;
  message: string;
  span: Span;
  rule?: string;
  rulebase?: string;
  catalogId?: string;
  flowId?: string;
  related?: Related[];
  fixes?: Fix[];
};

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Code-unit order: deterministic, and far cheaper than `localeCompare` on 500,000 findings. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(f: Finding[]): Finding[] {
  return f.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || cmp(a.code, b.code) || cmp(a.message, b.message));
}
