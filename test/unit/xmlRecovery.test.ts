/**
 * @fileoverview Unit tests of the XML scanner's recovery from broken input (parse/xml.ts): for each
 * kind of damage, the exact issues reported (message and span) and the exact extent, parent and
 * flags of the elements kept, as the scanner records them (start tag, end tag, implicit closes).
 * Every offset is computed from the text with spanOf/spanIn, never typed by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlFlag, parseXml, type SyntaxIssue, type XmlDoc } from '../../server/src/core/parse/xml';
import { oneElement } from '../../server/src/core/incrementalXml';
import { spanIn, spanOf } from '../helpers';

/** Index of the n-th element (document order) named `name`. */
function el(doc: XmlDoc, name: string, n = 0): number {
  let seen = 0;
  for (let i = 0; i < doc.count; i++) {
    if (doc.name(i) === name && seen++ === n) return i;
  }
  throw new Error(`no element <${name}> #${n}`);
}

type Shape = { name: string; parent: string | null; start: number; openEnd: number; closeStart: number; end: number; unclosed: boolean };

/** What the scanner kept of element i. */
function shape(doc: XmlDoc, i: number): Shape {
  const p = doc.parent[i]!;
  return {
    name: doc.name(i),
    parent: p >= 0 ? doc.name(p) : null,
    start: doc.start[i]!,
    openEnd: doc.openEnd[i]!,
    closeStart: doc.closeStart[i]!,
    end: doc.end[i]!,
    unclosed: (doc.flags[i]! & XmlFlag.Unclosed) !== 0,
  };
}

/**
 * The expected shape of the element whose start tag is `open` (its n-th occurrence), closed at
 * `closeStart` and ending at `end` (offsets in `t`).
 */
function want(t: string, open: string, parent: string | null, closeStart: number, end: number, unclosed = false, n = 0): Shape {
  const o = spanOf(t, open, n);
  return { name: /^<([^\s>/]+)/.exec(open)![1]!, parent, start: o.start, openEnd: o.end, closeStart, end, unclosed };
}

const issue = (message: string, span: { start: number; end: number }): SyntaxIssue => ({ message, span });

// ---------------------------------------------------------------------------------------------
// Broken end tags
// ---------------------------------------------------------------------------------------------

test("xml recovery: an end tag with junk before its '>' is reported up to the first unexpected character and closes its element up to the next '<'", () => {
  const t = '<r><a>x</a foo><b/></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue("End tag </a> is not terminated by '>'", spanOf(t, '</a f'))]);
  const lt = spanOf(t, '</a').start;
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', lt, spanOf(t, '<b/>').start));
  assert.deepEqual(shape(d, el(d, 'b')), want(t, '<b/>', 'r', spanOf(t, '<b/>').end, spanOf(t, '<b/>').end));
  assert.equal(d.count, 3);
  // The innermost element was closed: nothing unbalanced.
  assert.equal(d.structural, false);
});

test('xml recovery: a file cut inside an end tag closes that element at the end of the file, unclosed only its ancestors', () => {
  const t = '<r><a>x</a';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [
    issue("End tag </a> is not terminated by '>'", spanOf(t, '</a')),
    issue('Unexpected end of file: element not closed (innermost <r>)', { start: t.length, end: t.length }),
    issue('Element <r> is never closed', spanIn(t, '<r>', 'r')),
  ]);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', spanOf(t, '</a').start, t.length));
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, t.length, t.length, true));
  assert.equal(d.structural, true);
});

test("xml recovery: an end tag without a name and without '>' reports '</' alone and closes nothing", () => {
  const t = '<r></ \n<a/></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue("Malformed end tag: expected a name after '</'", spanOf(t, '</', 0))]);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a/>', 'r', spanOf(t, '<a/>').end, spanOf(t, '<a/>').end));
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, spanOf(t, '</r>').start, t.length));
  assert.equal(d.structural, false);
});

test('xml recovery: an end tag of the innermost element with a space before its \'>\' closes it wherever it is indented', () => {
  // Deeper than its start tag, but it closes the innermost element: never stray.
  const t = '<r>\n<a>\n    </a >\n</r>\n';
  const d = parseXml(t);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', spanOf(t, '</a').start, spanOf(t, '</a >').end));
});

// ---------------------------------------------------------------------------------------------
// End tags that close an outer element, or none
// ---------------------------------------------------------------------------------------------

