/**
 * @fileoverview Turns planned rules and objects into text edits in the file's own form.
 *
 * XML: entries take the indentation and line endings of the surrounding document; a self-closing
 * `<rules/>` is expanded; missing containers (`<rulebase>`, `<security>`, `<rules>`, `<address>`…)
 * are created. set: the file's own prefix (`set rulebase …`, `set vsys vsys1 …`,
 * `set device-group DG pre-rulebase …`), quoting, bracket lists, and a `move` line when the file is
 * a script that moves rules. Edits only insert, or replace the member they name.
 *
 * An XML edit never writes into or over an element whose extent is a guess — closed implicitly
 * (its end tag missing or broken), a member whose tags do not enclose just its value, a leaf holding
 * elements: where it would land, or what it would replace, is not known, and replacing could delete the
 * user's text. The editor throws {@link BrokenElement} instead, and the fix is not offered (the
 * document's own error diagnostic says what to repair first).
 */
import type { Edit } from '../findings';
import type { ParsedDoc } from '../parse';
import { MergedNode, SNode, XNode, type CNode } from '../parse/tree';
import { XmlFlag, type XmlDoc } from '../parse/xml';
import type { Rule, Rulebase, Scope } from '../model/types';
import { LineFinder, eolOf, type Located } from '../text';
import { OBJECT_PATH, objectSet, objectXml, ruleSet, ruleXml, setQuote, xmlEscape, type ObjectDraft, type RuleDraft, type XmlStyle } from './render';

export interface Editor {
  /** Inserts rules before `before` (a rule of `rb`), or at the end of `rb`. */
  insertRules(rb: Rulebase, before: Rule | undefined, rules: RuleDraft[], after?: Rule): Edit[];
  /** Inserts objects into a scope; `near` is the rule insertion point (set form keeps objects first). */
  insertObjects(scope: Scope | undefined, objects: ObjectDraft[], near: { rb: Rulebase; before: Rule | undefined; after?: Rule | undefined }): Edit[];
  /** Replaces one member of a rule's list with `values` (empty = remove the member). */
  replaceMember(rule: Rule, field: string, member: Located<string>, values: string[]): Edit[];
  /** Sets a scalar field of a rule (`description`, `log-setting`, `log-end`): replaces its value or adds it. */
  setRuleLeaf(rule: Rule, tag: string, value: string): Edit[];
  /** Attaches a profile group to a rule (replacing an empty `profile-setting`). */
  setProfileGroup(rule: Rule, group: string): Edit[];
  /**
   * XML only: when neither the objects' container nor the rulebase exist because `<shared>` itself is
   * missing, one edit creating `<shared>` with both (two separate edits would create it twice).
   */
  insertIntoNewShared?(objects: ObjectDraft[], rb: Rulebase, rules: RuleDraft[]): Edit[] | undefined;
}

/**
 * Thrown by an editor asked to write into or over a broken element (see the file overview).
 * Not a bug: the fix is left out, and the callers that build fixes catch it ({@link unlessBroken}).
 */
export class BrokenElement extends Error {
  constructor(what: string) {
    super(`${what} is broken (its end is not known): no edit is made there`);
    this.name = 'BrokenElement';
  }
}

/** `build()`, or `none` when it meets a {@link BrokenElement}; other errors pass. */
export function unlessBroken<T>(build: () => T, none: T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof BrokenElement) return none;
    throw e;
  }
}

function firstPart(n: CNode): CNode {
  return n instanceof MergedNode ? n.parts[0]! : n;
}
function lastPart(n: CNode): CNode {
  return n instanceof MergedNode ? n.parts[n.parts.length - 1]! : n;
}

/** An element: its index in the XML document that holds it. */
type El = { x: XmlDoc; i: number };

// -------------------------------------------------------------------------------------------------
// XML

class XmlEditor implements Editor {
  private readonly li: LineFinder;
  private readonly eol: string;
  private readonly unit: string;

