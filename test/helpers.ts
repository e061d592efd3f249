/**
 * @fileoverview Shared test helpers: paths, corpus access, and ranges computed from the text
 * (never typed by hand) as json-languageservice's tests do.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex, type Range, type Span } from '../server/src/core/text';

/** Repository root (tests run from out/test/...). */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The shared corpus of public configs: read in place, never copied into the repo. */
export const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'SOURCES.md') out.push(p);
    }
  };
  if (fs.existsSync(CORPUS)) walk(CORPUS);
  return out.sort();
}

export function read(p: string): string {
  return fs.readFileSync(p, 'utf8');
}

/** Span of the n-th (0-based) occurrence of `needle` in `text`; throws if absent. */
export function spanOf(text: string, needle: string, n = 0, from = 0): Span {
  let at = text.indexOf(needle, from);
  for (let i = 0; i < n && at >= 0; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' (#${n}) not found`);
  return { start: at, end: at + needle.length };
}

/** Span of `needle` inside the first occurrence of `context` (e.g. a member inside one line). */
export function spanIn(text: string, context: string, needle: string): Span {
  const c = text.indexOf(context);
  if (c < 0) throw new Error(`context '${context}' not found`);
  const i = text.indexOf(needle, c);
  if (i < 0 || i + needle.length > c + context.length) throw new Error(`'${needle}' not inside '${context}'`);
  return { start: i, end: i + needle.length };
}

export function rangeOf(text: string, s: Span): Range {
  return new LineIndex(text).rangeOf(s);
}

/** LSP-style range from 0-based line/character pairs. */
export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** `text` with `from` replaced by `to`; `from` must occur exactly once (an edit of a fixture that silently missed would test the fixture as it was). */
export function editOnce(text: string, from: string | RegExp, to: string): string {
  const n = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, 'g')) ?? []).length;
  assert.equal(n, 1, `${String(from)} occurs once`);
  return text.replace(from, to);
}

/** A firewall config whose one vsys (vsys1) holds `inner` (2-space indentation, LF; vsys children at 10), as PAN-OS exports it. */
export function vsysXml(inner: string): string {
  return `<?xml version="1.0"?>
<config version="10.2.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
${inner}
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;
}
