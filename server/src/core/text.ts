/**
 * @fileoverview Offsets, spans and the offset <-> line/character conversion (UTF-16, like LSP).
 * Core code works with offsets only; positions are computed at the edge (CLI, server).
 */

/** A half-open range of UTF-16 offsets into the document text. */
export type Span = { start: number; end: number };

/** A value with the span it was read from. */
export type Located<T> = { value: T; span: Span };

export type Position = { line: number; character: number };
export type Range = { start: Position; end: Position };

/**
 * `s` in a string of its own, not a slice of the text it was read from: joined to another string and
 * cut again, since V8 copies the characters of a concatenation into a new string before slicing it.
 * For values read from a version of a large text that is not the one a kept model started from (an
 * incremental edit): a slice keeps its whole text alive as long as the value.
 */
export function detached(s: string): string {
  return s.length > 0 ? (' ' + s).slice(1) : s;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** Offset <-> position conversion (LineIndex, or the server's view of an open document). */
export interface Positions {
  positionAt(offset: number): Position;
  offsetAt(pos: Position): number;
  rangeOf(s: Span): Range;
}

/**
 * The line breaks of a text in order (CR LF is one, a lone CR or LF one): `after(i)` is the offset
 * just after the first break at or after `i`, or -1. The next CR and the next LF are each searched
 * for once and reused until passed: a search per line break (a search per line over the rest of the
 * text would be quadratic on LF-only files, and reading every character costs several times more).
 */
export class LineBreaks {
  private lf: number;
  private cr: number;

  constructor(private readonly text: string) {
    this.lf = text.indexOf('\n');
    this.cr = text.indexOf('\r');
  }

  after(i: number): number {
    const text = this.text;
    if (this.lf !== -1 && this.lf < i) this.lf = text.indexOf('\n', i);
    if (this.cr !== -1 && this.cr < i) this.cr = text.indexOf('\r', i);
    const cr = this.cr;
    const lf = this.lf;
    if (cr !== -1 && (lf === -1 || cr < lf)) return text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
    return lf !== -1 ? lf + 1 : -1;
  }
}

function grown(a: Int32Array): Int32Array {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}

/** Line starts of a text; accepts LF, CRLF and lone CR line breaks. */
export class LineIndex {
  private readonly starts: Int32Array;
  readonly lineCount: number;

  constructor(readonly text: string) {
    // Sized for lines of ~32 characters (configs average 50 or more), at most 64 Ki lines to begin
    // with (a minified file is one line), and grown by doubling.
    let starts: Int32Array = new Int32Array(Math.min(1 << 16, Math.max(1024, (text.length >> 5) + 1)));
    let n = 0;
    starts[n++] = 0;
    if (text.indexOf('\r') < 0) {
      // LF only (nearly every config): one search per line, half the cost of the general walk below.
      for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n', lf + 1)) {
        if (n === starts.length) starts = grown(starts);
        starts[n++] = lf + 1;
      }
    } else {
      const breaks = new LineBreaks(text);
      for (let next = breaks.after(0); next !== -1; next = breaks.after(next)) {
        if (n === starts.length) starts = grown(starts);
        starts[n++] = next;
      }
    }
    this.starts = starts.subarray(0, n);
    this.lineCount = n;
  }

  lineStart(line: number): number {
    if (line <= 0) {
      return 0;
    }
    if (line >= this.lineCount) {
      return this.text.length;
    }
    return this.starts[line]!;
  }

  /** Offset just before the line break of `line` (its content end). */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineCount) {
      return this.text.length;
    }
    let e = this.starts[line + 1]!;
    if (e > 0 && this.text.charCodeAt(e - 1) === 10) {
      e--;
    }
    if (e > 0 && this.text.charCodeAt(e - 1) === 13) {
      e--;
    }
    return e;
  }

  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = this.lineCount - 1;
    if (offset >= this.text.length) {
      offset = this.text.length;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Offset of the start of the line holding `offset` (a binary search, not a walk back). */
  lineStartOf(offset: number): number {
    return this.lineStart(this.lineOf(offset));
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: o - this.starts[line]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lineCount) {
      return this.text.length;
    }
    if (pos.line < 0) {
      return 0;
    }
    const start = this.starts[pos.line]!;
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  rangeOf(s: Span): Range {
    return { start: this.positionAt(s.start), end: this.positionAt(s.end) };
  }

  /** The line break used by the document ("\r\n" if its first break is CRLF). */
  eol(): string {
    return eolOf(this.text);
  }
}