  constructor(private readonly doc: ParsedDoc) {
    this.li = new LineFinder(doc.text);
    this.eol = eolOf(doc.text);
    this.unit = detectUnit(doc.xml!, this.li);
  }

  /** Whitespace before an element on its line, or undefined if other text precedes it. */
  private lineIndent({ x, i }: El): string | undefined {
    const s = x.start[i]!;
    const pre = this.doc.text.slice(this.li.startOf(s), s);
    return /^[ \t]*$/.test(pre) ? pre : undefined;
  }

  private style(indent: string | undefined): XmlStyle {
    return indent === undefined ? { indent: '', unit: '', eol: '' } : { indent, unit: this.unit, eol: this.eol };
  }

  /** Edit inserting `render(style)` as the last children of an element. */
  private appendChildren(el: El, render: (st: XmlStyle) => string): Edit {
    this.own(el, false);
    const { x, i } = el;
    const text = this.doc.text;
    const ind = this.lineIndent(el);
    const childIndent = ind === undefined ? undefined : (x.firstChild[i]! >= 0 ? this.lineIndent({ x, i: x.firstChild[i]! }) : undefined) ?? ind + this.unit;
    if (x.selfClosing(i)) {
      // <rules/> → <rules>…</rules>
      const open = text.slice(x.start[i]!, x.openEnd[i]! - 2).replace(/\s+$/, '') + '>';
      const st = this.style(childIndent);
      const body = render(st);
      const newText = ind === undefined ? `${open}${body}</${x.name(i)}>` : `${open}${this.eol}${body}${ind}</${x.name(i)}>`;
      return { span: { start: x.start[i]!, end: x.end[i]! }, newText };
    }
    const cs = x.closeStart[i]!;
    const ls = this.li.startOf(cs);
    const before = text.slice(ls, cs);
    if (childIndent !== undefined && /^[ \t]*$/.test(before) && ls > x.openEnd[i]! - 1) {
      return { span: { start: ls, end: ls }, newText: render(this.style(childIndent)) };
    }
    // The end tag shares a line with content: insert right before it.
    const st = this.style(childIndent);
    const body = render(st);
    return { span: { start: cs, end: cs }, newText: ind === undefined ? body : `${this.eol}${body}${ind}` };
  }

  /** Nested skeleton for missing containers, e.g. ['security','rules'] around `inner`. */
  private wrap(missing: string[], inner: (st: XmlStyle) => string): (st: XmlStyle) => string {
    return (st: XmlStyle): string => {
      const render = (k: number, s: XmlStyle): string => {
        if (k === missing.length) return inner(s);
        const part = missing[k]!;
        const m = /^entry\[(.*)\]$/.exec(part);
        const open = m ? `<entry name="${xmlEscape(m[1]!)}">` : `<${part}>`;
        const close = m ? '</entry>' : `</${part}>`;
        const child: XmlStyle = { ...s, indent: s.indent + s.unit };
        return `${s.indent}${open}${s.eol}${render(k + 1, child)}${s.indent}${close}${s.eol}`;
      };
      return render(0, st);
    };
  }

  /**
   * The element of a node, in the XML document that holds it: a rule re-read by an incremental
   * re-analysis lives in its own small document (same offsets as the whole text), so its index means
   * nothing in the whole document's arrays.
   */
  private elementOf(n: CNode): El {
    const p = firstPart(n);
    if (!(p instanceof XNode)) throw new Error('not an XML node');
    return { x: p.doc, i: p.index };
  }

