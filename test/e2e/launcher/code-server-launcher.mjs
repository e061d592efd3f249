#!/usr/bin/env node
// Stands in for the VS Code executable under @vscode/test-electron's runTests: runs the suite in code-server's VS Code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseLauncherArgs } from '../lib/args.mjs';
import { launchChromium } from '../lib/browser.mjs';
import { armTimeout, finish, isFinishing, onCleanup, onCleanupAsync } from '../lib/cleanup.mjs';
import { runServerCli, startServer } from '../lib/vscodeServer.mjs';
import { decodeExitLogs, isKnownNoise, openWorkbench } from '../lib/workbench.mjs';

const say = (msg) => console.log(`[launcher] ${msg}`);
const verbose = process.env.PANOS_GUARD_E2E_VERBOSE === '1';

async function main() {
  const opts = parseLauncherArgs(process.argv.slice(2));
  // Without explicit dirs use throwaway ones, so a manual run never touches a real profile.
  let userDataDir = opts.userDataDir;
  if (!userDataDir) {
    userDataDir = mkdtempSync(join(tmpdir(), 'pg-e2e-ud-'));
    onCleanup(() => rmSync(userDataDir, { recursive: true, force: true }));
  }
  const extensionsDir = opts.extensionsDir ?? join(userDataDir, 'extensions');

  if (opts.cli) {
    // e.g. --install-extension X.vsix: the server's own CLI installs from the file, no gallery needed.
    if (!opts.extensionsDir) throw new Error(`${opts.cli[0]} needs --extensions-dir`);
    return runServerCli(opts.cli, { userDataDir, extensionsDir });
  }

  const t0 = Date.now();
  let server;
  armTimeout(opts.timeoutMs, 'the extension test run', () => {
    if (server) console.error(`--- last server log lines (${server.logFile}) ---\n${server.logTail()}`);
  });
  server = await startServer({ userDataDir, extensionsDir });
  onCleanupAsync(() => server.stop());
  say(`VS Code server on port ${server.port} (${Date.now() - t0} ms)`);

  const { browser } = await launchChromium();
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  const { page } = await openWorkbench(browser, server, {
    folder: opts.folder,
    extensionDevelopmentPaths: opts.extensionDevelopmentPaths,
    extensionTestsPath: opts.extensionTestsPath,
    // The extension host's console output (the suite's lines) arrives here along with the workbench's own log.
    onLog: (level, text) => { if (verbose || !isKnownNoise(text)) console.log(`[${level}] ${text}`); },
    onExit: (code, logs) => {
      // Kept for post-mortems: the workbench hands over its log files when the extension host ends.
      const dir = join(userDataDir, 'exit-logs');
      for (const [rel, text] of decodeExitLogs(logs)) {
        const file = join(dir, rel);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      resolveExit(Number(code) || 0);
    },
  });
  page.on('crash', () => { console.error('[launcher] browser page crashed'); resolveExit(1); });
  page.on('close', () => resolveExit(1));
  page.on('pageerror', (e) => console.error(`[launcher] page error: ${e.message}`));
  say(`workbench opened (${Date.now() - t0} ms)`);

  if (!opts.extensionTestsPath) {
    say('no --extensionTestsPath: the workbench stays open until the timeout or a signal');
  }
  const code = await exited;
  if (isFinishing()) return code; // timeout or signal: already reported, exit code already chosen
  say(`extension host exited with code ${code} (${Date.now() - t0} ms)`);
  if (code !== 0) say(`server log: ${server.logFile}; workbench logs: ${join(userDataDir, 'exit-logs')}`);
  return code;
}

main().then((code) => finish(code), (e) => {
  console.error(`[launcher] ${e.stack || e.message}`);
  finish(1);
});
