/**
 * @fileoverview A minimal LSP client over stdio for tests: spawns the real `panos-guard-lsp --stdio`
 * process, initializes it, and collects published diagnostics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../helpers';

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  private readonly diags = new Map<string, { version: number | undefined; diagnostics: Diagnostic[]; count: number }>();
  private waiters: (() => void)[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  stderr = '';
  /** Answers the server's workspace/configuration requests. */
  settings: Record<string, unknown> = {};

  constructor(args: string[] = []) {
    this.proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'panos-guard-lsp.js'), '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const prev = this.diags.get(p.uri);
      this.diags.set(p.uri, { version: p.version, diagnostics: p.diagnostics, count: (prev?.count ?? 0) + 1 });
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
    });
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/workspaceFolders', () => null);
    this.conn.listen();
  }

  async initialize(rootUri: string | null = null, configuration = true): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration, workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
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

  publishCount(uri: string): number {
    return this.diags.get(uri)?.count ?? 0;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.conn.sendNotification('exit').catch(() => undefined);
    } catch {
      // The process may already be gone.
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
