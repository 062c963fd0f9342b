import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import type Joi from 'joi';
import { pinoHttp } from 'pino-http';
import type { Role } from '@market/contracts';
import { AppError, mapError } from './errors';
import { assertSameOrigin } from './csrf';
import { assertRole, type AuthUser, type TokenVerifier } from './jwt';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from './logger';
import type { Observability } from './observability';
import { joiDetails } from './validation';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

/** Request id (honoured or generated, echoed), one pino line per request without headers or bodies. */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Strict JSON bodies with a size limit; parse failures reach the error handler. */
export function jsonBody(limit = '100kb'): RequestHandler {
  return express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
}

type Part = 'body' | 'query' | 'params';

/** Validates request parts with joi (unknown keys rejected), replacing them with the converted values. */
export function validate(schemas: Partial<Record<Part, Joi.Schema>>): RequestHandler {
  return (req, _res, next) => {
    const details = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = schema.validate(req[part] ?? (part === 'body' ? undefined : {}), {
        abortEarly: false,
        allowUnknown: false,
        convert: true,
        errors: { wrap: { label: false } },
      });
      if (result.error) details.push(...joiDetails(result.error, part === 'body' ? '' : `${part}.`));
      // Express 5 exposes req.query through a getter; define the validated value over it.
      else
        Object.defineProperty(req, part, {
          value: result.value as unknown,
          writable: true,
          enumerable: true,
          configurable: true,
        });
    }
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, details);
    next();
  };
}

/** A body that is not JSON is refused (415) rather than silently read as empty; no body at all is fine. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const empty =
    req.headers['content-length'] === '0' ||
    (req.headers['content-length'] === undefined && !req.headers['transfer-encoding']);
  if (!empty && req.is(['application/json', 'application/*+json']) === false) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  next();
};

/** Answers 403 CSRF_FAILED to a state-changing request without the same-origin proof. */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  assertSameOrigin(req.method, req.headers);
  next();
};

function tokenFrom(req: Request, names: readonly string[]): string | undefined {
  // cookie-parser (in the services that read cookies) fills req.cookies; Express types it as any.
  const cookies = req.cookies as Record<string, string> | undefined;
  const fromCookie = names.map((name) => cookies?.[name]).find(Boolean);
  if (fromCookie) return fromCookie;
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Sets req.user from the access token (cookie, or a Bearer header for non-browser clients). */
export function authenticate(verify: TokenVerifier, options: { optional?: boolean } = {}): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenFrom(req, verify.cookies);
    if (!token) {
      if (options.optional) return next();
      throw new AppError('UNAUTHENTICATED', 'sign in first');
    }
    req.user = await verify(token);
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    assertRole(req.user, roles);
    next();
  };
}

function translate(error: unknown): unknown {
  const e = error as { type?: string; status?: number } | undefined;
  if (e?.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'the request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported');
  if (e?.status && e.status >= 400 && e.status < 500 && e.type)
    return new AppError('VALIDATION_FAILED', 'the request could not be read', e.status);
  // A body that fails to inflate (http-errors, `expose` set, no `type`) and a path parameter
  // that is not valid percent-encoding (the router's URIError) are the client's fault, not a 500.
  if (
    e?.status &&
    e.status >= 400 &&
    e.status < 500 &&
    ((e as { expose?: unknown }).expose === true || error instanceof URIError)
  ) {
    return new AppError(
      'VALIDATION_FAILED',
      error instanceof URIError ? 'the request path is not valid percent-encoding' : 'the request could not be read',
      e.status,
    );
  }
  return error;
}

/** The one error mapper for Express: envelope only, 5xx hidden and logged with the request id. */
export function expressErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const mapped = mapError(translate(error));
    if (mapped.unexpected) logger.error({ err: error, requestId: req.id }, 'request failed');
    if (res.headersSent) return res.end();
    res.status(mapped.status).set(mapped.headers).json(mapped.body);
  };
}

export const expressNotFound: RequestHandler = (req) => {
  throw new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`);
};

/** GET /health, /ready and /metrics, plus the request-duration histogram middleware. */
export function observabilityRoutes(observability: Observability): { router: Router; measure: RequestHandler } {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const result = await observability.readiness();
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ready' : 'not ready', checks: result.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(observability.registry.contentType).send(await observability.registry.metrics());
  });
  const measure: RequestHandler = (req, res, next) => {
    const end = observability.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { router, measure };
}
