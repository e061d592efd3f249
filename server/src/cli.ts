/**
 * @fileoverview The `panos-guard` command line: inspect, lint, flows, generate. A thin front on
 * the analysis core; exit 0 = no error finding, 1 = an error finding, 2 = usage or unreadable file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from './core/analyze';
import { metaOf } from './core/checks/registry';
import { docsUrl } from './core/checks/types';
import { parseEnvFile, type EnvFile } from './core/env/envFile';
import type { Finding } from './core/findings';
import { inspectModel } from './core/inspect';
import { LineIndex } from './core/text';
import { flowTable } from './core/policy/table';
import { decode, encode, findEnvFile, readConfigFile } from './io';
import { unifiedDiff } from './core/fixes/apply';
import { fixAll } from './core/fixes/fixAll';
import { generateRuleSet } from './core/fixes/generate';
import './core/fixes';
import { VERSION } from './version';

class UsageError extends Error {}

type Opts = {
  command: string;
  files: string[];
  format: string | undefined;
  env: string | undefined;
  panorama: string[];
  logCollectors: string[];
  fix: boolean;
  unsafeFixes: boolean;
  fixDryRun: boolean;
  deviceGroup: string | undefined;
  kind: string | undefined;
  color: boolean;
};

const USAGE = `Usage: panos-guard <command> [options] FILE…

Commands:
  inspect FILE…          what panos-guard understood: kind, version, device groups, rulebases, objects
  lint FILE…             findings: blocked and overbroad Panorama/Log Collector rules, syntax errors
  flows FILE…            every required Panorama/Log Collector flow with its verdict and deciding rule
  generate               print the catalog-derived Panorama rule set for pasting

Options:
  --format FMT           inspect/flows: text|json; lint: text|json|sarif; generate: xml|set
  --env FILE             environment file (default: .panos-guard.json next to the config or above)
  --panorama IP          a Panorama address (repeatable)
  --log-collector IP     a Log Collector address (repeatable)
  --fix                  lint: apply the fixes that only add (objects, allow rules, deny rule)
  --unsafe-fixes         lint --fix: also apply fixes that change existing rules
  --fix-dry-run          lint: print the fixes as a unified diff, change nothing
  --device-group DG      generate: write the rules for this device group (Panorama set form)
  --kind firewall|panorama  generate: the target config kind (default firewall)
  -h, --help             this help
  -v, --version          the version

Exit status: 0 no error-severity finding, 1 at least one, 2 usage error or unreadable file.`;

function parseArgs(argv: string[]): Opts {
  const o: Opts = { command: '', files: [], format: undefined, env: undefined, panorama: [], logCollectors: [], fix: false, unsafeFixes: false, fixDryRun: false, deviceGroup: undefined, kind: undefined, color: false };
  const need = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const val = (name: string): string => (inline !== undefined ? inline : need(++i, name));
    switch (flag) {
      case '--format':
        o.format = val('--format');
        break;
      case '--env':
        o.env = val('--env');
        break;
      case '--panorama':
        o.panorama.push(val('--panorama'));
        break;
      case '--log-collector':
        o.logCollectors.push(val('--log-collector'));
        break;
      case '--device-group':
        o.deviceGroup = val('--device-group');
        break;
      case '--kind':
        o.kind = val('--kind');
        break;
      case '--fix':
        o.fix = true;
        break;
      case '--unsafe-fixes':
        o.unsafeFixes = true;
        break;
      case '--fix-dry-run':
        o.fixDryRun = true;
        break;
      case '--color':
        o.color = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (!o.command) o.command = a;
        else o.files.push(a);
    }
  }
  return o;
}

type Loaded = { file: string; text: string; encoding: 'utf8' | 'utf16le' | 'utf16be'; mtimeMs: number; envFile: EnvFile };

function loadEnv(o: Opts, configFile: string | undefined): EnvFile {
  const envPath = o.env ?? (configFile ? findEnvFile(configFile) : undefined);
  if (!envPath) return {};
  let text: string;
  try {
    text = decode(fs.readFileSync(envPath)).text;
  } catch (e) {
    throw new UsageError(`cannot read environment file ${envPath}: ${(e as Error).message}`);
  }
  const { env, problems } = parseEnvFile(text);
  if (problems.length > 0) {
    // One line: the first problem with its position, and how many more there are.
    const li = new LineIndex(text);
    const first = problems[0]!;
    const pos = li.positionAt(first.span.start);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new UsageError(`invalid environment file ${envPath}:${pos.line + 1}:${pos.character + 1}: ${first.message}${more}`);
  }
  return env;
}

function load(o: Opts, file: string): Loaded {
  const r = readConfigFile(file);
  return { file, text: r.text, encoding: r.encoding, mtimeMs: r.mtimeMs, envFile: loadEnv(o, file) };
}

function run(o: Opts, l: Loaded, fixes = false): Analysis {
  return analyze(l.text, { env: l.envFile, cli: { panorama: o.panorama, logCollectors: o.logCollectors }, fixes });
}

function jsonDiag(li: LineIndex, f: Finding): Record<string, unknown> {
  const d: Record<string, unknown> = { code: f.code, category: f.category, severity: f.severity, message: f.message, range: li.rangeOf(f.span) };
  if (f.rule !== undefined) d.rule = f.rule;
  if (f.rulebase !== undefined) d.rulebase = f.rulebase;
  if (f.catalogId !== undefined) d.catalogId = f.catalogId;
  if (f.related && f.related.length > 0) d.related = f.related.map((r) => ({ message: r.message, range: li.rangeOf(r.span) }));
  if (f.fixes && f.fixes.length > 0) d.fixes = f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => ({ range: li.rangeOf(e.span), newText: e.newText })) }));
  return d;
}

function sarif(results: { file: string; li: LineIndex; a: Analysis }[]): unknown {
  const codes = new Set<string>();
  for (const r of results) for (const f of r.a.findings) codes.add(f.code);
  const rules = [...codes].sort().map((c) => {
    const m = metaOf(c);
    return { id: c, name: m?.title ?? c, shortDescription: { text: m?.title ?? c }, helpUri: docsUrl(c), defaultConfiguration: { level: level(m?.severity ?? 'warning') } };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'panos-guard', version: VERSION, informationUri: 'https://github.com/panos-guard/panos-guard', rules } },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.a.findings.map((f) => {
            const rg = r.li.rangeOf(f.span);
            const loc = (rr: typeof rg): unknown => ({
              physicalLocation: {
                artifactLocation: { uri: r.file.split(path.sep).join('/') },
                region: { startLine: rr.start.line + 1, startColumn: rr.start.character + 1, endLine: rr.end.line + 1, endColumn: rr.end.character + 1 },
              },
            });
            const res: Record<string, unknown> = { ruleId: f.code, level: level(f.severity), message: { text: f.message }, locations: [loc(rg)] };
            if (f.related?.length) res.relatedLocations = f.related.map((x, i) => ({ id: i, message: { text: x.message }, ...(loc(r.li.rangeOf(x.span)) as object) }));
            return res;
          }),
        ),
      },
    ],
  };
}

function level(s: string): string {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function textFinding(file: string, li: LineIndex, f: Finding): string {
  const p = li.positionAt(f.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code} ${f.message}`;
}

function cmdLint(o: Opts, out: (s: string) => void): number {
  const fmt = o.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(fmt)) throw new UsageError(`lint --format must be text, json or sarif (not ${fmt})`);
  if (o.files.length === 0) throw new UsageError('lint needs at least one FILE');
  const results: { file: string; li: LineIndex; a: Analysis; l: Loaded }[] = [];
  for (const file of o.files) {
    const l = load(o, file);
    // Fixes are computed only for the JSON output, which lists them.
    results.push({ file, li: new LineIndex(l.text), a: run(o, l, fmt === 'json' && !o.fix && !o.fixDryRun), l });
  }
  if (o.fix || o.fixDryRun) return applyFixes(o, results, out);
  let errors = 0;
  for (const r of results) errors += r.a.findings.filter((f) => f.severity === 'error').length;
  if (fmt === 'json') {
    out(JSON.stringify({ version: 1, files: results.map((r) => ({ path: r.file, format: r.a.doc.format, diagnostics: r.a.findings.map((f) => jsonDiag(r.li, f)) })) }, null, 2));
  } else if (fmt === 'sarif') {
    out(JSON.stringify(sarif(results), null, 2));
  } else {
    let total = 0;
    for (const r of results) {
      for (const f of r.a.findings) {
        out(textFinding(r.file, r.li, f));
        total++;
      }
    }
    const counts = (['error', 'warning', 'information', 'hint'] as const).map((s) => [s, results.reduce((n, r) => n + r.a.findings.filter((f) => f.severity === s).length, 0)] as const).filter(([, n]) => n > 0);
    out(total === 0 ? `No findings in ${o.files.length} file(s).` : `${total} finding(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.`);
  }
  return errors > 0 ? 1 : 0;
}

function applyFixes(o: Opts, results: { file: string; li: LineIndex; a: Analysis; l: Loaded }[], out: (s: string) => void): number {
  let failed = false;
  for (const r of results) {
    const fixed = fixAll(r.l.text, { env: r.l.envFile, cli: { panorama: o.panorama, logCollectors: o.logCollectors } }, o.unsafeFixes);
    if (fixed.text === r.l.text) {
      out(`${r.file}: nothing to fix`);
      continue;
    }
    if (o.fixDryRun) {
      out(unifiedDiff(r.file, r.l.text, fixed.text));
      continue;
    }
    // Refuse to overwrite a file that changed since it was read; write atomically.
    try {
      const now = fs.statSync(r.file);
      if (now.mtimeMs !== r.l.mtimeMs || decode(fs.readFileSync(r.file)).text !== r.l.text) throw new Error('the file changed since it was read');
      fs.accessSync(r.file, fs.constants.W_OK);
      // Root passes access(W_OK) on a read-only file: honour the mode bits the user set.
      if ((now.mode & 0o222) === 0) throw new Error('the file is read-only');
      const tmp = path.join(path.dirname(r.file), `.${path.basename(r.file)}.panos-guard-${process.pid}.tmp`);
      try {
        fs.writeFileSync(tmp, encode(fixed.text, r.l.encoding), { mode: now.mode });
        fs.renameSync(tmp, r.file);
      } catch (e) {
        try {
          fs.unlinkSync(tmp);
        } catch {
          // The temp file may not exist; the original is untouched either way.
        }
        throw e;
      }
      out(`${r.file}: applied ${fixed.applied} fix(es) in ${fixed.passes} pass(es)`);
    } catch (e) {
      warn(`panos-guard: not writing ${r.file}: ${(e as Error).message}`);
      failed = true;
    }
  }
  if (failed) return 2;
  // Like eslint: what remains after fixing decides the exit status.
  let errors = 0;
  for (const r of results) {
    const text = o.fixDryRun ? r.l.text : decode(fs.readFileSync(r.file)).text;
    errors += analyzeText(o, r.l, text).findings.filter((f) => f.severity === 'error').length;
  }
  return errors > 0 ? 1 : 0;
}

function analyzeText(o: Opts, l: Loaded, text: string): Analysis {
  return analyze(text, { env: l.envFile, cli: { panorama: o.panorama, logCollectors: o.logCollectors } });
}

function cmdInspect(o: Opts, out: (s: string) => void): number {
  const fmt = o.format ?? 'text';
  if (!['text', 'json'].includes(fmt)) throw new UsageError(`inspect --format must be text or json (not ${fmt})`);
  if (o.files.length === 0) throw new UsageError('inspect needs at least one FILE');
  const all: unknown[] = [];
  for (const file of o.files) {
    const l = load(o, file);
    const a = run(o, l);
    const syntax = a.doc.errors.length;
    if (!a.model) {
      all.push({ path: file, format: a.doc.format, error: 'not a PAN-OS configuration (XML <config> or set commands)' });
      continue;
    }
    const ins = { path: file, ...inspectModel(a.model), syntaxErrors: syntax };
    all.push(ins);
  }
  if (fmt === 'json') {
    out(JSON.stringify(all.length === 1 ? all[0] : all, null, 2));
    return 0;
  }
  for (const i of all as Record<string, unknown>[]) {
    if (i.error) {
      out(`${i.path}: ${i.error}`);
      continue;
    }
    const x = i as unknown as ReturnType<typeof inspectModel> & { path: string; syntaxErrors: number };
    out(`${x.path}`);
    out(`  format: ${x.format}   kind: ${x.kind}   version: ${x.version ?? 'unknown'}${x.detailVersion ? ` (${x.detailVersion})` : ''}   syntax errors: ${x.syntaxErrors}`);
    if (x.hostname || x.managementIp) out(`  hostname: ${x.hostname ?? '-'}   management IP: ${x.managementIp ?? '-'}`);
    out(`  Panorama: ${x.panorama.join(', ') || '-'}   Log Collectors: ${x.logCollectors.join(', ') || '-'}`);
    if (x.deviceGroups.length) out(`  device groups: ${x.deviceGroups.map((d) => (d.parent ? `${d.name} (parent ${d.parent})` : d.name)).join(', ')}`);
    if (x.templates.length) out(`  templates: ${x.templates.map((t) => `${t.name}${t.kind === 'template-stack' ? ' (stack)' : ''}`).join(', ')}`);
    for (const rb of x.rulebases) out(`  ${rb.location}: ${rb.rules.length} security rule(s)${rb.rules.length ? ': ' + rb.rules.map((n) => JSON.stringify(n)).join(', ') : ''}`);
    out(`  objects: ${Object.entries(x.objects).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
  }
  return 0;
}

function cmdFlows(o: Opts, out: (s: string) => void): number {
  const fmt = o.format ?? 'text';
  if (!['text', 'json'].includes(fmt)) throw new UsageError(`flows --format must be text or json (not ${fmt})`);
  if (o.files.length === 0) throw new UsageError('flows needs at least one FILE');
  const all = [];
  for (const file of o.files) {
    const l = load(o, file);
    const a = run(o, l);
    const li = new LineIndex(l.text);
    all.push({ path: file, ...flowTable(a, li) });
  }
  if (fmt === 'json') {
    out(JSON.stringify(all.length === 1 ? all[0] : all, null, 2));
    return 0;
  }
  for (const t of all) {
    out(`${t.path}`);
    for (const c of t.contexts) out(`  evaluated: ${c.label}${c.inPath ? '' : ' (not in Panorama\'s path: no findings)'} — ${c.because}`);
    if (t.contexts.length === 0) out('  no Panorama or Log Collector address known: no flows to evaluate (use --panorama or .panos-guard.json)');
    for (const f of t.flows) {
      out(`  ${f.verdict.toUpperCase().padEnd(12)} ${f.flow}`);
      out(`  ${''.padEnd(12)} ${f.summary}${f.context && t.contexts.length > 1 ? ` [${f.context}]` : ''}`);
    }
    if (t.skipped.length) out(`  not required here: ${t.skipped.map((s) => `${s.id} (${s.why})`).join('; ')}`);
  }
  return 0;
}

function cmdGenerate(o: Opts, out: (s: string) => void): number {
  const fmt = o.format ?? 'xml';
  if (fmt !== 'xml' && fmt !== 'set') throw new UsageError(`generate --format must be xml or set (not ${fmt})`);
  const kind = o.kind ?? (o.deviceGroup ? 'panorama' : 'firewall');
  if (kind !== 'firewall' && kind !== 'panorama') throw new UsageError('--kind must be firewall or panorama');
  const envFile = loadEnv(o, o.files[0]);
  const text = generateRuleSet({ format: fmt, kind, deviceGroup: o.deviceGroup, env: envFile, cli: { panorama: o.panorama, logCollectors: o.logCollectors } });
  out(text.replace(/\n$/, ''));
  return 0;
}

/**
 * Standard output in chunks: a lint of a large file prints thousands of lines, and a write per line
 * (a system call each) was a tenth of the run. Flushed before anything goes to standard error, so
 * that the two keep their order on a terminal.
 */
