import request from 'supertest';
import { CSRF, newCredentials, startTestApp, type TestApp } from './support/test-app';

describe('auth-service HTTP contract', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('when the body is malformed JSON, then it answers 400 MALFORMED_JSON in the envelope', async () => {
    const res = await request(ctx.app)
      .post('/api/auth/login')
      .set(CSRF)
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.any(String) } });
  });

  it('when the body is 2 MB, then it answers 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
    const huge = JSON.stringify({ ...newCredentials(), username: 'x'.repeat(2 * 1024 * 1024) });
    const res = await request(ctx.app)
      .post('/api/auth/signup')
      .set(CSRF)
      .set('Content-Type', 'application/json')
      .send(huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when the body is a form rather than JSON, then it answers 415 in the envelope', async () => {
    const res = await request(ctx.app).post('/api/auth/login').set(CSRF).type('form').send('email=a@b.c&password=x');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when a route does not exist, then it answers 404 in JSON, not an HTML page', async () => {
    const res = await request(ctx.app).get('/api/auth/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when X-Request-Id is sent, then it is echoed and appears in the request log line', async () => {
    const res = await request(ctx.app).get('/api/auth/me').set('X-Request-Id', 'trace-me-1234');
    expect(res.headers['x-request-id']).toBe('trace-me-1234');
    expect(ctx.logs.some((line) => line.includes('trace-me-1234'))).toBe(true);
  });

  it('when the JWKS is fetched, then it holds the public signing key with its kid and nothing private', async () => {
    const res = await request(ctx.app).get('/api/auth/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([
      expect.objectContaining({ kid: ctx.keys.kid, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' }),
    ]);
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });

  it('when the OpenAPI document is fetched, then it describes every endpoint', async () => {
    const res = await request(ctx.app).get('/api/auth/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/signup',
        '/api/auth/login',
        '/api/auth/refresh',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/auth/users',
      ]),
    );
  });

  it('when health, readiness and metrics are asked, then they answer with the database and Redis checked', async () => {
    expect((await request(ctx.app).get('/health')).status).toBe(200);
    const ready = await request(ctx.app).get('/ready');
    expect(ready.status).toBe(200);
    const metrics = await request(ctx.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds/);
  });

  it('when a response is sent, then it carries security headers and is never cached', async () => {
    const res = await request(ctx.app).get('/api/auth/me');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
