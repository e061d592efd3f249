/**
 * @fileoverview Open documents with incremental sync, remembering where they changed since the last
 * analysis (the changed regions, in both the analysed text's offsets and the current ones), so the
 * analysis can be redone incrementally and a request can be answered from the last analysis where
 * the text it concerns has not changed.
 */
import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LiveDocument } from './liveDocument';
import type { SpanEdit } from './core/incremental';
import type { Position, Range, Span } from './core/text';

type Entry = {
  doc: LiveDocument;
  /** What changed since the last analysis. */
  changes: ChangeMap;
};

/** A changed region: [cs, ce) of the current text replaced [os, oe) of the analysed text. */
type Region = { cs: number; ce: number; os: number; oe: number };

/** Past this many separate regions they are merged into one (a storm of edits all over the text). */
const MAX_REGIONS = 4096;

/**
 * The regions of a text changed since a base version, sorted and disjoint (touching regions are
 * merged). Between regions the text is unchanged and offsets map by a constant shift.
 */
export class ChangeMap {
  private regions: Region[] = [];
  /** The whole text was replaced (or the base is unknown). */
  private all = false;

  constructor(private baseLength: number) {}

  reset(length: number): void {
    this.regions = [];
    this.all = false;
    this.baseLength = length;
  }

  replaceAll(): void {
    this.all = true;
    this.regions = [];
  }

  get changed(): boolean {
    return this.all || this.regions.length > 0;
  }

  /** Records that [a, b) of the current text (before this change) became `len` characters. */
  record(a: number, b: number, len: number): void {
    if (this.all || (a === b && len === 0)) return;
    const rs = this.regions;
    // First region that ends at or after a; regions from there that start at or before b overlap/touch.
    let lo = 0;
    let hi = rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]!.ce < a) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < rs.length && rs[last]!.cs <= b) last++;
    const first = rs[lo];
    const ns = first && lo < last ? Math.min(a, first.cs) : a;
    const lastR = last > lo ? rs[last - 1]! : undefined;
    const neBefore = lastR ? Math.max(b, lastR.ce) : b;
    const os = first && lo < last && first.cs <= a ? first.os : this.oldOf(ns, lo);
    const oe = lastR && lastR.ce >= b ? lastR.oe : this.oldOf(neBefore, last);
    const delta = len - (b - a);
    const merged: Region = { cs: ns, ce: neBefore + delta, os, oe };
    for (let k = last; k < rs.length; k++) {
      rs[k]!.cs += delta;
      rs[k]!.ce += delta;
    }
    rs.splice(lo, last - lo, merged);
    if (rs.length > MAX_REGIONS) this.regions = [{ cs: rs[0]!.cs, ce: rs[rs.length - 1]!.ce, os: rs[0]!.os, oe: rs[rs.length - 1]!.oe }];
  }

  /** The analysed-text offset of current offset x, which lies in the gap before regions[k]. */
  private oldOf(x: number, k: number): number {
    const prev = this.regions[k - 1];
    return prev ? x - prev.ce + prev.oe : x;
  }

  /** One span covering every change (offsets clamped to the two lengths), or undefined if none. */
  span(oldLength: number, newLength: number): { start: number; oldEnd: number; newEnd: number } | undefined {
    if (this.all) return { start: 0, oldEnd: oldLength, newEnd: newLength };
    const rs = this.regions;
    if (rs.length === 0) return undefined;
    const f = rs[0]!;
    const l = rs[rs.length - 1]!;
    const start = Math.min(f.cs, f.os, oldLength, newLength);
    const suffix = Math.min(Math.max(0, newLength - l.ce), Math.max(0, oldLength - l.oe), oldLength - start, newLength - start);
    return { start, oldEnd: oldLength - suffix, newEnd: newLength - suffix };
  }

  /**
   * The analysed-text span of current span [s, e) if no change touches it (a change ending at s or
   * starting at e does not), else undefined.
   */
  toOld(s: number, e: number): { start: number; end: number } | undefined {
    const r = this.mapSpan(s, e, true);
    return r && r.start >= 0 && r.end <= this.baseLength ? r : undefined;
  }

  /** The current span of analysed-text span [s, e) if no change touches it, else undefined. */
  toNew(s: number, e: number): { start: number; end: number } | undefined {
    return this.mapSpan(s, e, false);
  }

  /** Maps [s, e) from the current text to the analysed one (`fromCurrent`) or back. */
  private mapSpan(s: number, e: number, fromCurrent: boolean): { start: number; end: number } | undefined {
    if (this.all) return undefined;
    const rs = this.regions;
    const startOf = (r: Region): number => (fromCurrent ? r.cs : r.os);
    const endOf = (r: Region): number => (fromCurrent ? r.ce : r.oe);
    let lo = 0;
    let hi = rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (endOf(rs[mid]!) <= s) lo = mid + 1;
      else hi = mid;
    }
    // rs[lo] is the first region ending after s: it must start at or after e.
    const next = rs[lo];
    if (next && (startOf(next) < e || (startOf(next) === e && startOf(next) === s))) return undefined;
    const prev = rs[lo - 1];
    const shift = prev ? (fromCurrent ? prev.oe - prev.ce : prev.ce - prev.oe) : 0;
    return { start: s + shift, end: e + shift };
  }
}

