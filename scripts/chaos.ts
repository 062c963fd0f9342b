// `npm run chaos`: the order saga under faults — processes SIGKILLed and started again, a Redis crash
// and restart on its AOF, every session of one database terminated — then checks that every order
// became final in time and that stock, its ledger and the dead-letter streams agree. `--help` lists the settings.
import { runReportCommand } from './lib/report-command.js';
import { printChaosReport } from './chaos/print-report.js';
import { CHAOS_SPECS, abortRuns, runChaos } from './chaos/run.js';

await runReportCommand({
  prefix: 'CHAOS',
  specs: CHAOS_SPECS,
  usage: 'npm run chaos -- [--flag value …]  (or CHAOS_* variables)',
  run: runChaos,
  abort: abortRuns,
  print: printChaosReport,
});