test('xml recovery: an end tag of an outer element closes the elements inside it where it starts, each marked unclosed', () => {
  const t = '<r><a><b><c>x</a><d/></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [
    issue('Element <c> is not closed before </a>', spanOf(t, '<c')),
    issue('Element <b> is not closed before </a>', spanOf(t, '<b')),
  ]);
  const lt = spanOf(t, '</a>').start;
  assert.deepEqual(shape(d, el(d, 'c')), want(t, '<c>', 'b', lt, lt, true));
  assert.deepEqual(shape(d, el(d, 'b')), want(t, '<b>', 'a', lt, lt, true));
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', lt, spanOf(t, '</a>').end));
  assert.deepEqual(shape(d, el(d, 'd')), want(t, '<d/>', 'r', spanOf(t, '<d/>').end, spanOf(t, '<d/>').end));
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, spanOf(t, '</r>').start, t.length));
  assert.equal(d.structural, true);
});

test('xml recovery: the root closed by an end tag that skips an unclosed element: text after it is after the root', () => {
  const t = '<r><a></r> junk';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue('Element <a> is not closed before </r>', spanOf(t, '<a')), issue('Text after the root element', spanOf(t, 'junk'))]);
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, spanOf(t, '</r>').start, spanOf(t, '</r>').end));
});

test('xml recovery: an end tag no open element has names the innermost open element, and closes nothing', () => {
  const t = '<r><a><b/></x></a></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue('Unexpected end tag </x>: the open element is <a>', spanOf(t, '</x>'))]);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', spanOf(t, '</a>').start, spanOf(t, '</a>').end));
  assert.equal(d.structural, true);
});

test('xml recovery: an outer end tag at a line start closes its element when that element does not start a line itself', () => {
  // <a> follows <r> on its line: the indentation says nothing, so </a> closes it (and <b> inside).
  const t = '<r><a>\n<b>\n</a>\n</r>\n';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue('Element <b> is not closed before </a>', spanOf(t, '<b'))]);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', spanOf(t, '</a>').start, spanOf(t, '</a>').end));
});

// ---------------------------------------------------------------------------------------------
// Reading by indentation
// ---------------------------------------------------------------------------------------------

/** A list whose first entry's end tag is missing (line breaks `nl`, one level of indentation `ind`). */
function missingEntryEnd(nl: string, ind: string): string {
  const i = (n: number): string => ind.repeat(n);
  return ['<r>', `${i(1)}<list>`, `${i(2)}<entry>`, `${i(3)}<x>1</x>`, `${i(2)}<entry>`, `${i(3)}<x>2</x>`, `${i(2)}</entry>`, `${i(1)}</list>`, '</r>', ''].join(nl);
}

for (const [what, nl, ind] of [
  ['LF, spaces', '\n', '  '],
  ['CR LF, spaces', '\r\n', '  '],
  ['CR, spaces', '\r', '  '],
  ['LF, tabs', '\n', '\t'],
] as const) {
  test(`xml recovery: an entry whose end tag is missing ends where the next entry at its indentation starts (${what})`, () => {
    const t = missingEntryEnd(nl, ind);
    const d = parseXml(t);
    assert.deepEqual(d.errors, [issue('Element <entry> is not closed before <entry> (at the same indentation as <entry>)', spanOf(t, '<entry'))]);
    const next = spanOf(t, '<entry>', 1).start;
    assert.deepEqual(shape(d, el(d, 'entry')), want(t, '<entry>', 'list', next, next, true));
    assert.deepEqual(shape(d, el(d, 'entry', 1)), want(t, '<entry>', 'list', spanOf(t, '</entry>').start, spanOf(t, '</entry>').end, false, 1));
    // Read by indentation, the document still counts as unbalanced (an incremental re-scan must not patch it).
    assert.equal(d.structural, true);
  });
}

test('xml recovery: reading by indentation looks no further down than an element less indented than the new start tag', () => {
  // The second <e> is at the first's indentation, but <w> between them is less indented: not siblings.
  const t = '<r>\n  <e>\n <w>\n  <e>\n</r>\n';
  const d = parseXml(t);
  const lt = spanOf(t, '</r>').start;
  assert.deepEqual(d.errors, [
    issue('Element <e> is not closed before </r>', spanOf(t, '<e', 1)),
    issue('Element <w> is not closed before </r>', spanOf(t, '<w')),
    issue('Element <e> is not closed before </r>', spanOf(t, '<e')),
  ]);
  assert.deepEqual(shape(d, el(d, 'e', 1)), want(t, '<e>', 'w', lt, lt, true, 1));
});

