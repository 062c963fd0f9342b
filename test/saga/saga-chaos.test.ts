import { failures, runChaosScript, type ChaosReport } from './support/chaos-run';

// The suite's size of `npm run chaos` (which runs 2,000 orders at 20/s, a kill every ~4 s): about a
// minute and a half on a shared 2-core machine. The full topology is kept: 3 products consumer
// processes, 2 orders-service replicas behind nginx, 2 orders workers.
const SUITE_SIZE = {
  orders: 300,
  rate: 10,
  products: 20,
  buyers: 10,
  'kill-every-seconds': 5,
  'products-workers': 3,
  'orders-services': 2,
  'orders-workers': 2,
  'log-level': 'warn',
};

describe('the order saga under chaos', () => {
  let report: ChaosReport;
  let output: string;
  beforeAll(async () => {
    ({ report, output } = await runChaosScript(SUITE_SIZE));
  }, 420_000);

  it('when processes are SIGKILLed, Redis crashes once and products loses every database session while buyers order and cancel, then every check of the run holds', () => {
    expect(failures(report, output)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('when the run is over, then each fault really happened and the orders really exercised completion, rejection and cancels', () => {
    expect(report.faults.kills?.length).toBeGreaterThanOrEqual(3);
    expect(report.faults.redis?.downMs).toBeGreaterThan(0);
    expect(report.faults.postgres?.terminated).toBeGreaterThan(0);
    expect(report.figures.accepted).toBe(SUITE_SIZE.orders);
    expect(report.figures.byStatus.COMPLETED).toBeGreaterThan(0);
    expect(report.figures.cancels.cancelled).toBeGreaterThan(0);
    // Every check the issue names ran (a check silently dropped would let the run pass vacuously).
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'no order left PENDING',
        'every order final within 60s of being placed',
        'no order FAILED with TIMED_OUT',
        'stock sold = quantities of COMPLETED orders, every product',
        'no negative stock',
        'stock ledger = COMPLETED orders (nothing taken or given back twice)',
        'dead-letter streams empty',
      ]),
    );
  });
});
