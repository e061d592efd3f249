/**
 * @fileoverview The XML element path of the incremental re-analysis: an edit inside any element
 * outside the rule path (an address, a group, a zone, a setting …) re-scans that element into the
 * document's arrays and builds the model again. Each result equals a from-scratch analysis, the element
 * arrays included; where it cannot run, the fallback says why.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { generate } from '../../bench/generate';
import { analyze, type Analysis, type AnalyzeOptions } from '../../server/src/core/analyze';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { reanalyze, type SpanEdit } from '../../server/src/core/incremental';
import { fixesForFinding } from '../../server/src/core/fixes';
import { suppressFix } from '../../server/src/core/fixes/suppress';
import { allRulebases } from '../../server/src/core/model/types';
import { detectFormat } from '../../server/src/core/parse';
import { CORPUS, FIXTURES, corpusFiles } from '../helpers';
import { mulberry32 as rng } from '../fuzz/mutators';
import { assertSame, expectFallback, flowRemoved, stepThrough, syntaxFindings, usedNames } from './sameAnalysis';

const ELEMENT = 'an element re-scanned; model and policy rebuilt';
const ELEMENTS = 'elements re-scanned among their siblings; model and policy rebuilt';
const OBJECT = 'an address or service object or group re-scanned and made again; model and resolved names kept, policy evaluated again';

const codes = (x: Analysis): string[] => x.findings.map((f) => `${f.code} ${f.rule ?? ''}`);

test("an edit of an XML address object's value re-scans that element and makes the object again, the rest of the model kept: findings follow, as from scratch", () => {
  const { opts, text } = flowRemoved('config.xml');
  const before = codes(analyze(text, opts));
  const value = '<ip-netmask>10.40.0.53/32</ip-netmask>';
  const at = text.indexOf(value) + '<ip-netmask>'.length;
  const seen: string[][] = [];
  const spans: [number, number][] = [];
  const look = (a: Analysis, t: string): void => {
    seen.push(codes(a));
    // The spans the old object was handed are dropped: the document records as many as a fresh one (both fully read by stepThrough).
    const fresh = analyze(t, opts);
    assertSame(a, fresh, 'again');
    spans.push([a.doc.xml!.spans.length, fresh.doc.xml!.spans.length]);
  };
  const runs = stepThrough(text, opts, [
    { what: 'move the DNS server out of the services subnet', at: () => at + 3, del: 2, ins: '99', how: OBJECT, then: look },
    { what: 'move it back', at: () => at + 3, del: 2, ins: '40', how: OBJECT, then: look },
  ]);
  for (const [mine, fresh] of spans) assert.equal(mine, fresh);
  assert.equal(runs[1]!.text, text);
  assert.notDeepEqual(seen[0], before);
  assert.deepEqual(seen[1], before);
  // The document analysed first was patched, not scanned again; the model and the resolver are the first ones.
  assert.equal(runs[1]!.analysis.doc.xml, runs[0]!.analysis.doc.xml);
  assert.equal(runs[1]!.analysis.model, runs[0]!.analysis.model);
  assert.equal(runs[1]!.analysis.policy!.resolver, runs[0]!.analysis.policy!.resolver);
});

/**
 * `edits` of `text`, each by the object path and equal to a from-scratch analysis (stepThrough): the DNS
 * flow's verdict before them and after each. The model stays the first one throughout.
 */
function dnsThrough(text: string, opts: AnalyzeOptions, edits: { what: string; at: (t: string) => number; del: number; ins: string }[]): string[] {
  const verdict = (a: Analysis): string => a.policy!.results.find((r) => r.flow.id.startsWith('dns'))!.verdict;
  const seen = [verdict(analyze(text, opts))];
  const runs = stepThrough(
    text,
    opts,
    edits.map((e) => ({ ...e, how: OBJECT, then: (a: Analysis): void => void seen.push(verdict(a)) })),
  );
  for (const r of runs) assert.equal(r.analysis.model, runs[0]!.analysis.model);
  return seen;
}

