import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SalesRangeQuery, SalesTotalsQuery } from '@market/contracts';
import { fastifyRequireRole, type AuthUser } from '@market/kit';
import type { OrdersContext } from '../domain/context';
import { salesCsvOf, totalSalesOf } from '../domain/read-orders';
import { errors, salesRangeQuery, salesTotalsQuery, salesTotalsSchema } from './schemas';

const userOf = (request: FastifyRequest) => request.user as AuthUser;
const signedIn = [{ accessCookie: [] }];

/** A seller's figures over their own sales: totals per period and a CSV export. */
export function salesReportRoutes(ctx: OrdersContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: SalesTotalsQuery }>(
      '/sales/totals',
      {
        onRequest: fastifyRequireRole('seller', 'admin'),
        schema: {
          summary: "Orders, items and revenue of the caller's sales per day, week or month, newest first (seller)",
          security: signedIn,
          querystring: salesTotalsQuery,
          response: { 200: salesTotalsSchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => totalSalesOf(ctx, userOf(request).id, request.query),
    );

    app.get<{ Querystring: SalesRangeQuery }>(
      '/sales/export',
      {
        onRequest: fastifyRequireRole('seller', 'admin'),
        schema: {
          summary: "The caller's sales as a CSV file (seller)",
          description: 'Cells a spreadsheet would run as formulas start with a single quote.',
          security: signedIn,
          querystring: salesRangeQuery,
          // The file is CSV; its refusals are the JSON error envelope like every other route's.
          response: {
            200: { description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...errors(400, 401, 403),
          },
        },
      },
      async (request, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="sales.csv"')
          .send(await salesCsvOf(ctx, userOf(request).id, request.query)),
    );
  };
}
