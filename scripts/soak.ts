// `npm run soak`: a steady order rate (half the sustained peak) with SSE followers for 30 minutes,
// sampling every service's and worker's RSS and heap retained after GC; after the warm-up each must stay
// within 10 % with no restart, and a process that grew gets its heap snapshots compared. `--help` lists the settings.
import { table } from './bench/report.js';
import { formatDuration } from './lib/proc.js';
import { checksTable, runReportCommand } from './lib/report-command.js';
import { type SoakReport, SOAK_SPECS, abortSoaks, runSoak } from './soak/run.js';

const kb = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} kB`;

function printReport(report: SoakReport): void {
  const write = (text: string) => process.stdout.write(text);
  if (report.error) {
    write(`\n✗ the soak could not complete: ${report.error}\n`);
    return;
  }
  for (const [name, g] of Object.entries(report.growth)) {
    if (g.error !== undefined) {
      write(`\n${name}: no heap comparison (${g.error})\n`);
      continue;
    }
    write(`\n${name}: what grew between its two heap snapshots (${g.before} → ${g.after})\n`);
    write(
      `${table(
        ['constructor', 'count', 'Δ count', 'self size', 'Δ self size'],
        g.top.map((t) => [t.name.slice(0, 60), String(t.count), `+${t.dCount}`, kb(t.size), kb(t.dSize)]),
      )}\n`,
    );
  }
  write(checksTable(report.checks));
  write(
    report.ok
      ? `\n✓ soak passed in ${formatDuration(Math.round((report.seconds ?? 0) * 1000))}\n`
      : `\n✗ SOAK FAILED; logs${Object.keys(report.growth).length ? ' and heap snapshots' : ''} kept in ${report.dir ?? '?'}\n`,
  );
}

await runReportCommand({
  prefix: 'SOAK',
  specs: SOAK_SPECS,
  usage: 'npm run soak -- [--flag value …]  (or SOAK_* variables)',
  run: runSoak,
  abort: abortSoaks,
  print: printReport,
});
