/**
 * @fileoverview LSP latency for the benchmark: drives the real `panos-guard-lsp --stdio` process
 * (as test/lsp/lspClient.ts does) and times didOpen → publishDiagnostics and one-character
 * didChange → publishDiagnostics. The server's debounce is set to 0 through the
 * workspace/configuration answer, so the figures exclude it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs of one measurement; `timedOut` when a run exceeded the cap (its time is then a lower bound). */
export type RunSet = { ms: number[]; timedOut: boolean; skipped?: string; note?: string; /** Server CPU time per run (ms; clock-tick resolution), when /proc is there. */ cpuMs: number[] };

export type LspOptions = {
  runs: number;
  /** Longest single wait (ms); the server is killed when a wait exceeds it. */
  capMs: number;
  /** Stop starting new runs of one measurement when this much time (ms) would be exceeded. */
  budgetMs: number;
  open: boolean;
  edit: boolean;
  breakEdit: boolean;
  /** A digit of an address object's value changed (then put back, untimed). */
  valueEdit: boolean;
};

export type LspResult = {
  open: RunSet | undefined;
  edit: RunSet | undefined;
  breakEdit: RunSet | undefined;
  valueEdit: RunSet | undefined;
  /** Peak RSS of the server process (VmHWM, kB), when /proc is there. */
  serverRssKB: number | undefined;
  /** Diagnostics published for the unchanged document. */
  diagnostics: number | undefined;
};

/**
 * One-character edit sites: a letter of a rule's description, a character whose deletion breaks the
 * rule's structure, and the last digit of an address object's IP address.
 */
export type EditSites = { charAt: number; breakAt: number; rule: string; breakWhat: string; valueAt: number; address: string };

type Pending = { uri: string; version: number; resolve: (d: Diagnostic[]) => void };

class Client {
  readonly proc: ChildProcess;
  private readonly conn: MessageConnection;
  private pending: Pending[] = [];
  stderr = '';
  private dead = false;

