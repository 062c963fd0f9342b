// The end of a chaos run on the terminal: the checks, the faults and what each process went through.
import { table } from '../bench/report.js';
import { formatDuration } from '../lib/proc.js';
import { checksTable } from '../lib/report-command.js';
import { type ChaosReport } from './run.js';

export function printChaosReport(
  report: ChaosReport,
  write: (text: string) => unknown = (text) => process.stdout.write(text),
): void {
  const f = report.figures;
  if (report.error || !f) {
    write(`\n✗ the run could not complete: ${report.error ?? 'no figures'}\n`);
    return;
  }
  write(
    `\nOrders: ${f.accepted} accepted of ${f.attempted} (${f.acceptedPerSecond.toFixed(1)}/s over ${formatDuration(Math.round((report.loadSeconds ?? 0) * 1000))}), ` +
      `${Object.entries(f.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; cancels: ${f.cancels.cancelled} applied, ${f.cancels.conflict} refused (409) of ${f.cancels.requested}; ` +
      `retried requests ${JSON.stringify(f.retries)}\n`,
  );
  if (report.redisMemory) {
    const mb = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MB`;
    write(
      `Redis memory: used ${mb(report.redisMemory.usedMemory)}, peak ${mb(report.redisMemory.peak)}, maxmemory ${report.redisMemory.maxmemory ? mb(report.redisMemory.maxmemory) : 'none'}\n`,
    );
  }
  write(
    `\n${table(
      ['process', 'starts', 'killed', 'died on its own'],
      report.processes.map((p) => [p.name, String(p.starts), String(p.kills), String(p.crashes)]),
    )}\n`,
  );
  write(checksTable(report.checks));
  write(
    report.ok
      ? `\n✓ chaos run passed in ${formatDuration(Math.round((report.seconds ?? 0) * 1000))} (seed ${report.seed})\n`
      : `\n✗ CHAOS RUN FAILED (seed ${report.seed}); processes' logs and Redis' AOF kept in ${report.dir ?? '?'}\n`,
  );
}
