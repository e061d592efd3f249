/**
 * @fileoverview Unit tests of the position-keeping XML scanner (parse/xml.ts), the CNode view over
 * it (parse/tree.ts) and the XML side of parse()/detectFormat()/looksLikePanos() (parse/index.ts).
 * Every span is computed from the text with spanOf/spanIn, never typed by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SYNTAX_ISSUES, nameHashAt, parseXml, type SyntaxIssue } from '../../server/src/core/parse/xml';
import { detectFormat, looksLikePanos, parse } from '../../server/src/core/parse/index';
import { EntryMap, MergedNode, XNode, type CNode } from '../../server/src/core/parse/tree';
import { buildModel } from '../../server/src/core/model/build';
import type { ConfigModel } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/text';
import { corpusFiles, read, spanIn, spanOf } from '../helpers';

const VSYS1 = 'devices/entry[localhost.localdomain]/vsys/entry[vsys1]';

/** A firewall config around a list of rule entries (and optional extra vsys content). */
function fw(rules: string, vsysExtra = ''): string {
  return `<?xml version="1.0"?>
<config version="10.1.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">${vsysExtra}
          <rulebase>
            <security>
              <rules>
${rules}
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;
}

function rule(name: string, body = '<action>allow</action>'): string {
  return `                <entry name="${name}">
                  <from><member>trust</member></from>
                  ${body}
                </entry>`;
}

const THREE = rule('R1') + '\n' + rule('R2') + '\n' + rule('R3');

function model(text: string): ConfigModel {
  const m = buildModel(parse(text));
  assert.ok(m, 'a model is built');
  return m;
}

function ruleNames(m: ConfigModel): string[] {
  return m.vsys.flatMap((v) => v.rulebase.rules.map((r) => r.name));
}

function xnode(n: CNode | undefined): XNode {
  assert.ok(n instanceof XNode, 'an XNode');
  return n;
}

/** Name span of the element opened by `opener` (e.g. `<entry name="R2"`). */
function nameOf(text: string, opener: string): Span {
  const name = /^<([^\s>/]+)/.exec(opener)![1]!;
  return spanIn(text, opener, name);
}

/** The issues reported at end of input for the elements opened by `openers` (outermost first). */
function eofIssues(text: string, openers: string[]): SyntaxIssue[] {
  const inner = /^<([^\s>/]+)/.exec(openers[openers.length - 1]!)![1]!;
  const n = openers.length;
  const out: SyntaxIssue[] = [
    {
      message: `Unexpected end of file: ${n === 1 ? 'element' : `${n} elements`} not closed (innermost <${inner}>)`,
      span: { start: text.length, end: text.length },
    },
  ];
  for (const o of [...openers].reverse()) {
    const name = /^<([^\s>/]+)/.exec(o)![1]!;
    out.push({ message: `Element <${name}> is never closed`, span: nameOf(text, o) });
  }
  return out;
}

const OUTER = ['<config', '<devices>', '<entry name="localhost.localdomain"', '<vsys>', '<entry name="vsys1"', '<rulebase>', '<security>', '<rules>'];

// ---------------------------------------------------------------------------------------------
// Exact spans of well-formed input
// ---------------------------------------------------------------------------------------------

const GOOD = fw(
  `                <entry name="Allow Panorama" uuid="5f2c1a7e-0000-4000-8000-000000000001">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <destination>
                    <member>pano-host</member>
                    <member>10.0.0.0/8</member>
                  </destination>
                  <action>allow</action>
                </entry>`,
  `
          <address>
            <entry name="pano-host">
              <ip-netmask>  192.0.2.20/32  </ip-netmask>
            </entry>
          </address>
          <zone>
            <entry name="trust"><network><layer3/></network></entry>
          </zone>`,
);

test('xml: spans of a rule entry name attribute and of its member texts', () => {
  const d = parse(GOOD);
  assert.deepEqual(d.errors, []);
  const r = d.config!.at(`${VSYS1}/rulebase/security/rules/entry[Allow Panorama]`);
  assert.ok(r);
  assert.equal(r.name, 'Allow Panorama');
  assert.deepEqual(r.nameSpan, spanIn(GOOD, '<entry name="Allow Panorama"', 'Allow Panorama'));
  assert.deepEqual(r.keySpan, spanIn(GOOD, '<entry name="Allow Panorama"', 'entry'));
  assert.deepEqual(r.attr('uuid'), { value: '5f2c1a7e-0000-4000-8000-000000000001', span: spanOf(GOOD, '5f2c1a7e-0000-4000-8000-000000000001') });
  assert.deepEqual(r.child('destination')!.members(), [
    { value: 'pano-host', span: spanIn(GOOD, '<member>pano-host</member>', 'pano-host') },
    { value: '10.0.0.0/8', span: spanOf(GOOD, '10.0.0.0/8') },
  ]);
  assert.deepEqual(r.child('from')!.members(), [{ value: 'trust', span: spanIn(GOOD, '<from><member>trust', 'trust') }]);
  assert.deepEqual(r.textOf('action'), { value: 'allow', span: spanIn(GOOD, '<action>allow</action>', 'allow') });
  // The whole element: from '<' of the start tag to just after the end tag's '>'.
  const start = spanOf(GOOD, '<entry name="Allow Panorama"').start;
  const close = spanOf(GOOD, '</entry>', 0, start);
  assert.deepEqual(r.span, { start, end: close.end });
});

test('xml: an address object: name attribute and trimmed ip-netmask text span', () => {
  const d = parse(GOOD);
  const a = d.config!.at(`${VSYS1}/address/entry[pano-host]`)!;
  assert.deepEqual(a.nameSpan, spanIn(GOOD, '<entry name="pano-host">', 'pano-host'));
  assert.deepEqual(a.textOf('ip-netmask'), { value: '192.0.2.20/32', span: spanOf(GOOD, '192.0.2.20/32') });
  const m = model(GOOD);
  const obj = m.vsys[0]!.scope.addresses.get('pano-host')!;
  assert.equal(obj.type, 'ip-netmask');
  assert.deepEqual(obj.value, { value: '192.0.2.20/32', span: spanOf(GOOD, '192.0.2.20/32') });
  assert.deepEqual(obj.nameSpan, spanIn(GOOD, '<entry name="pano-host">', 'pano-host'));
});

test('xml: start/end tag offsets of an element, a self-closing element and the root', () => {
  const doc = parseXml(GOOD);
  assert.deepEqual(doc.errors, []);
  const d = parse(GOOD);
  const address = xnode(d.config!.at(`${VSYS1}/address`));
  const i = address.index;
  const open = spanOf(GOOD, '<address>');
  const close = spanOf(GOOD, '</address>');
  assert.equal(doc.start[i], open.start);
  assert.equal(doc.nameEnd[i], open.end - 1);
  assert.equal(doc.openEnd[i], open.end);
  assert.equal(doc.closeStart[i], close.start);
  assert.equal(doc.end[i], close.end);
  assert.deepEqual(doc.nameSpan(i), spanIn(GOOD, '<address>', 'address'));
  assert.deepEqual(doc.span(i), { start: open.start, end: close.end });
  assert.equal(doc.selfClosing(i), false);

  const l3 = xnode(d.config!.at(`${VSYS1}/zone/entry[trust]/network/layer3`));
  const sc = spanOf(GOOD, '<layer3/>');
  assert.equal(doc.selfClosing(l3.index), true);
  assert.deepEqual(doc.span(l3.index), sc);
  assert.equal(doc.openEnd[l3.index], sc.end);
  assert.equal(doc.closeStart[l3.index], sc.end);
  assert.deepEqual(l3.text(), { value: '', span: { start: sc.end, end: sc.end } });
  assert.deepEqual(l3.members(), []);

  // The root is <config>, after the XML declaration.
  assert.equal(doc.name(doc.root), 'config');
  assert.equal(doc.start[doc.root], spanOf(GOOD, '<config').start);
  assert.equal(doc.end[doc.root], spanOf(GOOD, '</config>').end);
  assert.equal(doc.parent[doc.root], -1);
  assert.equal(doc.doctype, undefined);
});

test('xml: entity references are decoded, spans stay on the raw text', () => {
  const raw = 'A&amp;B &lt;tag&gt; &#x41;&#66; &quot;q&quot; &apos;s';
  const text = fw(`                <entry name="R&amp;D &#x41;">
                  <description>${raw}</description>
                  <tag><member>x&amp;y</member></tag>
                </entry>`);
  const d = parse(text);
  assert.deepEqual(d.errors, []);
  const r = d.config!.at(`${VSYS1}/rulebase/security/rules`)!.entries()[0]!;
  assert.equal(r.name, 'R&D A');
  assert.deepEqual(r.nameSpan, spanOf(text, 'R&amp;D &#x41;'));
  assert.deepEqual(r.textOf('description'), { value: `A&B <tag> AB "q" 's`, span: spanOf(text, raw) });
  assert.deepEqual(r.child('tag')!.members(), [{ value: 'x&y', span: spanOf(text, 'x&amp;y') }]);
  const m = model(text);
  assert.equal(m.vsys[0]!.rulebase.rules[0]!.description!.value, `A&B <tag> AB "q" 's`);
});