test('an address in a group two levels down moved onto and off the DNS server: the object is made again and both groups resolved again; the flow follows, as from scratch', () => {
  const { opts, text: original } = flowRemoved('config.xml');
  // The services rule names the DNS and NTP servers through groups: svc-outer holds svc-inner, which holds
  // dns-server (the outer group first: a group holds one defined after it).
  const groups = `</address>
          <address-group>
            <entry name="svc-outer"><static><member>svc-inner</member><member>ntp-server</member></static></entry>
            <entry name="svc-inner"><static><member>dns-server</member></static></entry>
          </address-group>`;
  const rule = '<member>dns-server</member>\n                    <member>ntp-server</member>';
  assert.equal(original.split(rule).length, 2);
  // dns-server starts off the DNS server (10.40.0.99): the DNS flow's evaluation passes the services rule over.
  const text = original.replace('</address>', groups).replace(rule, '<member>svc-outer</member>').replace('10.40.0.53/32', '10.40.0.99/32');
  const at = (t: string): number => t.indexOf('<ip-netmask>10.40.0.') + '<ip-netmask>10.40.0.'.length;
  const seen = dnsThrough(text, opts, [
    { what: 'dns-server moved onto the DNS server', at, del: 2, ins: '53' },
    { what: 'and off it again', at, del: 2, ins: '99' },
    { what: 'and onto it', at, del: 2, ins: '53' },
  ]);
  assert.deepEqual(seen, ['blocked', 'allowed', 'blocked', 'allowed']);
});

test('a service in a service group two levels down moved off and onto the DNS port: the service is made again and both groups resolved again; the flow follows, as from scratch', () => {
  const { opts, text: original } = flowRemoved('config.xml');
  // The services rule allows the DNS server through svcg-outer, which holds svcg-inner, which holds
  // svc-dns (the outer group first: a group holds one defined after it).
  const services = `</address>
          <service>
            <entry name="svc-dns"><protocol><udp><port>53</port></udp></protocol></entry>
          </service>
          <service-group>
            <entry name="svcg-outer"><members><member>svcg-inner</member></members></entry>
            <entry name="svcg-inner"><members><member>svc-dns</member></members></entry>
          </service-group>`;
  const rule = original.indexOf('<entry name="Panorama to services">');
  const appDefault = original.indexOf('<member>application-default</member>', rule);
  const text = original.slice(0, appDefault) + '<member>svcg-outer</member>' + original.slice(appDefault + '<member>application-default</member>'.length);
  const withGroups = text.replace('</address>', services);
  const at = (t: string): number => t.indexOf('<port>5') + '<port>5'.length;
  const seen = dnsThrough(withGroups, opts, [
    { what: 'svc-dns moved off port 53', at, del: 1, ins: '4' },
    { what: 'and back onto it', at, del: 1, ins: '3' },
  ]);
  assert.deepEqual(seen, ['allowed', 'blocked', 'allowed']);
});

test('elements added to and taken out of an XML object move every later element; a name new to the document is interned', () => {
  const { opts, text } = flowRemoved('config.xml');
  const entry = '<entry name="dns-server">\n              <ip-netmask>10.40.0.53/32</ip-netmask>';
  const end = (t: string): number => t.indexOf(entry) + entry.length;
  // `x-panos-guard-note` appears nowhere in the file: the patched document must learn the name.
  const extra = '\n              <description>dns</description><x-panos-guard-note><member>a</member><member>b</member></x-panos-guard-note>';
  assert.equal(text.includes('x-panos-guard-note'), false);
  const group = '<member>dns-server</member>';
  const base = analyze(text, opts).doc.xml!.count;
  const counts: number[] = [];
  const count = (a: Analysis): void => void counts.push(a.doc.xml!.count);
  stepThrough(text, opts, [
    { what: 'add a description and an unknown element with two members', at: end, del: 0, ins: extra, how: ELEMENT, then: count },
    { what: 'take one member out', at: (t) => t.indexOf('<member>b</member>'), del: '<member>b</member>'.length, ins: '', how: ELEMENT, then: count },
    {
      what: 'take the additions out',
      at: end,
      del: (t) => t.indexOf('</x-panos-guard-note>') + '</x-panos-guard-note>'.length - end(t),
      ins: '',
      how: ELEMENT,
      then: (a, t) => {
        count(a);
        assert.equal(t, text);
      },
    },
    // The rule path: the rule's new elements live in a document of their own, the whole one keeps its count.
    { what: "a member pasted into a rule's destination", at: (t) => t.indexOf(group), del: 0, ins: group, then: count },
  ]);
  // stepThrough compared each step's element arrays with a from-scratch scan of its text (the last: its summary only).
  assert.deepEqual(counts, [base + 4, base + 3, base, base]);
});

