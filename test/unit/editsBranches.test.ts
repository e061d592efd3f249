/**
 * @fileoverview Branches of the fixes' editors (server/src/core/fixes/edits.ts) that a mutation pass
 * over it found read by no test: where an inserted rule goes when its neighbour shares a line with
 * other text (right at the tag, unstyled) or ends the file (a truncated export), children indented
 * deeper than the document's unit, `<rules />` and one-line self-closing containers, an end tag on a
 * line with content, missing `vsys/entry[vsys1]` containers, a pushed rulebase with no anchor, objects
 * for the `<shared>` scope, one edit creating `<shared>` (and when it must not be used), member removal
 * and replacement (own line or not, escaping, no `</member>`), leaves and profile groups (replace,
 * expand `<x/>`, add, escaping, broken or non-leaf elements left alone), the indentation unit, and in
 * set form: prefixes, insertion points, `move` lines, bracket lists, quoting, the editor cache.
 *
 * Every config is inline and minimal; each test calls the editor itself and checks the exact edits
 * (spans and text) or the exact document after applying them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { editorFor, type Editor } from '../../server/src/core/fixes/edits';
import { applyEdits } from '../../server/src/core/fixes/apply';
import { ruleXml, type ObjectDraft, type RuleDraft, type XmlStyle } from '../../server/src/core/fixes/render';
import type { ParsedDoc } from '../../server/src/core/parse';
import { allRulebases, type Rule, type Rulebase } from '../../server/src/core/model/types';
import type { Located } from '../../server/src/core/text';
import { spanOf, vsysXml } from '../helpers';

const D: RuleDraft = { name: 'N', from: ['any'], to: ['any'], source: ['any'], destination: ['any'], application: ['any'], service: ['any'], action: 'deny' };
/** The style of text inserted where the neighbour shares its line with other text. */
const INLINE: XmlStyle = { indent: '', unit: '', eol: '' };
const st = (indent: string, unit = '  ', eol = '\n'): XmlStyle => ({ indent, unit, eol });
const sp = (n: number): string => ' '.repeat(n);

type Ctx = { doc: ParsedDoc; ed: Editor; rbs: Rulebase[]; rb: Rulebase; rule: (name: string) => Rule };

function open(text: string): Ctx {
  const a = analyze(text, { fixes: false });
  assert.ok(a.model, 'the text builds a model');
  const ed = editorFor(a.doc);
  assert.ok(ed, 'an editor for the text');
  const rbs = allRulebases(a.model);
  const rule = (name: string): Rule => {
    const r = rbs.flatMap((x) => x.rules).find((x) => x.name === name);
    assert.ok(r, `rule ${name}`);
    return r;
  };
  return { doc: a.doc, ed, rbs, rb: rbs[0]!, rule };
}

const apply = (text: string, edits: { span: { start: number; end: number }; newText: string }[]): string => applyEdits(text, edits).text;


/** `<rulebase><security><rules>` around `rules` (rules at 14, entries at 16). */
function rulebase(rules: string): string {
  return vsysXml(`          <rulebase>
            <security>
              <rules>
${rules}
              </rules>
            </security>
          </rulebase>`);
}

const ruleA = (extra = ''): string => `                <entry name="A">
                  <source>
                    <member>any</member>
                  </source>
                  <action>allow</action>
${extra}                </entry>`;

// -------------------------------------------------------------------------------------------------
// XML: where rules go

