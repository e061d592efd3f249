// Process-wide cleanup registry: every child we start is torn down on normal exit, error, signal or hard timeout.
const syncHooks = new Set(); // must be synchronous: they also run inside process.on('exit')
const asyncHooks = new Set(); // graceful closers (e.g. browser.close), tried first with a bound
let installed = false;
let finishing = null;

/** Registers a synchronous last-resort killer; returns an unregister function. */
export function onCleanup(fn) {
  install();
  syncHooks.add(fn);
  return () => syncHooks.delete(fn);
}

/** Registers a graceful async closer that runs (bounded by 5 s) before the sync hooks. */
export function onCleanupAsync(fn) {
  install();
  asyncHooks.add(fn);
  return () => asyncHooks.delete(fn);
}

function runSyncHooks() {
  for (const fn of [...syncHooks]) {
    syncHooks.delete(fn);
    try { fn(); } catch { /* already gone */ }
  }
}

async function runAsyncHooks() {
  const all = [...asyncHooks].map((fn) => { asyncHooks.delete(fn); return Promise.resolve().then(fn).catch(() => {}); });
  let timer;
  // A hung browser must not keep us alive: the sync hooks kill whatever is left afterwards.
  await Promise.race([Promise.all(all), new Promise((r) => { timer = setTimeout(r, 5000); })]);
  clearTimeout(timer);
}

/** Closes everything, then exits with the given code; safe to call more than once. */
export function finish(code) {
  if (!finishing) {
    finishing = (async () => {
      await runAsyncHooks();
      runSyncHooks();
      process.exit(code);
    })();
  }
  return finishing;
}

/** True once shutdown has begun; late events (a page closing under us) are then expected, not failures. */
export function isFinishing() {
  return finishing !== null;
}

/** Arms a hard timeout that reports and exits with 124 (as timeout(1) does). */
export function armTimeout(ms, what, onExpire = () => {}) {
  const t = setTimeout(async () => {
    console.error(`[e2e] TIMEOUT: ${what} did not finish within ${Math.round(ms / 1000)} s`);
    try { await onExpire(); } catch { /* reporting only */ }
    finish(124);
  }, ms);
  return () => clearTimeout(t);
}

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', runSyncHooks);
  for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => {
      console.error(`[e2e] ${sig} received, stopping children`);
      finish(128 + num);
    });
  }
}
