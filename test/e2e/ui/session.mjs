// One UI test session: VS Code server + (optional VSIX install) + chromium + workbench page, all torn down together.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../lib/browser.mjs';
import { onCleanup } from '../lib/cleanup.mjs';
import { extensionLogs } from '../lib/extensionLog.mjs';
import { runServerCli, startServer } from '../lib/vscodeServer.mjs';
import { isKnownNoise, openWorkbench } from '../lib/workbench.mjs';
import { WorkbenchDriver } from './workbenchDriver.mjs';

/**
 * extension: { vsix: 'x.vsix' } installs into a fresh extensions dir with the server CLI (what a user gets);
 * { devPath: DIR } loads an unpacked folder as a development extension through the workbench payload.
 */
export async function startUiSession({ folder, extension = {}, screenshotDir, timeoutMs, log = () => {} }) {
  const root = mkdtempSync(join(tmpdir(), 'pg-ui-'));
  onCleanup(() => rmSync(root, { recursive: true, force: true }));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  if (extension.vsix) {
    const code = await runServerCli(['--install-extension', extension.vsix], { userDataDir, extensionsDir });
    if (code !== 0) throw new Error(`--install-extension ${extension.vsix} failed with ${code}`);
  }
  // PANOS_GUARD_TIMING: the language server traces its analyses and unanswered code actions into its log (see logs()).
  const server = await startServer({ userDataDir, extensionsDir, env: { PANOS_GUARD_TIMING: '1' } });
  const { browser, close: closeBrowser } = await launchChromium();
  const { page } = await openWorkbench(browser, server, {
    folder,
    extensionDevelopmentPaths: extension.devPath ? [extension.devPath] : [],
    onLog: (level, text) => { if (!isKnownNoise(text)) log(level, text); },
  });
  const driver = new WorkbenchDriver(page, { screenshotDir, timeoutMs });
  return {
    page, driver, server,
    /** The extension's output channel logs (client errors, the server's trace), for a failure's report. */
    logs() {
      return extensionLogs(userDataDir);
    },
    async close() {
      await closeBrowser();
      await server.stop();
    },
  };
}
