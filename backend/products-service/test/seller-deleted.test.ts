import { randomUUID } from 'node:crypto';
import { encodeUserEventsMessage, MESSAGE_VERSION } from '@market/contracts';
import { eventually } from '@market/kit/testing';
import { DELETED_SELLER_NAME } from '../src/domain/erase-seller';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness';

let h: WorkerHarness;
beforeAll(async () => {
  h = await startWorkerHarness();
  h.startWorker();
});
afterAll(() => h.close());

describe('user.deleted on USER_EVENTS_STREAM', () => {
  it("when a seller's account is deleted, then their products leave the catalog without their name, and nobody else's", async () => {
    const leaving = randomUUID();
    const first = await h.addProduct({ sellerId: leaving, sellerName: 'leaving-seller' });
    const second = await h.addProduct({ sellerId: leaving, sellerName: 'leaving-seller' });
    const other = await h.addProduct();
    const event = encodeUserEventsMessage({
      version: MESSAGE_VERSION,
      event_id: randomUUID(),
      type: 'user.deleted',
      user_id: leaving,
      occurred_at: new Date().toISOString(),
    });

    // Twice: a copy delivered again changes nothing more.
    await h.redis.xadd(h.config.USER_EVENTS_STREAM, '*', ...Object.entries(event).flat());
    await h.redis.xadd(h.config.USER_EVENTS_STREAM, '*', ...Object.entries(event).flat());

    await eventually(async () => {
      for (const id of [first.id, second.id]) {
        expect(await h.product(id)).toMatchObject({ status: 'archived', sellerName: DELETED_SELLER_NAME });
      }
      return true;
    });
    expect(await h.product(other.id)).toMatchObject({ status: 'active', sellerName: 'a-seller' });
  });
});
