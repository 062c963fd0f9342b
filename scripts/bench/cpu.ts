// CPU time per component during a load step, from /proc (Linux): it shows which process ran out of
// cores first, and what one completed order costs each. PostgreSQL is counted as its shared
// processes plus the backends of the benchmark's own databases (other clients' sessions are left
// out); Redis machine-wide, so other clients of it count too.
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
  /** Each group's processes and their ticks (user + system) so far. */
  perGroup: Record<string, Map<number, number>>;
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

// PostgreSQL's shared processes, as their titles start (after "postgres: " and the cluster name).
const POSTGRES_SHARED =
  /^(checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|archiver|stats collector|parallel worker|walsender|walreceiver|startup)/;

/**
 * Whether a PostgreSQL process works for one of `databases`: the postmaster and the shared
 * processes always do; a backend ("user database host status") or an autovacuum worker
 * ("autovacuum worker database") when its database is one of them.
 */
export function postgresProcessIsOurs(pid: number, databases: ReadonlySet<string>): boolean {
  let title: string;
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return false; // ended meanwhile
  }
  const titled = /^postgres: (?:[^: ]+: )?(.*)$/.exec(title);
  if (!titled) return true; // the postmaster itself
  const activity = titled[1] ?? '';
  if (POSTGRES_SHARED.test(activity)) return true;
  const vacuumed = /^autovacuum worker (\S+)/.exec(activity);
  if (vacuumed) return databases.has(vacuumed[1] ?? '');
  return databases.has(activity.split(' ')[1] ?? '');
}

/**
 * groups: { name: pid | { parent: pid } | (stat) => boolean }: one process, a process and its
 * children (nginx and its workers), or processes picked by name (postgres, redis-server).
 * Each snapshot keeps every matching process's own ticks, so a process that ends between two
 * snapshots (another client's PostgreSQL backend, say) neither counts nor hides the others' time;
 * one that started meanwhile counts all of its ticks.
 */
export function createCpuSampler(groups: Record<string, GroupMatch>): CpuSampler {
  const supported = existsSync('/proc/self/stat');
  function snapshot(): CpuSnapshot {
    const perGroup = Object.fromEntries(Object.keys(groups).map((name) => [name, new Map<number, number>()]));
    if (!supported) return { at: performance.now(), perGroup };
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
        if (hit) perGroup[name]?.set(stat.pid, stat.ticks);
      }
    }
    return { at: performance.now(), perGroup };
  }
  /** Ticks each group spent between two snapshots, over the processes alive at the second. */
  function ticksBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
    return Object.fromEntries(
      Object.keys(groups).map((name) => {
        let ticks = 0;
        for (const [pid, now] of after.perGroup[name] ?? new Map<number, number>())
          ticks += Math.max(0, now - (before.perGroup[name]?.get(pid) ?? 0));
        return [name, ticks];
      }),
    );
  }
  return {
    supported,
    snapshot,
    /** Cores used per group between two snapshots (1.0 = one core busy all the time). */
    coresBetween(before, after) {
      const seconds = (after.at - before.at) / 1000;
      const ticks = ticksBetween(before, after);
      return Object.fromEntries(
        Object.keys(groups).map((name) => [
          name,
          Math.round(((ticks[name] ?? 0) / TICKS_PER_SECOND / seconds) * 100) / 100,
        ]),
      );
    },
    /** CPU milliseconds per group between two snapshots (= cores × seconds × 1000, without rounding the cores). */
    msBetween(before, after) {
      const ticks = ticksBetween(before, after);
      return Object.fromEntries(
        Object.keys(groups).map((name) => [name, ((ticks[name] ?? 0) * 1000) / TICKS_PER_SECOND]),
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