test('xml: CDATA is read literally and comments inside text are dropped', () => {
  const text = fw(rule('R1', '<description><![CDATA[a<b & c]]></description>') + '\n' + rule('R2', '<description>left<!-- note -->right</description>'));
  const d = parse(text);
  assert.deepEqual(d.errors, []);
  const m = model(text);
  assert.deepEqual(
    m.vsys[0]!.rulebase.rules.map((r) => r.description?.value),
    ['a<b & c', 'leftright'],
  );
});

test('xml: the XML-API envelope <response status="success"><result><config> is accepted', () => {
  const text = `<response status="success"><result total-count="1" count="1">
  <config version="10.2.0" urldb="paloaltonetworks" detail-version="10.2.3">
    <devices><entry name="localhost.localdomain"><vsys><entry name="vsys1"><rulebase><security><rules>
      <entry name="R1"><action>allow</action></entry>
    </rules></security></rulebase></entry></vsys></entry></devices>
  </config>
</result></response>`;
  assert.equal(detectFormat(text), 'xml');
  assert.equal(looksLikePanos(text), true);
  const d = parse(text);
  assert.deepEqual(d.errors, []);
  assert.equal(d.config!.tag, 'config');
  assert.deepEqual(d.envelope, spanIn(text, '<response', 'response'));
  const m = model(text);
  assert.equal(m.kind, 'firewall');
  assert.deepEqual(m.version, { value: '10.2.0', span: spanOf(text, '10.2.0') });
  assert.deepEqual(m.detailVersion, { value: '10.2.3', span: spanOf(text, '10.2.3') });
  assert.deepEqual(ruleNames(m), ['R1']);
});

test('xml: an XML-API error response is reported', () => {
  const text = '<response status="error" code="7"><msg><line>Object doesn\'t exist</line></msg></response>';
  assert.equal(looksLikePanos(text), false);
  const d = parse(text);
  assert.equal(d.config, undefined);
  assert.deepEqual(d.errors, [
    { message: "XML-API response status is 'error', not 'success'", span: spanIn(text, 'status="error"', 'error') },
    { message: 'XML-API response holds no <result><config>', span: spanIn(text, '<response', 'response') },
  ]);
  assert.equal(buildModel(d), undefined);

  // An error status around a config still gives the config (and the status issue).
  const t2 = '<response status="error"><result><config version="9.1.0"><devices/></config></result></response>';
  const d2 = parse(t2);
  assert.deepEqual(d2.errors, [{ message: "XML-API response status is 'error', not 'success'", span: spanIn(t2, 'status="error"', 'error') }]);
  assert.equal(d2.config!.tag, 'config');
});