  constructor() {
    this.proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'panos-guard-lsp.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString();
    });
    this.proc.on('exit', () => {
      this.dead = true;
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const keep: Pending[] = [];
      for (const w of this.pending) {
        if (w.uri === p.uri && p.version === w.version) w.resolve(p.diagnostics);
        else keep.push(w);
      }
      this.pending = keep;
    });
    this.conn.onNotification(() => undefined);
    // debounceMs 0: the figure is the analysis and the round trip, not the editor's typing delay.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ debounceMs: 0 })));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/workspaceFolders', () => null);
    this.conn.onError(() => undefined);
    this.conn.listen();
  }

  async initialize(): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      workspaceFolders: null,
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves with the diagnostics published for `version`, or undefined after `capMs`. */
  waitFor(uri: string, version: number, capMs: number): Promise<Diagnostic[] | undefined> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pending = this.pending.filter((w) => w !== entry);
        resolve(undefined);
      }, capMs);
      const entry: Pending = {
        uri,
        version,
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
      };
      this.pending.push(entry);
    });
  }

  open(uri: string, languageId: string, text: string, version: number): void {
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, start: { line: number; character: number }, end: { line: number; character: number }, text: string): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** CPU time (user + system, ms) of the server so far, from /proc (clock ticks of 10 ms). */
  cpuMs(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 (utime, stime) are the 12th and 13th after the command name.
      return (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      return undefined;
    }
  }

  /** VmHWM (peak RSS, kB) of the server, read from /proc while it runs. */
  peakRssKB(): number | undefined {
    try {
      const m = /VmHWM:\s*(\d+)\s*kB/.exec(fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  async shutdown(): Promise<void> {
    if (!this.dead) {
      try {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await this.conn.sendNotification('exit').catch(() => undefined);
      } catch {
        // already gone
      }
    }
    this.conn.dispose();
    await new Promise<void>((res) => {
      if (this.dead || this.proc.exitCode !== null) return res();
      const t = setTimeout(() => {
        if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
        res();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        res();
      });
    });
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

/** Line/character of an offset (generated configs are ASCII: UTF-16 units = bytes). */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let ls = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    ls = i + 1;
  }
  return { line, character: offset - ls };
}

/** Edit sites in the middle of the file: a rule with a description (XML or set). */
export function findEditSites(text: string, format: 'xml' | 'set'): EditSites {
  const mid = Math.floor(text.length / 2);
  if (format === 'xml') {
    // Security rules are the entries with a uuid attribute; pick the first after the middle with a description.
    const re = /\n([ \t]*)<entry name="([^"]*)" uuid="[^"]*">/g;
    re.lastIndex = mid;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const indent = m[1]!;
      const close = text.indexOf(`\n${indent}</entry>`, m.index + m[0].length);
      if (close < 0) break;
      const d = text.indexOf('<description>', m.index);
      if (d < 0 || d > close) continue;
      const body = d + '<description>'.length;
      const letter = text.slice(body, text.indexOf('<', body)).search(/[A-Za-z]/);
      if (letter < 0) continue;
      const endTag = close + 1 + indent.length;
      return { charAt: body + letter, breakAt: endTag + '</entry'.length, rule: m[2]!, breakWhat: "the '>' of the rule's </entry>", ...addressSite(text, /<entry name="([^"]*)">\s*<ip-netmask>\d+\.\d+\.\d+\.\d+/g) };
    }
    throw new Error('no rule with a description after the middle of the file');
  }
  // set: `… rules NAME description "…"` and, for the break, the ']' of a rule's member list.
  const re = /\n(set [^\n]*? rules ("[^"\n]*"|\S+) )description ("?)([^\n]*)/g;
  re.lastIndex = mid;
  const m = re.exec(text);
  if (!m) throw new Error('no rule description after the middle of the file');
  const descStart = m.index + 1 + m[1]!.length + 'description '.length + m[3]!.length;
  const letter = m[4]!.search(/[A-Za-z]/);
  const lre = /\n(set [^\n]*? rules ("[^"\n]*"|\S+) )(?:source|destination|application|service|from|to) \[[^\n]*\]/g;
  lre.lastIndex = mid;
  const l = lre.exec(text);
  if (!l) throw new Error('no bracket list after the middle of the file');
  const bracket = l.index + l[0].length - 1;
  const name = m[2]!.replace(/^"|"$/g, '');
  return { charAt: descStart + Math.max(0, letter), breakAt: bracket, rule: name, breakWhat: "the ']' closing a rule's member list", ...addressSite(text, / address ("[^"\n]*"|\S+) ip-netmask \d+\.\d+\.\d+\.\d+/g) };
}

/**
 * The last digit of the first address object's IP address after the middle of the file, or from its
 * start where there is none (a firewall's objects come before its rules); `re` is global and ends
 * there, its group 1 names the object.
 */
function addressSite(text: string, re: RegExp): { valueAt: number; address: string } {
  re.lastIndex = Math.floor(text.length / 2);
  let m = re.exec(text);
  if (!m) {
    re.lastIndex = 0;
    m = re.exec(text);
  }
  if (!m) throw new Error('no address object with an IP address in the file');
  return { valueAt: m.index + m[0].length - 1, address: m[1]!.replace(/^"|"$/g, '') };
}

/** Another digit (the address stays an address). */
function otherDigit(c: string): string {
  return c === '9' ? '8' : '9';
}

/** Swaps a letter for another one (so each run changes exactly one character). */
function otherLetter(c: string): string {
  return c === 'x' ? 'y' : c === 'X' ? 'Y' : /[a-z]/.test(c) ? 'x' : 'X';
}

async function timed<T>(f: () => Promise<T | undefined>, c?: Client): Promise<{ ms: number; v: T | undefined; cpu: number | undefined }> {
  const c0 = c?.cpuMs();
  const t0 = process.hrtime.bigint();
  const v = await f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = c?.cpuMs();
  return { ms, v, cpu: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined };
}

/**
 * One server process per file: `runs` opens (each a fresh URI, closed afterwards), then on one
 * open document `runs` one-character edits inside a rule, then `runs` edits deleting a structural
 * character (each followed by an untimed repair).
 */
export async function lspBench(file: string, format: 'xml' | 'set', o: LspOptions): Promise<LspResult> {
  const text = fs.readFileSync(file, 'utf8');
  const languageId = format === 'xml' ? 'xml' : 'panos-set';
  const base = pathToFileURL(file).toString();
  const res: LspResult = { open: undefined, edit: undefined, breakEdit: undefined, valueEdit: undefined, serverRssKB: undefined, diagnostics: undefined };
  const c = new Client();
  let alive = true;
  const fail = (why: string): void => {
    alive = false;
    void why;
    c.kill();
  };
  /**
   * Up to `o.runs` timed runs of `once` into `rs`. No diagnostics within the cap stops the server;
   * `after` (untimed) may stop the series; no run starts once `perRun` more runs of the last one's
   * time would pass the budget.
   */
  const repeat = async (
    rs: RunSet,
    what: string,
    once: () => Promise<{ ms: number; v: Diagnostic[] | undefined; cpu: number | undefined }>,
    after: (diags: Diagnostic[]) => Promise<boolean> | boolean = () => true,
    perRun = 1,
  ): Promise<void> => {
    const t0 = Date.now();
    for (let i = 0; i < o.runs && alive; i++) {
      const r = await once();
      if (!r.v) {
        rs.ms.push(o.capMs);
        rs.timedOut = true;
        fail(`${what} timed out`);
        break;
      }
      rs.ms.push(r.ms);
      if (r.cpu !== undefined) rs.cpuMs.push(r.cpu);
      if (!(await after(r.v))) break;
      if (Date.now() - t0 + perRun * r.ms > o.budgetMs) break;
    }
  };
  try {
    await c.initialize();
    let seq = 0;
    const newUri = (): string => base.replace(/(\.[a-z]+)$/, `.lsp${++seq}$1`);
    if (o.open) {
      const rs: RunSet = { ms: [], timedOut: false, cpuMs: [] };
      res.open = rs;
      let uri = '';
      await repeat(
        rs,
        'open',
        () => {
          uri = newUri();
          return timed(async () => {
            const p = c.waitFor(uri, 1, o.capMs);
            c.open(uri, languageId, text, 1);
            return p;
          }, c);
        },
        (diags) => {
          res.diagnostics = diags.length;
          c.close(uri);
          return true;
        },
      );
    }
    if (alive && (o.edit || o.breakEdit || o.valueEdit)) {
      const sites = findEditSites(text, format);
      const uri = newUri();
      let version = 1;
      const ready = c.waitFor(uri, version, o.capMs);
      c.open(uri, languageId, text, version);
      const first = await ready;
      if (!first) {
        fail('open timed out');
        if (o.edit) res.edit = { ms: [], timedOut: true, skipped: 'opening the document exceeded the cap', cpuMs: [] };
        if (o.breakEdit) res.breakEdit = { ms: [], timedOut: true, skipped: 'opening the document exceeded the cap', cpuMs: [] };
        if (o.valueEdit) res.valueEdit = { ms: [], timedOut: true, skipped: 'opening the document exceeded the cap', cpuMs: [] };
      } else {
        res.diagnostics = first.length;
        let cur = text;
        const apply = async (at: number, del: number, ins: string): Promise<{ ms: number; v: Diagnostic[] | undefined; cpu: number | undefined }> => {
          const start = positionAt(cur, at);
          const end = positionAt(cur, at + del);
          const v = ++version;
          const r = await timed(async () => {
            const p = c.waitFor(uri, v, o.capMs);
            c.change(uri, v, start, end, ins);
            return p;
          }, c);
          cur = cur.slice(0, at) + ins + cur.slice(at + del);
          return r;
        };
        if (o.edit) {
          const rs: RunSet = { ms: [], timedOut: false, note: `a letter of the description of rule '${sites.rule}'`, cpuMs: [] };
          res.edit = rs;
          await repeat(rs, 'edit', () => apply(sites.charAt, 1, otherLetter(cur[sites.charAt]!)));
        }
        if (o.breakEdit && alive) {
          const rs: RunSet = { ms: [], timedOut: false, note: `deletes ${sites.breakWhat} '${sites.rule}'`, cpuMs: [] };
          res.breakEdit = rs;
          const ch = cur[sites.breakAt]!;
          let syntax = 0;
          await repeat(
            rs,
            'edit',
            () => apply(sites.breakAt, 1, ''),
            async (diags) => {
              if (diags.some((d) => d.code === 'PANO000')) syntax++;
              // Untimed repair, so every timed run breaks the same intact document.
              const back = await apply(sites.breakAt, 0, ch);
              if (back.v) return true;
              rs.timedOut = true;
              fail('repair timed out');
              return false;
            },
            2,
          );
          rs.note += syntax === rs.ms.length ? '; a syntax diagnostic is published each time' : `; syntax diagnostic published in ${syntax}/${rs.ms.length} runs`;
        }
        if (o.valueEdit && alive) {
          const rs: RunSet = { ms: [], timedOut: false, note: `the last digit of address '${sites.address}'`, cpuMs: [] };
          res.valueEdit = rs;
          const ch = cur[sites.valueAt]!;
          await repeat(
            rs,
            'edit',
            () => apply(sites.valueAt, 1, otherDigit(ch)),
            async () => {
              // Untimed, the digit put back: every timed run changes the same address.
              const back = await apply(sites.valueAt, 1, ch);
              if (back.v) return true;
              rs.timedOut = true;
              fail('repair timed out');
              return false;
            },
            2,
          );
        }
      }
    }
    res.serverRssKB = c.peakRssKB();
  } finally {
    if (alive) await c.shutdown();
    else c.kill();
  }
  return res;
}

/** Each measurement's runs on two files taken in turns by one server (`a`: the first file, `b`: the second). */
export type LspPairResult = { open?: [number[], number[]]; edit?: [number[], number[]]; breakEdit?: [number[], number[]]; valueEdit?: [number[], number[]]; note?: string };

/**
 * The growth of the LSP rows measured in turns: one server opens the two files in turns (each a
 * fresh URI, closed afterwards), then holds both open and edits them in turns (a one-character edit
 * inside a rule; then a deletion that breaks a rule's structure, repaired untimed), so that both
 * files' figures share the same minutes and the same server process.
 */
export async function lspBenchPair(files: [string, string], format: 'xml' | 'set', o: LspOptions): Promise<LspPairResult> {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const languageId = format === 'xml' ? 'xml' : 'panos-set';
  const res: LspPairResult = {};
  const c = new Client();
  let alive = true;
  let seq = 0;
  const newUri = (k: number): string => pathToFileURL(files[k]!).toString().replace(/(\.[a-z]+)$/, `.pair${++seq}$1`);
  /**
   * `o.runs` rounds of one timed run per file, in turns; `once` answers the run's time, or undefined
   * when a wait exceeded the cap (the server is then given up).
   */
  const turns = async (once: (k: number) => Promise<number | undefined>): Promise<[number[], number[]]> => {
    const into: [number[], number[]] = [[], []];
    const t0 = Date.now();
    for (let i = 0; i < o.runs && alive; i++) {
      for (const k of [0, 1]) {
        const ms = alive ? await once(k) : undefined;
        if (ms === undefined) alive = false;
        else into[k]!.push(ms);
      }
      if (Date.now() - t0 > o.budgetMs) break;
    }
    return into;
  };
  try {
    await c.initialize();
    if (o.open) {
      res.open = await turns(async (k) => {
        const uri = newUri(k);
        const r = await timed(async () => {
          const p = c.waitFor(uri, 1, o.capMs);
          c.open(uri, languageId, texts[k]!, 1);
          return p;
        }, c);
        c.close(uri);
        return r.v ? r.ms : undefined;
      });
    }
    if (alive && (o.edit || o.breakEdit || o.valueEdit)) {
      const docs = [0, 1].map((k) => ({ uri: newUri(k), cur: texts[k]!, version: 1, sites: findEditSites(texts[k]!, format) }));
      for (const d of docs) {
        const ready = c.waitFor(d.uri, 1, o.capMs);
        c.open(d.uri, languageId, d.cur, 1);
        if (!(await ready)) alive = false;
      }
      const apply = async (d: (typeof docs)[number], at: number, del: number, ins: string): Promise<{ ms: number; v: Diagnostic[] | undefined }> => {
        const start = positionAt(d.cur, at);
        const end = positionAt(d.cur, at + del);
        const v = ++d.version;
        const r = await timed(async () => {
          const p = c.waitFor(d.uri, v, o.capMs);
          c.change(d.uri, v, start, end, ins);
          return p;
        }, c);
        d.cur = d.cur.slice(0, at) + ins + d.cur.slice(at + del);
        return r;
      };
      if (alive && o.edit) {
        res.edit = await turns(async (k) => {
          const d = docs[k]!;
          const r = await apply(d, d.sites.charAt, 1, otherLetter(d.cur[d.sites.charAt]!));
          return r.v ? r.ms : undefined;
        });
      }
      if (alive && o.breakEdit) {
        res.breakEdit = await turns(async (k) => {
          const d = docs[k]!;
          const ch = d.cur[d.sites.breakAt]!;
          const r = await apply(d, d.sites.breakAt, 1, '');
          // Untimed repair, so every timed run breaks the same intact document.
          const back = r.v ? await apply(d, d.sites.breakAt, 0, ch) : undefined;
          return r.v && back?.v ? r.ms : undefined;
        });
      }
      if (alive && o.valueEdit) {
        res.valueEdit = await turns(async (k) => {
          const d = docs[k]!;
          const ch = d.cur[d.sites.valueAt]!;
          const r = await apply(d, d.sites.valueAt, 1, otherDigit(ch));
          const back = r.v ? await apply(d, d.sites.valueAt, 1, ch) : undefined;
          return r.v && back?.v ? r.ms : undefined;
        });
      }
    }
    if (!alive) res.note = 'a wait exceeded the cap';
  } finally {
    if (alive) await c.shutdown();
    else c.kill();
  }
  return res;
}
