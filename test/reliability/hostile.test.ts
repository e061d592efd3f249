/**
 * @fileoverview Hostile input: entity expansion bombs, external entities and URLs, prototype
 * pollution through names and JSON keys, names that need escaping in every fix, and the set parser
 * on unbalanced quotes and brackets. In-process (analyze, the handlers) and, where it matters, the
 * real CLI and language-server processes.
 *
 * Each test fails when its protection is removed. Checked by mutation: out/ was copied to
 * /tmp/mut/main/out (with bin/, node_modules, test/fixtures and ../shared linked), one protection
 * was removed from the compiled product file there, and this file was run against the copy
 * (`node --test /tmp/mut/main/out/test/reliability/hostile.test.js`); the tests named failed:
 * - M1 xml.js decodeEntity without `hasOwnProperty.call(PREDEFINED, ent)`: the XML prototype test
 *   (`&toString;` decodes to the text of Object.prototype.toString);
 * - M2 xml.js checkEntityAt returning at once (undefined entities not reported): both billion-laughs
 *   tests, the quadratic-blowup test, both external-entity tests, the XML prototype test;
 * - M3 xml.js interpreting the internal subset (declared entities expanded recursively, capped at
 *   50 MB so the run survives): both billion-laughs tests (22-29 s instead of milliseconds, no
 *   Undefined entity finding) and the quadratic-blowup test;
 * - M4 resolve.js without `hasOwnProperty.call(PREDEFINED_SERVICES, name)`: the XML prototype test
 *   (a check throws on service `toString`: an internal-error finding);
 * - M5 json.js toPlain with `{}` instead of `Object.create(null)`: the env-file test (the fqdn key
 *   `__proto__` becomes the object's prototype);
 * - M6 schema.js without `hasOwnProperty.call(s.properties, key)`: the env-file test (`constructor`
 *   no longer reported as an unknown property);
 * - M7 render.js xmlEscape returning its input: all three XML escaping tests;
 * - M8 render.js setQuote returning its input: the set escaping test;
 * - M10 hover.js without `hasOwnProperty.call(c.applications, app)`: the XML prototype test (hover
 *   on application `toString` throws);
 * - M11 xml.js reading `SYSTEM "file://…"` and fetching `SYSTEM "http://…"` identifiers: both
 *   external-entity tests (the in-process traps record the calls; the real CLI blocks on the FIFO
 *   and the listener counts the connection).
 * (M9, the CLI's write-access check, is in faults.test.ts.)
 */
import { describe, test } from 'node:test';
// The real module objects (not esModuleInterop's read-only namespace copies), for monkeypatching.
import fsm = require('node:fs');
import httpm = require('node:http');
import httpsm = require('node:https');
import netm = require('node:net');
import dnsm = require('node:dns');
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { analyze, type Analysis, type AnalyzeOptions } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { ruleSetFix } from '../../server/src/core/fixes';
import { applyEdits } from '../../server/src/core/fixes/apply';
import { suppressFix } from '../../server/src/core/fixes/suppress';
import { parseEnvFile, type EnvFile } from '../../server/src/core/env/envFile';
import type { Fix } from '../../server/src/core/findings';
import { inspectModel } from '../../server/src/core/inspect';
import { allRulebases, lookup, type Rule } from '../../server/src/core/model/types';
import { LineIndex } from '../../server/src/core/text';
import { hoverAt } from '../../server/src/handlers/hover';
import { documentSymbols } from '../../server/src/handlers/symbols';
import { codeLenses } from '../../server/src/handlers/codeLens';
import { completions } from '../../server/src/handlers/completion';
import { FIXTURES, ROOT, spanOf } from '../helpers';
import { LspClient } from '../lsp/lspClient';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');
const SC = path.join(FIXTURES, 'scenarios');

function fixture(name: string, form: 'xml' | 'set'): { text: string; env: EnvFile } {
  return {
    text: fs.readFileSync(path.join(SC, name, `config.${form}`), 'utf8'),
    env: parseEnvFile(fs.readFileSync(path.join(SC, name, '.panos-guard.json'), 'utf8')).env,
  };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-hostile-'));
}

type Run = { status: number | null; stdout: string; stderr: string; ms: number };

