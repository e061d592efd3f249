// Polls a condition until it holds or a deadline passes: the harnesses' only way to wait (no fixed sleeps).
import { setTimeout as delay } from 'node:timers/promises';

export async function pollUntil(check, { what, timeoutMs = 30_000, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}
