/**
 * @fileoverview The examples on the rule pages (docs/rules/*.md) are what the current code prints.
 *
 * Each page's example is rebuilt here: a scenario fixture, a variant of fw-tight written with the spec
 * builder (test/scenarios/spec.ts), or the small config the page shows in full. The CLI (`main` of
 * server/src/cli.ts, in process) is run on it, and the page is checked against that run:
 *
 * - a fenced block that starts with `$ panos-guard lint …` (or `$ node bin/panos-guard.js lint …`) is,
 *   line for line, the output of that command for one of the page's examples;
 * - every other quoted lint line (`<file>:<line>:<col>: <severity> PANOxxx <message>`) is a line of that
 *   output, and every `<file>:<line>:<col>` in the prose is the position of a finding;
 * - every fix title quoted in the prose ("Insert …", "Replace …", …) is the title of a fix offered there;
 * - every line of a code block is a line of an example, of an example with one fix applied, or one of the
 *   few hand-written suggestions listed in ADVICE; XML blocks appear as a whole (lines trimmed; a line
 *   `…` stands for omitted lines);
 * - the metadata line's `Fix:` agrees with the fixes the examples get (none / first one safe / all review);
 * - PANO090's list of editor diagnostics is what parseEnvFile reports for the page's environment file.
 *
 * Independently of the examples, every lint line on every page must carry a severity, code and message
 * that the code produces for some example, fixture or bundled example.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { metaOf } from '../../server/src/core/checks/registry';
import { parseEnvFile } from '../../server/src/core/env/envFile';
import { applyEdits } from '../../server/src/core/fixes/apply';
import { LineIndex, type Range } from '../../server/src/core/text';
import type { RuleDraft } from '../../server/src/core/fixes/render';
import { FIXTURES, ROOT } from '../helpers';
import { scenarios } from '../scenarios/scenarios';
import { toSet, toXml, type FirewallSpec } from '../scenarios/spec';

const RULES_DIR = path.join(ROOT, 'docs', 'rules');
const LINT_LINE = /^(\S+):(\d+):(\d+): (error|warning|information|hint) (PANO\d{3}) (.*)$/;
const TITLE_VERBS = /^(Insert|Add|Use|Replace|Remove|Attach|Set|Suppress) /;

// ---------------------------------------------------------------------------------------------
// Pages

type Block = { lang: string; lines: string[]; line: number };

function readPage(code: string): string {
  return fs.readFileSync(path.join(RULES_DIR, `${code}.md`), 'utf8');
}

/** Fenced code blocks, with the 1-based line of their opening fence. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let cur: Block | undefined;
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /^```(\w*)\s*$/.exec(l);
    if (m && !cur) cur = { lang: m[1]!, lines: [], line: i + 1 };
    else if (m && cur) {
      out.push(cur);
      cur = undefined;
    } else if (cur) cur.lines.push(l);
  });
  return out;
}

/** The text outside fenced blocks, line breaks folded into spaces (quotes wrap across lines). */
function proseOf(text: string): string {
  let inFence = false;
  const kept: string[] = [];
  for (const l of text.split(/\r?\n/)) {
    if (/^```/.test(l)) inFence = !inFence;
    else if (!inFence) kept.push(l.trim());
  }
  return kept.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Examples

/**
 * One example: a folder with config file(s) and its .panos-guard.json. `base` is the folder that paths in
 * the output are shown relative to (the repository for fixtures, the example's own folder otherwise).
 */
type Example = { name: string; dir: string; base: string; files: string[] };

let TMP = '';

function fixture(name: string): Example {
  const dir = path.join(FIXTURES, 'scenarios', name);
  return { name, dir, base: ROOT, files: ['config.xml', 'config.set'] };
}

function write(name: string, files: Record<string, string>): Example {
  const dir = path.join(TMP, name);
  fs.mkdirSync(dir, { recursive: true });
  // Always an environment file, so that none is picked up from a folder above the temporary one.
  if (!('.panos-guard.json' in files)) files = { ...files, '.panos-guard.json': '{}\n' };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return { name, dir, base: dir, files: Object.keys(files).filter((f) => !f.endsWith('.json')) };
}

function scenario(name: string): { spec: FirewallSpec; env: string } {
  const s = scenarios.find((x) => x.name === name);
  assert.ok(s, `scenario ${name}`);
  return { spec: structuredClone(s.spec) as FirewallSpec, env: JSON.stringify(s.env, null, 2) + '\n' };
}

/** A copy of a firewall scenario with its rules (and objects) changed, in both forms. */
function variant(name: string, base: string, change: (spec: FirewallSpec) => void, tweak: { set?: (t: string) => string; xml?: boolean } = {}): Example {
  const { spec, env } = scenario(base);
  change(spec);
  const files: Record<string, string> = { 'config.set': (tweak.set ?? ((t) => t))(toSet(spec)), '.panos-guard.json': env };
  if (tweak.xml !== false) files['config.xml'] = toXml(spec);
  return write(name, files);
}

function patchRule(spec: FirewallSpec, name: string, patch: Partial<RuleDraft>): void {
  const r = spec.rules.find((x) => x.name === name);
  assert.ok(r, `rule ${name}`);
  Object.assign(r, patch);
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (r as Record<string, unknown>)[k];
}

function dropRules(spec: FirewallSpec, ...names: string[]): void {
  spec.rules = spec.rules.filter((r) => !names.includes(r.name));
}

/** After the last `set address …` line. */
function afterAddresses(line: string): (t: string) => string {
  return (t) => {
    const lines = t.split('\n');
    let at = -1;
    lines.forEach((l, i) => {
      if (l.startsWith('set address ')) at = i;
    });
    lines.splice(at + 1, 0, line);
    return lines.join('\n');
  };
}

/** The config a page shows in full: its first XML block and its first block of set lines. */
function pageConfig(code: string, name: string): Example {
  const text = readPage(code);
  const bs = blocks(text);
  const xml = bs.find((b) => b.lang === 'xml');
  const set = bs.find((b) => b.lang === '' && b.lines.length > 0 && b.lines.every((l) => l.startsWith('set ')));
  assert.ok(xml && set, `${code} shows its config in XML and set form`);
  const env = /\(`\.panos-guard\.json`: `(\{[^`]*\})`\)/.exec(proseOf(text));
  return write(name, { 'config.xml': xml.lines.join('\n') + '\n', 'config.set': set.lines.join('\n') + '\n', '.panos-guard.json': env ? env[1]! + '\n' : '{}\n' });
}

const ADMIN = 'Admin to Panorama';
const DENIES = ['Deny other to Panorama', 'Deny other from Panorama'];

/** The examples of each page, built once. */
function buildExamples(): Record<string, Example[]> {
  const page024 = pageConfig('PANO024', 'p024');
  return {
    PANO000: [pageConfig('PANO000', 'p000')],
    PANO001: [fixture('fw-earlier-deny'), fixture('panorama-dg'), variant('p001-default-rule', 'fw-tight', (s) => dropRules(s, ADMIN, ...DENIES))],
    PANO002: [
      (() => {
        // XML: the two elements deleted; set form: two `delete` lines appended to fw-tight/config.set.
        const { spec, env } = scenario('fw-tight');
        const set = toSet(spec) + DENIES.map((n) => `delete rulebase security rules "${n}"\n`).join('');
        dropRules(spec, ...DENIES);
        return write('p002', { 'config.xml': toXml(spec), 'config.set': set, '.panos-guard.json': env });
      })(),
    ],
    PANO003: [fixture('fw-ssh28-application-default')],
    PANO010: [fixture('fw-application-any'), fixture('fw-shadowed')],
    PANO011: [fixture('fw-service-any'), fixture('fw-shadowed')],
    PANO012: [
      variant('p012', 'fw-tight', (s) => {
        s.objects.push({ type: 'service', name: 'tcp-3978-28443', protocol: 'tcp', port: '3978-28443' });
        patchRule(s, 'Devices to Panorama', { service: ['tcp-3978-28443'] });
      }),
    ],
    PANO013: [fixture('fw-internet-source-any'), variant('p013-admin-only', 'fw-tight', (s) => patchRule(s, ADMIN, { source: ['any'] }))],
    PANO014: [
      variant('p014-app', 'fw-tight', (s) => patchRule(s, ADMIN, { application: ['ssh', 'ssl', 'web-browsing'] })),
      variant('p014-group', 'fw-tight', (s) => {
        s.objects.push({ type: 'application-group', name: 'admin-apps', members: ['ssh', 'ssl', 'web-browsing'] });
        patchRule(s, ADMIN, { application: ['admin-apps'] });
      }),
      variant('p014-filter', 'fw-tight', (s) => patchRule(s, ADMIN, { application: ['ssh', 'ssl', 'Remote-Access-apps'] }), {
        set: afterAddresses('set application-filter Remote-Access-apps subcategory remote-access'),
        xml: false,
      }),
    ],
    PANO015: [
      variant('p015-app', 'fw-tight', (s) => patchRule(s, ADMIN, { application: ['ssh', 'ssl', 'snmp-base'] })),
      variant('p015-group', 'fw-tight', (s) => {
        s.objects.push({ type: 'application-group', name: 'admin-apps', members: ['ssh', 'ssl', 'snmp-base'] });
        patchRule(s, ADMIN, { application: ['admin-apps'] });
      }),
    ],
    PANO020: [variant('p020', 'fw-tight', (s) => patchRule(s, ADMIN, { profileGroup: undefined }))],
    PANO021: [
      variant('p021-no-profile', 'fw-tight', (s) => patchRule(s, ADMIN, { logSetting: undefined })),
      variant('p021-log-end-no', 'fw-tight', (s) => patchRule(s, ADMIN, { logEnd: false })),
      variant('p021-both', 'fw-tight', (s) => patchRule(s, ADMIN, { logSetting: undefined, logEnd: false })),
    ],
    PANO022: [
      variant('p022', 'fw-flow-removed', (s) => {
        const ntp: RuleDraft = {
          name: 'Panorama NTP',
          from: ['mgmt'],
          to: ['services'],
          source: ['panorama', 'log-collector'],
          destination: ['ntp-server'],
          application: ['ntp'],
          service: ['application-default'],
          action: 'allow',
          logSetting: 'fwd-logs',
          profileGroup: 'pg-default',
          disabled: true,
        };
        s.rules.splice(s.rules.findIndex((r) => r.name === DENIES[0]), 0, ntp);
      }),
    ],
    PANO023: [fixture('fw-shadowed')],
    PANO024: [page024],
    PANO025: [pageConfig('PANO025', 'p025')],
    PANO026: [fixture('fw-fqdn-dynamic')],
    PANO027: [pageConfig('PANO027', 'p027')],
    PANO090: [
      (() => {
        const text = readPage('PANO090');
        const env = blocks(text).find((b) => b.lang === 'json');
        const bad = /holding `(\{[^`]*\})`/.exec(proseOf(text));
        assert.ok(env && bad, 'PANO090 shows the invalid environment file and the JSON syntax error');
        return write('p090', { 'config.set': fs.readFileSync(path.join(FIXTURES, 'scenarios', 'fw-tight', 'config.set'), 'utf8'), '.panos-guard.json': env.lines.join('\n') + '\n', 'bad.json': bad[1]! + '\n' });
      })(),
    ],
    PANO091: [
      (() => {
        const brace = blocks(readPage('PANO091')).find((b) => b.lang === '' && /\{\s*$/.test(b.lines[0] ?? ''));
        assert.ok(brace, 'PANO091 shows a brace-form config');
        return write('p091', { 'config.txt': brace.lines.join('\n') + '\n', 'notes.txt': 'hello world\n' });
      })(),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

type Run = { lines: string[]; status: number };

/** Runs the CLI in process; paths in its output are shown relative to the example folder or the repository. */
function cli(args: string[], ex: Example): Run {
  const lines: string[] = [];
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array): boolean => {
    err.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  let status: number;
  try {
    status = main(args, (s) => lines.push(...s.split('\n')));
  } finally {
    process.stderr.write = write;
  }
  const rel = (s: string): string => s.split(ex.base + path.sep).join('').split(path.sep).join('/');
  return { lines: [...lines, ...err.join('').replace(/\n$/, '').split('\n').filter((l) => l !== '')].map(rel), status };
}

/** The command and its file arguments as documented, the files resolved in an example (or the repository for fixture paths). */
function resolveArgs(args: string[], ex: Example): string[] | undefined {
  const out: string[] = [];
  for (const [i, a] of args.entries()) {
    if (i === 0 || a.startsWith('-')) out.push(a);
    else {
      // `config.xml` names a file of the example; `test/fixtures/…/config.xml` a path from the repository.
      const p = path.join(a.includes('/') ? ex.base : ex.dir, a);
      if (!fs.existsSync(p)) return undefined;
      out.push(p);
    }
  }
  return out;
}

type Result = { ex: Example; lines: string[]; findings: Set<string>; titles: Set<string>; texts: string[]; messages: string[]; fixes: { code: string; safe: boolean[] }[] };

type JsonOut = {
  files: { path: string; diagnostics: { code: string; severity: string; message: string; range: Range; fixes?: { title: string; safe: boolean; edits: { range: Range; newText: string }[] }[] }[] }[];
};

/** Lint output, finding positions, fixes (each applied alone) and messages of every config of an example. */
function lintExample(ex: Example): Result {
  const r: Result = { ex, lines: [], findings: new Set(), titles: new Set(), texts: [], messages: [], fixes: [] };
  for (const f of ex.files) {
    const file = path.join(ex.dir, f);
    const text = fs.readFileSync(file, 'utf8');
    r.texts.push(text);
    const run = cli(['lint', file], ex);
    r.lines.push(...run.lines);
    // An invalid environment file (PANO090) stops the CLI before any analysis.
    if (run.status === 2) continue;
    const json = JSON.parse(cli(['lint', '--format', 'json', file], ex).lines.join('\n')) as JsonOut;
    const li = new LineIndex(text);
    for (const d of json.files[0]!.diagnostics) {
      r.findings.add(`${f}:${d.range.start.line + 1}:${d.range.start.character + 1}`);
      r.messages.push(`${d.severity} ${d.code} ${d.message}`);
      r.fixes.push({ code: d.code, safe: (d.fixes ?? []).map((x) => x.safe) });
      for (const fx of d.fixes ?? []) {
        r.titles.add(fx.title);
        const edits = fx.edits.map((e) => ({ span: { start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end) }, newText: e.newText }));
        r.texts.push(applyEdits(text, edits).text);
      }
    }
  }
  return r;
}

/** Does `needle` (lines trimmed, blank lines dropped; a line `…` skips any number of lines) occur in `hay`? */
function containsLines(hay: string[], needle: string[]): boolean {
  const pieces: string[][] = [[]];
  for (const l of needle.map((x) => x.trim()).filter((x) => x !== '')) {
    if (l === '…') pieces.push([]);
    else pieces[pieces.length - 1]!.push(l);
  }
  let from = 0;
  for (const p of pieces.filter((x) => x.length > 0)) {
    let found = -1;
    for (let i = from; i + p.length <= hay.length && found < 0; i++) if (p.every((l, j) => hay[i + j] === l)) found = i;
    if (found < 0) return false;
    from = found + p.length;
  }
  return true;
}

/**
 * Lines a page suggests writing by hand (not produced by a fix), exactly as the page shows them.
 * Anything else in a code block must come from an example or a fix.
 */
const ADVICE: Record<string, string[]> = {
  PANO022: ['set rulebase security rules "Panorama NTP" disabled no'],
  PANO024: ['set deviceconfig system permitted-ip 10.30.0.0/24', 'set log-collector 0000LC1 deviceconfig system permitted-ip 10.10.10.0/24', 'set log-collector 0000LC1 deviceconfig system permitted-ip 10.20.0.0/16'],
  PANO025: ['set deviceconfig system service disable-http yes', 'set deviceconfig system service disable-telnet yes'],
};

// ---------------------------------------------------------------------------------------------

const CODES = fs
  .readdirSync(RULES_DIR)
  .filter((f) => /^PANO\d{3}\.md$/.test(f))
  .map((f) => f.slice(0, -3))
  .sort();

let EXAMPLES: Record<string, Example[]> = {};
const RESULTS = new Map<string, Result[]>();

function results(code: string): Result[] {
  let r = RESULTS.get(code);
  if (!r) {
    r = (EXAMPLES[code] ?? []).map(lintExample);
    RESULTS.set(code, r);
  }
  return r;
}

before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-docs-'));
  EXAMPLES = buildExamples();
});

after(() => {
  if (TMP) fs.rmSync(TMP, { recursive: true, force: true });
});

describe('docs/rules: the examples are what the CLI prints', () => {
  test('every page has an example here', () => {
    assert.deepEqual(
      CODES.filter((c) => !(c in EXAMPLES)),
      [],
    );
  });

  for (const code of CODES) {
    describe(code, () => {
      test("the metadata line's Fix matches the fixes the examples offer for this code", () => {
        const meta = metaOf(code);
        assert.ok(meta, `${code} is registered`);
        const m = /^Category: \S+ · Default severity: \S+ · Fix: (\S+)$/m.exec(readPage(code));
        assert.equal(m?.[1], meta.fix);
        const own = results(code).flatMap((r) => r.fixes.filter((f) => f.code === code));
        // The CLI refuses an invalid environment file (exit 2) instead of reporting PANO090.
        if (code !== 'PANO090') assert.ok(own.length > 0, `the examples of ${code} report ${code}`);
        for (const f of own) {
          // none: never a fix; safe: the first (preferred) fix only adds; review: every fix changes a rule.
          if (meta.fix === 'none') assert.deepEqual(f.safe, []);
          else if (meta.fix === 'safe') assert.ok(f.safe.length === 0 || f.safe[0] === true, `${code}: first fix is safe`);
          else assert.ok(f.safe.every((s) => !s), `${code}: review fixes are not marked safe`);
        }
        if (meta.fix !== 'none') assert.ok(own.some((f) => f.safe.length > 0), `an example of ${code} gets a fix`);
      });

      test('`$ panos-guard lint …` blocks are the exact output of one of the examples', () => {
        for (const b of blocks(readPage(code))) {
          const m = /^\$ (?:panos-guard|node bin\/panos-guard\.js) (lint .*)$/.exec(b.lines[0] ?? '');
          if (!m) continue;
          const args = m[1]!.split(/\s+/);
          const expected = b.lines.slice(1);
          const got: string[][] = [];
          for (const ex of EXAMPLES[code]!) {
            const resolved = resolveArgs(args, ex);
            if (resolved) got.push(cli(resolved, ex).lines);
          }
          assert.ok(got.length > 0, `${code}.md:${b.line}: no example holds the files of '${m[1]}'`);
          assert.ok(
            got.some((g) => g.join('\n') === expected.join('\n')),
            `${code}.md:${b.line}: '${m[1]}' prints\n${got.map((g) => g.join('\n')).join('\n--- or\n')}\nnot\n${expected.join('\n')}`,
          );
        }
      });

      test('quoted lint lines and positions are findings of the examples', () => {
        const rs = results(code);
        const lines = new Set(rs.flatMap((r) => r.lines));
        const text = readPage(code);
        for (const b of blocks(text)) {
          if (/^\$ /.test(b.lines[0] ?? '')) continue;
          for (const l of b.lines) if (LINT_LINE.test(l)) assert.ok(lines.has(l), `${code}.md:${b.line}: not printed by any example:\n${l}`);
        }
        const positions = new Set(rs.flatMap((r) => [...r.findings]));
        for (const m of proseOf(text).matchAll(/`([\w./-]+\.(?:xml|set|txt)):(\d+):(\d+)`/g)) {
          const at = `${path.basename(m[1]!)}:${m[2]}:${m[3]}`;
          assert.ok(positions.has(at), `${code}.md: no finding at ${m[0]}`);
        }
      });

      test('quoted fix titles are offered by the examples', () => {
        const titles = new Set(results(code).flatMap((r) => [...r.titles]));
        // Inline code is left out: its quotes (JSON, set lines) would pair with a title's.
        for (const m of proseOf(readPage(code)).replace(/`[^`]*`/g, '').matchAll(/"([^"]+)"/g)) {
          const q = m[1]!;
          if (!TITLE_VERBS.test(q) || q.includes('…') || q.includes('PANOxxx')) continue;
          assert.ok(titles.has(q), `${code}.md: no fix is titled "${q}"; the examples offer:\n${[...titles].join('\n')}`);
        }
      });

      test('code blocks show the example, a fixed example, or listed advice', () => {
        const rs = results(code);
        const texts = rs.flatMap((r) => r.texts).map((t) => t.split(/\r?\n/).map((l) => l.trim()));
        const known = new Set(texts.flat());
        const output = new Set(rs.flatMap((r) => r.lines));
        const advice = new Set(ADVICE[code] ?? []);
        for (const b of blocks(readPage(code))) {
          if (b.lang === 'json' || /^\$ /.test(b.lines[0] ?? '')) continue;
          if (b.lang === 'xml') {
            assert.ok(
              texts.some((t) => containsLines(t, b.lines)),
              `${code}.md:${b.line}: this XML is in no example and no fixed example`,
            );
            continue;
          }
          // The editor's view of environment problems (PANO090) is checked below.
          if (b.lines.every((l) => /^\d+:\d+ {2,}/.test(l))) continue;
          for (const l of b.lines) {
            if (l.trim() === '' || output.has(l)) continue;
            assert.ok(known.has(l.trim()) || advice.has(l), `${code}.md:${b.line}: this line is in no example, no fixed example and not in ADVICE:\n${l}`);
          }
        }
      });
    });
  }

  test('PANO090: the editor lists every problem of the environment file at its position', () => {
    const text = readPage('PANO090');
    const env = blocks(text).find((b) => b.lang === 'json')!;
    const shown = blocks(text).find((b) => b.lines.length > 0 && b.lines.every((l) => /^\d+:\d+ {2,}/.test(l)));
    assert.ok(shown, 'PANO090 shows the editor diagnostics');
    const envText = env.lines.join('\n') + '\n';
    const li = new LineIndex(envText);
    const problems = parseEnvFile(envText).problems.map((p) => {
      const at = li.positionAt(p.span.start);
      return `${at.line + 1}:${at.character + 1} ${p.message}`;
    });
    assert.deepEqual(
      shown.lines.map((l) => l.replace(/^(\d+:\d+) +/, '$1 ')),
      problems,
    );
  });
});

describe('docs: every quoted lint line carries a message the code produces', () => {
  test('severity, code and message of each lint line on every page (positions and file names aside)', () => {
    const produced = new Set<string>();
    const add = (ex: Example): void => {
      for (const m of lintExample(ex).messages) produced.add(m);
    };
    for (const code of CODES) for (const r of results(code)) for (const m of r.messages) produced.add(m);
    for (const s of scenarios) add(fixture(s.name));
    add({ name: 'examples', dir: path.join(ROOT, 'examples'), base: ROOT, files: ['firewall-in-front-of-panorama.xml', 'firewall-in-front-of-panorama.set'] });
    const pages = [...CODES.map((c) => `${c}.md`), 'README.md'];
    const missing: string[] = [];
    for (const p of pages) {
      for (const b of blocks(fs.readFileSync(path.join(RULES_DIR, p), 'utf8'))) {
        for (const l of b.lines) {
          const m = LINT_LINE.exec(l);
          if (m && !produced.has(`${m[4]} ${m[5]} ${m[6]}`)) missing.push(`${p}:${b.line}: ${m[4]} ${m[5]} ${m[6]}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });
});