test("rules pasted and deleted whole among a large rulebase's rules re-scan only those rules, and the model is built again", () => {
  const opts: AnalyzeOptions = { env: { panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }, fixes: false };
  const text = generate({ kind: 'firewall', format: 'xml', targetBytes: 150 * 1024, seed: 4 });
  // The rules are more than a quarter of this file: their list is not re-scanned whole.
  const open = text.indexOf('<rules>');
  const close = text.indexOf('</rules>');
  assert.ok((close - open) * 4 > text.length, `rules ${close - open} of ${text.length}`);
  const rules = [...text.slice(open, close).matchAll(/^([ \t]*)<entry name="([^"\n]*)"[^<>\n]*>\n(?:[^\n]*\n)*?\1<\/entry>\n/gm)].map((m) => ({ name: m[2]!, body: m[0] }));
  assert.ok(rules.length > 10);
  const renamed = (i: number, suffix: string): string => rules[i]!.body.replace(`name="${rules[i]!.name}"`, `name="${rules[i]!.name}${suffix}"`);
  const after = (i: number) => (t: string): number => t.indexOf(rules[i]!.body) + rules[i]!.body.length;
  const names = (a: Analysis): string[] => allRulebases(a.model!).flatMap((rb) => rb.rules.map((r) => r.name));
  const seen: string[][] = [];
  const look = (a: Analysis): void => void seen.push(names(a));
  const runs = stepThrough(text, opts, [
    { what: 'a copy of rule 2, renamed, pasted after rule 5', at: after(5), del: 0, ins: renamed(2, ' copy'), how: ELEMENTS, then: look },
    { what: 'two rules pasted before the first', at: (t) => t.indexOf(rules[0]!.body), del: 0, ins: renamed(7, ' a') + renamed(8, ' b'), how: ELEMENTS, then: look },
    { what: 'a rule pasted at the end of the list', at: (t) => t.indexOf('</rules>') - (t.slice(0, t.indexOf('</rules>')).length - t.slice(0, t.indexOf('</rules>')).trimEnd().length) + 1, del: 0, ins: renamed(3, ' last').trimEnd() + '\n', how: ELEMENTS, then: look },
    { what: 'rule 4 deleted whole', at: (t) => t.indexOf(rules[4]!.body), del: rules[4]!.body.length, ins: '', how: ELEMENTS, then: look },
    { what: 'rules 9 and 10 deleted together', at: (t) => t.indexOf(rules[9]!.body), del: rules[9]!.body.length + rules[10]!.body.length, ins: '', how: ELEMENTS, then: look },
    { what: 'a comment pasted between two rules', at: after(1), del: 0, ins: '        <!-- reviewed -->\n', how: ELEMENTS, then: look },
  ]);
  const all = rules.map((r) => r.name);
  assert.deepEqual(seen[0], [...all.slice(0, 6), `${all[2]} copy`, ...all.slice(6)]);
  assert.deepEqual(seen[1]!.slice(0, 3), [`${all[7]} a`, `${all[8]} b`, all[0]]);
  assert.equal(seen[2]!.at(-1), `${all[3]} last`);
  assert.equal(seen[3]!.includes(all[4]!), false);
  assert.equal(seen[4]!.includes(all[9]!) || seen[4]!.includes(all[10]!), false);
  assert.deepEqual(seen[5], seen[4]);
  assert.equal(runs.length, 6);
});

