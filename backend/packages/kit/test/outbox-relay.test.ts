import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { startOutboxRelay } from '@market/kit';
import {
  captureLogs,
  createTestDatabase,
  eventually,
  relayPass,
  sleep,
  testRedisUrl,
  uniqueSuffix,
  type TestDatabase,
} from '@market/kit/testing';

const OUTBOX_DDL = `CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  stream text NOT NULL,
  fields jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
)`;

describe('outbox relay', () => {
  let database: TestDatabase;
  let pool: Pool;
  let redis: Redis;
  let stream: string;

  beforeAll(async () => {
    database = await createTestDatabase('relay');
    pool = new Pool({ connectionString: database.url, max: 10 });
    await pool.query(OUTBOX_DDL);
    redis = new Redis(testRedisUrl());
  });
  beforeEach(async () => {
    stream = `relay_test_${uniqueSuffix()}`;
    await pool.query('TRUNCATE outbox');
  });
  afterEach(() => redis.del(stream));
  afterAll(async () => {
    redis.disconnect();
    await pool.end();
    await database.drop();
  });

  const addRows = (n: number) =>
    pool.query(
      `INSERT INTO outbox (stream, fields) SELECT $1, jsonb_build_object('seq', g::text) FROM generate_series(1, $2) g`,
      [stream, n],
    );
  // A row in the outbox is a message not yet sent: publishing deletes it.
  const unpublished = async () => Number((await pool.query('SELECT count(*) FROM outbox')).rows[0].count);

  it('when committed rows are published directly while the relay polls and is asked for passes, then each reaches the stream once and leaves the outbox', async () => {
    const { logger } = captureLogs();
    const relay = startOutboxRelay({
      pool,
      redisUrl: testRedisUrl(),
      logger,
      maxLen: 100_000,
      idleDelayMs: 5,
      directGraceMs: 60_000,
    });
    await relayPass(relay); // connected: a direct publish would otherwise be refused and wait out the grace
    const { rows } = await pool.query<{ id: string; fields: Record<string, string> }>(
      `INSERT INTO outbox (stream, fields) SELECT $1, jsonb_build_object('seq', g::text) FROM generate_series(1, 200) g RETURNING id, fields`,
      [stream],
    );
    relay.publishCommitted(rows.map((row) => ({ id: row.id, stream, fields: row.fields })));
    relay.notify(); // a pass that takes every row, but never the ones being published directly
    await relay.publishBatch();
    await eventually(async () => (await unpublished()) === 0 || undefined, {
      timeoutMs: 10_000,
      what: 'every row deleted once sent',
    });
    await relay.stop();
    const seqs = (await redis.xrange(stream, '-', '+')).map(([, fields]) => fields[1]);
    expect(seqs).toHaveLength(200);
    expect(new Set(seqs).size).toBe(200);
  });

  it('when a row was marked published by an earlier release, then it is not sent again and goes after the retention', async () => {
    await pool.query(
      `INSERT INTO outbox (stream, fields, published_at) VALUES ($1, '{"seq":"old"}', now() - interval '2 hours')`,
      [stream],
    );
    await addRows(1);
    const { logger } = captureLogs();
    const relay = startOutboxRelay({ pool, redisUrl: testRedisUrl(), logger, maxLen: 100_000, idleDelayMs: 5 });
    await eventually(async () => (await unpublished()) === 0 || undefined, { what: 'both rows gone' });
    await relay.stop();
    const seqs = (await redis.xrange(stream, '-', '+')).map(([, fields]) => fields[1]);
    expect(seqs).toEqual(['1']);
  });

  it('when a direct publish fails, then the row stays unpublished and a relay pass sends it', async () => {
    await addRows(1);
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM outbox');
    const { logger } = captureLogs();
    const relay = startOutboxRelay({
      pool,
      redisUrl: testRedisUrl(),
      logger,
      maxLen: 100_000,
      idleDelayMs: 5,
      directGraceMs: 50,
    });
    relay.publishCommitted([{ id: rows[0]!.id, stream: 'wrongtype', fields: {} }]); // XADD without fields: Redis refuses it
    await eventually(async () => (await unpublished()) === 0 || undefined, {
      timeoutMs: 10_000,
      what: 'the relay to send the row',
    });
    await relay.stop();
    expect(await redis.xlen(stream)).toBe(1);
  });

  it('when three relays run at once, then every row reaches the stream exactly once', async () => {
    await addRows(300);
    const { logger } = captureLogs();
    const relays = Array.from({ length: 3 }, () =>
      startOutboxRelay({ pool, redisUrl: testRedisUrl(), logger, maxLen: 100_000, batchSize: 7, idleDelayMs: 5 }),
    );
    await eventually(async () => (await unpublished()) === 0 || undefined, {
      timeoutMs: 20_000,
      what: 'outbox drained',
    });
    await Promise.all(relays.map((relay) => relay.stop()));

    const entries = await redis.xrange(stream, '-', '+');
    const seqs = entries.map(([, fields]) => Number(fields[fields.indexOf('seq') + 1]));
    expect(seqs).toHaveLength(300);
    expect(new Set(seqs).size).toBe(300);
    expect(await unpublished()).toBe(0);
  });

  it('when Redis cannot be reached, then rows stay unpublished, a warning is logged, and a relay publishes them once Redis answers', async () => {
    await addRows(5);
    const { logger, lines } = captureLogs();
    const down = startOutboxRelay({ pool, redisUrl: 'redis://127.0.0.1:1', logger, maxLen: 1000, idleDelayMs: 5 });
    await sleep(500);
    await down.stop();
    expect(await unpublished()).toBe(5);
    expect(await redis.exists(stream)).toBe(0);
    expect(lines.some((line) => line.includes('cannot publish'))).toBe(true);

    const up = startOutboxRelay({ pool, redisUrl: testRedisUrl(), logger, maxLen: 1000, idleDelayMs: 5 });
    await eventually(async () => (await unpublished()) === 0 || undefined, { intervalMs: 25, what: 'outbox drained' });
    await up.stop();
    expect(await redis.xlen(stream)).toBe(5);
  });

  it('when rows are published, then XADD trims the stream approximately at maxLen', async () => {
    await addRows(3000);
    const { logger } = captureLogs();
    const relay = startOutboxRelay({
      pool,
      redisUrl: testRedisUrl(),
      logger,
      maxLen: 1000,
      batchSize: 500,
      idleDelayMs: 5,
    });
    await eventually(async () => (await unpublished()) === 0 || undefined, { intervalMs: 25, what: 'outbox drained' });
    await relay.stop();
    const length = await redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(1000);
    expect(length).toBeLessThan(3000);
  });
});