  insertRules(rb: Rulebase, before: Rule | undefined, rules: RuleDraft[], after?: Rule): Edit[] {
    const render = (st: XmlStyle): string => rules.map((r) => ruleXml(r, st)).join('');
    if (before) {
      const el = this.elementOf(before.node);
      const s = el.x.start[el.i]!;
      const ind = this.lineIndent(el);
      if (ind !== undefined) {
        const ls = this.li.startOf(s);
        return [{ span: { start: ls, end: ls }, newText: render(this.style(ind)) }];
      }
      return [{ span: { start: s, end: s }, newText: render(this.style(undefined)) }];
    }
    if (after) {
      const el = this.elementOf(lastPart(after.node));
      const ind = this.lineIndent(el);
      const e = el.x.end[el.i]!;
      if (ind !== undefined) {
        const { end: le, next } = this.li.endOf(e);
        if (/^[ \t]*$/.test(this.doc.text.slice(e, le))) {
          if (next > le) return [{ span: { start: next, end: next }, newText: render(this.style(ind)) }];
          return [{ span: { start: le, end: le }, newText: this.eol + render(this.style(ind)).replace(new RegExp(`${escapeRe(this.eol)}$`), '') }];
        }
        // A rule closed implicitly ends where the next element (or its parent's end tag) begins its line:
        // still between the parent's elements (unlike its last child), so the rules go on their own lines before it.
        const ls = this.li.startOf(e);
        if (ls < e && /^[ \t]*$/.test(this.doc.text.slice(ls, e))) return [{ span: { start: ls, end: ls }, newText: render(this.style(ind)) }];
      }
      return [{ span: { start: e, end: e }, newText: render(this.style(undefined)) }];
    }
    if (rb.rulesNode) return [this.appendChildren(this.elementOf(lastPart(rb.rulesNode)), render)];
    if (!rb.anchor) return [];
    return [this.appendChildren(this.elementOf(lastPart(rb.anchor.node)), this.wrap(rb.anchor.missing, render))];
  }

  insertObjects(scope: Scope | undefined, objects: ObjectDraft[]): Edit[] {
    const edits: Edit[] = [];
    const container = scope?.node ?? this.doc.config?.child('shared');
    const byType = new Map<string, { path: string[]; list: ObjectDraft[] }>();
    for (const o of objects) {
      const path = OBJECT_PATH[o.type];
      const k = path.join('/');
      const g = byType.get(k);
      if (g) g.list.push(o);
      else byType.set(k, { path, list: [o] });
    }
    if (!container) {
      if (!this.doc.config) return [];
      const root = this.elementOf(this.doc.config);
      const inner = (st: XmlStyle): string => [...byType.values()].map(({ path, list }) => this.wrap(path, (s) => list.map((o) => objectXml(o, s)).join(''))(st)).join('');
      return [this.appendChildren(root, this.wrap(['shared'], inner))];
    }
    for (const { path, list } of byType.values()) {
      const render = (st: XmlStyle): string => list.map((o) => objectXml(o, st)).join('');
      // The deepest existing container on the path, then the missing rest.
      let node: CNode = container;
      let i = 0;
      for (; i < path.length; i++) {
        const c = node.child(path[i]!);
        if (!c) break;
        node = c;
      }
      const rest = path.slice(i);
      edits.push(this.appendChildren(this.elementOf(lastPart(node)), rest.length ? this.wrap(rest, render) : render));
    }
    return edits;
  }

  replaceMember(rule: Rule, _field: string, member: Located<string>, values: string[]): Edit[] {
    const text = this.doc.text;
    const s = text.lastIndexOf('<member', member.span.start);
    const close = text.indexOf('</member>', member.span.end);
    if (s < 0 || close < 0) return [];
    const e = close + '</member>'.length;
    // Its tags must enclose just its value: a broken `</member>` would make the next one's the end, over the elements between.
    const gt = text.indexOf('>', s);
    if (gt < 0 || gt >= member.span.start || !/^\s*$/.test(text.slice(gt + 1, member.span.start)) || !/^\s*$/.test(text.slice(member.span.end, close))) {
      throw new BrokenElement(`The <member> '${member.value}' of rule '${rule.name}'`);
    }
    const ls = this.li.startOf(s);
    const ind = /^[ \t]*$/.test(text.slice(ls, s)) ? text.slice(ls, s) : '';
    if (values.length === 0) {
      // Remove the member with its own line when it has one.
      const { end: le, next } = this.li.endOf(e);
      if (ind !== '' && /^[ \t]*$/.test(text.slice(e, le))) {
        return [{ span: { start: ls, end: next > le ? next : le }, newText: '' }];
      }
      return [{ span: { start: s, end: e }, newText: '' }];
    }
    const sep = ind !== '' ? `${this.eol}${ind}` : '';
    return [{ span: { start: s, end: e }, newText: values.map((v) => `<member>${xmlEscape(v)}</member>`).join(sep) }];
  }

