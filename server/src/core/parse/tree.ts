/**
 * @fileoverview One navigable config tree over both text forms.
 *
 * The XML and `set` parsers produce different raw structures; this module gives the model builder
 * a single view of them: element-like nodes with a tag, an optional entry name, children, a scalar
 * text or a member list, each with the source span it came from. Duplicate same-name siblings
 * (seen in real exports) are merged on access.
 */
import type { Located, Span } from '../text';
import { XmlDoc, XmlFlag } from './xml';

/** A node of the config tree, independent of the text form it was read from. */
export abstract class CNode {
  /** Element name (XML) or keyword (set). `entry` for list items. */
  abstract readonly tag: string;
  /** The entry name (`<entry name="…">` or the set token that names a list item). */
  abstract readonly name: string | undefined;
  /** Span of the entry name (inside the quotes of the XML attribute, or the set token). */
  abstract readonly nameSpan: Span | undefined;
  /** Span of the node's key: the XML start tag name or the set keyword of its first line. */
  abstract readonly keySpan: Span;
  /** Whole extent: the XML element, or the set lines that mention the node. */
  abstract readonly span: Span;
  abstract children(): readonly CNode[];
  /** The scalar value with its span, if the node holds one. */
  abstract text(): Located<string> | undefined;
  /** Member values (`<member>` children or set values/bracket lists). */
  abstract members(): Located<string>[];

  /** First child with the given tag; same-tag siblings are merged. */
  child(tag: string): CNode | undefined {
    let found: CNode[] | undefined;
    for (const c of this.children()) {
      if (c.tag === tag) {
        (found ??= []).push(c);
      }
    }
    if (!found) {
      return undefined;
    }
    return found.length === 1 ? found[0] : new MergedNode(found);
  }

  /** Follows a path of tags (`"deviceconfig/system"`); entry names as `entry[name]`. */
  at(path: string): CNode | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let n: CNode | undefined = this;
    // Entry names may hold '/' (`entry[ethernet1/1]`, `entry[10.0.0.0/24]`): split outside brackets only.
    for (const part of path.match(/entry\[[^\]]*\]|[^/]+/g) ?? []) {
      if (!n) {
        return undefined;
      }
      const m = /^entry\[(.*)\]$/.exec(part);
      n = m ? n.entry(m[1]!) : n.child(part);
    }
    return n;
  }

  /** `entry` children, merged by name, in first-seen order. */
  entries(): CNode[] {
    // Fast path: no duplicate names (the common case) needs no grouping.
    const list: CNode[] = [];
    const seen = new Set<string>();
    let dup = false;
    for (const c of this.children()) {
      if (c.tag !== 'entry' || c.name === undefined) continue;
      if (seen.has(c.name)) {
        dup = true;
        break;
      }
      seen.add(c.name);
      list.push(c);
    }
    if (!dup) return list;
    const byName = new Map<string, CNode[]>();
    for (const c of this.children()) {
      if (c.tag === 'entry' && c.name !== undefined) {
        const l = byName.get(c.name);
        if (l) {
          l.push(c);
        } else {
          byName.set(c.name, [c]);
        }
      }
    }
    const out: CNode[] = [];
    for (const l of byName.values()) {
      out.push(l.length === 1 ? l[0]! : new MergedNode(l));
    }
    return out;
  }

  entry(name: string): CNode | undefined {
    return this.entries().find((e) => e.name === name);
  }

  /**
   * Puts each of the {@link entries} into `into` under its name, as `make` makes it, except names
   * `into` already holds (from an earlier container of the same namespace).
   */
  fillEntries<T>(into: Map<string, T>, make: (e: CNode, name: string) => T): void {
    if (into instanceof EntryMap) into.maker ??= make;
    for (const e of this.entries()) {
      const name = e.name!;
      if (!into.has(name)) into.set(name, make(e, name));
    }
  }

  /** Text of a child (`textOf('action')`). */
  textOf(tag: string): Located<string> | undefined {
    return this.child(tag)?.text();
  }

  /** The text of a child (as {@link textOf}), without its span. */
  textValueOf(tag: string): string | undefined {
    return this.textOf(tag)?.value;
  }

  /** The member values of a child (`memberValuesOf('source')`), without their spans. */
  memberValuesOf(tag: string): string[] {
    const c = this.child(tag);
    return c ? c.members().map((m) => m.value) : [];
  }

  /** For choice elements (`<type><static/></type>` or set `type static`): the chosen tag. */
  choice(): Located<string> | undefined {
    const kids = this.children();
    if (kids.length > 0) {
      const k = kids[0]!;
      return { value: k.tag, span: k.keySpan };
    }
    return this.text();
  }

  /** An XML attribute (decoded); the set form has none. */
  attr(_name: string): Located<string> | undefined {
    return undefined;
  }

  /** The plain nodes merged into this one (itself for a plain node). */
  get parts(): readonly CNode[] {
    return [this];
  }

  /**
   * Runs `read`, which reads model values from this node after the model was built (a lazily read
   * field): in XML, the spans it hands out are recorded like the model's, so that an incremental edit
   * shifts them too. The `set` form needs nothing (its values live in the tree, which is shifted).
   */
  tracked<T>(read: () => T): T {
    return read();
  }
}

