// CPU time per component during a load step, from /proc (Linux): it shows which process ran out of
// cores first, and what one completed order costs each. PostgreSQL and Redis are counted machine-wide,
// so other clients of them count too.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  ticks: number;
}

/** One process, a process and its children, or processes picked by their stat. */
export type GroupMatch = number | { parent: number } | ((stat: ProcStat) => boolean);

export interface CpuSnapshot {
  at: number;
  totals: Record<string, number>;
}

export interface CpuSampler {
  supported: boolean;
  snapshot: () => CpuSnapshot;
  coresBetween: (before: CpuSnapshot, after: CpuSnapshot) => Record<string, number>;
  msBetween: (before: CpuSnapshot, after: CpuSnapshot) => Record<string, number>;
}

export interface CpuPerOrder {
  perGroup: Record<string, number>;
  total: number;
  completed: number;
  seconds: number;
}

function readStat(pid: string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const rest = text.slice(close + 2).split(' ');
    return { pid: Number(pid), comm, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null; // the process ended meanwhile
  }
}

/**
 * groups: { name: pid | { parent: pid } | (stat) => boolean }: one process, a process and its
 * children (nginx and its workers), or processes picked by name (postgres, redis-server).
 */
export function createCpuSampler(groups: Record<string, GroupMatch>): CpuSampler {
  const supported = existsSync('/proc/self/stat');
  function snapshot(): CpuSnapshot {
    const totals: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
    if (!supported) return { at: performance.now(), totals };
    const stats = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(readStat)
      .filter((stat): stat is ProcStat => stat !== null);
    for (const [name, match] of Object.entries(groups)) {
      for (const stat of stats) {
        const hit =
          typeof match === 'function'
            ? match(stat)
            : typeof match === 'number'
              ? stat.pid === match
              : stat.pid === match.parent || stat.ppid === match.parent;
        if (hit) totals[name] = (totals[name] ?? 0) + stat.ticks;
      }
    }
    return { at: performance.now(), totals };
  }
  return {
    supported,
    snapshot,
    /** Cores used per group between two snapshots (1.0 = one core busy all the time). */
    coresBetween(before, after) {
      const seconds = (after.at - before.at) / 1000;
      return Object.fromEntries(
        Object.keys(groups).map((name) => {
          // Processes that exit between snapshots take their time with them; never report less than nothing.
          const ticks = Math.max(0, (after.totals[name] ?? 0) - (before.totals[name] ?? 0));
          return [name, Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100];
        }),
      );
    },
    /** CPU milliseconds per group between two snapshots (= cores × seconds × 1000, without rounding the cores). */
    msBetween(before, after) {
      return Object.fromEntries(
        Object.keys(groups).map((name) => [
          name,
          (Math.max(0, (after.totals[name] ?? 0) - (before.totals[name] ?? 0)) * 1000) / TICKS_PER_SECOND,
        ]),
      );
    },
  };
}

/**
 * CPU ms per completed order for each group and in total. The total leaves out the load generator:
 * its work is the benchmark's, not the system's. → { perGroup, total, completed, seconds } or null without completions.
 */
export function cpuPerOrder(msByGroup: Record<string, number>, completed: number, seconds: number): CpuPerOrder | null {
  if (!completed) return null;
  const round = (v: number) => Math.round(v * 100) / 100;
  const perGroup = Object.fromEntries(Object.entries(msByGroup).map(([name, v]) => [name, round(v / completed)]));
  const systemMs = Object.entries(msByGroup)
    .filter(([name]) => name !== 'generator')
    .reduce((sum, [, v]) => sum + v, 0);
  return { perGroup, total: round(systemMs / completed), completed, seconds: round(seconds) };
}

/** CPU ms for a table cell: two decimals below 10 ms, one above. */
export const cpuMs = (v: number | null | undefined): string =>
  v === undefined || v === null ? '–' : v >= 10 ? v.toFixed(1) : v.toFixed(2);

/** "X ms total (orders a, products b, postgres c, …)": the groups by cost, the generator last and outside the total. */
export function formatCpuPerOrder(c: CpuPerOrder | null): string {
  if (!c) return '– (no order completed)';
  const groups = Object.entries(c.perGroup)
    .filter(([name]) => name !== 'generator')
    .sort((a, b) => b[1] - a[1])
    .map(([name, v]) => `${name} ${cpuMs(v)}`);
  const generator = c.perGroup.generator === undefined ? '' : `; load generator ${cpuMs(c.perGroup.generator)}`;
  return `${cpuMs(c.total)} ms total (${groups.join(', ')}${generator})`;
}

export const formatCores = (cores: Record<string, number>): string =>
  Object.entries(cores)
    .map(([name, value]) => `${name} ${value.toFixed(2)}`)
    .join(', ');