  insertIntoNewShared(objects: ObjectDraft[], rb: Rulebase, rules: RuleDraft[]): Edit[] | undefined {
    const missing = rb.anchor?.missing;
    if (!this.doc.config || rb.rulesNode || !missing || missing[0] !== 'shared' || rb.anchor!.node !== this.doc.config || this.doc.config.child('shared')) return undefined;
    const byPath = new Map<string, { path: string[]; list: ObjectDraft[] }>();
    for (const o of objects) {
      const k = OBJECT_PATH[o.type].join('/');
      const g = byPath.get(k);
      if (g) g.list.push(o);
      else byPath.set(k, { path: OBJECT_PATH[o.type], list: [o] });
    }
    const inner = (st: XmlStyle): string =>
      [...byPath.values()].map(({ path, list }) => this.wrap(path, (x) => list.map((o) => objectXml(o, x)).join(''))(st)).join('') +
      this.wrap(missing.slice(1), (x) => rules.map((r) => ruleXml(r, x)).join(''))(st);
    return [this.appendChildren(this.elementOf(this.doc.config), this.wrap(['shared'], inner))];
  }

  /**
   * Throws {@link BrokenElement} when an element's extent is a guess: it was closed implicitly (its end
   * tag missing or broken, so it runs over what follows it, or stops short), or, for a leaf, it holds
   * elements. Writing into it (as its last child) or over it would land in the wrong place or delete that text.
   */
  private own(el: El, leaf: boolean): void {
    if ((el.x.flags[el.i]! & XmlFlag.Unclosed) !== 0 || (leaf && el.x.firstChild[el.i]! >= 0)) {
      throw new BrokenElement(`<${el.x.name(el.i)}> at offset ${el.x.start[el.i]}`);
    }
  }

  setRuleLeaf(rule: Rule, tag: string, value: string): Edit[] {
    const n = rule.node.child(tag);
    if (n) {
      const el = this.elementOf(lastPart(n));
      this.own(el, true);
      const { x, i } = el;
      if (!x.selfClosing(i)) return [{ span: { start: x.openEnd[i]!, end: x.closeStart[i]! }, newText: xmlEscape(value) }];
      return [{ span: { start: x.start[i]!, end: x.end[i]! }, newText: `<${tag}>${xmlEscape(value)}</${tag}>` }];
    }
    return [this.appendChildren(this.elementOf(lastPart(rule.node)), (st) => `${st.indent}<${tag}>${xmlEscape(value)}</${tag}>${st.eol}`)];
  }

