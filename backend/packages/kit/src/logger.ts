import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths never written to a log line: credentials, cookies and anything token-shaped. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
];

const isQueryError = (e: unknown): e is Error & { query: string } =>
  e instanceof Error && typeof (e as { query?: unknown }).query === 'string' && 'params' in e;

function causeChainHasQueryError(error: Error): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (isQueryError(e)) return true;
  return false;
}

/** A PostgreSQL error from pg: its `detail` quotes row values ("Failing row contains (…)", "Key (…)=(…)"). */
const isDatabaseError = (e: Error): boolean =>
  typeof (e as { severity?: unknown }).severity === 'string' && typeof (e as { code?: unknown }).code === 'string';

function withoutRowData(error: Error, serialized: Record<string, unknown>): Record<string, unknown> {
  if (isDatabaseError(error)) delete serialized.detail;
  return serialized;
}

/**
 * pino's error serializer, minus query parameters and the row values PostgreSQL quotes in `detail`: a failed SQL statement (drizzle's
 * DrizzleQueryError) carries its bound values, which can be password hashes or token hashes,
 * in both its message and its `params` field.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (!causeChainHasQueryError(error)) return withoutRowData(error, pino.stdSerializers.err(error));
  const type = error.constructor.name;
  const message = isQueryError(error) ? `Failed query: ${error.query}` : error.message;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type,
    message,
    stack: [`${type}: ${message}`, ...frames].join('\n'),
    ...(error.cause === undefined ? {} : { cause: serializeError(error.cause) }),
  };
}

/** Bytes a service's log buffer gathers before it writes them out. */
const LOG_BUFFER_BYTES = 4096;

/**
 * A long-running service's stdout for its logs: lines gather up to LOG_BUFFER_BYTES and leave in
 * one write, at the latest a second later (one write per line cost the orders API about a twentieth
 * of its CPU). pino writes what is left when the process exits, crashes or is
 * signalled; only a SIGKILL or a power cut loses the last second of lines.
 */
export function bufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  setInterval(() => destination.flush(), 1000).unref();
  return destination;
}

export function createLogger(options: {
  service: string;
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a well-formed incoming X-Request-Id, otherwise makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

export const REQUEST_ID_HEADER = 'x-request-id';
