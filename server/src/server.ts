/**
 * @fileoverview The language server: document sync, debounced analysis per document (skipped when
 * a newer version arrives), settings per resource, the `.panos-guard.json` environment, and the
 * LSP features (diagnostics, code actions, hover, symbols, definition, references, completion,
 * code lenses). A thin adapter on the analysis core.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeParams,
  type Position,
  type InitializeResult,
} from 'vscode-languageserver';
import { analyze, type Analysis, type AnalyzeOptions } from './core/analyze';
import { reanalyze, type SpanEdit } from './core/incremental';
import { ENV_FILE_NAME, parseEnvFile, type EnvFile } from './core/env/envFile';
import type { Finding } from './core/findings';
import { fixesForFinding, ruleSetFix } from './core/fixes';
import { suppressFix } from './core/fixes/suppress';
import { locate, references, resolveName, type Definition } from './core/locate';
import { looksLikePanos } from './core/parse';
import { flowTable } from './core/policy/table';
import { analyzeEnvironmentSummary } from './core/policy/summary';
import { LineIndex, type Positions } from './core/text';
import { DocPositions, DocumentStore } from './documents';
import { IdleCollector } from './memory';
import type { LiveDocument } from './liveDocument';
import { envFileMeta } from './core/checks/registry';
import { docsUrl } from './core/checks/types';
import { codeLenses } from './handlers/codeLens';
import { completions } from './handlers/completion';
import { findingKey, quickFix, toDiagnostic, type DiagnosticData } from './handlers/convert';
import { hoverAt } from './handlers/hover';
import { documentSymbols } from './handlers/symbols';
import { findEnvFile } from './io';
import { Commands, DEFAULT_SETTINGS, EnvTemplateRequest, FlowTableRequest, INSERT_RULE_SET_KIND, StatusNotification, type EnvTemplateParams, type FlowTableParams, type FlowTableResult, type Settings, type StatusParams } from './protocol';

/** The environment when there is no env file: one object, so that analyses can tell nothing changed. */
const NO_ENV: EnvFile = Object.freeze({}) as EnvFile;