describe('XML editor: rule insertion points', () => {
  test('before a rule whose tag follows other text on its line: at the tag, unstyled (no line breaks, no indentation)', () => {
    const text = vsysXml(`          <rulebase>
            <security>
              <rules><entry name="A">
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </rulebase>`);
    const c = open(text);
    const at = text.indexOf('<entry name="A">');
    assert.deepEqual(c.ed.insertRules(c.rb, c.rule('A'), [D]), [{ span: { start: at, end: at }, newText: ruleXml(D, INLINE) }]);
    assert.ok(!ruleXml(D, INLINE).includes('\n'));
  });

  test('after a rule whose end tag is followed by another rule on the same line: right after it, unstyled', () => {
    const text = rulebase(`                <entry name="A">
                  <action>allow</action>
                </entry><entry name="B">
                  <action>deny</action>
                </entry>`);
    const c = open(text);
    const at = text.indexOf('<entry name="B">');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D], c.rule('A')), [{ span: { start: at, end: at }, newText: ruleXml(D, INLINE) }]);
  });

  test('after a rule that ends a truncated file: a line break first, none at the end', () => {
    const text = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <rulebase>
            <security>
              <rules>
${ruleA()}`;
    const c = open(text);
    const edits = c.ed.insertRules(c.rb, undefined, [D], c.rule('A'));
    const body = ruleXml(D, st(sp(16)));
    assert.deepEqual(edits, [{ span: { start: text.length, end: text.length }, newText: '\n' + body.slice(0, -1) }]);
    assert.equal(apply(text, edits), text + '\n' + body.slice(0, -1));
  });

  test('after a rule on its own lines: at the start of the next line, at the rule’s indentation', () => {
    const text = rulebase(ruleA());
    const c = open(text);
    const at = text.indexOf('              </rules>');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D], c.rule('A')), [{ span: { start: at, end: at }, newText: ruleXml(D, st(sp(16))) }]);
  });

  test('at the end of <rules> whose children are indented deeper than the document’s unit: at the children’s indentation', () => {
    const text = vsysXml(`          <rulebase>
            <security>
              <rules>
                  <entry name="A">
                    <action>allow</action>
                  </entry>
              </rules>
            </security>
          </rulebase>`);
    const c = open(text);
    const at = text.indexOf('              </rules>');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: { start: at, end: at }, newText: ruleXml(D, st(sp(18))) }]);
  });

  test('`<rules />` (a space before the slash) is expanded to `<rules>`, its end tag at its own indentation', () => {
    const text = vsysXml(`          <rulebase>
            <security>
              <rules />
            </security>
          </rulebase>`);
    const c = open(text);
    const s = spanOf(text, '<rules />');
    const edits = c.ed.insertRules(c.rb, undefined, [D]);
    assert.deepEqual(edits, [{ span: s, newText: `<rules>\n${ruleXml(D, st(sp(16)))}${sp(14)}</rules>` }]);
  });

  test('a self-closing <rules/> sharing its line with other text is expanded in place, unstyled', () => {
    const text = vsysXml(`          <rulebase>
            <security><rules/></security>
          </rulebase>`);
    const c = open(text);
    const s = spanOf(text, '<rules/>');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: s, newText: `<rules>${ruleXml(D, INLINE)}</rules>` }]);
  });

  test('an end tag sharing its line with content: the rule goes right before it, on lines of its own', () => {
    const text = vsysXml(`          <rulebase>
            <security>
              <rules>
                <entry name="A">
                  <action>allow</action>
                </entry></rules>
            </security>
          </rulebase>`);
    const c = open(text);
    const at = text.indexOf('</rules>');
    const edits = c.ed.insertRules(c.rb, undefined, [D]);
    assert.deepEqual(edits, [{ span: { start: at, end: at }, newText: `\n${ruleXml(D, st(sp(16)))}${sp(14)}` }]);
    assert.ok(apply(text, edits).includes(`                </entry>\n                <entry name="N">\n`));
  });

  test('a firewall without vsys: `<vsys><entry name="vsys1"><rulebase>…` is created under the device', () => {
    const text = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <network/>
    </entry>
  </devices>
</config>
`;
    const c = open(text);
    assert.deepEqual(c.rb.anchor?.missing, ['vsys', 'entry[vsys1]', 'rulebase', 'security', 'rules']);
    const out = apply(text, c.ed.insertRules(c.rb, undefined, [D]));
    const expected = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <network/>
      <vsys>
        <entry name="vsys1">
          <rulebase>
            <security>
              <rules>
${ruleXml(D, st(sp(16)))}              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;
    assert.equal(out, expected);
    // Entry names of missing containers are escaped.
    const odd: Rulebase = { ...c.rb, anchor: { node: c.rb.anchor!.node, missing: ['vsys', 'entry[R&D "x"]', 'rulebase', 'security', 'rules'] } };
    assert.ok(apply(text, c.ed.insertRules(odd, undefined, [D])).includes('\n        <entry name="R&amp;D &quot;x&quot;">\n'));
  });

  test('a rulebase with neither rules nor an anchor (pushed policy without pre-rulebase): no edit', () => {
    const text = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <network/>
    </entry>
  </devices>
  <policy>
    <panorama/>
  </policy>
</config>
`;
    const c = open(text);
    const pushed = c.rbs.find((r) => r.location === 'panorama/pre');
    assert.ok(pushed);
    assert.equal(pushed.rulesNode, undefined);
    assert.equal(pushed.anchor, undefined);
    assert.deepEqual(c.ed.insertRules(pushed, undefined, [D]), []);
  });
});

// -------------------------------------------------------------------------------------------------
// XML: objects and <shared>

const TAG1: ObjectDraft = { type: 'tag', name: 't1' };
const TAG2: ObjectDraft = { type: 'tag', name: 't2' };
const ADDR: ObjectDraft = { type: 'address', name: 'h1', value: '192.0.2.1/32' };

const PANORAMA_NO_SHARED = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <device-group>
        <entry name="DG"/>
      </device-group>
    </entry>
  </devices>
</config>
`;

describe('XML editor: objects and <shared>', () => {
  test('objects with no scope go into the existing <shared>', () => {
    const text = `<config version="10.2.0">
  <shared>
    <tag>
      <entry name="t0"/>
    </tag>
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1"/>
      </vsys>
    </entry>
  </devices>
</config>
`;
    const c = open(text);
    const out = apply(text, c.ed.insertObjects(undefined, [TAG1], { rb: c.rb, before: undefined }));
    assert.equal(out, text.replace('      <entry name="t0"/>\n', '      <entry name="t0"/>\n      <entry name="t1">\n      </entry>\n'));
  });

  test('a document without a config root gets no object edit', () => {
    const c = open(rulebase(ruleA()));
    const bare = analyze('<foo/>', { fixes: false }).doc;
    assert.equal(bare.config, undefined);
    assert.deepEqual(editorFor(bare)!.insertObjects(undefined, [TAG1], { rb: c.rb, before: undefined }), []);
  });

  test('insertIntoNewShared: one edit creating <shared> with every object type once and the rulebase', () => {
    const c = open(PANORAMA_NO_SHARED);
    const pre = c.rbs.find((r) => r.location === 'shared/pre');
    assert.ok(pre);
    assert.deepEqual(pre.anchor?.missing, ['shared', 'pre-rulebase', 'security', 'rules']);
    const edits = c.ed.insertIntoNewShared!([TAG1, ADDR, TAG2], pre, [D]);
    assert.ok(edits);
    assert.equal(edits.length, 1);
    const expected = PANORAMA_NO_SHARED.replace(
      '</config>',
      `  <shared>
    <tag>
      <entry name="t1">
      </entry>
      <entry name="t2">
      </entry>
    </tag>
    <address>
      <entry name="h1">
        <ip-netmask>192.0.2.1/32</ip-netmask>
      </entry>
    </address>
    <pre-rulebase>
      <security>
        <rules>
${ruleXml(D, st(sp(10)))}        </rules>
      </security>
    </pre-rulebase>
  </shared>
</config>`,
    );
    assert.equal(apply(PANORAMA_NO_SHARED, edits), expected);
  });

  test('insertIntoNewShared is not used when the missing path does not start with <shared> (a firewall without devices)', () => {
    const text = `<config version="10.2.0">
  <policy/>
</config>
`;
    const c = open(text);
    assert.equal(c.rb.anchor?.node, c.doc.config);
    assert.deepEqual(c.rb.anchor?.missing.slice(0, 2), ['devices', 'entry[localhost.localdomain]']);
    assert.equal(c.ed.insertIntoNewShared!([TAG1], c.rb, [D]), undefined);
  });
});

// -------------------------------------------------------------------------------------------------
// XML: members

describe('XML editor: replacing and removing members', () => {
  const text = rulebase(`                <entry name="A">
                  <source><member>s1</member>
                    <member>s2</member>
                  </source>
                  <destination>
                    <member>d1</member><member>d2</member>
                    <member>d3</member>
                  </destination>
                  <application><member>any</member></application>
                  <action>allow</action>
                </entry>`);
  const c = open(text);
  const A = c.rule('A');
  const item = (list: Located<string>[], v: string): Located<string> => {
    const m = list.find((x) => x.value === v);
    assert.ok(m, v);
    return m;
  };

  test('a member alone on its line is removed with its line', () => {
    const edits = c.ed.replaceMember(A, 'destination', item(A.destination.items, 'd3'), []);
    assert.equal(apply(text, edits), text.replace('                    <member>d3</member>\n', ''));
  });

  test('a member after its field’s tag on the same line: only the member goes (the tag stays)', () => {
    const edits = c.ed.replaceMember(A, 'source', item(A.source.items, 's1'), []);
    assert.deepEqual(edits, [{ span: spanOf(text, '<member>s1</member>'), newText: '' }]);
  });

  test('a member followed by another on its line: only the member goes', () => {
    const edits = c.ed.replaceMember(A, 'destination', item(A.destination.items, 'd1'), []);
    assert.deepEqual(edits, [{ span: spanOf(text, '<member>d1</member>'), newText: '' }]);
  });

  test('replacing an inline member: the new members stay on its line; values are escaped', () => {
    const edits = c.ed.replaceMember(A, 'application', item(A.application.items, 'any'), ['ssh', 'R&D<1>']);
    assert.deepEqual(edits, [{ span: spanOf(text, '<member>any</member>', 0, text.indexOf('<application>')), newText: '<member>ssh</member><member>R&amp;D&lt;1&gt;</member>' }]);
  });

  test('replacing a member on its own line: one member per line at its indentation', () => {
    const edits = c.ed.replaceMember(A, 'destination', item(A.destination.items, 'd3'), ['x', 'y']);
    assert.deepEqual(edits, [{ span: spanOf(text, '<member>d3</member>'), newText: `<member>x</member>\n${sp(20)}<member>y</member>` }]);
  });

  test('a value with no </member> after it: no edit', () => {
    const allow = spanOf(text, 'allow', 0, text.indexOf('<action>'));
    assert.deepEqual(c.ed.replaceMember(A, 'action', { value: 'allow', span: allow }, ['deny']), []);
  });
});

// -------------------------------------------------------------------------------------------------
// XML: leaves and profile groups

describe('XML editor: rule leaves and profile groups', () => {
  const text = rulebase(`                <entry name="A">
                  <action>allow</action>
                  <description>old</description>
                  <profile-setting/>
                </entry>
                <entry name="B">
                  <action>allow</action>
                  <log-setting/>
                </entry>
                <entry name="C">
                  <action>allow</action>
                  <log-setting><member>x</member></log-setting>
                </entry>
                <entry name="D">
                  <action>allow</action>
                  <description>abc</description\ufeff>
                </entry>
                <entry name="E">
                  <action>allow</action>
                  <profile-setting>
                    <group/>
                  </profile-setting\ufeff>
                </entry>`);
  const c = open(text);
  const V = `R&D <"x">`;
  const VX = 'R&amp;D &lt;&quot;x&quot;&gt;';

  test('an existing leaf: its content is replaced, escaped', () => {
    const at = text.indexOf('old</description>');
    assert.deepEqual(c.ed.setRuleLeaf(c.rule('A'), 'description', V), [{ span: { start: at, end: at + 3 }, newText: VX }]);
  });

  test('a self-closing leaf is replaced by a full element, escaped', () => {
    assert.deepEqual(c.ed.setRuleLeaf(c.rule('B'), 'log-setting', V), [{ span: spanOf(text, '<log-setting/>'), newText: `<log-setting>${VX}</log-setting>` }]);
  });

  test('a missing leaf is added as the rule’s last child, escaped', () => {
    const at = text.indexOf('                </entry>', text.indexOf('<entry name="B">'));
    assert.deepEqual(c.ed.setRuleLeaf(c.rule('B'), 'log-end', V), [{ span: { start: at, end: at }, newText: `${sp(18)}<log-end>${VX}</log-end>\n` }]);
  });

  /** What the editor throws for the element `tag` of rule `rule` (broken, so not written to). */
  const broken = (tag: string, rule: string): { name: string; message: string } => ({
    name: 'BrokenElement',
    message: `<${tag}> at offset ${text.indexOf(`<${tag}>`, text.indexOf(`<entry name="${rule}">`))} is broken (its end is not known): no edit is made there`,
  });

  test('a "leaf" holding elements, or one whose end tag is broken, is not replaced', () => {
    assert.throws(() => c.ed.setRuleLeaf(c.rule('C'), 'log-setting', 'y'), broken('log-setting', 'C'));
    assert.throws(() => c.ed.setRuleLeaf(c.rule('D'), 'description', 'y'), broken('description', 'D'));
  });

  test('a self-closing profile-setting is replaced in place by the group, one line per element, escaped', () => {
    assert.deepEqual(c.ed.setProfileGroup(c.rule('A'), V), [
      {
        span: spanOf(text, '<profile-setting/>'),
        newText: `<profile-setting>\n${sp(20)}<group>\n${sp(22)}<member>${VX}</member>\n${sp(20)}</group>\n${sp(18)}</profile-setting>`,
      },
    ]);
  });

  test('a missing profile-setting is added as the rule’s last child; a broken one is left alone', () => {
    const at = text.indexOf('                </entry>', text.indexOf('<entry name="B">'));
    assert.deepEqual(c.ed.setProfileGroup(c.rule('B'), 'pg'), [
      { span: { start: at, end: at }, newText: `${sp(18)}<profile-setting>\n${sp(20)}<group>\n${sp(22)}<member>pg</member>\n${sp(20)}</group>\n${sp(18)}</profile-setting>\n` },
    ]);
    assert.throws(() => c.ed.setProfileGroup(c.rule('E'), 'pg'), broken('profile-setting', 'E'));
  });
});

// -------------------------------------------------------------------------------------------------
// XML: indentation unit

describe('XML editor: indentation unit of the document', () => {
  /** The text `<rules/>` of vsys1 is expanded to, with the document's header lines given. */
  const expand = (head: string, vsysIndent: string, unit: string): { text: string; newText: string; expected: string } => {
    const i = (n: number): string => vsysIndent + unit.repeat(n);
    const text = `${head}${i(0)}<entry name="vsys1">
${i(1)}<rulebase>
${i(2)}<security>
${i(3)}<rules/>
${i(2)}</security>
${i(1)}</rulebase>
${i(0)}</entry>
</vsys></entry></devices></config>
`;
    const c = open(text);
    const e = c.ed.insertRules(c.rb, undefined, [D]);
    assert.equal(e.length, 1);
    return { text, newText: e[0]!.newText, expected: `<rules>\n${ruleXml(D, st(i(4), unit))}${i(3)}</rules>` };
  };

  test('a parent and child on the same column are skipped; the first deeper child gives the unit (4 spaces)', () => {
    const r = expand('<config version="10.2.0">\n<devices>\n    <entry name="localhost.localdomain">\n        <vsys>\n', sp(12), sp(4));
    assert.equal(r.newText, r.expected);
  });

  test('a child whose indentation does not extend its parent’s is skipped (tab then spaces)', () => {
    const r = expand(' <config version="10.2.0">\n\t\t<devices>\n\t\t   <entry name="localhost.localdomain">\n\t\t      <vsys>\n', '\t\t         ', sp(3));
    assert.equal(r.newText, r.expected);
  });

  test('a flush-left document: two spaces', () => {
    const text = `<config version="10.2.0">
<devices>
<entry name="localhost.localdomain">
<vsys>
<entry name="vsys1">
<rulebase>
<security>
<rules/>
</security>
</rulebase>
</entry>
</vsys>
</entry>
</devices>
</config>
`;
    const c = open(text);
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: spanOf(text, '<rules/>'), newText: `<rules>\n${ruleXml(D, st(sp(2)))}</rules>` }]);
  });
});

