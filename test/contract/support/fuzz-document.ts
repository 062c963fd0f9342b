import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { invalidValue, resolveRefs, validValue, type Schema } from './schema-arbitrary';

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface Caller {
  name: string;
  headers: Record<string, string>;
}

export interface FuzzTarget {
  baseUrl: string;
  /** The service's own document, as fetched from it. */
  document: Schema;
  /** Who may call an operation: the callers the fuzz picks from (signed in, another role, nobody). */
  callers(path: string, method: string, operation: Operation): Caller[];
  /** Values a path parameter takes besides generated ones, e.g. ids that exist. */
  knownValues?: Record<string, string[]>;
  /** Bodies that mean something to the service (real credentials…), by `METHOD path`, mixed in with generated ones. */
  bodies?: Record<string, unknown[]>;
  /** Headers every request of an operation carries (an Idempotency-Key…), as arbitraries. */
  headers?(path: string, method: string): fc.Arbitrary<Record<string, string>>;
  runs: number;
}

export interface Sent {
  method: string;
  url: string;
  caller: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Failure {
  operation: string;
  problem: string;
  request: Sent;
}

export interface FuzzReport {
  operations: string[];
  requests: number;
  statuses: Record<string, Record<number, number>>;
  failures: Failure[];
}

/** Every object schema in a response must be closed: an extra property is a contract break. */
function openObjects(node: unknown, at = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => openObjects(item, `${at}/${i}`));
  if (!node || typeof node !== 'object') return [];
  const schema = node as Schema;
  const own = schema.type === 'object' && schema.properties && schema.additionalProperties !== false ? [at || '/'] : [];
  return [...own, ...Object.entries(schema).flatMap(([key, value]) => openObjects(value, `${at}/${key}`))];
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // Documentation keywords OpenAPI allows in a schema.
  ajv.addVocabulary(['example']);
  return ajv;
}

function operationsOf(document: Schema): { path: string; method: string; operation: Operation }[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation: resolveRefs(operation, document) as Operation })),
  );
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function requestArbitrary(target: FuzzTarget, path: string, method: string, operation: Operation): fc.Arbitrary<Sent> {
  const parameters = operation.parameters ?? [];
  const pathParams = parameters.filter((p) => p.in === 'path');
  const queryParams = parameters.filter((p) => p.in === 'query');
  const headerParams = parameters.filter((p) => p.in === 'header');
  const callers = target.callers(path, method, operation);

  const pathValues = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const known = target.knownValues?.[p.name] ?? [];
        const generated = fc
          .oneof({ arbitrary: validValue(p.schema), weight: 3 }, { arbitrary: invalidValue(p.schema), weight: 1 })
          .map(text)
          // An empty or dot segment would name another route (or none), not this operation with a bad value.
          .filter((value) => !['', '.', '..'].includes(value));
        return [
          p.name,
          known.length > 0
            ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: generated, weight: 2 })
            : generated,
        ];
      }),
    ),
  );
  const querySchema: Schema = {
    type: 'object',
    properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
    required: queryParams.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
  const query = queryParams.length
    ? fc.oneof({ arbitrary: validValue(querySchema), weight: 3 }, { arbitrary: invalidValue(querySchema), weight: 1 })
    : fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: fc.constant({ unexpected: '1' }), weight: 1 });
  const headerSchema: Schema = {
    type: 'object',
    properties: Object.fromEntries(headerParams.map((p) => [p.name, p.schema])),
    required: headerParams.filter((p) => p.required).map((p) => p.name),
  };
  // A header carries Latin-1 text only (fetch refuses the rest): bad values are bad within that.
  const badHeaderValue = fc.oneof(
    fc.constantFrom('', ' ', 'has space', 'quo"te', 'x'.repeat(300)),
    fc.stringMatching(/^[\x21-\x7e]{0,20}$/),
  );
  const badHeaders = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, badHeaderValue])), {
    requiredKeys: [],
  });
  const headers = headerParams.length
    ? fc.oneof(
        { arbitrary: target.headers?.(path, method) ?? validValue(headerSchema), weight: 4 },
        { arbitrary: badHeaders, weight: 1 },
      )
    : fc.constant({});
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const known = target.bodies?.[`${method.toUpperCase()} ${path}`] ?? [];
  const body = bodySchema
    ? fc.oneof(
        { arbitrary: validValue(bodySchema), weight: 3 },
        { arbitrary: invalidValue(bodySchema), weight: 2 },
        { arbitrary: fc.constant(undefined), weight: 1 },
        ...(known.length > 0 ? [{ arbitrary: fc.constantFrom(...known), weight: 2 }] : []),
      )
    : method === 'get'
      ? fc.constant(undefined)
      : fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 5 },
          { arbitrary: fc.constant({ unexpected: true }), weight: 1 },
        );
  const csrf = STATE_CHANGING.has(method)
    ? fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 })
    : fc.constant(false);

  return fc
    .record({ pathValues, query, headers, body, caller: fc.constantFrom(...callers), csrf })
    .map(({ pathValues: values, query: q, headers: extra, body: sentBody, caller, csrf: withCsrf }) => {
      const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(values[name] ?? ''));
      const search = new URLSearchParams(
        Object.entries((q ?? {}) as Record<string, unknown>).map(([key, value]): [string, string] => [
          key,
          text(value),
        ]),
      );
      const requestHeaders: Record<string, string> = {
        ...caller.headers,
        ...stringHeaders(extra),
        ...(withCsrf ? { 'X-Requested-With': 'marketplace' } : {}),
      };
      if (sentBody !== undefined) requestHeaders['Content-Type'] = 'application/json';
      return {
        method,
        url: search.size ? `${url}?${search.toString()}` : url,
        caller: caller.name,
        headers: requestHeaders,
        ...(sentBody !== undefined ? { body: sentBody } : {}),
      };
    });
}

