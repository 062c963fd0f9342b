import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from '@market/kit';

describe('answerClientErrors', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = answerClientErrors(http.createServer((_req, res) => res.end('ok')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when the headers are over the limit, then it answers 431 in the envelope, not an empty response', async () => {
    const res = await fetch(`${base}/`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });

    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request headers are too large' },
    });
  });
});
