// Starts the VS Code server bundled in code-server (Node 24), writes test user settings, and runs its CLI mode.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertTestEnv, node24Bin, serverMainJs } from '../../../scripts/test-env.mjs';
import { onCleanup } from './cleanup.mjs';

// A gallery at the discard port: the workbench must never reach out (and there is no network to reach anyway).
const DEAD_GALLERY = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/items' });

export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  // Why: keeps dialogs and background work that could steal focus from keyboard-driven UI tests away.
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
  // The web workbench defaults to auto save after 1 s (desktop: off); off makes Ctrl+S the only thing that saves.
  'files.autoSave': 'off',
  // The empty secondary side bar only takes room from the editor in screenshots.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function serverEnv(extra = {}) {
  return { ...process.env, EXTENSIONS_GALLERY: DEAD_GALLERY, ...extra };
}

/** Writes UD/User/settings.json, merging over anything already there (caller's settings win). */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  let current = {};
  try { current = JSON.parse(readFileSync(file, 'utf8')); } catch { /* first run */ }
  writeFileSync(file, JSON.stringify({ ...TEST_SETTINGS, ...current, ...extra }, null, 2));
}

function commonArgs(userDataDir, extensionsDir) {
  return ['--server-data-dir', userDataDir, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/**
 * Starts the server detached (own process group, so killing -pid also stops the extension host and the
 * language servers it spawned) and resolves once it prints its port.
 */
export async function startServer({ userDataDir, extensionsDir, env = {}, startTimeoutMs = 60000, echo = false }) {
  assertTestEnv({ needBrowser: false });
  userDataDir = resolve(userDataDir);
  extensionsDir = resolve(extensionsDir);
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  const logFile = join(userDataDir, 'server.log');
  const log = createWriteStream(logFile);
  const args = [serverMainJs(), '--host', '127.0.0.1', '--port', '0', '--without-connection-token',
    '--accept-server-license-terms', '--telemetry-level', 'off', '--disable-workspace-trust',
    '--enable-smoke-test-driver', ...commonArgs(userDataDir, extensionsDir)];
  const child = spawn(node24Bin(), args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(env) });
  let stopped = false;
  const kill = (sig) => {
    if (stopped && sig !== 'SIGKILL') return;
    try { process.kill(-child.pid, sig); } catch { /* group already gone */ }
  };
  const unregister = onCleanup(() => kill('SIGKILL'));

  const port = await new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`server did not report its port within ${startTimeoutMs} ms; see ${logFile}`)), startTimeoutMs);
    const onData = (d) => {
      log.write(d);
      if (echo) process.stdout.write(`[server] ${d}`);
      buf += d;
      const m = /Extension host agent listening on (\d+)/.exec(buf);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, sig) => { clearTimeout(timer); rej(new Error(`server exited early (${code ?? sig}); see ${logFile}`)); });
    child.on('error', (e) => { clearTimeout(timer); rej(e); });
  }).catch((e) => { kill('SIGKILL'); unregister(); throw e; });

  // Keep draining output for the log; an unread pipe would eventually block the server.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  const drain = (d) => { log.write(d); if (echo) process.stdout.write(`[server] ${d}`); };
  child.stdout.on('data', drain);
  child.stderr.on('data', drain);
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.on('exit', r));

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    userDataDir,
    extensionsDir,
    logFile,
    pid: child.pid,
    /** Stops the whole process group: TERM, then KILL if anything is still there after 3 s. */
    async stop() {
      if (stopped) return;
      kill('SIGTERM');
      stopped = true;
      const t = setTimeout(() => kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      kill('SIGKILL'); // children of the server that ignored TERM (extension host, language servers)
      unregister();
      log.end();
    },
    logTail(lines = 40) {
      try { return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
    },
  };
}

/** Runs the server in CLI mode (e.g. --install-extension X.vsix); resolves with the exit code, output relayed. */
export function runServerCli(cliArgs, { userDataDir, extensionsDir, env = {} }) {
  assertTestEnv({ needBrowser: false });
  const args = [serverMainJs(), ...cliArgs, ...commonArgs(resolve(userDataDir), resolve(extensionsDir))];
  const child = spawn(node24Bin(), args, { stdio: ['ignore', 'inherit', 'inherit'], env: serverEnv(env) });
  const unregister = onCleanup(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } });
  return new Promise((res) => child.on('exit', (code, sig) => { unregister(); res(code ?? (sig ? 1 : 0)); }));
}

/** A vscode-remote URI for an absolute path on the server machine (what the web workbench expects in payloads). */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${pathToFileURL(resolve(absPath)).pathname}`;
}

/** The workbench URL: optional folder to open and, for extension tests, the dev extension and suite paths. */
export function workbenchUrl(port, { folder, extensionDevelopmentPaths = [], extensionTestsPath } = {}) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', resolve(folder));
  else params.set('ew', 'true'); // explicit empty window, so the last-opened folder is not restored
  const payload = extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remoteUri(port, p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(port, extensionTestsPath)]);
  if (payload.length) params.set('payload', JSON.stringify(payload));
  return `http://127.0.0.1:${port}/?${params}`;
}
