// Process helpers shared by the stack and test scripts. Plain Node: these run before `npm ci`.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A problem the user can fix; the scripts print its message without a stack trace. */
export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

// sbin folders are often missing from a non-root PATH, yet nginx and pg binaries live there.
const EXTRA_BIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of an executable on PATH (plus the sbin folders), or null. */
export function which(name) {
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

/**
 * Runs a command to completion. `capture` collects stdout/stderr instead of showing them.
 * Resolves with { code, signal, stdout, stderr, timedOut }; never rejects on a non-zero exit.
 */
export function run(cmd, args = [], { cwd = repoRoot, env = process.env, capture = false, timeoutMs, uid, gid } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      uid,
      gid,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      detached: timeoutMs !== undefined,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid, 'SIGKILL');
          }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Signals a detached child's whole process group, falling back to the child alone. */
export function killGroup(pid, signal = 'SIGTERM') {
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

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Command line of a running process (Linux /proc), or '' when unknown. */
export function commandLineOf(pid) {
  const file = `/proc/${pid}/cmdline`;
  if (!existsSync(file)) return '';
  try {
    return readFileSync(file, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Resolves when the child exits, or after `timeoutMs` (then it is killed). */
export function waitForExit(child, timeoutMs, signal = 'SIGTERM') {
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

export function tailOf(file, lines = 30) {
  if (!existsSync(file)) return `(no log at ${path.relative(repoRoot, file)})`;
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatDuration(ms) {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 90) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** Prints "• label … ok (detail)" around an async step; the step's return value may carry a detail string. */
export async function step(label, fn) {
  process.stdout.write(`• ${label} … `);
  const started = Date.now();
  try {
    const result = await fn();
    const detail = typeof result === 'object' && result && 'detail' in result ? result.detail : undefined;
    const took = Date.now() - started;
    process.stdout.write(`ok${detail ? ` (${detail})` : ''}${took > 2000 ? ` in ${formatDuration(took)}` : ''}\n`);
    return result;
  } catch (err) {
    process.stdout.write('failed\n');
    throw err;
  }
}

export const rel = (file) => path.relative(repoRoot, file) || '.';
