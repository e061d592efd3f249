/**
 * @fileoverview Deterministic, seeded fuzz harness over mutations of every corpus file and scenario
 * fixture (mutators.ts). `npm run fuzz -- --cases N --seed S` (defaults: 2000 cases, seed 1).
 *
 * Per case:
 * - no exception escapes analyze() (with fixes), nor the code-action helpers the server calls
 *   (suppressFix, ruleSetFix) nor the LSP conversion (toDiagnostic);
 * - no check failed inside (an "internal error" finding means a check threw and was caught);
 * - analyze() ends within a bound: 2 s below 1 MiB, 2 s per MiB above;
 * - every finding span, related span and fix edit span lies inside the document
 *   (integers, 0 <= start <= end <= length) and the edits of one fix do not overlap;
 * - XML: when the input is well-formed (fast-xml-parser's XMLValidator accepts it and no attribute
 *   value holds a raw '<', which that validator lets through), applying any offered fix (each
 *   alone) leaves it well-formed by the same test;
 * - UTF-16 with a BOM decodes (with the CLI's decoder) to exactly the original text.
 *
 * Cases run in a worker thread; the main thread is a watchdog: a case that runs past its bound
 * plus a grace period is a `hang` failure, the worker is terminated and a fresh one continues with
 * the next case. A worker that dies (out of memory: each has a 4 GB old-space limit) fails its case.
 *
 * Options: --cases N, --seed S, --case I (only case I; repeatable), --from I, --category NAME
 * (repeatable), --workers N (default 1), --json FILE (the report), --quiet.
 * Exit status 1 when any case failed.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLValidator } from 'fast-xml-parser';
import { analyze, type AnalyzeOptions } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { ruleSetFix } from '../../server/src/core/fixes';
import { applyEdits } from '../../server/src/core/fixes/apply';
import { suppressFix } from '../../server/src/core/fixes/suppress';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import type { Edit, Finding, Fix } from '../../server/src/core/findings';
import { LineIndex, type Span } from '../../server/src/core/text';
import { toDiagnostic } from '../../server/src/handlers/convert';
import { CORPUS, FIXTURES, corpusFiles } from '../helpers';
import { CATEGORIES, Rng, caseSeed, categoryByName, type Category, type Form, type Source } from './mutators';

// -------------------------------------------------------------------------------------------------
// Sources

export type FuzzSource = Source & { opts: AnalyzeOptions };

/** Every corpus file (as is, and half of the cases with a Panorama address given as on the CLI) and every scenario fixture with its env file. */
export function loadSources(): FuzzSource[] {
  const out: FuzzSource[] = [];
  const formOf = (text: string): Form => {
    const t = text.replace(/^\ufeff/, '').trimStart();
    if (t.startsWith('<')) return 'xml';
    return /^(set|delete|move)\s/m.test(t.slice(0, 65536)) ? 'set' : 'other';
  };
  for (const f of corpusFiles()) {
    const text = fs.readFileSync(f, 'utf8');
    out.push({ label: `corpus/${path.relative(CORPUS, f)}`, text, form: formOf(text), opts: {} });
  }
  const sc = path.join(FIXTURES, 'scenarios');
  for (const name of fs.readdirSync(sc).sort()) {
    const envPath = path.join(sc, name, '.panos-guard.json');
    const env = fs.existsSync(envPath) ? parseEnvFile(fs.readFileSync(envPath, 'utf8')).env : {};
    for (const form of ['xml', 'set'] as const) {
      const p = path.join(sc, name, `config.${form}`);
      if (fs.existsSync(p)) out.push({ label: `scenario/${name}/config.${form}`, text: fs.readFileSync(p, 'utf8'), form, opts: { env } });
    }
  }
  if (out.length === 0) throw new Error('no fuzz sources (corpus and fixtures missing?)');
  return out;
}

// -------------------------------------------------------------------------------------------------
// Case planning (main thread; deterministic)

export type CasePlan = { index: number; category: string; source: number; seed: number; cliPanorama: boolean };