export type DocumentEvents = {
  onOpen(doc: LiveDocument): void;
  onChange(doc: LiveDocument): void;
  onClose(uri: string): void;
};

export class DocumentStore {
  private readonly docs = new Map<string, Entry>();

  get(uri: string): LiveDocument | undefined {
    return this.docs.get(uri)?.doc;
  }

  all(): LiveDocument[] {
    return [...this.docs.values()].map((e) => e.doc);
  }

  /**
   * The edit since the last analysis of `analysed` (the text then), as one span; resets the tracking.
   * Undefined when the document is unknown.
   */
  takeEdit(uri: string, analysed: string): SpanEdit | undefined {
    const e = this.docs.get(uri);
    if (!e) return undefined;
    const l0 = analysed.length;
    const l1 = e.doc.length;
    const span = e.changes.span(l0, l1) ?? { start: Math.min(l0, l1), oldEnd: l0, newEnd: l1 };
    e.changes.reset(l1);
    return span;
  }

  /** Marks a document as analysed now (no pending edit). */
  markAnalysed(uri: string): void {
    const e = this.docs.get(uri);
    if (e) e.changes.reset(e.doc.length);
  }

  /** The changes since the last analysis (read only: do not record into it). */
  changesOf(uri: string): ChangeMap | undefined {
    return this.docs.get(uri)?.changes;
  }

  listen(connection: Connection, events: DocumentEvents): void {
    connection.onDidOpenTextDocument((p) => {
      const doc = new LiveDocument(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      const changes = new ChangeMap(0);
      changes.replaceAll();
      this.docs.set(doc.uri, { doc, changes });
      events.onOpen(doc);
    });
    connection.onDidChangeTextDocument((p) => {
      const e = this.docs.get(p.textDocument.uri);
      if (!e) return;
      for (const c of p.contentChanges as TextDocumentContentChangeEvent[]) {
        const n = e.doc.length;
        if ('range' in c && c.range) {
          // Offsets in the text before this change; clamp ranges past the end (clients may send them).
          // (A range given end-first is applied the right way round: record it so too.)
          const x = Math.min(e.doc.offsetAt(c.range.start), n);
          const y = Math.min(e.doc.offsetAt(c.range.end), n);
          const a = Math.min(x, y);
          const b = Math.max(x, y);
          e.changes.record(a, b, c.text.length);
        } else e.changes.replaceAll();
        e.doc.update([c], p.textDocument.version);
      }
      events.onChange(e.doc);
    });
    connection.onDidCloseTextDocument((p) => {
      this.docs.delete(p.textDocument.uri);
      events.onClose(p.textDocument.uri);
    });
  }
}

/** Positions of a LiveDocument, with the same shape as LineIndex (no whole-text rescan per version). */
export class DocPositions {
  constructor(private readonly doc: LiveDocument) {}
  positionAt(offset: number): Position {
    return this.doc.positionAt(offset);
  }
  offsetAt(pos: Position): number {
    return this.doc.offsetAt(pos);
  }
  rangeOf(s: Span): Range {
    return { start: this.doc.positionAt(s.start), end: this.doc.positionAt(s.end) };
  }
}
