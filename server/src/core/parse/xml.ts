/**
 * @fileoverview Position-keeping, error-tolerant XML scanner.
 *
 * Elements are stored as parallel typed arrays (no object per element) so that a 50 MB
 * Panorama export stays well under 8x its size in memory. Every element keeps the offsets of
 * its start tag, name, end tag and content; attributes and text are decoded lazily.
 * The scanner never expands entities (DOCTYPE internal subsets are skipped, not interpreted),
 * never fetches anything, and on broken input reports each problem with its exact span and
 * keeps what it could read.
 */
import { detached, type Span } from '../text';

/** A syntax problem found while scanning. */
export type SyntaxIssue = { message: string; span: Span };

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Amp = 38,
  SQuote = 39,
  Slash = 47,
  Colon = 58,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  LBracket = 91,
  RBracket = 93,
  Underscore = 95,
}

/** Element flag bits. */
export const enum XmlFlag {
  SelfClosing = 1,
  /** The element's end tag was missing; it was closed implicitly. */
  Unclosed = 2,
}

/** ASCII name characters: bit 1 may start a name, bit 2 may continue one. */
const NAME_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === Ch.Underscore || c === Ch.Colon;
  NAME_ASCII[c] = start ? 3 : (c >= 48 && c <= 57) || c === 45 || c === 46 ? 2 : 0;
}

function isNameStart(c: number): boolean {
  return c < 128 ? (NAME_ASCII[c]! & 1) !== 0 : c >= 0xc0;
}

function isNameChar(c: number): boolean {
  return c < 128 ? (NAME_ASCII[c]! & 2) !== 0 : c >= 0xc0 || c === 0xb7;
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab;
}

/**
 * `text.startsWith(s, at)` for the short names the scanner compares (a tag name against its end tag,
 * a name against the interned one): compared character by character, which V8 compiles in line,
 * where `startsWith` is a call into a generic builtin (a quarter of a warm scan's time went there).
 * The caller ensures `at + s.length <= text.length`.
 */
