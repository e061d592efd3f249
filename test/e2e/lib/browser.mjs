// Launches Debian's chromium through playwright-core (never a downloaded browser) and tears it down with the process.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { assertTestEnv, chromiumPath } from '../../../scripts/test-env.mjs';
import { onCleanupAsync } from './cleanup.mjs';

// createRequire rather than `import`: a CommonJS require also honours NODE_PATH, so trials can point at a
// playwright-core installed outside the repo, while a project devDependency is found the normal way.
const require = createRequire(import.meta.url);

export function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core not found (${e.code}): add it to devDependencies or set NODE_PATH to a folder holding it`);
  }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts headless chromium; our cleanup module, not playwright, owns signal handling. */
export async function launchChromium({ headless = true } = {}) {
  assertTestEnv({ needServer: false });
  if (!existsSync(chromiumPath())) throw new Error(`chromium not found at ${chromiumPath()}`);
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: chromiumPath(), headless, args: CHROMIUM_ARGS,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  // Graceful close on our exits; as a last resort playwright-core itself SIGKILLs the browser's process group
  // from its own process 'exit' hook (it spawns chromium detached), so no chromium outlives us.
  const off = onCleanupAsync(() => browser.close());
  return {
    browser,
    async close() { off(); await browser.close().catch(() => {}); },
  };
}
