import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eventually as pollUntil, sleep } from '@market/kit/testing';

export const repoRoot = path.resolve(__dirname, '../../..');
export const logDir = mkdtempSync(path.join(os.tmpdir(), 'saga-logs-'));

export { sleep };

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export const eventually = <T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> => pollUntil(check, { what, timeoutMs, intervalMs });

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it has not exited within the deadline. */
  stop(deadlineMs?: number): Promise<void>;
}

/** Starts a child with only the given environment (plus PATH/HOME), its output in a log file. */
export function startChild(name: string, command: string, args: string[], env: Record<string, string>): Child {
  const logFile = path.join(logDir, `${name}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const tail = (lines = 30) => {
    try {
      return readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  return {
    name,
    process: child,
    logFile,
    exited,
    tail,
    async stop(deadlineMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A Redis the test owns (no persistence), so it can be stopped and started again on the same port. */
export async function startPrivateRedis(port: number): Promise<Child> {
  const child = startChild(
    `redis-${port}`,
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {},
  );
  await eventually(
    `redis-server on port ${port}`,
    async () => ((await pingRedis(port)) ? true : undefined),
    10_000,
    50,
  );
  return child;
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
