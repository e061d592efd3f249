/**
 * @fileoverview The incremental re-analysis gives exactly what a from-scratch analysis gives, over
 * many random edits (seeded), and takes its fast path for edits inside one rule.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze, type Analysis, type AnalyzeOptions } from '../../server/src/core/analyze';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { reanalyze, type SpanEdit } from '../../server/src/core/incremental';
import { fixesForFinding } from '../../server/src/core/fixes';
import { suppressFix } from '../../server/src/core/fixes/suppress';
import { allRulebases, type Rule } from '../../server/src/core/model/types';
import { detectFormat } from '../../server/src/core/parse';
import { SNode, XNode } from '../../server/src/core/parse/tree';
import { generate } from '../../bench/generate';
import { CORPUS, FIXTURES, corpusFiles } from '../helpers';
import { mulberry32 as rng } from '../fuzz/mutators';
import { assertSame, expectFallback, flowRemoved, lazyFields, loc, stepThrough, syntaxFindings, usedNames, type Step } from './sameAnalysis';

const SNIPPETS = ['x', ' ', 'ntp', '<', '>', '&amp;', '"', '</member>', '<member>dns</member>', '<member>any</member>', ''];
/** For the set form: tokens, quotes, brackets, line breaks, keywords. */
const SET_SNIPPETS = ['x', ' ', 'ntp', '"', "'", '[', ']', '[ dns ssh ]', ' any', '\n', '\nset ', ' application ', ' description "a b"', '#', ''];

