import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Gauge, type Registry } from 'prom-client';

// What a process really holds is the heap left after a full collection; the heap used at any other
// moment swings with garbage not yet collected, so a leak check on it fails on GC timing alone.
let afterLastMajorGc: number | null = null;
let observer: PerformanceObserver | undefined;

function watchMajorCollections(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    const entries = list.getEntries() as unknown as { detail?: { kind?: number } }[];
    if (entries.some((entry) => entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
      afterLastMajorGc = getHeapStatistics().used_heap_size;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** `nodejs_heap_used_after_major_gc_bytes`: V8 heap used right after the latest mark-sweep (absent until one ran). */
export function registerHeapAfterGc(registry: Registry): void {
  watchMajorCollections();
  new Gauge({
    name: 'nodejs_heap_used_after_major_gc_bytes',
    help: 'V8 heap used right after the latest major (mark-sweep) collection: memory the process retains',
    registers: [registry],
    collect() {
      if (afterLastMajorGc !== null) this.set(afterLastMajorGc);
    },
  });
}
