#!/usr/bin/env node
// The panos-guard CLI: runs the newer of the two builds of a checkout, the bundle (`npm run bundle`:
// one file, loads in about half the time) or the tsc output (`npm run build`, which `npm start`
// runs), so that whichever was built last from the sources is the one that runs.
'use strict';
// A run is one batch: parse, model, analyse, print. V8 starts the young generation at 1 MB and doubles
// it after each scavenge, copying what survives every time (on a 10 MB config, ten scavenges and
// ~50 ms). Growing it 16-fold instead reaches the 16 MB ceiling after the first: about four scavenges,
// ~22 ms. The ceiling and the old generation are unchanged (peak RSS the same). Set only on the V8
// releases known to have the flag (Node 18-24): V8 prints an unknown one on stdout.
if (Number(process.versions.v8.split('.')[0]) <= 13) require('v8').setFlagsFromString('--semi-space-growth-factor=16');
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const dev = path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js');
const stat = (f) => {
  try {
    return fs.statSync(f);
  } catch {
    return undefined;
  }
};
const bundleStat = stat(bundled);
const devStat = stat(dev);
const useBundle = bundleStat !== undefined && (devStat === undefined || bundleStat.mtimeMs >= devStat.mtimeMs);
// A closed pipe (`panos-guard flows F | head -1`) is not an error: stop quietly.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});
process.exitCode = useBundle ? runBundle(process.argv.slice(2)) : require(dev).main(process.argv.slice(2)); if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();

/**
 * The bundle, compiled with V8's code cache when `npm run bundle` left one beside it (dist/cli.js.cache):
 * the bytecode of the functions a run of the examples compiled, so that a run does not compile them
 * again (~4% of a 10 MB lint). The cache is used only for the bundle it was made from (its
 * size and modification time, and this Node, in its first line) and only if its bytes still give the
 * checksum written with them; V8 itself refuses one made by another V8 version, with other flags or
 * for a source of another length. Otherwise the bundle is compiled as usual. Nothing in it comes from
 * a config.
 *
 * PANOS_GUARD_WRITE_CODE_CACHE=1 (the bundle step): run the commands, separated by `+` arguments, in
 * one process, then write the cache. PANOS_GUARD_TRACE_CODE_CACHE=1: say on stderr what became of it
 * (used, none, stale, corrupt, rejected).
 */
function runBundle(argv) {
  const vm = require('vm');
  const Module = require('module');
  const cacheFile = bundled + '.cache';
  const stamp = `panos-guard code cache ${process.version} ${bundleStat.size} ${bundleStat.mtimeMs}`;
  const writing = process.env.PANOS_GUARD_WRITE_CODE_CACHE === '1';
  let cachedData;
  let state = 'none';
  if (!writing) {
    try {
      const buf = fs.readFileSync(cacheFile);
      const nl = buf.indexOf(10);
      const head = nl > 0 ? buf.toString('latin1', 0, nl) : '';
      const sp = head.lastIndexOf(' ');
      if (head.slice(0, sp) !== stamp) state = 'stale';
      else if (head.slice(sp + 1) !== checksum(buf.subarray(nl + 1))) state = 'corrupt';
      else cachedData = buf.subarray(nl + 1);
    } catch {
      // No cache: compile as usual.
    }
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundled, 'utf8')), { filename: bundled, cachedData });
  if (cachedData) state = script.cachedDataRejected ? 'rejected' : 'used';
  if (process.env.PANOS_GUARD_TRACE_CODE_CACHE === '1') process.stderr.write(`panos-guard: code cache ${state}\n`);
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(bundled), mod, bundled, path.dirname(bundled));
  if (!writing) return mod.exports.main(argv);
  let code = 0;
  const commands = [[]];
  for (const a of argv) a === '+' ? commands.push([]) : commands[commands.length - 1].push(a);
  for (const c of commands) code = Math.max(code, mod.exports.main(c));
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  const data = script.createCachedData();
  fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${stamp} ${checksum(data)}\n`, 'latin1'), data]));
  fs.renameSync(tmp, cacheFile);
  return code;
}

/**
 * A 32-bit checksum of the cache's data: V8 checks the data's version, flags and source length but
 * not its bytes, and a damaged cache of the right length would stop the process in V8's deserializer.
 * zlib's CRC-32 where Node has it (20.15, 22.2 and later: ~0.2 ms for the ~400 KB), else FNV-1a over
 * the bytes (~3 ms: a cold loop). The stamp names the Node version, so a cache is checked by the
 * function that wrote it.
 */
function checksum(data) {
  const zlib = require('zlib');
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data).toString(16);
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return `fnv${(h >>> 0).toString(16)}`;
}