const stdoutLines = {
  buf: [] as string[],
  size: 0,
  line(s: string): void {
    this.buf.push(s);
    this.size += s.length + 1;
    if (this.size > 1 << 16) this.flush();
  },
  flush(): void {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    process.stdout.write(chunk);
  },
};

/** A line to standard error (after what standard output holds so far). */
function warn(s: string): void {
  stdoutLines.flush();
  process.stderr.write(s + '\n');
}

/** Runs the CLI; returns the exit code. `out` receives stdout lines (by default, chunked to standard output). */
export function main(argv: string[], out?: (s: string) => void): number {
  if (out) return dispatch(argv, out);
  try {
    return dispatch(argv, (s) => stdoutLines.line(s));
  } finally {
    stdoutLines.flush();
  }
}

function dispatch(argv: string[], out: (s: string) => void): number {
  let o: Opts;
  try {
    if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
      out(USAGE);
      return 0;
    }
    if (argv.includes('-v') || argv.includes('--version')) {
      out(VERSION);
      return 0;
    }
    o = parseArgs(argv);
    switch (o.command) {
      case 'lint':
        return cmdLint(o, out);
      case 'inspect':
        return cmdInspect(o, out);
      case 'flows':
        return cmdFlows(o, out);
      case 'generate':
        return cmdGenerate(o, out);
      case '':
        throw new UsageError('missing command (inspect, lint, flows or generate)');
      default:
        throw new UsageError(`unknown command '${o.command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && e.message.startsWith('cannot read'))) {
      warn(`panos-guard: ${e.message}`);
      return 2;
    }
    warn(`panos-guard: internal error: ${(e as Error).message}`);
    return 2;
  }
}