function weightedPick(rng: Rng, cats: readonly Category[]): Category {
  const total = cats.reduce((n, c) => n + c.weight, 0);
  let x = rng.next() * total;
  for (const c of cats) {
    x -= c.weight;
    if (x < 0) return c;
  }
  return cats[cats.length - 1]!;
}

/**
 * Case i of a run: the first cases visit every category once (so even a short run covers all of
 * them), later ones pick a category by weight. The source is one of the category's forms.
 */
export function planCase(seed: number, index: number, sources: readonly FuzzSource[], only?: readonly Category[]): CasePlan {
  const rng = new Rng(caseSeed(seed, index));
  const pool = only && only.length ? only : CATEGORIES;
  const cat = index < pool.length ? pool[index]! : weightedPick(rng, pool);
  const fits = sources.map((s, i) => ({ s, i })).filter((x) => cat.forms.includes(x.s.form));
  const pick = rng.pick(fits.length ? fits : sources.map((s, i) => ({ s, i })));
  return { index, category: cat.name, source: pick.i, seed: rng.int(0x7fffffff), cliPanorama: pick.s.label.startsWith('corpus/') && rng.chance(0.5) };
}

// -------------------------------------------------------------------------------------------------
// One case (worker thread)

export type FailureKind =
  | 'exception'
  | 'code-action-exception'
  | 'internal-error'
  | 'timeout'
  | 'hang'
  | 'span'
  | 'fix-overlap'
  | 'fix-breaks-xml'
  | 'decode-mismatch'
  | 'worker-died';

export type Failure = { kind: FailureKind; detail: string };

export type CaseResult = {
  index: number;
  category: string;
  source: string;
  note: string;
  bytes: number;
  /** Time of analyze() alone. */
  ms: number;
  boundMs: number;
  findings: number;
  /** The input was XML and well-formed for XMLValidator (the fix property applies). */
  wellFormed: boolean;
  fixesChecked: number;
  failures: Failure[];
};

/** The time bound for an input of `bytes` UTF-16 code units: 2 s below 1 MiB, 2 s per MiB above. */
export function boundMs(bytes: number): number {
  return Math.max(2000, Math.ceil((2000 * bytes) / (1024 * 1024)));
}

function spanProblem(s: Span | undefined, len: number): string | undefined {
  if (!s) return 'missing span';
  const { start, end } = s;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return `non-integer span ${start}-${end}`;
  if (start < 0 || end < start || end > len) return `span ${start}-${end} outside 0-${len}`;
  return undefined;
}

/**
 * Well-formed XML for the fix property: fast-xml-parser's XMLValidator accepts it, and no attribute
 * value holds a '<' (XML 1.0 §3.1 AttValue forbids it; XMLValidator 5.12.1 lets it through, e.g.
 * `<entry name="<!--x">`, which made it call a document well-formed that no XML parser reads as
 * such — seed 1 case 6875).
 */
export function wellFormed(text: string): boolean {
  if (XMLValidator.validate(text) !== true) return false;
  return !ltInAttributeValue(text);
}

/** True if a start tag has a quoted attribute value containing '<' (comments, CDATA, PIs, DOCTYPE skipped). */
export function ltInAttributeValue(text: string): boolean {
  let p = 0;
  for (;;) {
    const lt = text.indexOf('<', p);
    if (lt < 0) return false;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      if (e < 0) return false;
      p = e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt + 9);
      if (e < 0) return false;
      p = e + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt) || text.startsWith('</', lt)) {
      const e = text.indexOf('>', lt + 2);
      if (e < 0) return false;
      p = e + 1;
      continue;
    }
    // A start tag: walk to its '>' outside quotes.
    let q = 0;
    let i = lt + 1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (q) {
        if (c === q) q = 0;
        else if (c === 60) return true;
      } else if (c === 34 || c === 39) q = c;
      else if (c === 62) break;
    }
    p = i + 1;
    if (i >= text.length) return false;
  }
}

