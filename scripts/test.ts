// `npm test`: dependencies, infrastructure, lint, build, then every test runner in turn.
// Dependencies are installed before this runs (run.mjs), as the setup phase's first step.
// The last line is always "N passed, N failed[, N skipped]"; the exit code is non-zero when anything failed.
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describeError } from './lib/errors.js';
import { type Server, ensureChromium, ensureNginx, ensurePostgres, ensureRedis, stopInfra } from './lib/infra.js';
import { findFreePort, isPortFree } from './lib/net.js';
import { ensureOpsTools } from './lib/ops-tools.js';
import { SetupError, formatDuration, killGroup, rel, repoRoot, step } from './lib/proc.js';
import { type Counts, countJestLike, countPlaywright, readCounts } from './lib/reports.js';
import { type Stack, demoCredentials, dropStackData, startStack } from './lib/stack.js';

interface Outcome extends Partial<Counts> {
  note?: string;
}

interface PhaseRecord extends Counts {
  name: string;
  note?: string;
  ms: number;
}

interface Infra {
  pg: Server;
  redis: Server;
  opsEnv: Record<string, string>;
}

const MINUTE = 60_000;
const reportDir = path.join(repoRoot, '.local', 'test-results');
const results: PhaseRecord[] = [];
let running: ChildProcess | undefined; // the runner now in progress, so a signal can end it
let e2eStack: Stack | undefined;

const scriptsOf = (dir: string): Record<string, string> =>
  (JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> })
    .scripts ?? {};
const countsText = ({ passed, failed, skipped }: Counts): string =>
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;

/** Runs a command in its own process group with the terminal's output; resolves its exit code (124 on timeout). */
async function runStep(
  cmd: string,
  args: string[],
  { env = process.env, timeoutMs }: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<number> {
  const child = execa(cmd, args, {
    cwd: repoRoot,
    env,
    extendEnv: false,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    reject: false,
  });
  running = child;
  let timedOut = false;
  // The whole process group, as a runner's workers would outlive a runner killed alone.
  const timer = setTimeout(() => {
    timedOut = true;
    process.stdout.write(`\n! ${cmd} ${args.join(' ')} exceeded ${formatDuration(timeoutMs)}; stopping it\n`);
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
  }, timeoutMs);
  const result = await child.finally(() => {
    clearTimeout(timer);
    running = undefined;
  });
  if (result.exitCode === undefined && result.signal === undefined)
    throw result.cause instanceof Error ? result.cause : new Error(`${cmd} could not be started`);
  return timedOut ? 124 : (result.exitCode ?? (result.signal ? 128 : 1));
}

/** Prints a header, runs the phase, records { passed, failed, skipped, note } and its duration. */
async function phase(name: string, body: () => Promise<Outcome>): Promise<PhaseRecord> {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = await body();
  } catch (err) {
    process.stdout.write(`${describeError(err)}\n`);
    outcome = {
      passed: 0,
      failed: 1,
      skipped: 0,
      note: err instanceof SetupError ? err.message.split('\n')[0] : err instanceof Error ? err.message : String(err),
    };
  }
  const record: PhaseRecord = { name, passed: 0, failed: 0, skipped: 0, ...outcome, ms: Date.now() - started };
  results.push(record);
  process.stdout.write(
    `--- ${name}: ${countsText(record)}${record.note ? ` (${record.note})` : ''} in ${formatDuration(record.ms)}\n`,
  );
  return record;
}

const checkOutcome = (code: number, what: string): Outcome =>
  code === 0 ? {} : { failed: 1, note: `${what} exited with ${code}` };

// The lint phase's gates, each a root package.json script: every one runs and counts, pass or fail.
const LINT_GATES = [
  { name: 'eslint', script: 'lint', timeoutMs: 15 * MINUTE },
  { name: 'prettier', script: 'format:check', timeoutMs: 5 * MINUTE },
  { name: 'knip', script: 'knip', timeoutMs: 5 * MINUTE },
];

async function runLint(): Promise<Outcome> {
  const scripts = scriptsOf('.');
  const gates = LINT_GATES.filter((gate) => scripts[gate.script]);
  if (gates.length === 0) return { note: 'no lint scripts' };
  const failures: string[] = [];
  for (const gate of gates) {
    process.stdout.write(`\n> ${gate.name}: npm run ${gate.script}\n`);
    const code = await runStep('npm', ['run', gate.script], { timeoutMs: gate.timeoutMs });
    process.stdout.write(`> ${gate.name}: ${code === 0 ? 'clean' : `failed (exit ${code})`}\n`);
    if (code !== 0) failures.push(`${gate.name} exited with ${code}`);
  }
  return {
    passed: gates.length - failures.length,
    failed: failures.length,
    ...(failures.length ? { note: failures.join('; ') } : {}),
  };
}

async function setup(): Promise<Infra> {
  const pg = await ensurePostgres();
  const redis = await ensureRedis();
  await ensureNginx();
  await ensureChromium();
  const ops = await step('ops test tools', ensureOpsTools);
  return { pg, redis, opsEnv: ops.env };
}

function jestProjects(): string[] {
  // The same discovery jest itself runs, so `npm test` and `npx jest` agree.
  const config = createRequire(import.meta.url)(path.join(repoRoot, 'jest.config.js')) as { projects?: string[] };
  return config.projects ?? [];
}

