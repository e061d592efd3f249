/**
 * @fileoverview The CLI's code cache (bin/panos-guard.js): a copy of the launcher and a bundle built
 * here, in a temporary directory, run as processes. Written by PANOS_GUARD_WRITE_CODE_CACHE=1 over
 * several commands, then used; refused when the bundle changed (its stamp), when its bytes no longer
 * give their checksum, when V8 refuses the data, and never changing what a run prints or its exit
 * status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { buildSync } from 'esbuild';
import { ROOT } from '../helpers';

const EXAMPLE = path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml');
const EXAMPLE_SET = path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.set');

describe('CLI code cache', () => {
  let dir = '';
  let bin = '';
  let bundle = '';
  let cache = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-cache-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    bin = path.join(dir, 'bin', 'panos-guard.js');
    bundle = path.join(dir, 'dist', 'cli.js');
    cache = bundle + '.cache';
    fs.copyFileSync(path.join(ROOT, 'bin', 'panos-guard.js'), bin);
    buildSync({ entryPoints: [path.join(ROOT, 'server', 'src', 'cli.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: bundle, logLevel: 'warning' });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, PANOS_GUARD_TRACE_CODE_CACHE: '1', ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const stamp = (): string => {
    const st = fs.statSync(bundle);
    return `panos-guard code cache ${process.version} ${st.size} ${st.mtimeMs} `;
  };

  test('written over several commands, then used; the output is the same with and without it', () => {
    const plain = run(['lint', EXAMPLE]);
    assert.equal(plain.stderr, 'panos-guard: code cache none\n');
    assert.equal(plain.status, 1);
    assert.match(plain.stdout, /^3 finding\(s\): 2 error, 1 warning\.$/m);
    const flows = run(['flows', EXAMPLE_SET]);
    assert.equal(flows.status, 0);
    assert.match(flows.stdout, /^  evaluated: vsys vsys1 — the firewall$/m);

    const w = run(['lint', EXAMPLE, '+', 'flows', EXAMPLE_SET], { PANOS_GUARD_WRITE_CODE_CACHE: '1' });
    assert.equal(w.stderr, 'panos-guard: code cache none\n');
    assert.equal(w.status, 1, 'the highest exit status of the commands');
    assert.equal(w.stdout, plain.stdout + flows.stdout, 'both commands ran, in order');
    const data = fs.readFileSync(cache);
    const head = stamp();
    const nl = data.indexOf(10);
    assert.equal(data.subarray(0, head.length).toString('latin1'), head);
    // Then the data's checksum, as bin/panos-guard.js writes it (zlib's CRC-32 on this Node).
    assert.equal(data.subarray(head.length, nl).toString('latin1'), zlib.crc32(data.subarray(nl + 1)).toString(16));
    assert.ok(data.length > head.length + 100_000, `cache of ${data.length} bytes holds the compiled functions`);
    assert.deepEqual(fs.readdirSync(path.dirname(bundle)).sort(), ['cli.js', 'cli.js.cache'], 'no temporary file left');

    const used = run(['lint', EXAMPLE]);
    assert.equal(used.stderr, 'panos-guard: code cache used\n');
    assert.deepEqual([used.status, used.stdout], [plain.status, plain.stdout]);
    const usedFlows = run(['flows', EXAMPLE_SET]);
    assert.equal(usedFlows.stderr, 'panos-guard: code cache used\n');
    assert.deepEqual([usedFlows.status, usedFlows.stdout], [flows.status, flows.stdout]);
  });

  /** A fresh cache rewritten by `damage` (given its bytes and the offset of its first line's end), then a run with the same status and output as a run without the cache: its stderr. */
  const afterDamage = (damage: (data: Buffer, nl: number) => Buffer): string => {
    const plain = run(['lint', EXAMPLE]);
    run(['lint', EXAMPLE], { PANOS_GUARD_WRITE_CODE_CACHE: '1' });
    const data = fs.readFileSync(cache);
    fs.writeFileSync(cache, damage(data, data.indexOf(10)));
    const r = run(['lint', EXAMPLE]);
    assert.deepEqual([r.status, r.stdout], [plain.status, plain.stdout]);
    return r.stderr;
  };

  test('refused when V8 refuses its data (cut short), and the run is the same', () => {
    // Half the data under a checksum that matches it: only V8's own checks are left to refuse it.
    const stderr = afterDamage((data, nl) => {
      const half = data.subarray(nl + 1, nl + 1 + Math.floor((data.length - nl) / 2));
      return Buffer.concat([Buffer.from(`${stamp()}${zlib.crc32(half).toString(16)}\n`, 'latin1'), half]);
    });
    assert.equal(stderr, 'panos-guard: code cache rejected\n');
  });

  test('not given to V8 when its bytes were damaged at the same length (V8 would stop the process), and the run is the same', () => {
    const stderr = afterDamage((data, nl) => {
      for (let i = nl + 2000; i < data.length; i += 997) data[i]! ^= 0x5a;
      return data;
    });
    assert.equal(stderr, 'panos-guard: code cache corrupt\n');
  });

  test('not read for a bundle changed since it was written (another modification time or size)', () => {
    run(['lint', EXAMPLE], { PANOS_GUARD_WRITE_CODE_CACHE: '1' });
    assert.equal(run(['lint', EXAMPLE]).stderr, 'panos-guard: code cache used\n');
    const plain = run(['lint', EXAMPLE]);
    const t = new Date(fs.statSync(bundle).mtimeMs + 5000);
    fs.utimesSync(bundle, t, t);
    const r = run(['lint', EXAMPLE]);
    assert.equal(r.stderr, 'panos-guard: code cache stale\n');
    assert.deepEqual([r.status, r.stdout], [plain.status, plain.stdout]);
    // The same modification time (whole seconds, which utimes sets exactly), one byte more: stale too.
    const whole = Math.floor(Date.now() / 1000) - 60;
    fs.utimesSync(bundle, whole, whole);
    run(['lint', EXAMPLE], { PANOS_GUARD_WRITE_CODE_CACHE: '1' });
    assert.equal(run(['lint', EXAMPLE]).stderr, 'panos-guard: code cache used\n');
    fs.appendFileSync(bundle, '\n');
    fs.utimesSync(bundle, whole, whole);
    assert.equal(fs.statSync(bundle).mtimeMs, whole * 1000, 'only the size differs from the stamp');
    assert.equal(run(['lint', EXAMPLE]).stderr, 'panos-guard: code cache stale\n');
  });

  test('a run without the trace variable prints nothing about the cache', () => {
    run(['lint', EXAMPLE], { PANOS_GUARD_WRITE_CODE_CACHE: '1' });
    const r = spawnSync(process.execPath, [bin, 'lint', EXAMPLE], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, PANOS_GUARD_TRACE_CODE_CACHE: '' } });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
  });
});
