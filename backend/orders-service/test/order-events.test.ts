import net, { type AddressInfo } from 'node:net';
import { eventually, sleep } from '@market/kit/testing';
import { openEvents, type Stream } from './support/sse';
import { api, CSRF, placedOrder, publishReply, startTestApp, type TestApp } from './support/test-app';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const statuses = (stream: Stream) => stream.events.map((e) => JSON.parse(e.data).status as string);

describe('GET /api/orders/:id/events', () => {
  it('when the order completes, then the stream sends PENDING, then COMPLETED with the total, and stays open', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(ctx.app, buyer, order.id);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['x-accel-buffering']).toBe('no');
    await eventually(async () => stream.events.length === 1 || undefined, { intervalMs: 25, what: 'the first event' });
    expect(statuses(stream)).toEqual(['PENDING']);

    await publishReply(ctx, order, { status: 'COMPLETED' });
    await eventually(async () => stream.events.length === 2 || undefined, { intervalMs: 25, what: 'COMPLETED' });
    const comments = stream.comments;
    // Nothing is shipped yet: heartbeats keep the stream open.
    await eventually(async () => stream.comments >= comments + 2 || undefined, {
      timeoutMs: 5000,
      intervalMs: 25,
      what: 'two heartbeats after COMPLETED',
    });

    expect(statuses(stream)).toEqual(['PENDING', 'COMPLETED']);
    expect(JSON.parse(stream.events[1]!.data)).toMatchObject({ id: order.id, total: '10.00' });
    expect(JSON.parse(stream.events[1]!.data).parts).toEqual([expect.objectContaining({ state: 'CONFIRMED' })]);
    stream.close();
    await stream.ended;
  });

  it('when another replica applies the change, then a client connected here still hears it', async () => {
    // An HTTP-only replica: the change is applied by the first one and announced over Redis.
    const replica = await ctx.startReplica({ consume: false });
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(replica.app, buyer, order.id);
    await eventually(async () => stream.events.length === 1 || undefined, { intervalMs: 25, what: 'the first event' });

    await publishReply(ctx, order, { status: 'FAILED', reason: 'OUT_OF_STOCK' });
    await stream.ended;
    expect(statuses(stream)).toEqual(['PENDING', 'FAILED']);
  });

  it('when this replica just accepted the order, then its stream starts from what it knows; once a change leaves that unknown, from the database', async () => {
    const replica = await ctx.startReplica({ consume: false });
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    // Changed behind every replica's back: only a stream that reads the database can see it.
    await ctx.pool.query(
      `UPDATE orders SET status = 'FAILED', reason = 'OUT_OF_STOCK', updated_at = now() WHERE id = $1`,
      [order.id],
    );

    const here = await openEvents(ctx.app, buyer, order.id);
    const elsewhere = await openEvents(replica.app, buyer, order.id);
    await eventually(async () => here.events.length === 1 || undefined, {
      intervalMs: 25,
      what: 'the first event here',
    });
    await elsewhere.ended;
    expect(statuses(here)).toEqual(['PENDING']); // no read: the accepting replica's memory
    expect(statuses(elsewhere)).toEqual(['FAILED']); // the other replica read it
    here.close();
    await here.ended;

    // A change heard without the order's state: the accepting replica forgets it and reads.
    ctx.notifier.changed(order.id);
    const again = await openEvents(ctx.app, buyer, order.id);
    await again.ended;
    expect(statuses(again)).toEqual(['FAILED']);
  });

  it("when an admin watches someone's order this replica just accepted, then every event names its buyer", async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(ctx.app, ctx.user('admin'), order.id);
    await eventually(async () => stream.events.length === 1 || undefined, { intervalMs: 25, what: 'the first event' });

    // The change carries the order as its buyer reads it; the admin's stream must not pass that on.
    await api(ctx).post(`/api/orders/${order.id}/cancel`).set(CSRF).set('Cookie', buyer.cookie);
    await stream.ended;
    expect(statuses(stream)).toEqual(['PENDING', 'CANCELLED']);
    for (const event of stream.events) {
      expect(JSON.parse(event.data).buyer).toEqual({ id: buyer.id, username: buyer.username });
    }
  });

  it('when the order is PENDING and nothing happens, then heartbeat comments keep the stream open', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(ctx.app, buyer, order.id);
    await eventually(async () => stream.comments >= 2 || undefined, {
      timeoutMs: 5000,
      intervalMs: 25,
      what: 'two heartbeats',
    });
    expect(statuses(stream)).toEqual(['PENDING']);
    stream.close();
    await stream.ended;
  });

  it('when the buyer cancels while watching, then the stream sends CANCELLED and ends', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(ctx.app, buyer, order.id);
    await eventually(async () => stream.events.length === 1 || undefined, { intervalMs: 25, what: 'the first event' });
    await api(ctx).post(`/api/orders/${order.id}/cancel`).set(CSRF).set('Cookie', buyer.cookie);
    await stream.ended;
    expect(statuses(stream)).toEqual(['PENDING', 'CANCELLED']);
  });

  it('when another buyer asks for the stream, then it answers 404 without opening one', async () => {
    // Accepted here, so remembered here: the owner is checked on that path too.
    const order = await placedOrder(ctx, ctx.user());
    const res = await api(ctx).get(`/api/orders/${order.id}/events`).set('Cookie', ctx.user().cookie);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when the client hangs up before the stream opens, then nothing stays subscribed for it', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    // Forgotten by this replica (a change heard without its state), so the route reads it first.
    ctx.notifier.changed(order.id);
    if (!ctx.app.server.listening) await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = ctx.app.server.address() as AddressInfo;
    // Every pooled connection held: the route's first read of the order waits while the client leaves.
    const held = await Promise.all(Array.from({ length: 10 }, () => ctx.pool.connect()));
    try {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`GET /api/orders/${order.id}/events HTTP/1.1\r\nHost: localhost\r\nCookie: ${buyer.cookie}\r\n\r\n`);
      await sleep(200);
      socket.destroy();
      await sleep(200);
    } finally {
      for (const client of held) client.release();
    }

    // Past a few heartbeats: a leaked stream would still hold its listener (the order stays PENDING).
    await sleep(2500);
    expect(ctx.notifier.listening()).toBe(0);
  });

  it('when a buyer already holds ten open streams, then another answers 429 until one of them closes', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await openEvents(ctx.app, buyer, order.id));
    expect(streams.map((s) => s.status)).toEqual(Array(10).fill(200));

    const refused = await openEvents(ctx.app, buyer, order.id);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    await refused.ended;
    const other = ctx.user();
    const othersOwn = await openEvents(ctx.app, other, (await placedOrder(ctx, other)).id);
    expect(othersOwn.status).toBe(200);

    streams[0]!.close();
    await streams[0]!.ended;
    await eventually(async () => ctx.notifier.listening() === 10 || undefined, {
      intervalMs: 25,
      what: 'the closed stream to be let go',
    });
    const again = await openEvents(ctx.app, buyer, order.id);
    expect(again.status).toBe(200);

    for (const stream of [...streams, othersOwn, again]) stream.close();
    await eventually(async () => ctx.notifier.listening() === 0 || undefined, {
      intervalMs: 25,
      what: 'every stream to be let go',
    });
  });

  it('when the stream opens, then it echoes the request id like every other answer', async () => {
    const buyer = ctx.user();
    const order = await placedOrder(ctx, buyer);
    const stream = await openEvents(ctx.app, buyer, order.id);
    expect(stream.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    stream.close();
    await stream.ended;
  });
});