async function runJest({ pg, redis, opsEnv }: Infra): Promise<Outcome> {
  const projects = jestProjects();
  if (projects.length === 0) return { note: 'no jest projects yet; a workspace joins by adding jest.config.js' };
  process.stdout.write(`projects: ${projects.map((p) => p.replace('<rootDir>/', '')).join(', ')}\n`);
  const report = path.join(reportDir, 'jest.json');
  rmSync(report, { force: true });
  const workers = Math.max(2, os.availableParallelism() - 1);
  const args = [
    path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--config',
    'jest.config.js',
    '--ci',
    '--json',
    `--outputFile=${report}`,
    '--passWithNoTests',
    '--forceExit',
    `--maxWorkers=${workers}`,
  ];
  const env = { ...process.env, ...opsEnv, TEST_PG_ADMIN_URL: pg.url, TEST_REDIS_URL: redis.url };
  const code = await runStep(process.execPath, args, { env, timeoutMs: 45 * MINUTE });
  return readCounts(report, countJestLike, code);
}

async function runUnit(): Promise<Outcome> {
  if (!scriptsOf('frontend')['test:unit']) return { note: 'frontend has no test:unit script' };
  const report = path.join(reportDir, 'vitest.json');
  rmSync(report, { force: true });
  const args = [
    'run',
    'test:unit',
    '-w',
    'frontend',
    '--',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    '--passWithNoTests',
  ];
  const code = await runStep('npm', args, { timeoutMs: 10 * MINUTE });
  return readCounts(report, countJestLike, code);
}

async function runE2e(infra: Infra, { buildOk }: { buildOk: boolean }): Promise<Outcome> {
  if (!scriptsOf('frontend')['test:e2e']) return { note: 'frontend has no test:e2e script' };
  if (!buildOk) return { note: 'not run: the build failed' };
  const chromium = await ensureChromium();
  const id = randomBytes(4).toString('hex');
  const names = { dbSuffix: `_e2e_${id}_test`, streamSuffix: `_e2e_${id}` };
  const port = (await isPortFree(8090)) ? 8090 : await findFreePort(8091);
  try {
    // Many logins within minutes from one address: the limit stays on, with room for a test suite.
    e2eStack = await startStack({
      port,
      ...names,
      logDir: path.join(repoRoot, '.local', 'logs', 'e2e'),
      build: false,
      loginRate: '120r/m',
      loginBurst: 30,
      // Every spec signs its own accounts up, all from 127.0.0.1.
      signupRate: '600r/m',
      signupBurst: 100,
      refreshRate: '600r/m',
      refreshBurst: 100,
      authLimits: { SIGNUP_RATE_LIMIT_PER_IP: 10_000, REFRESH_RATE_LIMIT_PER_IP: 10_000 },
    });
    const report = path.join(reportDir, 'playwright.json');
    rmSync(report, { force: true });
    const { buyer, seller, admin } = demoCredentials();
    const env = {
      ...process.env,
      E2E_BASE_URL: e2eStack.url,
      // The specs read the mail the services sent (verification and reset links) from MailDev's REST API.
      ...(e2eStack.mail ? { E2E_MAIL_URL: e2eStack.mail.webUrl } : {}),
      CHROMIUM_PATH: chromium,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      DEMO_BUYER_PASSWORD: buyer.password,
      DEMO_SELLER_PASSWORD: seller.password,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    };
    const args = ['run', 'test:e2e', '-w', 'frontend', '--', '--reporter=list,json', '--pass-with-no-tests'];
    const code = await runStep('npm', args, { env, timeoutMs: 25 * MINUTE });
    const counts = readCounts(report, countPlaywright, code);
    if (counts.failed) process.stdout.write(`stack logs: ${rel(path.join(repoRoot, '.local', 'logs', 'e2e'))}/\n`);
    return counts;
  } finally {
    await e2eStack?.stop();
    e2eStack = undefined;
    // The e2e stack's databases and Redis keys are throwaway: drop them so runs do not pile up.
    await dropStackData(infra.pg.url, infra.redis.url, names).catch(() => {});
  }
}

function summary(): Counts {
  const total = results.reduce(
    (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  process.stdout.write('\n=== summary ===\n');
  for (const r of results)
    process.stdout.write(`  ${r.name.padEnd(22)} ${countsText(r).padEnd(34)} ${formatDuration(r.ms)}\n`);
  return total;
}

async function finish(code?: number): Promise<never> {
  await stopInfra().catch(() => {});
  const total = summary();
  process.stdout.write(`${countsText(total)}\n`);
  process.exit(code ?? (total.failed > 0 ? 1 : 0));
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  process.stdout.write(`\n! ${signal}: stopping\n`);
  if (running) killGroup(running.pid, 'SIGTERM');
  await e2eStack?.stop().catch(() => {});
  results.push({ name: `interrupted (${signal})`, passed: 0, failed: 1, skipped: 0, ms: 0 });
  await finish(130);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void interrupted(signal));

mkdirSync(reportDir, { recursive: true });
let infra: Infra | undefined;
const setupResult = await phase('setup', async () => {
  infra = await setup();
  return {};
});
if (setupResult.failed || !infra) await finish(1);
const ready = infra!;

// ESLint (type-aware), Prettier and knip; CI runs them only here.
await phase('lint', runLint);
const build = await phase('build', async () =>
  checkOutcome(await runStep('npm', ['run', 'build'], { timeoutMs: 20 * MINUTE }), 'npm run build'),
);
// After the build, so the incremental tsc -b is instant; adds the test files, which ts-jest does not type-check.
await phase('typecheck', async () =>
  checkOutcome(await runStep('npm', ['run', 'typecheck'], { timeoutMs: 10 * MINUTE }), 'npm run typecheck'),
);
await phase('backend (jest)', () => runJest(ready));
await phase('frontend unit', runUnit);
await phase('frontend e2e', () => runE2e(ready, { buildOk: build.failed === 0 }));
await finish();