function stringHeaders(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, text(item).replace(/[\r\n]/g, ' ')]));
}

interface Checked {
  status: number;
  problem?: string;
}

async function sendAndCheck(
  baseUrl: string,
  sent: Sent,
  operation: Operation,
  validators: Map<string, ValidateFunction>,
  key: string,
): Promise<Checked> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${sent.url}`, {
    method: sent.method.toUpperCase(),
    headers: sent.headers,
    body: sent.body === undefined ? undefined : JSON.stringify(sent.body),
    signal: controller.signal,
    redirect: 'manual',
  });
  const status = res.status;
  const declared = operation.responses[String(status)];
  const contentType = res.headers.get('content-type') ?? '';
  const fail = (problem: string) => ({ status, problem });
  if (status >= 500) {
    controller.abort();
    return fail(`answered ${status}: ${await res.text().catch(() => '')}`);
  }
  if (!declared) {
    const body = await res.text().catch(() => '');
    return fail(
      `answered ${status}, which the document does not declare (${Object.keys(operation.responses).join(', ')}): ${body.slice(0, 300)}`,
    );
  }
  const media = Object.keys(declared.content ?? {});
  if (media.length === 0) {
    const body = await res.text();
    return body === ''
      ? { status }
      : fail(`answered ${status} with a body the document does not declare: ${body.slice(0, 200)}`);
  }
  if (!media.includes('application/json')) {
    // A stream (Server-Sent Events): its status and content type are what can be checked.
    controller.abort();
    return media.some((type) => contentType.startsWith(type))
      ? { status }
      : fail(`answered ${status} as ${contentType}, not ${media.join(' or ')}`);
  }
  if (!contentType.startsWith('application/json'))
    return fail(`answered ${status} as ${contentType}, not application/json`);
  const body: unknown = await res.json();
  const validate = validators.get(`${key} ${status}`);
  if (validate && !validate(body))
    return fail(
      `answered ${status} with a body outside its schema: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${JSON.stringify(body).slice(0, 400)}`,
    );
  return { status };
}

/**
 * Sends each operation of the document `runs` generated requests, valid and invalid, as the
 * callers the target names, and reports every answer that breaks the document: a 5xx, a status
 * it does not declare, or a body outside the (closed) schema declared for that status.
 */
export async function fuzzDocument(target: FuzzTarget): Promise<FuzzReport> {
  const ajv = newAjv();
  const report: FuzzReport = { operations: [], requests: 0, statuses: {}, failures: [] };
  for (const { path, method, operation } of operationsOf(target.document)) {
    const key = `${method.toUpperCase()} ${path}`;
    report.operations.push(key);
    const statuses: Record<number, number> = (report.statuses[key] = {});
    const validators = new Map<string, ValidateFunction>();
    for (const [status, response] of Object.entries(operation.responses)) {
      const schema = response.content?.['application/json']?.schema;
      if (!schema) continue;
      const open = openObjects(schema);
      if (open.length > 0)
        report.failures.push({
          operation: key,
          problem: `the ${status} schema has open objects at ${open.join(', ')}`,
          request: { method, url: path, caller: '-', headers: {} },
        });
      validators.set(`${key} ${status}`, ajv.compile(schema));
    }
    const property = fc.asyncProperty(requestArbitrary(target, path, method, operation), async (sent) => {
      report.requests += 1;
      const checked = await sendAndCheck(target.baseUrl, sent, operation, validators, key);
      statuses[checked.status] = (statuses[checked.status] ?? 0) + 1;
      if (checked.problem) throw new Error(checked.problem);
    });
    const details = await fc.check(property, { numRuns: target.runs, endOnFailure: true });
    if (details.failed) {
      const [sent] = (details.counterexample ?? []) as [Sent];
      report.failures.push({
        operation: key,
        problem: details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
        request: sent,
      });
    }
  }
  return report;
}

/** One line per operation: the statuses its requests were answered with, and how often. */
export function summary(report: FuzzReport): string {
  const lines = Object.entries(report.statuses).map(
    ([operation, counts]) =>
      `${operation.padEnd(60)} ${Object.entries(counts)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`,
  );
  return [
    `${report.requests} requests over ${report.operations.length} operations, ${report.failures.length} failing`,
    ...lines,
  ].join('\n');
}