  setProfileGroup(rule: Rule, group: string): Edit[] {
    const render = (st: XmlStyle): string => `${st.indent}<profile-setting>${st.eol}${st.indent}${st.unit}<group>${st.eol}${st.indent}${st.unit}${st.unit}<member>${xmlEscape(group)}</member>${st.eol}${st.indent}${st.unit}</group>${st.eol}${st.indent}</profile-setting>${st.eol}`;
    const n = rule.node.child('profile-setting');
    if (n) {
      // An empty or profile-less profile-setting is replaced as a whole (its line kept in place).
      const el = this.elementOf(lastPart(n));
      this.own(el, false);
      const ind = this.lineIndent(el);
      const st = this.style(ind);
      return [{ span: { start: el.x.start[el.i]!, end: el.x.end[el.i]! }, newText: render({ ...st, indent: '' }).replace(new RegExp(`${escapeRe(st.eol)}$`), '').split(st.eol).join(st.eol + (ind ?? '')) }];
    }
    return [this.appendChildren(this.elementOf(lastPart(rule.node)), render)];
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Indentation unit of the document: the step between the root's first child and its children.
 * Line starts come from a {@link LineFinder}, which reads a few thousand characters back at most and
 * indexes the lines past that: walking back to the line start for each of the 400 elements looked at
 * would read the whole line each time on a one-line document (a minified config, a 5 MB comment or
 * value), 400 x 5 MB character reads per editor.
 */
function detectUnit(x: XmlDoc, li: LineFinder): string {
  const text = li.text;
  const indentOf = (i: number): string | undefined => {
    const s = x.start[i]!;
    const pre = text.slice(li.startOf(s), s);
    return /^[ \t]*$/.test(pre) ? pre : undefined;
  };
  for (let i = 0; i < Math.min(x.count, 200); i++) {
    const c = x.firstChild[i]!;
    if (c < 0) continue;
    const a = indentOf(i);
    const b = indentOf(c);
    if (a !== undefined && b !== undefined && b.length > a.length && b.startsWith(a)) return b.slice(a.length);
  }
  return '  ';
}

// -------------------------------------------------------------------------------------------------
// set

class SetEditor implements Editor {
  private readonly li: LineFinder;
  private readonly eol: string;
  private readonly script: boolean;

  constructor(private readonly doc: ParsedDoc) {
    this.li = new LineFinder(doc.text);
    this.eol = eolOf(doc.text);
    this.script = doc.set!.counts.move + doc.set!.counts.delete > 0;
  }

  /** `set …` container prefix of a scope, in the file's own style. */
  container(scope: Scope | undefined): string {
    if (!scope) return 'set shared';
    switch (scope.kind) {
      case 'shared':
        return 'set shared';
      case 'device-group':
        return `set device-group ${setQuote(scope.name)}`;
      case 'pushed':
        return 'set policy panorama';
      case 'vsys':
        return this.doc.set!.vsysPrefix.has(`vsys ${scope.name}`) || scope.name !== 'vsys1' ? `set vsys ${setQuote(scope.name)}` : 'set';
    }
  }

  rulePrefix(rb: Rulebase): string {
    const c = this.container(rb.scope);
    if (rb.scope.kind === 'vsys') return `${c} rulebase security rules`;
    return `${c} ${rb.kind === 'post' ? 'post' : 'pre'}-rulebase security rules`;
  }

  /** Offset of the start of the line holding `offset`. */
  private lineStartAt(offset: number): number {
    return this.li.startOf(offset);
  }

  /** Insertion point after the line holding `offset` (adds a line break at EOF if needed). */
  private afterLine(offset: number): { at: number; lead: string } {
    const { end: le, next } = this.li.endOf(offset);
    if (next > le) return { at: next, lead: '' };
    return { at: le, lead: this.eol };
  }

  private point(near: { rb: Rulebase; before: Rule | undefined; after?: Rule | undefined }): { at: number; lead: string } {
    if (near.before) {
      const n = firstPart(near.before.node) as SNode;
      return { at: this.lineStartAt(n.first), lead: '' };
    }
    if (near.after) return this.afterLine((lastPart(near.after.node) as SNode).last);
    const rn = near.rb.rulesNode;
    if (rn && rn instanceof SNode && rn.kids.length > 0) {
      let last = rn.last;
      for (const k of rn.kids) last = Math.max(last, k.last);
      return this.afterLine(last);
    }
    const text = this.doc.text;
    if (text.length === 0) return { at: 0, lead: '' };
    const endsWithBreak = /[\r\n]$/.test(text);
    return { at: text.length, lead: endsWithBreak ? '' : this.eol };
  }

  insertRules(rb: Rulebase, before: Rule | undefined, rules: RuleDraft[], after?: Rule): Edit[] {
    const prefix = this.rulePrefix(rb);
    const lines: string[] = [];
    for (const r of rules) lines.push(...ruleSet(prefix, r));
    if (this.script && before) {
      for (const r of rules) lines.push(`${prefix.replace(/^set /, 'move ')} ${setQuote(r.name)} before ${setQuote(before.name)}`);
    }
    const p = this.point({ rb, before, after });
    return [{ span: { start: p.at, end: p.at }, newText: p.lead + lines.map((l) => l + this.eol).join('') }];
  }

  insertObjects(scope: Scope | undefined, objects: ObjectDraft[], near: { rb: Rulebase; before: Rule | undefined; after?: Rule | undefined }): Edit[] {
    const c = this.container(scope);
    const lines = objects.flatMap((o) => objectSet(c, o));
    const p = this.point(near);
    return [{ span: { start: p.at, end: p.at }, newText: p.lead + lines.map((l) => l + this.eol).join('') }];
  }

  replaceMember(_rule: Rule, _field: string, member: Located<string>, values: string[]): Edit[] {
    const text = this.doc.text;
    // Inside a bracket list?
    const ls = this.lineStartAt(member.span.start);
    const pre = text.slice(ls, member.span.start);
    const inList = pre.lastIndexOf('[') > pre.lastIndexOf(']');
    if (values.length === 0) {
      // `… application web-browsing` alone on its line: the line goes with it.
      const { end: le, next } = this.li.endOf(member.span.end);
      if (!inList && /^\s*$/.test(text.slice(member.span.end, le))) {
        return [{ span: { start: ls, end: next > le ? next : le }, newText: '' }];
      }
      let e = member.span.end;
      while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
      return [{ span: { start: member.span.start, end: e }, newText: '' }];
    }
    const joined = values.map(setQuote).join(' ');
    return [{ span: member.span, newText: inList || values.length === 1 ? joined : `[ ${joined} ]` }];
  }

  setRuleLeaf(rule: Rule, tag: string, value: string): Edit[] {
    const cur = rule.node.child(tag)?.text();
    // The value token of `… description "x"`; quoted tokens keep their quotes in the span.
    if (cur && cur.span.end > cur.span.start) return [{ span: cur.span, newText: setQuote(value) }];
    return this.addRuleLine(rule, `${tag} ${setQuote(value)}`);
  }

  setProfileGroup(rule: Rule, group: string): Edit[] {
    return this.addRuleLine(rule, `profile-setting group ${setQuote(group)}`);
  }

  private addRuleLine(rule: Rule, rest: string): Edit[] {
    const prefix = this.rulePrefix(rule.rulebase);
    const p = this.afterLine((lastPart(rule.node) as SNode).last);
    return [{ span: { start: p.at, end: p.at }, newText: `${p.lead}${prefix} ${setQuote(rule.name)} ${rest}${this.eol}` }];
  }
}

/**
 * Editors by document. Building one indexes the lines of the whole text and reads its line break and
 * indentation unit; every analysis with fixes, every on-demand fix (fixesForFinding), suppressFix() and
 * ruleSetFix() asks for one, so a code-action request covering many findings would repeat that work per
 * finding. An editor holds nothing but what it derives from the document, so one per document is reused;
 * the text is compared too, in case a document object is ever given a new text (an incremental re-analysis
 * makes a new document object, whose editor is built afresh).
 */
const editors = new WeakMap<ParsedDoc, { text: string; editor: Editor }>();

function newEditor(doc: ParsedDoc): Editor | undefined {
  if (doc.format === 'xml' && doc.xml) return new XmlEditor(doc);
  if (doc.format === 'set' && doc.set) return new SetEditor(doc);
  return undefined;
}

export function editorFor(doc: ParsedDoc): Editor | undefined {
  const hit = editors.get(doc);
  if (hit && hit.text === doc.text) return hit.editor;
  const editor = newEditor(doc);
  if (editor) editors.set(doc, { text: doc.text, editor });
  return editor;
}
