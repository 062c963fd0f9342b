import express, { type Router } from 'express';
import type { AccessTokens } from '../domain/access-tokens';
import { openApiDocument } from './openapi';

/** Public, cacheable documents: the verification key set and the API description. */
export function discoveryRoutes(deps: { accessTokens: AccessTokens }): Router {
  const router = express.Router();
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(deps.accessTokens.jwks);
  });
  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(openApiDocument);
  });
  return router;
}
