// Memory of each process of a soak: RSS from /proc (else prom-client's process_resident_memory_bytes),
// the V8 heap retained after the latest major collection from the process's /metrics
// (nodejs_heap_used_after_major_gc_bytes), and whether each stayed flat after the warm-up.
import { readFileSync } from 'node:fs';
import { httpGet } from '../lib/net.js';
import { sleep } from '../lib/proc.js';
import { type Check } from '../lib/report-command.js';
import { type Slot } from '../chaos/system.js';

export interface MemorySample {
  at: number;
  name: string;
  pid: number | null | undefined;
  rss: number | null;
  heapRetained: number | null;
  startTime: number | null;
}

export interface Medians {
  rss: number | null;
  heapRetained: number | null;
}

export interface Window {
  afterWarmup: boolean;
  bySlot: Record<string, Medians>;
}

interface Trend {
  base: number | null;
  max: number | null;
  last: number | null;
  growth: number | null;
}

export interface Verdict {
  ok: boolean;
  why?: string;
  rss?: Trend;
  heapRetained?: Trend;
}

/** The value of sample `name` (labelled or not) in Prometheus text, or null. */
function metricValue(text: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

function rssFromProc(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null; // gone
  }
}

/** → { pid, rss, heapRetained, startTime } of one slot now (null where it does not answer or no major GC ran yet). */
async function sampleSlot(slot: Slot): Promise<Omit<MemorySample, 'at' | 'name'>> {
  const res = await httpGet(`${slot.url}/metrics`, 3000);
  const text = res.status === 200 ? (res.body ?? '') : '';
  return {
    pid: slot.pid,
    rss: rssFromProc(slot.pid) ?? metricValue(text, 'process_resident_memory_bytes'),
    heapRetained: metricValue(text, 'nodejs_heap_used_after_major_gc_bytes') || null,
    startTime: metricValue(text, 'process_start_time_seconds'),
  };
}

/** Samples every slot every `everyMs`; → { samples: [{ at, name, pid, rss, heapRetained, startTime }], stop() }. */
export function startSampler(
  slots: Slot[],
  { everyMs }: { everyMs: number },
): { samples: MemorySample[]; stop: () => Promise<void> } {
  const samples: MemorySample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const slot of slots) samples.push({ at: Date.now(), name: slot.name, ...(await sampleSlot(slot)) });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
    },
  };
}

const median = (values: (number | null)[]): number | null => {
  const sorted = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] ?? 0;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
};

/** { name: { rss, heapRetained } }: the medians of each process's samples since `from` (ms epoch). */
export function windowMedians(samples: MemorySample[], names: string[], from: number): Record<string, Medians> {
  const recent = samples.filter((x) => x.at >= from);
  return Object.fromEntries(
    names.map((n) => {
      const own = recent.filter((x) => x.name === n);
      return [n, { rss: median(own.map((x) => x.rss)), heapRetained: median(own.map((x) => x.heapRetained)) }];
    }),
  );
}

/**
 * Whether each process stayed flat after the warm-up, against the median of the first window after it.
 * The heap retained after a major GC is what a leak grows, whatever the collector's timing: no later
 * window's median may pass the tolerance. RSS also moves with the size V8 and the allocator choose to
 * keep, and comes back down: only where it ends (the last window's median) counts, its peak is shown.
 * → { name: { ok, why?, rss: { base, max, last, growth }, heapRetained: { … } } }.
 */
function flatness(windows: Window[], names: string[], tolerance: number): Record<string, Verdict> {
  const measured = windows.filter((w) => w.afterWarmup);
  const verdicts: Record<string, Verdict> = {};
  for (const name of names) {
    const verdict: Verdict = { ok: true };
    for (const field of ['rss', 'heapRetained'] as const) {
      const values = measured.map((w) => w.bySlot[name]?.[field]).filter((v): v is number => typeof v === 'number');
      if (values.length < 2) {
        verdict[field] = { base: values[0] ?? null, max: null, last: null, growth: null };
        verdict.ok = false;
        verdict.why = 'fewer than two windows measured after the warm-up';
        continue;
      }
      const [base = 0, ...later] = values;
      const max = Math.max(...later);
      const last = later[later.length - 1] ?? base;
      const judged = field === 'rss' ? last : max;
      verdict[field] = { base, max, last, growth: judged / base - 1 };
      if (judged / base - 1 > tolerance) verdict.ok = false;
    }
    verdicts[name] = verdict;
  }
  return verdicts;
}

const mb = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : (bytes / 1024 ** 2).toFixed(0);
const pct = (g: number | null | undefined): string =>
  g === null || g === undefined ? '–' : `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)} %`;

/** The flatness check of every process and the no-restart check; → { verdicts, checks }. */
export function memoryChecks({
  windows,
  slots,
  samples,
  tolerance,
}: {
  windows: Window[];
  slots: Slot[];
  samples: MemorySample[];
  tolerance: number;
}): { verdicts: Record<string, Verdict>; checks: Check[] } {
  const verdicts = flatness(
    windows,
    slots.map((sl) => sl.name),
    tolerance,
  );
  const checks: Check[] = slots.map((sl) => {
    const v = verdicts[sl.name] ?? { ok: false, why: 'not measured' };
    return {
      name: `${sl.name} stays within ${Math.round(tolerance * 100)} % after the warm-up`,
      ok: v.ok,
      detail:
        v.why ??
        `heap after GC ${mb(v.heapRetained?.base)} → max ${mb(v.heapRetained?.max)} MB (${pct(v.heapRetained?.growth)}), ` +
          `RSS ${mb(v.rss?.base)} → end ${mb(v.rss?.last)} MB (${pct(v.rss?.growth)}; peak ${mb(v.rss?.max)})`,
    };
  });
  // A restart shows as a second start of the slot, or as a new process_start_time_seconds.
  const restarted = slots
    .filter(
      (sl) =>
        sl.starts > 1 ||
        new Set(samples.filter((x) => x.name === sl.name && x.startTime).map((x) => x.startTime)).size > 1,
    )
    .map((sl) => `${sl.name} (started ${sl.starts}×)`);
  checks.push({
    name: 'no process restarted',
    ok: restarted.length === 0,
    detail: restarted.length ? restarted.join(', ') : 'none',
  });
  return { verdicts, checks };
}
