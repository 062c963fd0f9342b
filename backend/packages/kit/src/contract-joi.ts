import Joi from 'joi';
import type { z } from 'zod';
import {
  contractRules,
  zodDefOf,
  type ApiOperation,
  type ContractRules,
  type ZodCheckDef,
  type ZodDef,
} from '@market/contracts';

/**
 * A named behaviour a service lends the converter (`kind` in the contract's rules): it gets the
 * plain conversion lazily and returns the schema to use; the rules' messages are added after it.
 */
export type JoiKind = (base: () => Joi.Schema, rules: ContractRules) => Joi.Schema;

export interface ZodToJoiOptions {
  kinds?: Record<string, JoiKind>;
}

type Def = ZodDef;
type CheckDef = ZodCheckDef;
const defOf = zodDefOf;

class UnsupportedSchema extends Error {
  constructor(what: string, path: string) {
    super(
      `zodToJoi: ${what} at ${path || '(root)'} has no joi translation; extend the converter or the contract's rules`,
    );
  }
}

/**
 * Builds the joi schema that validates exactly what a contract's zod schema describes, for the
 * Express services (joi stays their validator). It covers the subset the contracts use and throws
 * on anything else, so a new shape cannot silently lose validation.
 */
export function zodToJoi(schema: z.ZodType, options: ZodToJoiOptions = {}): Joi.Schema {
  return convert(schema, options, '');
}

function convert(schema: z.ZodType, options: ZodToJoiOptions, path: string): Joi.Schema {
  const rules = contractRules.get(schema);
  let joi: Joi.Schema;
  if (rules?.kind) {
    const kind = options.kinds?.[rules.kind];
    if (!kind) throw new UnsupportedSchema(`kind "${rules.kind}"`, path);
    joi = kind(() => convertNode(schema, options, path), rules);
  } else {
    joi = convertNode(schema, options, path);
  }
  if (rules?.oneOrMoreOf) {
    if (joi.type !== 'object') throw new UnsupportedSchema('oneOrMoreOf on a non-object', path);
    joi = (joi as Joi.ObjectSchema).or(...rules.oneOrMoreOf);
  }
  if (rules?.minKeys !== undefined) {
    if (joi.type !== 'object') throw new UnsupportedSchema('minKeys on a non-object', path);
    joi = (joi as Joi.ObjectSchema).min(rules.minKeys);
  }
  if (!rules?.messages) return joi;
  if (joi.type === 'object') {
    // joi hands an object's messages down to every key inside it, so a message meant for the
    // object ("send a JSON object body" for any.required) would answer for a missing key too.
    const inherited = Object.keys(rules.messages).filter((code) => !code.startsWith('object.'));
    if (inherited.length > 0) throw new UnsupportedSchema(`messages for ${inherited.join(', ')} on an object`, path);
  }
  return joi.messages(rules.messages);
}

function convertNode(schema: z.ZodType, options: ZodToJoiOptions, path: string): Joi.Schema {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return convertObject(def, options, path);
    case 'string':
      return convertString(def, path);
    case 'number':
      return convertNumber(def, path);
    case 'boolean':
      // Bodies are JSON: "true" as a string is not a boolean.
      return Joi.boolean().strict();
    case 'enum':
      return Joi.string().valid(...stringValues(Object.values(def.entries ?? {}), path));
    case 'literal':
      return Joi.string().valid(...stringValues(def.values ?? [], path));
    case 'union':
      return Joi.string().valid(...(def.options ?? []).flatMap((option) => literalValues(option, path)));
    case 'array':
      return convertArray(def, options, path);
    case 'optional':
      return convert(inner(def, path), options, path);
    case 'nullable':
      return convert(inner(def, path), options, path).allow(null);
    case 'default':
      return convert(inner(def, path), options, path).default(def.defaultValue as Joi.BasicType);
    default:
      throw new UnsupportedSchema(`a zod ${def.type}`, path);
  }
}

function inner(def: Def, path: string): z.ZodType {
  if (!def.innerType) throw new UnsupportedSchema(`a ${def.type} without an inner type`, path);
  return def.innerType;
}

function convertObject(def: Def, options: ZodToJoiOptions, path: string): Joi.ObjectSchema {
  const catchall = def.catchall ? defOf(def.catchall).type : 'never';
  if (catchall !== 'never') throw new UnsupportedSchema(`an object open to ${catchall} keys`, path);
  const keys = Object.fromEntries(
    Object.entries(def.shape ?? {}).map(([key, value]) => {
      const joi = convert(value, options, path ? `${path}.${key}` : key);
      const optional = ['optional', 'default'].includes(defOf(value).type);
      return [key, optional ? joi : joi.required()];
    }),
  );
  return Joi.object(keys);
}

