/**
 * @fileoverview Property test of `fixAll` over every scenario fixture (both forms) and every corpus
 * file (as is, and with a Panorama address given on the "command line" so Panorama-less firewall
 * configs get something to fix): with safe fixes only and with unsafe fixes too,
 * - XML stays well-formed for an independent strict parser (fast-xml-parser's XMLValidator);
 * - the text re-parses with no syntax finding beyond those the original had;
 * - no `missing` finding (PANO001/002/003) remains;
 * - every original rule and object `<entry>` (XML) / every original line (set) survives byte for
 *   byte and in the same relative order — except a member that an unsafe fix of the original
 *   analysis explicitly replaces (then only that member may differ);
 * - a second fixAll pass is a no-op.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { analyze, type AnalyzeOptions } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { fixAll } from '../../server/src/core/fixes/fixAll';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import type { Finding } from '../../server/src/core/findings';
import type { Span } from '../../server/src/core/text';
import { CORPUS, FIXTURES, corpusFiles } from '../helpers';
import { scenarios } from '../scenarios/scenarios';

type Input = { label: string; text: string; opts: AnalyzeOptions };

const inputs: Input[] = [];
for (const s of scenarios) {
  const dir = path.join(FIXTURES, 'scenarios', s.name);
  const { env, problems } = parseEnvFile(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8'));
  assert.deepEqual(problems, []);
  for (const form of ['xml', 'set']) inputs.push({ label: `scenario ${s.name}/config.${form}`, text: fs.readFileSync(path.join(dir, `config.${form}`), 'utf8'), opts: { env } });
}
const corpus = corpusFiles();
for (const f of corpus) {
  const rel = path.relative(CORPUS, f);
  const text = fs.readFileSync(f, 'utf8');
  inputs.push({ label: `corpus ${rel}`, text, opts: {} });
  inputs.push({ label: `corpus ${rel} --panorama 192.0.2.50`, text, opts: { cli: { panorama: ['192.0.2.50'] } } });
}

/** Known product bugs (reported), by input label prefix. */
// Known product bugs (todo with a report); all once listed here are fixed.
const KNOWN: { match: (label: string) => boolean; why: string }[] = [];

// -------------------------------------------------------------------------------------------------
// XML: the text of every <entry> directly under an object or rule container, outermost only.

const CONTAINERS = new Set(['rules', 'address', 'address-group', 'service', 'service-group', 'application-group', 'application-filter', 'application', 'tag', 'external-list', 'profile-group', 'zone', 'schedule']);

type XEntry = { start: number; end: number; container: string };

/** A small, independent tag scanner (quote-aware, skips comments, CDATA, PIs and DOCTYPE). */
export function xmlEntries(text: string): XEntry[] {
  const out: XEntry[] = [];
  const stack: { name: string; start: number; recorded: boolean }[] = [];
  const inRecorded = (): boolean => stack.some((s) => s.recorded);
  let i = 0;
  while (true) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      i = e < 0 ? text.length : e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt);
      i = e < 0 ? text.length : e + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const e = text.indexOf('>', lt);
      i = e < 0 ? text.length : e + 1;
      continue;
    }
    // Find the tag end, honouring quotes.
    let j = lt + 1;
    let q = '';
    for (; j < text.length; j++) {
      const c = text[j]!;
      if (q) {
        if (c === q) q = '';
      } else if (c === '"' || c === "'") q = c;
      else if (c === '>') break;
    }
    const tag = text.slice(lt, j + 1);
    i = j + 1;
    if (tag.startsWith('</')) {
      const name = tag.slice(2, -1).trim();
      const top = stack.pop();
      assert.ok(top && top.name === name, `scanner: </${name}> closes <${top?.name}>`);
      const parent = stack[stack.length - 1];
      if (top.recorded && parent) out.push({ start: top.start, end: i, container: parent.name });
      continue;
    }
    const name = /^<([^\s/>]+)/.exec(tag)![1]!;
    const parent = stack[stack.length - 1];
    const record = name === 'entry' && !!parent && CONTAINERS.has(parent.name) && !inRecorded();
    if (tag.endsWith('/>')) {
      if (record) out.push({ start: lt, end: i, container: parent!.name });
      continue;
    }
    stack.push({ name, start: lt, recorded: record });
  }
  return out.sort((a, b) => a.start - b.start);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Holes: spans of the original text that unsafe fixes replace (each must be one member). */