test('rules re-scanned by the rule path are folded back into the document when an element outside them is edited', () => {
  const { opts, text } = flowRemoved('config.xml');
  const member = '<member>log-collector</member>';
  const value = '<ip-netmask>10.40.0.123/32</ip-netmask>';
  assert.ok(text.indexOf(member) !== text.lastIndexOf(member));
  const docs: number[] = [];
  const held = (a: Analysis): void => void docs.push(a.xmlDocs.length);
  stepThrough(text, opts, [
    // The rule path: each rule edited lives in a document of its own until folded back.
    { what: 'a member pasted into a rule', at: (t) => t.indexOf(member), del: 0, ins: '<member>dns-server</member>', then: held },
    { what: 'a member pasted into a later rule', at: (t) => t.lastIndexOf(member), del: 0, ins: '<member>syslog-server</member>', then: held },
    { what: 'the NTP server object edited', at: (t) => t.indexOf(value) + '<ip-netmask>10.40.0.'.length, del: 3, ins: '124', how: ELEMENT, then: held },
  ]);
  // The last step's arrays (one document again) were compared with a from-scratch scan by stepThrough.
  assert.deepEqual(docs, [2, 3, 1]);
});

test('an address edited after rules were re-scanned by the rule path (as many elements as before): the object path keeps the model, and those rules, read from their own documents, move with the edit', () => {
  const { opts, text } = flowRemoved('config.xml');
  const value = '<ip-netmask>10.40.0.123/32</ip-netmask>';
  const at = (t: string): number => t.indexOf(value.slice(0, -'3/32</ip-netmask>'.length)) + '<ip-netmask>10.40.0.12'.length;
  // The '-' of the services rule's destination syslog-server (the first '<member>syslog' of the rules).
  const rule = (t: string): number => t.indexOf('<member>syslog', t.indexOf('<rules>')) + '<member>syslog'.length;
  const docs: number[] = [];
  const held = (a: Analysis): void => void docs.push(a.xmlDocs.length);
  assert.ok(text.indexOf(value) < rule(text));
  const runs = stepThrough(text, opts, [
    // A rule's member renamed (the same elements): the rule lives in a document of its own.
    { what: 'a destination of the services rule renamed', at: rule, del: 1, ins: 'X', then: held },
    // Before that rule in the text: the object is made again, and the rule's document moves by one.
    { what: 'the NTP server object edited', at, del: 1, ins: '45', how: OBJECT, then: held },
    { what: 'the member renamed back', at: rule, del: 1, ins: '-', then: held },
    { what: 'the object put back', at, del: 2, ins: '3', how: OBJECT, then: held },
    // One element more in the object: the element path folds the rule in and builds the model again.
    { what: 'a description added to the object', at: (t) => t.indexOf(value) + value.length, del: 0, ins: '<description>ntp</description>', how: ELEMENT, then: held },
  ]);
  assert.deepEqual(docs, [2, 2, 2, 2, 1]);
  assert.equal(runs[3]!.analysis.model, runs[0]!.analysis.model);
  assert.notEqual(runs[4]!.analysis.model, runs[3]!.analysis.model);
});

test('a syntax error typed inside an XML element stays in it: the element is re-scanned with its error, and without it once repaired', () => {
  const { opts, text } = flowRemoved('config.xml');
  assert.deepEqual(syntaxFindings(analyze(text, opts)), []);
  const value = '<ip-netmask>10.40.0.53/32</ip-netmask>';
  const lt = "'<' is not followed by an element name (write '&lt;' for a literal '<')";
  const seen: unknown[] = [];
  const look = (a: Analysis): void => void seen.push(syntaxFindings(a));
  // Offsets in the value (nothing before it changes).
  const base = text.indexOf(value) + '<ip-netmask>'.length;
  const runs = stepThrough(text, opts, [
    { what: "a '<' typed into the address value", at: () => base + 5, del: 0, ins: '<', how: OBJECT, then: look },
    { what: 'a second one before it', at: () => base + 2, del: 0, ins: '<', how: OBJECT, then: look },
    { what: 'the second taken out', at: () => base + 2, del: 1, ins: '', how: OBJECT, then: look },
    { what: 'the first taken out', at: () => base + 5, del: 1, ins: '', how: OBJECT, then: look },
  ]);
  assert.equal(runs[3]!.text, text);
  assert.deepEqual(seen, [[[lt, base + 5, base + 6]], [[lt, base + 2, base + 3], [lt, base + 6, base + 7]], [[lt, base + 5, base + 6]], []]);
});

