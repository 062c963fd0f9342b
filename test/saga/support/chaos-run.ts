import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { testPgAdminUrl, uniqueSuffix } from '@market/kit/testing';
import { logDir, repoRoot } from './processes';

export interface ChaosCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChaosReport {
  ok: boolean;
  error?: string;
  dir: string;
  seed: number;
  seconds: number;
  loadSeconds: number;
  checks: ChaosCheck[];
  figures: {
    accepted: number;
    acceptedPerSecond: number;
    byStatus: Record<string, number>;
    cancels: { cancelled: number; requested: number };
  };
  faults: { kills?: { slot: string }[]; redis?: { downMs?: number }; postgres?: { terminated?: number } };
  processes: { name: string; starts: number; kills: number; crashes: number }[];
  redisMemory: { peak: number; maxmemory: number } | null;
}

/**
 * Runs `npm run chaos` (scripts/run.mjs chaos, that is scripts/chaos.ts) with `flags` against the test PostgreSQL — the same module
 * the command runs, in a child so the test stays CommonJS — and returns its JSON report.
 * The run's own output is kept in the saga log folder; its path is in `output`.
 */
export async function runChaosScript(
  flags: Record<string, string | number | boolean>,
): Promise<{ report: ChaosReport; output: string }> {
  const reportFile = path.join(logDir, `chaos-report-${uniqueSuffix()}.json`);
  const output = path.join(logDir, `chaos-run-${uniqueSuffix()}.log`);
  const args = [
    'scripts/run.mjs',
    'chaos',
    '--build',
    'false',
    '--report-file',
    reportFile,
    ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]),
  ];
  const fd = openSync(output, 'a');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PG_ADMIN_URL: testPgAdminUrl(),
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  let report: ChaosReport;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as ChaosReport;
  } catch {
    throw new Error(
      `the chaos run (exit ${code}) wrote no report; its output (${output}):\n${readFileSync(output, 'utf8').slice(-4000)}`,
    );
  }
  rmSync(reportFile, { force: true });
  return { report, output };
}

/** The failed checks as "name: detail" lines (empty when the run passed), with where to look. */
export function failures(report: ChaosReport, output: string): string[] {
  if (report.error) return [`the run did not complete: ${report.error} (output: ${output})`];
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return failed.length ? [...failed, `(seed ${report.seed}; output ${output}; processes' logs in ${report.dir})`] : [];
}
