// The shell of a long command that ends in a report (`npm run chaos`, `npm run soak`): options from
// flags or <PREFIX>_* variables, Ctrl-C stops what it started, the report printed (and written as
// JSON with --report-file), exit 0 only when every check passed.
import { writeFileSync } from 'node:fs';
import { stopInfra } from './infra.js';
import { describeError } from './errors.js';
import { type SettingsOf, type Specs, readOptions } from '../chaos/options.js';
import { table } from '../bench/report.js';

/** The table of a report's checks: name, ✓ or ✗, what was seen. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export const checksTable = (checks: readonly Check[]): string =>
  `\n${table(
    ['check', '', 'detail'],
    checks.map((c) => [c.name, c.ok ? '✓' : '✗', c.detail]),
  )}\n`;

export interface ReportCommand<S extends Specs, R extends { ok: boolean }> {
  prefix: string;
  specs: S;
  usage: string;
  run: (settings: SettingsOf<S>) => Promise<R>;
  abort: () => Promise<void>;
  print: (report: R) => void;
}

export async function runReportCommand<S extends Specs, R extends { ok: boolean }>({
  prefix,
  specs,
  usage,
  run,
  abort,
  print,
}: ReportCommand<S, R>): Promise<never> {
  let code = 1;
  const interrupted = async () => {
    process.stdout.write('\n• interrupted; stopping the processes and dropping the databases …\n');
    await abort();
    await stopInfra();
    process.exit(130);
  };
  process.once('SIGINT', () => void interrupted());
  process.once('SIGTERM', () => void interrupted());
  try {
    const settings = readOptions({ prefix, specs, usage });
    const report = await run(settings);
    print(report);
    const { reportFile } = settings as { reportFile?: unknown };
    if (typeof reportFile === 'string' && reportFile) writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    code = report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`\n✗ ${describeError(error)}\n`);
  }
  await stopInfra();
  process.exit(code);
}