/** Several same-name siblings seen as one node. */
export class MergedNode extends CNode {
  private kids: CNode[] | undefined;
  constructor(readonly partsList: CNode[]) {
    super();
  }
  get tag(): string {
    return this.partsList[0]!.tag;
  }
  get name(): string | undefined {
    return this.partsList[0]!.name;
  }
  get nameSpan(): Span | undefined {
    return this.partsList[0]!.nameSpan;
  }
  get keySpan(): Span {
    return this.partsList[0]!.keySpan;
  }
  get span(): Span {
    return this.partsList[0]!.span;
  }
  override get parts(): readonly CNode[] {
    return this.partsList.flatMap((p) => p.parts);
  }
  override tracked<T>(read: () => T): T {
    // Same-name siblings share a parent, hence a document.
    return this.partsList[0]!.tracked(read);
  }
  children(): readonly CNode[] {
    return (this.kids ??= this.partsList.flatMap((p) => p.children()));
  }
  text(): Located<string> | undefined {
    let t: Located<string> | undefined;
    for (const p of this.partsList) {
      t = p.text() ?? t;
    }
    return t;
  }
  members(): Located<string>[] {
    const seen = new Set<string>();
    const out: Located<string>[] = [];
    for (const p of this.partsList) {
      for (const m of p.members()) {
        if (!seen.has(m.value)) {
          seen.add(m.value);
          out.push(m);
        }
      }
    }
    return out;
  }
}

/** Whether a value made by {@link CNode.fillEntries} came from an entry of `parent`. */
function isFrom(v: unknown, parent: XNode): boolean {
  const n = (v as { node?: unknown }).node;
  return n instanceof XNode && n.doc === parent.doc && n.doc.parent[n.index] === parent.index;
}

/** A node over an element of an {@link XmlDoc}. */
export class XNode extends CNode {
  private kids: XNode[] | undefined;
  /** The entry name (null: not read yet); its span is read apart, when asked for (few are). */
  private nameText: string | undefined | null = null;
  private nameSpanRead: Span | undefined | null = null;
  readonly tag: string;

  constructor(
    readonly doc: XmlDoc,
    readonly index: number,
  ) {
    super();
    this.tag = doc.name(index);
  }

