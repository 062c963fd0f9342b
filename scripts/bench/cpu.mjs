// CPU time per component during a load step, from /proc (Linux): it shows which process ran out of
// cores first. PostgreSQL and Redis are counted machine-wide, so other clients of them count too.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

function readStat(pid) {
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
export function createCpuSampler(groups) {
  const supported = existsSync('/proc/self/stat');
  function snapshot() {
    const totals = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
    if (!supported) return { at: performance.now(), totals };
    const stats = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(readStat)
      .filter(Boolean);
    for (const [name, match] of Object.entries(groups)) {
      for (const stat of stats) {
        const hit =
          typeof match === 'function'
            ? match(stat)
            : typeof match === 'number'
              ? stat.pid === match
              : stat.pid === match.parent || stat.ppid === match.parent;
        if (hit) totals[name] += stat.ticks;
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
          const ticks = Math.max(0, after.totals[name] - before.totals[name]);
          return [name, Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100];
        }),
      );
    },
  };
}

export const formatCores = (cores) =>
  Object.entries(cores)
    .map(([name, value]) => `${name} ${value.toFixed(2)}`)
    .join(', ');