function textHas(text: string, s: string, at: number): boolean {
  for (let k = 0; k < s.length; k++) {
    if (text.charCodeAt(at + k) !== s.charCodeAt(k)) return false;
  }
  return true;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Names of one hash a probe of the element name table meets before it keeps a name by its string. */
const MAX_SAME_HASH = 16;

/** The hash of the name text[from, to) (non-empty) as the scanner takes it on the way. */
export function nameHashAt(text: string, from: number, to: number): number {
  let h = text.charCodeAt(from);
  for (let k = from + 1; k < to; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}

/** Most syntax issues reported for one document; the rest are summarised in one last issue. */
export const MAX_SYNTAX_ISSUES = 200;

/** The parsed document: element i is described by the i-th slot of each array. */
export class XmlDoc {
  count = 0;
  /** Offset of '<' of the start tag. */
  start: Int32Array;
  /** Offset just after the element name (name is [start+1, nameEnd)). */
  nameEnd: Int32Array;
  /** Offset just after the start tag's '>' (or '/>'). */
  openEnd: Int32Array;
  /** Offset of '</' of the end tag (== openEnd for self-closing; == implicit end for unclosed). */
  closeStart: Int32Array;
  /** Offset just after the end tag's '>'. */
  end: Int32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  flags: Uint8Array;
  /** Element name, as an index into {@link tagNames}: names are interned while scanning. */
  tag: Int32Array;
  /** The distinct element names, in order of first appearance. */
  readonly tagNames: string[] = [];
  private readonly tagIds = new Map<string, number>();
  /** Open-addressing table from a name's hash to its id (+1; 0 = empty slot). */
  private tagSlots = new Int32Array(1024);
  private readonly tagHashes: number[] = [];
  /** Names in the open-addressing table; the ids of those kept apart by their string. */
  private slotted = 0;
  private colliding: Set<number> | undefined;
  /** Index of the root element, or -1. */
  root = -1;
  readonly errors: SyntaxIssue[] = [];
  /** Span of the first DOCTYPE declaration read, if any (never interpreted). */
  doctype: Span | undefined;
  private truncatedErrors = 0;
  /**
   * The scan met an unclosed element or an end tag that did not close the innermost element (kept
   * on the reading {@link parseXml} returns, the one with indentation as a hint included).
   */
  structural = false;

  /** Syntax issues recorded, those past the cap included. */
  issueCount = 0;

  /** The whole text (replaced in place when an incremental re-scan shifts this document). */
  text: string;
  /** Spans handed out while `tracking` (the model's): shifted with the arrays on an incremental edit. */
  readonly spans: Span[] = [];
  tracking = false;
  /**
   * Whether the strings read from this document are copies, not slices of its text: set once its text
   * is a later version than the one first scanned (an incremental edit shifted it), or when it scans
   * part of a text (one element re-scanned). A slice keeps its whole text alive, and a model kept
   * across edits (the rule and object paths) reads some of its values after each: as slices, every
   * version of a 50 MB file that a value was read from would stay in memory as long as the model.
   */
  copies = false;

  constructor(text: string, scanLength = text.length) {
    this.text = text;
    const cap = Math.max(64, Math.ceil(scanLength / 48));
    this.start = new Int32Array(cap);
    this.nameEnd = new Int32Array(cap);
    this.openEnd = new Int32Array(cap);
    this.closeStart = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.firstChild = new Int32Array(cap);
    this.lastChild = new Int32Array(cap);
    this.nextSibling = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.tag = new Int32Array(cap);
  }

  /**
   * The id of the name text[from, to) whose hash (see the scanner) is `h`, adding it when new: names
   * are few (a few hundred in a Panorama export), elements many, so each element stores an id. Names
   * can be chosen to share one hash (under 31, every string of 'Aa' and 'BB' pairs of one length: 2^k
   * names of length 2k), which would make each name's probe walk all the others before it (8,192
   * such names took 0.68 s, 131,072 minutes): once a probe meets {@link MAX_SAME_HASH} other names of
   * its hash, the name is looked up and kept by its string instead, outside the table.
   */
  intern(from: number, to: number, h: number): number {
    const text = this.text;
    let slots = this.tagSlots;
    let mask = slots.length - 1;
    let same = 0;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const v = slots[k]! - 1;
      if (v < 0) break;
      if (this.tagHashes[v] === h) {
        const name = this.tagNames[v]!;
        if (name.length === to - from && textHas(text, name, from)) return v;
        if (++same === MAX_SAME_HASH) return this.internColliding(this.own(text.slice(from, to)), h);
      }
    }
    const id = this.tagNames.length;
    const name = this.own(text.slice(from, to));
    this.tagNames.push(name);
    this.tagHashes.push(h);
    this.tagIds.set(name, id);
    if ((this.slotted + 1) * 2 > slots.length) {
      // Keep the table at most half full (hostile input may hold many distinct names).
      slots = new Int32Array(slots.length * 2);
      mask = slots.length - 1;
      for (let j = 0; j < id; j++) {
        if (this.colliding?.has(j)) continue;
        let k = this.tagHashes[j]! & mask;
        while (slots[k] !== 0) k = (k + 1) & mask;
        slots[k] = j + 1;
      }
      this.tagSlots = slots;
    }
    let k = h & mask;
    while (slots[k] !== 0) k = (k + 1) & mask;
    slots[k] = id + 1;
    this.slotted++;
    return id;
  }

  /** {@link intern} for a name whose hash many others share: by its string. */
  private internColliding(name: string, h: number): number {
    const known = this.tagIds.get(name);
    if (known !== undefined) return known;
    const id = this.tagNames.length;
    this.tagNames.push(name);
    this.tagHashes.push(h);
    this.tagIds.set(name, id);
    (this.colliding ??= new Set()).add(id);
    return id;
  }

  /** Names interned by their string, past the table (see {@link intern}): how many. */
  get collidingNames(): number {
    return this.colliding?.size ?? 0;
  }

  /** The id of an element name, or -1 when no element has it. */
  tagId(name: string): number {
    return this.tagIds.get(name) ?? -1;
  }

  /** Record a syntax issue (capped, so hostile input cannot flood the editor). */
  error(message: string, start: number, end: number): void {
    this.issueCount++;
    if (this.errors.length < MAX_SYNTAX_ISSUES) {
      this.errors.push({ message, span: { start, end: Math.max(start, end) } });
    } else {
      this.truncatedErrors++;
    }
  }

  /** Adds the "N more syntax errors" summary if the cap was hit. */
  finishErrors(): void {
    if (this.truncatedErrors > 0) {
      const last = this.errors[this.errors.length - 1]!;
      this.errors.push({ message: `${this.truncatedErrors} more XML syntax errors not shown`, span: last.span });
      this.truncatedErrors = 0;
    }
  }

  private grow(): void {
    const cap = this.start.length * 2;
    const g = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a);
      return b;
    };
    this.start = g(this.start);
    this.nameEnd = g(this.nameEnd);
    this.openEnd = g(this.openEnd);
    this.closeStart = g(this.closeStart);
    this.end = g(this.end);
    this.parent = g(this.parent);
    this.firstChild = g(this.firstChild);
    this.lastChild = g(this.lastChild);
    this.nextSibling = g(this.nextSibling);
    this.flags = g(this.flags);
    this.tag = g(this.tag);
  }

  /** Appends a new element as the last child of `parent`; returns its index. */
  add(start: number, nameEnd: number, parent: number): number {
    if (this.count === this.start.length) {
      this.grow();
    }
    const i = this.count++;
    this.start[i] = start;
    this.nameEnd[i] = nameEnd;
    this.parent[i] = parent;
    this.firstChild[i] = -1;
    this.lastChild[i] = -1;
    this.nextSibling[i] = -1;
    this.flags[i] = 0;
    if (parent >= 0) {
      const last = this.lastChild[parent]!;
      if (last < 0) {
        this.firstChild[parent] = i;
      } else {
        this.nextSibling[last] = i;
      }
      this.lastChild[parent] = i;
    }
    return i;
  }

  name(i: number): string {
    return this.tagNames[this.tag[i]!]!;
  }

  /** True if element i's name equals `name`. */
  is(i: number, name: string): boolean {
    return this.tagNames[this.tag[i]!] === name;
  }

  /** Records a span handed out while the model is built, so that an incremental edit can shift it. */
  private track(s: Span): Span {
    if (this.tracking) this.spans.push(s);
    return s;
  }

  nameSpan(i: number): Span {
    return this.track({ start: this.start[i]! + 1, end: this.nameEnd[i]! });
  }

  /** The whole element, start tag to end tag. */
  span(i: number): Span {
    return this.track({ start: this.start[i]!, end: this.end[i]! });
  }

  /**
   * After an edit that ended at `at` (old offsets) and changed the length by `delta`: every offset at or
   * after `at` moves by `delta`, in the element arrays and in the spans handed out to the model.
   */
  shift(at: number, delta: number, text: string): void {
    this.text = text;
    this.copies = true;
    if (delta === 0) return;
    for (const a of [this.start, this.nameEnd, this.openEnd, this.closeStart, this.end]) {
      for (let k = 0; k < this.count; k++) if (a[k]! >= at) a[k] = a[k]! + delta;
    }
    for (const sp of this.spans) {
      if (sp.start >= at) sp.start += delta;
      if (sp.end >= at) sp.end += delta;
    }
    for (const e of this.errors) {
      if (e.span.start >= at) e.span.start += delta;
      if (e.span.end >= at) e.span.end += delta;
    }
    if (this.doctype) {
      if (this.doctype.start >= at) this.doctype.start += delta;
      if (this.doctype.end >= at) this.doctype.end += delta;
    }
  }

  /**
   * For a document that re-scanned one element of a larger document's text (an incremental edit):
   * the index of that element in the larger document, or -1.
   */
  replaces = -1;

  /** The index just past element i's last descendant (elements are stored in document order). */
  subtreeEnd(i: number): number {
    let k = i;
    for (let c = this.lastChild[k]!; c >= 0; c = this.lastChild[k]!) k = c;
    return k + 1;
  }

  /**
   * Puts the elements of `part` — one element re-scanned from this document's (already updated)
   * text, with no syntax issue — in place of element `at` and its descendants. Afterwards the arrays
   * are what scanning the whole text would give (names may be interned in another order).
   */
  replaceSubtree(at: number, part: XmlDoc): void {
    const up = this.parent[at]!;
    let prev = -1;
    for (let c = up >= 0 ? this.firstChild[up]! : -1; c >= 0 && c !== at; c = this.nextSibling[c]!) prev = c;
    this.replaceChildren(up, prev, this.nextSibling[at]!, part);
  }

  /**
   * Puts the elements of `part` — a run of sibling elements re-scanned from this document's (already
   * updated) text (see `forest` in {@link parseXml}), none of them with a syntax issue; possibly none
   * — in place of the children of `up` between `prev` and `next` (-1: from the first, to the last)
   * and their descendants. Later elements move by the difference in count and every link to them
   * follows; the new top-level elements become children of `up`.
   */
  replaceChildren(up: number, prev: number, next: number, part: XmlDoc): void {
    const from = prev >= 0 ? this.subtreeEnd(prev) : up + 1;
    const to = next >= 0 ? next : this.subtreeEnd(up);
    const n = part.count;
    const dc = n - (to - from);
    if (dc !== 0) {
      while (this.count + dc > this.start.length) this.grow();
      const arrays = [this.start, this.nameEnd, this.openEnd, this.closeStart, this.end, this.parent, this.firstChild, this.lastChild, this.nextSibling, this.flags, this.tag];
      for (const a of arrays) a.copyWithin(from + n, to, this.count);
      this.count += dc;
      // Links to the moved elements move with them (the removed ones were linked to from `up` and `prev` only).
      for (const a of [this.parent, this.firstChild, this.lastChild, this.nextSibling]) {
        for (let k = 0; k < from; k++) if (a[k]! >= to) a[k] = a[k]! + dc;
        for (let k = from + n; k < this.count; k++) if (a[k]! >= to) a[k] = a[k]! + dc;
      }
      if (this.root >= to) this.root += dc;
    }
    const after = next >= 0 ? next + dc : -1;
    // Part's names, as ids of this document (its offsets are of this text).
    const ids = new Int32Array(part.tagNames.length).fill(-1);
    for (let j = 0; j < n; j++) {
      const t = part.tag[j]!;
      if (ids[t]! < 0) ids[t] = this.internAt(part.start[j]! + 1, part.nameEnd[j]!);
    }
    const link = (v: number): number => (v < 0 ? -1 : v + from);
    let last = -1;
    for (let j = 0; j < n; j++) {
      const k = from + j;
      this.start[k] = part.start[j]!;
      this.nameEnd[k] = part.nameEnd[j]!;
      this.openEnd[k] = part.openEnd[j]!;
      this.closeStart[k] = part.closeStart[j]!;
      this.end[k] = part.end[j]!;
      this.firstChild[k] = link(part.firstChild[j]!);
      this.lastChild[k] = link(part.lastChild[j]!);
      this.flags[k] = part.flags[j]!;
      this.tag[k] = ids[part.tag[j]!]!;
      if (part.parent[j]! >= 0) {
        this.parent[k] = link(part.parent[j]!);
        this.nextSibling[k] = link(part.nextSibling[j]!);
      } else {
        // A top-level element of the run: a child of `up`, after the one before it.
        this.parent[k] = up;
        if (last >= 0) this.nextSibling[last] = k;
        last = k;
      }
    }
    if (last >= 0) this.nextSibling[last] = after;
    const head = last >= 0 ? from : after;
    if (prev >= 0) this.nextSibling[prev] = head;
    else if (up >= 0) this.firstChild[up] = head;
    if (next < 0 && up >= 0) this.lastChild[up] = last >= 0 ? last : prev;
  }

  /** The id of the element name text[from, to), interned as the scanner interns it (same hash). */
  private internAt(from: number, to: number): number {
    return this.intern(from, to, nameHashAt(this.text, from, to));
  }

  selfClosing(i: number): boolean {
    return (this.flags[i]! & XmlFlag.SelfClosing) !== 0;
  }

  /** End of the raw value found by the last {@link attrStart} that found one. */
  private attrEnd = 0;

  /**
   * Offset of the raw value (inside the quotes) of attribute `name` of element i, or -1; the value
   * ends at `attrEnd`.
   */
  private attrStart(i: number, name: string): number {
    const text = this.text;
    let p = this.nameEnd[i]!;
    const stop = this.openEnd[i]!;
    // `<entry name="…"`: the attribute first, after one space, double-quoted (nearly every entry of a
    // config), found by comparing rather than reading the tag character by character.
    const at = p + name.length + 3;
    if (at <= stop && text.charCodeAt(p) === Ch.Space && text.charCodeAt(at - 2) === Ch.Eq && text.charCodeAt(at - 1) === Ch.DQuote && text.startsWith(name, p + 1)) {
      const ve = text.indexOf('"', at);
      this.attrEnd = ve < 0 || ve > stop ? stop : ve;
      return at;
    }
    while (p < stop) {
      let c = text.charCodeAt(p);
      while (p < stop && (isSpace(c) || c === Ch.Slash)) {
        c = text.charCodeAt(++p);
      }
      if (p >= stop || c === Ch.Gt) {
        return -1;
      }
      const ns = p;
      while (p < stop && isNameChar(text.charCodeAt(p))) {
        p++;
      }
      const ne = p;
      while (p < stop && isSpace(text.charCodeAt(p))) {
        p++;
      }
      if (text.charCodeAt(p) !== Ch.Eq) {
        if (p === ns) {
          p++;
        }
        continue;
      }
      p++;
      while (p < stop && isSpace(text.charCodeAt(p))) {
        p++;
      }
      const q = text.charCodeAt(p);
      if (q !== Ch.DQuote && q !== Ch.SQuote) {
        continue;
      }
      const vs = p + 1;
      let ve = text.indexOf(q === Ch.DQuote ? '"' : "'", vs);
      if (ve < 0 || ve > stop) {
        ve = stop;
      }
      if (ne - ns === name.length && textHas(text, name, ns)) {
        this.attrEnd = ve;
        return vs;
      }
      p = ve + 1;
    }
    return -1;
  }

  /** Finds attribute `name` of element i; value decoded, span of the raw value (inside quotes). */
  attr(i: number, name: string): { value: string; span: Span } | undefined {
    const vs = this.attrStart(i, name);
    if (vs < 0) return undefined;
    const ve = this.attrEnd;
    return { value: this.own(decodeText(this.text, vs, ve)), span: this.track({ start: vs, end: ve }) };
  }

  /** The decoded value of attribute `name` of element i, without its span. */
  attrText(i: number, name: string): string | undefined {
    const vs = this.attrStart(i, name);
    return vs < 0 ? undefined : this.own(decodeText(this.text, vs, this.attrEnd));
  }

  /** Decoded text content of an element (entities, CDATA; comments dropped). */
  textOf(i: number): string {
    if ((this.flags[i]! & XmlFlag.SelfClosing) !== 0) {
      return '';
    }
    return this.own(decodeText(this.text, this.openEnd[i]!, this.closeStart[i]!));
  }

  /** `s` as read from this document (see {@link copies}): a string of its own when the text is not the first. */
  private own(s: string): string {
    return this.copies ? detached(s) : s;
  }

  /** The span of the text content, trimmed of surrounding whitespace. */
  textSpan(i: number): Span {
    let s = this.openEnd[i]!;
    let e = this.closeStart[i]!;
    if ((this.flags[i]! & XmlFlag.SelfClosing) !== 0) {
      return this.track({ start: s, end: s });
    }
    const t = this.text;
    while (s < e && isSpace(t.charCodeAt(s))) {
      s++;
    }
    while (e > s && isSpace(t.charCodeAt(e - 1))) {
      e--;
    }
    return this.track({ start: s, end: e });
  }
}

