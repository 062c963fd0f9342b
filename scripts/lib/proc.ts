// Process helpers shared by the stack and test scripts; commands run through execa.
import { type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export { SetupError } from './errors.js';

/** A PostgreSQL or Redis server the scripts use: a reachable one, or a private one they started (`child`). */
export interface ServerHandle {
  url: string;
  private: boolean;
  child?: ChildProcess;
  /** The signal that shuts the private server down cleanly. */
  exitSignal?: NodeJS.Signals;
  stop: () => Promise<void>;
  detail: string;
}

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

// sbin folders are often missing from a non-root PATH, yet nginx and pg binaries live there.
const EXTRA_BIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of an executable on PATH (plus the sbin folders), or null. */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Collect stdout/stderr instead of showing them. */
  capture?: boolean;
  /** Then the command's whole process group is killed (SIGKILL). */
  timeoutMs?: number;
  uid?: number;
  gid?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a command to completion with exactly `env` (not merged into ours). Resolves with
 * { code, signal, stdout, stderr, timedOut }; never rejects on a non-zero exit, only when it cannot start.
 */
export async function run(
  cmd: string,
  args: readonly string[] = [],
  { cwd = repoRoot, env = process.env, capture = false, timeoutMs, uid, gid }: RunOptions = {},
): Promise<RunResult> {
  const child = execa(cmd, args, {
    cwd,
    env,
    extendEnv: false,
    uid,
    gid,
    stdin: 'ignore',
    stdout: capture ? 'pipe' : 'inherit',
    stderr: capture ? 'pipe' : 'inherit',
    reject: false,
    stripFinalNewline: false,
    // A timed-out command is ended with its children (its own process group), as execa's timeout would not.
    detached: timeoutMs !== undefined,
  });
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, 'SIGKILL');
        }, timeoutMs);
  const result = await child.finally(() => clearTimeout(timer));
  // Not started at all (no such command, no permission): the only case that rejects.
  if (result.exitCode === undefined && result.signal === undefined)
    throw result.cause instanceof Error ? result.cause : new Error(`${cmd} could not be started`);
  return {
    code: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    timedOut,
  };
}

/** Signals a detached child's whole process group, falling back to the child alone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Command line of a running process (Linux /proc), or '' when unknown. */
export function commandLineOf(pid: number): string {
  const file = `/proc/${pid}/cmdline`;
  if (!existsSync(file)) return '';
  try {
    return readFileSync(file, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Resolves when the child exits, or after `timeoutMs` (then it is killed). */
export function waitForExit(child: ChildProcess, timeoutMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    killGroup(child.pid, signal);
  });
}

export function tailOf(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no log at ${path.relative(repoRoot, file)})`;
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 90) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** Prints "• label … ok (detail)" around an async step; the step's return value may carry a detail string. */
export async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  process.stdout.write(`• ${label} … `);
  const started = Date.now();
  try {
    const result = await fn();
    const detail = typeof result === 'object' && result && 'detail' in result ? String(result.detail) : undefined;
    const took = Date.now() - started;
    process.stdout.write(`ok${detail ? ` (${detail})` : ''}${took > 2000 ? ` in ${formatDuration(took)}` : ''}\n`);
    return result;
  } catch (err) {
    process.stdout.write('failed\n');
    throw err;
  }
}

export const rel = (file: string): string => path.relative(repoRoot, file) || '.';