function unsafeHoles(text: string, findings: Finding[], form: string): Span[] {
  const holes: Span[] = [];
  for (const f of findings) {
    for (const x of f.fixes ?? []) {
      if (x.safe) continue;
      for (const e of x.edits) {
        if (e.span.start === e.span.end) continue;
        const old = text.slice(e.span.start, e.span.end);
        if (form === 'xml') assert.match(old.trim(), /^<member>[^<]*<\/member>$/, `an unsafe fix (${x.kind}) replaces exactly one member, not ${JSON.stringify(old)}`);
        else assert.match(old.trim(), /^(?:"[^"]*"|'[^']*'|[^\s"'[\]]+)$|^set .*\n?$/, `an unsafe fix (${x.kind}) replaces one token (or removes one line), not ${JSON.stringify(old)}`);
        holes.push(e.span);
      }
    }
  }
  return holes.sort((a, b) => a.start - b.start);
}

const XML_HOLE = '(?:<member>[^<]*</member>(?:\\s*<member>[^<]*</member>)*)?';
const SET_HOLE = '(?:\\[ (?:[^\\]"]|"[^"]*")* \\]|"[^"]*"|\'[^\']*\'|[^\\s"\'[\\]]+)';

/** Regex for `text[start,end)` with the holes inside it replaced by `hole`. */
function withHoles(text: string, start: number, end: number, holes: Span[], hole: string): RegExp | undefined {
  const inside = holes.filter((h) => h.start >= start && h.end <= end);
  if (inside.length === 0) return undefined;
  let re = '';
  let p = start;
  for (const h of inside) {
    re += escapeRe(text.slice(p, h.start)) + hole;
    p = h.end;
  }
  re += escapeRe(text.slice(p, end));
  return new RegExp(re, 'g');
}

function checkXmlEntriesSurvive(orig: string, out: string, holes: Span[]): void {
  const entries = xmlEntries(orig);
  let pos = 0;
  for (const e of entries) {
    const re = withHoles(orig, e.start, e.end, holes, XML_HOLE);
    const snippet = orig.slice(e.start, Math.min(e.end, e.start + 80));
    if (!re) {
      const at = out.indexOf(orig.slice(e.start, e.end), pos);
      assert.ok(at >= 0, `original <entry> under <${e.container}> survives byte for byte and in order: ${snippet}…`);
      pos = at + (e.end - e.start);
    } else {
      re.lastIndex = pos;
      const m = re.exec(out);
      assert.ok(m, `original <entry> under <${e.container}> survives except the member an unsafe fix replaces: ${snippet}…`);
      pos = m.index + m[0].length;
    }
  }
}

function checkSetLinesSurvive(orig: string, out: string, holes: Span[]): void {
  const outLines = out.split(/\r?\n/);
  let k = 0;
  let start = 0;
  for (const raw of orig.split('\n')) {
    const end = start + raw.length;
    const line = raw.replace(/\r$/, '');
    const lineEnd = start + line.length;
    const cur = start;
    start = end + 1;
    if (line === '') continue;
    // A line an unsafe fix removes as a whole may be gone.
    if (holes.some((h) => h.start <= cur && h.end >= lineEnd && h.end > h.start && orig.slice(h.start, h.end).trim() === line.trim())) continue;
    const re = withHoles(orig, cur, lineEnd, holes, SET_HOLE);
    let found = -1;
    for (let j = k; j < outLines.length; j++) {
      if (re ? new RegExp(`^${re.source}$`).test(outLines[j]!) : outLines[j] === line) {
        found = j;
        break;
      }
    }
    assert.ok(found >= 0, `original line survives in order: ${line}`);
    k = found + 1;
  }
}

/** The member lists a narrowing fix may rewrite (application, service, source), blanked in XML. */
function blankMembers(t: string): string {
  return t
    .replace(/(<(application|service|source)>)[\s\S]*?(<\/\2>)/g, '$1…$3')
    .replace(/\s*<(profile-setting|log-setting|log-end)>[\s\S]*?<\/\1>|\s*<profile-setting\/>/g, '');
}

/** The same for set lines: the value after a rule's application/service/source keyword. */
function blankSetMembers(t: string): string {
  return t.replace(/( security rules (?:"[^"]*"|'[^']*'|\S+) (application|service|source) ).*$/gm, '$1…');
}

function syntaxOf(fs_: Finding[]): string[] {
  return fs_.filter((f) => f.category === 'syntax').map((f) => `${f.code} ${f.message}`).sort();
}

describe('fixAll property over scenarios and corpus', () => {
  test('the corpus is there and the list of inputs is complete', () => {
    assert.ok(corpus.length >= 20, `corpus files found: ${corpus.length}`);
    assert.equal(inputs.length, scenarios.length * 2 + corpus.length * 2);
  });

  test('xmlEntries: entries under containers, outermost only, in order', () => {
    const t = '<c><address><entry name="a"><x a=">"/></entry><entry name="b"/></address><!-- <rules><entry/></rules> --><rules><entry name="r"><tag><entry name="n"/></tag></entry></rules></c>';
    const e = xmlEntries(t).map((x) => t.slice(x.start, x.end));
    assert.deepEqual(e, ['<entry name="a"><x a=">"/></entry>', '<entry name="b"/>', '<entry name="r"><tag><entry name="n"/></tag></entry>']);
  });

  for (const inp of inputs) {
    for (const unsafe of [false, true]) {
      const known = KNOWN.find((k) => k.match(inp.label));
      test(`${inp.label} (${unsafe ? 'safe + unsafe' : 'safe'} fixes)`, known ? { todo: known.why } : {}, () => {
        const before = analyze(inp.text, inp.opts);
        const form = before.doc.format;
        const r = fixAll(inp.text, inp.opts, unsafe);
        const out = r.text;
        const after = analyze(out, inp.opts);
        assert.equal(after.doc.format, form, 'the format stays');
        if (form === 'xml') {
          const v = XMLValidator.validate(out);
          assert.equal(v, true, `well-formed XML after fixAll: ${JSON.stringify(v)}`);
        }
        const synBefore = syntaxOf(before.findings);
        const synAfter = syntaxOf(after.findings);
        for (const s of synAfter) assert.ok(synBefore.includes(s), `no new syntax finding: ${s}`);
        assert.ok(synAfter.length <= synBefore.length, 'no more syntax findings than before');
        assert.deepEqual(
          after.findings.filter((f) => f.category === 'missing').map((f) => `${f.code} ${f.message}`),
          [],
          'no missing finding remains',
        );
        const holes = unsafe ? unsafeHoles(inp.text, before.findings, form) : [];
        if (!unsafe) {
          if (form === 'xml') checkXmlEntriesSurvive(inp.text, out, holes);
          else checkSetLinesSurvive(inp.text, out, holes);
        } else {
          // Unsafe fixes change existing rules in named ways only (a member list narrowed, a profile group
          // or log forwarding attached), possibly in a later pass whose spans are not in the original:
          // compare with exactly those parts blanked out.
          if (form === 'xml') checkXmlEntriesSurvive(blankMembers(inp.text), blankMembers(out), []);
          else checkSetLinesSurvive(blankSetMembers(inp.text), blankSetMembers(out), []);
        }
        const again = fixAll(out, inp.opts, unsafe);
        assert.equal(again.applied, 0, 'a second pass applies nothing');
        assert.equal(again.text, out, 'a second pass is a no-op');
        if (!unsafe) {
          // Safe fixes only add: every original byte is still there, in order.
          assert.ok(isSubsequence(inp.text, out), 'safe fixes only insert (or expand a self-closing container)');
        }
      });
    }
  }
});

/** `a` is a subsequence of `b` modulo `<x/>` → `<x>…</x>` expansion. */
function isSubsequence(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/<([A-Za-z-]+)\s*\/>/g, '<$1>');
  const x = norm(a);
  const y = norm(b);
  let i = 0;
  for (let j = 0; j < y.length && i < x.length; j++) if (x[i] === y[j]) i++;
  return i === x.length;
}