/** Decodes character data between offsets: predefined and numeric entities, CDATA, comments. */
export function decodeText(text: string, from: number, to: number): string {
  // Search only inside [from, to): indexOf on the whole text would scan far ahead when '&' or '<' is
  // rare, once per entity of the value. Offsets below are of `seg`.
  const seg = text.slice(from, to);
  const n = seg.length;
  let amp = seg.indexOf('&');
  let lt = seg.indexOf('<');
  if (amp < 0 && lt < 0) {
    return seg.trim();
  }
  let out = '';
  let p = 0;
  while (p < n) {
    // The next '&' and '<' are looked for again only once passed.
    if (amp >= 0 && amp < p) amp = seg.indexOf('&', p);
    if (lt >= 0 && lt < p) lt = seg.indexOf('<', p);
    if (amp < 0 && lt < 0) {
      out += seg.slice(p);
      break;
    }
    if (amp >= 0 && (lt < 0 || amp < lt)) {
      out += seg.slice(p, amp);
      const semi = entityEnd(seg, amp, n);
      const decoded = decodeEntity(semi > 0 ? seg.slice(amp + 1, semi) : '');
      if (decoded === undefined) {
        out += '&';
        p = amp + 1;
      } else {
        out += decoded;
        p = semi + 1;
      }
    } else {
      out += seg.slice(p, lt);
      // Markup is matched in the whole text, as the scanner does (it may end past `to`).
      const at = from + lt;
      if (text.startsWith('<![CDATA[', at)) {
        const e = text.indexOf(']]>', at + 9);
        const stop = e < 0 || e > to ? to : e;
        out += text.slice(at + 9, stop);
        p = stop + 3 - from;
      } else if (text.startsWith('<!--', at)) {
        const e = text.indexOf('-->', at + 4);
        p = (e < 0 || e > to ? to : e + 3) - from;
      } else if (!isNameStart(text.charCodeAt(at + 1)) && text.charCodeAt(at + 1) !== Ch.Slash && text.charCodeAt(at + 1) !== Ch.Question) {
        // A stray '<' (reported by the scanner) is kept as a literal character.
        out += '<';
        p = lt + 1;
      } else {
        const e = text.indexOf('>', at);
        p = (e < 0 || e > to ? to : e + 1) - from;
      }
    }
  }
  return out.trim();
}

