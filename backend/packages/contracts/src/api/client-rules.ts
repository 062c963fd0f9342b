import type { z } from 'zod';
import { contractRules } from './common';
import { zodDefOf } from './zod-defs';

/**
 * What a browser form needs to check a field as the server will: limits, patterns, allowed values
 * and the server's sentences. Plain data, generated into the SPA so zod stays out of its bundle.
 */
export interface FieldRule {
  required: boolean;
  trim?: true;
  lowercase?: true;
  minLength?: number;
  maxLength?: number;
  /** A regular expression's source; the SPA builds it with the `u` flag. */
  pattern?: string;
  format?: string;
  integer?: true;
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  values?: string[];
  nullable?: true;
  /** A behaviour the server adds (search-text, price, new-password…), described by its messages and LIMITS. */
  kind?: string;
  /** The server's messages by joi code, with the field's name in place of its label. */
  messages?: Record<string, string>;
  minItems?: number;
  maxItems?: number;
  /** The fields of each element of an array of objects. */
  items?: Record<string, FieldRule>;
}

const defOf = zodDefOf;

/** The rules of every field of a request object, e.g. `clientRulesOf(SignupRequest)`. */
export function clientRulesOf(object: z.ZodObject): Record<string, FieldRule> {
  return Object.fromEntries(
    Object.entries(object.shape).map(([name, schema]) => [name, fieldRule(name, schema as z.ZodType)]),
  );
}

function fieldRule(name: string, schema: z.ZodType): FieldRule {
  const rule: FieldRule = { required: true };
  let node = schema;
  for (;;) {
    collectContractRules(name, node, rule);
    const def = defOf(node);
    if ((def.type === 'optional' || def.type === 'default') && def.innerType) rule.required = false;
    else if (def.type === 'nullable' && def.innerType) rule.nullable = true;
    else break;
    node = def.innerType;
  }
  const def = defOf(node);
  if (def.type === 'enum') rule.values = Object.values(def.entries ?? {}).map(String);
  if (def.format && def.format !== 'regex') rule.format = def.format === 'guid' ? 'uuid' : def.format;
  if (def.type === 'array' && def.element) {
    const element = defOf(def.element);
    if (element.type === 'object') rule.items = clientRulesOf(def.element as z.ZodObject);
  }
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length') rule[def.type === 'array' ? 'minItems' : 'minLength'] = c.minimum;
    else if (c.check === 'max_length') rule[def.type === 'array' ? 'maxItems' : 'maxLength'] = c.maximum;
    else if (c.check === 'string_format' && c.format === 'regex' && c.pattern) rule.pattern = c.pattern.source;
    else if (c.check === 'overwrite' && c.tx) {
      if (c.tx('  aB  ') === 'aB') rule.trim = true;
      else rule.lowercase = true;
    } else if (c.check === 'number_format') rule.integer = true;
    else if (c.check === 'greater_than' && c.value !== undefined) {
      if (c.inclusive) rule.min = c.value;
      else rule.above = c.value;
    } else if (c.check === 'less_than' && c.value !== undefined) rule.max = c.value;
  }
  return rule;
}

function collectContractRules(name: string, node: z.ZodType, rule: FieldRule): void {
  const rules = contractRules.get(node);
  if (rules?.kind) rule.kind = rules.kind;
  if (rules?.messages) {
    const rendered = Object.entries(rules.messages).map(([code, text]): [string, string] => [
      code,
      text.replaceAll('{{#label}}', name),
    ]);
    rule.messages = { ...rule.messages, ...Object.fromEntries(rendered) };
  }
}