test('xml recovery: reading by indentation never closes the root at a start tag of its name', () => {
  const t = '<r>\n  <a>\n<r>\n</r>\n';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [
    issue('Unexpected end of file: 2 elements not closed (innermost <a>)', { start: t.length, end: t.length }),
    issue('Element <a> is never closed', spanIn(t, '<a>', 'a')),
    issue('Element <r> is never closed', spanIn(t, '<r>', 'r')),
  ]);
  assert.deepEqual(shape(d, el(d, 'r', 1)), want(t, '<r>', 'a', spanOf(t, '</r>').start, spanOf(t, '</r>').end, false, 1));
});

/** `<r>`, an `<e>`, `levels` unclosed elements each more indented, then `<e/>` at the first `<e>`'s indentation. */
function deepSibling(levels: number): string {
  const lines = ['<r>', ' <e>'];
  for (let k = 1; k <= levels; k++) lines.push(`${' '.repeat(k + 1)}<n${k}>`);
  lines.push(' <e/>', '</r>', '');
  return lines.join('\n');
}

test('xml recovery: reading by indentation looks at most 32 elements down the stack for the unclosed sibling', () => {
  // 31 elements between: <e> is the 32nd down, found; the new <e/> is its sibling.
  const near = parseXml(deepSibling(31));
  assert.equal(near.errors.length, 32);
  assert.deepEqual(near.errors[31], issue('Element <e> is not closed before <e> (at the same indentation as <e>)', spanOf(near.text, '<e')));
  assert.equal(shape(near, el(near, 'e', 1)).parent, 'r');
  // 32 between: the 33rd down is not looked at; the new <e/> stays inside the innermost element.
  const far = parseXml(deepSibling(32));
  assert.equal(far.errors.length, 33);
  assert.deepEqual(far.errors[32], issue('Element <e> is not closed before </r>', spanOf(far.text, '<e')));
  assert.equal(shape(far, el(far, 'e', 1)).parent, 'n32');
});

// ---------------------------------------------------------------------------------------------
// End of file
// ---------------------------------------------------------------------------------------------

test('xml recovery: at the end of the file every open element is marked unclosed and ends there, its content up to it', () => {
  const t = '<r><a>one<b>two';
  const d = parseXml(t);
  const n = t.length;
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, n, n, true));
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', n, n, true));
  assert.deepEqual(shape(d, el(d, 'b')), want(t, '<b>', 'a', n, n, true));
  assert.equal(d.textOf(el(d, 'b')), 'two');
  assert.deepEqual(d.textSpan(el(d, 'a')), { start: spanOf(t, 'one').start, end: n });
});

test('xml recovery: a range scanned alone ends at its end, not at the end of the text', () => {
  // The range stops inside the end tag: the tag is not terminated there, whatever follows.
  const t = '<r><a>x</a><b/></r>';
  const cut = spanOf(t, '</a').end;
  const d = parseXml(t, 0, cut);
  assert.deepEqual(d.errors, [
    issue("End tag </a> is not terminated by '>'", spanOf(t, '</a')),
    issue('Unexpected end of file: element not closed (innermost <r>)', { start: cut, end: cut }),
    issue('Element <r> is never closed', spanIn(t, '<r>', 'r')),
  ]);
  assert.deepEqual(shape(d, el(d, 'a')), want(t, '<a>', 'r', spanOf(t, '</a').start, cut));
  assert.deepEqual(shape(d, el(d, 'r')), want(t, '<r>', null, cut, cut, true));
  // The range stops inside a CDATA section: the element's text is read up to the range's end.
  const c = '<r><a><![CDATA[abc def]]></a></r>';
  const at = spanOf(c, 'abc').end;
  const dc = parseXml(c, 0, at);
  assert.deepEqual(dc.errors, [
    issue("CDATA section is not terminated by ']]>'", spanOf(c, '<![CDATA[')),
    issue('Unexpected end of file: 2 elements not closed (innermost <a>)', { start: at, end: at }),
    issue('Element <a> is never closed', spanIn(c, '<a>', 'a')),
    issue('Element <r> is never closed', spanIn(c, '<r>', 'r')),
  ]);
  assert.equal(dc.textOf(el(dc, 'a')), 'abc');
});

