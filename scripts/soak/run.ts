// One soak: the system as `npm start` runs it (each service and worker its own process, nginx in front,
// a private Redis with AOF) under a steady open-loop order rate with SSE followers, each process's RSS
// and heap sampled throughout; after the warm-up every process must stay within the tolerance, with
// no restart. A process that grew then gets two heap snapshots, minutes apart under the same load,
// compared by constructor (snapshots are taken only then: writing one inflates a process's RSS).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../bench/http-client.js';
import { createTracker, errorCount, runStep } from '../bench/order-load.js';
import { ms } from '../bench/stats.js';
import { formatDuration, repoRoot, sleep, step } from '../lib/proc.js';
import { withRun } from '../chaos/harness.js';
import { countsByStatus, createMarket } from '../chaos/market.js';
import { startSystem } from '../chaos/system.js';
import { heapGrowth, summarizeHeapSnapshot, takeHeapSnapshot } from './heap-snapshots.js';
import { type Check } from '../lib/report-command.js';
import { type RunReport } from '../chaos/harness.js';
import { type Slot } from '../chaos/system.js';
import { type StepResult } from '../bench/order-load.js';
import { type Growth } from './heap-snapshots.js';
import { type Verdict, type Window, memoryChecks, startSampler, windowMedians } from './memory.js';
import { type SoakSettings } from './settings.js';

interface Row extends Window {
  endMs: number;
  placedPerSecond: number;
  postP99: number | null;
  errors: number;
  followed: number;
}

type HeapComparison = { before: string; after: string; top: Growth[]; error?: undefined } | { error: string };