test('xml: format detection and the PAN-OS sniff', () => {
  const cases: [string, ReturnType<typeof detectFormat>, boolean][] = [
    ['<config version="10.1.0"/>', 'xml', true],
    ['\uFEFF  \n<?xml version="1.0"?>\n<!-- export -->\n<config/>', 'xml', true],
    ['<response status="success"><result><config/></result></response>', 'xml', true],
    ['<html><body/></html>', 'xml', false],
    ['<?xml version="1.0"?><response status="success"><result><job/></result></response>', 'xml', false],
    ['# comment\nset deviceconfig system hostname x\n', 'set', true],
    ['configure\nset address a ip-netmask 1.1.1.1\n', 'set', true],
    ['deviceconfig {\n  system {\n    hostname x;\n  }\n}\n', 'brace', false],
    ['config {\n}\n', 'brace', false],
    ['hello world\n', 'unknown', false],
    ['', 'unknown', false],
  ];
  for (const [text, format, panos] of cases) {
    assert.equal(detectFormat(text), format, JSON.stringify(text));
    assert.equal(looksLikePanos(text), panos, JSON.stringify(text));
  }
});

test('xml: duplicate same-name sibling entries and elements are merged by entries()/child()', () => {
  const text = `<config version="10.1.0"><devices><entry name="localhost.localdomain">
  <template>
    <entry name="T"><settings><default-vsys>vsys1</default-vsys></settings></entry>
    <entry name="U"/>
    <entry name="T"><config><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1"/></vsys></entry></devices></config></entry>
  </template>
  <deviceconfig><setting>
    <management><idle-timeout>10</idle-timeout></management>
    <management><max-rows-in-csv-export>1048576</max-rows-in-csv-export></management>
  </setting></deviceconfig>
  <vsys><entry name="vsys1"><rulebase><security><rules>
    <entry name="R"><source><member>a</member></source><source><member>a</member><member>b</member></source><action>deny</action><action>allow</action></entry>
  </rules></security></rulebase></entry></vsys>
</entry></devices></config>`;
  const d = parse(text);
  assert.deepEqual(d.errors, []);
  const dev = d.config!.at('devices/entry[localhost.localdomain]')!;
  const entries = dev.child('template')!.entries();
  assert.deepEqual(entries.map((e) => e.name), ['T', 'U']);
  const t = entries[0]!;
  assert.ok(t instanceof MergedNode);
  assert.equal(t.parts.length, 2);
  assert.deepEqual(t.nameSpan, spanIn(text, '<entry name="T"', 'T'));
  assert.deepEqual(t.children().map((c) => c.tag), ['settings', 'config']);
  assert.equal(t.at('settings/default-vsys')!.text()!.value, 'vsys1');
  assert.ok(t.at('config/devices/entry[localhost.localdomain]/vsys/entry[vsys1]'));

  const mgmt = dev.at('deviceconfig/setting/management')!;
  assert.ok(mgmt instanceof MergedNode);
  assert.deepEqual(mgmt.children().map((c) => c.tag), ['idle-timeout', 'max-rows-in-csv-export']);
  assert.equal(mgmt.textOf('idle-timeout')!.value, '10');
  assert.equal(mgmt.textOf('max-rows-in-csv-export')!.value, '1048576');

  // Merged member lists are de-duplicated; a repeated scalar takes the last value.
  const r = d.config!.at(`${VSYS1}/rulebase/security/rules/entry[R]`)!;
  assert.deepEqual(r.child('source')!.members().map((m) => m.value), ['a', 'b']);
  assert.deepEqual([r.memberValuesOf('source'), r.memberValuesOf('destination')], [['a', 'b'], []]);
  const one = parse('<config><x><source><member>c</member><other/><member>d &amp; e</member></source></x></config>').config!.child('x')!;
  assert.deepEqual([one.memberValuesOf('source'), one.child('source')!.members().map((m) => m.value)], [['c', 'd & e'], ['c', 'd & e']]);
  assert.deepEqual(r.textOf('action'), { value: 'allow', span: spanOf(text, 'allow') });

  const m = model(text);
  assert.equal(m.kind, 'panorama');
  assert.deepEqual(m.templates.map((x) => [x.name, x.vsys]), [['T', ['vsys1']], ['U', []]]);
});

test('xml: an EntryMap makes each entry of a container when first asked for, once, and iterates in document order', () => {
  const text = '<r><address><entry name="a"><v>1</v></entry><entry name="b"/><x/><entry name="c"/><entry/></address><other><entry name="z"/></other></r>';
  const doc = parseXml(text);
  const root = new XNode(doc, doc.root);
  const made: string[] = [];
  const make = (e: CNode, name: string): { name: string; node: CNode; v: string | undefined } => {
    made.push(name);
    return { name, node: e, v: e.textOf('v')?.value };
  };
  const m = new EntryMap<ReturnType<typeof make>>();
  root.child('address')!.fillEntries(m, make);
  assert.deepEqual([m.size, [...m.keys()], made], [3, ['a', 'b', 'c'], []]);
  assert.equal(m.has('b'), true);
  assert.deepEqual(made, []);
  const b = m.get('b')!;
  assert.deepEqual([b.name, b.node.tag, b.node.name, b.node.span, made], ['b', 'entry', 'b', spanOf(text, '<entry name="b"/>'), ['b']]);
  assert.equal(m.get('b'), b);
  assert.equal(m.get('nope'), undefined);
  assert.deepEqual(made, ['b']);
  // Deleting one not made yet, then iterating: the rest are made, in the container's order.
  assert.equal(m.delete('c'), true);
  assert.deepEqual(
    [...m.values()].map((x) => [x.name, x.v]),
    [
      ['a', '1'],
      ['b', undefined],
    ],
  );
  assert.deepEqual(made, ['b', 'a']);
  // A second container of the same namespace keeps the names already held.
  root.child('other')!.fillEntries(m, make);
  assert.deepEqual([...m.keys()], ['a', 'b', 'z']);
  assert.deepEqual([...m.entries()].map(([k, v]) => [k, v.node.span.start]), [
    ['a', text.indexOf('<entry name="a">')],
    ['b', text.indexOf('<entry name="b"/>')],
    ['z', text.indexOf('<entry name="z"/>')],
  ]);
  assert.deepEqual(made, ['b', 'a', 'z']);
});