  /**
   * As {@link CNode.fillEntries}, straight from the element arrays: no node list, no set of names,
   * and into an {@link EntryMap} no object either until one is asked for (an object container holds
   * tens of thousands of entries, of which the policy reads the few its rules name). An entry name
   * seen twice here undoes this call's additions and takes the merging path.
   */
  override fillEntries<T>(into: Map<string, T>, make: (e: CNode, name: string) => T): void {
    const d = this.doc;
    const id = d.tagId('entry');
    if (id < 0) return;
    const ids = d.tag;
    const next = d.nextSibling;
    const lazy = into instanceof EntryMap && into.accepts(d, make) ? (into as EntryMap<T>) : undefined;
    /** Whether `into` holds `name`: 0 no, 1 from elsewhere, 2 from an entry of this container (no object per entry). */
    const held = (name: string): 0 | 1 | 2 => {
      const v = lazy ? lazy.raw(name) : into.get(name);
      if (v === undefined) return 0;
      return (typeof v === 'number' ? d.parent[v] === this.index : isFrom(v, this)) ? 2 : 1;
    };
    for (let c = d.firstChild[this.index]!; c >= 0; c = next[c]!) {
      if (ids[c] !== id) continue;
      const name = d.attrText(c, 'name');
      if (name === undefined) continue;
      const had = held(name);
      if (had === 0) {
        if (lazy) lazy.putElement(name, c);
        else into.set(name, make(XNode.named(d, c, name), name));
      } else if (had === 2) {
        // A second entry of this name here: undo what this call added (up to this entry) and merge.
        for (let k = d.firstChild[this.index]!; k !== c; k = next[k]!) {
          const n = ids[k] === id ? d.attrText(k, 'name') : undefined;
          if (n !== undefined && held(n) === 2) into.delete(n);
        }
        super.fillEntries(into, make);
        return;
      }
    }
  }

  /** The node of entry element `index` whose name attribute reads `name`. */
  static named(doc: XmlDoc, index: number, name: string): XNode {
    const e = new XNode(doc, index);
    e.nameText = name;
    return e;
  }

  get name(): string | undefined {
    if (this.nameText === null) this.nameText = this.tag === 'entry' ? this.doc.attrText(this.index, 'name') : undefined;
    return this.nameText;
  }
  /** Recorded like the model's spans (see {@link CNode.tracked}) whenever it is first read. */
  get nameSpan(): Span | undefined {
    if (this.nameSpanRead === null) this.nameSpanRead = this.tag === 'entry' ? this.tracked(() => this.doc.attr(this.index, 'name')?.span) : undefined;
    return this.nameSpanRead;
  }
  get keySpan(): Span {
    return this.doc.nameSpan(this.index);
  }
  get span(): Span {
    return this.doc.span(this.index);
  }
  override tracked<T>(read: () => T): T {
    const d = this.doc;
    if (d.tracking) return read();
    d.tracking = true;
    try {
      return read();
    } finally {
      d.tracking = false;
    }
  }

  /** True when the end tag was missing and the element was closed implicitly. */
  get unclosed(): boolean {
    return (this.doc.flags[this.index]! & XmlFlag.Unclosed) !== 0;
  }

  /** Attribute value, decoded. */
  override attr(name: string): Located<string> | undefined {
    return this.doc.attr(this.index, name);
  }

  children(): readonly XNode[] {
    if (!this.kids) {
      const out: XNode[] = [];
      for (let c = this.doc.firstChild[this.index]!; c >= 0; c = this.doc.nextSibling[c]!) {
        out.push(new XNode(this.doc, c));
      }
      this.kids = out;
    }
    return this.kids;
  }

  /** The element of the one child named `tag`: -1 if there is none, -2 if there are several. */
  private onlyChild(tag: string): number {
    const d = this.doc;
    const id = d.tagId(tag);
    if (id < 0) return -1;
    const ids = d.tag;
    let first = -1;
    for (let c = d.firstChild[this.index]!; c >= 0; c = d.nextSibling[c]!) {
      if (ids[c] === id) {
        if (first >= 0) return -2;
        first = c;
      }
    }
    return first;
  }

  override child(tag: string): CNode | undefined {
    const c = this.onlyChild(tag);
    if (c === -1) return undefined;
    // Same-name siblings are merged.
    return c === -2 ? super.child(tag) : new XNode(this.doc, c);
  }

  /** As `child(tag)?.text()`, without a node object for the child (the model asks this a lot). */
  override textOf(tag: string): Located<string> | undefined {
    const c = this.onlyChild(tag);
    if (c === -2) return super.textOf(tag);
    const d = this.doc;
    if (c < 0 || d.firstChild[c]! >= 0) return undefined;
    return { value: d.textOf(c), span: d.textSpan(c) };
  }

  override textValueOf(tag: string): string | undefined {
    const c = this.onlyChild(tag);
    if (c === -2) return super.textValueOf(tag);
    const d = this.doc;
    if (c < 0 || d.firstChild[c]! >= 0) return undefined;
    return d.textOf(c);
  }

