/**
 * @fileoverview The shape of a check: metadata as data next to its code, like eslint rules.
 */
import type { Category, Finding, Severity } from '../findings';
import type { ConfigModel } from '../model/types';
import type { PolicyResult } from '../policy';
import type { ParsedDoc } from '../parse';

export type CheckMeta = {
  code: string;
  /** Short name, also the doc page's title. */
  title: string;
  category: Category;
  severity: Severity;
  /** 'safe' fixes only add; 'review' fixes change existing rules; 'none' has no fix. */
  fix: 'safe' | 'review' | 'none';
};

export type CheckContext = {
  doc: ParsedDoc;
  model: ConfigModel;
  policy: PolicyResult;
  report(f: Omit<Finding, 'code' | 'category' | 'severity'> & { severity?: Severity }): void;
};

export type Check = {
  meta: CheckMeta;
  run(ctx: CheckContext): void;
};

/** Docs page of a check (shipped in the repo). */
export const DOCS_BASE = 'https://github.com/panos-guard/panos-guard/blob/main/docs/rules/';
export function docsUrl(code: string): string {
  return `${DOCS_BASE}${code}.md`;
}