/** Two edits of one fix overlap (inserts at the same offset are allowed; VS Code rejects the rest). */
function overlapping(edits: Edit[]): string | undefined {
  const s = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let i = 1; i < s.length; i++) {
    const p = s[i - 1]!;
    const c = s[i]!;
    if (c.span.start < p.span.end) return `edits ${p.span.start}-${p.span.end} and ${c.span.start}-${c.span.end} overlap`;
  }
  return undefined;
}

export type PhaseInfo = { bytes: number; note: string };

/**
 * Applying a fix and re-validating the result costs a pass over the whole text, so a case that
 * offers a fix per rule on a 100,000-rule file would spend hours here (the product's own time is
 * measured in the analyze phase). Above this many distinct fixes, a deterministic sample is
 * checked: every kind of fix (finding code, suppress, rule set) at least once, the rest spread
 * evenly over the document.
 */
export const MAX_CHECKED_FIXES = 200;

/** At most MAX_CHECKED_FIXES, and at most about 100 MB of text re-validated per case. */
export function maxCheckedFixes(len: number): number {
  return Math.max(20, Math.min(MAX_CHECKED_FIXES, Math.floor(100_000_000 / Math.max(1, len))));
}

export function sampleFixes<T extends { from: string }>(all: readonly T[], max: number): T[] {
  if (all.length <= max) return [...all];
  const picked = new Set<number>();
  const kinds = new Set<string>();
  all.forEach((o, i) => {
    if (!kinds.has(o.from)) {
      kinds.add(o.from);
      picked.add(i);
    }
  });
  const rest = Math.max(0, max - picked.size);
  for (let k = 0; k < rest; k++) picked.add(Math.floor((k * all.length) / rest));
  return [...picked].sort((a, b) => a - b).map((i) => all[i]!);
}