test('the XML element path falls back where the document is unbalanced, the elements span much of the file, or the new text is not one element (or a run of them)', () => {
  const { opts, text } = flowRemoved('config.xml');
  const value = '<ip-netmask>10.40.0.53/32</ip-netmask>';
  const at = text.indexOf(value) + '<ip-netmask>'.length;
  const notRule = 'the edit is not inside one rule entry';
  // The element's own end tag broken: a scan of the whole text reads on past it, to the next '<'.
  const close = text.indexOf('</ip-netmask>', at) + '</ip-netmask'.length;
  expectFallback(text, opts, close, 0, '&amp;', `${notRule}; the edited element is not one well-formed element`, 'junk typed into the end tag');
  expectFallback(text, opts, at, 0, '</ip-netmask><ip-netmask>', `${notRule}; the edited element is not one well-formed element`, 'the value split into two elements');
  // A syntax error the document already had at the element's edge (a stray '<' just before its start
  // tag, whose error ends where the element starts): it could belong to either side, so a full analysis
  // decides where the re-scanned element's errors go.
  const stray = text.replace(value, `<${value}`);
  const strayAt = stray.indexOf(value) + '<ip-netmask>'.length;
  expectFallback(stray, opts, strayAt + 4, 1, '1', `${notRule}; syntax errors at the edges of the element, or out of order`, 'a syntax error at the edge of the element');
  // An end tag missing far away: the scanner recovered with the whole document in view.
  const broken = text.replace('</profile-group>', '');
  expectFallback(broken, opts, broken.indexOf(value) + 12, 0, '1', 'the document has unbalanced tags');
  // An end tag missing where the indentation shows it: the scanner reads the file a second time with
  // indentation as a hint and closes the entry there, which a re-scan of one element cannot follow.
  const ntp = '<entry name="ntp-server">';
  const hinted = text.replace(`</entry>\n            ${ntp}`, `\n            ${ntp}`);
  assert.notEqual(hinted, text);
  expectFallback(hinted, opts, hinted.indexOf(value) + 12, 0, '1', 'the document has unbalanced tags', 'an entry closed by indentation');
  // … nor can the rule path: an entry typed at a rule's indentation inside the rule reads as unclosed there.
  const rule = hinted.indexOf('<member>ntp-server</member>', hinted.indexOf('<rules>'));
  expectFallback(hinted, opts, rule, 0, '\n                <entry name="z"><member>q</member></entry>\n', 'the document has unbalanced tags', 'inside a rule');
  // Before the config's largest element: the element around the edit is the whole config, so only the
  // run of its children between the two the edit leaves whole is re-scanned, unless that is large too.
  const top = text.indexOf('<devices>');
  const devices = text.slice(top, text.indexOf('</devices>') + '</devices>'.length);
  expectFallback(text, opts, top, 0, `${devices}\n  `, `${notRule}; the elements edited span much of the file`);
  expectFallback(text, opts, top, 0, 'x', `${notRule}; the edited elements are not a run of well-formed elements`, 'text typed between the elements of a large element');
  expectFallback(text, opts, top + 1, 0, 'x', `${notRule}; the element around the edit spans much of the file`, 'a large element’s name edited');
  // The tags of the element itself touched: its parent, the address's entry, is re-scanned instead
  // (and its object made again).
  const r = reanalyze(analyze(text, opts), text.slice(0, at - 1) + ' ' + text.slice(at - 1), { start: at - 1, oldEnd: at - 1, newEnd: at }, opts);
  assert.equal(r.why, OBJECT);
  assertSame(r.analysis, analyze(text.slice(0, at - 1) + ' ' + text.slice(at - 1), opts), 'a space before the start tag’s >');
});

