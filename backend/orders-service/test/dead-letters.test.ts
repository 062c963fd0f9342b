import { uniqueSuffix } from '@market/kit/testing';
import type { Order } from '@market/contracts';
import {
  api,
  CSRF,
  eventually,
  placedOrder,
  publishReply,
  readStream,
  startTestApp,
  waitForStatus,
  type TestApp,
  type TestUser,
} from './support/test-app';

let ctx: TestApp;
let admin: TestUser;
beforeAll(async () => {
  ctx = await startTestApp();
  admin = ctx.user('admin');
});
afterAll(async () => {
  await ctx.close();
});

const base = (stream: string) => `/api/orders/admin/dead-letters/${encodeURIComponent(stream)}`;
const inventoryDead = () => `${ctx.config.INVENTORY_STREAM}:dead`;

/**
 * What the orders consumer leaves in `<stream>:dead` when it gives up on a reply: the reply's
 * fields (built by the same helper that publishes replies) plus dead_*.
 */
async function deadReply(
  order: Order,
  reason = 'failed 5 times: connection terminated',
): Promise<{ id: string; eventId: string }> {
  const scratch = `${ctx.config.INVENTORY_STREAM}:scratch:${uniqueSuffix()}`;
  const eventId = await publishReply(
    { redis: ctx.redis, config: { ...ctx.config, INVENTORY_STREAM: scratch } },
    order,
    { status: 'COMPLETED', unitPrice: '10.00' },
  );
  const [reply] = await readStream(ctx.redis, scratch);
  await ctx.redis.del(scratch);
  const dead = {
    dead_original_id: '1700000000000-0',
    dead_group: 'orders',
    dead_reason: reason,
    dead_deliveries: '5',
    dead_at: new Date().toISOString(),
  };
  const id = await ctx.redis.xadd(inventoryDead(), '*', ...Object.entries({ ...reply!.fields, ...dead }).flat());
  return { id: id!, eventId };
}

const record = (flat: unknown[]) =>
  Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]));

/** True once the group has read up to the stream's newest entry and acknowledged everything. */
async function consumedAll(stream: string, group: string): Promise<true | undefined> {
  const groups = ((await ctx.redis.xinfo('GROUPS', stream)) as unknown[][]).map(record);
  const info = groups.find((g) => g.name === group);
  const [newest] = await ctx.redis.xrevrange(stream, '+', '-', 'COUNT', 1);
  return info?.pending === 0 && info['last-delivered-id'] === newest?.[0] ? true : undefined;
}

