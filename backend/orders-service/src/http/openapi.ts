import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@market/contracts';

/** Builds the OpenAPI document from the route schemas; served at /api/orders/openapi.json. */
export const openApi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'orders-service',
        version: '1.0.0',
        description:
          'Orders of the marketplace. An order is answered 202 PENDING and settles COMPLETED or FAILED once the ' +
          'sellers\' stock was checked (watch GET /api/orders/{id}/events). Errors use the shared envelope { error: { code, message, details? } }.',
      },
      components: {
        securitySchemes: {
          accessCookie: { type: 'apiKey', in: 'cookie', name: 'access_token' },
          csrfHeader: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: `must be "${CSRF_HEADER_VALUE}"` },
        },
      },
    },
    hideUntagged: false,
  });
});

export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