/** Offsets of the lines of `text` that hold exactly one whole element (`<x …>…</x>` or `<x …/>`), with their ends. */
function elementLines(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^[ \t]*<([A-Za-z_][\w.:-]*)\b[^<>]*(?:\/>|>[^<>]*<\/\1>)[ \t]*\r?\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Offsets of the `<entry …>` elements that begin and end lines of their own (at the same indentation), with their ends. */
function entryBlocks(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^([ \t]*)<entry name="[^"\n]*"[^<>\n]*>\r?\n(?:[^\n]*\n)*?\1<\/entry>\r?\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** A random edit of an XML text: typed into element text, a snippet anywhere, a one-element line pasted (its name changed) or deleted. */
function randomXmlEdit(text: string, r: () => number): { edit: SpanEdit; ins: string } {
  const k = r();
  const at = (s: number, del: number, ins: string): { edit: SpanEdit; ins: string } => ({ edit: { start: s, oldEnd: s + del, newEnd: s + ins.length }, ins });
  if (k < 0.5) {
    // Inside the text of an element: the next '>' after a random offset that is followed by text.
    const gt = text.indexOf('>', Math.floor(r() * text.length));
    const lt = gt < 0 ? -1 : text.indexOf('<', gt);
    if (lt > gt + 1 && !/^\s*$/.test(text.slice(gt + 1, lt))) {
      const s = gt + 1 + Math.floor(r() * (lt - gt - 1));
      const v = ['x', '1', '', '10.0.0.1', '10.10.10.5/32', 'any', 'tcp', '8443', 'ntp'][Math.floor(r() * 9)]!;
      return at(s, Math.min(lt - s, Math.floor(r() * 3)), v);
    }
  }
  const blocks = k >= 0.85 ? entryBlocks(text) : [];
  if (blocks.length > 0) {
    // A whole entry of several lines (a rule, an object …) pasted after another of its list (renamed), or deleted.
    const [from, to] = blocks[Math.floor(r() * blocks.length)]!;
    if (k < 0.93) return at(to, 0, text.slice(from, to).replace(/ name="([^"]*)"/, ' name="$1-c"'));
    return at(from, to - from, '');
  }
  const lines = elementLines(text);
  if (k >= 0.6 && lines.length > 0) {
    const [from, to] = lines[Math.floor(r() * lines.length)]!;
    if (k < 0.8) {
      const line = text.slice(from, to).replace(/ name="([^"]*)"/, ' name="$1-c"');
      const [where] = lines[Math.floor(r() * lines.length)]!;
      return at(where, 0, line);
    }
    return at(from, to - from, '');
  }
  const snippets = ['x', ' ', '<', '>', '&amp;', '"', '</member>', '<member>dns</member>', ''];
  const s = Math.floor(r() * text.length);
  return at(s, Math.min(text.length - s, Math.floor(r() * 3)), snippets[Math.floor(r() * snippets.length)]!);
}

type RandomEdit = (text: string, r: () => number) => { edit: SpanEdit; ins: string };

/** Random edits of `original` (the original put back every 10th), each re-analysed from the one before; `each` sees every result, with a label for it. */
function walk(original: string, opts: AnalyzeOptions, seed: number, edits: number, edit: RandomEdit, each: (inc: ReturnType<typeof reanalyze>, next: string, label: string) => void): void {
  let text = original;
  let a = analyze(text, opts);
  const r = rng(seed);
  for (let i = 0; i < edits; i++) {
    const e = i % 10 === 9 ? { edit: { start: 0, oldEnd: text.length, newEnd: original.length }, ins: original } : edit(text, r);
    const next = text.slice(0, e.edit.start) + e.ins + text.slice(e.edit.oldEnd);
    const inc = reanalyze(a, next, e.edit, opts);
    each(inc, next, `edit #${i} ${JSON.stringify(e.edit)} ${JSON.stringify(e.ins)}`);
    text = next;
    a = inc.analysis;
  }
}

