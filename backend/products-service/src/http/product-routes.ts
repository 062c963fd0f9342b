import express, { type RequestHandler, type Router } from 'express';
import { CATEGORIES, type MyProductsQuery } from '@market/contracts';
import {
  assertEmailVerified,
  authenticate,
  notFound,
  requireRole,
  validate,
  type AuthUser,
  type TokenVerifier,
} from '@market/kit';
import type { Catalog, CatalogSearch, NewProductInput } from '../domain/catalog';
import { openApiDocument } from './openapi';
import { markPrivate, markShareable } from './shared-caching';
import { validators } from './schemas';

export interface ProductRouteDeps {
  catalog: Catalog;
  verify: TokenVerifier;
  /** How long nginx may serve a public read to everyone (CATALOG_CACHE_SECONDS). */
  sharedCacheSeconds: number;
}

/**
 * Public reads must not fail because a visitor carries an expired cookie: a bad token only
 * means "not signed in" here, so archived products stay hidden and nothing else changes.
 */
function identifyIfSignedIn(verify: TokenVerifier): RequestHandler {
  const strict = authenticate(verify, { optional: true });
  return async (req, res, next) => {
    try {
      await strict(req, res, () => undefined);
    } catch {
      req.user = undefined;
    }
    next();
  };
}

const userOf = (req: { user?: AuthUser }): AuthUser => req.user as AuthUser;

/** The catalog: public reads, and seller management guarded by role and ownership. */
export function productRoutes(deps: ProductRouteDeps): Router {
  const router = express.Router();
  const { catalog } = deps;
  const seller = [authenticate(deps.verify), requireRole('seller', 'admin')];
  const admin = [authenticate(deps.verify), requireRole('admin')];

  // Constants of the build: browsers and nginx keep them five minutes.
  const constant = { 'Cache-Control': 'public, max-age=300', 'X-Accel-Expires': '300' };
  router.get('/openapi.json', (_req, res) => {
    res.set(constant).json(openApiDocument);
  });

  router.get('/categories', (_req, res) => {
    res.set(constant).json({ data: CATEGORIES });
  });

  router.get('/', validate(validators.search), async (req, res) => {
    const { q, ...rest } = req.query as unknown as Omit<CatalogSearch, 'q'> & { q?: string };
    // A caller that asked past the caches (`no-cache`, as the SPA does after its own change) reads
    // on its own; others may share a reading in flight, as they would share nginx's copy.
    const shared = deps.sharedCacheSeconds > 0 && !/no-cache/i.test(req.get('cache-control') ?? '');
    const page = await catalog.search({ ...rest, q: q || undefined }, { shared });
    // The list never depends on who asks.
    markShareable(res, deps.sharedCacheSeconds);
    res.json(page);
  });

  router.get('/mine', ...seller, validate(validators.mine), async (req, res) => {
    res.json(await catalog.listMine(userOf(req), req.query as unknown as MyProductsQuery));
  });

  router.get('/:id', validate(validators.read), identifyIfSignedIn(deps.verify), async (req, res) => {
    const product = await catalog.find(String(req.params.id), req.user);
    // An active product, and its absence, read the same for everyone: shared. An archived product
    // only its seller or an admin sees: private.
    if (!product || product.status === 'active') markShareable(res, deps.sharedCacheSeconds);
    else markPrivate(res);
    if (!product) throw notFound('product');
    res.json(product);
  });

  router.post('/', ...seller, validate(validators.create), async (req, res) => {
    assertEmailVerified(userOf(req), 'list a product');
    const product = await catalog.create(userOf(req), req.body as NewProductInput);
    res.status(201).location(`/api/products/${product.id}`).json(product);
  });

  router.patch('/:id', ...seller, validate(validators.update), async (req, res) => {
    const { version, ...changes } = req.body as { version: number } & Record<string, unknown>;
    res.json(await catalog.update(userOf(req), String(req.params.id), version, changes));
  });

  router.delete('/:id', ...seller, validate(validators.archive), async (req, res) => {
    const { version } = req.query as { version?: number };
    res.json(await catalog.archive(userOf(req), String(req.params.id), version));
  });

  router.post('/:id/relist', ...seller, validate(validators.relist), async (req, res) => {
    const { version } = req.query as { version?: number };
    res.json(await catalog.relist(userOf(req), String(req.params.id), version));
  });

  router.post('/:id/unlist', ...admin, validate(validators.unlist), async (req, res) => {
    const { reason } = req.body as { reason: string };
    res.json(await catalog.unlist(userOf(req), String(req.params.id), reason));
  });

  return router;
}