/**
 * Offset of the ';' ending the reference whose '&' is at `amp`, or -1: entities are short, so only
 * the next 11 characters (before `to`) are looked at, not the text up to the next ';'.
 */
function entityEnd(text: string, amp: number, to: number): number {
  const stop = Math.min(to, amp + 12);
  for (let k = amp + 1; k < stop; k++) {
    if (text.charCodeAt(k) === 59) return k;
  }
  return -1;
}

function decodeEntity(ent: string): string | undefined {
  if (ent.length === 0) {
    return undefined;
  }
  const pre = PREDEFINED[ent];
  if (pre !== undefined && Object.prototype.hasOwnProperty.call(PREDEFINED, ent)) {
    return pre;
  }
  if (ent.charCodeAt(0) === 35) {
    const hex = ent.charCodeAt(1) === 120 || ent.charCodeAt(1) === 88;
    const digits = ent.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) {
      return undefined;
    }
    const code = parseInt(digits, hex ? 16 : 10);
    if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return undefined;
    }
    return String.fromCodePoint(code);
  }
  return undefined;
}

/** Validates the '&' reference at offset p (not past `to`); reports a bad one. */
function checkEntityAt(doc: XmlDoc, p: number, to: number): void {
  const text = doc.text;
  const semi = entityEnd(text, p, to);
  const ent = semi > 0 ? text.slice(p + 1, semi) : '';
  if (decodeEntity(ent) === undefined) {
    if (/^[A-Za-z_][\w.-]*$/.test(ent)) {
      doc.error(`Undefined entity '&${ent};' (only the five XML entities are understood; entities are never expanded)`, p, semi + 1);
    } else {
      doc.error("'&' must be written as '&amp;'", p, p + 1);
    }
  }
}