test('xml recovery: a run of sibling elements scanned alone (a forest) is no error, nor is an empty one', () => {
  const t = '<r>\n  <a/>\n  <b>x</b>\n  \n</r>';
  const from = spanOf(t, '<a/>').start;
  const d = parseXml(t, from, spanOf(t, '</b>').end, true);
  assert.deepEqual(d.errors, []);
  assert.deepEqual([shape(d, 0).parent, shape(d, 1).parent], [null, null]);
  const blank = spanOf(t, '</b>').end;
  assert.deepEqual(parseXml(t, blank, blank + 4, true).errors, []);
});

// ---------------------------------------------------------------------------------------------
// Start tags, attributes, stray '<'
// ---------------------------------------------------------------------------------------------

test("xml recovery: a stray '<' before a start tag is skipped alone; the element after it is kept", () => {
  const t = '<r>1 <<b/></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [issue("'<' is not followed by an element name (write '&lt;' for a literal '<')", spanIn(t, '<<', '<'))]);
  assert.deepEqual(shape(d, el(d, 'b')), want(t, '<b/>', 'r', spanOf(t, '<b/>').end, spanOf(t, '<b/>').end));
});

test('xml recovery: attributes: spaces around = are allowed, and the first malformed character is the one reported', () => {
  assert.deepEqual(parseXml(`<r n = "x" m\t=\t'y'/>`).errors, []);
  const t = '<r n="1" $ %/>';
  assert.deepEqual(parseXml(t).errors, [issue('Malformed attribute in <r>: values must be quoted, as name="value"', spanOf(t, '$'))]);
});

// ---------------------------------------------------------------------------------------------
// Markup: comments, CDATA, unknown declarations; text outside the root
// ---------------------------------------------------------------------------------------------

test("xml recovery: '<!-->' does not end the comment it opens", () => {
  const t = '<r><!--><a/>--><b/></r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(
    Array.from({ length: d.count }, (_, i) => d.name(i)),
    ['r', 'b'],
  );
});

test("xml recovery: a DOCTYPE ends at the first '>' outside its quotes and its internal subset", () => {
  for (const dt of ['<!DOCTYPE r SYSTEM "x>]y">', '<!DOCTYPE r [ <!ENTITY a "]>"> ]>']) {
    const t = `${dt}\n<r/>`;
    const d = parseXml(t);
    assert.deepEqual(d.errors, [], dt);
    assert.deepEqual(d.doctype, spanOf(t, dt));
  }
});

test('xml recovery: a DOCTYPE inside or after the root element, or a second one, is reported; the first one read is kept', () => {
  const msgIn = 'DOCTYPE declaration after the start of the root element (it belongs before it)';
  const inside = '<r><!DOCTYPE x><a/></r>';
  const di = parseXml(inside);
  assert.deepEqual(di.errors, [issue(msgIn, { start: 3, end: 12 })]);
  assert.deepEqual([di.doctype, di.count], [spanOf(inside, '<!DOCTYPE x>'), 2]);
  const after = '<r/>\n<!DOCTYPE x>';
  assert.deepEqual(parseXml(after).errors, [issue(msgIn, { start: 5, end: 14 })]);
  const twice = '<!DOCTYPE a>\n<!DOCTYPE b>\n<r/>';
  const dt = parseXml(twice);
  const b = twice.indexOf('<!DOCTYPE b');
  assert.deepEqual(dt.errors, [issue('Second DOCTYPE declaration (only one is allowed)', { start: b, end: b + '<!DOCTYPE'.length })]);
  assert.deepEqual(dt.doctype, spanOf(twice, '<!DOCTYPE a>'));
});

test('xml recovery: a CDATA section outside the root element is reported', () => {
  const t = '<![CDATA[x]]><r/>';
  assert.deepEqual(parseXml(t).errors, [issue('CDATA section outside the root element', spanOf(t, '<![CDATA['))]);
});

test('xml recovery: an unterminated unknown declaration runs to the end of the file', () => {
  const t = '<r/><!x y';
  assert.deepEqual(parseXml(t).errors, [issue('Unknown markup declaration', spanOf(t, '<!'))]);
});

test('xml recovery: text outside the root element is reported up to its last non-blank character, CR LF line breaks included', () => {
  for (const t of ['<r/>\r\ntrailing junk\r\n', '<r/>\ntrailing junk \t \n<!-- x -->\n', '<r/>\ntrailing junk  ']) {
    assert.deepEqual(parseXml(t).errors, [issue('Text after the root element', spanOf(t, 'trailing junk'))], JSON.stringify(t));
  }
  const t = '  junk\r\n<r/>';
  assert.deepEqual(parseXml(t).errors, [issue('Text before the root element', spanOf(t, 'junk'))]);
});

