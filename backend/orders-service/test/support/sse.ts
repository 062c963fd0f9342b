import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TestUser } from './test-app';

export interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: { event: string; data: string }[];
  comments: number;
  ended: Promise<void>;
  close(): void;
}

/** Opens the SSE stream over real HTTP and collects what arrives. */
export async function openEvents(app: FastifyInstance, user: TestUser, orderId: string): Promise<Stream> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/api/orders/${orderId}/events`,
        headers: { Cookie: user.cookie, Accept: 'text/event-stream' },
      },
      (res) => {
        let buffer = '';
        const stream: Stream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          events: [],
          comments: 0,
          ended: new Promise((done) => res.on('close', () => done())),
          close: () => req.destroy(),
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (block.startsWith(':')) stream.comments += 1;
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) stream.events.push({ event, data });
          }
        });
        resolve(stream);
      },
    );
    req.on('error', reject);
  });
}
