/**
 * @fileoverview Gives memory back after a burst of work. An edit storm allocates hundreds of MB of
 * short-lived text (every incremental change copies the document, every analysis builds a model);
 * V8 keeps the grown heap long after it is garbage. Once the server has been idle for a while it
 * runs one full collection, so the resident size returns close to what the open documents need.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** V8's `gc()`, when it can be had (the flag must be set before a context is created). */
function findGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    // A fresh context gets the `gc` global the flag installs; nothing from a config is evaluated.
    const fn: unknown = vm.runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private readonly gc = findGc();

  /** `report`: where to say what a collection gave back (PANOS_GUARD_TIMING). */
  constructor(
    private readonly idleMs = 2000,
    private readonly report?: (m: string) => void,
  ) {}

  /** Call after work that allocated: one collection follows `idleMs` after the last call. */
  touch(): void {
    if (!this.gc) return;
    this.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.dirty) return;
      this.dirty = false;
      const before = this.report ? process.memoryUsage() : undefined;
      this.gc!();
      if (before) {
        const after = process.memoryUsage();
        const mb = (n: number): string => (n / 1048576).toFixed(1);
        this.report!(`idle GC: rss ${mb(before.rss)} -> ${mb(after.rss)} MB, heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, heap total ${mb(before.heapTotal)} -> ${mb(after.heapTotal)} MB, external ${mb(before.external)} -> ${mb(after.external)} MB, array buffers ${mb(after.arrayBuffers)} MB`);
      }
    }, this.idleMs);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