export interface SoakReport extends RunReport {
  settings: SoakSettings;
  checks: Check[];
  windows: Row[];
  verdicts: Record<string, Verdict>;
  growth: Record<string, HeapComparison>;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export { abortRuns as abortSoaks } from '../chaos/harness.js';
import { soakSpecs } from './settings.js';

export const SOAK_SPECS = soakSpecs(path.join(repoRoot, 'bench-results'));

function printWindow(log: (line: string) => void, row: Row, names: string[]): void {
  const cells = names.map(
    (n) => `${mb(row.bySlot[n]?.rss).padStart(5)}/${mb(row.bySlot[n]?.heapRetained).padStart(4)}`,
  );
  log(
    `  ${formatDuration(row.endMs).padStart(6)}${row.afterWarmup ? ' ' : '*'} ${row.placedPerSecond.toFixed(1).padStart(8)} ` +
      `${ms(row.postP99).padStart(8)} ${String(row.errors).padStart(6)} ${String(row.followed).padStart(8)}  ${cells.join('  ')}`,
  );
}

const mb = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : (bytes / 1024 ** 2).toFixed(0);

/** Two snapshots of each grown process `gapSeconds` apart while `load` runs; → { name: { before, after, top } | { error } }. */
async function compareHeaps(
  grown: Slot[],
  {
    snapshotDir,
    gapSeconds,
    load,
    log,
  }: {
    snapshotDir: (slot: Slot) => string;
    gapSeconds: number;
    load: (seconds: number) => Promise<StepResult>;
    log: (line: string) => void;
  },
): Promise<{ growth: Record<string, HeapComparison>; steps: StepResult[] }> {
  const growth: Record<string, HeapComparison> = {};
  log(`\n• ${grown.map((sl) => sl.name).join(', ')} grew: heap snapshots ${gapSeconds}s apart under the same load …`);
  const first: Record<string, string | { error: string }> = {};
  for (const slot of grown)
    first[slot.name] = await takeHeapSnapshot(slot, snapshotDir(slot)).catch((error: unknown) => ({
      error: messageOf(error),
    }));
  const steps = [await load(gapSeconds)];
  for (const slot of grown) {
    try {
      const before = first[slot.name];
      if (typeof before !== 'string') throw new Error(before?.error ?? 'no first snapshot');
      const after = await takeHeapSnapshot(slot, snapshotDir(slot));
      growth[slot.name] = {
        before,
        after,
        top: heapGrowth(summarizeHeapSnapshot(before), summarizeHeapSnapshot(after)),
      };
    } catch (error) {
      growth[slot.name] = { error: messageOf(error) };
    }
  }
  return { growth, steps };
}

/** Runs the soak `s` (settings as SOAK_SPECS describes); → { ok, error?, checks, windows, verdicts, growth, seconds, dir }. */
export async function runSoak(
  s: SoakSettings,
  { log = (line: string) => void process.stdout.write(`${line}\n`) }: { log?: (line: string) => void } = {},
): Promise<SoakReport> {
  const report: SoakReport = { ok: false, settings: s, checks: [], windows: [], verdicts: {}, growth: {} };
  return withRun(
    { kind: 'soak', build: s.build, keep: s.keep, redisMaxmemory: 512 * 1024 ** 2, log },
    report,
    async (ctx) => {
      const { dir, pgAdmin, redis, runId } = ctx;
      log(
        `Soak ${runId}: ${s.rate} orders/s for ${s.minutes} min (warm-up ${s.warmupMinutes} min), up to ${s.followMax} orders ` +
          `followed over SSE, memory within ${Math.round(s.tolerance * 100)} % after the warm-up; folder ${dir}`,
      );
      const snapshotDir = (slot: Slot) => path.join(dir, 'snapshots', slot.name);
      const system = await step('the system (every process ready, nginx)', async () => {
        const sys = await startSystem({
          runId,
          dir,
          pgAdminUrl: pgAdmin.url,
          redisUrl: redis.url,
          counts: {
            'products-service': 1,
            'products-worker': s.productsWorkers,
            'orders-service': s.ordersServices,
            'orders-worker': s.ordersWorkers,
          },
          logLevel: s.logLevel,
          // Each process can write a heap snapshot on demand, into a folder of its own.
          nodeArgs: (slot) => {
            mkdirSync(snapshotDir(slot), { recursive: true });
            return ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir(slot)}`];
          },
          onEvent: (e) => {
            if (e.type === 'crash')
              log(
                `  ! ${e.slot.name} died (${e.signal ?? `exit ${String(e.code)}`}); it is started again, which fails the soak`,
              );
          },
        });
        return Object.assign(sys, { detail: `${sys.url}, ${sys.slots.length} processes` });
      });
      ctx.setSystem(system);
      const names = system.slots.map((sl) => sl.name);
      const client = createClient(system.url, { maxSockets: s.maxInFlight + 16 });
      const market = await step(`${s.products} products and ${s.buyers} buyers`, () =>
        createMarket(client, system.tokens, { ...s, stock: 1_000_000 }),
      );
      // Each replica allows a user 10 open event streams: stay below, or the tracker falls back to polling.
      const tracker = createTracker(client, {
        maxStreams: Math.min(s.followMax, s.buyers * 5),
        pollMs: 500,
        timeoutMs: 60_000,
      });
      const sampler = startSampler(system.slots, { everyMs: s.sampleSeconds * 1000 });

      log(
        `\n  ${'time'.padStart(7)} ${'placed/s'.padStart(8)} ${'POST p99'.padStart(8)} ${'errors'.padStart(6)} ${'followed'.padStart(8)}  ${names.map((n) => `${n} RSS/heap-after-GC MB`).join('  ')}`,
      );
      log('  (* = warm-up)');
      const counter = { next: 0 };
      const load = (seconds: number) =>
        runStep({
          client,
          tracker,
          market,
          rate: s.rate,
          seconds,
          maxInFlight: s.maxInFlight,
          progressEverySeconds: 1e9,
          label: 'soak',
          counter,
        });
      const loadStart = Date.now();
      const warmupEnd = loadStart + s.warmupMinutes * 60_000;
      const loadEnd = loadStart + s.minutes * 60_000;
      const steps: StepResult[] = [];
      while (Date.now() < loadEnd) {
        const windowStart = Date.now();
        const r = await load(Math.min(s.windowSeconds, (loadEnd - windowStart) / 1000));
        steps.push(r);
        const row: Row = {
          endMs: Date.now() - loadStart,
          afterWarmup: windowStart >= warmupEnd,
          placedPerSecond: r.accepted / r.seconds,
          postP99: r.post.percentile(99),
          errors: errorCount(r.errors),
          followed: tracker.modes.sse,
          bySlot: windowMedians(sampler.samples, names, windowStart),
        };
        report.windows.push(row);
        printWindow(log, row, names);
      }
      const loadSeconds = steps.reduce((n, r) => n + r.seconds, 0);
      const placed = steps.reduce((n, r) => n + r.accepted, 0);
      const errors = steps.reduce((n, r) => n + errorCount(r.errors), 0);
      await sampler.stop();
      const memory = memoryChecks({
        windows: report.windows,
        slots: system.slots,
        samples: sampler.samples,
        tolerance: s.tolerance,
      });
      report.verdicts = memory.verdicts;

      const grown = system.slots.filter((sl) => !report.verdicts[sl.name]?.ok && sl.starts === 1 && sl.ready);
      if (s.snapshots === 'auto' && grown.length) {
        const compared = await compareHeaps(grown, { snapshotDir, gapSeconds: s.snapshotGapSeconds, load, log });
        report.growth = compared.growth;
        steps.push(...compared.steps);
      }
      await Promise.all(steps.map((r) => r.settled()));
      // Every order final afterwards: the load did not merely stop being counted.
      const buyerIds = market.buyers.map((b) => b.id);
      let counts = await countsByStatus(system.dbUrl('orders'), buyerIds);
      for (let waited = 0; (counts.PENDING ?? 0) > 0 && waited < 60; waited += 2) {
        await sleep(2000);
        counts = await countsByStatus(system.dbUrl('orders'), buyerIds);
      }
      await client.close();

      report.checks = [
        ...memory.checks,
        {
          name: 'SSE followers served throughout',
          ok: tracker.modes.current === 'sse' && tracker.modes.sse > 0,
          detail: `${tracker.modes.sse} orders followed over SSE, ${tracker.modes.poll} polled`,
        },
        {
          name: 'every order final after the soak',
          ok: !counts.PENDING,
          detail: Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        },
        {
          name: 'orders accepted at the asked rate',
          ok: placed >= 0.95 * s.rate * loadSeconds && errors <= 0.01 * placed,
          detail: `${placed} accepted (${(placed / loadSeconds).toFixed(1)}/s of ${s.rate}/s asked), ${errors} errors`,
        },
      ];
      report.ok = report.checks.every((c) => c.ok);
    },
  );
}
