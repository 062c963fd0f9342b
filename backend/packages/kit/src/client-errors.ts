import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '@market/contracts';

function answerFor(error: NodeJS.ErrnoException): { status: number; body: ErrorBody } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request headers are too large' } },
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      body: { error: { code: 'VALIDATION_FAILED', message: 'the request took too long to arrive' } },
    };
  }
  return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'the request could not be read' } } };
}

/**
 * Answers a request Node's HTTP parser refused before any framework saw it (headers over the
 * limit, a malformed request line) with the shared envelope instead of Node's empty 400/431.
 * Usable as a server's 'clientError' listener and as Fastify's `clientErrorHandler`.
 */
export function writeClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, body } = answerFor(error);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      'Connection: close\r\n\r\n' +
      json,
  );
}

export function answerClientErrors<S extends Server>(server: S): S {
  server.on('clientError', writeClientError);
  return server;
}