export function runCase(plan: CasePlan, sources: readonly FuzzSource[], phase: (name: string, limitMs: number, info?: PhaseInfo) => void = () => undefined): CaseResult {
  const src = sources[plan.source]!;
  const cat = categoryByName(plan.category);
  phase('generate', 60_000);
  const m = cat.apply(src, new Rng(plan.seed));
  const text = m.text;
  const opts: AnalyzeOptions = plan.cliPanorama ? { ...src.opts, cli: { panorama: ['192.0.2.50'] } } : { ...src.opts };
  const res: CaseResult = {
    index: plan.index,
    category: plan.category,
    source: src.label + (plan.cliPanorama ? ' --panorama 192.0.2.50' : ''),
    note: m.note,
    bytes: text.length,
    ms: 0,
    boundMs: boundMs(text.length),
    findings: 0,
    wellFormed: false,
    fixesChecked: 0,
    failures: [],
  };
  const fail = (kind: FailureKind, detail: string): void => {
    if (res.failures.length < 20) res.failures.push({ kind, detail });
  };
  if (m.expectDecoded !== undefined && m.text !== m.expectDecoded) fail('decode-mismatch', `decoded text differs from the original (${m.text.length} vs ${m.expectDecoded.length} chars)`);

  phase('analyze', res.boundMs, { bytes: text.length, note: m.note });
  const t0 = performance.now();
  let a: ReturnType<typeof analyze>;
  try {
    a = analyze(text, opts);
  } catch (e) {
    res.ms = performance.now() - t0;
    fail('exception', (e as Error).stack ?? String(e));
    return res;
  }
  res.ms = performance.now() - t0;
  if (res.ms > res.boundMs) fail('timeout', `analyze took ${res.ms.toFixed(0)} ms for ${text.length} chars (bound ${res.boundMs} ms)`);
  res.findings = a.findings.length;

  phase('check', 120_000);
  const len = text.length;
  // Everything the server offers: per-finding fixes, the suppress fix, the rule-set source action.
  const offered: { fix: Fix; from: string }[] = [];
  for (const f of a.findings) {
    const p = spanProblem(f.span, len);
    if (p) fail('span', `${f.code} finding: ${p} (${f.message.slice(0, 80)})`);
    for (const r of f.related ?? []) {
      const q = spanProblem(r.span, len);
      if (q) fail('span', `${f.code} related: ${q}`);
    }
    if (f.message.startsWith('panos-guard internal error')) fail('internal-error', f.message);
    for (const x of f.fixes ?? []) offered.push({ fix: x, from: f.code });
    try {
      const s = suppressFix(a, f);
      if (s) offered.push({ fix: s, from: `${f.code} suppress` });
    } catch (e) {
      fail('code-action-exception', `suppressFix(${f.code}): ${(e as Error).stack ?? e}`);
    }
  }
  try {
    const rs = ruleSetFix(a);
    if (rs) offered.push({ fix: rs, from: 'insert-rule-set' });
  } catch (e) {
    fail('code-action-exception', `ruleSetFix: ${(e as Error).stack ?? e}`);
  }
  try {
    const li = new LineIndex(text);
    for (const f of a.findings) toDiagnostic('file:///fuzz.xml', li, f as Finding, 1);
  } catch (e) {
    fail('code-action-exception', `toDiagnostic: ${(e as Error).stack ?? e}`);
  }
  const seen = new Set<string>();
  const unique: { fix: Fix; from: string }[] = [];
  for (const o of offered) {
    for (const e of o.fix.edits) {
      const p = spanProblem(e.span, len);
      if (p) fail('span', `${o.from} fix '${o.fix.title.slice(0, 60)}' edit: ${p}`);
    }
    const ov = overlapping(o.fix.edits);
    if (ov) fail('fix-overlap', `${o.from} fix '${o.fix.title.slice(0, 60)}': ${ov}`);
    const key = JSON.stringify(o.fix.edits);
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(o);
    }
  }
  if (a.doc.format === 'xml') {
    res.wellFormed = wellFormed(text);
    if (res.wellFormed) {
      for (const o of sampleFixes(unique, maxCheckedFixes(len))) {
        const out = applyEdits(text, o.fix.edits).text;
        res.fixesChecked++;
        const v = XMLValidator.validate(out);
        if (v !== true) fail('fix-breaks-xml', `${o.from} fix '${o.fix.title.slice(0, 80)}' makes the XML ill-formed: ${JSON.stringify(v).slice(0, 200)}`);
        else if (ltInAttributeValue(out)) fail('fix-breaks-xml', `${o.from} fix '${o.fix.title.slice(0, 80)}' writes a '<' inside an attribute value`);
      }
    }
  }
  return res;
}

// -------------------------------------------------------------------------------------------------
// Worker

type ToWorker = { plan: CasePlan } | { stop: true };
type FromWorker = { type: 'phase'; index: number; phase: string; limitMs: number; info?: PhaseInfo } | { type: 'done'; result: CaseResult } | { type: 'ready' };

