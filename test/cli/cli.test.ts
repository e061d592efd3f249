/**
 * @fileoverview The real CLI as a process: `node bin/panos-guard.js …` with the repo root as cwd.
 * inspect / lint (text, json, sarif) / flows / exit codes and one-line errors / --env and automatic
 * .panos-guard.json discovery / --panorama and --log-collector / lint --fix (atomic, mode kept,
 * refusals) and --fix-dry-run / UTF-16 files.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { applyEdits } from '../../server/src/core/fixes/apply';
import { fixAll } from '../../server/src/core/fixes/fixAll';
import { parseEnvFile, type EnvFile } from '../../server/src/core/env/envFile';
import { LineIndex } from '../../server/src/core/text';
import { CORPUS, FIXTURES, ROOT, spanIn } from '../helpers';
import { scenarios } from '../scenarios/scenarios';

const BIN = path.join(ROOT, 'bin', 'panos-guard.js');
const SC = path.join(FIXTURES, 'scenarios');

type Run = { status: number | null; stdout: string; stderr: string };

function run(args: string[], o: { cwd?: string; uid?: number; gid?: number } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? ROOT, encoding: 'utf8', ...(o.uid !== undefined ? { uid: o.uid, gid: o.gid ?? o.uid } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T = any>(r: Run): T {
  assert.equal(r.stderr, '', 'nothing on stderr');
  return JSON.parse(r.stdout) as T;
}

/** stderr is exactly one line `panos-guard: …`. */
function oneLine(r: Run, re: RegExp): void {
  assert.equal(r.status, 2, `exit 2 (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^panos-guard: [^\n]+\n$/, `one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, re);
}

const tmpDirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-cli-'));
  tmpDirs.push(d);
  return d;
}
after(() => {
  for (const d of tmpDirs) {
    fs.chmodSync(d, 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

function envOf(name: string): EnvFile {
  return parseEnvFile(fs.readFileSync(path.join(SC, name, '.panos-guard.json'), 'utf8')).env;
}

/** A copy of a scenario (config + .panos-guard.json) in a fresh temp dir. */
function copyScenario(name: string, form: 'xml' | 'set', mode = 0o644): { dir: string; file: string; text: string; env: EnvFile } {
  const dir = tmp();
  const file = path.join(dir, `config.${form}`);
  const text = fs.readFileSync(path.join(SC, name, `config.${form}`), 'utf8');
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  fs.copyFileSync(path.join(SC, name, '.panos-guard.json'), path.join(dir, '.panos-guard.json'));
  return { dir, file, text, env: envOf(name) };
}

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// -------------------------------------------------------------------------------------------------

describe('inspect', () => {
  test('text on a firewall fixture: exact lines', () => {
    const r = run(['inspect', 'test/fixtures/scenarios/fw-tight/config.xml']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'test/fixtures/scenarios/fw-tight/config.xml',
        '  format: xml   kind: firewall   version: 10.2.0   syntax errors: 0',
        '  hostname: fw-edge   management IP: 192.0.2.10',
        '  Panorama: 10.10.10.5   Log Collectors: -',
        '  vsys:vsys1: 7 security rule(s): "Admin to Panorama", "Devices to Panorama", "Panorama to services", "Panorama to Internet", "Deny other to Panorama", "Deny other from Panorama", "Users to Internet"',
        '  objects: 7 address, 1 profile-group',
        '',
      ].join('\n'),
    );
  });

  test('json on the Panorama fixture (set form): exact fields', () => {
    const j = json(run(['inspect', '--format', 'json', 'test/fixtures/scenarios/panorama-dg/config.set']));
    const zones = ['untrust', 'mgmt', 'devices', 'admin', 'services'].map((z, i) => ({ name: z, where: 'template:edge-net/vsys1', interfaces: [`ethernet1/${i + 1}`] }));
    const none = { 'address-group': 0, service: 0, 'service-group': 0, 'application-group': 0, 'application-filter': 0, application: 0, 'external-list': 0, tag: 0 };
    assert.deepEqual(j, {
      path: 'test/fixtures/scenarios/panorama-dg/config.set',
      format: 'set',
      kind: 'panorama',
      version: null,
      detailVersion: null,
      hostname: 'panorama-1',
      managementIp: '10.10.10.5',
      panorama: ['10.10.10.5'],
      logCollectors: ['10.10.10.6'],
      deviceGroups: [
        { name: 'branches', parent: null, devices: ['0002'] },
        { name: 'edge-dg', parent: 'branches', devices: ['0001'] },
      ],
      templates: [
        { name: 'edge-net', kind: 'template', templates: [], devices: [] },
        { name: 'edge-stack', kind: 'template-stack', templates: ['edge-net'], devices: ['0001'] },
      ],
      vsys: [],
      rulebases: [
        { location: 'shared/pre', rules: [] },
        { location: 'device-group:branches/pre', rules: ['Block external DNS', 'Branch NTP block'] },
        { location: 'device-group:edge-dg/pre', rules: ['Admin to Panorama', 'Devices to Panorama', 'Panorama to services', 'Panorama to Internet', 'Deny other to Panorama', 'Deny other from Panorama'] },
        { location: 'device-group:branches/post', rules: [] },
        { location: 'device-group:edge-dg/post', rules: [] },
        { location: 'shared/post', rules: [] },
      ],
      objects: { address: 5, ...none, 'profile-group': 1 },
      objectNames: {
        address: ['edge-dg/admin-clients', 'edge-dg/managed-devices', 'edge-dg/services-net', 'log-collector', 'panorama'],
        'address-group': [],
        service: [],
        'service-group': [],
        'application-group': [],
        'application-filter': [],
        application: [],
        'external-list': [],
        tag: [],
        'profile-group': ['pg-default'],
      },
      zones,
      serverProfiles: [{ kind: 'syslog', name: 'syslog-prof', where: 'panorama', servers: ['10.40.0.14'] }],
      syntaxErrors: 0,
    });
  });

  test('json, XML and set twins of every scenario agree (but for format and version)', () => {
    for (const s of scenarios) {
      const [x, y] = ['xml', 'set'].map((f) => json(run(['inspect', '--format', 'json', `test/fixtures/scenarios/${s.name}/config.${f}`])) as Record<string, unknown>);
      for (const k of ['kind', 'hostname', 'managementIp', 'panorama', 'logCollectors', 'deviceGroups', 'templates', 'vsys', 'rulebases', 'objects', 'objectNames', 'syntaxErrors']) assert.deepEqual(x![k], y![k], `${s.name}: ${k}`);
      assert.equal(x!.format, 'xml');
      assert.equal(y!.format, 'set');
    }
  });

  test('corpus: iron-skillet Panorama 10.1 XML and set twin (several files → a JSON array)', () => {
    const files = ['iron-skillet-panorama-10.1-mgmt-static.xml', 'iron-skillet-panorama-10.1-set.conf'].map((f) => path.join(CORPUS, f));
    const j = json<Record<string, any>[]>(run(['inspect', '--format', 'json', ...files]));
    assert.ok(Array.isArray(j));
    assert.deepEqual(j.map((x) => x.path), files);
    const [x, s] = j as [Record<string, any>, Record<string, any>];
    assert.deepEqual([x.format, s.format], ['xml', 'set']);
    assert.deepEqual([x.kind, s.kind], ['panorama', 'panorama']);
    assert.equal(x.version, '10.1.0');
    assert.equal(s.version, null);
    assert.deepEqual(x.deviceGroups, s.deviceGroups);
    assert.deepEqual(x.deviceGroups.map((d: { name: string }) => d.name), ['sample_devicegroup']);
    assert.deepEqual(x.templates.map((t: { name: string; kind: string }) => `${t.name}/${t.kind}`), ['iron-skillet/template', 'sample_stack/template-stack']);
    assert.deepEqual(x.templates, s.templates);
    assert.deepEqual(x.objectNames, s.objectNames);
    assert.deepEqual([x.hostname, x.managementIp, x.panorama], ['panorama01', '192.168.55.7', ['192.168.55.7']]);
    // The set twin holds the two shared pre-rules the 10.1 XML leaves out.
    const pre = (i: Record<string, any>): string[] => i.rulebases.find((r: { location: string }) => r.location === 'shared/pre').rules;
    assert.deepEqual(pre(x), []);
    assert.deepEqual(pre(s), ['Outbound Block Rule', 'Inbound Block Rule']);
  });

  test('corpus: firewall set twin, rules in vsys1; the brace form is reported, not parsed', () => {
    const j = json(run(['inspect', '--format', 'json', path.join(CORPUS, 'iron-skillet-panos-10.1-set.conf')]));
    assert.equal(j.kind, 'firewall');
    assert.deepEqual(j.rulebases, [{ location: 'vsys:vsys1', rules: ['Outbound Block Rule', 'Inbound Block Rule'] }]);
    const brace = path.join(CORPUS, 'batfish-snippets', 'nested-config.brace.conf');
    const b = run(['inspect', brace]);
    assert.equal(b.status, 0);
    assert.equal(b.stdout, `${brace}: not a PAN-OS configuration (XML <config> or set commands)\n`);
    assert.deepEqual(json(run(['inspect', '--format', 'json', brace])), { path: brace, format: 'brace', error: 'not a PAN-OS configuration (XML <config> or set commands)' });
  });

  test('every corpus file: inspect exits 0 with no crash', () => {
    const files = fs.readdirSync(CORPUS, { recursive: true }).map(String).filter((f) => f !== 'SOURCES.md' && fs.statSync(path.join(CORPUS, f)).isFile());
    const r = run(['inspect', '--format', 'json', ...files.map((f) => path.join(CORPUS, f))]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(json<unknown[]>(r).length, files.length);
  });
});

// -------------------------------------------------------------------------------------------------

describe('lint', () => {
  const EARLY = 'test/fixtures/scenarios/fw-earlier-deny/config.xml';

  test('text: one line per finding (path:line:col: severity code message) and a summary; exit 1 on an error', () => {
    const r = run(['lint', EARLY]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '');
    const text = fs.readFileSync(path.join(ROOT, EARLY), 'utf8');
    const p = new LineIndex(text).positionAt(spanIn(text, '<entry name="Block SSH">', 'Block SSH').start);
    assert.equal(
      r.stdout,
      `${EARLY}:${p.line + 1}:${p.character + 1}: error PANO001 Blocked: admin clients 10.30.0.0/24 → Panorama/Log Collectors 10.10.10.5, 10.10.10.6 tcp/22 (ssh) is denied by rule 'Block SSH' (#1 in vsys:vsys1). Needed for admin CLI (SSH) (always required).\n1 finding(s): 1 error.\n`,
    );
  });

  test('exit 0 with no finding and with warnings only', () => {
    const a = run(['lint', 'test/fixtures/scenarios/fw-tight/config.set']);
    assert.equal(a.status, 0);
    assert.equal(a.stdout, 'No findings in 1 file(s).\n');
    const w = run(['lint', 'test/fixtures/scenarios/fw-service-any/config.xml']);
    assert.equal(w.status, 0);
    assert.match(w.stdout, /: warning PANO011 /);
    assert.match(w.stdout, /\n1 finding\(s\): 1 warning\.\n$/);
  });

  test('json: the stable shape, 0-based UTF-16 ranges, fixes with edits', () => {
    const files = [EARLY, 'test/fixtures/scenarios/fw-earlier-deny/config.set', 'test/fixtures/scenarios/fw-tight/config.xml'];
    const r = run(['lint', '--format', 'json', ...files]);
    assert.equal(r.status, 1);
    const j = json(r);
    assert.deepEqual(Object.keys(j), ['version', 'files']);
    assert.equal(j.version, 1);
    assert.deepEqual(j.files.map((f: { path: string }) => f.path), files);
    assert.deepEqual(j.files.map((f: { format: string }) => f.format), ['xml', 'set', 'xml']);
    assert.deepEqual(j.files[2].diagnostics, []);
    const allowed = ['code', 'category', 'severity', 'message', 'range', 'rule', 'rulebase', 'catalogId', 'related', 'fixes'];
    for (const [i, f] of (j.files as { path: string; diagnostics: any[] }[]).slice(0, 2).entries()) {
      assert.deepEqual(Object.keys(j.files[i]), ['path', 'format', 'diagnostics']);
      const text = fs.readFileSync(path.join(ROOT, f.path), 'utf8');
      for (const d of f.diagnostics) {
        for (const k of Object.keys(d)) assert.ok(allowed.includes(k), `unexpected key ${k}`);
        assert.ok(['missing', 'overbroad', 'hygiene', 'syntax'].includes(d.category));
        assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
        assert.deepEqual(Object.keys(d.range), ['start', 'end']);
        assert.deepEqual(Object.keys(d.range.start), ['line', 'character']);
      }
      assert.equal(f.diagnostics.length, 1);
      const d = f.diagnostics[0];
      assert.equal(d.code, 'PANO001');
      assert.equal(d.category, 'missing');
      assert.equal(d.severity, 'error');
      assert.equal(d.rule, 'Block SSH');
      assert.equal(d.rulebase, 'vsys:vsys1');
      assert.equal(d.catalogId, 'ssh-22');
      // The range is the rule's name (XML: attribute value; set: the quoted token), 0-based.
      const name = f.path.endsWith('.xml') ? spanIn(text, '<entry name="Block SSH">', 'Block SSH') : spanIn(text, 'rules "Block SSH"', '"Block SSH"');
      assert.deepEqual(d.range, new LineIndex(text).rangeOf(name));
      assert.equal(d.fixes.length, 1);
      const fx = d.fixes[0];
      assert.equal(fx.title, "Insert rule 'Allow admin clients to Panorama-LC' allowing ssh tcp/22 before 'Block SSH'");
      assert.equal(fx.safe, true);
      for (const e of fx.edits) assert.deepEqual(Object.keys(e), ['range', 'newText']);
      // The JSON edits are the library's edits.
      const li = new LineIndex(text);
      const fromJson = applyEdits(text, fx.edits.map((e: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }) => ({ span: { start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end) }, newText: e.newText }))).text;
      const a = analyze(text, { env: envOf('fw-earlier-deny') });
      assert.equal(fromJson, applyEdits(text, a.findings[0]!.fixes![0]!.edits).text);
    }
  });

  test('sarif: SARIF 2.1.0, ruleId/level/message, 1-based locations equal to the JSON ranges + 1', () => {
    const files = [EARLY, 'test/fixtures/scenarios/fw-service-any/config.set'];
    const r = run(['lint', '--format', 'sarif', ...files]);
    assert.equal(r.status, 1);
    const s = json(r);
    const j = json(run(['lint', '--format', 'json', ...files]));
    assert.equal(s.version, '2.1.0');
    assert.equal(s.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(s.runs.length, 1);
    const drv = s.runs[0].tool.driver;
    assert.equal(drv.name, 'panos-guard');
    assert.equal(typeof drv.version, 'string');
    assert.deepEqual(drv.rules.map((x: { id: string }) => x.id), ['PANO001', 'PANO011']);
    for (const x of drv.rules) {
      assert.equal(typeof x.shortDescription.text, 'string');
      assert.ok(['error', 'warning', 'note'].includes(x.defaultConfiguration.level));
    }
    assert.equal(s.runs[0].columnKind, 'utf16CodeUnits');
    const results = s.runs[0].results as any[];
    const diags = (j.files as { path: string; diagnostics: any[] }[]).flatMap((f) => f.diagnostics.map((d) => ({ ...d, path: f.path })));
    assert.equal(results.length, diags.length);
    results.forEach((res, i) => {
      const d = diags[i];
      assert.equal(res.ruleId, d.code);
      assert.equal(res.level, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[d.severity as string]);
      assert.equal(res.message.text, d.message);
      assert.equal(res.locations.length, 1);
      const pl = res.locations[0].physicalLocation;
      assert.equal(pl.artifactLocation.uri, d.path);
      assert.deepEqual(pl.region, { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 });
    });
    assert.deepEqual(results.map((x) => x.level), ['error', 'warning']);
  });

  test('every corpus file and fixture lints without crashing (exit 0 or 1, nothing on stderr)', () => {
    const files = fs.readdirSync(CORPUS, { recursive: true }).map(String).filter((f) => f !== 'SOURCES.md' && fs.statSync(path.join(CORPUS, f)).isFile()).map((f) => path.join(CORPUS, f));
    for (const fmt of ['text', 'json', 'sarif']) {
      const r = run(['lint', '--format', fmt, ...files]);
      assert.ok(r.status === 0 || r.status === 1, `${fmt}: ${r.status} ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.doesNotMatch(r.stdout, /internal error/);
    }
  });
});

// -------------------------------------------------------------------------------------------------

describe('exit code 2 with a one-line reason', () => {
  const F = 'test/fixtures/scenarios/fw-tight/config.xml';
  test('usage errors', () => {
    oneLine(run([]), /^panos-guard: missing command \(inspect, lint, flows or generate\)\n$/);
    oneLine(run(['frob', F]), /^panos-guard: unknown command 'frob'\n$/);
    oneLine(run(['lint']), /^panos-guard: lint needs at least one FILE\n$/);
    oneLine(run(['inspect']), /^panos-guard: inspect needs at least one FILE\n$/);
    oneLine(run(['flows']), /^panos-guard: flows needs at least one FILE\n$/);
    oneLine(run(['lint', '--format', 'xml', F]), /^panos-guard: lint --format must be text, json or sarif \(not xml\)\n$/);
    oneLine(run(['inspect', '--format', 'sarif', F]), /^panos-guard: inspect --format must be text or json \(not sarif\)\n$/);
    oneLine(run(['lint', F, '--env']), /^panos-guard: --env needs a value\n$/);
    oneLine(run(['lint', '--panorama', '--fix', F]), /^panos-guard: --panorama needs a value\n$/);
  });

  test('unknown options', () => {
    oneLine(run(['lint', '--bogus', F]), /^panos-guard: unknown option --bogus\n$/);
    oneLine(run(['lint', '-x', F]), /^panos-guard: unknown option -x\n$/);
    oneLine(run(['lint', '--fromat=json', F]), /^panos-guard: unknown option --fromat=json\n$/);
  });

  test('-h/--help and -v/--version, as the usage text advertises', () => {
    for (const a of ['-h', '--help']) {
      const r = run([a]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Usage: panos-guard <command>/);
    }
    for (const a of ['-v', '--version']) {
      const r = run([a]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
    }
  });

  test('the `help` command prints the usage and exits 0', () => {
    const r = run(['help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: panos-guard <command> \[options\] FILE…\n/);
    assert.match(r.stdout, /Exit status: 0 no error-severity finding, 1 at least one, 2 usage error or unreadable file\.\n$/);
  });

  test('unreadable files: missing, a directory, a path through a file, no permission', () => {
    oneLine(run(['lint', 'no/such/file.xml']), /^panos-guard: cannot read no\/such\/file\.xml: no such file\n$/);
    oneLine(run(['lint', 'test/fixtures/scenarios']), /^panos-guard: cannot read test\/fixtures\/scenarios: it is a directory\n$/);
    oneLine(run(['inspect', `${F}/x`]), /^panos-guard: cannot read test\/fixtures\/scenarios\/fw-tight\/config\.xml\/x: .*not a directory/);
    // A good file and a bad one: still exit 2, nothing printed for the good one.
    oneLine(run(['lint', F, 'missing.set']), /cannot read missing\.set: no such file/);
    const dir = tmp();
    fs.chmodSync(dir, 0o755);
    const secret = path.join(dir, 'secret.xml');
    fs.copyFileSync(path.join(ROOT, F), secret);
    fs.chmodSync(secret, 0o000);
    // Root reads anything: run as nobody when we are root.
    const r = isRoot ? run(['lint', secret], { uid: NOBODY }) : run(['lint', secret]);
    oneLine(r, new RegExp(`^panos-guard: cannot read ${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: EACCES: permission denied`));
  });

  test('environment file: missing → 2, one line', () => {
    oneLine(run(['lint', '--env', 'no-such-env.json', F]), /^panos-guard: cannot read environment file no-such-env\.json: /);
  });

  test('environment file: invalid → 2 with the reason and its position', () => {
    const dir = tmp();
    const env = path.join(dir, 'bad.json');
    fs.writeFileSync(env, '{\n  "panorama": ["10.0.0.300"]\n}\n');
    const r = run(['lint', '--env', env, F]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /invalid environment file/);
    assert.match(r.stderr, new RegExp(`${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:16: panorama\\[0\\]: '10\\.0\\.0\\.300' is not a valid IP address, CIDR or range`));
    fs.writeFileSync(env, '{ "panorama": [ ');
    const r2 = run(['lint', '--env', env, F]);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /Invalid JSON/);
  });

  test('environment file: invalid → the reason fits on ONE line', () => {
    const dir = tmp();
    const env = path.join(dir, 'bad.json');
    fs.writeFileSync(env, '{\n  "panorama": ["10.0.0.300"]\n}\n');
    oneLine(run(['lint', '--env', env, F]), /invalid environment file .*2:16.*not a valid IP address/);
  });
});

// -------------------------------------------------------------------------------------------------

describe('environment: --env, .panos-guard.json discovery, --panorama and --log-collector', () => {
  const codes = (r: Run): string[] => (json(r).files as { diagnostics: { code: string }[] }[]).flatMap((f) => f.diagnostics.map((d) => d.code));

  test('.panos-guard.json next to the config is used; --env overrides it', () => {
    const c = copyScenario('fw-flow-removed', 'xml');
    assert.deepEqual(codes(run(['lint', '--format', 'json', c.file])), ['PANO001']);
    // --env wins over the discovered file: one that turns PANO001 off.
    const other = path.join(c.dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ ...c.env, rules: { PANO001: 'off' } }));
    const withOther = run(['lint', '--format', 'json', '--env', other, c.file]);
    assert.equal(withOther.status, 0);
    assert.deepEqual(codes(withOther), [], `--env wins: ${withOther.stdout}`);
    // Without any env file: the admin clients are unknown, so other findings.
    fs.unlinkSync(path.join(c.dir, '.panos-guard.json'));
    assert.notDeepEqual(codes(run(['lint', '--format', 'json', c.file])), ['PANO001']);
  });

  test('discovery walks up to a parent folder and stops at a folder holding .git', () => {
    const root = tmp();
    fs.copyFileSync(path.join(SC, 'fw-flow-removed', '.panos-guard.json'), path.join(root, '.panos-guard.json'));
    const sub = path.join(root, 'a', 'b');
    fs.mkdirSync(sub, { recursive: true });
    fs.copyFileSync(path.join(SC, 'fw-flow-removed', 'config.set'), path.join(sub, 'config.set'));
    assert.deepEqual(codes(run(['lint', '--format', 'json', path.join(sub, 'config.set')])), ['PANO001'], 'found two levels up');
    // Relative path from another cwd works too.
    assert.deepEqual(codes(run(['lint', '--format', 'json', path.join('a', 'b', 'config.set')], { cwd: root })), ['PANO001']);
    fs.mkdirSync(path.join(root, 'a', '.git'));
    assert.notDeepEqual(codes(run(['lint', '--format', 'json', path.join(sub, 'config.set')])), ['PANO001'], 'not past the .git folder');
  });

  test('--panorama and --log-collector give addresses the config does not hold', () => {
    // The iron-skillet firewall has no Panorama address: no flows, no findings.
    const fw = path.join(CORPUS, 'iron-skillet-panos-10.1-mgmt-static.xml');
    const none = json(run(['flows', '--format', 'json', fw]));
    assert.deepEqual(none.flows, []);
    assert.equal(run(['flows', fw]).stdout.includes('no Panorama or Log Collector address known'), true);
    const one = json(run(['flows', '--format', 'json', '--panorama', '192.0.2.50', fw]));
    assert.ok(one.flows.length > 0);
    assert.ok(one.flows.some((f: { flow: string }) => f.flow.includes('192.0.2.50')));
    assert.ok(!one.flows.some((f: { id: string }) => f.id.startsWith('panorama-3978/devices-to-collectors')));
    const two = json(run(['flows', '--format', 'json', '--panorama=192.0.2.50', '--log-collector', '192.0.2.60', fw]));
    assert.ok(two.flows.some((f: { flow: string }) => f.flow.includes('192.0.2.60')), 'the Log Collector appears in the flows');
    assert.ok(two.flows.length > one.flows.length);
    // Repeatable.
    const rep = json(run(['flows', '--format', 'json', '--panorama', '192.0.2.50', '--panorama', '192.0.2.52', fw]));
    assert.ok(rep.flows.some((f: { flow: string }) => f.flow.includes('192.0.2.50, 192.0.2.52')));
    // On the Panorama corpus file: PANO027 names the extra address.
    const pano = run(['lint', '--format', 'json', '--panorama', '192.0.2.50', path.join(CORPUS, 'iron-skillet-panorama-10.1-set.conf')]);
    const d = (json(pano).files[0].diagnostics as { code: string; message: string }[]).find((x) => x.code === 'PANO027');
    assert.ok(d);
    assert.match(d.message, /\(192\.0\.2\.50, 192\.168\.55\.7\)/);
  });
});

// -------------------------------------------------------------------------------------------------

const BASE: Record<string, string> = {
  'ssh-22/admin-cli': 'allowed@Admin to Panorama',
  'dns-53/dns': 'allowed@Panorama to services',
  'shared-services-80-443-444/shared-services': 'allowed@Panorama to Internet',
  'ntp-123/ntp': 'allowed@Panorama to services',
  'https-443/web-ui': 'allowed@Admin to Panorama',
  'https-443/content-updates': 'allowed@Panorama to Internet',
  'syslog-514-6514/syslog': 'allowed@Panorama to services',
  'panorama-3978/managed-devices': 'allowed@Devices to Panorama',
  'panorama-3978/devices-to-collectors': 'allowed@Devices to Panorama',
  'panorama-3978/collectors-to-panorama': 'not-crossing@',
  'updates-28443/device-updates': 'allowed@Devices to Panorama',
  'updates-28443/collector-updates': 'not-crossing@',
};

const VERDICTS: Record<string, { context: string; flows: Record<string, string> }> = {
  'fw-tight': { context: 'vsys:vsys1', flows: BASE },
  'fw-application-any': { context: 'vsys:vsys1', flows: BASE },
  'fw-service-any': { context: 'vsys:vsys1', flows: BASE },
  'fw-internet-source-any': { context: 'vsys:vsys1', flows: BASE },
  'fw-flow-removed': { context: 'vsys:vsys1', flows: { ...BASE, 'ntp-123/ntp': 'blocked@Deny other from Panorama' } },
  'fw-earlier-deny': { context: 'vsys:vsys1', flows: { ...BASE, 'ssh-22/admin-cli': 'blocked@Block SSH' } },
  'fw-shadowed': { context: 'vsys:vsys1', flows: { ...BASE, 'ssh-22/admin-cli': 'allowed@Admin anything', 'https-443/web-ui': 'allowed@Admin anything' } },
  'fw-fqdn-dynamic': {
    context: 'vsys:vsys1',
    flows: { ...BASE, 'ntp-123/ntp': 'unknown@', 'panorama-3978/managed-devices': 'unknown@', 'panorama-3978/devices-to-collectors': 'unknown@', 'updates-28443/device-updates': 'unknown@' },
  },
  'fw-ssh28-application-default': {
    context: 'vsys:vsys1',
    flows: { ...BASE, 'ssh-28/ha-encrypted': 'blocked@Deny other to Panorama', 'ssh-28/ha-encrypted/reverse': 'blocked@Deny other to Panorama' },
  },
  'panorama-dg': { context: 'device-group:edge-dg', flows: { ...BASE, 'dns-53/dns': 'blocked@Block external DNS' } },
};

describe('flows', () => {
  test('json: the verdict and deciding rule of every required flow, per scenario and form', () => {
    assert.deepEqual(Object.keys(VERDICTS).sort(), scenarios.map((s) => s.name).sort());
    for (const [name, exp] of Object.entries(VERDICTS)) {
      for (const form of ['xml', 'set']) {
        const r = run(['flows', '--format', 'json', `test/fixtures/scenarios/${name}/config.${form}`]);
        assert.equal(r.status, 0);
        const t = json(r);
        assert.equal(t.path, `test/fixtures/scenarios/${name}/config.${form}`);
        assert.deepEqual(t.contexts.map((c: { id: string; inPath: boolean }) => `${c.id}${c.inPath ? '' : ' (not in path)'}`), [exp.context], `${name}.${form} contexts`);
        const got = Object.fromEntries((t.flows as { id: string; verdict: string; rule: string | null }[]).map((f) => [f.id, `${f.verdict}@${f.rule ?? ''}`]));
        assert.deepEqual(got, exp.flows, `${name}.${form}`);
        for (const f of t.flows) {
          for (const k of ['id', 'catalogId', 'flow', 'coverage', 'verdict', 'summary', 'rule', 'rulebase', 'range', 'context', 'why', 'trace', 'notes', 'reasons']) assert.ok(k in f, `flow field ${k}`);
          if (f.rule && f.rulebase) {
            const text = fs.readFileSync(path.join(SC, name, `config.${form}`), 'utf8');
            const li = new LineIndex(text);
            const s = li.offsetAt(f.range.start);
            const e = li.offsetAt(f.range.end);
            assert.equal(text.slice(s, e).replace(/^"|"$/g, ''), f.rule, 'the range is the deciding rule\'s name');
          }
        }
      }
    }
  });

  test('text: verdict lines in upper case with the reason under them', () => {
    const r = run(['flows', 'test/fixtures/scenarios/fw-flow-removed/config.xml']);
    assert.equal(r.status, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'test/fixtures/scenarios/fw-flow-removed/config.xml');
    assert.equal(lines[1], '  evaluated: vsys vsys1 — the firewall');
    const i = lines.indexOf('  BLOCKED      Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp)');
    assert.ok(i > 0, r.stdout);
    assert.equal(lines[i + 1], "               blocked by rule 'Deny other from Panorama' (#6 in vsys:vsys1)");
    assert.equal(lines.filter((l) => /^  (ALLOWED|BLOCKED|UNKNOWN|NOT-CROSSING) /.test(l)).length, 12);
    // Exit status 0 even with blocked flows (flows only reports).
    const p = run(['flows', 'test/fixtures/scenarios/panorama-dg/config.set']);
    assert.equal(p.status, 0);
    assert.match(p.stdout, /\n {2}evaluated: device group edge-dg — /);
    assert.match(p.stdout, /\n {2}BLOCKED {6}Panorama\/Log Collectors 10\.10\.10\.5, 10\.10\.10\.6 → DNS servers 10\.40\.0\.53 udp\/53 \(dns\)\n/);
  });
});

// -------------------------------------------------------------------------------------------------

function listDir(d: string): string[] {
  return fs.readdirSync(d).sort();
}

describe('lint --fix and --fix-dry-run', () => {
  test('--fix writes the safe fixes atomically, keeps the mode, leaves no temp file; exit by what remains', () => {
    const c = copyScenario('fw-earlier-deny', 'xml', 0o640);
    const before = listDir(c.dir);
    const inode = fs.statSync(c.file).ino;
    const r = run(['lint', '--fix', c.file]);
    assert.equal(r.stderr, '');
    const expected = fixAll(c.text, { env: c.env }, false);
    assert.equal(r.stdout, `${c.file}: applied ${expected.applied} fix(es) in ${expected.passes} pass(es)\n`);
    assert.equal(fs.readFileSync(c.file, 'utf8'), expected.text);
    assert.notEqual(expected.text, c.text);
    assert.equal(fs.statSync(c.file).mode & 0o777, 0o640, 'mode kept');
    assert.notEqual(fs.statSync(c.file).ino, inode, 'replaced by rename (a new inode), not rewritten in place');
    assert.deepEqual(listDir(c.dir), before, 'no temp file left');
    assert.equal(r.status, analyze(expected.text, { env: c.env }).findings.some((f) => f.severity === 'error') ? 1 : 0);
    // A second run: nothing to fix.
    const again = run(['lint', '--fix', c.file]);
    assert.equal(again.stdout, `${c.file}: nothing to fix\n`);
  });

  test('--fix leaves narrowing fixes alone; --unsafe-fixes applies them', () => {
    const c = copyScenario('fw-application-any', 'set');
    const r = run(['lint', '--fix', c.file]);
    assert.equal(r.stdout, `${c.file}: nothing to fix\n`);
    assert.equal(fs.readFileSync(c.file, 'utf8'), c.text);
    const u = run(['lint', '--fix', '--unsafe-fixes', c.file]);
    assert.equal(u.stderr, '');
    assert.equal(u.status, 0);
    const out = fs.readFileSync(c.file, 'utf8');
    assert.equal(out, fixAll(c.text, { env: c.env }, true).text);
    assert.match(out, /^set rulebase security rules "Admin to Panorama" application \[ ssh ssl \]$/m);
  });

  test('--fix-dry-run prints a unified diff and changes nothing', () => {
    const c = copyScenario('fw-earlier-deny', 'set');
    const st = fs.statSync(c.file);
    const r = run(['lint', '--fix-dry-run', c.file]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1, 'exit status of the file as it is');
    assert.equal(fs.readFileSync(c.file, 'utf8'), c.text);
    assert.equal(fs.statSync(c.file).mtimeMs, st.mtimeMs);
    assert.deepEqual(listDir(c.dir), ['.panos-guard.json', 'config.set']);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `--- ${c.file}`);
    assert.equal(lines[1], `+++ ${c.file} (fixed)`);
    assert.match(lines[2]!, /^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    // The diff, applied, gives the fixed text: context/removed lines from the original, added lines new.
    const fixed = fixAll(c.text, { env: c.env }, false).text;
    const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1));
    const orig = c.text.split('\n');
    const fixedLines = fixed.split('\n');
    assert.ok(added.length > 0);
    for (const a of added) assert.ok(fixedLines.includes(a) && !orig.includes(a), `added line is new: ${a}`);
    assert.equal(added.length, fixedLines.length - orig.length);
    const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[2]!)!;
    assert.equal(lines[lines.length - 1], '', 'ends with one line break');
    const body = lines.slice(3, -1);
    assert.equal(body.filter((l) => !l.startsWith('+')).length, Number(m[2]), 'old line count');
    assert.equal(body.filter((l) => !l.startsWith('-')).length, Number(m[4]), 'new line count');
    // Nothing to fix: a plain message.
    const t = copyScenario('fw-tight', 'xml');
    assert.equal(run(['lint', '--fix-dry-run', t.file]).stdout, `${t.file}: nothing to fix\n`);
  });

  test('refuses a read-only file (and a read-only folder), with a clear error, leaving it untouched', () => {
    const c = copyScenario('fw-earlier-deny', 'xml', 0o444);
    fs.chmodSync(c.dir, 0o555);
    try {
      const as = isRoot ? { uid: NOBODY } : {};
      const r = run(['lint', '--fix', c.file], as);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^panos-guard: not writing ${c.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*(EACCES|permission denied)`, 'i'));
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
      assert.equal(fs.readFileSync(c.file, 'utf8'), c.text);
      assert.deepEqual(listDir(c.dir), ['.panos-guard.json', 'config.xml'], 'no temp file left');
    } finally {
      fs.chmodSync(c.dir, 0o755);
    }
  });

  test('a writable file in a read-only folder: the atomic write fails and the original stays', () => {
    const c = copyScenario('fw-earlier-deny', 'set', 0o666);
    fs.chmodSync(c.dir, 0o555);
    try {
      const r = run(['lint', '--fix', c.file], isRoot ? { uid: NOBODY } : {});
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^panos-guard: not writing .*: .*(EACCES|permission denied)/i);
      assert.equal(fs.readFileSync(c.file, 'utf8'), c.text, 'not rewritten in place either');
      assert.deepEqual(listDir(c.dir), ['.panos-guard.json', 'config.set']);
    } finally {
      fs.chmodSync(c.dir, 0o755);
    }
  });

  test('refuses to overwrite a file that changed since it was read (a FIFO gives different text on the second read)', { skip: process.platform === 'win32' }, async () => {
    const c = copyScenario('fw-earlier-deny', 'set');
    const fifo = path.join(c.dir, 'pipe.set');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'lint', '--fix', '--env', path.join(c.dir, '.panos-guard.json'), fifo], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    let done = false;
    void exited.then(() => (done = true));
    /**
     * Writes `text` to the FIFO once a reader has it open: a non-blocking open fails with ENXIO
     * while there is none; the same descriptor is then used to write, so the reader never sees
     * an early end of file. A write that fails with EPIPE met a reader closing the FIFO just after
     * the previous text's end of file (the open came in between): the text is offered again.
     */
    const feed = async (text: string): Promise<boolean> => {
      for (let i = 0; i < 600 && !done; i++) {
        let fd: number;
        try {
          fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const buf = Buffer.from(text, 'utf8');
        let off = 0;
        let gone = false;
        try {
          while (off < buf.length) {
            try {
              off += fs.writeSync(fd, buf, off, buf.length - off);
            } catch (e) {
              const code = (e as NodeJS.ErrnoException).code;
              if (code === 'EPIPE') {
                gone = true;
                break;
              }
              if (code !== 'EAGAIN') throw e;
              await new Promise((r) => setTimeout(r, 10));
            }
          }
        } finally {
          fs.closeSync(fd);
        }
        if (gone) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        return true;
      }
      return false;
    };
    assert.ok(await feed(c.text), 'the CLI read the FIFO');
    const second = await feed(c.text.replace('Block SSH', 'Block SSH!'));
    const code = await exited;
    assert.equal(code, 2, `${stdout}${stderr}`);
    assert.equal(stdout, '');
    assert.match(stderr, /^panos-guard: not writing .*pipe\.set: the file changed since it was read\n$/);
    assert.ok(fs.statSync(fifo).isFIFO(), 'the FIFO was not replaced');
    assert.deepEqual(listDir(c.dir), ['.panos-guard.json', 'config.set', 'pipe.set']);
    // Either the mtime check or the second read (different text) refuses; record which.
    assert.equal(typeof second, 'boolean');
    if (process.env.PANOS_GUARD_TEST_DEBUG) process.stderr.write(`FIFO second read: ${second}\n`);
  });

  test('UTF-16 LE with BOM: read, linted like UTF-8, written back as UTF-16 LE with BOM', () => {
    const c = copyScenario('fw-earlier-deny', 'xml');
    const u16 = path.join(c.dir, 'u16.xml');
    fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(c.text, 'utf16le')]));
    const a = json(run(['lint', '--format', 'json', c.file]));
    const b = json(run(['lint', '--format', 'json', u16]));
    assert.deepEqual(b.files[0].diagnostics, a.files[0].diagnostics);
    assert.equal(json(run(['inspect', '--format', 'json', u16])).rulebases[0].rules[0], 'Block SSH');
    const r = run(['lint', '--fix', u16]);
    assert.equal(r.stderr, '');
    const buf = fs.readFileSync(u16);
    assert.deepEqual([...buf.subarray(0, 2)], [0xff, 0xfe], 'BOM kept');
    assert.equal(buf.subarray(2).toString('utf16le'), fixAll(c.text, { env: c.env }, false).text);
    assert.equal((buf.length - 2) % 2, 0);
    // UTF-16 BE with BOM too.
    const be = path.join(c.dir, 'be.set');
    const le = Buffer.from(fs.readFileSync(path.join(SC, 'fw-earlier-deny', 'config.set'), 'utf8'), 'utf16le');
    le.swap16();
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), le]));
    assert.equal(run(['lint', '--fix', be]).stderr, '');
    const out = Buffer.from(fs.readFileSync(be));
    assert.deepEqual([...out.subarray(0, 2)], [0xfe, 0xff]);
    const body = Buffer.from(out.subarray(2));
    body.swap16();
    assert.equal(body.toString('utf16le'), fixAll(fs.readFileSync(path.join(SC, 'fw-earlier-deny', 'config.set'), 'utf8'), { env: c.env }, false).text);
  });

  test('a UTF-8 BOM is dropped from the analysis, ranges unchanged', () => {
    const c = copyScenario('fw-earlier-deny', 'xml');
    const bom = path.join(c.dir, 'bom.xml');
    fs.writeFileSync(bom, '\ufeff' + c.text);
    assert.deepEqual(json(run(['lint', '--format', 'json', bom])).files[0].diagnostics, json(run(['lint', '--format', 'json', c.file])).files[0].diagnostics);
  });
});

describe('output to a closed pipe', () => {
  test('`panos-guard flows … | head -1` ends quietly (no EPIPE stack trace)', () => {
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" flows "${path.join(CORPUS, 'iron-skillet-panorama-10.1-set.conf')}" test/fixtures/scenarios/fw-tight/config.xml test/fixtures/scenarios/panorama-dg/config.xml | head -1 >/dev/null`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.stderr, '');
  });
});
