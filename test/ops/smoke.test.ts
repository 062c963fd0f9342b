import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@market/kit/testing';
import { repoRoot, run } from './support';

// The smoke script CI runs against the compose stack it starts from the images it built, run here
// against a local stack (every service and worker, nginx, the real saga on PostgreSQL and Redis).
describe('smoke script', () => {
  let launcher: ChildProcess;
  let stack: { url: string; mail: string; ready: string[] };

  beforeAll(async () => {
    launcher = spawn(
      process.execPath,
      [
        path.join(__dirname, 'support-smoke-stack.mjs'),
        JSON.stringify({ port: await freePort(), id: randomBytes(4).toString('hex') }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    stack = await new Promise((resolve, reject) => {
      createInterface({ input: launcher.stdout! }).on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line) as typeof stack);
      });
      launcher.once('exit', (code) => reject(new Error(`the stack launcher exited with ${code}`)));
    });
  }, 240_000);

  afterAll(async () => {
    if (launcher.exitCode !== null) return;
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGTERM');
    await exited;
  });

  const smoke = (args: string[]) =>
    run(process.execPath, [
      path.join(repoRoot, 'scripts', 'run.mjs'),
      'smoke',
      '--base-url',
      stack.url,
      '--mail-url',
      stack.mail,
      ...args,
    ]);

  it('when every service is ready, then it checks each one and an order goes end to end, and it exits 0', () => {
    const result = smoke(stack.ready.flatMap((url) => ['--ready', url]));

    expect(result.code === 0 ? '' : result.output).toBe('');
    expect(stack.ready).toHaveLength(6);
    for (const url of stack.ready) expect(result.stdout).toContain(`✓ ready ${url}`);
    expect(result.stdout).toMatch(/✓ one order end to end through nginx: order [0-9a-f-]{36}/);
    expect(result.stdout).toContain('smoke: all checks passed');
  });

  it('when a service does not answer /ready, then it says which and exits 1 (the check can fail)', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/ready`;

    const result = smoke(['--ready', stack.ready[0]!, '--ready', nobody, '--timeout-seconds', '2']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗ ready ${nobody}`);
    expect(result.stdout).toContain('smoke: 1 check(s) failed');
  });
});
