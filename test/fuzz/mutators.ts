/**
 * @fileoverview Deterministic input mutators for the fuzz harness (test/fuzz/fuzz.ts).
 *
 * Everything here is a pure function of (source text, seeded RNG): the same seed and case index
 * give the same bytes on every machine, so a failing case is reproduced with
 * `npm run fuzz -- --seed S --case I`.
 *
 * Categories (see CATEGORIES): byte-level damage (truncation at structural points, deleted /
 * inserted / duplicated characters, random code units, NULs), markup damage (deleted, inserted,
 * duplicated and swapped tags; entities; unbalanced set quotes and brackets), encodings (BOM,
 * CRLF/CR, UTF-16 decoded the way the CLI decodes files), well-formedness-preserving edits (so the
 * "fixes keep XML well-formed" property gets well-formed inputs with other findings), a `stack`
 * of several light mutations, and big generated inputs (10,000-deep nesting, 5 MB single lines,
 * 100,000-member lists, giant attribute values).
 */
import { decode, encode } from '../../server/src/io';

// -------------------------------------------------------------------------------------------------
// RNG

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG (public domain, Tommy Ettinger). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of case `index` of a run with seed `seed` (independent of the other cases). */
export function caseSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private readonly f: () => number;
  constructor(seed: number) {
    this.f = mulberry32(seed);
  }
  next(): number {
    return this.f();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.f() * n);
  }
  /** Integer in [a, b]. */
  range(a: number, b: number): number {
    return a + this.int(b - a + 1);
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  pick<T>(a: readonly T[]): T {
    if (a.length === 0) throw new Error('pick from an empty list');
    return a[this.int(a.length)]!;
  }
}

// -------------------------------------------------------------------------------------------------
// Sources and results

export type Form = 'xml' | 'set' | 'other';

export type Source = { label: string; text: string; form: Form };

export type Mutated = {
  text: string;
  /** Short description of what was done (offsets, variant), for the failure report. */
  note: string;
  /** For decoded encodings: the text the decoder must give back exactly. */
  expectDecoded?: string;
};

export type Category = {
  name: string;
  /** Relative frequency in a run (big generated inputs are rare: they cost seconds each). */
  weight: number;
  forms: readonly Form[];
  /** Generated inputs of a megabyte or more. */
  big?: boolean;
  apply(src: Source, rng: Rng): Mutated;
};

// -------------------------------------------------------------------------------------------------
// Helpers

function splice(text: string, at: number, del: number, ins: string): string {
  return text.slice(0, at) + ins + text.slice(at + del);
}

/** Offsets where markup or tokens begin or end: the interesting places to cut or insert. */
export function structuralPoints(text: string, form: Form): number[] {
  const out: number[] = [];
  const len = text.length;
  if (form === 'xml') {
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 60 /* < */) out.push(i, i + 1);
      else if (c === 62 /* > */) out.push(i, i + 1);
      else if (c === 34 || c === 39 || c === 61 || c === 47 || c === 38 || c === 10) out.push(i, i + 1);
    }
  } else {
    let prevWs = true;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      const ws = c === 32 || c === 9 || c === 10 || c === 13;
      if (ws !== prevWs) out.push(i);
      if (c === 34 || c === 39 || c === 91 || c === 93 || c === 35) out.push(i, i + 1);
      if (c === 10) out.push(i + 1);
      prevWs = ws;
    }
  }
  out.push(0, len);
  return out;
}

function point(text: string, form: Form, rng: Rng): number {
  if (rng.chance(0.2)) return rng.int(text.length + 1);
  const pts = structuralPoints(text, form);
  return Math.min(text.length, rng.pick(pts));
}

/** Spans of `<…>` tags (start, end exclusive) in an XML text, quote-unaware (fast, approximate). */
function tags(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let p = 0;
  for (;;) {
    const lt = text.indexOf('<', p);
    if (lt < 0) break;
    const gt = text.indexOf('>', lt + 1);
    if (gt < 0) break;
    out.push({ start: lt, end: gt + 1 });
    p = gt + 1;
  }
  return out;
}

