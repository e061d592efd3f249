/**
 * @fileoverview A minimal LSP client over stdio for tests: spawns the real `panos-guard-lsp --stdio`
 * process, initializes it, and collects published diagnostics.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, Position, PublishDiagnosticsParams, Range, TextEdit } from 'vscode-languageserver-protocol';
import { FIXTURES, rangeOf, ROOT } from '../helpers';
import type { Span } from '../../server/src/core/text';

/** What a diagnostic is compared by: code, message and range. */
export type DiagKey = { code: string; message: string; range: unknown };
export const diagKey = (d: DiagKey | Diagnostic): DiagKey => ({ code: String(d.code), message: d.message as string, range: d.range });

/** What the real CLI (`lint --format json`, run in the file's folder) reports for `text` written to `file`. */
export function cliDiagnostics(file: string, text: string): DiagKey[] {
  fs.writeFileSync(file, text);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'panos-guard.js'), 'lint', '--format', 'json', file], { cwd: path.dirname(file), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return (JSON.parse(r.stdout) as { files: { diagnostics: DiagKey[] }[] }).files[0]!.diagnostics.map(diagKey);
}

/** Per-test time limit: a server that stops answering fails the test instead of hanging the run. */
export const TIMEOUT = 60_000;

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  private readonly diags = new Map<string, { version: number | undefined; diagnostics: Diagnostic[]; count: number }>();
  private waiters: (() => void)[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Capabilities the server registered dynamically (client/registerCapability). */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[] = [];
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  stderr = '';
  /** Answers the server's workspace/configuration requests. */
  settings: Record<string, unknown> = {};

  constructor(args: string[] = []) {
    this.proc = spawn(process.execPath, [...(process.env.PANOS_GUARD_SERVER_NODE_ARGS ? process.env.PANOS_GUARD_SERVER_NODE_ARGS.split(' ') : []), path.join(ROOT, 'bin', 'panos-guard-lsp.js'), '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      if (process.env.PANOS_GUARD_TIMING === '1') process.stderr.write(d);
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const prev = this.diags.get(p.uri);
      this.diags.set(p.uri, { version: p.version, diagnostics: p.diagnostics, count: (prev?.count ?? 0) + 1 });
      this.published.push(p);
      this.wake();
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', (p: { registrations: { id: string; method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    this.conn.onRequest('workspace/workspaceFolders', () => null);
    this.conn.listen();
  }

  /** `workspace` adds client workspace capabilities (e.g. didChangeWatchedFiles). */
  async initialize(rootUri: string | null = null, configuration = true, workspace: Record<string, unknown> = {}): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration, workspaceFolders: true, ...workspace }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: ({ range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } | { text: string })[]): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Waits (polling on notifications, with a timeout) until diagnostics for `uri` satisfy `pred`. */
  async diagnostics(uri: string, pred: (d: { version: number | undefined; diagnostics: Diagnostic[] }) => boolean = () => true, timeoutMs = 20000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = this.diags.get(uri);
      if (d && pred(d)) return d.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(d?.diagnostics.map((x) => x.code))}; stderr: ${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `get` returns a value (re-checked on every notification from the server). */
  async until<T>(what: string, get: () => T | undefined, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Waits for a notification `method` whose params satisfy `pred` (the first such, received so far or later). */
  notification<T>(method: string, pred: (p: T) => boolean = () => true, timeoutMs = 20000): Promise<T> {
    return this.until(`notification ${method}`, () => this.notifications.find((n) => n.method === method && pred(n.params as T))?.params as T | undefined, timeoutMs);
  }

  /** The publishDiagnostics received for `uri`, in order. */
  publishes(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /** Waits for the next publishDiagnostics for `uri` after the `after`-th one. */
  nextPublish(uri: string, after: number, timeoutMs = 20000): Promise<PublishDiagnosticsParams> {
    return this.until(`publish #${after + 1} for ${uri}`, () => this.publishes(uri)[after], timeoutMs);
  }

  publishCount(uri: string): number {
    return this.diags.get(uri)?.count ?? 0;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      this.conn.sendNotification('exit').catch(() => undefined);
    } catch {
      // The process may already be gone.
    } finally {
      clearTimeout(timer);
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** A document of the test fixtures (or any file), with its file: URI. */
export type Doc = { path: string; uri: string; text: string; languageId: string };

export function docAt(file: string, text?: string): Doc {
  return { path: file, uri: pathToFileURL(file).toString(), text: text ?? fs.readFileSync(file, 'utf8'), languageId: file.endsWith('.xml') ? 'xml' : 'panos-set' };
}

/** `test/fixtures/scenarios/<name>/config.<form>` (its `.panos-guard.json` is found next to it). */
export function scenario(name: string, form: 'xml' | 'set'): Doc {
  return docAt(path.join(FIXTURES, 'scenarios', name, `config.${form}`));
}

/** A document in a scenario's folder that does not exist on disk (so the scenario's env file applies). */
export function inScenario(name: string, file: string, text: string): Doc {
  return docAt(path.join(FIXTURES, 'scenarios', name, file), text);
}

export function positionAt(text: string, offset: number): Position {
  return rangeOf(text, { start: offset, end: offset }).start;
}

/** Position of `needle`'s n-th occurrence plus `delta` characters. */
export function posOf(text: string, needle: string, delta = 0, n = 0): Position {
  let at = text.indexOf(needle);
  for (let i = 0; i < n && at >= 0; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' (#${n}) not found`);
  return positionAt(text, at + delta);
}

/** Offset of an LSP position, computed independently of the server (lines end at \r\n, \n or \r). */
export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line) {
    const n = text.indexOf('\n', i);
    const r = text.indexOf('\r', i);
    if (n < 0 && r < 0) return text.length;
    if (r >= 0 && (n < 0 || r < n)) i = text[r + 1] === '\n' ? r + 2 : r + 1;
    else i = n + 1;
    line++;
  }
  let end = text.length;
  for (let j = i; j < text.length; j++) if (text[j] === '\n' || text[j] === '\r') {
    end = j;
    break;
  }
  return Math.min(i + p.character, end);
}

/** Applies LSP text edits the way a client does: offsets from the original text, last to first. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const withOffsets = edits.map((e, i) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText, i }));
  withOffsets.sort((a, b) => b.s - a.s || b.i - a.i);
  let out = text;
  let limit = Infinity;
  for (const x of withOffsets) {
    if (x.e > limit) throw new Error('overlapping text edits');
    out = out.slice(0, x.s) + x.t + out.slice(x.e);
    limit = x.s;
  }
  return out;
}

/** An incremental change replacing `span` of `text` with `newText`, and the resulting text. */
export function edit(text: string, span: Span, newText: string): { change: { range: Range; text: string }; text: string } {
  return { change: { range: rangeOf(text, span), text: newText }, text: text.slice(0, span.start) + newText + text.slice(span.end) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
