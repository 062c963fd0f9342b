// The shell of a long command that ends in a report (`npm run chaos`, `npm run soak`): options from
// flags or <PREFIX>_* variables, Ctrl-C stops what it started, the report printed (and written as
// JSON with --report-file), exit 0 only when every check passed.
import { writeFileSync } from 'node:fs';
import { stopInfra } from './infra.mjs';
import { SetupError } from './proc.mjs';
import { readOptions } from '../chaos/options.mjs';
import { table } from '../bench/report.mjs';

/** The table of a report's checks: name, ✓ or ✗, what was seen. */
export const checksTable = (checks) =>
  `\n${table(
    ['check', '', 'detail'],
    checks.map((c) => [c.name, c.ok ? '✓' : '✗', c.detail]),
  )}\n`;

/**
 * @param {{ prefix: string, specs: object, usage: string, run: (settings: any) => Promise<{ ok: boolean }>,
 *   abort: () => Promise<void>, print: (report: any) => void }} command
 */
export async function runReportCommand({ prefix, specs, usage, run, abort, print }) {
  let code = 1;
  const interrupted = async () => {
    process.stdout.write('\n• interrupted; stopping the processes and dropping the databases …\n');
    await abort();
    await stopInfra();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const settings = readOptions({ prefix, specs, usage });
    const report = await run(settings);
    print(report);
    if (settings.reportFile) writeFileSync(settings.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    code = report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`\n✗ ${error instanceof SetupError ? error.message : (error.stack ?? error)}\n`);
  }
  await stopInfra();
  process.exit(code);
}
