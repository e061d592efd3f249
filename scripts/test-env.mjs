// Paths of the real-editor test environment (cache outside the repo) shared by setup and the e2e harnesses.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Pinned on purpose: the UI selectors and launcher flags were checked against exactly these versions.
export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'neovim'];

/** Root of the cache; kept outside /work/main so the 600+ MB install never lands in the repo. */
export function cacheDir() {
  return process.env.PANOS_GUARD_TEST_CACHE || join(homedir(), '.cache', 'panos-guard-test');
}

/** npm package that ships a prebuilt Node for this CPU (x64 on the dev/CI machines). */
export function node24Package() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!arch) throw new Error(`no node-linux-* package known for arch ${process.arch}`);
  return `node-linux-${arch}`;
}

/** Folder of the Node 24 distribution (bin/node, include/node headers). */
export function node24Dir() {
  return join(cacheDir(), 'node24', 'node_modules', node24Package());
}

export function node24Bin() {
  return join(node24Dir(), 'bin', 'node');
}

/** npm --prefix of the global code-server install. */
export function codeServerPrefix() {
  return join(cacheDir(), 'code-server');
}

export function codeServerPackageDir() {
  return join(codeServerPrefix(), 'lib', 'node_modules', 'code-server');
}

/** The VS Code server bundled in code-server; started directly because code-server's CLI rejects the smoke-test flag. */
export function serverMainJs() {
  return join(codeServerPackageDir(), 'lib', 'vscode', 'out', 'server-main.js');
}

/** Marker written only after a complete code-server install, so a half-finished one is redone. */
export function codeServerMarker() {
  return join(codeServerPrefix(), '.panos-guard-installed');
}

export function chromiumPath() {
  return process.env.PANOS_GUARD_CHROMIUM || '/usr/bin/chromium';
}

export function nvimPath() {
  return process.env.PANOS_GUARD_NVIM || '/usr/bin/nvim';
}

/** Throws a message naming the setup command when something the tests need is missing. */
export function assertTestEnv({ needBrowser = true, needServer = true, needNvim = false } = {}) {
  const missing = [];
  if (needServer && !existsSync(node24Bin())) missing.push(node24Bin());
  if (needServer && !existsSync(serverMainJs())) missing.push(serverMainJs());
  if (needBrowser && !existsSync(chromiumPath())) missing.push(chromiumPath());
  if (needNvim && !existsSync(nvimPath())) missing.push(nvimPath());
  if (missing.length) {
    throw new Error(`real-editor test environment incomplete, missing:\n  ${missing.join('\n  ')}\n` +
      'run: node scripts/setup-test-env.mjs');
  }
}