function checksOf(def: Def): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

/** zod's .trim() and .toLowerCase() are overwrites with no name; what they do to a probe tells them apart. */
function overwriteOf(check: CheckDef, path: string): 'trim' | 'lowercase' {
  const probe = check.tx?.('  aB  ');
  if (probe === 'aB') return 'trim';
  if (probe === '  ab  ') return 'lowercase';
  throw new UnsupportedSchema('a string transform other than trim or toLowerCase', path);
}

function convertString(def: Def, path: string): Joi.StringSchema {
  let joi = Joi.string();
  let nonEmpty = false;
  for (const check of checksOf(def)) {
    if (check.check === 'min_length' && check.minimum !== undefined) {
      joi = joi.min(check.minimum);
      nonEmpty ||= check.minimum > 0;
    } else if (check.check === 'max_length' && check.maximum !== undefined) joi = joi.max(check.maximum);
    else if (check.check === 'string_format' && check.format === 'regex' && check.pattern)
      joi = joi.pattern(check.pattern);
    else if (check.check === 'overwrite') joi = overwriteOf(check, path) === 'trim' ? joi.trim() : joi.lowercase();
    else
      throw new UnsupportedSchema(`the string check ${check.check}${check.format ? ` (${check.format})` : ''}`, path);
  }
  switch (def.format) {
    case undefined:
      // joi refuses '' unless told; zod accepts it unless a minimum says otherwise.
      return nonEmpty ? joi : joi.allow('');
    case 'guid':
    case 'uuid':
      return joi.uuid();
    case 'email':
      return joi.email({ tlds: { allow: false } });
    case 'url':
      if (def.protocol?.source !== '^https?$')
        throw new UnsupportedSchema('a url for protocols other than http and https', path);
      return joi.uri({ scheme: ['http', 'https'] });
    default:
      throw new UnsupportedSchema(`the string format ${def.format}`, path);
  }
}

function convertNumber(def: Def, path: string): Joi.NumberSchema {
  let joi = Joi.number();
  if (def.format) joi = integerFormat(def.format, joi, path);
  for (const check of checksOf(def)) {
    if (check.check === 'number_format' && check.format) joi = integerFormat(check.format, joi, path);
    else if (check.check === 'greater_than' && check.value !== undefined)
      joi = check.inclusive ? joi.min(check.value) : joi.greater(check.value);
    else if (check.check === 'less_than' && check.value !== undefined)
      joi = check.inclusive ? joi.max(check.value) : joi.less(check.value);
    else if (check.check === 'multiple_of' && check.value !== undefined) joi = joi.multiple(check.value);
    else throw new UnsupportedSchema(`the number check ${check.check}`, path);
  }
  return joi;
}

function integerFormat(format: string, joi: Joi.NumberSchema, path: string): Joi.NumberSchema {
  if (format !== 'safeint' && format !== 'int32') throw new UnsupportedSchema(`the number format ${format}`, path);
  return joi.integer();
}

function convertArray(def: Def, options: ZodToJoiOptions, path: string): Joi.ArraySchema {
  if (!def.element) throw new UnsupportedSchema('an array without an element type', path);
  let joi = Joi.array().items(convert(def.element, options, `${path}[]`));
  for (const check of checksOf(def)) {
    if (check.check === 'min_length' && check.minimum !== undefined) joi = joi.min(check.minimum);
    else if (check.check === 'max_length' && check.maximum !== undefined) joi = joi.max(check.maximum);
    else throw new UnsupportedSchema(`the array check ${check.check}`, path);
  }
  return joi;
}

function stringValues(values: unknown[], path: string): string[] {
  if (!values.every((value): value is string => typeof value === 'string'))
    throw new UnsupportedSchema('a non-string literal', path);
  return values;
}

function literalValues(option: z.ZodType, path: string): string[] {
  const def = defOf(option);
  if (def.type === 'literal') return stringValues(def.values ?? [], path);
  if (def.type === 'enum') return stringValues(Object.values(def.entries ?? {}), path);
  throw new UnsupportedSchema('a union of anything but literals', path);
}

/** The joi schemas of an operation's request parts, for `validate()`; a body is required when the operation has one. */
export function joiForOperation(
  operation: ApiOperation,
  options: ZodToJoiOptions = {},
): Partial<Record<'params' | 'query' | 'body', Joi.Schema>> {
  return {
    ...(operation.params ? { params: zodToJoi(operation.params, options) } : {}),
    ...(operation.query ? { query: zodToJoi(operation.query, options) } : {}),
    ...(operation.body ? { body: zodToJoi(operation.body, options).required() } : {}),
  };
}