/** The line break a text uses: its first one ("\n" when it has none); reads no further than that break. */
export function eolOf(text: string): string {
  const lf = text.indexOf('\n');
  // A CR before the first LF, if any: looked for up to that LF only (an LF-only file has none anywhere).
  const cr = lf === -1 ? text.indexOf('\r') : text.lastIndexOf('\r', lf) === -1 ? -1 : text.indexOf('\r');
  if (cr !== -1) return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
  return '\n';
}

/**
 * The line around an offset, found by reading the text next to it, with {@link LineIndex}'s answers
 * (LF, CR LF and lone CR breaks): what the fixes' editors ask of the few places they edit, without
 * indexing every line of the text first (a 50 MB config has a million; the index was a quarter of
 * computing its fixes). A line longer than {@link LineFinder.NEAR} characters (a minified file, a
 * long value) makes the whole index once, so that no later question reads that line again.
 */
export class LineFinder {
  static readonly NEAR = 4096;
  private index: LineIndex | undefined;

  constructor(readonly text: string) {}

  /** The start of the line holding `offset` (`LineIndex.lineStartOf`). */
  startOf(offset: number): number {
    if (this.index) return this.index.lineStartOf(offset);
    const text = this.text;
    const o = Math.max(0, Math.min(offset, text.length));
    const stop = Math.max(0, o - LineFinder.NEAR);
    for (let p = o - 1; p >= 0; p--) {
      if (p < stop) return this.indexed().lineStartOf(offset);
      const c = text.charCodeAt(p);
      if (c === 10) return p + 1;
      // A CR ends a line unless an LF follows it, and that LF is at `o` (inside the break: a CR LF's
      // LF belongs to the line the CR ends, so the line starts before the CR).
      if (c === 13 && text.charCodeAt(p + 1) !== 10) return p + 1;
    }
    return 0;
  }

  /**
   * The line holding `offset`: where its content ends, before its break (`LineIndex.lineEnd`), and
   * where the next line starts (the text's length on the last line), found in one reading.
   */
  endOf(offset: number): { end: number; next: number } {
    const q = this.breakAfter(offset);
    if (q === -2) {
      const line = this.index!.lineOf(offset);
      return { end: this.index!.lineEnd(line), next: this.index!.lineStart(line + 1) };
    }
    const text = this.text;
    if (q === -1) return { end: text.length, next: text.length };
    return { end: q, next: text.charCodeAt(q) === 13 && text.charCodeAt(q + 1) === 10 ? q + 2 : q + 1 };
  }

  /** The first break character of the line holding `offset`; -1 if it has none, -2 when answered by the index. */
  private breakAfter(offset: number): number {
    const ls = this.startOf(offset);
    if (this.index) return -2;
    const text = this.text;
    const stop = Math.max(offset, ls) + LineFinder.NEAR;
    // No break lies between the line's start and `offset` but the CR of a CR LF whose LF is at
    // `offset`: read from just before it, not from the line's start again.
    for (let q = Math.max(ls, offset - 1); q < text.length; q++) {
      if (q > stop) {
        this.indexed();
        return -2;
      }
      const c = text.charCodeAt(q);
      if (c === 10 || c === 13) return q;
    }
    return -1;
  }

  private indexed(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }
}