// -------------------------------------------------------------------------------------------------
// set editor

const SET_FW = `set deviceconfig system hostname fw
set rulebase security rules A from any
set rulebase security rules A to any
set rulebase security rules A source [ s1 s2 ]
set rulebase security rules A destination d1
set rulebase security rules A application [ ssh web-browsing ]
set rulebase security rules A action allow
set rulebase security rules A description "old text"
set rulebase security rules "B c" from any
set rulebase security rules "B c" action deny
set address h1 ip-netmask 192.0.2.1
`;

/** The `set` lines of D under `prefix`, each with its line break. */
const dLines = (prefix: string, name = 'N'): string =>
  ['to any', 'from any', 'source any', 'destination any', 'source-user any', 'category any', 'application any', 'service any', 'action deny'].map((l) => `${prefix} ${name} ${l}\n`).join('');

describe('set editor: prefixes and insertion points', () => {
  test('objects with no scope go to `set shared`; objects of another vsys name it, quoted', () => {
    const c = open(SET_FW);
    const at = SET_FW.indexOf('set address h1');
    assert.deepEqual(c.ed.insertObjects(undefined, [TAG1], { rb: c.rb, before: undefined }), [{ span: { start: at, end: at }, newText: 'set shared tag t1\n' }]);
    const other = { ...c.rb.scope, name: 'vsys 2' };
    assert.deepEqual(c.ed.insertObjects(other, [TAG1], { rb: c.rb, before: undefined }), [{ span: { start: at, end: at }, newText: 'set vsys "vsys 2" tag t1\n' }]);
  });

  test('rules pushed by Panorama (`set policy panorama pre-rulebase …`) and device-group post rules keep their prefix', () => {
    const fwText = 'set deviceconfig system hostname fw\nset policy panorama pre-rulebase security rules P action allow\n';
    const f = open(fwText);
    const pushed = f.rbs.find((r) => r.location === 'panorama/pre')!;
    assert.deepEqual(f.ed.insertRules(pushed, undefined, [D]), [{ span: { start: fwText.length, end: fwText.length }, newText: dLines('set policy panorama pre-rulebase security rules') }]);
    const pano = 'set device-group DG post-rulebase security rules X action allow\nset device-group DG pre-rulebase security rules Y action allow\n';
    const p = open(pano);
    const post = p.rbs.find((r) => r.location === 'device-group:DG/post')!;
    const after = pano.indexOf('set device-group DG pre-rulebase');
    assert.deepEqual(p.ed.insertRules(post, undefined, [D]), [{ span: { start: after, end: after }, newText: dLines('set device-group DG post-rulebase security rules') }]);
  });

  test('after a rule: after its last line, before the next rule', () => {
    const c = open(SET_FW);
    const at = SET_FW.indexOf('set rulebase security rules "B c"');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D], c.rule('A')), [{ span: { start: at, end: at }, newText: dLines('set rulebase security rules') }]);
  });

  test('at the end of the rulebase: after its last rule line, not at the end of the file', () => {
    const c = open(SET_FW);
    const at = SET_FW.indexOf('set address h1');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: { start: at, end: at }, newText: dLines('set rulebase security rules') }]);
  });

  test('a file whose last rule line has no line break: one is added before the new lines', () => {
    const text = SET_FW.replace('set address h1 ip-netmask 192.0.2.1\n', '').replace(/\n$/, '');
    const c = open(text);
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: { start: text.length, end: text.length }, newText: '\n' + dLines('set rulebase security rules') }]);
  });

  test('a rulebase with no rules: at the end of the file, with a line break first only when the file lacks one', () => {
    for (const text of ['set deviceconfig system hostname fw\nset address h1 ip-netmask 192.0.2.1\n', 'set deviceconfig system hostname fw\nset address h1 ip-netmask 192.0.2.1']) {
      const c = open(text);
      const v = c.rbs.find((r) => r.location === 'vsys:vsys1')!;
      assert.equal(v.rules.length, 0);
      const lead = text.endsWith('\n') ? '' : '\n';
      assert.deepEqual(c.ed.insertRules(v, undefined, [D]), [{ span: { start: text.length, end: text.length }, newText: lead + dLines('set rulebase security rules') }]);
    }
  });

  test('a script with only `delete` lines gets `move` lines; none when the rule goes at the end', () => {
    const text = SET_FW + 'delete rulebase security rules Old\n';
    const c = open(text);
    const at = text.indexOf('set rulebase security rules "B c"');
    assert.deepEqual(c.ed.insertRules(c.rb, c.rule('B c'), [D]), [{ span: { start: at, end: at }, newText: dLines('set rulebase security rules') + 'move rulebase security rules N before "B c"\n' }]);
    const end = text.indexOf('set address h1');
    assert.deepEqual(c.ed.insertRules(c.rb, undefined, [D]), [{ span: { start: end, end: end }, newText: dLines('set rulebase security rules') }]);
  });
});