/** Random edits of `original`, each incremental result compared with a from-scratch one; the element paths taken (and in `taken`, the object path). */
function randomRun(original: string, opts: AnalyzeOptions, seed: number, edits: number, what: string, taken = { object: 0 }, edit: RandomEdit = randomXmlEdit): number {
  let element = 0;
  walk(original, opts, seed, edits, edit, (inc, next, label) => {
    if (inc.incremental) assertSame(inc.analysis, analyze(next, opts), `${what} ${label} (${inc.why ?? 'rule path'})`);
    if (inc.why === ELEMENT || inc.why === ELEMENTS) element++;
    if (inc.why === OBJECT) taken.object++;
  });
  return element;
}

test('incremental = from scratch over random edits of generated Panorama and firewall XML (element text, lines pasted and deleted)', () => {
  const opts: AnalyzeOptions = { env: { panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }, fixes: false };
  let element = 0;
  for (const kind of ['panorama', 'firewall'] as const) {
    const text = generate({ kind, format: 'xml', targetBytes: 150 * 1024, seed: 4 });
    element += randomRun(text, opts, 9, 120, kind);
  }
  assert.ok(element >= 40, `element path taken ${element} times`);
});

test('incremental = from scratch over random edits of every XML file of the corpus, LF and CR LF (element text, lines and entries pasted and deleted)', () => {
  const files = corpusFiles().filter((f) => detectFormat(fs.readFileSync(f, 'utf8')) === 'xml');
  assert.ok(files.length >= 8, `${files.length} XML files in ${CORPUS}`);
  const opts: AnalyzeOptions = { env: { panorama: ['10.0.0.5'] }, fixes: false };
  let element = 0;
  for (const f of files) {
    for (const eol of ['\n', '\r\n']) element += randomRun(fs.readFileSync(f, 'utf8').replace(/\r?\n/g, eol), opts, 5, 80, `${path.relative(CORPUS, f)} (${eol === '\n' ? 'LF' : 'CR LF'})`);
  }
  assert.ok(element >= 300, `element path taken ${element} times`);
});

/**
 * A random edit inside an address or service object or group (mostly one the analysis used, see
 * {@link usedNames}): the text of one of its elements (a value, a port, a member, a description, a
 * filter) replaced by a management host's address, a network holding one, any other address, a port
 * or range, another object's or group's name, or junk, or one character of it changed.
 */
const randomObjectEdit =
  (opts: AnalyzeOptions) =>
  (text: string, r: () => number): { edit: SpanEdit; ins: string } => {
  const a = analyze(text, opts);
  const d = a.doc.xml!;
  const named = a.model ? usedNames(a) : new Set<string>();
  const leaves: [number, number][][] = [[], []];
  const names: string[] = [];
  for (let i = 0; i < d.count; i++) {
    const up = d.parent[i]!;
    if (!d.is(i, 'entry') || up < 0 || !['address', 'address-group', 'service', 'service-group'].includes(d.name(up))) continue;
    const name = d.attrText(i, 'name') ?? 'x';
    names.push(name);
    const into = leaves[named.has(name) ? 1 : 0]!;
    for (let k = i + 1; k < d.subtreeEnd(i); k++) if (d.firstChild[k]! < 0 && d.openEnd[k]! < d.closeStart[k]!) into.push([d.openEnd[k]!, d.closeStart[k]!]);
  }
  const from = leaves[1]!.length > 0 && r() < 0.85 ? leaves[1]! : leaves[0]!.length > 0 ? leaves[0]! : leaves[1]!;
  const [s, e] = from[Math.floor(r() * from.length)]!;
  const at = (from: number, to: number, ins: string): { edit: SpanEdit; ins: string } => ({ edit: { start: from, oldEnd: to, newEnd: from + ins.length }, ins });
  if (r() < 0.3 && e > s) {
    const c = s + Math.floor(r() * (e - s));
    return at(c, c + 1, '0123456789abx.'[Math.floor(r() * 14)]!);
  }
  const pool = ['10.10.10.5', '10.10.10.0/24', '10.20.0.7', '10.0.0.5/32', '0.0.0.0/0', '192.0.2.1-192.0.2.9', 'any', 'x', '10.10.10.5&amp;', '22', '443', '3978', '28443', '1-65535', '443,8443', 'udp'];
  const v = r() < 0.5 ? pool[Math.floor(r() * pool.length)]! : names[Math.floor(r() * names.length)]!;
  return at(s, e, v);
  };

