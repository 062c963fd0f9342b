import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { FieldError, Role } from '@market/contracts';
import { writeClientError } from './client-errors';
import { AppError, mapError } from './errors';
import { assertSameOrigin } from './csrf';
import { assertRole, type AuthUser, type TokenVerifier } from './jwt';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from './logger';
import type { Observability } from './observability';

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
}

/**
 * One log line per request, written when it ends, with the request and the outcome: Fastify's
 * default writes a second line as each request arrives, which doubled the logging cost per order.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error)
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Server options giving every request an id from X-Request-Id (honoured) or a new one. */
export function fastifyServerOptions(logger: Logger): FastifyServerOptions & { loggerInstance: Logger } {
  return {
    loggerInstance: logger,
    genReqId: (req) => requestIdFrom(req.headers[REQUEST_ID_HEADER]),
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    bodyLimit: 100 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    clientErrorHandler: writeClientError,
    // Errors Fastify answers before routing (a URL that is not valid percent-encoding, a path
    // parameter longer than maxParamLength, which it would answer 414) skip the error handler; they
    // get the envelope and 400, as a malformed parameter gets from the route's schema.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 500;
      const mapped = mapError(
        status >= 400 && status < 500 ? new AppError('VALIDATION_FAILED', 'the request path is not valid', 400) : error,
      );
      void (reply as unknown as FastifyReply).status(mapped.status).send(mapped.body);
    },
  };
}

/**
 * Query strings, params and headers arrive as text, so their validator coerces ("2" → 2); a JSON
 * body already has its types, and coercing would turn a price sent as 19.9 into "19.9" or a
 * quantity "2" into 2. Bodies get a validator that takes each value as sent.
 */
export function bodiesKeepTheirJsonTypes(app: FastifyInstance): void {
  const options = { removeAdditional: false, useDefaults: true, allErrors: true, allowUnionTypes: true } as const;
  const coercing = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  const exact = addFormats(new Ajv({ ...options, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema));
}

function validationDetails(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as { missingProperty?: string; additionalProperty?: string };
    const base = `${error.validationContext ?? 'body'}${issue.instancePath.replace(/\//g, '.')}`;
    const leaf = params.missingProperty ?? params.additionalProperty;
    const field = (leaf ? `${base}.${leaf}` : base).replace(/^body\.?/, '') || 'body';
    // Like joi's: the field by its path, then what is wrong with it.
    const message = params.missingProperty
      ? `${field} is required`
      : params.additionalProperty
        ? `${field} is not allowed`
        : `${field} ${issue.message ?? 'is not valid'}`;
    return { field, message };
  });
}

function translate(error: FastifyError): unknown {
  if (error instanceof AppError) return error;
  if (error.validation)
    return new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, validationDetails(error));
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON', 'the request body is not valid JSON');
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new AppError('MALFORMED_JSON', 'the request body is not valid JSON');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', 'the request could not be read', error.statusCode);
  }
  return error;
}

/**
 * helmet's security headers on every reply. The middleware is built once: the Fastify wrapper
 * (@fastify/helmet) builds it again for each request, parsing the CSP directives every time,
 * which cost the orders API about 2 % of its CPU.
 */
export const fastifySecurityHeaders = fp(async (app: FastifyInstance) => {
  const apply = helmet();
  app.addHook('onRequest', (request, reply, done) =>
    apply(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined)),
  );
});

/** The one error mapper for Fastify, the request-id echo and the not-found answer. */
export const fastifyErrors = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = mapError(translate(error));
    if (mapped.unexpected) request.log.error({ err: error }, 'request failed');
    return reply.status(mapped.status).headers(mapped.headers).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const mapped = mapError(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
    return reply.status(mapped.status).send(mapped.body);
  });
});

export async function fastifyCsrf(request: FastifyRequest): Promise<void> {
  assertSameOrigin(request.method, request.headers);
}

/** preHandler that sets request.user from the access cookie (or a Bearer header). */
export function fastifyAuthenticate(verify: TokenVerifier) {
  return async (request: FastifyRequest): Promise<void> => {
    const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
    const header = request.headers.authorization;
    const token =
      verify.cookies.map((name) => cookies?.[name]).find(Boolean) ??
      (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (!token) throw new AppError('UNAUTHENTICATED', 'sign in first');
    request.user = await verify(token);
  };
}

export function fastifyRequireRole(...roles: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    assertRole(request.user, roles);
  };
}

/** GET /health, /ready, /metrics and the request-duration histogram. */
export function fastifyObservability(observability: Observability) {
  return fp(async (app: FastifyInstance) => {
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      observability.httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/health', async () => ({ status: 'ok' }));
    app.get('/ready', async (_request, reply) => {
      const result = await observability.readiness();
      return reply
        .status(result.ok ? 200 : 503)
        .send({ status: result.ok ? 'ready' : 'not ready', checks: result.checks });
    });
    app.get('/metrics', async (_request, reply) =>
      reply.type(observability.registry.contentType).send(await observability.registry.metrics()),
    );
  });
}