if (!isMainThread && (workerData as { fuzzWorker?: boolean } | undefined)?.fuzzWorker) {
  const sources = loadSources();
  const port = parentPort!;
  port.on('message', (msg: ToWorker) => {
    if ('stop' in msg) {
      port.close();
      return;
    }
    const result = runCase(msg.plan, sources, (phase, limitMs, info) => port.postMessage({ type: 'phase', index: msg.plan.index, phase, limitMs, ...(info ? { info } : {}) } satisfies FromWorker));
    port.postMessage({ type: 'done', result } satisfies FromWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

// -------------------------------------------------------------------------------------------------
// Main: scheduling, watchdog, report

export type CategoryStats = { cases: number; failed: number; wellFormed: number; fixesChecked: number; findings: number; ms: number; maxMs: number; maxBytes: number };

export type FuzzReport = {
  seed: number;
  cases: number;
  wallMs: number;
  categories: Record<string, CategoryStats>;
  failures: (Failure & { index: number; category: string; source: string; note: string; bytes: number; ms: number })[];
  results: CaseResult[];
};

export type FuzzOptions = {
  cases: number;
  seed: number;
  /** Run only these case indices (reproduction). */
  only?: number[];
  from?: number;
  categories?: string[];
  workers?: number;
  /** Extra time past a case's bound before the watchdog kills it (default 3 s). */
  graceMs?: number;
  log?: (line: string) => void;
  /** Keep every CaseResult in the report (the test does; the CLI only keeps failures). */
  keepResults?: boolean;
};

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const sources = loadSources();
  const only = o.categories?.map(categoryByName);
  const from = o.from ?? 0;
  const indices = o.only ?? Array.from({ length: o.cases }, (_, k) => from + k);
  const plans = indices.map((i) => planCase(o.seed, i, sources, only));
  const report: FuzzReport = { seed: o.seed, cases: plans.length, wallMs: 0, categories: {}, failures: [], results: [] };
  for (const c of only ?? CATEGORIES) report.categories[c.name] = { cases: 0, failed: 0, wellFormed: 0, fixesChecked: 0, findings: 0, ms: 0, maxMs: 0, maxBytes: 0 };
  const grace = o.graceMs ?? 3000;
  let next = 0;
  let done = 0;
  const record = (r: CaseResult): void => {
    const s = (report.categories[r.category] ??= { cases: 0, failed: 0, wellFormed: 0, fixesChecked: 0, findings: 0, ms: 0, maxMs: 0, maxBytes: 0 });
    s.cases++;
    s.findings += r.findings;
    s.ms += r.ms;
    s.maxMs = Math.max(s.maxMs, r.ms);
    s.maxBytes = Math.max(s.maxBytes, r.bytes);
    if (r.wellFormed) s.wellFormed++;
    s.fixesChecked += r.fixesChecked;
    if (r.failures.length) {
      s.failed++;
      for (const f of r.failures) report.failures.push({ ...f, index: r.index, category: r.category, source: r.source, note: r.note, bytes: r.bytes, ms: r.ms });
      o.log?.(`FAIL case ${r.index} [${r.category}] ${r.source} (${r.note.slice(0, 120)}): ${r.failures.map((f) => `${f.kind}: ${f.detail.split('\n')[0]!.slice(0, 300)}`).join(' | ')}  -- reproduce: npm run fuzz -- --seed ${o.seed} --case ${r.index}`);
    }
    if (o.keepResults) report.results.push(r);
    done++;
    if (done % 500 === 0) o.log?.(`${done}/${plans.length} cases, ${report.failures.length} failure(s), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  };

  const workerCount = Math.max(1, Math.min(o.workers ?? 1, plans.length));
  const runWorker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let w: Worker;
      let current: CasePlan | undefined;
      let phaseName = '';
      let timer: NodeJS.Timeout | undefined;
      let phaseStart = 0;
      let info: PhaseInfo = { bytes: -1, note: '' };
      const arm = (limitMs: number): void => {
        if (timer) clearTimeout(timer);
        phaseStart = performance.now();
        timer = setTimeout(() => {
          const plan = current!;
          const sourceLabel = sources[plan.source]!.label;
          record({ index: plan.index, category: plan.category, source: sourceLabel + (plan.cliPanorama ? ' --panorama 192.0.2.50' : ''), note: info.note, bytes: info.bytes, ms: performance.now() - phaseStart, boundMs: limitMs, findings: 0, wellFormed: false, fixesChecked: 0, failures: [{ kind: 'hang', detail: `phase '${phaseName}' still running after ${(limitMs + grace).toFixed(0)} ms (bound ${limitMs} ms + ${grace} ms grace); worker terminated` }] });
          current = undefined;
          void w.terminate();
        }, limitMs + grace);
      };
      const feed = (): void => {
        if (next >= plans.length) {
          current = undefined;
          w.postMessage({ stop: true } satisfies ToWorker);
          return;
        }
        current = plans[next++]!;
        phaseName = 'queued';
        info = { bytes: -1, note: '' };
        arm(60_000);
        w.postMessage({ plan: current } satisfies ToWorker);
      };
      const start = (): void => {
        w = new Worker(__filename, { workerData: { fuzzWorker: true }, resourceLimits: { maxOldGenerationSizeMb: 4096, stackSizeMb: 4 } });
        w.on('message', (msg: FromWorker) => {
          if (msg.type === 'ready') feed();
          else if (msg.type === 'phase') {
            phaseName = msg.phase;
            if (msg.info) info = msg.info;
            arm(msg.limitMs);
          } else if (msg.type === 'done') {
            if (timer) clearTimeout(timer);
            current = undefined;
            record(msg.result);
            feed();
          }
        });
        w.on('error', (e) => {
          if (timer) clearTimeout(timer);
          if (current) {
            const plan = current;
            record({ index: plan.index, category: plan.category, source: sources[plan.source]!.label, note: info.note, bytes: info.bytes, ms: 0, boundMs: 0, findings: 0, wellFormed: false, fixesChecked: 0, failures: [{ kind: 'worker-died', detail: `${(e as Error).message} (phase ${phaseName})` }] });
            current = undefined;
          }
        });
        w.on('exit', () => {
          if (timer) clearTimeout(timer);
          if (current) {
            const plan = current;
            record({ index: plan.index, category: plan.category, source: sources[plan.source]!.label, note: info.note, bytes: info.bytes, ms: 0, boundMs: 0, findings: 0, wellFormed: false, fixesChecked: 0, failures: [{ kind: 'worker-died', detail: `worker exited during phase ${phaseName}` }] });
            current = undefined;
          }
          if (next < plans.length) start();
          else resolve();
        });
      };
      start();
    });
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  report.wallMs = performance.now() - t0;
  report.results.sort((a, b) => a.index - b.index);
  report.failures.sort((a, b) => a.index - b.index);
  return report;
}

/** The per-category table printed by the CLI and pasted into docs/reliability.md. */
export function formatReport(r: FuzzReport): string {
  const rows = Object.entries(r.categories).filter(([, s]) => s.cases > 0);
  const lines = [
    `seed ${r.seed}: ${r.cases} cases in ${(r.wallMs / 1000).toFixed(1)} s (${(r.cases / (r.wallMs / 1000)).toFixed(1)} cases/s), ${r.failures.length} failure(s) in ${rows.reduce((n, [, s]) => n + s.failed, 0)} case(s)`,
    '',
    '| category | cases | failed | well-formed XML | fixes checked | findings | mean ms | max ms | max size |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(([n, s]) => `| ${n} | ${s.cases} | ${s.failed} | ${s.wellFormed} | ${s.fixesChecked} | ${s.findings} | ${(s.ms / s.cases).toFixed(1)} | ${s.maxMs.toFixed(0)} | ${s.maxBytes >= 1048576 ? `${(s.maxBytes / 1048576).toFixed(1)} M` : `${Math.ceil(s.maxBytes / 1024)} K`} |`),
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const o: FuzzOptions = { cases: 2000, seed: 1, log: (l) => process.stdout.write(l + '\n') };
  let json: string | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--cases') o.cases = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--case') (o.only ??= []).push(Number(val()));
    else if (a === '--from') o.from = Number(val());
    else if (a === '--category') (o.categories ??= []).push(val());
    else if (a === '--workers') o.workers = Number(val());
    else if (a === '--grace') o.graceMs = Number(val());
    else if (a === '--json') json = val();
    else if (a === '--quiet') quiet = true;
    else throw new Error(`unknown option ${a} (--cases N --seed S --case I --from I --category NAME --workers N --json FILE --quiet)`);
  }
  if (!Number.isInteger(o.cases) || o.cases < 0 || !Number.isInteger(o.seed)) throw new Error('--cases and --seed take integers');
  if (quiet) o.log = (l) => (l.startsWith('FAIL') ? process.stdout.write(l + '\n') : undefined);
  const r = await runFuzz(o);
  process.stdout.write(formatReport(r) + '\n');
  if (json) fs.writeFileSync(json, JSON.stringify({ ...r, results: undefined }, null, 2));
  return r.failures.length > 0 ? 1 : 0;
}

if (isMainThread && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`fuzz: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
