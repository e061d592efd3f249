/**
 * @fileoverview Open documents with incremental sync, remembering where they changed since the last
 * analysis (one region in the analysed text's offsets), so the analysis can be redone incrementally.
 */
import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SpanEdit } from './core/incremental';
import type { Position, Range, Span } from './core/text';

type Entry = {
  doc: TextDocument;
  /** Unchanged prefix and suffix lengths since the last analysis (Infinity: nothing changed). */
  prefix: number;
  suffix: number;
};

export type DocumentEvents = {
  onOpen(doc: TextDocument): void;
  onChange(doc: TextDocument): void;
  onClose(uri: string): void;
};

export class DocumentStore {
  private readonly docs = new Map<string, Entry>();

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri)?.doc;
  }

  all(): TextDocument[] {
    return [...this.docs.values()].map((e) => e.doc);
  }

  /**
   * The edit since the last analysis of `analysed` (the text then), as one span; resets the tracking.
   * Undefined when the document is unknown.
   */
  takeEdit(uri: string, analysed: string): SpanEdit | undefined {
    const e = this.docs.get(uri);
    if (!e) return undefined;
    const now = e.doc.getText();
    const l0 = analysed.length;
    const l1 = now.length;
    const p = Math.min(e.prefix, l0, l1);
    const q = Math.min(e.suffix, l0 - p, l1 - p);
    e.prefix = Infinity;
    e.suffix = Infinity;
    return { start: p, oldEnd: l0 - q, newEnd: l1 - q };
  }

  /** Marks a document as analysed now (no pending edit). */
  markAnalysed(uri: string): void {
    const e = this.docs.get(uri);
    if (e) {
      e.prefix = Infinity;
      e.suffix = Infinity;
    }
  }

  listen(connection: Connection, events: DocumentEvents): void {
    connection.onDidOpenTextDocument((p) => {
      const doc = TextDocument.create(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      this.docs.set(doc.uri, { doc, prefix: 0, suffix: 0 });
      events.onOpen(doc);
    });
    connection.onDidChangeTextDocument((p) => {
      const e = this.docs.get(p.textDocument.uri);
      if (!e) return;
      for (const c of p.contentChanges as TextDocumentContentChangeEvent[]) {
        const n = e.doc.getText().length;
        if ('range' in c && c.range) {
          // Offsets in the text before this change; clamp ranges past the end (clients may send them).
          const a = Math.min(e.doc.offsetAt(c.range.start), n);
          const b = Math.max(a, Math.min(e.doc.offsetAt(c.range.end), n));
          e.prefix = Math.min(e.prefix, a);
          e.suffix = Math.min(e.suffix, n - b);
        } else {
          e.prefix = 0;
          e.suffix = 0;
        }
        e.doc = TextDocument.update(e.doc, [c], p.textDocument.version);
      }
      events.onChange(e.doc);
    });
    connection.onDidCloseTextDocument((p) => {
      this.docs.delete(p.textDocument.uri);
      events.onClose(p.textDocument.uri);
    });
  }
}

/** Positions of a TextDocument, with the same shape as LineIndex (no whole-text rescan per version). */
export class DocPositions {
  constructor(private readonly doc: TextDocument) {}
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
