import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import {
  fakeSpa,
  send,
  startNginxUnderTest,
  startUpstream,
  type NginxUnderTest,
  type Upstream,
} from './support/nginx-under-test';

/** A free TCP port on loopback (so a replica can come back on the port it had). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Replica {
  port: number;
  process: ChildProcess;
}

async function startReplica(name: string, port: number): Promise<Replica> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'replica.mjs'), name, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`replica ${name} exited with ${code}`)));
  });
  return { port, process: child };
}

async function stopReplica(replica: Replica, signal: NodeJS.Signals): Promise<void> {
  if (replica.process.exitCode !== null || replica.process.signalCode !== null) return;
  const exited = once(replica.process, 'exit');
  replica.process.kill(signal);
  await exited;
}

/** Sends GET requests through nginx from `clients` loops until `until` settles; returns every status and body. */
async function trafficUntil(url: string, clients: number, until: Promise<unknown>) {
  let done = false;
  void until.finally(() => (done = true));
  const replies: { status: number; body: string }[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; !done; i++) {
        const reply = await send(`${url}/api/orders/order-${client}-${i}`);
        replies.push({ status: reply.status, body: reply.body });
      }
    }),
  );
  return replies;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('nginx through a rolling restart', () => {
  const spa = fakeSpa();
  let other: Upstream;
  const replicas: Replica[] = [];
  const nginxes: NginxUnderTest[] = [];

  beforeAll(async () => {
    other = await startUpstream((_req, res) => res.end('{}'));
  });

  afterEach(async () => {
    await Promise.all(nginxes.splice(0).map((n) => n.stop()));
    await Promise.all(replicas.splice(0).map((r) => stopReplica(r, 'SIGKILL')));
  });

  afterAll(async () => {
    await other.close();
    spa.remove();
  });

  async function nginxInFront(orders: number[]): Promise<string> {
    const nginx = await startNginxUnderTest({
      port: await freePort(),
      upstreams: {
        auth: `127.0.0.1:${other.port}`,
        products: `127.0.0.1:${other.port}`,
        orders: orders.map((port) => `127.0.0.1:${port}`).join(','),
      },
      spaRoot: spa.root,
    });
    nginxes.push(nginx);
    return nginx.url;
  }

  it.each<NodeJS.Signals>(['SIGTERM', 'SIGKILL'])(
    'when one of two replicas is stopped (%s) and started again while requests flow, then no request gets a 502 and both replicas answer',
    async (signal) => {
      const [a, b] = await Promise.all([startReplica('a', await freePort()), startReplica('b', await freePort())]);
      replicas.push(a, b);
      const url = await nginxInFront([a.port, b.port]);

      const restart = (async () => {
        await sleep(400);
        await stopReplica(a, signal);
        // Down for a while, as a container being replaced is.
        await sleep(1_500);
        const again = await startReplica('a', a.port);
        replicas.push(again);
        await sleep(6_000); // past fail_timeout: nginx tries the replica again
      })();
      const replies = await trafficUntil(url, 4, restart);

      expect(replies.length).toBeGreaterThan(100);
      expect(replies.filter((r) => r.status !== 200)).toEqual([]);
      const answeredBy = new Set(replies.map((r) => (JSON.parse(r.body) as { replica: string }).replica));
      expect([...answeredBy].sort()).toEqual(['a', 'b']);
    },
    40_000,
  );

  it('when the only replica stops while requests flow, then requests fail with 502 or 503 in the error envelope (the check above can fail)', async () => {
    const only = await startReplica('only', await freePort());
    replicas.push(only);
    const url = await nginxInFront([only.port]);

    const stop = (async () => {
      await sleep(300);
      await stopReplica(only, 'SIGTERM');
      await sleep(500);
    })();
    const replies = await trafficUntil(url, 2, stop);

    const failed = replies.filter((r) => r.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.status === 502 || r.status === 503)).toBe(true);
    expect(failed.some((r) => r.status === 502)).toBe(true);
    expect(JSON.parse(failed[0]!.body)).toMatchObject({ error: { code: expect.any(String) } });
  });
});