/** Complete elements `<name …>…</name>` or `<name …/>` (approximate: nearest matching end tag by depth). */
function element(text: string, rng: Rng, prefer: RegExp = /^<(entry|member)[\s>/]/): { start: number; end: number } | undefined {
  const ts = tags(text);
  if (ts.length === 0) return undefined;
  const starts = ts.filter((t) => prefer.test(text.slice(t.start, t.start + 10)));
  const candidates = starts.length ? starts : ts.filter((t) => /^<[A-Za-z_]/.test(text.slice(t.start, t.start + 2)));
  if (candidates.length === 0) return undefined;
  const t = rng.pick(candidates);
  const head = text.slice(t.start, t.end);
  if (head.endsWith('/>')) return t;
  const name = /^<([^\s>/]+)/.exec(head)?.[1];
  if (!name) return undefined;
  let depth = 0;
  const open = new RegExp(`<${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s>/])|</${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*>|/>`, 'g');
  open.lastIndex = t.start;
  let selfClosingPending = false;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    if (m[0] === '/>') {
      if (selfClosingPending) {
        depth--;
        selfClosingPending = false;
        if (depth === 0) return { start: t.start, end: m.index + 2 };
      }
      continue;
    }
    if (m[0].startsWith('</')) {
      depth--;
      if (depth === 0) return { start: t.start, end: m.index + m[0].length };
    } else {
      depth++;
      const gt = text.indexOf('>', m.index);
      selfClosingPending = gt > 0 && text.charCodeAt(gt - 1) === 47;
      if (selfClosingPending) {
        depth--;
        selfClosingPending = false;
        if (depth === 0) return { start: t.start, end: gt + 1 };
      }
    }
  }
  return undefined;
}

/** Whole lines [start, end) including the line break. */
function lines(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push({ start: s, end: i + 1 });
      s = i + 1;
    }
  }
  if (s < text.length) out.push({ start: s, end: text.length });
  return out;
}

/** Whitespace-separated tokens of a set text. */
function tokens(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[^\s]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

const MARKUP_ALPHABET = ['<', '>', '/', '"', "'", '=', '&', ';', '[', ']', '!', '?', '-', '#', ' ', '\n', '\r', '\t', 'a', 'x', '0', '\u00e9', '\u4e2d', '\ud83d\ude00', 'entry', 'member', 'set ', 'name=', '&amp;', '&lt;', '<!--', '-->', ']]>'];

function randomInsert(rng: Rng): string {
  let s = '';
  const n = rng.range(1, 4);
  for (let i = 0; i < n; i++) s += rng.pick(MARKUP_ALPHABET);
  return s;
}

/** A random UTF-16 code unit, biased to the troublesome ones. */
function randomCodeUnit(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return String.fromCharCode(rng.int(32)); // C0 controls, NUL included
    case 1:
      return String.fromCharCode(0xd800 + rng.int(0x800)); // lone surrogate
    case 2:
      return rng.pick(['\ufeff', '\ufffd', '\u2028', '\u2029', '\u0085', '\u00a0', '\uffff', '\ufffe']);
    case 3:
      return String.fromCharCode(0x80 + rng.int(0x80)); // C1 / Latin-1
    case 4:
      return String.fromCharCode(rng.int(0x10000));
    default:
      return String.fromCharCode(32 + rng.int(95));
  }
}

/** Hostile but legal names: written escaped in XML, quoted in set. */
export const HOSTILE_NAMES = [
  'a&b', 'x<y', 'p]]>q', 'say "hi"', "it's", 'both "a" \'b\'', '__proto__', 'constructor', 'prototype', 'toString',
  'hasOwnProperty', '&amp;', '<entry name="x">', '\u00e9t\u00e9 \u4e2d\u6587', 'tab\there', '#hash', '[br]', ' lead', '',
  'z'.repeat(2000),
];

export function xmlEscapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A set-form token for `s` (the quoting of render.setQuote, restated independently). */
export function setToken(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_.:/@+*,=-][^\s"'[\]#]*$/.test(s)) return s;
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/"/g, "'")}"`;
}

// -------------------------------------------------------------------------------------------------
// Generic byte/character mutations

const truncate: Category = {
  name: 'truncate',
  weight: 8,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    const at = point(src.text, src.form, rng);
    return { text: src.text.slice(0, at), note: `cut at ${at}` };
  },
};

