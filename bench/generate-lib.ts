/** Machinery for the benchmark config generator: seeded PRNG, output sinks and one tree emitter printing PAN-OS XML or `set` lines. */
import * as fs from 'fs';

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/** 32-bit string hash (FNV-1a), used to derive independent PRNG streams from one seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for test data; the same seed gives the same stream everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** An independent stream per label, so one section's content does not shift when another changes size. */
  static for(seed: number, label: string): Rng {
    return new Rng(hash32(`${seed}:${label}`));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)]!;
  }

  /** `n` distinct items (or all of them when the list is shorter). */
  sample<T>(a: readonly T[], n: number): T[] {
    if (n >= a.length) return a.slice();
    const out: T[] = [];
    const used = new Set<number>();
    while (out.length < n) {
      const i = Math.floor(this.next() * a.length);
      if (!used.has(i)) {
        used.add(i);
        out.push(a[i]!);
      }
    }
    return out;
  }

  /** Picks by weight; `w` and `a` have the same length. */
  weighted<T>(a: readonly T[], w: readonly number[]): T {
    let total = 0;
    for (const x of w) total += x;
    let r = this.next() * total;
    for (let i = 0; i < a.length; i++) {
      r -= w[i]!;
      if (r < 0) return a[i]!;
    }
    return a[a.length - 1]!;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }

  /** A version-4 shaped UUID (PAN-OS 9.0+ rule `uuid` attribute). */
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(0, 3)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Sinks. Output is ASCII only, so string length equals byte length.
// ---------------------------------------------------------------------------------------------

export interface Sink {
  write(s: string): void;
  /** Bytes written so far. */
  readonly bytes: number;
}

/** Counts only: used to size the content before the real run. */
export class CountSink implements Sink {
  bytes = 0;
  write(s: string): void {
    this.bytes += s.length;
  }
}

/** Collects chunks and joins once; small writes are first concatenated (cheap V8 ropes). */
export class StringSink implements Sink {
  bytes = 0;
  private parts: string[] = [];
  private buf = '';
  write(s: string): void {
    this.bytes += s.length;
    this.buf += s;
    if (this.buf.length > 1 << 16) {
      this.parts.push(this.buf);
      this.buf = '';
    }
  }
  toString(): string {
    if (this.buf) {
      this.parts.push(this.buf);
      this.buf = '';
    }
    return this.parts.join('');
  }
}