test('xml: an EntryMap reads an entry not made yet from its node without making its object, and a made one from the object', () => {
  const text = '<r><address><entry name="a"><v>1</v></entry><entry name="b"><v>2</v></entry></address></r>';
  const doc = parseXml(text);
  const made: string[] = [];
  const make = (e: CNode, name: string): { name: string; v: string | undefined } => {
    made.push(name);
    return { name, v: e.textOf('v')?.value };
  };
  const m = new EntryMap<ReturnType<typeof make>>();
  new XNode(doc, doc.root).child('address')!.fillEntries(m, make);
  const fromNode = (e: CNode): string => `node ${e.name}: ${e.textValueOf('v')}`;
  const fromObject = (o: { name: string; v: string | undefined }): string => `object ${o.name}: ${o.v}`;
  // Read from the node (the entry's own, named), no object made, the entry still stored unmade.
  assert.deepEqual([m.peekWith('a', fromNode, fromObject), m.peekWith('a', fromNode, fromObject), typeof m.raw('a'), made], ['node a: 1', 'node a: 1', 'number', []]);
  assert.equal(m.peekWith('nope', fromNode, fromObject), undefined);
  const a = m.get('a')!;
  assert.deepEqual([a, typeof m.raw('a'), made], [{ name: 'a', v: '1' }, 'object', ['a']]);
  // Once made, from the object.
  assert.equal(m.peekWith('a', fromNode, fromObject), 'object a: 1');
  // Every entry, in order, 'b' made for the pass only.
  const seen = [...m.peekEntries()];
  assert.deepEqual([seen.map(([k, v]) => [k, v.v]), seen[0]![1] === a, typeof m.raw('b'), made], [[['a', '1'], ['b', '2']], true, 'number', ['a', 'b']]);
  assert.deepEqual([[...m.values()].map((x) => x.v), made], [['1', '2'], ['a', 'b', 'b']]);
});

test('xml: an EntryMap reads names in place: entities, spaces trimmed, non-ASCII, empty and absent names, a name twice in a container (merged)', () => {
  const text =
    '<r><address><entry name="a&amp;b"/><entry name=" spaced "/><entry name="caf\u00e9"/><entry name=""/><entry/>' +
    '<entry name="x"><v>1</v></entry><entry name="&#120;"><v>2</v></entry><entry name="\u00a0nb"/></address>' +
    '<dup><entry name="p"/><entry name="q"><v>1</v></entry><entry name="q"><w>2</w></entry></dup></r>';
  const doc = parseXml(text);
  const root = new XNode(doc, doc.root);
  const make = (e: CNode, name: string): { name: string; node: CNode } => ({ name, node: e });
  const m = new EntryMap<ReturnType<typeof make>>();
  root.child('address')!.fillEntries(m, make);
  // `&#120;` is a second 'x' in the same container: the container's entries are merged, as a plain
  // map filled from the same container has them.
  const plain = new Map<string, ReturnType<typeof make>>();
  root.child('address')!.fillEntries(plain, make);
  assert.deepEqual([...m.keys()], ['a&b', 'spaced', 'café', '', 'x', 'nb']);
  assert.deepEqual([...m.keys()], [...plain.keys()]);
  assert.equal(m.size, 6);
  for (const k of ['a&b', 'spaced', 'café', '', 'x', 'nb']) assert.equal(m.has(k), true, k);
  for (const k of ['a&amp;b', ' spaced ', 'cafe', 'X', '\u00a0nb']) assert.equal(m.has(k), false, k);
  assert.ok(m.get('x')!.node instanceof MergedNode);
  // A repeated scalar takes the last value.
  assert.equal(m.get('x')!.node.textOf('v')!.value, '2');
  // A name twice in one container of the lazy map: merged too, after the earlier container's names.
  const n = new EntryMap<ReturnType<typeof make>>();
  root.child('dup')!.fillEntries(n, make);
  assert.deepEqual([...n.keys()], ['p', 'q']);
  assert.ok(n.get('q')!.node instanceof MergedNode);
  assert.deepEqual(n.get('q')!.node.children().map((c) => c.tag), ['v', 'w']);
  assert.equal(n.get('p')!.node instanceof XNode, true);
});

test('xml: element names chosen to share one hash (every string of 12 pairs of Aa and BB) are interned as others, past the 16th by their string', () => {
  const names: string[] = [];
  for (let i = 0; i < 1 << 12; i++) {
    let s = '';
    for (let b = 0; b < 12; b++) s += (i >> b) & 1 ? 'Aa' : 'BB';
    names.push(s);
  }
  assert.equal(new Set(names.map((n) => nameHashAt(n, 0, n.length))).size, 1);
  const doc = parseXml(`<r>${names.map((n, i) => `<${n} i="${i}"/>`).join('')}</r>`);
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.tagNames, ['r', ...names]);
  // Each probe meets at most 16 names of that hash: the other 4,080 are kept by their string.
  assert.equal(doc.collidingNames, 4096 - 16);
  const root = new XNode(doc, doc.root);
  assert.deepEqual([names[0]!, names[15]!, names[16]!, names[4095]!].map((n) => [root.child(n)!.attr('i')!.value, doc.tagId(n)]), [
    ['0', 1],
    ['15', 16],
    ['16', 17],
    ['4095', 4096],
  ]);
  // Each element carries its own name, interned once.
  assert.deepEqual(
    root.children().map((c) => c.tag),
    names,
  );
  assert.equal(parseXml(GOOD).collidingNames, 0);
});

