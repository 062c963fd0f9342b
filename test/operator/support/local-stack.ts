import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface LocalStack {
  url: string;
  adminUrl: string;
  redisUrl: string;
  databases: Record<'auth' | 'products' | 'orders', string>;
  /** The stack's mail catcher (MailDev): where its accounts' verification links arrive. */
  mail: { smtpUrl: string; webUrl: string } | undefined;
  /** Each API and worker; `pid` lets a test stop one (it is this test's child's child). */
  services: { group: string; port: number; url: string; pid: number }[];
  /** The suffixes its databases and streams carry. */
  names: { dbSuffix: string; streamSuffix: string };
  /** Stops the services and nginx and drops the databases and stream keys. */
  stop(): Promise<void>;
}

/**
 * Starts the built services and nginx on `port` (scripts/lib/stack.ts through launch-stack.mts), with
 * databases and streams of their own: `<db>_<tag>_<random>_test`.
 */
export async function startLocalStack(port: number, tag: string, timeoutMs = 240_000): Promise<LocalStack> {
  const id = randomBytes(3).toString('hex');
  const names = { dbSuffix: `_${tag}_${id}_test`, streamSuffix: `_${tag}_${id}` };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'launch-stack.mts'), String(port), names.dbSuffix, names.streamSuffix],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = await new Promise<Omit<LocalStack, 'stop' | 'names'>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack was not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('STACK_READY '));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('STACK_READY '.length)) as Omit<LocalStack, 'stop' | 'names'>);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack launcher exited (${String(code)}):\n${output}`));
    });
  });
  return {
    ...ready,
    names,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
