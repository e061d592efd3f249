#!/usr/bin/env node
// Idempotent setup of the real-editor test environment: apt packages, Node 24 and code-server, in a cache outside the repo.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APT_PACKAGES, CODE_SERVER_VERSION, NODE24_VERSION, cacheDir, codeServerMarker, codeServerPackageDir,
  codeServerPrefix, node24Bin, node24Dir, node24Package, serverMainJs,
} from './test-env.mjs';

const cache = cacheDir();
mkdirSync(cache, { recursive: true });
// Child output goes to a log, not the terminal: one line per step stays readable, and the tail is shown on failure.
const logPath = join(cache, 'setup.log');

class StepError extends Error {}

function run(cmd, args, env = process.env) {
  const fd = openSync(logPath, 'a');
  writeFileSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  if (r.error) throw new StepError(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new StepError(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function output(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function step(name, isDone, install) {
  const t0 = Date.now();
  const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
  try {
    if (isDone()) {
      console.log(`[setup] ${name}: skipped (already present, ${secs()} s)`);
      return;
    }
    install();
    if (!isDone()) throw new StepError('install finished but the check still fails');
    console.log(`[setup] ${name}: installed (${secs()} s)`);
  } catch (e) {
    console.error(`[setup] ${name}: FAILED after ${secs()} s: ${e.message}`);
    let tail = '';
    try { tail = readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n'); } catch { /* no log yet */ }
    if (tail) console.error(`--- last lines of ${logPath} ---\n${tail}`);
    process.exit(1);
  }
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
  return r.status === 0 && /^Status: install ok installed$/m.test(r.stdout);
}

// apt needs root; fall back to sudo so a developer can run this as a normal user.
function asRoot(cmd, args) {
  if (process.getuid?.() === 0) return [cmd, args];
  if (output('sh', ['-c', 'command -v sudo'])) return ['sudo', [cmd, ...args]];
  throw new StepError(`${cmd} needs root and sudo is not available`);
}

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

await step(`apt ${APT_PACKAGES.join(' ')}`, () => APT_PACKAGES.every(dpkgInstalled), () => {
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  run(...asRoot('apt-get', ['update']), aptEnv);
  run(...asRoot('apt-get', ['install', '-y', '--no-install-recommends', ...missing]), aptEnv);
});

await step(`node ${NODE24_VERSION}`, () => existsSync(node24Bin()) && output(node24Bin(), ['--version']) === `v${NODE24_VERSION}`, () => {
  run('npm', ['install', '--prefix', join(cache, 'node24'), '--no-save', `${node24Package()}@${NODE24_VERSION}`]);
});

function codeServerReady() {
  if (!existsSync(codeServerMarker()) || !existsSync(serverMainJs())) return false;
  try {
    return JSON.parse(readFileSync(join(codeServerPackageDir(), 'package.json'), 'utf8')).version === CODE_SERVER_VERSION;
  } catch { return false; }
}

await step(`code-server ${CODE_SERVER_VERSION}`, codeServerReady, () => {
  // code-server's postinstall refuses any Node but 24, and this machine's npm config points nodedir at Node 20 headers.
  // The postinstall reads the Node version from npm_config_user_agent, which npm reads from the
  // environment as config: run under `npm test`, the outer npm's (Node 20's) would be inherited, so
  // every npm_* variable of the outer run is left out and the inner npm sets its own.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = {
    ...inherited,
    PATH: `${join(node24Dir(), 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node24Dir(),
    JOBS: '2',
  };
  run('npm', ['install', '-g', '--prefix', codeServerPrefix(), `code-server@${CODE_SERVER_VERSION}`], env);
  writeFileSync(codeServerMarker(), `${CODE_SERVER_VERSION}\n`);
});

console.log(`[setup] ready: cache ${cache}`);
