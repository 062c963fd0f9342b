import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SaveCartRequest } from '@market/contracts';
import type { AuthUser } from '@market/kit';
import { readCart, saveCart, type CartOptions } from '../domain/cart';
import type { Db } from '../data/db';
import { cartSchema, errors, saveCartBody } from './schemas';

const userOf = (request: FastifyRequest) => request.user as AuthUser;

/** GET and PUT /api/cart: the signed-in user's own cart, the same on every device. */
export function cartRoutes(db: Db, options: CartOptions) {
  return async (app: FastifyInstance) => {
    app.get(
      '/',
      {
        schema: {
          summary: "The caller's cart (empty, version 0, when never saved or expired)",
          security: [{ accessCookie: [] }],
          response: { 200: cartSchema, ...errors(401) },
        },
      },
      async (request) => readCart(db, userOf(request).id, options),
    );

    app.put<{ Body: SaveCartRequest }>(
      '/',
      {
        schema: {
          summary: "Replaces the caller's cart, if no other device saved it since `version`",
          description:
            'Answers the saved cart with its new version; 409 VERSION_CONFLICT when another save came first.',
          security: [{ accessCookie: [], csrfHeader: [] }],
          body: saveCartBody,
          response: { 200: cartSchema, ...errors(400, 401, 403, 409, 413, 415) },
        },
      },
      async (request) => saveCart(db, userOf(request).id, request.body),
    );
  };
}
