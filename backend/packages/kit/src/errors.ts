import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldError } from '@market/contracts';

/** The one error type services throw; the framework mappers turn it into the shared envelope. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    status?: number,
    readonly details?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'you may not do this') => new AppError('FORBIDDEN', message);

/** A generic message for 5xx so internals never reach a client. */
const HIDDEN_MESSAGE = 'something went wrong on our side; please try again';

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the error is ours (5xx) and deserves an error-level log with its cause. */
  unexpected: boolean;
}

/**
 * Maps anything thrown to a status and envelope. Framework-specific errors (body parser,
 * Fastify validation) are translated by their mappers before they reach this function.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof AppError) {
    // OVERLOADED is a 503 we choose to answer: its message (how long to wait) is for the client.
    const hidden = error.status >= 500 && error.code !== 'OVERLOADED';
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: hidden ? HIDDEN_MESSAGE : error.message,
          ...(error.details && !hidden ? { details: error.details } : {}),
        },
      },
      headers: error.headers ?? {},
      unexpected: hidden,
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: HIDDEN_MESSAGE } },
    headers: {},
    unexpected: true,
  };
}
