import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createDeadLetters, deadLetterStream, type DeadLetters } from '@market/kit';
import { testRedisUrl, uniqueSuffix, writeDeadLetter } from '@market/kit/testing';
import { runDlq } from '../src/cli/dlq-commands';

const SERVICE_ROOT = path.join(__dirname, '..');
const TSX = path.join(SERVICE_ROOT, '../../node_modules/.bin/tsx');

let redis: Redis;
let orders: string;
let inventory: string;
let deadLetters: DeadLetters;

beforeAll(() => {
  redis = new Redis(testRedisUrl());
});
beforeEach(() => {
  const suffix = uniqueSuffix();
  orders = `dlq_cli_${suffix}:orders_stream`;
  inventory = `dlq_cli_${suffix}:inventory_stream`;
  deadLetters = createDeadLetters(redis, [orders, inventory]);
});
afterEach(async () => {
  await redis.del(orders, inventory, deadLetterStream(orders), deadLetterStream(inventory));
});
afterAll(() => redis.quit());

const deadLetter = (stream: string, n: number, type = 'order.cancelled') => writeDeadLetter(redis, stream, n, { type });

/** Runs the tool in-process; `answer` is what the operator types at a confirmation. */
async function dlq(args: string, answer = false) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const code = await runDlq(args.split(' ').filter(Boolean), deadLetters, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    confirm: async (question) => {
      questions.push(question);
      return answer;
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), questions };
}

const streamEntries = async (stream: string) => (await redis.xrange(stream, '-', '+')).map(([, list]) => list);

describe('npm run dlq', () => {
  it('when listing, then each stream shows a table with the count, and a next-page command when more follow', async () => {
    const ids = [await deadLetter(orders, 1), await deadLetter(orders, 2), await deadLetter(orders, 3)];

    const both = await dlq('list');
    const paged = await dlq(`list --stream ${orders} --limit 2`);
    const rest = await dlq(`list --stream ${orders} --limit 2 --cursor ${ids[1]}`);

    expect(both.code).toBe(0);
    expect(both.out).toContain(`${orders}:dead — 3 dead letters, showing 3`);
    expect(both.out).toContain(`${inventory}:dead — no dead letters`);
    expect(both.out).toMatch(/ID\s+DEAD AT\s+GROUP\s+DELIVERIES\s+TYPE\s+ORDER\s+REASON/);
    expect(both.out).toMatch(
      new RegExp(
        `${ids[2]}\\s+2026-01-01T00:00:03.000Z\\s+products\\s+5\\s+order.cancelled\\s+order-3\\s+failed 5 times`,
      ),
    );
    expect(paged.out).toContain(`next page: npm run dlq -- list --stream ${orders} --limit 2 --cursor ${ids[1]}`);
    expect(rest.out).toContain(ids[0]);
    expect(rest.out).not.toContain('next page');
  });

  it('when showing one as JSON, then its original fields come apart from why it died', async () => {
    const id = await deadLetter(inventory, 7, 'inventory.result');

    const shown = await dlq(`show ${id} --json`);

    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      id,
      stream: inventory,
      group: 'products',
      deliveries: 5,
      fields: { type: 'inventory.result', event_id: 'event-7', order_id: 'order-7' },
    });
  });

  it('when replaying an id, then it goes back on its stream once; a second replay exits 3', async () => {
    const id = await deadLetter(orders, 1);

    const first = await dlq(`replay ${id}`);
    const second = await dlq(`replay --stream ${orders} ${id}`);

    expect(first.code).toBe(0);
    expect(first.out).toMatch(new RegExp(`replayed ${id} onto ${orders} as \\d+-\\d+`));
    expect(second.code).toBe(3);
    expect(second.err).toContain('replayed or dropped already');
    expect(await streamEntries(orders)).toEqual([
      ['type', 'order.cancelled', 'event_id', 'event-1', 'order_id', 'order-1'],
    ]);
  });

  it('when replaying all with a type, then only those go back', async () => {
    await deadLetter(orders, 1, 'order.placed');
    await deadLetter(orders, 2);
    await deadLetter(orders, 3);

    const res = await dlq(`replay --stream ${orders} --all --type order.cancelled`);

    expect(res.out).toBe(`replayed 2 dead letters onto ${orders}`);
    expect((await streamEntries(orders)).map((fields) => fields[3])).toEqual(['event-2', 'event-3']);
    expect(await deadLetters.count(orders)).toBe(1);
  });

  it('when dropping all, then it asks first; no answer keeps them (exit 4), yes or --yes drops them', async () => {
    await deadLetter(orders, 1);
    await deadLetter(orders, 2);

    const refused = await dlq(`drop --stream ${orders} --all`, false);
    expect(refused.code).toBe(4);
    expect(refused.questions).toEqual([`Drop all 2 dead letters of ${orders} for good?`]);
    expect(await deadLetters.count(orders)).toBe(2);

    const confirmed = await dlq(`drop --stream ${orders} --all`, true);
    expect(confirmed.out).toBe(`dropped 2 dead letters from ${orders}:dead`);
    await deadLetter(orders, 3);
    const unasked = await dlq(`drop --stream ${orders} --all --yes`);
    expect(unasked.questions).toEqual([]);
    expect(unasked.code).toBe(0);
    expect(await deadLetters.count(orders)).toBe(0);
    expect(await streamEntries(orders)).toEqual([]);
  });

  it('when the usage or an input is wrong, then it says why with exit 2 and changes nothing', async () => {
    const id = await deadLetter(orders, 1);
    const wrong = [
      '',
      'purge',
      'list --stream elsewhere',
      `replay --all`,
      `drop ${id} --all --stream ${orders}`,
      `drop --stream ${orders}`,
      `show not-an-id --stream ${orders}`,
      `list --stream ${orders} --limit 500`,
      'list --colour',
      `replay ${id} --type order.placed`,
    ];
    for (const args of wrong) {
      const res = await dlq(args);
      expect({ args, code: res.code }).toEqual({ args, code: 2 });
      expect(res.err).not.toBe('');
    }
    expect(await deadLetters.count(orders)).toBe(1);
    expect((await dlq('--help')).out).toContain('Exit codes');
  });

  it('when Redis cannot be reached, then the tool names the address without its password and exits 1', async () => {
    const run = promisify(execFile)(TSX, ['src/cli/dlq.ts', 'list'], {
      cwd: SERVICE_ROOT,
      env: { PATH: process.env.PATH, REDIS_URL: 'redis://:secret@127.0.0.1:1' },
    });

    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('cannot reach Redis at redis://***@127.0.0.1:1');
    expect(failure?.stderr).not.toContain('secret');
  }, 60_000);
});