/** A random edit strictly inside a rule entry of the current analysis (or anywhere, now and then). */
function randomEdit(a: Analysis, text: string, r: () => number): { edit: SpanEdit; text: string } {
  const rules = a.model ? allRulebases(a.model).flatMap((rb) => rb.rules) : [];
  let start: number;
  let end: number;
  const rule = rules[Math.floor(r() * rules.length)];
  const members = rule ? [...rule.application.items, ...rule.source.items, ...rule.destination.items, ...rule.service.items] : [];
  const m = members[Math.floor(r() * members.length)];
  const roll = r();
  if (m && roll < 0.8) {
    // Typing inside a member value: insert a letter, delete one, or replace the value.
    const kind = r();
    if (kind < 0.4) {
      start = end = m.span.start + Math.floor(r() * (m.span.end - m.span.start + 1));
      const ins = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)]!;
      return { edit: { start, oldEnd: end, newEnd: start + 1 }, text: text.slice(0, start) + ins + text.slice(end) };
    }
    if (kind < 0.7 && m.span.end > m.span.start) {
      start = m.span.start + Math.floor(r() * (m.span.end - m.span.start));
      return { edit: { start, oldEnd: start + 1, newEnd: start }, text: text.slice(0, start) + text.slice(start + 1) };
    }
    const v = ['any', 'ntp', 'dns', 'ssh', 'panorama', 'application-default', 'ssl', 'panorama-peer', '10.10.10.5'][Math.floor(r() * 9)]!;
    return { edit: { start: m.span.start, oldEnd: m.span.end, newEnd: m.span.start + v.length }, text: text.slice(0, m.span.start) + v + text.slice(m.span.end) };
  }
  if (rule && rule.node instanceof SNode && roll >= 0.9 && roll < 0.97) {
    // Whole lines at a line start: a copy of a line pasted, its entry often renamed (a new entry), or lines deleted.
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const at = starts[Math.floor(r() * starts.length)]!;
    if (roll < 0.95) {
      const from = starts[Math.floor(r() * starts.length)]!;
      const nl = text.indexOf('\n', from);
      const line = text.slice(from, nl < 0 ? text.length : nl);
      const ins = (r() < 0.7 ? line.replace(/ (rules|address|service|address-group|service-group|tag|zone) ("[^"]*"|\S+)/, (_m, kw: string, nm: string) => ` ${kw} ${nm.startsWith('"') ? `${nm.slice(0, -1)} copy"` : `${nm}-copy`}`) : line) + '\n';
      return { edit: { start: at, oldEnd: at, newEnd: at + ins.length }, text: text.slice(0, at) + ins + text.slice(at) };
    }
    let end = at;
    for (let k = 1 + Math.floor(r() * 3); k > 0 && end < text.length; k--) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    return { edit: { start: at, oldEnd: end, newEnd: at }, text: text.slice(0, at) + text.slice(end) };
  }
  if (rule && rule.node instanceof XNode && roll < 0.9) {
    const d = rule.node.doc;
    const s = d.start[rule.node.index]!;
    const e = d.end[rule.node.index]!;
    start = s + 1 + Math.floor(r() * Math.max(1, e - s - 2));
    end = Math.min(e - 1, start + Math.floor(r() * 4));
  } else if (rule && rule.node instanceof SNode && roll < 0.9) {
    // Anywhere in the rule's lines, often after its name on its first line.
    const n = rule.node;
    start = n.first + Math.floor(r() * Math.max(1, n.last - n.first));
    end = Math.min(n.last, start + Math.floor(r() * 4));
    const ins = SET_SNIPPETS[Math.floor(r() * SET_SNIPPETS.length)]!;
    return { edit: { start, oldEnd: end, newEnd: start + ins.length }, text: text.slice(0, start) + ins + text.slice(end) };
  } else {
    start = Math.floor(r() * text.length);
    end = Math.min(text.length, start + Math.floor(r() * 3));
  }
  const ins = SNIPPETS[Math.floor(r() * SNIPPETS.length)]!;
  return { edit: { start, oldEnd: end, newEnd: start + ins.length }, text: text.slice(0, start) + ins + text.slice(end) };
}

for (const [scenario, file] of ['fw-flow-removed', 'fw-ssh28-application-default', 'panorama-dg', 'fw-fqdn-dynamic'].flatMap((x) => [[x, 'config.xml'] as const, [x, 'config.set'] as const])) {
  test(`incremental = from scratch over 150 random edits (${scenario} ${file})`, () => {
    const dir = path.join(FIXTURES, 'scenarios', scenario);
    const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
    const opts: AnalyzeOptions = { env, fixes: false };
    let text = fs.readFileSync(path.join(dir, file), 'utf8');
    let a = analyze(text, opts);
    const r = rng(7);
    let fast = 0;
    const whys = new Map<string, number>();
    const original = text;
    for (let i = 0; i < 150; i++) {
      // Every 15 edits, back to the original text (so that destructive edits do not pile up forever).
      const next = i % 15 === 14 ? { edit: { start: 0, oldEnd: text.length, newEnd: original.length }, text: original } : randomEdit(a, text, r);
      const inc = reanalyze(a, next.text, next.edit, opts);
      const scratch = analyze(next.text, opts);
      assertSame(inc.analysis, scratch, `edit #${i} ${JSON.stringify(next.edit)} (${inc.incremental ? 'incremental' : 'full'})`);
      if (inc.incremental) fast++;
      else whys.set(inc.why ?? '', (whys.get(inc.why ?? '') ?? 0) + 1);
      text = next.text;
      a = inc.analysis;
    }
    // Most edits inside a rule keep the entry well-formed (or the set line readable) and take the fast path.
    assert.ok(fast >= 30, `fast path taken ${fast} times; full because: ${JSON.stringify([...whys])}`);
  });
}

test('an edit inside a rule that keeps it well-formed takes the fast path; fixes still match', () => {
  const dir = path.join(FIXTURES, 'scenarios', 'fw-flow-removed');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const opts: AnalyzeOptions = { env };
  const text = fs.readFileSync(path.join(dir, 'config.xml'), 'utf8');
  const a = analyze(text, opts);
  // Put NTP back into the services rule: the blocked flow finding goes away.
  const at = text.indexOf('<member>syslog</member>', text.indexOf('<entry name="Panorama to services">'));
  const ins = '<member>ntp</member>';
  const next = text.slice(0, at) + ins + text.slice(at);
  const r = reanalyze(a, next, { start: at, oldEnd: at, newEnd: at + ins.length }, opts);
  assert.equal(r.incremental, true);
  assert.deepEqual(r.analysis.findings, []);
  // And back: the finding (with its fix) returns, exactly as from scratch.
  const back = reanalyze(r.analysis, text, { start: at, oldEnd: at + ins.length, newEnd: at }, opts);
  assert.equal(back.incremental, true);
  const scratch = analyze(text, opts);
  assert.deepEqual(
    back.analysis.findings.map((f) => [f.code, f.message, f.span, (f.fixes ?? []).map((x) => [x.title, x.edits])]),
    scratch.findings.map((f) => [f.code, f.message, f.span, (f.fixes ?? []).map((x) => [x.title, x.edits])]),
  );
});

for (const file of ['config.xml', 'config.set']) test(`the rule an incremental edit replaces still answers with what it held before the edit (${file})`, () => {
  // finish() asks the replaced rule what it matched; its fields are read lazily, and in XML its text
  // is replaced under it by the edit: what it had not read yet must be read before the edit lands.
  const dir = path.join(FIXTURES, 'scenarios', 'fw-flow-removed');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const opts: AnalyzeOptions = { env, fixes: false };
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  for (const name of ['Panorama to services', 'Deny other to Panorama', 'Users to Internet']) {
    const fresh = analyze(text, opts);
    const expected = allRulebases(fresh.model!).flatMap((rb) => rb.rules).find((r) => r.name === name)!;
    const want = { ...lazyFields(expected) as object, lists: [expected.from, expected.to, expected.source, expected.destination, expected.application, expected.service].map((l) => l.items.map(loc)), action: loc(expected.actionValue) };
    // A second analysis, whose rule has read nothing but what the analysis asked of it.
    const a = analyze(text, opts);
    const old = allRulebases(a.model!).flatMap((rb) => rb.rules).find((r) => r.name === name)!;
    // Type a few characters at the start of the rule's first member list, before everything it holds.
    const first = [old.from, old.to, old.source, old.destination].find((l) => l.items.length > 0)!.items[0]!;
    const at = first.span.start;
    const next = text.slice(0, at) + 'xyz' + text.slice(at);
    const inc = reanalyze(a, next, { start: at, oldEnd: at, newEnd: at + 3 }, opts);
    assert.equal(inc.incremental, true, inc.why);
    assert.notEqual(allRulebases(inc.analysis.model!).flatMap((rb) => rb.rules).find((r) => r.name === name), old, 'the rule was replaced');
    assert.deepEqual({ ...lazyFields(old) as object, lists: [old.from, old.to, old.source, old.destination, old.application, old.service].map((l) => l.items.map(loc)), action: loc(old.actionValue) }, want);
  }
});

for (const format of ['xml', 'set'] as const) test(`incremental = from scratch on a generated ${format} firewall where most rules are not Panorama rules (reuse path)`, async () => {
  const { generate } = await import('../../bench/generate.js');
  let text = generate({ kind: 'firewall', format, targetBytes: 300 * 1024, seed: 3 });
  const opts: AnalyzeOptions = { env: { panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }, fixes: false };
  let a = analyze(text, opts);
  const r = rng(11);
  const whys = new Map<string, number>();
  const original = text;
  for (let i = 0; i < 120; i++) {
    const next = i % 15 === 14 ? { edit: { start: 0, oldEnd: text.length, newEnd: original.length }, text: original } : randomEdit(a, text, r);
    const inc = reanalyze(a, next.text, next.edit, opts);
    const scratch = analyze(next.text, opts);
    assertSame(inc.analysis, scratch, `edit #${i} ${JSON.stringify(next.edit)} (${inc.why ?? 'incremental'})`);
    const w = inc.incremental ? (inc.why ?? 'incremental, re-evaluated') : `full: ${inc.why}`;
    whys.set(w, (whys.get(w) ?? 0) + 1);
    text = next.text;
    a = inc.analysis;
  }
  // Both fast paths are exercised (and each result equals the from-scratch one, above).
  assert.ok((whys.get('no Panorama-relevant rule changed') ?? 0) >= 5, JSON.stringify([...whys]));
  assert.ok((whys.get('incremental, re-evaluated') ?? 0) >= 20, JSON.stringify([...whys]));
});

/**
 * As the language server does: findings without fixes, fixes computed on demand per finding. Sixty
 * spaces typed, each inside a random rule at `spaceAt`; after each, every finding's fixes and
 * suppress fix equal a from-scratch analysis's, and every edit takes the fast path.
 */
function fixesAfterSpaces(file: string, extraRules: (text: string) => string, spaceAt: (text: string, rule: Rule) => number): void {
  const dir = path.join(FIXTURES, 'scenarios', 'fw-application-any');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const opts: AnalyzeOptions = { env, fixes: false };
  let text = extraRules(fs.readFileSync(path.join(dir, file), 'utf8'));
  let a = analyze(text, opts);
  const key = (an: Analysis): unknown =>
    an.findings.map((f) => [f.code, f.rule ?? '', f.span.start, fixesForFinding(an, f).map((x) => [x.title, x.edits]), suppressFix(an, f)?.edits ?? null]);
  const r = rng(5);
  let fast = 0;
  for (let i = 0; i < 60; i++) {
    const rules = allRulebases(a.model!).flatMap((rb) => rb.rules);
    const rule = rules[Math.floor(r() * rules.length)]!;
    const at = spaceAt(text, rule);
    const next = text.slice(0, at) + ' ' + text.slice(at);
    const inc = reanalyze(a, next, { start: at, oldEnd: at, newEnd: at + 1 }, opts);
    if (inc.incremental) fast++;
    assert.deepEqual(key(inc.analysis), key(analyze(next, opts)), `edit #${i} in rule '${rule.name}' (${inc.why ?? 'incremental'})`);
    text = next;
    a = inc.analysis;
  }
  assert.equal(fast, 60, 'every edit takes the fast path');
}

test('fixes asked for after incremental re-analyses equal those of a from-scratch analysis (fw-application-any)', () => {
  fixesAfterSpaces(
    'config.xml',
    // Two more allow rules after the first, so that a rule re-read on its own sits far from offset 0.
    (text) => {
      const rulesEnd = text.indexOf('</rules>');
      const extra = ['r1', 'r2'].map((n) => `<entry name="${n}"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>`).join('');
      return text.slice(0, rulesEnd) + extra + text.slice(rulesEnd);
    },
    // Right after the entry's start tag (it stays well-formed).
    (text, rule) => {
      const node = rule.node as XNode;
      return text.indexOf('>', node.doc.start[node.index]!) + 1;
    },
  );
});

test('fixes asked for after incremental re-analyses equal those of a from-scratch analysis (fw-application-any, set form)', () => {
  fixesAfterSpaces(
    'config.set',
    (text) => {
      const prefix = /^set (.*?)rulebase security rules /m.exec(text)![1]!;
      return text + ['r1', 'r2'].map((n) => `set ${prefix}rulebase security rules ${n} from any to any source any destination any application any service any action allow\n`).join('');
    },
    // Right after the rule's name, on the line that names it first.
    (_text, rule) => (rule.node as SNode).nameSpan!.end + 1,
  );
});

test('a syntax error typed into a set line of a rule stays on that line: the fast path re-reads the rule with it, and without it once repaired', () => {
  const { opts, text } = flowRemoved('config.set');
  assert.deepEqual(syntaxFindings(analyze(text, opts)), []);
  // Each step: what, where (found in the current text), characters deleted, inserted, and the syntax findings after it.
  const appLine = 'set rulebase security rules "Panorama to services" application [ dns syslog';
  const logLine = 'set rulebase security rules "Panorama to services" log-setting ';
  const open = (t: string): number => t.indexOf(appLine) + appLine.indexOf('[');
  const bracket = (t: string): number => t.indexOf(appLine) + appLine.length + 1;
  const logAt = (t: string): number => t.indexOf(logLine) + logLine.length;
  const notClosed = (t: string): unknown => ["'[' is not closed by ']'", open(t), open(t) + 1];
  // `"fwd-logs` to the end of its line: the next line starts a command, so the quote stops there.
  const unterminated = (t: string): unknown => ['Unterminated double-quoted string', logAt(t), logAt(t) + '"fwd-logs'.length];
  const steps: [Step, (t: string) => unknown][] = [
    [{ what: "delete the ']' closing the application list", at: bracket, del: 1, ins: '' }, (t) => [notClosed(t)]],
    [{ what: 'open a quote on another line of the rule, before the next command line', at: logAt, del: 0, ins: '"' }, (t) => [notClosed(t), unterminated(t)]],
    [{ what: "put the ']' back", at: (t) => t.indexOf(appLine) + appLine.length + 1, del: 0, ins: ']' }, (t) => [unterminated(t)]],
    [{ what: 'close the quote', at: (t) => logAt(t) + '"fwd-logs'.length, del: 0, ins: '"' }, () => []],
    [{ what: 'remove both quotes', at: logAt, del: '"fwd-logs"'.length, ins: 'fwd-logs' }, () => []],
  ];
  const runs = stepThrough(text, opts, steps.map((x) => x[0]));
  runs.forEach((r, i) => assert.deepEqual(syntaxFindings(r.analysis), steps[i]![1](r.text), steps[i]![0].what));
  assert.equal(runs[runs.length - 1]!.text, text);
});

test('an open double quote in a set line followed by a line that starts no command falls back to a full analysis (the quote may run on)', () => {
  const { opts, text: base } = flowRemoved('config.set');
  const last = 'set rulebase security rules "Panorama to services" log-setting fwd-logs\n';
  const text = base.replace(last, last + '# a comment line\n');
  expectFallback(text, opts, text.indexOf(last) + last.length - 1, 0, ' "x', 'the line has an open double quote');
});

test("a move line among a set rule's lines sends an edit of the rule to a full analysis (the move needs the whole list)", () => {
  const { opts, text: base } = flowRemoved('config.set');
  const src = 'set rulebase security rules "Panorama to services" source [ panorama log-collector ]\n';
  const text = base.replace(src, src + 'move rulebase security rules "Panorama to services" after "Devices to Panorama"\n');
  const appLine = 'set rulebase security rules "Panorama to services" application [ dns syslog ]';
  expectFallback(text, opts, text.indexOf(appLine) + appLine.length - 1, 1, '', "the entry's lines hold a delete or a move");
});

test('an edit of a set address line after its name re-reads that entry in the tree and makes its object again, the model kept: findings follow, as from scratch', () => {
  const { opts, text } = flowRemoved('config.set');
  const codes = (x: Analysis): string[] => x.findings.map((f) => `${f.code} ${f.rule ?? ''}`);
  const before = codes(analyze(text, opts));
  // The DNS server object moves out of 10.40.0.0/16, then back; then a bracket typed after its value.
  const line = 'set address dns-server ip-netmask 10.40.0.53/32';
  const at = text.indexOf(line) + line.indexOf('10.40');
  const how = 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again';
  const runs = stepThrough(text, opts, [
    { what: 'change the value', at: () => at + 3, del: 2, ins: '99', how },
    { what: 'change it back', at: () => at + 3, del: 2, ins: '40', how },
    { what: "type a stray ']' after it", at: () => at + '10.40.0.53/32'.length, del: 0, ins: ' ]', how },
    { what: 'delete it', at: () => at + '10.40.0.53/32'.length, del: 2, ins: '', how },
  ]);
  assert.equal(runs[3]!.text, text);
  const seen = runs.map((r) => codes(r.analysis));
  // Moving the DNS server out of the services zone's subnet changes what is found; moving it back restores it.
  assert.notDeepEqual(seen[0], before);
  assert.deepEqual(seen[1], before);
  assert.deepEqual(seen[3], before);
  assert.ok(seen[2]!.includes('PANO000 '), JSON.stringify(seen[2]));
});

test("lines typed, pasted and deleted among a set rule's lines take the fast path; at the rule's last line, a full analysis", () => {
  const { opts, text } = flowRemoved('config.set');
  const syntax = (x: Analysis): unknown => x.findings.filter((f) => f.code === 'PANO000').map((f) => f.message);
  const R = 'set rulebase security rules "Panorama to services"';
  const mid = `${R} source-user any`;
  const cat = `${R} category any\n`;
  const endOf = (t: string, line: string): number => t.indexOf(line) + line.length;
  // Each step, and the syntax messages after it.
  const steps: [Step, string[]][] = [
    [{ what: 'Enter at the end of a middle line', at: (t) => endOf(t, mid), del: 0, ins: '\n' }, []],
    [{ what: 'type s on the new line', at: (t) => endOf(t, mid) + 1, del: 0, ins: 's' }, ["Unknown command 's': set-format lines start with 'set', 'delete' or 'move'"]],
    [{ what: 'type et', at: (t) => endOf(t, mid) + 2, del: 0, ins: 'et' }, []],
    [{ what: 'paste the rest of a line of the rule', at: (t) => endOf(t, mid) + 4, del: 0, ins: ' rulebase security rules "Panorama to services" description "typed here"' }, []],
    [{ what: 'delete that line and its break', at: (t) => endOf(t, mid), del: `\n${R} description "typed here"`.length, ins: '' }, []],
    [{ what: 'delete a whole middle line', at: (t) => t.indexOf(cat), del: cat.length, ins: '' }, []],
    [{ what: 'paste it back', at: (t) => endOf(t, mid) + 1, del: 0, ins: cat }, []],
  ];
  const runs = stepThrough(text, opts, steps.map((x) => x[0]));
  runs.forEach((r, i) => assert.deepEqual(syntax(r.analysis), steps[i]![1], steps[i]![0].what));
  assert.equal(runs[runs.length - 1]!.text, text);
  // A line added after the rule's last line changes the rule's extent: read from scratch.
  const last = `${R} profile-setting group pg-default`;
  expectFallback(text, opts, endOf(text, last), 0, `\n${R} description x`, "edited lines: the lines are not inside the entry's lines");
});

test('edited set lines fall back where a quote could tie them to another entry, or they name the vsys another way', () => {
  const { opts, text: base } = flowRemoved('config.set');
  const R = 'set rulebase security rules "Panorama to services"';
  const mid = `${R} source-user any\n`;
  const cases: [string, string, (t: string) => { s: number; del: number; ins: string }, string][] = [
    [
      // An address's description runs on over two lines, among the rule's lines: the second line is the address's.
      'a line holding a quote',
      `${mid}set address dns-server description "first\npart"\n`,
      (t) => ({ s: t.indexOf('part"') + 2, del: 0, ins: 'x' }),
      'edited lines: a line that starts no command holds a quote',
    ],
    [
      // A blank line inside that description: typing on it, the line after it (the description's end) starts no command.
      'a line before one that starts no command',
      `${mid}set address dns-server description "first\n\npart"\n`,
      (t) => ({ s: t.indexOf('"first\n') + '"first\n'.length, del: 0, ins: 'x' }),
      'edited lines: the next line starts no command',
    ],
    [
      'another way of naming the vsys',
      `set address dns-server description one\nset address dns-server tag t\nset address dns-server description two\n`,
      (t) => {
        const at = t.indexOf('set address dns-server description one\n') + 'set address dns-server description one\n'.length;
        return { s: at, del: 0, ins: 'set vsys vsys1 address dns-server tag u\n' };
      },
      'edited lines: a line names the vsys another way',
    ],
  ];
  for (const [what, extra, edit, why] of cases) {
    const text = extra.startsWith(mid) ? base.replace(mid, extra) : base.replace('set address dns-server ip-netmask 10.40.0.53/32\n', `set address dns-server ip-netmask 10.40.0.53/32\n${extra}`);
    assert.notEqual(text, base, what);
    const { s, del, ins } = edit(text);
    expectFallback(text, opts, s, del, ins, why, what);
  }
});

test('a new entry pasted among its list\'s lines, or after them, is read from those lines and put in line order; deleted whole, it is taken out (the only one of its list: from scratch)', () => {
  const { opts, text } = flowRemoved('config.set');
  const R2 = 'set rulebase security rules "Panorama to Internet"';
  const rule = ['to services', 'from mgmt', 'source panorama', 'destination ntp-server', 'application ntp', 'service application-default', 'action allow'].map((x) => `set rulebase security rules "Panorama NTP" ${x}\n`).join('');
  const obj = 'set address new-ntp ip-netmask 10.40.0.124/32\n';
  const how = 'an entry read again; model and policy rebuilt';
  const runs = stepThrough(text, opts, [
    { what: 'paste an address between two others', at: (t) => t.indexOf('set address log-collector '), del: 0, ins: obj, how },
    { what: 'paste a rule between two rules', at: (t) => t.indexOf(`${R2} to `), del: 0, ins: rule, how },
    { what: 'delete that rule, all its lines', at: (t) => t.indexOf(rule), del: rule.length, ins: '', how },
    { what: 'delete the address', at: (t) => t.indexOf(obj), del: obj.length, ins: '', how },
  ]);
  assert.equal(runs[3]!.text, text);
  // The pasted rule allows NTP: the blocked-flow finding of the scenario goes while it is there.
  const findings = runs.map((r) => r.analysis.findings.map((f) => `${f.code} ${f.rule ?? ''}`));
  assert.notDeepEqual(findings[1], findings[0]);
  assert.deepEqual(findings[2], findings[0]);
  // After the last lines of its list: the new entry is the list's last, and the extents that ended before it grow.
  const lastRuleLine = [...text.matchAll(/^set rulebase security rules [^\n]*\n/gm)].pop()!;
  const afterRules = lastRuleLine.index! + lastRuleLine[0].length;
  const appended = stepThrough(text, opts, [
    { what: 'paste a rule after the last rule', at: () => afterRules, del: 0, ins: rule, how },
    { what: 'paste an address at the end of the file', at: (t) => t.length, del: 0, ins: obj, how },
  ]);
  assert.equal(appended[1]!.text, text.slice(0, afterRules) + rule + text.slice(afterRules) + obj);
  // The last rule deleted whole, then the last address: their lists' extents end where their other entries' do.
  const lastRule = [...text.matchAll(/^set rulebase security rules ("[^"]*"|\S+) /gm)].pop()![1]!;
  const first = text.indexOf(`set rulebase security rules ${lastRule} `);
  const nl = text.indexOf('\n', text.lastIndexOf(`set rulebase security rules ${lastRule} `));
  const lastAddress = [...text.matchAll(/^set address \S+ [^\n]*\n/gm)].pop()!;
  const removed = stepThrough(text, opts, [
    { what: 'delete the last rule, all its lines', at: () => first, del: nl + 1 - first, ins: '', how },
    { what: 'delete the last address', at: () => lastAddress.index!, del: lastAddress[0].length, ins: '', how },
  ]);
  assert.equal(removed[1]!.text, text.slice(0, lastAddress.index!) + text.slice(lastAddress.index! + lastAddress[0].length, first) + text.slice(nl + 1));
  // A list whose parent holds a value of its own on a line of its own: its extent is not the kids' alone.
  const pad = Array.from({ length: 40 }, (_, i) => `set address pad-${i} ip-netmask 10.9.0.${i}/32\n`).join('');
  const valued = `${pad}set rulebase security rules r1 action allow\nset rulebase security oops\nset rulebase security rules r2 action deny\n`;
  const r2 = valued.indexOf('set rulebase security rules r2');
  expectFallback(valued, opts, r2, valued.length - r2, '', 'edited lines: the lines end a node that holds values');
  // The only entry of a list deleted: the list goes too, which is left to a full analysis.
  const lone = `${text}set tag only-tag color color1\n`;
  expectFallback(lone, opts, text.length, lone.length - text.length, '', "edited lines: the lines are not inside the list's lines");
});

test('a set entry pasted or deleted whole falls back where moves reorder its list or its lines name the vsys another way', () => {
  const { opts, text: base } = flowRemoved('config.set');
  const moved = `${base}move rulebase security rules "Users to Internet" after "Panorama to services"\n`;
  const D = 'set rulebase security rules "Panorama to Internet" to ';
  const C = 'set rulebase security rules "Panorama to services" ';
  const newRule = ['to services', 'from mgmt', 'action allow'].map((x) => `set rulebase security rules "Panorama NTP" ${x}\n`).join('');
  const vsysObj = 'set vsys vsys1 address only-vsys ip-netmask 10.40.0.98/32\n';
  const withVsysObj = base.replace('set address ntp-server ', `${vsysObj}set address ntp-server `);
  const cLines = (t: string): [number, number] => {
    const s = t.indexOf(C);
    const e = t.indexOf('\n', t.lastIndexOf(C)) + 1;
    return [s, e];
  };
  const cases: [string, string, (t: string) => [number, number, string], string][] = [
    ['a rule pasted where a move reorders the list', moved, (t) => [t.indexOf(D), t.indexOf(D), newRule], 'edited lines: the file has move lines'],
    ['a rule deleted that a move names', moved, (t) => [...cLines(t), ''], 'edited lines: the file has move lines'],
    ['an address pasted with the vsys named another way', base, (t) => [t.indexOf('set address ntp-server '), t.indexOf('set address ntp-server '), vsysObj], 'edited lines: a line names the vsys another way'],
    ['the only address with the vsys named that way deleted', withVsysObj, (t) => [t.indexOf(vsysObj), t.indexOf(vsysObj) + vsysObj.length, ''], 'edited lines: a line names the vsys another way'],
  ];
  for (const [what, text, edit, why] of cases) {
    const [s, e, ins] = edit(text);
    assert.ok(s > 0 && e >= s, what);
    expectFallback(text, opts, s, e - s, ins, why, what);
  }
});

test('set entries whose quoted names hold control characters are found by their own path on the fast path', () => {
  const { opts, text: base } = flowRemoved('config.set');
  // A name that, with a separator-joined path, would read as the `description` node of address `x`.
  const odd = '"x\u0000description\u0001y"';
  const extra = [`set address x ip-netmask 10.40.1.1/32`, `set address x description one`, `set address ${odd} ip-netmask 10.40.2.2/32`, `set address ${odd} tag t1`, `set address ${odd} description two`].join('\n') + '\n';
  const text = base.replace('set address ntp-server ', `${extra}set address ntp-server `);
  const tag = `set address ${odd} tag t1`;
  stepThrough(text, opts, [
    { what: 'type in the tag of the oddly named address', at: (t) => t.indexOf(tag) + tag.length, del: 0, ins: '2', how: 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again' },
    { what: 'and back', at: (t) => t.indexOf(tag) + tag.length, del: 1, ins: '', how: 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again' },
  ]);
});

test("a set line mistyped into no command ('se …') takes its entry out and reports the line; typed back, the entry returns", () => {
  const { opts, text } = flowRemoved('config.set');
  const line = 'set address ntp-server ip-netmask 10.40.0.123/32';
  const how = 'an entry read again; model and policy rebuilt';
  const runs = stepThrough(text, opts, [
    { what: "delete the t of 'set'", at: (t) => t.indexOf(line) + 2, del: 1, ins: '', how },
    { what: 'type it back', at: (t) => t.indexOf(line.replace('set', 'se')) + 2, del: 0, ins: 't', how },
  ]);
  const at = text.indexOf(line);
  assert.deepEqual(syntaxFindings(runs[0]!.analysis), [["Unknown command 'se': set-format lines start with 'set', 'delete' or 'move'", at, at + 2]]);
  assert.deepEqual(syntaxFindings(runs[1]!.analysis), []);
  assert.equal(runs[1]!.text, text);
});

test('incremental = from scratch over random edits of every set file of the corpus, LF and CR LF (characters, lines pasted with entries renamed, lines deleted)', () => {
  const files = corpusFiles().filter((f) => detectFormat(fs.readFileSync(f, 'utf8')) === 'set');
  assert.ok(files.length >= 10, `${files.length} set files in ${CORPUS}`);
  const opts: AnalyzeOptions = { env: { panorama: ['10.0.0.5'] }, fixes: false };
  const snippets = ['x', ' ', '"', "'", '[', ']', '\n', '\nset ', '#', ''];
  let fast = 0;
  for (const [f, eol] of files.flatMap((x) => [[x, '\n'] as const, [x, '\r\n'] as const])) {
    const original = fs.readFileSync(f, 'utf8').replace(/\r?\n/g, eol);
    let text = original;
    let a = analyze(text, opts);
    const r = rng(5);
    for (let i = 0; i < 120; i++) {
      const starts = [0];
      for (let j = text.indexOf('\n'); j >= 0 && j < text.length - 1; j = text.indexOf('\n', j + 1)) starts.push(j + 1);
      const at = starts[Math.floor(r() * starts.length)]!;
      const k = r();
      let edit: SpanEdit;
      let ins = '';
      if (i % 20 === 19) {
        edit = { start: 0, oldEnd: text.length, newEnd: original.length };
        ins = original;
      } else if (k < 0.5) {
        const s = Math.floor(r() * text.length);
        ins = snippets[Math.floor(r() * snippets.length)]!;
        edit = { start: s, oldEnd: Math.min(text.length, s + Math.floor(r() * 3)), newEnd: s + ins.length };
      } else if (k < 0.8) {
        const from = starts[Math.floor(r() * starts.length)]!;
        const nl = text.indexOf('\n', from);
        const line = text.slice(from, nl < 0 ? text.length : nl).replace(/\r$/, '');
        ins = `${r() < 0.6 ? line.replace(/ (rules|address|service|address-group|service-group|tag|zone|device-group|template) ("[^"]*"|\S+)/, (_m, kw: string, nm: string) => ` ${kw} ${nm.startsWith('"') ? `${nm.slice(0, -1)} c"` : `${nm}-c`}`) : line}${eol}`;
        edit = { start: at, oldEnd: at, newEnd: at + ins.length };
      } else {
        let end = at;
        for (let q = 1 + Math.floor(r() * 3); q > 0 && end < text.length; q--) {
          const nl = text.indexOf('\n', end);
          end = nl < 0 ? text.length : nl + 1;
        }
        edit = { start: at, oldEnd: end, newEnd: at };
      }
      const next = text.slice(0, edit.start) + ins + text.slice(edit.oldEnd);
      const inc = reanalyze(a, next, edit, opts);
      if (inc.incremental) {
        fast++;
        assertSame(inc.analysis, analyze(next, opts), `${path.relative(CORPUS, f)} (${eol === '\n' ? 'LF' : 'CR LF'}) edit #${i} ${JSON.stringify(edit)} (${inc.why ?? 'incremental'})`);
      }
      text = next;
      a = inc.analysis;
    }
  }
  assert.ok(fast >= 200, `fast paths taken ${fast} times`);
});

/**
 * A random edit of a `set` address line's value, a service's port, or one member of an address group's
 * static list (replaced by another address or group name), mostly of objects the analysis uses (see
 * `usedNames`).
 */
const randomSetObjectEdit =
  (opts: AnalyzeOptions) =>
  (text: string, r: () => number): { edit: SpanEdit; ins: string } => {
    const used = usedNames(analyze(text, opts));
    const values: { s: number; e: number; name: string }[] = [];
    for (const m of text.matchAll(/ address ("[^"\n]*"|\S+) ip-netmask (\S+)/g)) {
      const name = m[1]!.replace(/^"|"$/g, '');
      const s = m.index! + m[0].length - m[2]!.length;
      values.push({ s, e: s + m[2]!.length, name });
    }
    const members: { s: number; e: number; name: string }[] = [];
    for (const m of text.matchAll(/ address-group ("[^"\n]*"|\S+) static \[ ([^\]\n]+) \]/g)) {
      const list = m[2]!;
      const s0 = m.index! + m[0].length - 2 - list.length;
      for (const t of list.matchAll(/\S+/g)) if (!t[0].startsWith('"')) members.push({ s: s0 + t.index!, e: s0 + t.index! + t[0].length, name: m[1]!.replace(/^"|"$/g, '') });
    }
    const ports: { s: number; e: number; name: string }[] = [];
    for (const m of text.matchAll(/ service ("[^"\n]*"|\S+) protocol (?:tcp|udp) port (\S+)/g)) {
      const s = m.index! + m[0].length - m[2]!.length;
      ports.push({ s, e: s + m[2]!.length, name: m[1]!.replace(/^"|"$/g, '') });
    }
    const at = (s: number, e: number, ins: string): { edit: SpanEdit; ins: string } => ({ edit: { start: s, oldEnd: e, newEnd: s + ins.length }, ins });
    const pick = <T extends { name: string }>(xs: T[]): T => {
      const hot = xs.filter((x) => used.has(x.name));
      const from = hot.length > 0 && r() < 0.85 ? hot : xs;
      return from[Math.floor(r() * from.length)]!;
    };
    if (ports.length > 0 && r() < 0.25) {
      const p = pick(ports);
      return at(p.s, p.e, ['22', '53', '443', '3978', '28443', '1-65535', '443,8443'][Math.floor(r() * 7)]!);
    }
    if (members.length > 0 && r() < 0.4) {
      const m = pick(members);
      const names = values.map((v) => v.name).filter((n) => !/\s|"/.test(n));
      return at(m.s, m.e, names[Math.floor(r() * names.length)] ?? 'any');
    }
    const v = pick(values);
    if (r() < 0.3) {
      const c = v.s + Math.floor(r() * (v.e - v.s));
      return at(c, c + 1, '0123456789'[Math.floor(r() * 10)]!);
    }
    return at(v.s, v.e, ['10.10.10.5', '10.10.10.0/24', '10.20.0.7', '10.0.0.5/32', '0.0.0.0/0', '10.40.0.53/32', '192.0.2.1'][Math.floor(r() * 7)]!);
  };

test('incremental = from scratch over random edits of set address values, service ports and group members (generated Panorama and firewall, every set scenario), most made again in place', () => {
  const SET_OBJECT = 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again';
  const runs: { text: string; opts: AnalyzeOptions; what: string }[] = [];
  const gen: AnalyzeOptions = { env: { panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }, fixes: false };
  for (const kind of ['panorama', 'firewall'] as const) runs.push({ text: generate({ kind, format: 'set', targetBytes: 150 * 1024, seed: 6 }), opts: gen, what: kind });
  for (const name of fs.readdirSync(path.join(FIXTURES, 'scenarios'))) {
    const dir = path.join(FIXTURES, 'scenarios', name);
    if (!fs.existsSync(path.join(dir, 'config.set'))) continue;
    const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
    runs.push({ text: fs.readFileSync(path.join(dir, 'config.set'), 'utf8'), opts: { env, fixes: false }, what: name });
  }
  let taken = 0;
  let edits = 0;
  for (const { text: original, opts, what } of runs) {
    const edit = randomSetObjectEdit(opts);
    let text = original;
    let a = analyze(text, opts);
    const r = rng(31);
    for (let i = 0; i < 40; i++) {
      const e = i % 10 === 9 ? { edit: { start: 0, oldEnd: text.length, newEnd: original.length }, ins: original } : edit(text, r);
      const next = text.slice(0, e.edit.start) + e.ins + text.slice(e.edit.oldEnd);
      const inc = reanalyze(a, next, e.edit, opts);
      if (inc.incremental) assertSame(inc.analysis, analyze(next, opts), `${what} edit #${i} ${JSON.stringify(e.edit)} ${JSON.stringify(e.ins)} (${inc.why ?? 'rule path'})`);
      if (inc.why === SET_OBJECT) taken++;
      edits++;
      text = next;
      a = inc.analysis;
    }
  }
  assert.ok(taken >= edits * 0.6, `object path taken ${taken} times of ${edits}`);
});