type DocState = {
  version: number;
  analysis: Analysis | undefined;
  li: Positions | undefined;
  /** The analysed text (the incremental path needs it to locate the edit). */
  text: string | undefined;
  /** The options of the last analysis: the same object again lets the incremental path run. */
  opts: AnalyzeOptions | undefined;
  findings: Map<string, Finding>;
  timer: NodeJS.Timeout | undefined;
  lastStatus: string;
  published: boolean;
};

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection): void {
  const documents = new DocumentStore();
  const states = new Map<string, DocState>();
  const settingsCache = new Map<string, Promise<Settings>>();
  /** Settings already received, so a request can analyse without yielding (see current()). */
  const settingsKnown = new Map<string, Settings>();
  const envCache = new Map<string, { env: EnvFile; ok: boolean }>();
  let hasConfiguration = false;
  let watchDynamic = false;
  let workspaceRoots: string[] = [];

  const log = (m: string): void => connection.console.log(m);
  const timing = process.env.PANOS_GUARD_TIMING === '1';
  const idle = new IdleCollector(2000, timing ? (m) => process.stderr.write(`panos-guard timing: ${m}\n`) : undefined);
  /** PANOS_GUARD_TEST_FAULT=fixes-once: the first on-demand fix computation fails (tests only). */
  let fixFaults = process.env.PANOS_GUARD_TEST_FAULT === 'fixes-once' ? 1 : 0;
  /**
   * The incremental re-analysis, or undefined when it threw: a bug there must cost one full analysis,
   * not the document's diagnostics. PANOS_GUARD_TEST_FAULT=incremental makes it throw (tests only).
   */
  const reanalyzeOrNot = (uri: string, prev: Analysis, text: string, edit: SpanEdit, opts: AnalyzeOptions): ReturnType<typeof reanalyze> | undefined => {
    try {
      if (process.env.PANOS_GUARD_TEST_FAULT === 'incremental') throw new Error('fault injected (PANOS_GUARD_TEST_FAULT)');
      return reanalyze(prev, text, edit, opts);
    } catch (e) {
      log(`panos-guard: incremental analysis failed for ${uri}: ${(e as Error).message}; analysing the whole text again`);
      return undefined;
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    watchDynamic = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration && params.initializationOptions?.clientWatchesEnvFiles !== true;
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (workspaceRoots.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) workspaceRoots = [p];
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, INSERT_RULE_SET_KIND, CodeActionKind.Source] },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ['>', ' ', '['] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'panos-guard' },
    };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'panosGuard' });
    // Editors other than VS Code (whose client watches the file itself) are asked to watch the env files.
    if (watchDynamic) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${ENV_FILE_NAME}` }] });
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      workspaceRoots = [...workspaceRoots.filter((r) => !removed.has(r)), ...added];
    });
  });

  function settingsFor(uri: string): Promise<Settings> {
    if (!hasConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'panosGuard' })
        .then((v: Partial<Settings> | null) => ({ ...DEFAULT_SETTINGS, ...(v ?? {}) }))
        .catch(() => DEFAULT_SETTINGS)
        .then((v) => {
          if (settingsCache.get(uri) === s) settingsKnown.set(uri, v);
          return v;
        });
      settingsCache.set(uri, s);
    }
    return s;
  }

  function rootOf(p: string): string | undefined {
    return workspaceRoots.filter((r) => p === r || p.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  }

  /** The env file for a config document, validated; problems are published on the env file itself. */
  function envFor(uri: string, settings: Settings): EnvFile {
    const p = uriToPath(uri);
    if (!p) return NO_ENV;
    const root = rootOf(p);
    let envPath: string | undefined;
    if (settings.envFile) envPath = path.isAbsolute(settings.envFile) ? settings.envFile : path.join(root ?? path.dirname(p), settings.envFile);
    else envPath = findEnvFile(p, root);
    if (!envPath) return NO_ENV;
    const cached = envCache.get(envPath);
    if (cached) return cached.env;
    return loadEnv(envPath).env;
  }

  function loadEnv(envPath: string): { env: EnvFile; ok: boolean } {
    const envUri = pathToFileURL(envPath).toString();
    const open = documents.get(envUri);
    let text: string;
    try {
      text = open ? open.getText() : fs.readFileSync(envPath, 'utf8');
    } catch {
      envCache.set(envPath, { env: {}, ok: false });
      return { env: {}, ok: false };
    }
    const { env, problems } = parseEnvFile(text);
    const li = new LineIndex(text);
    const diags: Diagnostic[] = problems.map((pr) => ({
      range: li.rangeOf(pr.span),
      severity: 1,
      code: envFileMeta.code,
      codeDescription: { href: docsUrl(envFileMeta.code) },
      source: 'panos-guard',
      message: pr.message,
    }));
    void connection.sendDiagnostics({ uri: envUri, diagnostics: diags });
    const r = { env, ok: problems.length === 0 };
    envCache.set(envPath, r);
    return r;
  }

  function isEnvUri(uri: string): boolean {
    return uri.endsWith('/' + ENV_FILE_NAME);
  }

  function state(uri: string): DocState {
    let s = states.get(uri);
    if (!s) {
      s = { version: -1, analysis: undefined, li: undefined, text: undefined, opts: undefined, findings: new Map(), timer: undefined, lastStatus: '', published: false };
      states.set(uri, s);
    }
    return s;
  }

  function sendStatus(uri: string, st: StatusParams): void {
    const s = state(uri);
    const key = JSON.stringify(st);
    if (key === s.lastStatus) return;
    s.lastStatus = key;
    void connection.sendNotification(StatusNotification, st);
  }

  /** Analyses the current version of a document and publishes its diagnostics. */
  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    if (isEnvUri(uri)) {
      const p = uriToPath(uri);
      if (p) {
        envCache.delete(p);
        loadEnv(p);
        scheduleAll(0);
      }
      return;
    }
    const version = doc.version;
    const settings = settingsKnown.get(uri) ?? (hasConfiguration ? await settingsFor(uri) : DEFAULT_SETTINGS);
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // a newer version will be analysed
    analyseNow(uri, current, settings);
  }

  /** Analyses `current` (the document's current version) with known settings, synchronously. */
  function analyseNow(uri: string, current: LiveDocument, settings: Settings): void {
    const version = current.version;
    const s = state(uri);
    const text = current.getText();
    if (!settings.enable) {
      s.analysis = undefined;
      s.text = undefined;
      publish(uri, s, [], version);
      sendStatus(uri, { uri, state: 'disabled', text: 'PAN-OS Guard: off', detail: 'panosGuard.enable is false', blocked: 0, allowed: 0, unknown: 0 });
      return;
    }
    if (!looksLikePanos(text)) {
      // Not a PAN-OS config (e.g. pom.xml): nothing beyond this cheap check.
      s.analysis = undefined;
      s.li = undefined;
      s.findings.clear();
      // An empty list once (a client may wait for it), then nothing more while it stays non-PAN-OS.
      if (s.published || s.version === -1) publish(uri, s, [], version);
      s.version = version;
      sendStatus(uri, { uri, state: 'not-panos', text: 'PAN-OS Guard: not a PAN-OS config', detail: 'no <config> root or set commands', blocked: 0, allowed: 0, unknown: 0 });
      return;
    }
    const syntaxOnly = text.length > settings.maxFileSizeMB * 1024 * 1024;
    const env = envFor(uri, settings);
    // The same options object as last time (same env file, same settings) allows the incremental path.
    const o = s.opts;
    const opts: AnalyzeOptions = o && o.env === env && o.severities === settings.rules && !!o.syntaxOnly === syntaxOnly ? o : { env, severities: settings.rules, syntaxOnly, fixes: false };
    let analysis: Analysis;
    const t0 = timing ? performance.now() : 0;
    let how = 'full';
    try {
      const edit = s.analysis && s.text !== undefined ? documents.takeEdit(uri, s.text) : undefined;
      const r = s.analysis && edit ? reanalyzeOrNot(uri, s.analysis, text, edit, opts) : undefined;
      if (r) {
        analysis = r.analysis;
        how = r.incremental ? `incremental${r.why ? ` (${r.why})` : ''}` : `full (${r.why})`;
      } else if (s.analysis && edit) {
        // The incremental path failed (reported): the previous analysis may be half patched, start again.
        analysis = analyze(text, opts);
        how = 'full (the incremental path failed)';
      } else {
        documents.markAnalysed(uri);
        analysis = analyze(text, opts);
      }
    } catch (e) {
      log(`panos-guard: analysis failed for ${uri}: ${(e as Error).message}`);
      // The next analysis must start from scratch.
      s.analysis = undefined;
      s.text = undefined;
      return;
    }
    if (documents.get(uri)?.version !== version) {
      // A newer version arrived meanwhile: keep this analysis as the base of the next (incremental) one.
      s.analysis = analysis;
      s.text = text;
      s.opts = opts;
      s.version = -1;
      return;
    }
    const li = new DocPositions(current);
    s.version = version;
    s.analysis = analysis;
    s.text = text;
    s.opts = opts;
    s.li = li;
    s.findings = new Map(analysis.findings.map((f) => [findingKey(f), f]));
    const t1 = timing ? performance.now() : 0;
    idle.touch();
    publish(
      uri,
      s,
      analysis.findings.map((f) => toDiagnostic(uri, li, f, version)),
      version,
    );
    // PANOS_GUARD_TIMING=1: where the time of each analysis goes (stderr, never config content).
    if (timing) process.stderr.write(`panos-guard timing: v${version} ${how} analysis ${(t1 - t0).toFixed(1)} ms, publish ${(performance.now() - t1).toFixed(1)} ms\n`);
    const res = analysis.policy?.results.filter((r) => r.ctx.inPath) ?? [];
    const count = (v: string): number => new Set(res.filter((r) => r.verdict === v).map((r) => r.flow.id)).size;
    const st: StatusParams = syntaxOnly
      ? { uri, state: 'syntax-only', text: 'PAN-OS Guard: syntax only', detail: `${(text.length / 1048576).toFixed(1)} MB is above panosGuard.maxFileSizeMB (${settings.maxFileSizeMB} MB): only syntax is checked`, blocked: 0, allowed: 0, unknown: 0 }
      : { uri, state: 'ok', text: `PAN-OS Guard: ${count('blocked')} blocked`, detail: `Panorama flows: ${count('allowed')} allowed, ${count('blocked')} blocked, ${count('unknown')} unknown`, blocked: count('blocked'), allowed: count('allowed'), unknown: count('unknown') };
    sendStatus(uri, st);
  }

  function publish(uri: string, s: DocState, diagnostics: Diagnostic[], version: number): void {
    s.published = diagnostics.length > 0;
    void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  async function schedule(uri: string, delay?: number): Promise<void> {
    const s = state(uri);
    if (s.timer) clearTimeout(s.timer);
    const d = delay ?? (await settingsFor(uri)).debounceMs;
    // Another change may have set a timer while the settings were awaited: only the last one stays.
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void validate(uri);
    }, d);
  }

  function scheduleAll(delay?: number): void {
    for (const d of documents.all()) if (!isEnvUri(d.uri)) void schedule(d.uri, delay);
  }

  const onClose = (uri: string): void => {
    const s = states.get(uri);
    if (s?.timer) clearTimeout(s.timer);
    states.delete(uri);
    settingsCache.delete(uri);
    settingsKnown.delete(uri);
    if (isEnvUri(uri)) {
      const p = uriToPath(uri);
      if (p) envCache.delete(p);
      scheduleAll(0);
    }
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  };

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    settingsKnown.clear();
    envCache.clear();
    scheduleAll(0);
  });

  connection.onDidChangeWatchedFiles((e) => {
    if (e.changes.some((c) => c.uri.endsWith(ENV_FILE_NAME))) {
      for (const c of e.changes) {
        const p = uriToPath(c.uri);
        if (p) envCache.delete(p);
      }
      envCache.clear();
      scheduleAll(0);
    }
  });

  /** The analysis of the document's current version (analysing now if a request comes first). */
  async function current(uri: string): Promise<{ a: Analysis; li: Positions; s: DocState } | undefined> {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const s = state(uri);
    if (s.version !== doc.version || !s.analysis) {
      if (s.timer) {
        clearTimeout(s.timer);
        s.timer = undefined;
      }
      // With the settings known, analyse without yielding: awaiting would let queued changes in
      // and leave this request without an analysis of any version.
      const known = hasConfiguration ? settingsKnown.get(uri) : DEFAULT_SETTINGS;
      if (known && !isEnvUri(uri)) analyseNow(uri, doc, known);
      else await validate(uri);
    }
    if (!s.analysis || !s.li || s.version !== doc.version) return undefined;
    return { a: s.analysis, li: s.li, s };
  }

  connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
    const uri = params.textDocument.uri;
    const cur = await current(uri);
    if (!cur) {
      if (timing) {
        const dv = documents.get(uri)?.version;
        const st = states.get(uri);
        const why = dv === undefined ? 'the document is not open' : st?.version === dv ? `v${dv} has no analysis (not a PAN-OS config, or disabled)` : `no analysis of v${dv} (last analysed v${st?.version ?? '(none)'})`;
        process.stderr.write(`panos-guard timing: code action: ${why}\n`);
      }
      return [];
    }
    const { a, li, s } = cur;
    const out: CodeAction[] = [];
    // Two findings on one place (a group's foreign App-IDs and its filter) may offer the same action:
    // offered once, naming both diagnostics.
    const offered = new Map<string, CodeAction>();
    const offer = (x: CodeAction): void => {
      const key = JSON.stringify([x.title, x.kind, x.edit, x.command]);
      const had = offered.get(key);
      if (!had) {
        offered.set(key, x);
        out.push(x);
      } else if (x.diagnostics) {
        had.diagnostics = [...(had.diagnostics ?? []), ...x.diagnostics];
        if (x.isPreferred) had.isPreferred = true;
      }
    };
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    if (wants(CodeActionKind.QuickFix)) {
      let ours = 0;
      let found = 0;
      for (const d of params.context.diagnostics) {
        if (d.source !== 'panos-guard') continue;
        ours++;
        const data = d.data as DiagnosticData | undefined;
        const f = data ? s.findings.get(data.key) : undefined;
        if (!f) continue;
        found++;
        // Fixes are computed on demand from the stored analysis (no re-analysis), and kept unless they failed.
        let failed = false;
        const report = (e: unknown): void => {
          failed = true;
          log(`panos-guard: the fixes of a ${f.code} finding could not be computed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        };
        let fixes = f.fixes;
        if (!fixes && fixFaults > 0) {
          fixFaults--;
          report(new Error('fault injected (PANOS_GUARD_TEST_FAULT)'));
          fixes = [];
        }
        fixes ??= fixesForFinding(a, f, report);
        if (!failed) f.fixes = fixes;
        fixes.forEach((fx, i) => offer(quickFix(uri, li, fx.title, fx.edits, [d], fx.safe && i === 0)));
        const sup = suppressFix(a, f);
        if (sup) offer(quickFix(uri, li, sup.title, sup.edits, [d], false));
        offer({ title: `Show documentation for ${f.code}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: `Show documentation for ${f.code}`, command: Commands.openDocs, arguments: [docsUrl(f.code)] } });
      }
      // A diagnostic of an older version is normal while typing; said only when tracing (CI keeps it).
      if (timing && found < ours) process.stderr.write(`panos-guard timing: code action: ${ours - found} of ${ours} diagnostic(s) not among the ${s.findings.size} finding(s) of v${s.version}\n`);
    }
    if (wants(INSERT_RULE_SET_KIND)) {
      const rs = ruleSetFix(a);
      if (rs) out.push(quickFix(uri, li, rs.title, rs.edits, [], false, INSERT_RULE_SET_KIND));
    }
    return out;
  });

  /**
   * A hover from the last analysis when the document changed since but not where the hover points:
   * during a burst of typing it answers at once instead of waiting for a fresh analysis (which
   * follows within the debounce anyway). Undefined when the hovered text changed.
   */
  function hoverFromLast(uri: string, position: Position): Hover | null | undefined {
    const doc = documents.get(uri);
    const s = states.get(uri);
    const changes = documents.changesOf(uri);
    if (!doc || !s?.analysis || s.text === undefined || !changes || s.version === doc.version || s.analysis.opts.syntaxOnly) return undefined;
    const at = doc.offsetAt(position);
    const old = changes.toOld(at, at + 1);
    if (!old) return undefined;
    const h = hoverAt(s.analysis, old.start);
    if (!h) return null;
    const span = changes.toNew(h.span.start, h.span.end);
    if (!span) return undefined;
    return { contents: { kind: 'markdown', value: h.markdown }, range: { start: doc.positionAt(span.start), end: doc.positionAt(span.end) } };
  }

  connection.onHover(async (params) => {
    const quick = hoverFromLast(params.textDocument.uri, params.position);
    if (quick !== undefined) return quick;
    const cur = await current(params.textDocument.uri);
    if (!cur) return null;
    const h = hoverAt(cur.a, cur.li.offsetAt(params.position));
    if (!h) return null;
    return { contents: { kind: 'markdown', value: h.markdown }, range: cur.li.rangeOf(h.span) };
  });

  connection.onDocumentSymbol(async (params) => {
    const cur = await current(params.textDocument.uri);
    return cur ? documentSymbols(cur.a, cur.li) : [];
  });

  function definitionAt(a: Analysis, offset: number): Definition | undefined {
    const m = a.model;
    if (!m) return undefined;
    const at = locate(m, offset);
    if (!at) return undefined;
    if (at.kind === 'object') return at.def;
    if (at.kind === 'member') return resolveName(m, at.rule.rulebase.scope, at.field, at.member.value);
    if (at.kind === 'groupMember') return resolveName(m, at.group.scope, at.memberKind, at.member.value);
    return undefined;
  }

  connection.onDefinition(async (params) => {
    const cur = await current(params.textDocument.uri);
    if (!cur) return null;
    const d = definitionAt(cur.a, cur.li.offsetAt(params.position));
    return d ? { uri: params.textDocument.uri, range: cur.li.rangeOf(d.nameSpan) } : null;
  });

  connection.onReferences(async (params) => {
    const cur = await current(params.textDocument.uri);
    if (!cur || !cur.a.model) return [];
    const d = definitionAt(cur.a, cur.li.offsetAt(params.position));
    if (!d) return [];
    const refs = references(cur.a.model, d).map((r) => ({ uri: params.textDocument.uri, range: cur.li.rangeOf(r.span) }));
    if (params.context.includeDeclaration) refs.unshift({ uri: params.textDocument.uri, range: cur.li.rangeOf(d.nameSpan) });
    return refs;
  });

  connection.onCompletion(async (params) => {
    const cur = await current(params.textDocument.uri);
    if (!cur) return [];
    return completions(cur.a, cur.li.offsetAt(params.position));
  });

  connection.onCodeLens(async (params) => {
    const cur = await current(params.textDocument.uri);
    return cur ? codeLenses(cur.a, cur.li, params.textDocument.uri) : [];
  });

  connection.onRequest(FlowTableRequest, async (params: FlowTableParams): Promise<FlowTableResult | null> => {
    const cur = await current(params.uri);
    if (!cur) return null;
    const t = flowTable(cur.a, cur.li);
    return {
      uri: params.uri,
      contexts: t.contexts.map((c) => ({ id: c.id, label: c.label, because: c.because, inPath: c.inPath })),
      flows: t.flows.map((f) => ({ id: f.id, catalogId: f.catalogId, flow: f.flow, verdict: f.verdict, summary: f.summary, rule: f.rule, rulebase: f.rulebase, range: f.range, context: f.context })),
      skipped: t.skipped,
    };
  });

  connection.onRequest(EnvTemplateRequest, async (params: EnvTemplateParams): Promise<string> => {
    const cur = await current(params.uri);
    const found = cur?.a.model ? analyzeEnvironmentSummary(cur.a.model) : { panorama: [], logCollectors: [] };
    const tmpl = {
      $schema: 'https://raw.githubusercontent.com/panos-guard/panos-guard/main/server/src/core/env/env.schema.json',
      panorama: found.panorama.length ? found.panorama : ['10.10.10.5'],
      logCollectors: found.logCollectors,
      managedDevices: [],
      adminClients: [],
      features: {},
      zones: {},
      deviceGroups: [],
      rules: {},
    };
    return JSON.stringify(tmpl, null, 2) + '\n';
  });

  documents.listen(connection, {
    onOpen: (doc) => {
      // A re-open starts from scratch.
      states.delete(doc.uri);
      void validate(doc.uri);
    },
    onChange: (doc) => void schedule(doc.uri),
    onClose,
  });
  connection.listen();
}
