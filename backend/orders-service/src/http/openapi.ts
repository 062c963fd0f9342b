import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { buildOpenApiDocument } from '@market/kit';

/** Builds the OpenAPI document from the route schemas (generated from the contract); served at /api/orders/openapi.json. */
export const openApi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: buildOpenApiDocument({
      title: 'orders-service',
      description:
        'Orders, carts and saved shipping addresses of the marketplace. An order is answered 202 PENDING and settles COMPLETED or FAILED once the ' +
        "sellers' stock was checked (watch GET /api/orders/{id}/events). Errors use the shared envelope { error: { code, message, details? } }.",
      security: ['accessCookie', 'csrfHeader'],
    }),
    hideUntagged: false,
    // The document describes the API; the operations' probes (/health, /ready, /metrics) are not part of it.
    transform: ({ schema, url }) => ({
      schema: /^\/api\/(orders|cart|addresses)/.test(url) ? schema : { ...schema, hide: true },
      url,
    }),
  });
});

export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
