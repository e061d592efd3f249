/**
 * @fileoverview An open document under incremental sync, with the same positions as
 * `vscode-languageserver-textdocument` but without copying the whole text on every change.
 *
 * That module rebuilds its string on each change (`substring + text + substring` of a text that
 * is itself a concatenation, so V8 flattens a full copy every time): about 1 ms per keystroke on a
 * 1 MB config, which is what makes a burst of typing queue up behind itself. Here the text is kept
 * in chunks of a few KB; a change copies one or two chunks, and the whole text is joined only when
 * it is asked for (once per analysis). Line offsets are maintained exactly as that module does,
 * CRLF handling included, so positions and offsets are the same (a test compares them).
 */
import { LineBreaks, type Position, type Range } from './core/text';

export type ContentChange = { range?: Range; text: string };

const BLOCK_BITS = 9;
/** Lines per block of {@link LiveDocument}'s pending offset shifts. */
const BLOCK = 1 << BLOCK_BITS;

/** Chunks are split above this size and a chunk is never left empty. */
const CHUNK = 16 * 1024;

const CR = 13;
const LF = 10;

function isEOL(c: number): boolean {
  return c === CR || c === LF;
}

/** Line starts of `text` (the first at `offset`; `isAtLineStart`: 0 counts as a line start). */
function lineOffsetsOf(text: string, isAtLineStart: boolean, offset = 0): number[] {
  const out: number[] = isAtLineStart ? [offset] : [];
  const breaks = new LineBreaks(text);
  for (let next = breaks.after(0); next !== -1; next = breaks.after(next)) out.push(offset + next);
  return out;
}

function split(text: string): string[] {
  if (text.length <= CHUNK) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) out.push(text.slice(i, i + CHUNK));
  return out;
}

