import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AddressFields } from '@market/contracts';
import type { AuthUser } from '@market/kit';
import { addAddress, changeAddress, readAddresses, removeAddress } from '../domain/addresses';
import type { Db } from '../data/db';
import { addressBody, addressIdParams, addressListSchema, addressSchema, errors } from './schemas';

const userOf = (request: FastifyRequest) => request.user as AuthUser;
const signedIn = [{ accessCookie: [] }];
const stateChanging = [{ accessCookie: [], csrfHeader: [] }];

/** /api/addresses: the signed-in user's own saved shipping addresses; another user's answer 404. */
export function addressRoutes(db: Db) {
  return async (app: FastifyInstance) => {
    app.get(
      '/',
      {
        schema: {
          summary: "The caller's saved shipping addresses, oldest first",
          security: signedIn,
          response: { 200: addressListSchema, ...errors(401) },
        },
      },
      async (request) => readAddresses(db, userOf(request).id),
    );

    app.post<{ Body: AddressFields }>(
      '/',
      {
        schema: {
          summary: 'Save a shipping address',
          description: '409 TOO_MANY_ADDRESSES when the caller already has the most addresses allowed.',
          security: stateChanging,
          body: addressBody,
          response: { 201: addressSchema, ...errors(400, 401, 403, 409, 413, 415) },
        },
      },
      async (request, reply) => reply.status(201).send(await addAddress(db, userOf(request).id, request.body)),
    );

    app.put<{ Params: { id: string }; Body: AddressFields }>(
      '/:id',
      {
        schema: {
          summary: "Replace a saved address's fields; orders placed with it keep their copy",
          security: stateChanging,
          params: addressIdParams,
          body: addressBody,
          response: { 200: addressSchema, ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (request) => changeAddress(db, userOf(request).id, request.params.id, request.body),
    );

    app.delete<{ Params: { id: string } }>(
      '/:id',
      {
        schema: {
          summary: 'Delete a saved address; orders placed with it keep their copy',
          security: stateChanging,
          params: addressIdParams,
          response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await removeAddress(db, userOf(request).id, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
