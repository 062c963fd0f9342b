import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import Redis from 'ioredis';
import request from 'supertest';
import type { Role } from '@market/contracts';
import { createSessionRevocations, createTokenVerifier } from '@market/kit';
import {
  captureLogs,
  createMigratedTestDatabase,
  generateTestKeys,
  signTestToken,
  type TestKeys,
} from '@market/kit/testing';
import type { Pool } from 'pg';
import { buildApp } from '../../src/app';
import { loadConfig, type ProductsConfig } from '../../src/config';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../../src/data/db';
import { imageStoreFor } from '../../src/data/image-store';

export const CSRF = { 'X-Requested-With': 'marketplace' } as const;

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  token: string;
}

export interface TestApp {
  app: Express;
  config: ProductsConfig;
  keys: TestKeys;
  pool: Pool;
  db: Db;
  logs: string[];
  /** The image folder of the disk store, a fresh one per app. */
  imageDir: string;
  /** A signed-in user with a fresh id; the token is what auth-service would have minted. */
  user(role: Role, username?: string): TestUser;
  close(): Promise<void>;
}

/** A migrated throwaway database, real Redis (readiness only) and the app built on them. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { database, pool, env: testEnv } = await createMigratedTestDatabase('products', MIGRATIONS_FOLDER);
  const keys = generateTestKeys();
  const imageDir = await mkdtemp(path.join(tmpdir(), 'product-images-'));
  const config = loadConfig({
    ...testEnv,
    JWT_PUBLIC_KEY: keys.publicKey,
    IMAGE_DIR: imageDir,
    ...env,
  });
  const db = createDb(pool);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const { logger, lines } = captureLogs('products-service');
  const verify = createTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    publicKey: config.JWT_PUBLIC_KEY,
    revocations: createSessionRevocations({ redis, logger }),
    acceptPlainCookie: true,
  });
  const app = buildApp({ logger, pool, db, redis, verify, imageStore: imageStoreFor(config), config });
  return {
    app,
    config,
    keys,
    pool,
    db,
    logs: lines,
    imageDir,
    user(role, username = `${role}-${randomUUID().slice(0, 8)}`) {
      const id = randomUUID();
      return { id, username, role, token: signTestToken(keys, { id, username, role }) };
    },
    async close() {
      await redis.quit();
      await pool.end();
      await database.drop();
      await rm(imageDir, { recursive: true, force: true });
    },
  };
}

export const cookie = (user: TestUser) => `access_token=${user.token}`;

/** Requests as a signed-in user, with the CSRF header a same-origin page sends. */
export function as(app: Express, user: TestUser) {
  return {
    get: (path: string) => request(app).get(path).set('Cookie', cookie(user)),
    post: (path: string, body: object) => request(app).post(path).set('Cookie', cookie(user)).set(CSRF).send(body),
    patch: (path: string, body: object) => request(app).patch(path).set('Cookie', cookie(user)).set(CSRF).send(body),
    put: (path: string, body: object) => request(app).put(path).set('Cookie', cookie(user)).set(CSRF).send(body),
    delete: (path: string) => request(app).delete(path).set('Cookie', cookie(user)).set(CSRF),
  };
}

export interface ProductInput {
  name: string;
  description: string;
  category: string;
  price: string | number;
  stock: number;
}

export const productInput = (overrides: Partial<ProductInput> = {}): ProductInput => ({
  name: `Lamp ${randomUUID().slice(0, 8)}`,
  description: 'A warm desk lamp',
  category: 'home',
  price: '19.99',
  stock: 10,
  ...overrides,
});

/** Creates a product through the API as `seller` and returns it. */
export async function createProduct(app: Express, seller: TestUser, overrides: Partial<ProductInput> = {}) {
  const res = await as(app, seller).post('/api/products', productInput(overrides));
  if (res.status !== 201) throw new Error(`create failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    version: number;
    stock: number;
    price: string;
    name: string;
    sellerId: string;
    status: string;
  };
}