/** Validates '&' references in [from, to); reports bad ones. */
function checkEntities(doc: XmlDoc, from: number, to: number): void {
  for (let p = findSparse(doc.text, '&', from, to); p >= 0; p = findSparse(doc.text, '&', p + 1, to)) checkEntityAt(doc, p, to);
}

/** True if element i's (interned) name is text[from, to). */
function sameName(doc: XmlDoc, i: number, from: number, to: number): boolean {
  const name = doc.name(i);
  return name.length === to - from && textHas(doc.text, name, from);
}

/**
 * How many open elements have each name, for end tags that do not close the innermost element.
 * Brought up to date with the stack only when such an end tag comes, so a well-formed document
 * never pays for it; each element is counted in and out at most once.
 */
class OpenNames {
  private readonly counts = new Map<string, number>();
  /** The stack as last counted. */
  private counted = new Int32Array(64);
  private depth = 0;

  constructor(private readonly doc: XmlDoc) {}

  /** Is an element named `name` among stack[0, depth)? */
  has(name: string, stack: Int32Array, depth: number): boolean {
    this.sync(stack, depth);
    return (this.counts.get(name) ?? 0) > 0;
  }

  private sync(stack: Int32Array, depth: number): void {
    // An element at the same stack position has the same ancestors: the stacks agree below it.
    let same = Math.min(this.depth, depth);
    while (same > 0 && this.counted[same - 1] !== stack[same - 1]) same--;
    for (let j = this.depth - 1; j >= same; j--) {
      const name = this.doc.name(this.counted[j]!);
      this.counts.set(name, this.counts.get(name)! - 1);
    }
    if (depth > this.counted.length) {
      const g = new Int32Array(Math.max(depth, this.counted.length * 2));
      g.set(this.counted);
      this.counted = g;
    }
    for (let j = same; j < depth; j++) {
      const e = stack[j]!;
      this.counted[j] = e;
      const name = this.doc.name(e);
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
    this.depth = depth;
  }
}

/**
 * Columns of indentation before `pos` when only blanks precede it on its line, else -1.
 */
function indentBefore(text: string, pos: number): number {
  let p = pos;
  while (p > 0) {
    const c = text.charCodeAt(p - 1);
    if (c === Ch.Lf || c === Ch.Cr) break;
    if (c !== Ch.Space && c !== Ch.Tab) return -1;
    p--;
  }
  return pos - p;
}

/**
 * For a start tag at `lt` (name up to `nameEnd`): the stack position of an open element of the same
 * name whose start tag begins a line at the same indentation, with every element above it on the
 * stack more indented; -1 if there is none (or the tag does not begin a line). The root is never
 * taken, and the search looks at most 32 levels down.
 */
function unclosedSibling(doc: XmlDoc, stack: Int32Array, depth: number, lt: number, nameEnd: number): number {
  const text = doc.text;
  const ind = indentBefore(text, lt);
  if (ind < 0) return -1;
  for (let j = depth - 1; j >= 1 && j >= depth - 32; j--) {
    const e = stack[j]!;
    const oi = indentBefore(text, doc.start[e]!);
    if (oi < ind) return -1;
    if (oi === ind) return sameName(doc, e, lt + 1, nameEnd) ? j : -1;
  }
  return -1;
}

/**
 * An end tag that would close an element further out than the innermost one is taken as stray when
 * the file is indented and the end tag sits deeper than that element's start tag: its own start
 * tag was lost (a deleted `<`, a half-typed name), and closing the outer element would tear the
 * rest of the file out of its place (a whole vsys's rules out of the vsys).
 */
function isStrayByIndent(text: string, endTag: number, outerStart: number): boolean {
  const e = indentBefore(text, endTag);
  if (e < 0) return false;
  const o = indentBefore(text, outerStart);
  return o >= 0 && e > o;
}

/**
 * Scans `text` into an {@link XmlDoc}. Never throws on bad input. With `from`/`to`, scans only that
 * range (offsets stay those of the whole text): used to re-scan one edited entry. `forest`: the range
 * is a run of sibling elements, possibly none (elements after the first, or none, are not an error; each has no parent).
 *
 * A well-formed document is scanned once, strictly. When elements were left unclosed or end tags
 * did not match, it is scanned a second time with the file's indentation as a hint (see
 * `indentAware` below), and that reading is kept unless it has more syntax issues: a `</entry>`
 * not typed yet should cost the one entry, not nest every later rule inside it.
 */
export function parseXml(text: string, from = 0, to = text.length, forest = false): XmlDoc {
  const strict = scanXml(text, from, to, false, forest);
  if (!strict.structural) return strict;
  const hinted = scanXml(text, from, to, true, forest);
  const kept = hinted.issueCount <= strict.issueCount ? hinted : strict;
  // Either reading was made with the whole text in view (the hinted one may close nothing by mismatch).
  kept.structural = true;
  return kept;
}

/** `text.indexOf(needle, at)`, -1 when at or past `len` (the end of the scanned range). */
function find(text: string, needle: string, at: number, len: number): number {
  const i = text.indexOf(needle, at);
  return i >= len ? -1 : i;
}

/**
 * {@link find} for a needle a text may hold a few times in megabytes ('&'): within [at, len) only.
 * `indexOf` has no end, and past the end of a short range (one element re-scanned after an edit)
 * it would read on to the next '&' of the whole text (a few milliseconds per edit at 50 MB with no '&').
 */
function findSparse(text: string, needle: string, at: number, len: number): number {
  if (len >= text.length) return find(text, needle, at, len);
  if (at >= len) return -1;
  const i = text.slice(at, len).indexOf(needle);
  return i < 0 ? -1 : at + i;
}

/** Reports the first non-blank text in [from, to) outside the root element (once per document). */
function strayText(doc: XmlDoc, text: string, from: number, to: number, rootClosed: boolean): boolean {
  for (let k = from; k < to; k++) {
    if (!isSpace(text.charCodeAt(k))) {
      let e = k;
      while (e < to && text.charCodeAt(e) !== Ch.Lf) e++;
      // The span ends at the last non-blank character (not on the CR of a CR LF, nor on trailing blanks).
      while (isSpace(text.charCodeAt(e - 1))) e--;
      doc.error(rootClosed ? 'Text after the root element' : 'Text before the root element', k, e);
      return true;
    }
  }
  return false;
}

/** The offset after the first `term` at or after `from`; else `len`, after reporting `message` over [start, end). */
function skipTo(doc: XmlDoc, text: string, term: string, from: number, len: number, message: string, start: number, end: number): number {
  const e = find(text, term, from, len);
  if (e < 0) {
    doc.error(message, start, end);
    return len;
  }
  return e + term.length;
}

/**
 * Markup that is not an element at `lt` (`<?…?>`, `<!--…-->`, `<![CDATA[…]]>`, `<!DOCTYPE…>`, other
 * `<!…>`): checked and skipped; returns the offset after it.
 */
function skipMarkup(doc: XmlDoc, text: string, lt: number, len: number, depth: number): number {
  if (text.charCodeAt(lt + 1) === Ch.Question) {
    return skipTo(doc, text, '?>', lt + 2, len, "Processing instruction is not terminated by '?>'", lt, Math.min(len, lt + 2));
  }
  if (text.startsWith('<!--', lt)) {
    return skipTo(doc, text, '-->', lt + 4, len, "Comment is not terminated by '-->'", lt, lt + 4);
  }
  if (text.startsWith('<![CDATA[', lt)) {
    if (depth === 0) {
      doc.error('CDATA section outside the root element', lt, lt + 9);
    }
    return skipTo(doc, text, ']]>', lt + 9, len, "CDATA section is not terminated by ']]>'", lt, lt + 9);
  }
  if (text.startsWith('<!DOCTYPE', lt)) {
    // Skip the declaration and its internal subset without interpreting it.
    let p = lt + 9;
    let inBracket = false;
    let quote = 0;
    for (; p < len; p++) {
      const d = text.charCodeAt(p);
      if (quote !== 0) {
        if (d === quote) quote = 0;
      } else if (d === Ch.DQuote || d === Ch.SQuote) {
        quote = d;
      } else if (d === Ch.LBracket) {
        inBracket = true;
      } else if (d === Ch.RBracket) {
        inBracket = false;
      } else if (d === Ch.Gt && !inBracket) {
        break;
      }
    }
    // Only one, and only in the prolog (XML 1.0 §2.8): one inside or after the root element, or a second
    // one, is an error. `doctype` keeps the first one read (a range scan holding one is not re-used).
    if (depth > 0 || doc.root >= 0) {
      doc.error('DOCTYPE declaration after the start of the root element (it belongs before it)', lt, lt + 9);
    } else if (doc.doctype) {
      doc.error('Second DOCTYPE declaration (only one is allowed)', lt, lt + 9);
    }
    doc.doctype ??= { start: lt, end: Math.min(len, p + 1) };
    if (p >= len) {
      doc.error('DOCTYPE declaration is not terminated', lt, lt + 9);
    }
    return Math.min(len, p + 1);
  }
  const e = find(text, '>', lt, len);
  doc.error('Unknown markup declaration', lt, Math.min(len, lt + 2));
  return e < 0 ? len : e + 1;
}

/**
 * What the scan keeps for end tags beyond the innermost element: the names open (counted on demand),
 * whether the root was closed, and the offset after the last end tag read by {@link endTag}.
 */
type EndTagState = { openNames: OpenNames | undefined; rootClosed: boolean; pos: number };

/**
 * An end tag `</name` (name [nameS, nameE)) that does not simply close the innermost element, or is
 * malformed: reports what is wrong and closes what it matches. Returns the new depth; the offset
 * after the tag goes to `st.pos`.
 */
function endTag(doc: XmlDoc, text: string, len: number, stack: Int32Array, depth: number, lt: number, nameS: number, nameE: number, innermost: boolean, st: EndTagState): number {
  let p = nameE;
  while (p < len && isSpace(text.charCodeAt(p))) p++;
  let tagEnd: number;
  // Not the '>' just past a range scanned alone (`len` short of the text): the tag is cut there.
  if (p < len && text.charCodeAt(p) === Ch.Gt) {
    tagEnd = p + 1;
    if (nameE === nameS) {
      doc.error("Malformed end tag: expected a name after '</'", lt, tagEnd);
    }
  } else {
    const nl = find(text, '<', p, len);
    tagEnd = nl < 0 ? len : nl;
    // The span ends at the last non-blank character (not on the line break before the next tag).
    let errEnd = Math.min(tagEnd, p + 1);
    while (errEnd > Math.max(nameE, lt + 2) && isSpace(text.charCodeAt(errEnd - 1))) errEnd--;
    doc.error(nameE > nameS ? `End tag </${text.slice(nameS, nameE)}> is not terminated by '>'` : "Malformed end tag: expected a name after '</'", lt, errEnd);
  }
  st.pos = tagEnd;
  if (nameE === nameS) return depth;
  // Find the matching open element: nearly always the innermost one. Otherwise look down the
  // stack only if an element of that name is open at all (a run of stray end tags each scanned the
  // whole stack).
  let k = depth - 1;
  if (k >= 0 && !innermost && !sameName(doc, stack[k]!, nameS, nameE)) {
    if ((st.openNames ??= new OpenNames(doc)).has(text.slice(nameS, nameE), stack, depth)) {
      while (k >= 0 && !sameName(doc, stack[k]!, nameS, nameE)) k--;
    } else {
      k = -1;
    }
  }
  if (k >= 0 && k < depth - 1 && isStrayByIndent(text, lt, doc.start[stack[k]!]!)) k = -1;
  if (k !== depth - 1) doc.structural = true;
  if (k < 0) {
    doc.error(
      depth > 0
        ? `Unexpected end tag </${text.slice(nameS, nameE)}>: the open element is <${doc.name(stack[depth - 1]!)}>`
        : `Unexpected end tag </${text.slice(nameS, nameE)}> with no open element`,
      lt,
      tagEnd,
    );
    return depth;
  }
  for (let j = depth - 1; j > k; j--) {
    const e = stack[j]!;
    doc.flags[e] = doc.flags[e]! | XmlFlag.Unclosed;
    doc.closeStart[e] = lt;
    doc.end[e] = lt;
    doc.error(`Element <${doc.name(e)}> is not closed before </${text.slice(nameS, nameE)}>`, doc.start[e]!, doc.nameEnd[e]!);
  }
  const e = stack[k]!;
  doc.closeStart[e] = lt;
  doc.end[e] = tagEnd;
  if (k === 0) st.rootClosed = true;
  return k;
}

/**
 * `indentAware`: a start tag at the start of a line closes the open element of the same name that
 * starts a line at the same indentation, when every element opened inside that one sits deeper:
 * in an indented file that element's end tag is missing (the next `<entry>` of a list is its
 * sibling, not its child).
 *
 * The loop keeps to the common path (text, start tags, end tags closing the innermost element);
 * everything rarer is a function of its own, so that the loop stays small for the compiler: a scan
 * is one long call, optimised while it runs.
 */
function scanXml(text: string, from: number, to: number, indentAware: boolean, forest: boolean): XmlDoc {
  const doc = new XmlDoc(text, to - from);
  // Part of a text (one element re-scanned after an edit): what is read from it is copied out (see `copies`).
  doc.copies = from > 0 || to < text.length;
  const len = to;
  let stack = new Int32Array(64);
  let depth = 0;
  let pos = from;
  if (text.charCodeAt(pos) === 0xfeff) {
    pos++;
  }
  let nextAmp = findSparse(text, '&', pos, len);
  const st: EndTagState = { openNames: undefined, rootClosed: false, pos: 0 };
  let strayTextReported = false;

  for (;;) {
    const lt = find(text, '<', pos, len);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) {
      if (depth === 0) {
        if (!strayTextReported) strayTextReported = strayText(doc, text, pos, textEnd, st.rootClosed);
      } else {
        if (nextAmp >= 0 && nextAmp < pos) nextAmp = findSparse(text, '&', pos, len);
        if (nextAmp >= 0 && nextAmp < textEnd) {
          checkEntities(doc, nextAmp, textEnd);
          nextAmp = findSparse(text, '&', textEnd, len);
        }
      }
    }
    if (lt < 0) {
      break;
    }
    const c = text.charCodeAt(lt + 1);
    if (c === Ch.Slash) {
      // End tag. Nearly always it closes the innermost element: try that name first.
      let p = lt + 2;
      if (depth > 0) {
        const open = doc.tagNames[doc.tag[stack[depth - 1]!]!]!;
        const q = p + open.length;
        if (q < len && text.charCodeAt(q) === Ch.Gt && textHas(text, open, p)) {
          // `</name>`: closes the innermost element.
          const e = stack[--depth]!;
          doc.closeStart[e] = lt;
          doc.end[e] = q + 1;
          if (depth === 0) st.rootClosed = true;
          pos = q + 1;
          continue;
        }
        if (q <= len && textHas(text, open, p) && (q === len || !isNameChar(text.charCodeAt(q)))) {
          depth = endTag(doc, text, len, stack, depth, lt, lt + 2, q, true, st);
          pos = st.pos;
          continue;
        }
      }
      while (p < len && isNameChar(text.charCodeAt(p))) p++;
      depth = endTag(doc, text, len, stack, depth, lt, lt + 2, p, false, st);
      pos = st.pos;
      continue;
    }
    if (c === Ch.Question || c === Ch.Bang) {
      pos = skipMarkup(doc, text, lt, len, depth);
      continue;
    }
    if (!isNameStart(c)) {
      doc.error("'<' is not followed by an element name (write '&lt;' for a literal '<')", lt, lt + 1);
      pos = lt + 1;
      continue;
    }
    // Start tag; the name's hash is taken on the way, for interning it.
    let p = lt + 2;
    let h = c;
    while (p < len) {
      const d = text.charCodeAt(p);
      if (!isNameChar(d)) break;
      h = (Math.imul(h, 31) + d) | 0;
      p++;
    }
    const nameEnd = p;
    let quote = 0;
    let closed = false;
    let selfClosing = false;
    let badAttr = -1;
    let quoteStart = -1;
    for (; p < len; p++) {
      const d = text.charCodeAt(p);
      if (quote !== 0) {
        if (d === quote) {
          quote = 0;
        } else if (d === Ch.Lt) {
          break;
        } else if (d === Ch.Amp) {
          checkEntityAt(doc, p, len);
        }
        continue;
      }
      if (d === Ch.Gt) {
        closed = true;
        selfClosing = text.charCodeAt(p - 1) === Ch.Slash;
        break;
      }
      if (d === Ch.DQuote || d === Ch.SQuote) {
        quote = d;
        quoteStart = p;
        if (text.charCodeAt(p - 1) !== Ch.Eq && !isSpace(text.charCodeAt(p - 1)) && badAttr < 0) {
          badAttr = p;
        }
      } else if (d === Ch.Lt) {
        break;
      } else if (d === Ch.Eq && badAttr < 0) {
        // An unquoted value (`name=x`): flag its first character (or the '=' if there is none).
        let q = p + 1;
        while (q < len && isSpace(text.charCodeAt(q))) q++;
        const v = text.charCodeAt(q);
        if (v !== Ch.DQuote && v !== Ch.SQuote) {
          badAttr = isNameChar(v) ? q : p;
        }
      } else if (!(isNameChar(d) || isSpace(d) || d === Ch.Eq || d === Ch.Slash) && badAttr < 0) {
        badAttr = p;
      }
    }
    if (!closed) {
      if (quote !== 0) {
        doc.error(`Attribute value of <${text.slice(lt + 1, nameEnd)}> is not terminated by a closing quote`, quoteStart, quoteStart + 1);
      } else {
        doc.error(`Start tag <${text.slice(lt + 1, nameEnd)}> is not terminated by '>'`, lt, nameEnd);
      }
      pos = p;
      continue;
    }
    if (badAttr >= 0) {
      doc.error(`Malformed attribute in <${text.slice(lt + 1, nameEnd)}>: values must be quoted, as name="value"`, badAttr, badAttr + 1);
    }
    if (depth === 0 && doc.root >= 0 && !forest) {
      doc.error(`Extra element <${text.slice(lt + 1, nameEnd)}> after the root element`, lt, nameEnd);
    }
    if (indentAware && depth > 1) {
      const j = unclosedSibling(doc, stack, depth, lt, nameEnd);
      if (j >= 0) {
        for (let q = depth - 1; q >= j; q--) {
          const e = stack[q]!;
          doc.flags[e] = doc.flags[e]! | XmlFlag.Unclosed;
          doc.closeStart[e] = lt;
          doc.end[e] = lt;
          doc.error(`Element <${doc.name(e)}> is not closed before <${text.slice(lt + 1, nameEnd)}> (at the same indentation as <${doc.name(stack[j]!)}>)`, doc.start[e]!, doc.nameEnd[e]!);
        }
        depth = j;
      }
    }
    const parent = depth > 0 ? stack[depth - 1]! : -1;
    const i = doc.add(lt, nameEnd, parent);
    doc.tag[i] = doc.intern(lt + 1, nameEnd, h);
    if (doc.root < 0 && parent < 0) {
      doc.root = i;
    }
    doc.openEnd[i] = p + 1;
    if (selfClosing) {
      doc.flags[i] = XmlFlag.SelfClosing;
      doc.closeStart[i] = p + 1;
      doc.end[i] = p + 1;
      if (depth === 0) st.rootClosed = true;
    } else {
      if (depth === stack.length) {
        const g = new Int32Array(stack.length * 2);
        g.set(stack);
        stack = g;
      }
      stack[depth++] = i;
    }
    pos = p + 1;
  }
  // Elements left open at end of input.
  for (let j = depth - 1; j >= 0; j--) {
    const e = stack[j]!;
    doc.flags[e] = doc.flags[e]! | XmlFlag.Unclosed;
    doc.closeStart[e] = len;
    doc.end[e] = len;
  }
  if (depth > 0) {
    doc.structural = true;
    const inner = stack[depth - 1]!;
    doc.error(
      `Unexpected end of file: ${depth === 1 ? 'element' : `${depth} elements`} not closed (innermost <${doc.name(inner)}>)`,
      len,
      len,
    );
    for (let j = depth - 1; j >= 0 && j >= depth - 20; j--) {
      const e = stack[j]!;
      doc.error(`Element <${doc.name(e)}> is never closed`, doc.start[e]! + 1, doc.nameEnd[e]!);
    }
  }
  if (doc.root < 0 && !forest) {
    doc.error('No XML element found', 0, Math.min(len, 1));
  }
  doc.finishErrors();
  return doc;
}
