import fc from 'fast-check';

/** A JSON Schema as the OpenAPI documents hold them (draft 2020-12 or draft-07 keywords). */
export type Schema = Record<string, unknown>;

const MAX_GENERATED_LENGTH = 300;

/** Follows `#/components/schemas/…` references, which are the only ones the documents use. */
export function resolveRefs(node: unknown, document: Schema): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveRefs(item, document));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as Schema).$ref;
  if (typeof ref === 'string') {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (at as Schema | undefined)?.[key], document);
    if (!target) throw new Error(`unresolved reference ${ref}`);
    return resolveRefs(target, document);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolveRefs(value, document)]));
}

const typesOf = (schema: Schema): string[] =>
  Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];

/** Values the schema accepts (as far as JSON Schema can say; formats and patterns included). */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key] as Schema[] | undefined;
    if (options) {
      const { [key]: _options, ...rest } = schema;
      return fc.oneof(...options.map((option) => validValue({ ...rest, ...option })));
    }
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return validValue(Object.assign({}, rest, ...(allOf as Schema[])));
  }
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type })));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = (schema.minimum as number | undefined) ?? -1_000_000;
      const max = (schema.maximum as number | undefined) ?? 1_000_000;
      // Small values are where pages, versions and quantities mean something; the bounds where the rules bite.
      return fc.oneof(
        fc.integer({ min, max: Math.min(max, min + 3) }),
        fc.constantFrom(min, max),
        fc.integer({ min, max }),
      );
    }
    case 'number':
      return validNumber(schema);
    case 'string':
      return validString(schema);
    case 'array':
      return fc.array(validValue((schema.items as Schema | undefined) ?? {}), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? 5, 5),
      });
    case 'object':
      return validObject(schema);
    default:
      return anyJson();
  }
}

function validNumber(schema: Schema): fc.Arbitrary<number> {
  const step = schema.multipleOf as number | undefined;
  const low = (schema.exclusiveMinimum as number | undefined) ?? (schema.minimum as number | undefined) ?? -1_000_000;
  const high = (schema.maximum as number | undefined) ?? 1_000_000;
  if (step) {
    // Whole steps, read back through their decimal text as a client would write them.
    return fc
      .integer({ min: Math.ceil(low / step) + 1, max: Math.floor(Math.min(high, 1_000_000) / step) })
      .map((n) => Number((n * step).toFixed(Math.max(0, -Math.floor(Math.log10(step))))));
  }
  return fc
    .double({ min: low, max: high, noNaN: true, noDefaultInfinity: true })
    .filter((n) => n > low || schema.exclusiveMinimum === undefined);
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? MAX_GENERATED_LENGTH, MAX_GENERATED_LENGTH);
  const fits = (text: string) =>
    text.length >= minLength && text.length <= ((schema.maxLength as number | undefined) ?? Infinity);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl().filter(fits);
    case 'date-time':
      return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' }).filter(fits);
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const anyOfRequired = (schema.anyOf as { required?: string[] }[] | undefined)?.flatMap(
    (option) => option.required ?? [],
  );
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, validValue(value)])),
    { requiredKeys: [...required] },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const minKeys = (schema.minProperties as number | undefined) ?? 0;
  return record.filter(
    (value) => Object.keys(value).length >= minKeys && (!anyOfRequired || anyOfRequired.some((key) => key in value)),
  );
}

/** Any JSON value: the wrong type for most fields. */
function anyJson(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2 });
}

/**
 * A value the schema most likely refuses: a wrong type, a string past its length, a number out of
 * range, a missing required key or an unknown one.
 */
export function invalidValue(schema: Schema): fc.Arbitrary<unknown> {
  const types = typesOf(schema);
  const options: fc.Arbitrary<unknown>[] = [anyJson()];
  if (types.includes('string') || schema.enum || schema.pattern) {
    options.push(
      fc.string({ minLength: 0, maxLength: 20 }),
      fc.constant(''),
      fc.constant('x'.repeat(((schema.maxLength as number | undefined) ?? 5000) + 1)),
      fc.constant('a\u0000b'),
    );
  }
  if (types.includes('integer') || types.includes('number')) {
    options.push(
      fc.double(),
      fc.constant(((schema.maximum as number | undefined) ?? 0) + 1),
      fc.constant(((schema.minimum as number | undefined) ?? 0) - 1),
      fc.constant('12'),
    );
  }
  if (types.includes('object') && schema.properties) {
    const properties = Object.keys(schema.properties);
    options.push(
      validObject(schema).chain((value) => fc.constantFrom(...properties).map((key) => withoutKey(value, key))),
      validObject(schema).map((value) => ({ ...value, unexpectedKey: 'x' })),
      validObject(schema).chain((value) =>
        fc.constantFrom(...properties).chain((key) =>
          invalidValue((schema.properties as Record<string, Schema>)[key] ?? {}).map((bad) => ({
            ...value,
            [key]: bad,
          })),
        ),
      ),
    );
  }
  if (types.includes('array')) options.push(fc.constant([]), fc.array(anyJson(), { maxLength: 60 }));
  return fc.oneof(...options);
}

function withoutKey(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
