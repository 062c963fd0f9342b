import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { startSagaMetrics, type SagaMetrics, type SagaMetricsOptions } from '@market/kit';
import { createTestDatabase, sleep, testRedisUrl, uniqueSuffix, type TestDatabase } from '@market/kit/testing';

const OUTBOX_DDL = `CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  stream text NOT NULL,
  fields jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
)`;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

describe('saga metrics', () => {
  let database: TestDatabase;
  let pool: Pool;
  let redis: Redis;
  let stream: string;
  let other: string;
  const open: SagaMetrics[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('saga_metrics');
    pool = new Pool({ connectionString: database.url, max: 4 });
    await pool.query(OUTBOX_DDL);
    redis = new Redis(testRedisUrl());
  });
  beforeEach(async () => {
    stream = `metrics_test_${uniqueSuffix()}`;
    other = `metrics_test_${uniqueSuffix()}`;
    await pool.query('TRUNCATE outbox');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((metrics) => metrics.close()));
    await redis.del(stream, `${stream}:dead`, other);
  });
  afterAll(async () => {
    redis.disconnect();
    await pool.end();
    await database.drop();
  });

  function watch(overrides: Partial<SagaMetricsOptions> = {}) {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'test' });
    const metrics = startSagaMetrics({
      registry,
      redisUrl: testRedisUrl(),
      streams: [
        { stream, groups: ['workers', 'absent'] },
        { stream: other, groups: ['workers'] },
      ],
      pool,
      ...overrides,
    });
    open.push(metrics);
    const scrape = async () => parseExposition(await registry.metrics());
    return { registry, scrape };
  }

  const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  const namesOf = (samples: Sample[]) => new Set(samples.map((s) => s.name));

  async function arrangeStream() {
    const now = Date.now();
    await redis.xadd(stream, `${now - 90_000}-0`, 'n', '1');
    await redis.xadd(stream, `${now - 60_000}-0`, 'n', '2');
    await redis.xadd(stream, '*', 'n', '3');
    await redis.xgroup('CREATE', stream, 'workers', '0');
    await redis.xreadgroup('GROUP', 'workers', 'consumer-a', 'COUNT', 2, 'STREAMS', stream, '>');
    await redis.xack(stream, 'workers', `${now - 90_000}-0`);
    await redis.xreadgroup('GROUP', 'workers', 'consumer-b', 'COUNT', 0, 'STREAMS', stream, '0');
    await redis.xadd(`${stream}:dead`, '*', 'error', 'bad');
    await redis.xadd(`${stream}:dead`, '*', 'error', 'worse');
  }

  it('when a group has read, acknowledged and left entries pending, with dead letters and an unpublished outbox row, then a scrape shows each figure', async () => {
    await arrangeStream();
    await pool.query(
      `INSERT INTO outbox (stream, fields, created_at) VALUES ($1, '{}', now() - interval '45 seconds'), ($1, '{}', now())`,
      [stream],
    );
    await pool.query(
      `INSERT INTO outbox (stream, fields, created_at, published_at) VALUES ($1, '{}', now() - interval '1 hour', now())`,
      [stream],
    );
    const { scrape } = watch();

    const samples = await scrape();
    const group = { stream, group: 'workers' };
    expect(valueOf(samples, 'saga_stream_length', { stream })).toBe(3);
    expect(valueOf(samples, 'saga_dead_letter_length', { stream })).toBe(2);
    expect(valueOf(samples, 'saga_group_lag', group)).toBe(1);
    expect(valueOf(samples, 'saga_group_pending', group)).toBe(1);
    expect(valueOf(samples, 'saga_group_oldest_pending_age_seconds', group)).toBeGreaterThanOrEqual(59);
    expect(valueOf(samples, 'saga_group_oldest_pending_age_seconds', group)).toBeLessThan(75);
    expect(valueOf(samples, 'saga_group_consumers', group)).toBe(2);
    expect(valueOf(samples, 'saga_outbox_backlog')).toBe(2);
    expect(valueOf(samples, 'saga_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(44);
    expect(valueOf(samples, 'saga_outbox_oldest_age_seconds')).toBeLessThan(60);
    expect(valueOf(samples, 'saga_redis_used_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'saga_redis_maxmemory_bytes')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'saga_metrics_errors_total', { source: 'redis' })).toBe(0);
    expect(samples.find((s) => s.name === 'saga_stream_length')?.labels.service).toBe('test');
  });

  it('when a stream or a group does not exist yet, then the stream counts 0 entries and the group has no series', async () => {
    await arrangeStream();
    const { scrape } = watch();

    const samples = await scrape();
    expect(valueOf(samples, 'saga_stream_length', { stream: other })).toBe(0);
    expect(valueOf(samples, 'saga_dead_letter_length', { stream: other })).toBe(0);
    expect(
      samples.filter(
        (s) => s.name.startsWith('saga_group_') && (s.labels.group === 'absent' || s.labels.stream === other),
      ),
    ).toEqual([]);
    expect(valueOf(samples, 'saga_outbox_backlog')).toBe(0);
    expect(valueOf(samples, 'saga_outbox_oldest_age_seconds')).toBe(0);
    expect(valueOf(samples, 'saga_metrics_errors_total', { source: 'redis' })).toBe(0);
  });

  it('when scraped again within the cache window, then the figures are the first reading; after it, they are read afresh', async () => {
    await arrangeStream();
    const { scrape } = watch({ cacheMs: 400 });
    const first = await scrape();
    await redis.xadd(stream, '*', 'n', '4');
    await pool.query(`INSERT INTO outbox (stream, fields) VALUES ($1, '{}')`, [stream]);

    const cached = await scrape();
    await sleep(500);
    const fresh = await scrape();

    expect(valueOf(first, 'saga_stream_length', { stream })).toBe(3);
    expect(valueOf(cached, 'saga_stream_length', { stream })).toBe(3);
    expect(valueOf(cached, 'saga_outbox_backlog')).toBe(0);
    expect(valueOf(fresh, 'saga_stream_length', { stream })).toBe(4);
    expect(valueOf(fresh, 'saga_group_lag', { stream, group: 'workers' })).toBe(2);
    expect(valueOf(fresh, 'saga_outbox_backlog')).toBe(1);
  });

  it('when Redis refuses connections, then a scrape answers at once without the Redis series, with the outbox series and an error counted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { scrape } = watch({ redisUrl: `redis://127.0.0.1:${port}` });

    const started = Date.now();
    const samples = await scrape();

    expect(Date.now() - started).toBeLessThan(500);
    expect([...namesOf(samples)].filter((name) => /^saga_(stream|dead|group|redis)_/.test(name))).toEqual([]);
    expect(valueOf(samples, 'saga_outbox_backlog')).toBe(0);
    expect(valueOf(samples, 'saga_metrics_errors_total', { source: 'redis' })).toBe(1);
    expect(valueOf(samples, 'saga_metrics_errors_total', { source: 'postgres' })).toBe(0);
  });

  describe('when a dependency stalls', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Answers the client's handshake (CLIENT SETINFO …, then the ready check's INFO), then never
      // again: a Redis that stalls once connected.
      silent = createServer((socket) => {
        sockets.add(socket);
        let handshaking = true;
        socket.on('data', (chunk) => {
          if (!handshaking) return;
          const text = chunk.toString();
          socket.write('+OK\r\n'.repeat((text.match(/\bclient\b/gi) ?? []).length));
          if (/\binfo\b/i.test(text)) {
            socket.write('$0\r\n\r\n');
            handshaking = false;
          }
        });
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('when Redis stops answering, then each scrape answers within the bound without the Redis series', async () => {
      const { registry, scrape } = watch({
        redisUrl: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        timeoutMs: 300,
        cacheMs: 50,
      });
      for (let i = 0; i < 50 && sockets.size === 0; i++) await sleep(20);
      await sleep(50);
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const samples = await scrape();
        expect(Date.now() - started).toBeLessThan(600);
        expect(namesOf(samples).has('saga_stream_length')).toBe(false);
        expect(valueOf(samples, 'saga_outbox_backlog')).toBe(0);
        await sleep(60);
      }
      expect(
        valueOf(parseExposition(await registry.metrics()), 'saga_metrics_errors_total', { source: 'redis' }),
      ).toBeGreaterThanOrEqual(3);
    });

    it('when the outbox is locked by another session, then the scrape answers within the bound without the outbox series, and shows it again once released', async () => {
      await arrangeStream();
      const { scrape } = watch({ timeoutMs: 300, cacheMs: 50 });
      await scrape();
      const locker = await pool.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE');
        await sleep(60);
        const started = Date.now();
        const samples = await scrape();
        expect(Date.now() - started).toBeLessThan(600);
        expect(namesOf(samples).has('saga_outbox_backlog')).toBe(false);
        expect(valueOf(samples, 'saga_stream_length', { stream })).toBe(3);
        expect(valueOf(samples, 'saga_metrics_errors_total', { source: 'postgres' })).toBeGreaterThanOrEqual(1);
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      await sleep(400); // the timed-out statement is cancelled on the server by then
      const after = await scrape();
      expect(valueOf(after, 'saga_outbox_backlog')).toBe(0);
    });
  });
});
