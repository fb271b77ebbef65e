/**
 * Memory figures for the bench: RSS and V8 heap used, in MB, and a forced garbage collection when
 * one can be had (node --expose-gc, or V8's flag turned on at run time).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

const MB = 1024 * 1024;

export function memory(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heapUsed: m.heapUsed / MB };
}

let gcFunction: (() => void) | null | undefined;

/** The garbage collector, or null when this Node refuses to expose it. */
export function forcedGc(): (() => void) | null {
  if (gcFunction !== undefined) return gcFunction;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (gcFunction = exposed);
  try {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  } catch {
    gcFunction = null;
  }
  return gcFunction;
}

/** Collects twice (the second pass frees what finalisers released), then samples. */
export function memoryAfterGc(): MemorySample | null {
  const gc = forcedGc();
  if (!gc) return null;
  gc();
  gc();
  return memory();
}

/** Samples memory every `everyMs` until stopped; gives the peaks. */
export function watchMemory(everyMs = 100): { stop: () => MemorySample } {
  const peak = memory();
  const timer = setInterval(() => {
    const m = memory();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const m = memory();
      return { rss: Math.max(peak.rss, m.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed) };
    },
  };
}

export const mb = (value: number) => `${value.toFixed(0)} MB`;