const deleteChars: Category = {
  name: 'delete-chars',
  weight: 6,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    for (let k = rng.range(1, 3); k > 0 && t.length > 0; k--) {
      const at = point(t, src.form, rng);
      const n = Math.min(t.length - at, rng.chance(0.7) ? rng.range(1, 3) : rng.range(4, 64));
      t = splice(t, at, n, '');
      notes.push(`-${n}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

const insertChars: Category = {
  name: 'insert-chars',
  weight: 6,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    for (let k = rng.range(1, 3); k > 0; k--) {
      const at = point(t, src.form, rng);
      const s = randomInsert(rng);
      t = splice(t, at, 0, s);
      notes.push(`+${JSON.stringify(s)}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

const duplicateChars: Category = {
  name: 'duplicate-chars',
  weight: 5,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    const t = src.text;
    const at = point(t, src.form, rng);
    const n = Math.min(t.length - at, rng.range(1, 200));
    const to = rng.chance(0.5) ? at : point(t, src.form, rng);
    return { text: splice(t, to, 0, t.slice(at, at + n)), note: `dup ${at}+${n} to ${to}` };
  },
};

const randomBytes: Category = {
  name: 'random-code-units',
  weight: 5,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    for (let k = rng.range(1, 8); k > 0; k--) {
      const at = rng.int(t.length + 1);
      const s = randomCodeUnit(rng);
      t = rng.chance(0.5) && at < t.length ? splice(t, at, 1, s) : splice(t, at, 0, s);
      notes.push(`U+${s.charCodeAt(0).toString(16)}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

const nul: Category = {
  name: 'nul',
  weight: 4,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    for (let k = rng.range(1, 6); k > 0; k--) {
      const at = point(t, src.form, rng);
      const n = rng.chance(0.8) ? 1 : rng.range(2, 4096);
      t = rng.chance(0.3) && at < t.length ? splice(t, at, Math.min(n, t.length - at), '\0'.repeat(Math.min(n, t.length - at))) : splice(t, at, 0, '\0'.repeat(n));
      notes.push(`NULx${n}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

const bom: Category = {
  name: 'bom',
  weight: 2,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    switch (rng.int(3)) {
      case 0:
        return { text: '\ufeff' + src.text, note: 'leading BOM (as an LSP client may send it)' };
      case 1:
        return { text: '\ufeff\ufeff' + src.text, note: 'two leading BOMs' };
      default: {
        const at = point(src.text, src.form, rng);
        return { text: splice(src.text, at, 0, '\ufeff'), note: `BOM at ${at}` };
      }
    }
  },
};

const lineEndings: Category = {
  name: 'line-endings',
  weight: 3,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    const lf = src.text.replace(/\r\n?/g, '\n');
    switch (rng.int(4)) {
      case 0:
        return { text: lf.replace(/\n/g, '\r\n'), note: 'CRLF' };
      case 1:
        return { text: lf.replace(/\n/g, '\r'), note: 'CR only' };
      case 2:
        return { text: lf.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r'])), note: 'mixed LF/CRLF/CR' };
      default:
        return { text: lf.replace(/\n/g, () => rng.pick(['\n', '\r\r\n', '\n\r', '\u2028'])), note: 'odd breaks (CRCRLF, LFCR, U+2028)' };
    }
  },
};

const utf16: Category = {
  name: 'utf16',
  weight: 3,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    const v = rng.int(4);
    if (v === 0 || v === 1) {
      // A UTF-16 file with its BOM, decoded by the CLI's decoder: must give the text back exactly.
      const enc = v === 0 ? 'utf16le' : 'utf16be';
      const d = decode(encode(src.text, enc));
      return { text: d.text, note: `${enc} with BOM, decoded`, expectDecoded: src.text };
    }
    if (v === 2) {
      // UTF-16 LE without a BOM: the decoder takes it for UTF-8 (NULs between the characters).
      const d = decode(Buffer.from(src.text, 'utf16le'));
      return { text: d.text, note: 'utf16le without BOM, decoded as UTF-8' };
    }
    // A UTF-16 file cut at an odd byte (a half code unit at the end).
    const buf = encode(src.text, 'utf16le');
    const cut = 2 + 2 * rng.int(Math.max(1, (buf.length - 2) / 2)) + 1;
    return { text: decode(buf.subarray(0, Math.min(buf.length, cut))).text, note: `utf16le with BOM cut at odd byte ${cut}` };
  },
};

// -------------------------------------------------------------------------------------------------
// Markup mutations

const XML_TAGS = ['<entry name="x">', '</entry>', '<member>', '</member>', '<member>any</member>', '</rules>', '<rules>', '<config>', '</config>', '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<!DOCTYPE config>', '</', '<', '<entry name="a" name="b">', '<entry name=unquoted>', '<entry name="open>', '<x:y xmlns:x="u"/>', '<rules/>', '<security/>', '<__proto__>', '</__proto__>', '<constructor/>'];

const deleteTag: Category = {
  name: 'delete-tag',
  weight: 6,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') {
      const ts = tokens(src.text);
      if (!ts.length) return { text: src.text, note: 'no token' };
      const t = rng.pick(ts);
      return { text: splice(src.text, t.start, t.end - t.start, ''), note: `delete token ${JSON.stringify(src.text.slice(t.start, t.end))}@${t.start}` };
    }
    const ts = tags(src.text);
    if (!ts.length) return { text: src.text, note: 'no tag' };
    const t = rng.pick(ts);
    return { text: splice(src.text, t.start, t.end - t.start, ''), note: `delete tag ${JSON.stringify(src.text.slice(t.start, Math.min(t.end, t.start + 40)))}@${t.start}` };
  },
};

const SET_WORDS = ['set', 'delete', 'move', 'rules', 'entry', 'address', 'device-group', 'vsys', 'vsys1', 'rulebase', 'security', 'source', 'from', 'any', 'top', 'before', '[', ']', '"', "'", '#', 'config', 'shared', '__proto__', 'constructor'];

const insertTag: Category = {
  name: 'insert-tag',
  weight: 6,
  forms: ['xml', 'set'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    for (let k = rng.range(1, 3); k > 0; k--) {
      const at = point(t, src.form, rng);
      const s = src.form === 'xml' ? rng.pick(XML_TAGS) : ` ${rng.pick(SET_WORDS)} `;
      t = splice(t, at, 0, s);
      notes.push(`+${JSON.stringify(s)}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

const duplicateTag: Category = {
  name: 'duplicate-tag',
  weight: 4,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') {
      const ls = lines(src.text);
      if (!ls.length) return { text: src.text, note: 'no line' };
      const l = rng.pick(ls);
      return { text: splice(src.text, rng.chance(0.5) ? l.start : rng.pick(ls).start, 0, src.text.slice(l.start, l.end)), note: `dup line@${l.start}` };
    }
    const ts = tags(src.text);
    if (!ts.length) return { text: src.text, note: 'no tag' };
    const t = rng.pick(ts);
    const s = src.text.slice(t.start, t.end);
    const to = rng.chance(0.5) ? t.end : rng.pick(ts).start;
    return { text: splice(src.text, to, 0, s), note: `dup tag ${JSON.stringify(s.slice(0, 40))}@${t.start} to ${to}` };
  },
};

const swapEndTags: Category = {
  name: 'swap-end-tags',
  weight: 5,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') {
      const ls = lines(src.text);
      if (ls.length < 2) return { text: src.text, note: 'one line' };
      const i = rng.int(ls.length - 1);
      const j = rng.chance(0.5) ? i + 1 : rng.int(ls.length);
      const [a, b] = i < j ? [ls[i]!, ls[j]!] : [ls[j]!, ls[i]!];
      if (a === b) return { text: src.text, note: 'same line' };
      const t = src.text;
      return { text: t.slice(0, a.start) + t.slice(b.start, b.end) + t.slice(a.end, b.start) + t.slice(a.start, a.end) + t.slice(b.end), note: `swap lines@${a.start},${b.start}` };
    }
    const ends = tags(src.text).filter((t) => src.text.startsWith('</', t.start));
    if (ends.length < 2) return { text: src.text, note: 'fewer than two end tags' };
    const i = rng.int(ends.length - 1);
    const j = rng.chance(0.6) ? i + 1 : rng.int(ends.length);
    const [a, b] = i < j ? [ends[i]!, ends[j]!] : [ends[j]!, ends[i]!];
    if (a === b) return { text: src.text, note: 'same tag' };
    const t = src.text;
    return {
      text: t.slice(0, a.start) + t.slice(b.start, b.end) + t.slice(a.end, b.start) + t.slice(a.start, a.end) + t.slice(b.end),
      note: `swap ${t.slice(a.start, a.end)}@${a.start} with ${t.slice(b.start, b.end)}@${b.start}`,
    };
  },
};

const ENTITY_BITS = ['&amp;', '&lt;', '&foo;', '&#0;', '&#x0;', '&#xD800;', '&#1114112;', '&#x110000;', '&#65;', '&#x41;', '&', '&;', '&#;', '&#x;', '&constructor;', '&__proto__;', '&toString;', '&hasOwnProperty;', '&verylongentitynamethatneverends', '&#99999999999;'];

const entities: Category = {
  name: 'entities',
  weight: 3,
  forms: ['xml'],
  apply(src, rng) {
    let t = src.text;
    const notes: string[] = [];
    if (rng.chance(0.3)) {
      const lt = t.indexOf('<config');
      const at = lt < 0 ? 0 : lt;
      const dt = rng.pick([
        '<!DOCTYPE config [<!ENTITY e "x"><!ENTITY f "&e;&e;&e;">]>',
        '<!DOCTYPE config SYSTEM "http://127.0.0.1:9/x.dtd">',
        '<!DOCTYPE config [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
        '<!DOCTYPE config [ <!ENTITY a "]>"> ]>',
        '<!DOCTYPE config [',
      ]);
      t = splice(t, at, 0, dt);
      notes.push(`doctype ${JSON.stringify(dt.slice(0, 30))}`);
    }
    for (let k = rng.range(1, 4); k > 0; k--) {
      const at = point(t, 'xml', rng);
      const e = rng.pick(ENTITY_BITS);
      t = splice(t, at, 0, e);
      notes.push(`${e}@${at}`);
    }
    return { text: t, note: notes.join(' ') };
  },
};

/**
 * 1–3 times: remove one of the `chars` in the text (when `remove` says so and there is one), else
 * insert one of `inserts` at a point of the set structure.
 */
function damageSet(src: Source, rng: Rng, chars: string, remove: () => boolean, inserts: string[], label: string): Mutated {
  let t = src.text;
  const notes: string[] = [];
  for (let k = rng.range(1, 3); k > 0; k--) {
    if (remove()) {
      const at: number[] = [];
      for (let i = 0; i < t.length; i++) if (chars.includes(t[i]!)) at.push(i);
      if (at.length) {
        const i = rng.pick(at);
        t = splice(t, i, 1, '');
        notes.push(`-${label}@${i}`);
        continue;
      }
    }
    const i = point(t, 'set', rng);
    const ins = rng.pick(inserts);
    t = splice(t, i, 0, ins);
    notes.push(`+${JSON.stringify(ins)}@${i}`);
  }
  return { text: t, note: notes.join(' ') };
}

const setQuotes: Category = {
  name: 'set-quotes',
  weight: 5,
  forms: ['set'],
  apply(src, rng) {
    // Remove a closing (or any) quote, or insert quoting.
    return damageSet(src, rng, `"'`, () => rng.int(5) === 0, ['"', "'", '"unterminated value', "'open", '"a"b"', '""', "''", '"x\n', '"multi\nline\nvalue"', '\\"', '"]', '["'], 'quote');
  },
};

const setBrackets: Category = {
  name: 'set-brackets',
  weight: 5,
  forms: ['set'],
  apply(src, rng) {
    return damageSet(src, rng, '[]', () => rng.chance(0.3), ['[', ']', ' [ ', ' ] ', '[ [ a ] ]', '[]', '][', ' [ a b', 'a ] b', '[ "x ]', '[\n', ']]]]'], 'bracket');
  },
};

// -------------------------------------------------------------------------------------------------
// Well-formedness-preserving edits (XML stays well-formed; set stays line-structured)

const renameEntry: Category = {
  name: 'wf-rename',
  weight: 6,
  forms: ['xml', 'set'],
  apply(src, rng) {
    const name = rng.pick(HOSTILE_NAMES);
    if (src.form === 'xml') {
      const names = [...src.text.matchAll(/<entry name="([^"<>&]*)"/g)].map((m) => m[1]!);
      if (!names.length) return { text: src.text, note: 'no entry' };
      const old = rng.pick(names);
      const esc = xmlEscapeAttr(name);
      const oldRe = old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // The entry's name and every reference to it as a member or leaf value.
      const text = src.text.replace(new RegExp(`name="${oldRe}"`, 'g'), `name="${esc}"`).replace(new RegExp(`>${oldRe}<`, 'g'), `>${esc}<`);
      return { text, note: `rename ${JSON.stringify(old)} -> ${JSON.stringify(name.slice(0, 40))}` };
    }
    const ts = tokens(src.text).filter((t) => !/^(set|delete|move)$/.test(src.text.slice(t.start, t.end)) && /^[\w.-]+$/.test(src.text.slice(t.start, t.end)));
    if (!ts.length) return { text: src.text, note: 'no token' };
    const old = src.text.slice(...((t) => [t.start, t.end] as const)(rng.pick(ts)));
    const oldRe = old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const text = src.text.replace(new RegExp(`(?<=[\\s\\[])${oldRe}(?=[\\s\\]]|$)`, 'g'), setToken(name).replace(/\$/g, '$$$$'));
    return { text, note: `rename token ${JSON.stringify(old)} -> ${JSON.stringify(name.slice(0, 40))}` };
  },
};

const dropElement: Category = {
  name: 'wf-drop-element',
  weight: 5,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') {
      const ls = lines(src.text);
      if (!ls.length) return { text: src.text, note: 'no line' };
      const l = rng.pick(ls);
      return { text: splice(src.text, l.start, l.end - l.start, ''), note: `drop line@${l.start}` };
    }
    const e = element(src.text, rng);
    if (!e) return { text: src.text, note: 'no element' };
    return { text: splice(src.text, e.start, e.end - e.start, ''), note: `drop element ${JSON.stringify(src.text.slice(e.start, e.start + 40))}@${e.start}` };
  },
};

const dupElement: Category = {
  name: 'wf-dup-element',
  weight: 4,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') return duplicateTag.apply(src, rng);
    const e = element(src.text, rng);
    if (!e) return { text: src.text, note: 'no element' };
    return { text: splice(src.text, e.end, 0, src.text.slice(e.start, e.end)), note: `dup element@${e.start}` };
  },
};

