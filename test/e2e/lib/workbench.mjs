// Opens the VS Code web workbench of a running server in a playwright page, with the smoke-test automation hooks.
import { workbenchUrl } from './vscodeServer.mjs';

/**
 * The hooks must be exposed BEFORE navigation: the workbench looks them up on globalThis when the
 * extension host exits (codeAutomationExit(code, logs)) and for every log line (codeAutomationLog(level, text)).
 */
export async function openWorkbench(browser, server, {
  folder, extensionDevelopmentPaths = [], extensionTestsPath, onLog, onExit, viewport = { width: 1400, height: 900 },
} = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.exposeFunction('codeAutomationLog', (level, text) => { onLog?.(level, text); });
  await page.exposeFunction('codeAutomationExit', (code, logs) => { onExit?.(code, logs); });
  const url = workbenchUrl(server.port, { folder, extensionDevelopmentPaths, extensionTestsPath });
  await page.goto(url);
  return { page, context, url };
}

/** Converts the logs the workbench hands to codeAutomationExit into [relativePath, text] pairs. */
export function decodeExitLogs(logs) {
  if (!Array.isArray(logs)) return [];
  return logs.map((l) => {
    const c = l?.contents;
    // VSBuffer / Uint8Array cross the page boundary as plain objects; accept the shapes seen.
    let text = typeof c === 'string' ? c : c?.buffer ? Buffer.from(Object.values(c.buffer)).toString('utf8')
      : c && typeof c === 'object' ? Buffer.from(Object.values(c)).toString('utf8') : '';
    return [String(l?.relativePath ?? 'unknown.log'), text];
  });
}

// Messages that every offline run produces and that say nothing about the extension under test.
const KNOWN_NOISE = [
  /127\.0\.0\.1:9\b/, // the dead gallery URL we set on purpose
  /\[Service Worker\] registration/, // the web server does not serve the service worker; webviews are not used
];

/** True for a workbench log line that is expected in this offline setup (hidden unless PANOS_GUARD_E2E_VERBOSE=1). */
export function isKnownNoise(text) {
  return KNOWN_NOISE.some((re) => re.test(String(text)));
}
