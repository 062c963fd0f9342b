// Reads the machine-readable reports of jest, vitest and playwright into { passed, failed, skipped }.
import { existsSync, readFileSync } from 'node:fs';

/** jest --json and vitest's json reporter share this shape. A suite that fails to load counts as one failure. */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface JestLikeReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status?: string; assertionResults?: unknown[] }[];
}

interface PlaywrightReport {
  stats?: { expected?: number; flaky?: number; unexpected?: number; skipped?: number };
  errors?: unknown[];
}

export function countJestLike(report: JestLikeReport): Counts {
  const brokenSuites = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && !r.assertionResults?.length,
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenSuites,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Playwright's json reporter: flaky tests passed on a retry; global errors (setup, config) count as failures. */
export function countPlaywright(report: PlaywrightReport): Counts {
  const stats = report.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + (report.errors?.length ?? 0),
    skipped: stats.skipped ?? 0,
  };
}

/**
 * Counts from a report file, reconciled with the runner's exit code: a runner that failed without a failing
 * test (crash, bad config, missing report) still counts as one failure.
 */
export function readCounts<R>(
  file: string,
  count: (report: R) => Counts,
  exitCode: number,
): Counts & { note: string | undefined } {
  let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  let note: string | undefined;
  if (existsSync(file)) {
    try {
      counts = count(JSON.parse(readFileSync(file, 'utf8')) as R);
    } catch (err) {
      note = `unreadable report: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else {
    note = 'no report was written';
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    note = `${note ? `${note}; ` : ''}runner exited with ${exitCode}`;
  }
  return { ...counts, note };
}