const VALUES = ['any', 'deny', 'allow', 'drop', 'ssl', 'ssh', 'panorama', 'web-browsing', 'application-default', 'service-https', 'service-http', '10.10.10.5', '10.10.10.0/24', '0.0.0.0/0', '10.20.0.0/16', 'mgmt', 'untrust', 'yes', 'no', '', ' ', '1.2.3.4-1.2.3.1', '::/0', 'not-an-ip/99'];

const editValue: Category = {
  name: 'wf-edit-value',
  weight: 6,
  forms: ['xml', 'set'],
  apply(src, rng) {
    const v = rng.pick(VALUES);
    if (src.form === 'xml') {
      const leaves = [...src.text.matchAll(/<(member|action|ip-netmask|ip-range|port|disabled|negate-source|negate-destination)>([^<]*)<\//g)];
      if (!leaves.length) return { text: src.text, note: 'no leaf' };
      const m = rng.pick(leaves);
      const at = m.index! + m[1]!.length + 2;
      return { text: splice(src.text, at, m[2]!.length, xmlEscapeAttr(v)), note: `<${m[1]}> ${JSON.stringify(m[2])} -> ${JSON.stringify(v)}@${at}` };
    }
    const ts = tokens(src.text).filter((t) => !/^(set|delete|move)$/.test(src.text.slice(t.start, t.end)));
    if (!ts.length) return { text: src.text, note: 'no token' };
    const t = rng.pick(ts);
    return { text: splice(src.text, t.start, t.end - t.start, setToken(v)), note: `token@${t.start} -> ${JSON.stringify(v)}` };
  },
};

const swapSiblings: Category = {
  name: 'wf-swap-siblings',
  weight: 4,
  forms: ['xml', 'set'],
  apply(src, rng) {
    if (src.form === 'set') return swapEndTags.apply(src, rng);
    const a = element(src.text, rng, /^<entry[\s>/]/);
    if (!a) return { text: src.text, note: 'no element' };
    // The next sibling: the element starting right after `a` (whitespace between).
    const after = src.text.slice(a.end);
    const ws = /^\s*/.exec(after)![0].length;
    const rest = src.text.slice(a.end + ws);
    if (!rest.startsWith('<entry')) return { text: src.text, note: 'no next sibling' };
    const sub = element(rest, new Rng(0), /^<entry[\s>/]/);
    if (!sub || sub.start !== 0) return { text: src.text, note: 'no next sibling' };
    const b = { start: a.end + ws, end: a.end + ws + sub.end };
    const t = src.text;
    return { text: t.slice(0, a.start) + t.slice(b.start, b.end) + t.slice(a.end, b.start) + t.slice(a.start, a.end) + t.slice(b.end), note: `swap entries@${a.start},${b.start}` };
  },
};

// -------------------------------------------------------------------------------------------------
// Several light mutations in a row

const LIGHT: Category[] = [truncate, deleteChars, insertChars, duplicateChars, randomBytes, nul, deleteTag, insertTag, duplicateTag, swapEndTags, entities, setQuotes, setBrackets, renameEntry, dropElement, editValue, lineEndings, bom];

const stack: Category = {
  name: 'stack',
  weight: 6,
  forms: ['xml', 'set', 'other'],
  apply(src, rng) {
    let cur: Source = src;
    const notes: string[] = [];
    for (let k = rng.range(2, 5); k > 0; k--) {
      const c = rng.pick(LIGHT.filter((x) => x.forms.includes(src.form) && x !== truncate));
      const m = c.apply(cur, rng);
      notes.push(`${c.name}(${m.note.slice(0, 60)})`);
      cur = { ...cur, text: m.text };
    }
    if (rng.chance(0.2)) {
      const m = truncate.apply(cur, rng);
      notes.push(`truncate(${m.note})`);
      cur = { ...cur, text: m.text };
    }
    return { text: cur.text, note: notes.join(' ; ') };
  },
};

// -------------------------------------------------------------------------------------------------
// Big generated inputs

export const DEPTH = 10_000;
export const LONG_LINE = 5 * 1024 * 1024;
export const LIST_MEMBERS = 100_000;

/** Offset just after the first `<source>` (or another container) of an XML config, else after `<config…>`. */
function xmlInsertPoint(text: string): number {
  for (const tag of ['<source>', '<rules>', '<address>', '<devices>']) {
    const i = text.indexOf(tag);
    if (i >= 0) return i + tag.length;
  }
  const c = text.indexOf('<config');
  const gt = c >= 0 ? text.indexOf('>', c) : -1;
  return gt >= 0 ? gt + 1 : 0;
}

function firstRuleName(text: string): string {
  const m = /rules (\S+|"[^"]*"|'[^']*') /.exec(text);
  return m ? m[1]! : 'fuzz-rule';
}

function rulePrefix(text: string): string {
  const m = /^(set (?:vsys \S+ |device-group \S+ )?(?:pre-|post-)?rulebase security rules) /m.exec(text);
  return m ? m[1]! : 'set rulebase security rules';
}

const deepXml: Category = {
  name: 'deep-nesting-xml',
  weight: 0.15,
  big: true,
  forms: ['xml'],
  apply(src, rng) {
    const at = xmlInsertPoint(src.text);
    const v = rng.int(5);
    let ins: string;
    let note: string;
    switch (v) {
      case 0:
        ins = '<a>'.repeat(DEPTH) + '</a>'.repeat(DEPTH);
        note = `${DEPTH} nested <a>, closed`;
        break;
      case 1:
        ins = '<a>'.repeat(DEPTH);
        note = `${DEPTH} nested <a>, never closed`;
        break;
      case 2:
        ins = '<entry name="n">'.repeat(DEPTH) + '</entry>'.repeat(DEPTH);
        note = `${DEPTH} nested entries`;
        break;
      case 3:
        ins = '<member>'.repeat(DEPTH) + 'x' + '</member>'.repeat(DEPTH);
        note = `${DEPTH} nested members`;
        break;
      default:
        // Deep and then every end tag wrong.
        ins = '<a>'.repeat(DEPTH) + '</b>'.repeat(rng.range(1, 64));
        note = `${DEPTH} nested <a> closed by stray </b>`;
    }
    return { text: splice(src.text, at, 0, ins), note: `${note} at ${at}` };
  },
};

const deepSet: Category = {
  name: 'deep-nesting-set',
  weight: 0.15,
  big: true,
  forms: ['set'],
  apply(src, rng) {
    const v = rng.int(3);
    let line: string;
    let note: string;
    if (v === 0) {
      line = `${rulePrefix(src.text)} ${firstRuleName(src.text)} ${Array.from({ length: DEPTH }, (_, k) => `k${k}`).join(' ')}`;
      note = `a rule path of ${DEPTH} keywords`;
    } else if (v === 1) {
      line = `set ${Array.from({ length: DEPTH / 2 }, (_, k) => `address a${k}`).join(' ')}`;
      note = `${DEPTH / 2} nested list/entry pairs`;
    } else {
      line = `${rulePrefix(src.text)} ${firstRuleName(src.text)} source ${'[ '.repeat(DEPTH)}x${' ]'.repeat(DEPTH)}`;
      note = `${DEPTH} nested brackets`;
    }
    return { text: `${src.text}${src.text.endsWith('\n') ? '' : '\n'}${line}\n`, note };
  },
};

const longLineXml: Category = {
  name: 'long-line-xml',
  weight: 0.12,
  big: true,
  forms: ['xml'],
  apply(src, rng) {
    const flat = src.text.replace(/\r?\n\s*/g, '');
    const at = xmlInsertPoint(flat);
    const v = rng.int(3);
    if (v === 0) {
      const unit = '<member>any</member>';
      return { text: splice(flat, at, 0, unit.repeat(Math.ceil(LONG_LINE / unit.length))), note: 'whole config on one line, padded with members to 5 MB' };
    }
    if (v === 1) {
      const i = flat.indexOf('<description>');
      const pad = 'x'.repeat(LONG_LINE);
      if (i >= 0) return { text: splice(flat, i + 13, 0, pad), note: '5 MB description text on one line' };
      return { text: splice(flat, at, 0, `<!--${pad}-->`), note: '5 MB comment on one line' };
    }
    return { text: splice(flat, at, 0, `<!--${'-'.repeat(LONG_LINE)}`), note: '5 MB unterminated comment' };
  },
};

const longLineSetValue: Category = {
  name: 'long-line-set-value',
  weight: 0.08,
  big: true,
  forms: ['set'],
  apply(src, rng) {
    const pre = `${rulePrefix(src.text)} ${firstRuleName(src.text)} description`;
    const v = rng.int(3);
    const body = 'x'.repeat(LONG_LINE);
    const line = v === 0 ? `${pre} "${body}"` : v === 1 ? `${pre} ${body}` : `${pre} "${body}`;
    return { text: `${src.text}\n${line}\n`, note: ['5 MB quoted value', '5 MB bare token', '5 MB unterminated quote'][v]! };
  },
};

const longLineSetMembers: Category = {
  name: 'long-line-set-members',
  weight: 0.08,
  big: true,
  forms: ['set'],
  apply(src) {
    const n = Math.ceil(LONG_LINE / 12);
    const line = `${rulePrefix(src.text)} ${firstRuleName(src.text)} source [ ${Array.from({ length: n }, (_, k) => `h-${k.toString(36).padStart(8, '0')}`).join(' ')} ]`;
    return { text: `${src.text}\n${line}\n`, note: `5 MB line: a member list of ${n} names` };
  },
};

const longLineSetPath: Category = {
  name: 'long-line-set-path',
  weight: 0.08,
  big: true,
  forms: ['set'],
  apply(src, rng) {
    const v = rng.int(2);
    const line = v === 0 ? `set ${'a '.repeat(LONG_LINE / 2)}` : `set address ${'"q" '.repeat(LONG_LINE / 4)}`;
    return { text: `${src.text}\n${line}\n`, note: v === 0 ? '5 MB line of keyword tokens' : '5 MB line of quoted tokens' };
  },
};

const listXml: Category = {
  name: 'list-100k-xml',
  weight: 0.15,
  big: true,
  forms: ['xml'],
  apply(src, rng) {
    const v = rng.int(3);
    const members = Array.from({ length: LIST_MEMBERS }, (_, k) => `<member>m${k}</member>`).join('');
    if (v === 0) {
      const at = xmlInsertPoint(src.text);
      return { text: splice(src.text, at, 0, members), note: `${LIST_MEMBERS} members at ${at}` };
    }
    if (v === 1) {
      const i = src.text.indexOf('<address-group>');
      const grp = `<entry name="big-group"><static>${members}</static></entry>`;
      if (i >= 0) return { text: splice(src.text, i + 15, 0, grp), note: `address group of ${LIST_MEMBERS} members` };
      const at = xmlInsertPoint(src.text);
      return { text: splice(src.text, at, 0, members), note: `${LIST_MEMBERS} members at ${at}` };
    }
    const i = src.text.indexOf('<rules>');
    const rules = Array.from({ length: LIST_MEMBERS }, (_, k) => `<entry name="r${k}"><action>allow</action></entry>`).join('');
    if (i >= 0) return { text: splice(src.text, i + 7, 0, rules), note: `${LIST_MEMBERS} rules` };
    return { text: splice(src.text, xmlInsertPoint(src.text), 0, members), note: `${LIST_MEMBERS} members` };
  },
};

const listSet: Category = {
  name: 'list-100k-set',
  weight: 0.15,
  big: true,
  forms: ['set'],
  apply(src, rng) {
    const v = rng.int(2);
    const pre = `${rulePrefix(src.text)} ${firstRuleName(src.text)}`;
    if (v === 0) {
      return { text: `${src.text}\n${pre} source [ ${Array.from({ length: LIST_MEMBERS }, (_, k) => `m${k}`).join(' ')} ]\n`, note: `bracket list of ${LIST_MEMBERS} members` };
    }
    return { text: `${src.text}\n${Array.from({ length: LIST_MEMBERS }, (_, k) => `${pre} source m${k}`).join('\n')}\n`, note: `${LIST_MEMBERS} set lines adding one member each` };
  },
};

const giantAttr: Category = {
  name: 'giant-attribute',
  weight: 0.15,
  big: true,
  forms: ['xml'],
  apply(src, rng) {
    const size = rng.pick([256 * 1024, 1024 * 1024, 3 * 1024 * 1024]);
    const unit = rng.pick(['A', 'é', '&amp;', ' ']);
    const big = unit.repeat(size);
    const v = rng.int(3);
    const m = /<entry name="([^"]*)"/.exec(src.text);
    const what = `${size} x ${JSON.stringify(unit)}, ${big.length} chars`;
    if (v === 0 && m) return { text: splice(src.text, m.index + 13, m[1]!.length, big), note: `entry name of ${what}` };
    const at = xmlInsertPoint(src.text);
    if (v === 1) return { text: splice(src.text, at, 0, `<entry name="x" extra="${big}"/>`), note: `extra attribute of ${what}` };
    return { text: splice(src.text, at, 0, `<entry name="${big}`), note: `unterminated attribute of ${what}` };
  },
};

export const CATEGORIES: readonly Category[] = [
  truncate, deleteChars, insertChars, duplicateChars, randomBytes, nul, bom, lineEndings, utf16,
  deleteTag, insertTag, duplicateTag, swapEndTags, entities, setQuotes, setBrackets,
  renameEntry, dropElement, dupElement, editValue, swapSiblings, stack,
  deepXml, deepSet, longLineXml, longLineSetValue, longLineSetMembers, longLineSetPath, listXml, listSet, giantAttr,
];

export function categoryByName(name: string): Category {
  const c = CATEGORIES.find((x) => x.name === name);
  if (!c) throw new Error(`unknown category ${name}; known: ${CATEGORIES.map((x) => x.name).join(', ')}`);
  return c;
}