  /** As {@link CNode.memberValuesOf}, without a node for the child nor a span per member. */
  override memberValuesOf(tag: string): string[] {
    const c = this.onlyChild(tag);
    if (c === -2) return super.memberValuesOf(tag);
    return c < 0 ? [] : memberList(this.doc, c, (d, k) => d.textOf(k));
  }

  text(): Located<string> | undefined {
    if (this.doc.firstChild[this.index]! >= 0) {
      return undefined;
    }
    const value = this.doc.textOf(this.index);
    return { value, span: this.doc.textSpan(this.index) };
  }

  members(): Located<string>[] {
    return memberList(this.doc, this.index, (d, k) => ({ value: d.textOf(k), span: d.textSpan(k) }));
  }
}

/**
 * What `read` makes of each `<member>` child of element `parent`, in a list made at its length: a
 * list grown from empty by push takes room for 17 at the first, and the model keeps these lists (the
 * zones of every rule are read: at 50 MB, 24,500 lists of one or two members held 4.5 MB that way).
 */
function memberList<T>(d: XmlDoc, parent: number, read: (d: XmlDoc, k: number) => T): T[] {
  const id = d.tagId('member');
  if (id < 0) return [];
  const ids = d.tag;
  const next = d.nextSibling;
  let n = 0;
  let first = -1;
  for (let k = d.firstChild[parent]!; k >= 0; k = next[k]!) {
    if (ids[k] !== id) continue;
    if (n++ === 0) first = k;
  }
  if (n === 0) return [];
  if (n === 1) return [read(d, first)];
  const out = new Array<T>(n);
  let i = 0;
  for (let k = first; k >= 0; k = next[k]!) if (ids[k] === id) out[i++] = read(d, k);
  return out;
}

const NO_KIDS: SNode[] = [];
const NO_VALUES: Located<string>[] = [];

/** A node built from `set` lines. */
export class SNode extends CNode {
  /** Shared empty arrays until the first child or value (most nodes are leaves or hold no value). */
  kids: SNode[] = NO_KIDS;
  values: Located<string>[] = NO_VALUES;
  /** Offset of the start of the first line and end of the last line that mention this node. */
  first: number;
  last: number;
  /** Index of the kids by key (tag or tag + NUL + name), built once the node has many kids. */
  index: Map<string, SNode> | undefined;

  constructor(
    readonly tag: string,
    readonly name: string | undefined,
    readonly nameSpan: Span | undefined,
    readonly keySpan: Span,
    readonly parent: SNode | undefined,
    lineStart: number,
    lineEnd: number,
  ) {
    super();
    this.first = lineStart;
    this.last = lineEnd;
  }

  get span(): Span {
    return { start: this.first, end: this.last };
  }

  children(): readonly SNode[] {
    return this.kids;
  }

  text(): Located<string> | undefined {
    return this.values.length > 0 ? this.values[this.values.length - 1] : undefined;
  }

  members(): Located<string>[] {
    return this.values;
  }
}

/**
 * A map from entry names to objects made from the entries when first asked for: an XML container's
 * {@link XNode.fillEntries} stores each entry's element index under its name, and `get` (or an
 * iteration reaching it) makes the object then, with the map's one `make`. Everything else behaves
 * as a `Map` of the made objects.
 */
export class EntryMap<T> extends Map<string, T> {
  private doc: XmlDoc | undefined;
  /** How the model makes an entry's object (for entries stored unmade, and {@link remakeFrom}). */
  maker: ((e: CNode, name: string) => T) | undefined;
  /** Entries stored as element indices, not made yet. */
  private unmade = 0;

  /** Whether entries of `doc` can be stored unmade here (one document and one maker per map). */
  accepts(doc: XmlDoc, make: (e: CNode, name: string) => T): boolean {
    if (this.unmade === 0) {
      this.doc = doc;
      this.maker = make;
      return true;
    }
    return this.doc === doc && this.maker === make;
  }

  /** What is stored under `name`: the object, an element index not made yet, or undefined. */
  raw(name: string): T | number | undefined {
    return super.get(name) as T | number | undefined;
  }

