import { z } from 'zod';
import {
  contractRules,
  CSRF_HEADER_VALUE,
  ErrorBodySchema,
  type ApiOperation,
  type ApiResponse,
} from '@market/contracts';

/** The services' OpenAPI 3.1 documents, generated from the contracts' operations and zod schemas. */

export type JsonSchema = Record<string, unknown>;

/** The security schemes the services share; a document lists the ones its routes use. */
export const securitySchemes = {
  accessCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-access_token',
    description: 'access_token in plain-http development (COOKIE_SECURE=false)',
  },
  refreshCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: '__Secure-refresh_token',
    description: 'refresh_token in plain-http development (COOKIE_SECURE=false)',
  },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  csrfHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Requested-With',
    description: `Must be "${CSRF_HEADER_VALUE}" on every POST, PATCH, PUT and DELETE`,
  },
} as const;

export type SecuritySchemeName = keyof typeof securitySchemes;

export interface JsonSchemaOptions {
  /** What a request sends (defaults optional) or what a response holds (defaults filled in). */
  io: 'input' | 'output';
  /** draft-2020-12 for OpenAPI 3.1 documents; draft-07 for Fastify's Ajv. */
  target?: 'draft-2020-12' | 'draft-07';
}

/** The JSON Schema of a contract's zod schema, without the `$schema` line a document does not want. */
export function jsonSchemaOf(schema: z.ZodType, options: JsonSchemaOptions): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
    io: options.io,
    target: options.target ?? 'draft-2020-12',
    unrepresentable: 'throw',
    // The contract's object rules that JSON Schema can say too.
    override: ({ zodSchema, jsonSchema }) => {
      // zod writes the safe-integer range on every integer; it says nothing the type does not.
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      const rules = contractRules.get(zodSchema);
      if (rules?.minKeys !== undefined) jsonSchema.minProperties = rules.minKeys;
      if (rules?.oneOrMoreOf) jsonSchema.anyOf = rules.oneOrMoreOf.map((key) => ({ required: [key] }));
    },
  }) as JsonSchema;
  return json;
}

/**
 * A contract's schema as Fastify wants it: draft-07 for its Ajv, `type: [T, "null"]` rather than
 * anyOf for a nullable (fast-json-stringify serializes it without trying each branch), and no
 * pattern beside a format zod adds one to, so an invalid id is reported once.
 */
export function fastifyJsonSchema(schema: z.ZodType, io: JsonSchemaOptions['io']): JsonSchema {
  return simplify(jsonSchemaOf(schema, { io, target: 'draft-07' })) as JsonSchema;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = Object.fromEntries(
    Object.entries(node).map(([key, value]): [string, unknown] => [key, simplify(value)]),
  );
  if (typeof out.format === 'string' && ['uuid', 'email', 'date-time'].includes(out.format)) delete out.pattern;
  const options = out.anyOf as JsonSchema[] | undefined;
  if (
    options?.length === 2 &&
    options[1]?.type === 'null' &&
    typeof options[0]?.type === 'string' &&
    !('anyOf' in options[0])
  ) {
    const { anyOf: _anyOf, ...rest } = out;
    const { type, enum: values, ...inner } = options[0];
    return {
      ...inner,
      ...rest,
      type: [type, 'null'],
      ...(Array.isArray(values) ? { enum: [...(values as unknown[]), null] } : {}),
    };
  }
  return out;
}

/** `{ error: { code, message, details? } }`, what every error mapper writes; closed at every level. */
export const errorEnvelopeSchema = jsonSchemaOf(ErrorBodySchema, { io: 'output' });

function parametersOf(operation: ApiOperation): JsonSchema[] {
  const part = (object: z.ZodObject | undefined, where: 'path' | 'query') =>
    Object.entries(object?.shape ?? {}).map(([name, schema]) => {
      const json = jsonSchemaOf(schema as z.ZodType, { io: 'input' });
      const { description, ...rest } = json;
      const type = (schema as z.ZodType)._zod.def.type;
      return {
        name,
        in: where,
        required: where === 'path' || !['optional', 'default'].includes(type),
        ...(description ? { description } : {}),
        schema: rest,
      };
    });
  return [...part(operation.params, 'path'), ...part(operation.query, 'query')];
}

/** Names schemas as components; a named one is referred to, any other is written in place. */
type Naming = Map<z.ZodType, string>;

function schemaRef(schema: z.ZodType, io: JsonSchemaOptions['io'], names: Naming): JsonSchema {
  const name = names.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchemaOf(schema, { io });
}

function responseOf(response: ApiResponse, names: Naming): JsonSchema {
  const content = response.body
    ? { content: { 'application/json': { schema: schemaRef(response.body, 'output', names) } } }
    : response.contentType
      ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
      : {};
  return { description: response.description, ...(response.headers ? { headers: response.headers } : {}), ...content };
}

/** A form's text fields (the body schema) and its one file field. */
function multipartSchema(fields: z.ZodType, upload: NonNullable<ApiOperation['upload']>): JsonSchema {
  const schema = jsonSchemaOf(fields, { io: 'input' });
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return {
    ...schema,
    properties: {
      ...properties,
      [upload.field]: { type: 'string', contentMediaType: 'application/octet-stream', description: upload.description },
    },
    required: [...required, upload.field],
  };
}

/** The `paths` of an OpenAPI document for a set of operations, keyed by operationId. */
export function openApiPaths(
  operations: Record<string, ApiOperation>,
  names: Naming = new Map(),
): Record<string, Record<string, JsonSchema>> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, operation] of Object.entries(operations)) {
    const parameters = parametersOf(operation);
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(operation.security
        ? { security: operation.security.map((set) => Object.fromEntries(set.map((name) => [name, []]))) }
        : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: operation.upload
                ? { 'multipart/form-data': { schema: multipartSchema(operation.body, operation.upload) } }
                : { 'application/json': { schema: schemaRef(operation.body, 'input', names) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => [status, responseOf(response, names)]),
      ),
    };
  }
  return paths;
}

export interface OpenApiDocumentOptions {
  title: string;
  description: string;
  security: SecuritySchemeName[];
  /** The operations the document describes; absent when a framework plugin fills in the paths. */
  operations?: Record<string, ApiOperation>;
  /** Schemas the document names as components (`ErrorBody` always is); request bodies are written as sent. */
  schemas?: Record<string, z.ZodType>;
}

export function buildOpenApiDocument(options: OpenApiDocumentOptions) {
  const named: Record<string, z.ZodType> = { ...options.schemas, ErrorBody: ErrorBodySchema };
  const names: Naming = new Map(Object.entries(named).map(([name, schema]) => [schema, name]));
  const requests = new Set(Object.values(options.operations ?? {}).map((operation) => operation.body));
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: options.description },
    ...(options.operations ? { paths: openApiPaths(options.operations, names) } : {}),
    components: {
      securitySchemes: Object.fromEntries(options.security.map((name) => [name, securitySchemes[name]])),
      schemas: Object.fromEntries(
        Object.entries(named).map(([name, schema]) => [
          name,
          jsonSchemaOf(schema, { io: requests.has(schema) ? 'input' : 'output' }),
        ]),
      ),
    },
  };
}