test('incremental = from scratch over random edits inside address and service objects and groups (generated Panorama and firewall, the corpus), most made again in place', () => {
  const opts: AnalyzeOptions = { env: { panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }, fixes: false };
  const taken = { object: 0 };
  let runs = 0;
  for (const kind of ['panorama', 'firewall'] as const) {
    randomRun(generate({ kind, format: 'xml', targetBytes: 150 * 1024, seed: 6 }), opts, 21, 60, `${kind} objects`, taken, randomObjectEdit(opts));
    runs += 60;
  }
  const corpus = corpusFiles().filter((f) => detectFormat(fs.readFileSync(f, 'utf8')) === 'xml' && /<(address|service)>\s*<entry/.test(fs.readFileSync(f, 'utf8')));
  assert.ok(corpus.length >= 2, `${corpus.length} XML files with address or service objects in ${CORPUS}`);
  for (const f of corpus) {
    const o: AnalyzeOptions = { env: { panorama: ['10.0.0.5'] }, fixes: false };
    randomRun(fs.readFileSync(f, 'utf8'), o, 22, 40, `${path.relative(CORPUS, f)} objects`, taken, randomObjectEdit(o));
    runs += 40;
  }
  // The scenarios, each with its own environment (Panorama, Log Collectors, DNS and NTP servers named).
  for (const name of fs.readdirSync(path.join(FIXTURES, 'scenarios'))) {
    const dir = path.join(FIXTURES, 'scenarios', name);
    const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
    randomRun(fs.readFileSync(path.join(dir, 'config.xml'), 'utf8'), { env, fixes: false }, 23, 30, `${name} objects`, taken, randomObjectEdit({ env, fixes: false }));
    runs += 30;
  }
  // Every tenth edit puts the original back (a full analysis); the others mostly take the object path.
  assert.ok(taken.object >= runs * 0.6, `object path taken ${taken.object} times of ${runs}`);
});

/**
 * Random edits of a scenario's config, `edit` making them; after each one that takes one of the `paths`,
 * every finding's fixes and suppression, with their edits, equal those of a from-scratch analysis.
 * Returns how many did.
 */
function fixesRun(scenario: string, seed: number, edits: number, edit: RandomEdit, paths: string[]): number {
  const dir = path.join(FIXTURES, 'scenarios', scenario);
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const opts: AnalyzeOptions = { env, fixes: false };
  // Every finding's fixes and suppression, with their edits (plain offsets into the text they were made for).
  const key = (an: Analysis): unknown =>
    an.findings.map((f) => [f.code, f.rule ?? '', f.span.start, fixesForFinding(an, f).map((x) => [x.title, x.edits]), suppressFix(an, f)?.edits ?? null]);
  let taken = 0;
  walk(fs.readFileSync(path.join(dir, 'config.xml'), 'utf8'), opts, seed, edits, edit, (inc, next, label) => {
    if (inc.why === undefined || !paths.includes(inc.why)) return;
    taken++;
    assert.deepEqual(key(inc.analysis), key(analyze(next, opts)), `${scenario} ${label}`);
  });
  return taken;
}

test('fixes asked for after element-path re-analyses equal those of a from-scratch analysis (fw-application-any)', () => {
  const element = fixesRun('fw-application-any', 11, 200, randomXmlEdit, [ELEMENT, ELEMENTS]);
  assert.ok(element >= 15, `element path taken ${element} times`);
});

test('fixes asked for after object-path re-analyses equal those of a from-scratch analysis: the rule-set fix reuses objects by their values as edited (fw-flow-removed)', () => {
  const dir = path.join(FIXTURES, 'scenarios', 'fw-flow-removed');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  const object = fixesRun('fw-flow-removed', 12, 120, randomObjectEdit({ env, fixes: false }), [OBJECT]);
  assert.ok(object >= 60, `object path taken ${object} times`);
});