  /** Stores entry element `index` (of the accepted document) under `name`, to be made when asked for. */
  putElement(name: string, index: number): void {
    super.set(name, index as unknown as T);
    this.unmade++;
  }

  /**
   * Puts the object of `node` under `name`, in place of the one there and in its place among the
   * names: the entry's lines were read again under the same name (`incremental.ts`). False when the
   * map was not filled by the model.
   */
  remakeFrom(name: string, node: CNode): boolean {
    if (!this.maker) return false;
    this.set(name, this.maker(node, name));
    return true;
  }

  /**
   * Puts entry element `index` back under `name`, in its place among the names, to be made again when
   * asked for: the entry's text changed under the same name (`incremental.ts`).
   */
  remake(name: string, index: number): void {
    if (typeof super.get(name) !== 'number') this.unmade++;
    super.set(name, index as unknown as T);
  }

  /** Whether the entry of element `index` of `doc` is what this map holds under `name` (made or not), so that it can be made again. */
  holdsEntry(name: string, doc: XmlDoc, index: number): boolean {
    if (this.doc !== doc || !this.maker) return false;
    const v = super.get(name) as T | number | undefined;
    if (typeof v === 'number') return v === index;
    const n = (v as { node?: unknown } | undefined)?.node;
    return n instanceof XNode && n.doc === doc && n.index === index;
  }

  override get(name: string): T | undefined {
    const v = super.get(name) as T | number | undefined;
    return typeof v === 'number' ? this.made(name, v) : v;
  }

  /**
   * As {@link get}, for one reading of the entry: from its node when its object is not made yet
   * (`fromNode`: no object is made, and the entry stays unmade), else from the object (`fromObject`).
   * For a question asked once of many objects (which objects name a management host), so that the
   * answers neither make nor keep an object each.
   */
  peekWith<R>(name: string, fromNode: (e: CNode) => R, fromObject: (v: T) => R): R | undefined {
    const v = super.get(name) as T | number | undefined;
    if (v === undefined) return undefined;
    return typeof v === 'number' ? fromNode(XNode.named(this.doc!, v, name)) : fromObject(v);
  }

  override set(name: string, v: T): this {
    if (typeof super.get(name) === 'number') this.unmade--;
    return super.set(name, v);
  }

  override delete(name: string): boolean {
    if (typeof super.get(name) === 'number') this.unmade--;
    return super.delete(name);
  }

  override clear(): void {
    this.unmade = 0;
    super.clear();
  }

  // Iterating makes each entry as it is reached (a caller that stops early makes no more); once all
  // are made, the map's own iterators (a generator step costs several times a native one).
  override values(): MapIterator<T> {
    return this.unmade === 0 ? super.values() : (this.walk((_k, v) => v) as MapIterator<T>);
  }

  override entries(): MapIterator<[string, T]> {
    return this.unmade === 0 ? super.entries() : (this.walk((k, v): [string, T] => [k, v]) as MapIterator<[string, T]>);
  }

  override [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  override forEach(fn: (value: T, key: string, map: Map<string, T>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  /**
   * As {@link entries}, but an entry not made yet is made for the caller only and stays unmade here (as
   * {@link peekWith}): for one pass over every object that keeps none of those it made.
   */
  peekEntries(): MapIterator<[string, T]> {
    return this.unmade === 0 ? super.entries() : (this.peekWalk() as MapIterator<[string, T]>);
  }

  private *peekWalk(): Generator<[string, T], undefined, unknown> {
    for (const [k, v] of super.entries()) yield [k, typeof v === 'number' ? this.make(k, v) : v];
    return undefined;
  }

  private *walk<R>(out: (k: string, v: T) => R): Generator<R, undefined, unknown> {
    // Replacing a value while iterating keeps the map's order and the iteration's place.
    for (const [k, v] of super.entries()) yield out(k, typeof v === 'number' ? this.made(k, v) : v);
    return undefined;
  }

  /** The object of entry element `index`, made and not stored. */
  private make(name: string, index: number): T {
    return this.maker!(XNode.named(this.doc!, index, name), name);
  }

  private made(name: string, index: number): T {
    const v = this.make(name, index);
    this.unmade--;
    super.set(name, v);
    return v;
  }

}