describe('set editor: members, leaves and profile groups', () => {
  const c = open(SET_FW);
  const A = c.rule('A');
  const B = c.rule('B c');
  const item = (list: Located<string>[], v: string): Located<string> => {
    const m = list.find((x) => x.value === v);
    assert.ok(m, v);
    return m;
  };
  const s1 = item(A.source.items, 's1');
  const d1 = item(A.destination.items, 'd1');

  test('removing the only value of a line removes the line', () => {
    assert.equal(apply(SET_FW, c.ed.replaceMember(A, 'destination', d1, [])), SET_FW.replace('set rulebase security rules A destination d1\n', ''));
  });

  test('removing a value of a bracket list removes it and the blanks after it', () => {
    assert.deepEqual(c.ed.replaceMember(A, 'source', s1, []), [{ span: { start: s1.span.start, end: s1.span.end + 1 }, newText: '' }]);
  });

  test('in a bracket list left open (a syntax error), the last value of the line is removed alone: the others stay', () => {
    const text = 'set deviceconfig system hostname fw\nset rulebase security rules A source [ s1 s2\nset rulebase security rules A action allow\n';
    const o = open(text);
    const r = o.rule('A');
    assert.deepEqual(o.ed.replaceMember(r, 'source', item(r.source.items, 's2'), []), [{ span: spanOf(text, 's2'), newText: '' }]);
  });

  test('replacing: inside a list bare values, outside a list one value bare and several in brackets, quoted as needed', () => {
    assert.deepEqual(c.ed.replaceMember(A, 'source', s1, ['x', 'y z']), [{ span: s1.span, newText: 'x "y z"' }]);
    assert.deepEqual(c.ed.replaceMember(A, 'destination', d1, ['x', 'y z']), [{ span: d1.span, newText: '[ x "y z" ]' }]);
    assert.deepEqual(c.ed.replaceMember(A, 'destination', d1, ['y z']), [{ span: d1.span, newText: '"y z"' }]);
  });

  test('a leaf with a value has its value token replaced (quotes included), quoted as needed', () => {
    assert.deepEqual(c.ed.setRuleLeaf(A, 'description', 'new text'), [{ span: spanOf(SET_FW, '"old text"'), newText: '"new text"' }]);
  });

  test('a missing leaf and a profile group are added as lines after the rule’s last line, names and values quoted', () => {
    const at = SET_FW.indexOf('set address h1');
    assert.deepEqual(c.ed.setRuleLeaf(B, 'log-setting', 'my fwd'), [{ span: { start: at, end: at }, newText: 'set rulebase security rules "B c" log-setting "my fwd"\n' }]);
    assert.deepEqual(c.ed.setProfileGroup(B, 'pg 1'), [{ span: { start: at, end: at }, newText: 'set rulebase security rules "B c" profile-setting group "pg 1"\n' }]);
  });
});

describe('editorFor', () => {
  test('one editor per document and text; a document given a new text gets a new editor', () => {
    const doc = analyze(SET_FW, { fixes: false }).doc;
    const ed = editorFor(doc);
    assert.ok(ed);
    assert.equal(editorFor(doc), ed);
    assert.notEqual(editorFor({ ...doc }), ed, 'another document object');
    const crlfText = SET_FW.replace(/\n/g, '\r\n');
    doc.text = crlfText;
    const ed2 = editorFor(doc);
    assert.notEqual(ed2, ed);
    // The new editor reads the new text (its line breaks and offsets).
    const at = crlfText.indexOf('set address h1');
    assert.deepEqual(ed2!.insertObjects(undefined, [TAG1], { rb: open(crlfText).rb, before: undefined }), [{ span: { start: at, end: at }, newText: 'set shared tag t1\r\n' }]);
  });
});
