/**
 * Errors that say nothing about the entry being handled: the database or the network was
 * unreachable, busy or slow. A consumer retries them with backoff and never counts them toward
 * dead-lettering (a cancel must not be given up because products' database was down).
 */

/** SQLSTATE codes and classes of PostgreSQL errors caused by the environment, not by the data. */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown (backend terminated)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
  '55000', // object_not_in_prerequisite_state: "database is not currently accepting connections"
  '3D000', // invalid_catalog_name: the database is missing (being restored)
  '28000', // invalid_authorization_specification (credentials being rotated)
  '28P01', // invalid_password
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // nodemailer's codes for an SMTP server that could not be reached (refused, reset, closed,
  // unresolvable): an outage the mailer waits out, never a reason to dead-letter a mail.
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
]);

const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection is closed',
  'redis connection lost',
];

/** Raised when a handler does not settle within its deadline; the batch is retried later. */
export class HandlerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}

export function isTransientError(error: unknown): boolean {
  // Not `instanceof Error`: an error Node's core made (a refused connection a library passes on
  // with its own code) may come from another realm, as under Jest, and is an outage all the same.
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof HandlerTimeoutError) return true;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code))
  )
    return true;
  const { message } = error as { message?: unknown };
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((text) => message.includes(text))) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransientError(cause);
}
