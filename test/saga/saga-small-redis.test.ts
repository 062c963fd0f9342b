import { failures, runChaosScript, type ChaosReport } from './support/chaos-run';

// 50,000 orders through a Redis of 16 MB (noeviction): the streams must be trimmed as they are
// consumed, or Redis refuses XADD after roughly 18,000 orders and every later order stays PENDING.
// Closed loop through nginx, 32 connections, no faults, logs at warn: on a shared 2-core machine the
// orders are accepted in about 2 minutes (~430/s, the backlog gate answering 503 now and then) and
// all COMPLETED after about 3.5; about 4 minutes with start and checks. The loop outruns the saga on
// purpose, so orders queue behind the backlog gate for up to a minute: the bound on time to final is
// wide here, and a stall (30 s without an order settling) is what ends the run early.
const ORDERS = 50_000;

describe('the order saga in a small Redis', () => {
  let report: ChaosReport;
  let output: string;
  beforeAll(async () => {
    ({ report, output } = await runChaosScript({
      orders: ORDERS,
      mode: 'closed',
      connections: 32,
      products: 20,
      stock: 1_000_000,
      buyers: 20,
      'cancel-share': 0,
      'products-workers': 1,
      'orders-services': 1,
      'orders-workers': 1,
      'kill-every-seconds': 0,
      'redis-restart': 'none',
      'pg-terminate': 'none',
      'redis-maxmemory': '16mb',
      'stall-seconds': 30,
      'final-within-seconds': 300,
      'log-level': 'warn',
    }));
  }, 600_000);

  it('when 50,000 orders pass through a Redis with maxmemory 16 MB, then none stalls, Redis refuses no write and every order completes', () => {
    expect(failures(report, output)).toEqual([]);
    expect(report.figures.accepted).toBe(ORDERS);
    expect(report.figures.byStatus.COMPLETED).toBe(ORDERS);
    expect(report.redisMemory?.maxmemory).toBe(16 * 1024 ** 2);
    expect(report.redisMemory?.peak).toBeLessThan(16 * 1024 ** 2);
  });
});