/** Streams to a file in ~1 MB blocks so a 200 MB config never sits in memory at once. */
export class FileSink implements Sink {
  bytes = 0;
  private buf = '';
  private fd: number;
  constructor(path: string) {
    this.fd = fs.openSync(path, 'w');
  }
  write(s: string): void {
    this.bytes += s.length;
    this.buf += s;
    if (this.buf.length > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf) fs.writeSync(this.fd, this.buf, null, 'latin1');
    this.buf = '';
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Tree items: small subtrees (one rule, one object) built as data, printed in either form.
// ---------------------------------------------------------------------------------------------

/** An element: a scalar (`v`), a member list (`m`), child elements (`k`) or list entries (`e`). */
export type El = { t: string; v?: string; m?: readonly string[]; k?: El[]; e?: Ent[] };
/** A list item `<entry name=…>`; `a` are XML-only attributes (uuid), absent from `set` output. */
export type Ent = { n: string; a?: [string, string][]; k?: El[] };

export const leaf = (t: string, v: string): El => ({ t, v });
export const mem = (t: string, m: readonly string[]): El => ({ t, m });
export const node = (t: string, ...k: El[]): El => ({ t, k });
export const list = (t: string, e: Ent[]): El => ({ t, e });
export const ent = (n: string, ...k: El[]): Ent => ({ n, k });

const XML_TEXT = /[&<>]/;
const XML_ATTR = /[&<>"]/;

export function escText(s: string): string {
  return XML_TEXT.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}

export function escAttr(s: string): string {
  return XML_ATTR.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : s;
}

const SET_PLAIN = /^[^\s"'[\]{};#]+$/;

/** A set token: quoted when it holds spaces or characters the CLI would split on. */
export function q(s: string): string {
  if (SET_PLAIN.test(s)) return s;
  // The generator never produces double quotes in values; keep the output parseable if one slips in.
  return `"${s.replace(/"/g, "'")}"`;
}

function setList(m: readonly string[]): string {
  if (m.length === 1) return q(m[0]!);
  let s = '[';
  for (const x of m) s += ' ' + q(x);
  return s + ' ]';
}

/** Where the emitter is: elements are opened and closed around streamed items. */
export interface Emitter {
  /** Opens an element; `hideInSet` drops it from `set` paths (root, `devices localhost.localdomain`, `vsys vsys1`). */
  open(tag: string, opts?: { attrs?: [string, string][]; hideInSet?: boolean }): void;
  openEntry(name: string, opts?: { hideInSet?: boolean }): void;
  close(): void;
  el(e: El): void;
  entry(e: Ent): void;
  readonly sink: Sink;
}

/** PAN-OS export style XML: 4-space indentation, one element per line, `<member>` lists. */
export class XmlEmitter implements Emitter {
  private stack: string[] = [];
  private indents: string[] = [''];
  constructor(readonly sink: Sink) {
    sink.write('<?xml version="1.0"?>\n');
  }

  private ind(d: number): string {
    while (this.indents.length <= d) this.indents.push(this.indents[this.indents.length - 1] + '    ');
    return this.indents[d]!;
  }

  open(tag: string, opts?: { attrs?: [string, string][] }): void {
    let a = '';
    for (const [k, v] of opts?.attrs ?? []) a += ` ${k}="${escAttr(v)}"`;
    this.sink.write(`${this.ind(this.stack.length)}<${tag}${a}>\n`);
    this.stack.push(tag);
  }

  openEntry(name: string): void {
    this.sink.write(`${this.ind(this.stack.length)}<entry name="${escAttr(name)}">\n`);
    this.stack.push('entry');
  }

  close(): void {
    const tag = this.stack.pop()!;
    this.sink.write(`${this.ind(this.stack.length)}</${tag}>\n`);
  }

  el(e: El): void {
    this.sink.write(this.renderEl(e, this.stack.length));
  }

  entry(e: Ent): void {
    this.sink.write(this.renderEnt(e, this.stack.length));
  }

  private renderEl(e: El, d: number): string {
    const i = this.ind(d);
    if (e.v !== undefined) return `${i}<${e.t}>${escText(e.v)}</${e.t}>\n`;
    let s: string;
    if (e.m) {
      if (e.m.length === 0) return `${i}<${e.t}/>\n`;
      const i2 = this.ind(d + 1);
      s = `${i}<${e.t}>\n`;
      for (const m of e.m) s += `${i2}<member>${escText(m)}</member>\n`;
    } else if (e.e) {
      if (e.e.length === 0) return `${i}<${e.t}/>\n`;
      s = `${i}<${e.t}>\n`;
      for (const x of e.e) s += this.renderEnt(x, d + 1);
    } else {
      if (!e.k || e.k.length === 0) return `${i}<${e.t}/>\n`;
      s = `${i}<${e.t}>\n`;
      for (const c of e.k) s += this.renderEl(c, d + 1);
    }
    return s + `${i}</${e.t}>\n`;
  }

  private renderEnt(e: Ent, d: number): string {
    const i = this.ind(d);
    let a = '';
    for (const [k, v] of e.a ?? []) a += ` ${k}="${escAttr(v)}"`;
    if (!e.k || e.k.length === 0) return `${i}<entry name="${escAttr(e.n)}"${a}/>\n`;
    let s = `${i}<entry name="${escAttr(e.n)}"${a}>\n`;
    for (const c of e.k) s += this.renderEl(c, d + 1);
    return s + `${i}</entry>\n`;
  }
}

/** `show`-style set output: one `set <path> <value>` line per leaf, bracket lists, quoted names. */
export class SetEmitter implements Emitter {
  /** Path tokens per open level ('' when hidden in set form). */
  private stack: string[] = [];
  private prefix = 'set ';
  constructor(readonly sink: Sink) {}

  private rebuild(): void {
    let p = 'set ';
    for (const t of this.stack) if (t) p += t + ' ';
    this.prefix = p;
  }

  open(tag: string, opts?: { hideInSet?: boolean }): void {
    this.stack.push(opts?.hideInSet ? '' : tag);
    this.rebuild();
  }

  openEntry(name: string, opts?: { hideInSet?: boolean }): void {
    this.stack.push(opts?.hideInSet ? '' : q(name));
    this.rebuild();
  }

  close(): void {
    this.stack.pop();
    this.rebuild();
  }

  el(e: El): void {
    this.sink.write(this.renderEl(e, this.prefix));
  }

  entry(e: Ent): void {
    this.sink.write(this.renderEnt(e, this.prefix));
  }

  private renderEl(e: El, p: string): string {
    if (e.v !== undefined) return `${p}${e.t} ${q(e.v)}\n`;
    if (e.m) return e.m.length ? `${p}${e.t} ${setList(e.m)}\n` : '';
    const pt = `${p}${e.t} `;
    if (e.e) {
      let s = '';
      for (const x of e.e) s += this.renderEnt(x, pt);
      return s;
    }
    // An empty element is a bare keyword (`type static`, `override no`).
    if (!e.k || e.k.length === 0) return `${p}${e.t}\n`;
    let s = '';
    for (const c of e.k) s += this.renderEl(c, pt);
    return s;
  }

  private renderEnt(e: Ent, p: string): string {
    const pe = `${p}${q(e.n)}`;
    if (!e.k || e.k.length === 0) return pe + '\n';
    let s = '';
    const pc = pe + ' ';
    for (const c of e.k) s += this.renderEl(c, pc);
    return s;
  }
}

export function makeEmitter(format: 'xml' | 'set', sink: Sink): Emitter {
  return format === 'xml' ? new XmlEmitter(sink) : new SetEmitter(sink);
}

/** Byte counters per section, so sizing can tell rules and objects from the fixed skeleton. */
export type Tally = { rules: number; objects: number };

/** Runs `f` and adds the bytes it wrote to `tally[key]`. */
export function counted(em: Emitter, tally: Tally, key: keyof Tally, f: () => void): void {
  const b = em.sink.bytes;
  f();
  tally[key] += em.sink.bytes - b;
}
