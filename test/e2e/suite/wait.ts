/**
 * @fileoverview Waiting without fixed sleeps: re-check a condition whenever a VS Code event fires (and on a slow
 * poll as a safety net) until it holds or a deadline passes.
 */
import type { Event } from 'vscode';

export async function waitFor<T>(
  check: () => T | undefined | false,
  { what, timeoutMs = 20_000, event, pollMs = 250 }: { what: string; timeoutMs?: number; event?: Event<unknown>; pollMs?: number },
): Promise<T> {
  const first = check();
  if (first) return first;
  return new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      clearTimeout(deadline);
      clearInterval(poll);
      sub?.dispose();
      fn();
    };
    const tryNow = () => {
      try {
        const v = check();
        if (v) finish(() => resolve(v));
      } catch (e) {
        finish(() => reject(e));
      }
    };
    const deadline = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    const poll = setInterval(tryNow, pollMs);
    const sub = event?.(tryNow);
  });
}
