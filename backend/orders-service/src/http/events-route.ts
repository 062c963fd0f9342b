import type { FastifyInstance } from 'fastify';
import { isOrderFinal, type Order } from '@market/contracts';
import { AppError, type AuthUser } from '@market/kit';
import type { OrdersContext } from '../domain/context';
import { readOrder } from '../domain/read-orders';
import type { StatusNotifier } from '../messaging/status-notifier';
import { errors, orderIdParams } from './schemas';

export interface EventsOptions {
  notifier: StatusNotifier;
  /** A comment line this often keeps proxies from closing an idle stream; each beat also re-reads the order. */
  heartbeatMs: number;
  /** Live streams one user may hold on this replica; each costs a socket and a read per heartbeat. */
  maxStreamsPerUser?: number;
}

/** Enough for a buyer with several tabs open; a script opening thousands is refused. */
const MAX_STREAMS_PER_USER = 10;

/** Counts each user's open streams; `acquire` throws 429 past the cap and returns the release. */
function streamSlots(max: number) {
  const held = new Map<string, number>();
  return (userId: string): (() => void) => {
    const count = held.get(userId) ?? 0;
    if (count >= max) {
      throw new AppError(
        'RATE_LIMITED',
        `at most ${max} order streams may be open at once; close one first`,
        429,
        undefined,
        { 'Retry-After': '5' },
      );
    }
    held.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (held.get(userId) ?? 1) - 1;
      if (left > 0) held.set(userId, left);
      else held.delete(userId);
    };
  };
}

const frame = (order: Order) => `event: status\ndata: ${JSON.stringify(order)}\n\n`;

/**
 * GET /:id/events — Server-Sent Events: the order as it is now, then each change. The
 * replica that applies a change announces it over Redis pub/sub, so a client connected to
 * any replica hears it: the saga's status changes and each part shipped or delivered. The stream
 * ends once nothing more can happen to the order (isOrderFinal); a COMPLETED order may stay open
 * for days, which the heartbeat keeps alive through proxies and the per-user cap keeps bounded.
 */
export function eventsRoute(ctx: OrdersContext, options: EventsOptions) {
  return async (app: FastifyInstance) => {
    const open = new Set<() => void>();
    const acquireSlot = streamSlots(options.maxStreamsPerUser ?? MAX_STREAMS_PER_USER);
    // Open streams would hold a graceful close until its deadline: end them first.
    app.addHook('preClose', async () => {
      for (const close of [...open]) close();
    });
    app.get<{ Params: { id: string } }>(
      '/:id/events',
      {
        schema: {
          summary: 'Server-Sent Events with the order\'s status (event "status", data: the order)',
          security: [{ accessCookie: [] }],
          params: orderIdParams,
          response: {
            200: {
              description: 'The order now, then each change, as `status` events',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 404, 429),
          },
        },
      },
      async (request, reply) => {
        const user = request.user as AuthUser;
        const orderId = request.params.id;
        // Taken before the first read, so a burst of requests cannot all pass the count at once.
        const releaseSlot = acquireSlot(user.id);
        // Listening before the first read: a change that lands while it runs is not missed, and
        // no second read is needed to catch one.
        let missed = false;
        const stopListening = options.notifier.subscribe(orderId, () => {
          missed = true;
        });
        let last: Order;
        try {
          // An order this replica just accepted is known as every change since left it: no read. Only for
          // its buyer: an admin's read names the buyer, which the remembered order does not.
          const known = options.notifier.recall(orderId);
          // Ownership is checked before the stream opens, so a stranger gets the usual 404.
          last = known && known.buyerId === user.id ? known.order : await readOrder(ctx, user, orderId);
        } catch (error) {
          stopListening();
          releaseSlot();
          throw error;
        }

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          // nginx must pass each event through at once.
          'X-Accel-Buffering': 'no',
          // A hijacked reply skips the onSend hook that echoes it elsewhere.
          'X-Request-Id': request.id,
        });
        res.write(`retry: 3000\n${frame(last)}`);

        let closed = false;
        let reading = Promise.resolve();
        const closeWith = (finalFrame?: string) => {
          if (closed) return;
          closed = true;
          open.delete(close);
          releaseSlot();
          clearInterval(heartbeat);
          unsubscribe();
          res.end(finalFrame);
        };
        const close = () => closeWith();
        // A carried order has the buyer's shape: an admin's stream reads instead, so every event names the buyer.
        const asAdmin = user.role === 'admin';
        const refresh = (carried?: Order) => {
          // Reads run one after another, so events leave in the order the changes happened.
          reading = reading.then(async () => {
            if (closed) return;
            try {
              // A change that carried the order's new state needs no read (the owner was checked on open).
              const next = carried && !asAdmin ? carried : await readOrder(ctx, user, orderId);
              if (closed) return;
              const changed = next.status !== last.status || next.updatedAt !== last.updatedAt;
              if (changed) last = next;
              if (isOrderFinal(next)) {
                // The last event and the end of the stream in one write.
                closeWith(changed ? frame(next) : undefined);
                return;
              }
              if (changed) res.write(frame(next));
            } catch (err) {
              request.log.warn({ err, orderId }, 'order events: cannot read the order; closing the stream');
              close();
            }
          });
        };

        stopListening();
        const unsubscribe = options.notifier.subscribe(orderId, refresh);
        const heartbeat = setInterval(() => {
          if (!closed) res.write(': heartbeat\n\n');
          refresh();
        }, options.heartbeatMs);
        open.add(close);
        res.on('close', close);
        // The client may have left while the first read ran: 'close' was emitted before anyone listened.
        if (res.destroyed || request.raw.socket.destroyed) close();
        if (isOrderFinal(last)) close();
        else if (missed) refresh();
      },
    );
  };
}
