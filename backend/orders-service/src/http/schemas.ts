import {
  Address,
  AddressFields,
  AddressIdParams,
  AddressList,
  AdminOrdersQuery,
  Cart,
  DeadLetter,
  deadLetterParams,
  DeadLetterPage,
  DeadLetterQuery,
  DeadLetterStreams,
  deadLetterStreamParams,
  IdempotencyHeaders,
  Order,
  OrderIdParams,
  OrderPage,
  OrderPart,
  OrderPartParams,
  OrdersPageQuery,
  PlaceOrderRequest,
  ReplayedDeadLetter,
  SaveCartRequest,
  SalePage,
  ShipPartRequest,
  SalesQuery,
  SalesRangeQuery,
  SalesTotals,
  SalesTotalsQuery,
} from '@market/contracts';
import { errorEnvelopeSchema, fastifyJsonSchema } from '@market/kit';

/**
 * The route schemas of the orders API, generated from the zod contract: Fastify validates requests
 * and serializes responses with them, and @fastify/swagger turns them into the OpenAPI document.
 */

const request = (schema: Parameters<typeof fastifyJsonSchema>[0]) => fastifyJsonSchema(schema, 'input');
const response = (schema: Parameters<typeof fastifyJsonSchema>[0]) => fastifyJsonSchema(schema, 'output');

export const orderSchema = response(Order);
export const orderPageSchema = response(OrderPage);
export const salePageSchema = response(SalePage);
export const placeOrderBody = request(PlaceOrderRequest);
export const idempotencyHeaders = request(IdempotencyHeaders);
export const orderIdParams = request(OrderIdParams);
export const pageQuery = request(OrdersPageQuery);
export const orderPartSchema = response(OrderPart);
export const orderPartParams = request(OrderPartParams);
export const shipPartBody = request(ShipPartRequest);
export const adminOrdersQuery = request(AdminOrdersQuery);
export const salesQuery = request(SalesQuery);
export const salesRangeQuery = request(SalesRangeQuery);
export const salesTotalsQuery = request(SalesTotalsQuery);
export const salesTotalsSchema = response(SalesTotals);

export const cartSchema = response(Cart);
export const saveCartBody = request(SaveCartRequest);

export const addressSchema = response(Address);
export const addressListSchema = response(AddressList);
export const addressBody = request(AddressFields);
export const addressIdParams = request(AddressIdParams);

export const deadLetterSchema = response(DeadLetter);
export const deadLetterStreamsSchema = response(DeadLetterStreams);
export const deadLetterPageSchema = response(DeadLetterPage);
export const replayedSchema = response(ReplayedDeadLetter);
export const deadLetterQuery = request(DeadLetterQuery);
/** The saga streams this service knows come from its config: anything else is refused with 400. */
export const streamParams = (streams: readonly string[]) => request(deadLetterStreamParams(streams));
export const entryParams = (streams: readonly string[]) => request(deadLetterParams(streams));

/** The error answers a route can give, each in the shared envelope. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, errorEnvelopeSchema]));

export type { PageQuery } from '@market/contracts';
