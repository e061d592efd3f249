/**
 * @fileoverview A tiny sequential test runner for the extension host (mocha is not a dependency): register with
 * `test()`, run with `runRegistered()`, which rejects with every failure's assertion details.
 */
import { writeFileSync } from 'fs';

export type TestFn = () => Promise<void> | void;
type Registered = { name: string; fn: TestFn; timeoutMs: number };
export type TestResult = { name: string; ok: boolean; ms: number; error?: string };

const registered: Registered[] = [];

/** Registers a test; each gets its own timeout so one hang fails that test instead of the whole run. */
export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  registered.push({ name, fn, timeoutMs });
}

function withTimeout(p: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test '${name}' timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    // AssertionError carries actual/expected; the message already shows them, the stack shows where.
    return e.stack ?? `${e.name}: ${e.message}`;
  }
  return String(e);
}

/** Runs the registered tests in order; later tests still run after a failure (their state is independent). */
export async function runRegistered(): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const t of registered) {
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, t.name);
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      console.log(`  ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: describeError(e) });
      console.error(`  FAIL ${t.name} (${Date.now() - t0} ms)\n${indent(describeError(e))}`);
    }
  }
  // The launcher's parent reads this file to print the closing "N passed, N failed" line.
  const out = process.env.PANOS_GUARD_E2E_RESULTS;
  if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${results.length} tests failed:\n` +
      failed.map((r) => `- ${r.name}\n${indent(r.error ?? '')}`).join('\n'));
  }
  return results;
}

function indent(s: string): string {
  return s.split('\n').map((l) => `      ${l}`).join('\n');
}