test('xml: an EntryMap behaves as a Map filled from the same containers, under random names and operations', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    return ((seed >>> 8) % n + n) % n;
  };
  // Few distinct names, so that containers repeat names and probes collide; some written with an
  // entity or surrounding space.
  const names = Array.from({ length: 40 }, (_, i) => `n${i % 13}${i % 5 === 0 ? ' & co' : ''}`);
  const written = (nm: string): string => {
    const e = nm.replace(/&/g, rnd(2) ? '&amp;' : '&#38;');
    return rnd(6) === 0 ? ` ${e} ` : e;
  };
  for (let round = 0; round < 300; round++) {
    let text = '<r>';
    const containers = 1 + rnd(3);
    for (let c = 0; c < containers; c++) {
      text += `<c${c}>`;
      const count = rnd(30);
      // Two thirds of containers hold each name at most once (the table path throughout).
      const once = rnd(3) > 0;
      const used = new Set<string>();
      for (let i = 0; i < count; i++) {
        const nm = names[rnd(names.length)]!;
        if (once && used.has(nm)) continue;
        used.add(nm);
        text += `<entry name="${written(nm)}"><v>${i}</v></entry>`;
      }
      text += `</c${c}>`;
    }
    text += '</r>';
    const doc = parseXml(text);
    const root = new XNode(doc, doc.root);
    const make = (e: CNode, name: string): string => `${name}@${e.span.start}`;
    const lazy = new EntryMap<string>();
    const eager = new Map<string, string>();
    for (let c = 0; c < containers; c++) {
      root.child(`c${c}`)!.fillEntries(lazy, make);
      root.child(`c${c}`)!.fillEntries(eager, make);
    }
    const probe = [...names, 'none', ''];
    for (let op = 0; op < 40; op++) {
      const k = probe[rnd(probe.length)]!;
      const what = rnd(6);
      if (what === 0) assert.equal(lazy.delete(k), eager.delete(k), `round ${round}: delete ${k}`);
      else if (what === 1) {
        lazy.set(k, `set ${op}`);
        eager.set(k, `set ${op}`);
      } else if (what === 2) assert.equal(lazy.has(k), eager.has(k), `round ${round}: has ${k}`);
      else assert.equal(lazy.get(k), eager.get(k), `round ${round}: get ${k}`);
      assert.equal(lazy.size, eager.size, `round ${round}: size`);
    }
    assert.deepEqual([...lazy.entries()], [...eager.entries()], `round ${round}: entries`);
    assert.deepEqual([...lazy.keys()], [...eager.keys()], `round ${round}: keys`);
  }
});

// ---------------------------------------------------------------------------------------------
// Broken input: exact messages and spans, and what could still be read
// ---------------------------------------------------------------------------------------------

type Broken = {
  name: string;
  text: string;
  /** Expected issues, computed from the text. */
  errors: (t: string) => SyntaxIssue[];
  /** What could still be read. */
  check: (t: string) => void;
};

const truncated = (() => {
  const full = fw(rule('R1') + '\n' + rule('R2'));
  const cut = full.indexOf('</from>', full.indexOf('name="R2"')) + '</from>'.length;
  return full.slice(0, cut);
})();

