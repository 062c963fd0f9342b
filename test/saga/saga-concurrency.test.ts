import { randomUUID } from 'node:crypto';
import { eventually } from './support/processes';
import { lineFor, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('many buyers, little stock', () => {
  it('when 200 orders race for 50 units, then exactly 50 are sold, the stock ends at 0 and every order settles', async () => {
    const seller = stack.user('seller');
    const product = await stack.createProduct(seller, { price: '3.00', stock: 50 });
    const buyers = Array.from({ length: 20 }, () => stack.user());

    const placed = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stack.placeOrder(buyers[i % 20]!, [lineFor(product, 1)], randomUUID())),
    );
    expect(placed.every((res) => res.status === 202)).toBe(true);

    const settled = await eventually(
      'all 200 orders to settle',
      async () => {
        const orders = await Promise.all(placed.map((res, i) => stack.getOrder(buyers[i % 20]!, res.body.id)));
        const bodies = orders.map((o) => o.body);
        return bodies.every((o) => o.status !== 'PENDING') ? bodies : undefined;
      },
      90_000,
      500,
    );

    const completed = settled.filter((o) => o.status === 'COMPLETED');
    const failed = settled.filter((o) => o.status === 'FAILED');
    expect(completed).toHaveLength(50);
    expect(failed).toHaveLength(150);
    expect(new Set(failed.map((o) => o.reason))).toEqual(new Set(['OUT_OF_STOCK']));
    expect(completed.every((o) => o.total === '3.00')).toBe(true);
    expect(await stack.stockOf(product.id)).toBe(0);
    const sales = await stack.sales(seller);
    expect(sales.body.pagination.total).toBe(50);
  });

  it('when the same Idempotency-Key is sent many times at once, then one order exists and stock is taken once', async () => {
    const buyer = stack.user();
    const product = await stack.createProduct(stack.user('seller'), { stock: 10 });
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => stack.placeOrder(buyer, [lineFor(product, 2)], key)),
    );

    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    await stack.waitForStatus(buyer, answers[0]!.body.id, 'COMPLETED');
    expect(await stack.stockOf(product.id)).toBe(8);
  });
});
