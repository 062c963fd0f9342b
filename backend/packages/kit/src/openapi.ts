import { CSRF_HEADER_VALUE, ERROR_CODES } from '@market/contracts';

/** Pieces of the services' OpenAPI 3.1 documents: the error envelope and the document around the paths. */

export type OpenApiSchema = Record<string, unknown>;

export interface OpenApiOperation {
  summary: string;
  security?: Record<string, string[]>[];
  parameters?: OpenApiSchema[];
  requestBody?: OpenApiSchema;
  responses: Record<string, OpenApiSchema>;
}

/** `{ error: { code, message, details? } }`, what every error mapper writes. */
export const errorEnvelopeSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;

/** The security schemes the services share; a document lists the ones its routes use. */
export const securitySchemes = {
  accessCookie: { type: 'apiKey', in: 'cookie', name: 'access_token' },
  refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh_token' },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  csrfHeader: { type: 'apiKey', in: 'header', name: 'X-Requested-With', description: `Must be "${CSRF_HEADER_VALUE}" on every POST, PATCH, PUT and DELETE` },
} as const;

export type SecuritySchemeName = keyof typeof securitySchemes;

/** Builders of hand-written operations; error answers refer to the `ErrorBody` component. */
export const openApi = {
  ref: (name: string) => ({ $ref: `#/components/schemas/${name}` }),
  json: (schema: OpenApiSchema) => ({ content: { 'application/json': { schema } } }),
  body: (name: string) => ({ required: true, ...openApi.json(openApi.ref(name)) }),
  ok: (description: string, schema?: OpenApiSchema) => ({ description, ...(schema ? openApi.json(schema) : {}) }),
  error: (description: string) => ({ description, ...openApi.json(openApi.ref('ErrorBody')) }),
};

export interface OpenApiDocumentOptions {
  title: string;
  description: string;
  security: SecuritySchemeName[];
  paths?: Record<string, Record<string, OpenApiOperation>>;
  /** Component schemas besides `ErrorBody`, which every document carries. */
  schemas?: Record<string, OpenApiSchema>;
}

export function buildOpenApiDocument(options: OpenApiDocumentOptions) {
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: options.description },
    ...(options.paths ? { paths: options.paths } : {}),
    components: {
      securitySchemes: Object.fromEntries(options.security.map((name) => [name, securitySchemes[name]])),
      schemas: { ...options.schemas, ErrorBody: errorEnvelopeSchema as OpenApiSchema },
    },
  };
}
