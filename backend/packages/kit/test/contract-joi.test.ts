import type Joi from 'joi';
import { z } from 'zod';
import { withRules } from '@market/contracts';
import { joiForOperation, zodToJoi } from '@market/kit';

const options = { abortEarly: false, allowUnknown: false, convert: true, errors: { wrap: { label: false } } } as const;

function check(schema: Joi.Schema, value: unknown) {
  const { value: converted, error } = schema.validate(value, options);
  return error
    ? { messages: error.details.map((detail) => `${detail.path.join('.')}: ${detail.message}`) }
    : { value: converted as unknown };
}

describe('zodToJoi', () => {
  it('when an object has required, optional and defaulted keys, then joi requires, allows and fills them alike', () => {
    const joi = zodToJoi(
      z.strictObject({
        name: z.string().min(1),
        note: z.string().optional(),
        size: z.number().int().min(1).default(20),
      }),
    );

    expect(check(joi, { name: 'a' })).toEqual({ value: { name: 'a', size: 20 } });
    expect(check(joi, { note: 'x', extra: 1 })).toEqual({
      messages: ['name: name is required', 'extra: extra is not allowed'],
    });
  });

  it('when a string trims, lowercases and has bounds and a pattern, then joi applies them in the same order', () => {
    const joi = zodToJoi(
      z
        .string()
        .trim()
        .toLowerCase()
        .min(2)
        .max(4)
        .regex(/^[a-z]+$/),
    );

    expect(check(joi, '  AbC ')).toEqual({ value: 'abc' });
    expect(check(joi, 'a')).toEqual({ messages: [': value length must be at least 2 characters long'] });
    expect(check(joi, 'ab1')).toEqual({ messages: [expect.stringContaining('fails to match the required pattern')] });
  });

  it('when a string has no minimum, then the empty string passes as zod lets it; with a minimum it does not', () => {
    expect(check(zodToJoi(z.string().max(3)), '')).toEqual({ value: '' });
    expect(check(zodToJoi(z.string().min(1)), '')).toEqual({ messages: [': value is not allowed to be empty'] });
  });

  it('when strings have formats (uuid, email, http url), then joi checks the same formats', () => {
    expect(check(zodToJoi(z.guid()), 'not-a-uuid')).toEqual({ messages: [': value must be a valid GUID'] });
    expect(check(zodToJoi(z.guid()), '00000000-0000-4000-8000-000000000001')).toEqual({
      value: '00000000-0000-4000-8000-000000000001',
    });
    expect(check(zodToJoi(z.email().trim().toLowerCase()), ' A@Example.ORG ')).toEqual({ value: 'a@example.org' });
    expect(check(zodToJoi(z.email()), 'nope')).toEqual({ messages: [': value must be a valid email'] });
    expect(check(zodToJoi(z.url({ protocol: /^https?$/ })), 'ftp://x.org/a')).toEqual({
      messages: [expect.stringContaining('must be a valid uri')],
    });
    expect(check(zodToJoi(z.url({ protocol: /^https?$/ })), 'https://x.org/a')).toEqual({ value: 'https://x.org/a' });
  });

  it('when numbers are integers with bounds, exclusive bounds or a step, then joi enforces each and converts query text', () => {
    expect(check(zodToJoi(z.number().int().min(1).max(9)), '5')).toEqual({ value: 5 });
    expect(check(zodToJoi(z.number().int().min(1).max(9)), 1.5)).toEqual({ messages: [': value must be an integer'] });
    expect(check(zodToJoi(z.number().gt(0).lt(10)), 0)).toEqual({ messages: [': value must be greater than 0'] });
    expect(check(zodToJoi(z.number().multipleOf(5)), 7)).toEqual({ messages: [': value must be a multiple of 5'] });
  });

  it('when booleans, enums, literals, unions of literals, nullables and arrays appear, then joi keeps their meaning', () => {
    expect(check(zodToJoi(z.boolean()), 'true')).toEqual({ messages: [': value must be a boolean'] });
    expect(check(zodToJoi(z.enum(['a', 'b'])), 'c')).toEqual({ messages: [': value must be one of [a, b]'] });
    expect(check(zodToJoi(z.literal('x')), 'x')).toEqual({ value: 'x' });
    expect(check(zodToJoi(z.union([z.literal('x'), z.enum(['y'])]).nullable()), null)).toEqual({ value: null });
    expect(check(zodToJoi(z.array(z.number().int()).min(1).max(2)), [])).toEqual({
      messages: [': value must contain at least 1 items'],
    });
    expect(check(zodToJoi(z.array(z.number().int()).max(2)), [1, 2, 3])).toEqual({
      messages: [': value must contain less than or equal to 2 items'],
    });
  });

  it('when the contract names messages and "one or more of" keys, then joi answers with those sentences', () => {
    const schema = withRules(
      z.strictObject({
        a: withRules(z.string().regex(/^\d+$/), {
          messages: { 'string.pattern.base': '{{#label}} holds digits only' },
        }).optional(),
        b: z.boolean().optional(),
      }),
      {
        oneOrMoreOf: ['a', 'b'],
        messages: { 'object.missing': 'send a or b' },
      },
    );
    const joi = zodToJoi(schema);

    expect(check(joi, {})).toEqual({ messages: [': send a or b'] });
    expect(check(joi, { a: 'x' })).toEqual({ messages: ['a: a holds digits only'] });
  });

  it('when the contract asks for a number of keys, then an empty object is refused and an unknown key only as unknown', () => {
    const joi = zodToJoi(
      withRules(z.strictObject({ a: z.boolean().optional() }), { minKeys: 1, messages: { 'object.min': 'send a' } }),
    );

    expect(check(joi, {})).toEqual({ messages: [': send a'] });
    expect(check(joi, { b: 1 })).toEqual({ messages: ['b: b is not allowed'] });
  });

  it('when a schema names a kind, then the service supplies it, and a kind nobody supplies is refused at load', () => {
    const even = withRules(z.number().int(), { kind: 'even', messages: { 'even.odd': '{{#label}} must be even' } });
    const joi = zodToJoi(z.strictObject({ n: even }), {
      kinds: {
        even: (base) => base().custom((value: number, helpers) => (value % 2 ? helpers.error('even.odd') : value)),
      },
    });

    expect(check(joi, { n: 3 })).toEqual({ messages: ['n: n must be even'] });
    expect(() => zodToJoi(z.strictObject({ n: even }))).toThrow(/kind "even" at n/);
  });

  it('when a shape is outside the subset (transform, open object, record, non-literal union), then it throws rather than validate less', () => {
    expect(() => zodToJoi(z.string().transform((value) => value.length))).toThrow(/zod pipe/);
    expect(() => zodToJoi(z.looseObject({ a: z.string() }))).toThrow(/open to unknown keys/);
    expect(() => zodToJoi(z.strictObject({ f: z.record(z.string(), z.string()) }))).toThrow(/zod record at f/);
    expect(() => zodToJoi(z.union([z.string(), z.number()]))).toThrow(/union of anything but literals/);
    expect(() => zodToJoi(z.string().startsWith('x'))).toThrow(/string check/);
  });

  it('when an operation has params, query and a body, then each part gets its schema and the body is required', () => {
    const parts = joiForOperation({
      method: 'post',
      path: '/x/{id}',
      summary: 'x',
      params: z.strictObject({ id: z.guid() }),
      query: z.strictObject({ page: z.number().int().default(1) }),
      body: z.strictObject({ a: z.string() }),
      responses: {},
    });

    expect(Object.keys(parts)).toEqual(['params', 'query', 'body']);
    expect(check(parts.body as Joi.Schema, undefined)).toEqual({ messages: [': value is required'] });
  });
});