const broken: Broken[] = [
  {
    name: 'unclosed elements at end of file (truncated file)',
    text: truncated,
    errors: (t) => eofIssues(t, [...OUTER, '<entry name="R2"']),
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'R2']);
      const r2 = m.vsys[0]!.rulebase.rules[1]!;
      assert.deepEqual(r2.from.items, [{ value: 'trust', span: spanIn(t, '<entry name="R2">\n                  <from><member>trust', 'trust') }]);
      assert.equal(r2.action, 'unknown');
      assert.equal(xnode(r2.node).unclosed, true);
      assert.equal(xnode(m.vsys[0]!.rulebase.rules[0]!.node).unclosed, false);
    },
  },
  {
    name: 'mismatched end tag',
    text: fw(rule('R1') + '\n' + rule('R2', '<action>allow</actoin>') + '\n' + rule('R3')),
    errors: (t) => [
      { message: 'Unexpected end tag </actoin>: the open element is <action>', span: spanOf(t, '</actoin>') },
      { message: 'Element <action> is not closed before </entry>', span: spanIn(t, '<action>allow</actoin>', '<action') },
    ],
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'R2', 'R3']);
      assert.deepEqual(m.vsys[0]!.rulebase.rules.map((r) => r.action), ['allow', 'allow', 'allow']);
    },
  },
  {
    name: "a rule's end tag not typed yet: the next rule at the same indentation is its sibling, not its child",
    text: fw(rule('R1') + '\n' + rule('NEW').replace(/\n {16}<\/entry>$/, '') + '\n' + rule('R2') + '\n' + rule('R3')),
    errors: (t) => [{ message: 'Element <entry> is not closed before <entry> (at the same indentation as <entry>)', span: spanIn(t, '<entry name="NEW"', '<entry') }],
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'NEW', 'R2', 'R3']);
      assert.deepEqual(m.vsys[0]!.rulebase.rules.map((r) => r.action), ['allow', 'allow', 'allow', 'allow']);
      assert.equal(xnode(m.vsys[0]!.rulebase.rules[1]!.node).unclosed, true);
    },
  },
  {
    name: "a rule's end tag not typed yet, nor the end tag of its last field",
    text: fw(rule('R1') + '\n' + rule('NEW', '<source>\n                    <member>any</member>').replace(/\n {16}<\/entry>$/, '') + '\n' + rule('R2')),
    errors: (t) => [
      { message: 'Element <source> is not closed before <entry> (at the same indentation as <entry>)', span: spanIn(t, '<source>\n', '<source') },
      { message: 'Element <entry> is not closed before <entry> (at the same indentation as <entry>)', span: spanIn(t, '<entry name="NEW"', '<entry') },
    ],
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'NEW', 'R2']);
      assert.deepEqual(m.vsys[0]!.rulebase.rules[1]!.source.items.map((x) => x.value), ['any']);
    },
  },
  {
    name: "an entry's start tag lost (a deleted '<'): its end tag, deeper than the vsys entry, is stray",
    text: fw(rule('R1'), `
          <address>
            <entry name="a1">
              <ip-netmask>10.0.0.1/32</ip-netmask>
            </entry>
            entry name="a2">
              <ip-netmask>10.0.0.2/32</ip-netmask>
            </entry>
          </address>`),
    errors: (t) => [{ message: 'Unexpected end tag </entry>: the open element is <address>', span: spanOf(t, '</entry>', 1) }],
    check: (t) => {
      const m = model(t);
      // The rules stay in vsys1 (closing vsys1 at the stray </entry> would have moved them out).
      assert.deepEqual(ruleNames(m), ['R1']);
      assert.deepEqual(m.vsys.map((v) => v.name), ['vsys1']);
    },
  },
  {
    name: 'end tag with no open element',
    text: fw(THREE) + '</config>\n',
    errors: (t) => [{ message: 'Unexpected end tag </config> with no open element', span: spanOf(t, '</config>', 1) }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2', 'R3']),
  },
  {
    name: "stray '<' followed by a space",
    text: fw(rule('R1', '<description>a < b</description>') + '\n' + rule('R2')),
    errors: (t) => [{ message: "'<' is not followed by an element name (write '&lt;' for a literal '<')", span: spanIn(t, 'a < b', '<') }],
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'R2']);
      assert.deepEqual(m.vsys[0]!.rulebase.rules[0]!.description, { value: 'a < b', span: spanOf(t, 'a < b') });
    },
  },
  {
    name: 'unterminated start tag (typing <entry name="x" before the next tag)',
    text: fw(rule('R1') + '\n                <entry name="NEW"\n' + rule('R2')),
    errors: (t) => [{ message: "Start tag <entry> is not terminated by '>'", span: spanIn(t, '<entry name="NEW"', '<entry') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2']),
  },
  {
    name: 'unterminated attribute quote',
    text: fw(rule('R1') + '\n                <entry name="NEW\n' + rule('R2')),
    errors: (t) => [{ message: 'Attribute value of <entry> is not terminated by a closing quote', span: spanIn(t, 'name="NEW', '"') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2']),
  },
  {
    name: 'unquoted attribute value',
    text: fw(rule('R1') + '\n' + rule('R2').replace('name="R2"', 'name=R2') + '\n' + rule('R3')),
    errors: (t) => [{ message: 'Malformed attribute in <entry>: values must be quoted, as name="value"', span: spanIn(t, 'name=R2', 'R') }],
    check: (t) => {
      // The element is kept (its children and end tag still match) but it has no readable name.
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'R3']);
      const rules = parse(t).config!.at(`${VSYS1}/rulebase/security/rules`)!;
      assert.deepEqual(rules.children().map((c) => c.name), ['R1', undefined, 'R3']);
    },
  },
  {
    name: 'unquoted attribute value with nothing after the =',
    text: fw(rule('R1') + '\n                <entry name=>\n                </entry>'),
    errors: (t) => [{ message: 'Malformed attribute in <entry>: values must be quoted, as name="value"', span: spanIn(t, 'name=>', '=') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1']),
  },
  {
    name: 'undefined entity',
    text: fw(rule('R1', '<description>a &foo; b</description>')),
    errors: (t) => [
      { message: "Undefined entity '&foo;' (only the five XML entities are understood; entities are never expanded)", span: spanOf(t, '&foo;') },
    ],
    check: (t) => assert.equal(model(t).vsys[0]!.rulebase.rules[0]!.description!.value, 'a &foo; b'),
  },
  {
    name: "bare '&' in text and in an attribute",
    text: fw(rule('R&D', '<description>Q&A</description>')),
    errors: (t) => [
      { message: "'&' must be written as '&amp;'", span: spanIn(t, 'R&D', '&') },
      { message: "'&' must be written as '&amp;'", span: spanIn(t, 'Q&A', '&') },
    ],
    check: (t) => {
      const r = model(t).vsys[0]!.rulebase.rules[0]!;
      assert.equal(r.name, 'R&D');
      assert.equal(r.description!.value, 'Q&A');
    },
  },
  {
    name: 'unterminated comment',
    text: fw(rule('R1') + '\n                <!-- parked rules\n' + rule('R2')),
    errors: (t) => [{ message: "Comment is not terminated by '-->'", span: spanOf(t, '<!--') }, ...eofIssues(t, OUTER)],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1']),
  },
  {
    name: 'unterminated CDATA section',
    text: fw(rule('R1') + '\n' + rule('R2', '<description><![CDATA[abc</description>') + '\n' + rule('R3')),
    errors: (t) => [{ message: "CDATA section is not terminated by ']]>'", span: spanOf(t, '<![CDATA[') }, ...eofIssues(t, [...OUTER, '<entry name="R2"', '<description>'])],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2']),
  },
  {
    name: 'text before the root element',
    text: '<?xml version="1.0"?>\nrunning config follows\n' + fw(THREE).slice('<?xml version="1.0"?>\n'.length),
    errors: (t) => [{ message: 'Text before the root element', span: spanOf(t, 'running config follows') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2', 'R3']),
  },
  {
    name: 'text after the root element',
    text: fw(THREE) + 'trailing junk\n',
    errors: (t) => [{ message: 'Text after the root element', span: spanOf(t, 'trailing junk') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2', 'R3']),
  },
  {
    name: 'extra root element',
    text: fw(THREE) + '<config version="9.0.0"><shared/></config>\n',
    errors: (t) => [{ message: 'Extra element <config> after the root element', span: spanIn(t, '<config version="9.0.0"', '<config') }],
    check: (t) => {
      const m = model(t);
      assert.equal(m.version!.value, '10.1.0');
      assert.deepEqual(ruleNames(m), ['R1', 'R2', 'R3']);
    },
  },
  {
    name: "end tag not terminated by '>'",
    text: fw(rule('R1', '<action>allow</action\n') + '\n' + rule('R2')),
    errors: (t) => [{ message: "End tag </action> is not terminated by '>'", span: spanOf(t, '</action') }],
    check: (t) => {
      const m = model(t);
      assert.deepEqual(ruleNames(m), ['R1', 'R2']);
      assert.equal(m.vsys[0]!.rulebase.rules[0]!.action, 'allow');
    },
  },
  {
    name: "end tag without a name ('</ >')",
    text: fw(rule('R1') + '</ >\n' + rule('R2')),
    errors: (t) => [{ message: "Malformed end tag: expected a name after '</'", span: spanOf(t, '</ >') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2']),
  },
  {
    name: 'unknown markup declaration',
    text: fw(rule('R1') + '<!ELEMENT x ANY>\n' + rule('R2')),
    errors: (t) => [{ message: 'Unknown markup declaration', span: spanOf(t, '<!') }],
    check: (t) => assert.deepEqual(ruleNames(model(t)), ['R1', 'R2']),
  },
  {
    name: 'unterminated processing instruction',
    text: '<config version="10.1.0"><?pi data',
    errors: (t) => [{ message: "Processing instruction is not terminated by '?>'", span: spanOf(t, '<?') }, ...eofIssues(t, ['<config'])],
    check: (t) => assert.equal(model(t).version!.value, '10.1.0'),
  },
];

for (const c of broken) {
  test(`xml broken input: ${c.name}`, () => {
    const d = parse(c.text);
    assert.equal(d.format, 'xml');
    assert.deepEqual(d.errors, c.errors(c.text));
    c.check(c.text);
  });
}

test('xml: a well-formed document is read strictly, whatever its indentation', () => {
  // A child entry at its parent's indentation, and an end tag deeper than its start tag.
  const t = '<config>\n<a>\n<a>\n  <b/>\n    </a>\n</a>\n</config>\n';
  const d = parseXml(t);
  assert.deepEqual(d.errors, []);
  const outer = d.firstChild[d.root]!;
  const inner = d.firstChild[outer]!;
  assert.equal(d.name(inner), 'a');
  assert.equal(d.parent[inner], outer);
  assert.equal(d.end[inner], spanOf(t, '</a>').end);
});

test('xml: the indentation reading is kept only when it has no more issues than the strict one', () => {
  // Unindented nesting (children at their parent's column) with one end tag missing at the end:
  // reading by indentation would close each <a> at the next one and leave two </a> stray.
  const t = '<config>\n<a>\n<a>\n<a>\n</a>\n</a>\n</config>\n';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [{ message: 'Element <a> is not closed before </config>', span: spanIn(t, '<config>\n<a>', '<a') }]);
});

test('xml broken input: no element at all', () => {
  assert.deepEqual(parseXml('').errors, [{ message: 'No XML element found', span: { start: 0, end: 0 } }]);
  const decl = '<?xml version="1.0"?>\n<!-- nothing here -->\n';
  assert.deepEqual(parseXml(decl).errors, [{ message: 'No XML element found', span: { start: 0, end: 1 } }]);
  assert.equal(parseXml(decl).root, -1);
  const d = parse(decl);
  assert.equal(d.format, 'xml');
  assert.equal(d.config, undefined);
  assert.deepEqual(d.errors, [{ message: 'No XML element found', span: { start: 0, end: 1 } }]);
  assert.equal(buildModel(d), undefined);
  // Text only: the stray text is reported too.
  const txt = '  just text';
  assert.deepEqual(parseXml(txt).errors, [
    { message: 'Text before the root element', span: spanOf(txt, 'just text') },
    { message: 'No XML element found', span: { start: 0, end: 1 } },
  ]);
  // parse() does not treat text that does not start with '<' as XML at all.
  assert.equal(parse(txt).format, 'unknown');
});

test('xml: a DOCTYPE with an internal subset is skipped, not expanded, and is no error', () => {
  const doctype = `<!DOCTYPE config [
  <!ENTITY x "<address><entry name='evil'/></address>">
  <!ELEMENT config ANY>
]>`;
  const text = `<?xml version="1.0"?>\n${doctype}\n${fw(rule('R1')).slice('<?xml version="1.0"?>\n'.length)}`;
  const doc = parseXml(text);
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.doctype, spanOf(text, doctype));
  assert.equal(doc.name(doc.root), 'config');
  const m = model(text);
  assert.deepEqual(ruleNames(m), ['R1']);
  assert.equal(m.vsys[0]!.scope.addresses.size, 0);

  // A reference to an entity of the internal subset is not expanded: it is an undefined entity.
  const withRef = text.replace('<action>allow</action>', '<action>allow</action><description>&x;</description>');
  const d = parse(withRef);
  assert.deepEqual(d.errors, [
    { message: "Undefined entity '&x;' (only the five XML entities are understood; entities are never expanded)", span: spanOf(withRef, '&x;') },
  ]);
  const r = buildModel(d)!.vsys[0]!.rulebase.rules[0]!;
  assert.equal(r.description!.value, '&x;');
  assert.equal(buildModel(d)!.vsys[0]!.scope.addresses.size, 0);
});

test('xml: an unterminated DOCTYPE is reported', () => {
  const text = '<!DOCTYPE config [ <!ENTITY a "b"> ';
  const doc = parseXml(text);
  assert.deepEqual(doc.doctype, { start: 0, end: text.length });
  assert.deepEqual(doc.errors, [
    { message: 'DOCTYPE declaration is not terminated', span: spanOf(text, '<!DOCTYPE') },
    { message: 'No XML element found', span: { start: 0, end: 1 } },
  ]);
});

test('xml: the number of reported issues is capped', () => {
  const extra = 50;
  const text = `<config>${'&'.repeat(MAX_SYNTAX_ISSUES + extra)}</config>`;
  const doc = parseXml(text);
  assert.equal(doc.errors.length, MAX_SYNTAX_ISSUES + 1);
  const first = text.indexOf('&');
  assert.deepEqual(doc.errors[0], { message: "'&' must be written as '&amp;'", span: { start: first, end: first + 1 } });
  const lastReal = doc.errors[MAX_SYNTAX_ISSUES - 1]!;
  assert.deepEqual(lastReal.span, { start: first + MAX_SYNTAX_ISSUES - 1, end: first + MAX_SYNTAX_ISSUES });
  assert.deepEqual(doc.errors[MAX_SYNTAX_ISSUES], { message: `${extra} more XML syntax errors not shown`, span: lastReal.span });
});

test('xml: CRLF line breaks and a byte order mark do not shift spans', () => {
  const text = '\uFEFF' + fw(rule('R1')).replace(/\n/g, '\r\n');
  const d = parse(text);
  assert.deepEqual(d.errors, []);
  const r = model(text).vsys[0]!.rulebase.rules[0]!;
  assert.deepEqual(r.nameSpan, spanOf(text, 'R1'));
  assert.deepEqual(r.from.items, [{ value: 'trust', span: spanOf(text, 'trust') }]);
});

/** The corpus's XML files (read in place), by name. */
function corpusXmlTexts(): [string, string][] {
  return corpusFiles()
    .map((f) => [f, read(f)] as [string, string])
    .filter(([, t]) => t.trimStart().startsWith('<'));
}

/** A random document of elements whose names are prefixes of each other, siblings of one name in runs, some self-closing, some with attributes. */
function prefixNamesDoc(seed: number): string {
  let s = seed;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const names = ['member', 'member2', 'mem', 'entry', 'entry-x', 'entryx', 'e', 'm', 'ip-netmask', 'ip'];
  const out: string[] = [];
  const el = (depth: number): void => {
    const name = names[rnd(names.length)]!;
    const attrs = rnd(3) === 0 ? ` name="${names[rnd(names.length)]}"` : '';
    if (depth > 4 || rnd(5) === 0) {
      out.push(rnd(2) === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>t</${name}>`);
      return;
    }
    out.push(`<${name}${attrs}>`);
    // Runs of one name, and of names sharing a prefix.
    const kids = rnd(6);
    for (let k = 0; k < kids; k++) {
      if (rnd(2) === 0) {
        const again = names[rnd(names.length)]!;
        for (let j = rnd(4); j >= 0; j--) out.push(`<${again}>v</${again}>`);
      } else el(depth + 1);
      if (rnd(4) === 0) out.push('\n  ');
    }
    out.push(`</${name}>`);
  };
  out.push('<r>');
  for (let k = 0; k < 8; k++) el(1);
  out.push('</r>');
  return out.join('');
}

test('xml: every element is named by its start tag as written (its name and where the name ends), on random documents of names that are prefixes of each other and on the corpus', () => {
  let n = 0;
  const texts: [string, string][] = Array.from({ length: 200 }, (_, i) => [`random ${i}`, prefixNamesDoc(i + 1)] as [string, string]);
  for (const [name, text] of [...texts, ...corpusXmlTexts()]) {
    const doc = parseXml(text);
    for (let i = 0; i < doc.count; i++) {
      // The name as written: up to the first space, '/' or '>' after the '<'.
      const want = /^[^\s/>]+/.exec(text.slice(doc.start[i]! + 1, doc.start[i]! + 200))?.[0];
      assert.equal(doc.name(i), want, `${name}: element ${i} at ${doc.start[i]}`);
      assert.equal(doc.nameEnd[i], doc.start[i]! + 1 + want!.length, `${name}: element ${i}'s name end`);
      // The id is the interned one: the same name has one id.
      assert.equal(doc.tagId(doc.name(i)), doc.tag[i], `${name}: element ${i}`);
      n++;
    }
  }
  assert.ok(n > 20000, `${n} elements`);
});

test("xml: an attribute is found whether it is the tag's first after one space in double quotes or written otherwise, on random tags", () => {
  let s = 5;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const forms = [
    (v: string) => ` name="${v}"`,
    (v: string) => `  name="${v}"`,
    (v: string) => ` name='${v}'`,
    (v: string) => ` name = "${v}"`,
    (v: string) => ` uuid="u-1" name="${v}"`,
    (v: string) => ` namex="no" name="${v}"`,
    (v: string) => ` name="${v}" loc="x"`,
    (v: string) => `\tname="${v}"`,
    (v: string) => ` name "${v}"`,
    (v: string) => ` name"${v}"`,
    () => ` xname="no"`,
    () => ` nam="no"`,
    () => '',
  ];
  const values = ['a', '', 'web srv', 'a&amp;b', ' padded ', 'x'.repeat(40), 'é-ü'];
  const reference = (tag: string): string | undefined => {
    // Attributes in order: the first named exactly `name`, its value decoded (entities) and trimmed.
    for (const m of tag.matchAll(/\s([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (m[1] === 'name') return (m[2] ?? m[3]!).replace(/&amp;/g, '&').trim();
    }
    return undefined;
  };
  let found = 0;
  for (let k = 0; k < 600; k++) {
    const tags: string[] = [];
    for (let j = 0; j < 5; j++) {
      const f = forms[rnd(forms.length)]!;
      tags.push(`<entry${f(values[rnd(values.length)]!)}${rnd(3) === 0 ? '/>' : '>v</entry>'}`);
    }
    const text = `<r>${tags.join('')}</r>`;
    const doc = parseXml(text);
    const entries = Array.from({ length: doc.count }, (_, i) => i).filter((i) => doc.name(i) === 'entry');
    assert.equal(entries.length, tags.length, text);
    entries.forEach((i, j) => {
      const want = reference(tags[j]!.slice(0, tags[j]!.indexOf('>') + 1));
      assert.equal(doc.attrText(i, 'name'), want, tags[j]);
      const a = doc.attr(i, 'name');
      assert.equal(a?.value, want, tags[j]);
      if (a) assert.equal(text.slice(a.span.start, a.span.end).replace(/&amp;/g, '&').trim(), want, `span of ${tags[j]}`);
      if (want !== undefined) found++;
    });
  }
  assert.ok(found > 1500, `${found} found`);
});
