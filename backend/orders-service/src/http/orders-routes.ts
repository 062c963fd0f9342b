import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminOrdersQuery, PlaceOrderRequest, SalesQuery, ShipPartRequest } from '@market/contracts';
import { assertEmailVerified, fastifyRequireRole, type AuthUser } from '@market/kit';
import { cancelOrder } from '../domain/cancel-order';
import type { OrdersContext } from '../domain/context';
import { deliverPart, shipPart } from '../domain/fulfil-order';
import { placeOrder } from '../domain/place-order';
import { listEveryOrder, listOrdersOf, listSalesOf, readOrder } from '../domain/read-orders';
import {
  adminOrdersQuery,
  errors,
  idempotencyHeaders,
  orderIdParams,
  orderPageSchema,
  orderPartParams,
  orderPartSchema,
  orderSchema,
  pageQuery,
  placeOrderBody,
  salePageSchema,
  shipPartBody,
  salesQuery,
  type PageQuery,
} from './schemas';

/** Set by the authenticate hook of this scope; every route here needs a signed-in user. */
const userOf = (request: FastifyRequest) => request.user as AuthUser;
const signedIn = [{ accessCookie: [] }];
const stateChanging = [{ accessCookie: [], csrfHeader: [] }];

/** `addressRetentionDays`: how long after delivery a seller still reads the buyer's address on a sale. */
export function ordersRoutes(ctx: OrdersContext, options: { addressRetentionDays: number }) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: PlaceOrderRequest; Headers: { 'idempotency-key': string } }>(
      '/',
      {
        schema: {
          summary: "Place an order; answered 202 while the sellers' stock is checked",
          description:
            'The same Idempotency-Key with the same body returns the same order; with another body, 422. A buyer whose email address is not verified gets 403 EMAIL_NOT_VERIFIED.',
          security: stateChanging,
          headers: idempotencyHeaders,
          body: placeOrderBody,
          response: { 200: orderSchema, 202: orderSchema, ...errors(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        assertEmailVerified(userOf(request), 'place an order');
        const { order, created } = await placeOrder(ctx, {
          buyerId: userOf(request).id,
          buyerName: userOf(request).username,
          idempotencyKey: request.headers['idempotency-key'],
          correlationId: request.id,
          items: request.body.items,
          shippingAddressId: request.body.shippingAddressId,
        });
        // A replay answers 200 with the order the first request created.
        return reply
          .status(created ? 202 : 200)
          .header('Location', `/api/orders/${order.id}`)
          .send(order);
      },
    );

    app.get<{ Querystring: PageQuery }>(
      '/',
      {
        schema: {
          summary: "The caller's orders, newest first",
          security: signedIn,
          querystring: pageQuery,
          response: { 200: orderPageSchema, ...errors(400, 401) },
        },
      },
      async (request) => listOrdersOf(ctx, userOf(request).id, request.query.page, request.query.pageSize),
    );

    app.get<{ Querystring: AdminOrdersQuery }>(
      '/all',
      {
        onRequest: fastifyRequireRole('admin'),
        schema: {
          summary: 'Every order, filtered by status, dates, buyer or seller, with its buyer (admin)',
          security: signedIn,
          querystring: adminOrdersQuery,
          response: { 200: orderPageSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => listEveryOrder(ctx, request.query),
    );

    app.get<{ Querystring: SalesQuery }>(
      '/sales',
      {
        onRequest: fastifyRequireRole('seller', 'admin'),
        schema: {
          summary: "Lines of the caller's products in completed orders (seller)",
          security: signedIn,
          querystring: salesQuery,
          response: { 200: salePageSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => listSalesOf(ctx, userOf(request).id, request.query, options.addressRetentionDays),
    );

    app.get<{ Params: { id: string } }>(
      '/:id',
      {
        schema: {
          summary: 'One order (its buyer or an admin)',
          security: signedIn,
          params: orderIdParams,
          response: { 200: orderSchema, ...errors(400, 401, 404) },
        },
      },
      async (request) => readOrder(ctx, userOf(request), request.params.id),
    );

    app.post<{ Params: { id: string } }>(
      '/:id/cancel',
      {
        schema: {
          summary:
            'Cancel a PENDING or COMPLETED order before any part of it shipped; the stock goes back to the sellers',
          security: stateChanging,
          params: orderIdParams,
          response: { 200: orderSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => cancelOrder(ctx, userOf(request), request.params.id, request.id),
    );

    app.post<{ Params: { id: string; sellerId: string }; Body: ShipPartRequest }>(
      '/:id/parts/:sellerId/ship',
      {
        schema: {
          summary:
            "Ship the caller's part of a COMPLETED order (its seller), or correct its carrier and tracking number",
          security: stateChanging,
          params: orderPartParams,
          body: shipPartBody,
          response: { 200: orderPartSchema, ...errors(400, 401, 403, 404, 409, 415) },
        },
      },
      async (request) => shipPart(ctx, userOf(request), request.params.id, request.params.sellerId, request.body),
    );

    app.post<{ Params: { id: string; sellerId: string } }>(
      '/:id/parts/:sellerId/deliver',
      {
        schema: {
          summary: 'Mark a shipped part of an order delivered (its seller or the buyer)',
          security: stateChanging,
          params: orderPartParams,
          response: { 200: orderPartSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => deliverPart(ctx, userOf(request), request.params.id, request.params.sellerId),
    );
  };
}