describe('dead letters (admin)', () => {
  it('when nobody is signed in, then every route answers 401; a buyer or a seller gets 403', async () => {
    const { id } = await deadReply(await placedOrder(ctx, ctx.user()));
    const stream = ctx.config.INVENTORY_STREAM;
    const requests = [
      () => api(ctx).get('/api/orders/admin/dead-letters'),
      () => api(ctx).get(base(stream)),
      () => api(ctx).get(`${base(stream)}/${id}`),
      () =>
        api(ctx)
          .post(`${base(stream)}/${id}/replay`)
          .set(CSRF),
      () =>
        api(ctx)
          .delete(`${base(stream)}/${id}`)
          .set(CSRF),
    ];

    for (const request of requests) expect((await request()).status).toBe(401);
    for (const role of ['buyer', 'seller'] as const) {
      const cookie = ctx.user(role).cookie;
      for (const request of requests) {
        const res = await request().set('Cookie', cookie);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect(await ctx.redis.xlen(inventoryDead())).toBeGreaterThanOrEqual(1);
  });

  it('when a reply fails validation, then the consumer dead-letters it and the admin sees it with its reason, group and order', async () => {
    const orderId = '00000000-0000-4000-8000-0000000000aa';
    await ctx.redis.xadd(
      ctx.config.INVENTORY_STREAM,
      '*',
      'type',
      'inventory.result',
      'order_id',
      orderId,
      'status',
      'MAYBE',
    );

    const page = await eventually(
      async () => {
        const res = await api(ctx).get(base(ctx.config.INVENTORY_STREAM)).set('Cookie', admin.cookie);
        return res.body.data?.find((d: { orderId: string }) => d.orderId === orderId) ? res.body : undefined;
      },
      { what: 'the dead letter to be listed' },
    );

    const letter = page.data.find((d: { orderId: string }) => d.orderId === orderId);
    expect(letter).toMatchObject({
      stream: ctx.config.INVENTORY_STREAM,
      group: 'orders',
      type: 'inventory.result',
      eventId: null,
      fields: { status: 'MAYBE' },
    });
    expect(letter.reason).toMatch(/status/);
    const streams = await api(ctx).get('/api/orders/admin/dead-letters').set('Cookie', admin.cookie);
    expect(streams.body.data).toEqual([
      { stream: ctx.config.ORDERS_STREAM, count: 0 },
      { stream: ctx.config.INVENTORY_STREAM, count: page.pagination.total },
      // The mailer's dead letters are listed too.
      { stream: ctx.config.ORDER_EVENTS_STREAM, count: 0 },
    ]);
  });

  it('when an admin replays a dead reply, then it goes back on the stream, the order settles and a second replay finds nothing', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const { id, eventId } = await deadReply(order);

    const res = await api(ctx)
      .post(`${base(ctx.config.INVENTORY_STREAM)}/${id}/replay`)
      .set(CSRF)
      .set('Cookie', admin.cookie);
    const again = await api(ctx)
      .post(`${base(ctx.config.INVENTORY_STREAM)}/${id}/replay`)
      .set(CSRF)
      .set('Cookie', admin.cookie);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      stream: ctx.config.INVENTORY_STREAM,
      replayedAs: expect.stringMatching(/^\d+-\d+$/),
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    const settled = await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    expect(settled.total).toBe('10.00');
    const onStream = (await readStream(ctx.redis, ctx.config.INVENTORY_STREAM)).filter(
      (e) => e.fields.event_id === eventId,
    );
    expect(onStream).toHaveLength(1);
    expect(Object.keys(onStream[0]!.fields).some((key) => key.startsWith('dead_'))).toBe(false);
    expect(
      (
        await api(ctx)
          .get(`${base(ctx.config.INVENTORY_STREAM)}/${id}`)
          .set('Cookie', admin.cookie)
      ).status,
    ).toBe(404);
  });

  it('when an admin replays a reply that was in fact applied, then the consumer skips it and the order stays as it was', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const first = await deadReply(order);
    await api(ctx)
      .post(`${base(ctx.config.INVENTORY_STREAM)}/${first.id}/replay`)
      .set(CSRF)
      .set('Cookie', admin.cookie);
    const settled = await waitForStatus(ctx, buyer, order.id, 'COMPLETED');
    // The same reply, dead-lettered a second time (say a copy the consumer gave up on meanwhile).
    const [copy] = (await readStream(ctx.redis, ctx.config.INVENTORY_STREAM)).filter(
      (e) => e.fields.event_id === first.eventId,
    );
    const dead = [
      'dead_original_id',
      copy!.id,
      'dead_group',
      'orders',
      'dead_reason',
      'failed 5 times',
      'dead_deliveries',
      '5',
      'dead_at',
      new Date().toISOString(),
    ];
    const copyId = (await ctx.redis.xadd(inventoryDead(), '*', ...Object.entries(copy!.fields).flat(), ...dead))!;

    expect(
      (
        await api(ctx)
          .post(`${base(ctx.config.INVENTORY_STREAM)}/${copyId}/replay`)
          .set(CSRF)
          .set('Cookie', admin.cookie)
      ).status,
    ).toBe(200);

    await eventually(() => consumedAll(ctx.config.INVENTORY_STREAM, 'orders'), {
      what: 'the replayed copy to be consumed',
    });
    const after = (await api(ctx).get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie)).body as Order;
    expect(after).toEqual(settled);
  });

  it('when an admin lists a stream page by page, then every dead letter comes once, newest first, with the total', async () => {
    const stream = ctx.config.ORDERS_STREAM;
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push(
        (await ctx.redis.xadd(
          `${stream}:dead`,
          '*',
          'type',
          'order.placed',
          'order_id',
          `o-${n}`,
          'event_id',
          `e-${n}`,
          'dead_group',
          'products',
          'dead_reason',
          'r',
          'dead_deliveries',
          '1',
          'dead_at',
          new Date().toISOString(),
        ))!,
      );
    }
    try {
      const first = await api(ctx)
        .get(`${base(stream)}?pageSize=2`)
        .set('Cookie', admin.cookie);
      const second = await api(ctx)
        .get(`${base(stream)}?pageSize=2&cursor=${first.body.pagination.next}`)
        .set('Cookie', admin.cookie);
      const third = await api(ctx)
        .get(`${base(stream)}?pageSize=2&cursor=${second.body.pagination.next}`)
        .set('Cookie', admin.cookie);
      const oldest = await api(ctx)
        .get(`${base(stream)}?pageSize=1&order=oldest`)
        .set('Cookie', admin.cookie);

      expect(first.status).toBe(200);
      expect(first.body.pagination).toEqual({ pageSize: 2, total: 5, next: ids[3] });
      expect([...first.body.data, ...second.body.data, ...third.body.data].map((d: { id: string }) => d.id)).toEqual(
        [...ids].reverse(),
      );
      expect(third.body.pagination.next).toBeNull();
      expect(oldest.body.data[0]).toMatchObject({
        id: ids[0],
        orderId: 'o-0',
        eventId: 'e-0',
        type: 'order.placed',
        group: 'products',
        deliveries: 1,
      });
    } finally {
      await ctx.redis.del(`${stream}:dead`);
    }
  });

  it('when an admin drops a dead letter, then it is gone without a replay; dropping it again answers 404', async () => {
    const { id, eventId } = await deadReply(await placedOrder(ctx, ctx.user()));
    const url = `${base(ctx.config.INVENTORY_STREAM)}/${id}`;

    const res = await api(ctx).delete(url).set(CSRF).set('Cookie', admin.cookie);

    expect(res.status).toBe(204);
    expect((await api(ctx).delete(url).set(CSRF).set('Cookie', admin.cookie)).status).toBe(404);
    expect((await api(ctx).get(url).set('Cookie', admin.cookie)).status).toBe(404);
    expect((await readStream(ctx.redis, ctx.config.INVENTORY_STREAM)).some((e) => e.fields.event_id === eventId)).toBe(
      false,
    );
  });

  it('when a replay or a drop comes without the same-origin header, then it is refused and the dead letter stays', async () => {
    const { id } = await deadReply(await placedOrder(ctx, ctx.user()));
    const url = `${base(ctx.config.INVENTORY_STREAM)}/${id}`;

    expect((await api(ctx).post(`${url}/replay`).set('Cookie', admin.cookie)).status).toBe(403);
    expect((await api(ctx).delete(url).set('Cookie', admin.cookie)).status).toBe(403);
    expect((await api(ctx).get(url).set('Cookie', admin.cookie)).status).toBe(200);
  });

  it('when the stream, the id, the cursor or the page size is not valid, then it answers 400 naming the field', async () => {
    const inventory = base(ctx.config.INVENTORY_STREAM);
    const cases: [
      Promise<{ status: number; body: { error: { code: string; details?: { field: string }[] } } }>,
      RegExp,
    ][] = [
      [api(ctx).get(base('orders_stream_elsewhere')).set('Cookie', admin.cookie), /stream/],
      [
        api(ctx)
          .post(`${base('some:other:stream')}/1-0/replay`)
          .set(CSRF)
          .set('Cookie', admin.cookie),
        /stream/,
      ],
      [api(ctx).get(`${inventory}/not-an-id`).set('Cookie', admin.cookie), /id/],
      [api(ctx).post(`${inventory}/1-0-0/replay`).set(CSRF).set('Cookie', admin.cookie), /id/],
      [
        api(ctx)
          .delete(`${inventory}/${encodeURIComponent('+')}`)
          .set(CSRF)
          .set('Cookie', admin.cookie),
        /id/,
      ],
      [api(ctx).get(`${inventory}?cursor=latest`).set('Cookie', admin.cookie), /cursor/],
      [api(ctx).get(`${inventory}?pageSize=101`).set('Cookie', admin.cookie), /pageSize/],
      [api(ctx).get(`${inventory}?order=random`).set('Cookie', admin.cookie), /order/],
    ];
    for (const [request, field] of cases) {
      const res = await request;
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details?.[0]?.field).toMatch(field);
    }
  });

  it('when the OpenAPI document is asked, then it describes the dead-letter routes', async () => {
    const res = await api(ctx).get('/api/orders/openapi.json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/orders/admin/dead-letters',
        '/api/orders/admin/dead-letters/{stream}',
        '/api/orders/admin/dead-letters/{stream}/{id}',
        '/api/orders/admin/dead-letters/{stream}/{id}/replay',
      ]),
    );
    expect(res.body.paths['/api/orders/admin/dead-letters/{stream}/{id}'].delete).toBeDefined();
  });
});