export class LiveDocument {
  private chunks: string[];
  /** starts[i]: offset of chunks[i]. */
  private starts: number[] = [];
  private len: number;
  /** The whole text, while no change has come since it was joined. */
  private whole: string | undefined;
  private lineOffsets: number[] | undefined;
  /**
   * Pending shifts of the line offsets, per block of {@link BLOCK} lines: line i starts at
   * `lineOffsets[i] + blockShift[i >> BLOCK_BITS]`. An edit that changes the length moves every
   * later line; it writes the lines left in its own block and one number per later block instead
   * of every later line (a burst of typing in a 1 MB document otherwise shifts tens of thousands of
   * offsets per keystroke). Folded back in before the lines themselves are replaced.
   */
  private blockShift: number[] = [];
  private shifted = false;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private ver: number,
    text: string,
  ) {
    this.chunks = split(text);
    this.len = text.length;
    this.whole = text;
    this.reindex(0);
  }

  get version(): number {
    return this.ver;
  }

  /** The text length, without joining the text. */
  get length(): number {
    return this.len;
  }

  get lineCount(): number {
    return this.lines().length;
  }

  getText(range?: Range): string {
    if (this.whole === undefined) {
      this.whole = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
      // Keep the chunks as slices of the joined text (no second copy is held).
      this.chunks = split(this.whole);
      this.reindex(0);
    }
    if (range) return this.whole.substring(this.offsetAt(range.start), this.offsetAt(range.end));
    return this.whole;
  }

  /** Applies changes in order, as a `didChange` notification carries them. */
  update(changes: readonly ContentChange[], version: number): void {
    for (const c of changes) {
      if (c.range) this.applyIncremental(c.range, c.text);
      else {
        this.chunks = split(c.text);
        this.len = c.text.length;
        this.whole = c.text;
        this.lineOffsets = undefined;
        this.reindex(0);
      }
    }
    this.ver = version;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.len), 0);
    const lo = this.lines();
    let low = 0;
    let high = lo.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.lineStart(mid) > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    const start = this.lineStart(line);
    offset = this.beforeEOL(offset, start);
    return { line, character: offset - start };
  }

  offsetAt(position: Position): number {
    const lo = this.lines();
    if (position.line >= lo.length) return this.len;
    if (position.line < 0) return 0;
    const lineOffset = this.lineStart(position.line);
    if (position.character <= 0) return lineOffset;
    const next = position.line + 1 < lo.length ? this.lineStart(position.line + 1) : this.len;
    return this.beforeEOL(Math.min(lineOffset + position.character, next), lineOffset);
  }

  // -----------------------------------------------------------------------------------------------

  private applyIncremental(r: Range, text: string): void {
    // As the reference: a range given end-first is taken the right way round.
    const range = r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character) ? { start: r.end, end: r.start } : r;
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    this.replace(start, end, text);
    const insertedEnd = start + text.length;
    if ((this.charAt(start - 1) === CR && this.charAt(start) === LF) || (this.charAt(insertedEnd - 1) === CR && this.charAt(insertedEnd) === LF)) {
      // A CRLF pair across the edit's boundary: recount the lines (as the reference does).
      this.lineOffsets = undefined;
      return;
    }
    const lo = this.lineOffsets;
    if (!lo) return;
    const startLine = Math.max(range.start.line, 0);
    const endLine = Math.max(range.end.line, 0);
    const added = lineOffsetsOf(text, false, start);
    if (endLine - startLine !== added.length || added.length > 0) {
      // Lines replaced: their offsets are written as they are, so the pending shifts go in first.
      this.foldShifts();
      if (endLine - startLine === added.length) {
        for (let i = 0; i < added.length; i++) lo[i + startLine + 1] = added[i]!;
      } else if (added.length < 10_000) {
        lo.splice(startLine + 1, endLine - startLine, ...added);
      } else {
        this.lineOffsets = lo.slice(0, startLine + 1).concat(added, lo.slice(endLine + 1));
      }
    }
    const diff = text.length - (end - start);
    if (diff !== 0) this.shiftLines(startLine + 1 + added.length, diff);
  }

  /** Where line i starts (its offset with the pending shift of its block). */
  private lineStart(i: number): number {
    const v = this.lineOffsets![i]!;
    return this.shifted ? v + (this.blockShift[i >> BLOCK_BITS] ?? 0) : v;
  }

  /** Moves lines `from`.. by `diff`: the rest of `from`'s block one by one, later blocks as a whole. */
  private shiftLines(from: number, diff: number): void {
    const lo = this.lineOffsets!;
    const n = lo.length;
    if (from >= n) return;
    const end = Math.min(n, ((from >> BLOCK_BITS) + 1) << BLOCK_BITS);
    for (let i = from; i < end; i++) lo[i] = lo[i]! + diff;
    const blocks = (n + BLOCK - 1) >> BLOCK_BITS;
    const bs = this.blockShift;
    while (bs.length < blocks) bs.push(0);
    for (let b = (from >> BLOCK_BITS) + 1; b < blocks; b++) bs[b] = bs[b]! + diff;
    if (end < n) this.shifted = true;
  }

  /** Adds the pending shifts into the line offsets themselves. */
  private foldShifts(): void {
    if (!this.shifted) return;
    const lo = this.lineOffsets!;
    const bs = this.blockShift;
    for (let i = 0; i < lo.length; i++) lo[i] = lo[i]! + (bs[i >> BLOCK_BITS] ?? 0);
    bs.fill(0);
    this.shifted = false;
  }

  /** Replaces [start, end) with `text` in the chunks. */
  private replace(start: number, end: number, text: string): void {
    const i = this.chunkAt(start);
    const j = this.chunkAt(end);
    const head = this.chunks[i]!.slice(0, start - this.starts[i]!);
    const tail = this.chunks[j]!.slice(end - this.starts[j]!);
    const joined = head + text + tail;
    const repl = joined.length === 0 ? [] : joined.length > 2 * CHUNK ? split(joined) : [joined];
    this.chunks.splice(i, j - i + 1, ...repl);
    if (this.chunks.length === 0) this.chunks.push('');
    this.len += text.length - (end - start);
    this.whole = undefined;
    this.reindex(i);
  }

  /** The chunk holding offset (the last chunk for the end of the text). */
  private chunkAt(offset: number): number {
    const s = this.starts;
    let low = 0;
    let high = s.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (s[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    // An offset at a chunk boundary belongs to the later chunk, unless that one is past the end.
    return low;
  }

  private reindex(from: number): void {
    const s = this.starts;
    s.length = this.chunks.length;
    let at = from > 0 ? s[from - 1]! + this.chunks[from - 1]!.length : 0;
    for (let k = from; k < this.chunks.length; k++) {
      s[k] = at;
      at += this.chunks[k]!.length;
    }
  }

  private charAt(offset: number): number {
    if (offset < 0 || offset >= this.len) return NaN;
    if (this.whole !== undefined) return this.whole.charCodeAt(offset);
    const k = this.chunkAt(offset);
    return this.chunks[k]!.charCodeAt(offset - this.starts[k]!);
  }

  private lines(): number[] {
    if (this.lineOffsets === undefined) {
      this.lineOffsets = lineOffsetsOf(this.getText(), true);
      this.blockShift = [];
      this.shifted = false;
    }
    return this.lineOffsets;
  }

  private beforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.charAt(offset - 1))) offset--;
    return offset;
  }
}