test('xml recovery: only the first run of text outside the root element is reported', () => {
  const t = 'before\n<r/>\nafter\n';
  assert.deepEqual(parseXml(t).errors, [issue('Text before the root element', spanOf(t, 'before'))]);
});

// ---------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------

test('xml recovery: character references out of range, surrogates and over-long references are bare ampersands; names are looked at for 10 characters', () => {
  const bare = "'&' must be written as '&amp;'";
  const undef = (e: string): string => `Undefined entity '${e}' (only the five XML entities are understood; entities are never expanded)`;
  const refs = ['&#0;', '&#xD800;', '&#xDFFF;', '&#xE000;', '&#X41;', '&#x10FFFF;', '&#x110000;', '&#x010FFFF;', '&#1114111;', '&#1114112;', '&abcdefghij;', '&abcdefghijk;', '&1abc;'];
  const t = `<r>${refs.join(' ')}</r>`;
  const at = (e: string): { start: number; end: number } => spanOf(t, e);
  const amp = (e: string): { start: number; end: number } => ({ start: at(e).start, end: at(e).start + 1 });
  assert.deepEqual(parseXml(t).errors, [
    issue(bare, amp('&#0;')),
    issue(bare, amp('&#xD800;')),
    issue(bare, amp('&#xDFFF;')),
    issue(bare, amp('&#x110000;')),
    issue(bare, amp('&#x010FFFF;')),
    issue(bare, amp('&#1114112;')),
    issue(undef('&abcdefghij;'), at('&abcdefghij;')),
    issue(bare, amp('&abcdefghijk;')),
    issue(bare, amp('&1abc;')),
  ]);
  const d = parseXml(t);
  assert.equal(
    d.textOf(d.root),
    ['&#0;', '&#xD800;', '&#xDFFF;', '\uE000', 'A', '\u{10FFFF}', '&#x110000;', '&#x010FFFF;', '\u{10FFFF}', '&#1114112;', '&abcdefghij;', '&abcdefghijk;', '&1abc;'].join(' '),
  );
});

test("xml recovery: an '&' in a comment, a CDATA section or an attribute is not checked again in the text after it", () => {
  const t = '<r a="x&amp;y" b="&"><!-- a & b --> one <![CDATA[ & ]]> two & three</r>';
  const d = parseXml(t);
  assert.deepEqual(d.errors, [
    issue("'&' must be written as '&amp;'", { start: spanOf(t, '"&"').start + 1, end: spanOf(t, '"&"').start + 2 }),
    issue("'&' must be written as '&amp;'", spanIn(t, 'two & three', '&')),
  ]);
});

// ---------------------------------------------------------------------------------------------
// One element re-scanned alone (the incremental XML path)
// ---------------------------------------------------------------------------------------------

test('xml recovery: an element is re-scanned alone only when it is one element closed by its own end tag, balanced inside, with no DOCTYPE', () => {
  const range = (t: string, open: string, close: string): [number, number] => [spanOf(t, open).start, spanOf(t, close).end];
  // An error inside that does not unbalance it: kept, with its error.
  const ok = '<r><a>1 < 2</a></r>';
  const part = oneElement(ok, ...range(ok, '<a>', '</a>'));
  assert.ok(part);
  assert.deepEqual(part.errors, [issue("'<' is not followed by an element name (write '&lt;' for a literal '<')", spanIn(ok, '1 < 2', '<'))]);
  // An element left open inside, closed by the element's own end tag: unbalanced.
  const inner = '<r><a><b>x</a></r>';
  assert.equal(oneElement(inner, ...range(inner, '<a>', '</a>')), undefined);
  // A DOCTYPE inside.
  const dt = '<r><a><!DOCTYPE x></a></r>';
  assert.equal(oneElement(dt, ...range(dt, '<a>', '</a>')), undefined);
  // A blank before its end tag's '>': still its own clean end tag.
  const spaced = '<r><a>x</a ></r>';
  assert.ok(oneElement(spaced, ...range(spaced, '<a>', '</a >')));
  // The range cut inside its end tag: the tag is not terminated within it.
  const cut = '<r><a>x</a\n></r>';
  assert.equal(oneElement(cut, spanOf(cut, '<a>').start, spanOf(cut, '</a').end), undefined);
});