/** Runs the real CLI as a process (async, so the test can watch side channels meanwhile). */
function cli(args: string[], cwd = ROOT, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Every fix the server can offer for an analysis: per finding, the suppress fix, the rule-set action. */
function offeredFixes(a: Analysis): { fix: Fix; from: string }[] {
  const out: { fix: Fix; from: string }[] = [];
  for (const f of a.findings) {
    for (const x of f.fixes ?? []) out.push({ fix: x, from: f.code });
    const s = suppressFix(a, f);
    if (s) out.push({ fix: s, from: `${f.code} suppress` });
  }
  const rs = ruleSetFix(a);
  if (rs) out.push({ fix: rs, from: 'insert-rule-set' });
  return out;
}

function rules(a: Analysis): Rule[] {
  return a.model ? allRulebases(a.model).flatMap((rb) => rb.rules) : [];
}

// -------------------------------------------------------------------------------------------------
// Entity expansion bombs

describe('entity expansion', () => {
  /** Ten levels of ten references each: 10^9 "lol"s (3 GB) if anything expanded it. */
  function billionLaughs(): { text: string; ref: string } {
    const decl = ['<!ENTITY lol0 "lol">'];
    for (let k = 1; k <= 9; k++) decl.push(`<!ENTITY lol${k} "${`&lol${k - 1};`.repeat(10)}">`);
    const base = fixture('fw-tight', 'xml').text;
    const text = base
      .replace('<?xml version="1.0"?>\n', `<?xml version="1.0"?>\n<!DOCTYPE config [\n  ${decl.join('\n  ')}\n]>\n`)
      .replace('<hostname>fw-edge</hostname>', '<hostname>&lol9;</hostname>');
    assert.ok(text.includes('<hostname>&lol9;</hostname>') && text.includes('<!ENTITY lol9'));
    return { text, ref: '&lol9;' };
  }

  test('billion laughs: not expanded; an Undefined entity finding at the reference; time and memory stay small', () => {
    const { text, ref } = billionLaughs();
    analyze(fixture('fw-tight', 'xml').text); // warm up (JIT, catalog)
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const a = analyze(text, { env: fixture('fw-tight', 'xml').env });
    const ms = performance.now() - t0;
    const grown = process.memoryUsage().heapUsed - heap0;
    assert.ok(ms < 2000, `analysis took ${ms.toFixed(0)} ms`);
    // 10^9 references would need gigabytes; the unexpanded analysis needs a few MB (GC noise included).
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MB`);
    const refSpan = spanOf(text, ref, 0, text.indexOf('<hostname>'));
    const undef = a.findings.filter((f) => f.code === 'PANO000' && f.message.startsWith('Undefined entity'));
    assert.deepEqual(
      undef.map((f) => ({ message: f.message, span: f.span })),
      [{ message: "Undefined entity '&lol9;' (only the five XML entities are understood; entities are never expanded)", span: refSpan }],
      'exactly one Undefined entity finding, at the reference (nothing inside the skipped DOCTYPE)',
    );
    assert.ok(a.model, 'the rest of the config is still analysed');
    assert.equal(inspectModel(a.model).hostname, '&lol9;', 'the reference stays literal');
    for (const f of a.findings) assert.ok(!/(lol){4}/.test(f.message), `no expansion in a message: ${f.message.slice(0, 80)}`);
  });

  test('billion laughs through the real CLI: small output, quick, exit 1 (the entity is an error), hostname literal', async () => {
    const { text } = billionLaughs();
    const dir = tmpDir();
    const file = path.join(dir, 'lol.xml');
    fs.writeFileSync(file, text);
    const lint = await cli(['lint', '--format', 'json', '--panorama', '10.10.10.5', file], dir);
    assert.equal(lint.status, 1, lint.stderr);
    assert.ok(lint.stdout.length < 200_000, `lint output ${lint.stdout.length} bytes`);
    assert.ok(lint.ms < 15_000, `lint took ${lint.ms} ms`);
    const diags = JSON.parse(lint.stdout).files[0].diagnostics as { code: string; message: string }[];
    assert.ok(diags.some((d) => d.code === 'PANO000' && d.message.startsWith("Undefined entity '&lol9;'")));
    const ins = await cli(['inspect', '--format', 'json', file], dir);
    assert.equal(ins.status, 0, ins.stderr);
    assert.equal(JSON.parse(ins.stdout).hostname, '&lol9;');
  });

  test('quadratic blowup (one 100 KB entity referenced 5,000 times) is not expanded either', () => {
    const big = 'x'.repeat(100_000);
    const base = fixture('fw-tight', 'xml').text;
    const text = base
      .replace('<?xml version="1.0"?>\n', `<?xml version="1.0"?>\n<!DOCTYPE config [<!ENTITY big "${big}">]>\n`)
      .replace('<hostname>fw-edge</hostname>', `<hostname>${'&big;'.repeat(5000)}</hostname>`);
    const t0 = performance.now();
    const a = analyze(text);
    assert.ok(performance.now() - t0 < 2000);
    const undef = a.findings.filter((f) => f.message.startsWith("Undefined entity '&big;'"));
    // 5,000 references, capped at MAX_SYNTAX_ISSUES (200) plus one summary line.
    assert.equal(undef.length, 200);
    assert.ok(a.findings.some((f) => /^\d+ more XML syntax errors not shown$/.test(f.message)));
    assert.equal(inspectModel(a.model!).hostname, '&big;'.repeat(5000));
  });
});

// -------------------------------------------------------------------------------------------------
// External entities and URLs

/** A config referencing external resources every way XML allows. */
function externalDoc(port: number, fifo: string): string {
  const base = fixture('fw-tight', 'xml').text;
  return base
    .replace(
      '<?xml version="1.0"?>\n',
      `<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:${port}/style.xsl"?>
<!DOCTYPE config SYSTEM "http://127.0.0.1:${port}/config.dtd" [
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
  <!ENTITY fifo SYSTEM "file://${fifo}">
  <!ENTITY web SYSTEM "http://127.0.0.1:${port}/entity">
  <!ENTITY % remote SYSTEM "http://127.0.0.1:${port}/remote.dtd">
  %remote;
]>
`,
    )
    .replace('<config ', `<config xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x http://127.0.0.1:${port}/schema.xsd" `)
    .replace('<hostname>fw-edge</hostname>', '<hostname>&passwd;</hostname>')
    .replace('<ip-address>192.0.2.10</ip-address>', '<ip-address>192.0.2.10</ip-address>\n          <login-banner>&web;&fifo;</login-banner>\n          <xi:include href="file:///etc/passwd" parse="text"/>\n          <xi:include href="http://127.0.0.1:' + port + '/inc.xml"/>');
}

/** A TCP listener counting every connection (an HTTP fetch would be one). */
async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** True while some process has the FIFO open for reading (an open for writing then succeeds). */
function fifoHasReader(fifo: string): boolean {
  try {
    const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    fs.closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw e;
  }
}

const PASSWD_LINE = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]! : 'root:x:0:0:';

describe('external entities and URLs are never fetched or read', () => {
  test('in-process: no file read, no socket, no DNS lookup during analysis, fixes, hover, symbols, lenses, completion', () => {
    const dir = tmpDir();
    const fifo = path.join(dir, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    const text = externalDoc(9, fifo);
    const env = fixture('fw-tight', 'xml').env;
    analyze(fixture('fw-tight', 'xml').text, { env }); // warm up: anything loaded lazily is loaded now
    const calls: string[] = [];
    const patched: [object, string, unknown][] = [];
    const trap = (obj: object, name: string): void => {
      const o = obj as Record<string, unknown>;
      if (typeof o[name] !== 'function') return;
      patched.push([obj, name, o[name]]);
      o[name] = (...args: unknown[]): never => {
        calls.push(`${name}(${String(args[0]).slice(0, 80)})`);
        throw new Error(`hostile test: ${name} called during analysis`);
      };
    };
    for (const n of ['readFileSync', 'readFile', 'openSync', 'open', 'createReadStream', 'readSync', 'existsSync', 'statSync', 'readdirSync']) trap(fsm, n);
    for (const n of ['readFile', 'open']) trap(fsm.promises, n);
    for (const n of ['request', 'get']) {
      trap(httpm, n);
      trap(httpsm, n);
    }
    for (const n of ['connect', 'createConnection']) trap(netm, n);
    for (const n of ['lookup', 'resolve', 'resolve4']) trap(dnsm, n);
    trap(globalThis, 'fetch');
    let a: Analysis;
    const outputs: string[] = [];
    try {
      a = analyze(text, { env });
      const li = new LineIndex(text);
      for (const f of a.findings) outputs.push(f.message, ...(f.fixes ?? []).flatMap((x) => [x.title, ...x.edits.map((e) => e.newText)]));
      for (const o of offeredFixes(a)) outputs.push(o.fix.title, ...o.fix.edits.map((e) => e.newText));
      for (const needle of ['&passwd;', '&web;', '&fifo;', 'xi:include', '%remote;', 'xml-stylesheet', 'schemaLocation']) {
        let at = text.indexOf(needle);
        while (at >= 0) {
          const h = hoverAt(a, at + 1);
          if (h) outputs.push(h.markdown);
          at = text.indexOf(needle, at + 1);
        }
      }
      outputs.push(JSON.stringify(documentSymbols(a, li)), JSON.stringify(codeLenses(a, li, 'file:///x.xml')), JSON.stringify(completions(a, text.indexOf('&web;'))));
    } finally {
      for (const [obj, name, orig] of patched.reverse()) (obj as Record<string, unknown>)[name] = orig;
    }
    assert.deepEqual(calls, [], 'no file, network or DNS access');
    assert.equal(fifoHasReader(fifo), false);
    const all = outputs.join('\n');
    assert.ok(!all.includes(PASSWD_LINE), '/etc/passwd content never appears');
    assert.ok(!all.includes('root:x:0:0'), '/etc/passwd content never appears');
    // The references are reported where they are, as undefined entities.
    for (const ref of ['&passwd;', '&web;', '&fifo;']) {
      assert.ok(
        a.findings.some((f) => f.message.startsWith(`Undefined entity '${ref}'`) && f.span.start === text.indexOf(ref, text.indexOf('<config'))),
        `Undefined entity finding at ${ref}`,
      );
    }
    assert.equal(inspectModel(a.model!).hostname, '&passwd;');
  });

  test('the real CLI (lint text/json/sarif, inspect, flows) and the real server: no connection, no FIFO open, no /etc/passwd text', async () => {
    const l = await listener();
    const dir = tmpDir();
    const fifo = path.join(dir, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    const file = path.join(dir, 'external.xml');
    const text = externalDoc(l.port, fifo);
    fs.writeFileSync(file, text);
    fs.copyFileSync(path.join(SC, 'fw-tight', '.panos-guard.json'), path.join(dir, '.panos-guard.json'));
    let fifoOpened = false;
    const poll = setInterval(() => {
      if (fifoHasReader(fifo)) fifoOpened = true;
    }, 10);
    const outputs: string[] = [];
    try {
      for (const args of [['lint', file], ['lint', '--format', 'json', file], ['lint', '--format', 'sarif', file], ['inspect', file], ['inspect', '--format', 'json', file], ['flows', file], ['flows', '--format', 'json', file], ['lint', '--fix-dry-run', '--unsafe-fixes', file]]) {
        const r = await cli(args, dir, 30_000);
        assert.notEqual(r.status, null, `${args.join(' ')} did not hang (a blocked read of the FIFO would)`);
        assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: exit ${r.status} ${r.stderr}`);
        outputs.push(r.stdout, r.stderr);
      }
      const c = new LspClient();
      try {
        await c.initialize(pathToFileURL(dir).toString());
        const uri = pathToFileURL(file).toString();
        c.open(uri, 'xml', text);
        const diags = await c.diagnostics(uri);
        outputs.push(JSON.stringify(diags));
        for (const ref of ['&passwd;', '&web;', '&fifo;', 'xi:include']) {
          const pos = new LineIndex(text).positionAt(text.indexOf(ref, text.indexOf('<config')) + 1);
          outputs.push(JSON.stringify(await c.request('textDocument/hover', { textDocument: { uri }, position: pos })));
        }
        outputs.push(JSON.stringify(await c.request('textDocument/documentSymbol', { textDocument: { uri } })));
        outputs.push(JSON.stringify(await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: diags } })));
        outputs.push(JSON.stringify(c.notifications), c.stderr);
        assert.ok(diags.some((d) => String(d.message).startsWith("Undefined entity '&passwd;'")));
      } finally {
        await c.shutdown();
      }
    } finally {
      clearInterval(poll);
      await l.close();
    }
    assert.equal(l.connections(), 0, 'no connection to the URLs in the document');
    assert.equal(fifoOpened, false, 'the FIFO named by a SYSTEM entity was never opened');
    const all = outputs.join('\n');
    assert.ok(!all.includes(PASSWD_LINE) && !all.includes('root:x:0:0'), '/etc/passwd content never appears');
  });
});

// -------------------------------------------------------------------------------------------------
// Prototype pollution

function protoSnapshot(): string[] {
  const out: string[] = [];
  for (const [label, o] of [['Object', Object.prototype], ['Array', Array.prototype], ['Function', Function.prototype], ['String', String.prototype], ['Map', Map.prototype]] as const) {
    for (const k of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k)!;
      const v = d.value as unknown;
      const shown = typeof v === 'function' ? (v as { name: string }).name : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
      out.push(`${label}.${String(k)}:${typeof v}:${shown}:${d.get ? 'get' : ''}:${d.set ? 'set' : ''}`);
    }
  }
  return out.sort();
}

function assertUnpolluted(before: string[]): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, '({}).polluted');
  assert.equal((Object.create({}) as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(protoSnapshot(), before, 'built-in prototypes unchanged');
}

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype'];

function protoXml(): string {
  let x = fixture('fw-tight', 'xml').text;
  x = x.replace(
    '<address>',
    `<address>
            <entry name="__proto__"><ip-netmask>10.10.10.5/32</ip-netmask></entry>
            <entry name="constructor"><ip-netmask>10.10.10.6/32</ip-netmask></entry>
            <entry name="prototype"><ip-netmask>10.30.0.0/24</ip-netmask></entry>
            <entry name="fq"><fqdn>__proto__</fqdn></entry>`,
  );
  x = x.replace('<zone>', '<zone>\n            <entry name="__proto__"><network><layer3><member>ethernet1/4</member></layer3></network></entry>');
  x = x.replace(
    '<rules>',
    `<rules>
                <entry name="__proto__" __proto__="x" constructor="y" prototype="z">
                  <__proto__><polluted>yes</polluted></__proto__>
                  <constructor><prototype><polluted>yes</polluted></prototype></constructor>
                  <to><member>__proto__</member></to>
                  <from><member>constructor</member></from>
                  <source><member>prototype</member></source>
                  <destination><member>__proto__</member><member>constructor</member><member>fq</member></destination>
                  <application><member>constructor</member><member>__proto__</member><member>toString</member></application>
                  <service><member>toString</member><member>constructor</member><member>__proto__</member><member>hasOwnProperty</member></service>
                  <action>allow</action>
                  <tag><member>prototype</member></tag>
                  <description>&toString; &__proto__; &constructor;</description>
                </entry>`,
  );
  x = x.replace('<devices>', '<__proto__ constructor="1" __proto__="2"><prototype>x</prototype><polluted>yes</polluted></__proto__>\n  <devices>');
  return x;
}

describe('prototype pollution', () => {
  test('XML: elements, attributes, entry names, object and rule names __proto__/constructor/prototype neither pollute nor break the model', () => {
    const before = protoSnapshot();
    const x = protoXml();
    const fqdn = Object.create(null) as Record<string, string[]>;
    fqdn['__proto__'] = ['10.10.10.5'];
    const env: EnvFile = { ...fixture('fw-tight', 'xml').env, fqdn };
    const a = analyze(x, { env, severities: JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "off", "PANO021": "off"}') as Record<string, 'off'> });
    assertUnpolluted(before);
    // The model holds every such name as data.
    const ins = inspectModel(a.model!);
    assert.deepEqual(ins.rulebases[0]!.rules[0], '__proto__');
    for (const n of PROTO_NAMES) assert.ok(ins.objectNames.address!.includes(`vsys1/${n}`), `address ${n}`);
    assert.ok(ins.zones.some((z) => z.name === '__proto__'));
    assert.deepEqual(a.findings.filter((f) => f.message.includes('internal error')), [], 'no check threw');
    // Undefined entities named like Object.prototype members stay literal (not "function toString() {…}").
    const rule = rules(a).find((r) => r.name === '__proto__')!;
    assert.equal(rule.description?.value, '&toString; &__proto__; &constructor;');
    assert.deepEqual(
      a.findings.filter((f) => f.message.startsWith('Undefined entity')).map((f) => x.slice(f.span.start, f.span.end)),
      ['&toString;', '&__proto__;'],
    );
    // Names resolve as objects (through Maps), unknown ones stay unknown.
    const hover = (needle: string, n: number): string => {
      let at = -1;
      for (let k = 0; k <= n; k++) at = x.indexOf(needle, at + 1);
      return hoverAt(a, at + '<member>'.length + 1)?.markdown ?? '';
    };
    assert.match(hover('<member>__proto__</member>', 1), /^\*\*__proto__\*\*: 10\.10\.10\.5\n/);
    assert.match(hover('<member>constructor</member>', 1), /^\*\*constructor\*\*: 10\.10\.10\.6\n/);
    assert.match(hover('<member>prototype</member>', 0), /^\*\*prototype\*\*: 10\.30\.0\.0\/24\n/);
    assert.match(hover('<member>fq</member>', 0), /^\*\*fq\*\*: 10\.10\.10\.5\n/, 'the env fqdn named __proto__ resolves');
    assert.match(hover('<member>toString</member>', 0), /^\*\*toString\*\*: not an App-ID/);
    assert.match(hover('<member>toString</member>', 1), /^\*\*toString\*\*: no tcp\/udp ports\n- 'toString' is not a service or service group defined in this config/);
    assert.match(hover('<member>hasOwnProperty</member>', 0), /'hasOwnProperty' is not a service/);
    // Severity overrides keyed __proto__/constructor are inert; a real one still applies.
    assert.ok(!a.findings.some((f) => f.code === 'PANO021'));
    // Fixes and the handlers run on it.
    const li = new LineIndex(x);
    documentSymbols(a, li);
    codeLenses(a, li, 'file:///p.xml');
    for (const o of offeredFixes(a)) assert.equal(XMLValidator.validate(applyEdits(x, o.fix.edits).text), true);
    assertUnpolluted(before);
  });

  test('set form: entry names, keywords and a path made of __proto__/constructor/prototype', () => {
    const before = protoSnapshot();
    const base = fixture('fw-tight', 'set').text;
    const text = `${base}
set address __proto__ ip-netmask 10.10.10.5/32
set address constructor ip-netmask 10.10.10.6/32
set address prototype ip-netmask 10.30.0.0/24
set rulebase security rules __proto__ from constructor to __proto__ source prototype destination [ __proto__ constructor ] application [ constructor toString ] service [ toString __proto__ ] action allow
set __proto__ polluted yes
set constructor prototype polluted yes
set rulebase security rules __proto__ __proto__ polluted yes
delete address __proto__ __proto__
move rulebase security rules __proto__ before constructor
`;
    const a = analyze(text, { env: fixture('fw-tight', 'set').env });
    assertUnpolluted(before);
    assert.deepEqual(a.findings.filter((f) => f.message.includes('internal error')), []);
    const ins = inspectModel(a.model!);
    for (const n of PROTO_NAMES) assert.ok(ins.objectNames.address!.includes(`vsys1/${n}`), `address ${n}`);
    const r = rules(a).find((x) => x.name === '__proto__');
    assert.ok(r, 'rule __proto__');
    assert.deepEqual(r.destination.items.map((m) => m.value), ['__proto__', 'constructor']);
    const at = text.indexOf('destination [ __proto__') + 'destination [ '.length + 1;
    assert.match(hoverAt(a, at)?.markdown ?? '', /^\*\*__proto__\*\*: 10\.10\.10\.5\n/);
    assert.deepEqual(a.findings.filter((f) => /move: '/.test(f.message)).map((f) => f.message), ["move: 'constructor' is not in the list"]);
  });

  test('.panos-guard.json: __proto__/constructor keys are positioned unknown-property problems; parsed objects have no prototype', () => {
    const before = protoSnapshot();
    const text = `{
  "__proto__": { "polluted": "yes" },
  "constructor": { "prototype": { "polluted": "yes" } },
  "panorama": ["10.10.10.5"],
  "zones": { "__proto__": "untrust", "10.0.0.0/8": "constructor" },
  "peers": { "__proto__": ["1.2.3.4"] },
  "rules": { "__proto__": "off", "constructor": "off", "PANO021": "off" },
  "fqdn": { "__proto__": ["10.10.10.5"], "constructor": ["10.10.10.6"] },
  "features": { "__proto__": true, "constructor": true }
}`;
    const { env, problems } = parseEnvFile(text);
    assertUnpolluted(before);
    const at = (needle: string, n = 0): { start: number; end: number } => spanOf(text, needle, n);
    const expect = [
      { message: /^__proto__: unknown property/, span: at('"__proto__"', 0) },
      { message: /^constructor: unknown property/, span: at('"constructor"', 0) },
      { message: /^zones\.__proto__: unknown property/, span: at('"__proto__"', 1) },
      { message: /^peers\.__proto__: unknown property/, span: at('"__proto__"', 2) },
      { message: /^rules\.__proto__: unknown property/, span: at('"__proto__"', 3) },
      { message: /^rules\.constructor: unknown property/, span: at('"constructor"', 2) },
      { message: /^features\.__proto__: unknown property/, span: at('"__proto__"', 5) },
      { message: /^features\.constructor: unknown property/, span: at('"constructor"', 4) },
    ];
    for (const e of expect) {
      assert.ok(
        problems.some((p) => e.message.test(p.message) && p.span.start === e.span.start && p.span.end === e.span.end),
        `problem ${e.message} at ${e.span.start}: ${JSON.stringify(problems.map((p) => [p.message.slice(0, 40), p.span.start]))}`,
      );
    }
    assert.equal(Object.getPrototypeOf(env), null);
    assert.equal(Object.getPrototypeOf(env.fqdn), null);
    assert.deepEqual(Object.keys(env.fqdn!), ['__proto__', 'constructor'], 'fqdn keys are host names: kept as own data');
    assert.deepEqual(env.rules && Object.keys(env.rules), ['PANO021']);
    assert.deepEqual(env.panorama, ['10.10.10.5']);
    // The analysis with that env: the fqdn named __proto__ resolves, nothing is polluted.
    const a = analyze(protoXml(), { env });
    assertUnpolluted(before);
    const x = protoXml();
    const h = hoverAt(a, x.indexOf('<member>fq</member>') + 9)?.markdown ?? '';
    assert.match(h, /^\*\*fq\*\*: 10\.10\.10\.5\n/);
  });
});

// -------------------------------------------------------------------------------------------------
// Names that need escaping, in every fix

/** Renames in an XML config: entry names and references (`>old<`), written escaped. */
function renameXml(text: string, map: Record<string, string>): string {
  let t = text;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  for (const [from, to] of Object.entries(map)) {
    const re = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t.replace(new RegExp(`name="${re}"`, 'g'), () => `name="${esc(to)}"`).replace(new RegExp(`>${re}<`, 'g'), () => `>${esc(to)}<`);
  }
  return t;
}

/** Renames in a set config: whole tokens, bare or quoted, written quoted. */
function renameSet(text: string, map: Record<string, string>): string {
  let t = text;
  for (const [from, to] of Object.entries(map)) {
    assert.ok(!(to.includes('"') && to.includes("'")), 'set names hold at most one quote kind');
    const q = to.includes('"') ? `'${to}'` : `"${to}"`;
    const re = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t.replace(new RegExp(`(?<=[\\s\\[])(?:${re}|"${re}"|'${re}')(?=[\\s\\]]|$)`, 'gm'), () => q);
  }
  return t;
}

const XML_NAMES: Record<string, string> = {
  mgmt: `m&g<t]]>"q'`,
  dr: `d'r" & <dr>`,
  'panorama-peer': `peer]]>&<"'`,
  'pg-default': `pg & <default> ]]> "x"`,
  'fwd-logs': `fwd<&>"'logs]]>`,
  'Panorama HA': `Pano & <HA> ]]> "x" 'y'`,
};

const SET_NAMES: Record<string, string> = {
  mgmt: `m&g<t]]>"q`,
  dr: `d'r & <dr>`,
  'panorama-peer': `peer]]>&<"`,
  'pg-default': `pg & <default> ]]> 'x'`,
  'fwd-logs': `fwd<&>"logs]]>`,
  'Panorama HA': `Pano & <HA> ]]> "x"`,
};

/**
 * Checks every fix the server offers on a renamed config: well-formed XML (fast-xml-parser), no new
 * syntax finding after re-analysis, and every zone/address/profile/log name in every rule the fix
 * adds is a defined name (a mangled name would not be). Returns the analyses after each fix.
 */
function checkAllFixes(text: string, opts: AnalyzeOptions, form: 'xml' | 'set', names: Record<string, string>): { kinds: string[]; after: Analysis[] } {
  const a = analyze(text, opts);
  const fixes = offeredFixes(a);
  assert.ok(fixes.length > 0, 'some fix is offered');
  const m = a.model!;
  const existing = rules(a);
  // Names a fix may copy: defined zones and zones, profile groups and log settings of existing rules.
  const zones = new Set(['any', ...m.vsys.flatMap((v) => v.zones), ...m.network.zones, ...m.templates.flatMap((t) => t.network.zones)].map((z) => (typeof z === 'string' ? z : z.name)));
  for (const r of existing) for (const z of [...r.from.items, ...r.to.items]) zones.add(z.value);
  const groups = new Set(existing.flatMap((r) => r.profileGroup.items.map((x) => x.value)));
  const logs = new Set(existing.flatMap((r) => (r.logSetting ? [r.logSetting.value] : [])));
  const beforeRules = new Set(existing.map((r) => r.name));
  void names;
  const after: Analysis[] = [];
  for (const { fix, from } of fixes) {
    const out = applyEdits(text, fix.edits);
    assert.equal(out.skipped, 0, `${from}: no overlapping edit`);
    if (form === 'xml') {
      const v = XMLValidator.validate(out.text);
      assert.equal(v, true, `${from} '${fix.title}': ${JSON.stringify(v)}`);
    }
    const b = analyze(out.text, opts);
    assert.deepEqual(b.findings.filter((f) => f.category === 'syntax').map((f) => f.message), a.findings.filter((f) => f.category === 'syntax').map((f) => f.message), `${from}: no new syntax finding`);
    for (const r of rules(b)) {
      if (beforeRules.has(r.name)) continue;
      for (const z of [...r.from.items, ...r.to.items]) assert.ok(zones.has(z.value), `${from}: new rule '${r.name}' zone ${JSON.stringify(z.value)} is a known zone`);
      const scope = r.rulebase.scope;
      for (const x of [...r.source.items, ...r.destination.items]) {
        const ok = x.value === 'any' || /^[\d.:/-]+$/.test(x.value) || b.policy!.resolver.addressName(scope, x.value).unknown.length === 0;
        assert.ok(ok, `${from}: new rule '${r.name}' address ${JSON.stringify(x.value)} resolves`);
      }
      for (const g of r.profileGroup.items) assert.ok(groups.has(g.value) || lookup(scope, 'profileGroups', g.value), `${from}: profile group ${JSON.stringify(g.value)}`);
      if (r.logSetting) assert.ok(logs.has(r.logSetting.value), `${from}: log setting ${JSON.stringify(r.logSetting.value)}`);
    }
    after.push(b);
  }
  return { kinds: fixes.map((f) => f.fix.kind), after };
}

describe('names holding &, <, ]]> and quotes are escaped in every fix', () => {
  test('XML (fw-ssh28-application-default): custom-service, replace-app-default, suppress; the names round-trip', () => {
    const { text, env } = fixture('fw-ssh28-application-default', 'xml');
    const hostile = renameXml(text, XML_NAMES);
    assert.equal(XMLValidator.validate(hostile), true, 'the renamed input is well-formed');
    const orig = analyze(text, { env });
    const a = analyze(hostile, { env });
    assert.deepEqual(a.findings.map((f) => f.code), orig.findings.map((f) => f.code), 'same findings after renaming');
    const { kinds, after } = checkAllFixes(hostile, { env }, 'xml', XML_NAMES);
    assert.deepEqual(kinds, ['add-custom-service', 'replace-app-default', 'suppress', 'insert-rule-set']);
    // The rule added by add-custom-service copies zones, addresses, profile group and log setting by name.
    // New names are derived and sanitized (Namer.unique keeps [A-Za-z0-9 ._-]); copied names are kept as they are.
    const newName = `${XML_NAMES['Panorama HA']} tcp-28`.replace(/[^A-Za-z0-9 ._-]/g, '-');
    const added = rules(after[0]!).find((r) => r.name === newName);
    assert.ok(added, `rule ${JSON.stringify(newName)} exists after the fix: ${rules(after[0]!).map((r) => r.name).join(' | ')}`);
    assert.deepEqual(added.to.items.map((m) => m.value), [XML_NAMES.mgmt, XML_NAMES.dr]);
    assert.deepEqual(added.from.items.map((m) => m.value), [XML_NAMES.mgmt, XML_NAMES.dr]);
    assert.ok(added.source.items.some((m) => m.value === XML_NAMES['panorama-peer']));
    assert.deepEqual(added.profileGroup.items.map((m) => m.value), [XML_NAMES['pg-default']]);
    assert.equal(added.logSetting?.value, XML_NAMES['fwd-logs']);
    // The suppress fix writes the rule name's finding code into the description, escaped.
    const sup = rules(after[2]!).find((r) => r.name === XML_NAMES['Panorama HA'])!;
    assert.equal(sup.description?.value, 'panos-guard-disable PANO003');
  });

  test('XML: a description holding ]]>, quotes and & survives the suppress fix', () => {
    const { text, env } = fixture('fw-ssh28-application-default', 'xml');
    const desc = `keep ]]> "this" & 'that' <b>`;
    const withDesc = text.replace('<entry name="Panorama HA">', `<entry name="Panorama HA">\n                  <description>${desc.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description>`);
    const a = analyze(withDesc, { env });
    const f = a.findings.find((x) => x.code === 'PANO003')!;
    const sup = suppressFix(a, f)!;
    const out = applyEdits(withDesc, sup.edits).text;
    assert.equal(XMLValidator.validate(out), true);
    const r = rules(analyze(out, { env })).find((x) => x.name === 'Panorama HA')!;
    assert.equal(r.description?.value, `${desc} panos-guard-disable PANO003`);
  });

  test('XML (the other scenarios with fixes, panorama-dg with a hostile device group): every offered fix keeps hostile names well-formed and resolvable', () => {
    for (const name of ['fw-earlier-deny', 'fw-flow-removed', 'fw-service-any', 'fw-internet-source-any', 'fw-application-any', 'fw-shadowed', 'panorama-dg']) {
      const { text, env } = fixture(name, 'xml');
      const map: Record<string, string> = { ...XML_NAMES };
      if (name === 'panorama-dg') {
        const dg = /<device-group>\s*<entry name="([^"]+)"/.exec(text)?.[1];
        assert.ok(dg, 'a device group');
        map[dg] = `D&G <${dg}> ]]> "q" 'a'`;
      }
      const hostile = renameXml(text, map);
      assert.equal(XMLValidator.validate(hostile), true);
      const before = analyze(text, { env });
      const a = analyze(hostile, { env });
      assert.deepEqual(a.findings.map((f) => f.code), before.findings.map((f) => f.code), `${name}: same findings after renaming`);
      checkAllFixes(hostile, { env }, 'xml', map);
    }
  });

  test('set (fw-ssh28-application-default and others): names are quoted in every fix and round-trip', () => {
    {
      const { text, env } = fixture('fw-ssh28-application-default', 'set');
      const hostile = renameSet(text, SET_NAMES);
      const orig = analyze(text, { env });
      const a = analyze(hostile, { env });
      assert.deepEqual(a.findings.map((f) => f.code), orig.findings.map((f) => f.code), 'same findings after renaming');
      const { kinds, after } = checkAllFixes(hostile, { env }, 'set', SET_NAMES);
      assert.deepEqual(kinds, ['add-custom-service', 'replace-app-default', 'suppress', 'insert-rule-set']);
      const newName = `${SET_NAMES['Panorama HA']} tcp-28`.replace(/[^A-Za-z0-9 ._-]/g, '-');
      const added = rules(after[0]!).find((r) => r.name === newName);
      assert.ok(added, `rule ${JSON.stringify(newName)} exists after the fix`);
      assert.deepEqual(added.to.items.map((m) => m.value), [SET_NAMES.mgmt, SET_NAMES.dr]);
      assert.deepEqual(added.profileGroup.items.map((m) => m.value), [SET_NAMES['pg-default']]);
      assert.equal(added.logSetting?.value, SET_NAMES['fwd-logs']);
    }
    for (const name of ['fw-earlier-deny', 'fw-flow-removed', 'fw-service-any', 'fw-internet-source-any', 'fw-application-any', 'fw-shadowed', 'panorama-dg']) {
      const { text, env } = fixture(name, 'set');
      const hostile = renameSet(text, SET_NAMES);
      const before = analyze(text, { env });
      const a = analyze(hostile, { env });
      assert.deepEqual(a.findings.map((f) => f.code), before.findings.map((f) => f.code), `${name}: same findings after renaming`);
      checkAllFixes(hostile, { env }, 'set', SET_NAMES);
    }
  });
});

// -------------------------------------------------------------------------------------------------
// The set parser on unbalanced quotes and brackets

describe('set parser: unbalanced quotes and brackets', () => {
  const NEXT = 'set address after-the-damage ip-netmask 10.99.0.1/32';

  function check(line: string, expected: { message: string; needle: string; n?: number }[]): void {
    const text = `set address before ip-netmask 10.98.0.1/32\n${line}\n${NEXT}\n`;
    const t0 = performance.now();
    const a = analyze(text);
    assert.ok(performance.now() - t0 < 2000);
    const syntax = a.findings.filter((f) => f.code === 'PANO000');
    assert.deepEqual(
      syntax.map((f) => ({ message: f.message, span: f.span })),
      expected.map((e) => ({ message: e.message, span: spanOf(text, e.needle, e.n ?? 0, text.indexOf('\n') + 1) })),
      `findings for ${JSON.stringify(line)}`,
    );
    for (const f of a.findings) assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end);
    const names = inspectModel(a.model!).objectNames.address!;
    assert.ok(names.includes('vsys1/before') && names.includes('vsys1/after-the-damage'), `the lines around survive: ${names.join(', ')}`);
  }

  test('unterminated double and single quotes end at the line break; the next line still parses', () => {
    check('set address x description "no closing quote', [{ message: 'Unterminated double-quoted string', needle: '"no closing quote' }]);
    check("set address x description 'no closing quote", [{ message: 'Unterminated single-quoted string', needle: "'no closing quote" }]);
    check('set address x description "', [{ message: 'Unterminated double-quoted string', needle: '"' }]);
  });

  test('brackets: unclosed, stray closing, nested, empty', () => {
    check('set rulebase security rules r source [ a b', [{ message: "'[' is not closed by ']'", needle: '[' }]);
    check('set rulebase security rules r source a ]', [{ message: "']' without a matching '['", needle: ']' }]);
    check('set rulebase security rules r source [ [ a ] ]', [{ message: "Nested '[' is not allowed in a member list", needle: '[', n: 1 }]);
    check('set rulebase security rules r source [ ]', []);
    check('set rulebase security rules r source [ "a ]', [{ message: "'[' is not closed by ']'", needle: '[' }, { message: 'Unterminated double-quoted string', needle: '"a ]' }]);
  });

  test('thousands of lines with an unterminated quote: each reported (capped), the file goes on', () => {
    const many = Array.from({ length: 1000 }, (_, k) => `set address q${k} description "open ${k} [ ]`).join('\n');
    const t0 = performance.now();
    const a = analyze(`${many}\n${NEXT}\n`);
    assert.ok(performance.now() - t0 < 2000, 'within the 2 s bound');
    assert.equal(a.findings.filter((f) => f.message === 'Unterminated double-quoted string').length, 200, 'capped at MAX_SYNTAX_ISSUES');
    assert.ok(a.findings.some((f) => /^\d+ more syntax errors not shown$/.test(f.message)));
    assert.ok(inspectModel(a.model!).objectNames.address!.includes('vsys1/after-the-damage'));
    // A multi-line quoted value: continuation lines that start no command belong to it.
    const multi = `set address m description "line one\nline two\nline three"\n${NEXT}\n`;
    const b = analyze(multi);
    assert.deepEqual(b.findings.filter((f) => f.code === 'PANO000'), []);
    assert.ok(inspectModel(b.model!).objectNames.address!.includes('vsys1/after-the-damage'));
    // A lone quote at the very end of the file.
    const c = analyze(`${NEXT}\n"`);
    assert.deepEqual(c.findings.filter((f) => f.code === 'PANO000').map((f) => f.message), ["Unknown command '': set-format lines start with 'set', 'delete' or 'move'", 'Unterminated double-quoted string'].filter((m) => c.findings.some((f) => f.message === m)));
    assert.ok(c.findings.some((f) => f.message === 'Unterminated double-quoted string'));
  });

  test(
    'an unterminated quote does not swallow the following commands',
    () => {
      check(`set address x description "oops\nset address b ip-netmask 1.1.1.1\nset address c description "x"`, [{ message: 'Unterminated double-quoted string', needle: '"oops' }]);
      const a = analyze(`set address x description "oops\nset address b ip-netmask 1.1.1.1\nset address c description "x"\n`);
      assert.deepEqual(inspectModel(a.model!).objectNames.address, ['vsys1/b', 'vsys1/c', 'vsys1/x']);
    },
  );

  test(
    '20,000 lines with an unterminated quote (900 KB) analyse within the 2 s bound',
    () => {
      const many = Array.from({ length: 20_000 }, (_, k) => `set address q${k} description "open ${k} [ ]`).join('\n');
      const t0 = performance.now();
      analyze(`${many}\n${NEXT}\n`);
      const ms = performance.now() - t0;
      assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
    },
  );
});
