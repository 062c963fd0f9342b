import express from 'express';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  AppError,
  expressErrorHandler,
  expressNotFound,
  fastifyErrors,
  fastifyServerOptions,
  jsonBody,
  requestLogging,
} from '@market/kit';
import { captureLogs } from '@market/kit/testing';

const SECRET_CAUSE = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';

/** The same routes on both frameworks, so one table of expectations covers both mappers. */
function expressApp() {
  const { logger, lines } = captureLogs('kit-test');
  const app = express();
  app.use(requestLogging(logger));
  app.use(jsonBody('1kb'));
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/conflict', () => {
    throw new AppError('VERSION_CONFLICT', 'the product changed since you loaded it', undefined, [
      { field: 'version', message: 'is stale' },
    ]);
  });
  app.get('/limited', () => {
    throw new AppError('RATE_LIMITED', 'slow down', undefined, undefined, { 'Retry-After': '7' });
  });
  app.get('/boom', async () => {
    throw new Error(SECRET_CAUSE);
  });
  app.get('/unavailable', () => {
    throw new AppError('SERVICE_UNAVAILABLE', 'redis at 10.0.0.8 is down');
  });
  app.use(expressNotFound);
  app.use(expressErrorHandler(logger));
  return { server: app, lines };
}

async function fastifyApp(): Promise<{ server: Server; lines: string[]; close: () => Promise<void> }> {
  const { logger, lines } = captureLogs('kit-test');
  const { loggerInstance, ...options } = fastifyServerOptions(logger);
  const fastifyLogger: FastifyBaseLogger = loggerInstance;
  const app = Fastify({ ...options, loggerInstance: fastifyLogger, bodyLimit: 1024 });
  await app.register(fastifyErrors);
  app.post('/echo', async (req) => req.body);
  app.get('/items/:id', async (req) => ({ id: (req.params as { id: string }).id }));
  app.get('/conflict', async () => {
    throw new AppError('VERSION_CONFLICT', 'the product changed since you loaded it', undefined, [
      { field: 'version', message: 'is stale' },
    ]);
  });
  app.get('/limited', async () => {
    throw new AppError('RATE_LIMITED', 'slow down', undefined, undefined, { 'Retry-After': '7' });
  });
  app.get('/boom', async () => {
    throw new Error(SECRET_CAUSE);
  });
  app.get('/unavailable', async () => {
    throw new AppError('SERVICE_UNAVAILABLE', 'redis at 10.0.0.8 is down');
  });
  await app.ready();
  return { server: app.server, lines, close: () => app.close() };
}

describe.each([
  ['express', async () => ({ ...expressApp(), close: async () => {} })],
  ['fastify', fastifyApp],
])('%s error mapper', (_name, build) => {
  let ctx: Awaited<ReturnType<typeof build>>;
  beforeEach(async () => {
    ctx = await build();
  });
  afterEach(() => ctx.close());

  it('when an AppError is thrown, then it answers its status with code, message and details in the envelope', async () => {
    const res = await request(ctx.server).get('/conflict');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: {
        code: 'VERSION_CONFLICT',
        message: 'the product changed since you loaded it',
        details: [{ field: 'version', message: 'is stale' }],
      },
    });
  });

  it('when an AppError carries headers, then they are sent (Retry-After on 429)', async () => {
    const res = await request(ctx.server).get('/limited');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body.error.code).toBe('RATE_LIMITED');
  });

  it('when an unexpected error is thrown, then it answers 500 INTERNAL without its message or a stack, and logs the cause', async () => {
    const res = await request(ctx.server).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(res.text).not.toContain('ECONNREFUSED');
    expect(res.text).not.toMatch(/\bat .+\.ts:\d+/);
    expect(ctx.lines.some((line) => line.includes('ECONNREFUSED'))).toBe(true);
  });

  it('when a 5xx AppError is thrown, then its message is hidden from the client', async () => {
    const res = await request(ctx.server).get('/unavailable');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.text).not.toContain('10.0.0.8');
  });

  it('when the body is malformed JSON, then it answers 400 MALFORMED_JSON in the envelope', async () => {
    const res = await request(ctx.server).post('/echo').set('Content-Type', 'application/json').send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('when the body is over the limit, then it answers 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
    const res = await request(ctx.server)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a path parameter is not valid percent-encoding, then it answers 400 in the envelope, not 500', async () => {
    const res = await request(ctx.server).get('/items/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when no route matches, then it answers 404 NOT_FOUND in the envelope, not HTML', async () => {
    const res = await request(ctx.server).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when a request id is sent, then it is echoed; when none is, one is generated', async () => {
    const honoured = await request(ctx.server).get('/conflict').set('X-Request-Id', 'req-abc-123');
    expect(honoured.headers['x-request-id']).toBe('req-abc-123');
    const generated = await request(ctx.server).get('/conflict');
    expect(generated.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });
});

describe('fastify routing errors', () => {
  it('when a path parameter is longer than the router takes, then it answers 400 in the envelope, not 414', async () => {
    const ctx = await fastifyApp();
    try {
      const res = await request(ctx.server).get(`/items/${'x'.repeat(500)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    } finally {
      await ctx.close();
    }
  });
});

describe('express body reading', () => {
  it('when a gzip-labelled body cannot be inflated, then it answers 400 VALIDATION_FAILED in the envelope, not 500', async () => {
    const { server } = expressApp();
    const res = await request(server)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"a": 1}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
  });
});

describe('fastify requests refused by the HTTP parser', () => {
  it("when the headers are over the limit, then it answers 431 in the envelope, not Fastify's own body", async () => {
    const { server, close } = await fastifyApp();
    try {
      const res = await request(server).get('/conflict').set('X-Padding', 'x'.repeat(20_000));
      expect(res.status).toBe(431);
      expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    } finally {
      await close();
    }
  });
});
