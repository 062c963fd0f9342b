import { z } from 'zod';
import { COUNTRY_CODES, LIMITS } from '../http';
import { id, timestamp, withRules } from './common';

/** Text a person typed that must say something: not blank, no NUL (PostgreSQL text cannot hold it). */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
const FILLED_PATTERN = /^[^\u0000]*[^\s\u0000][^\u0000]*$/;
// eslint-disable-next-line no-control-regex -- as above
const NO_NUL = /^[^\u0000]*$/;

const filled = (max: number, description?: string) =>
  withRules(z.string().max(max).regex(FILLED_PATTERN).meta({ description }), {
    messages: { 'string.pattern.base': '{{#label}} must not be blank' },
  });
const optionalText = (max: number) => z.string().max(max).regex(NO_NUL).optional();

/**
 * A shipping address as the buyer typed it. The server trims every text and stores an empty
 * optional one as null. The same fields make the snapshot an order keeps.
 */
export const AddressFields = z.strictObject({
  name: filled(LIMITS.addressNameMax, 'The recipient'),
  line1: filled(LIMITS.addressLineMax),
  line2: optionalText(LIMITS.addressLineMax),
  city: filled(LIMITS.addressCityMax),
  postalCode: withRules(
    z
      .string()
      .max(LIMITS.addressPostalCodeMax)
      .regex(/^\s*[A-Za-z0-9][A-Za-z0-9 -]*\s*$/),
    { messages: { 'string.pattern.base': '{{#label}} may hold letters, digits, spaces and dashes' } },
  ),
  region: optionalText(LIMITS.addressRegionMax).meta({ description: 'State, province or county, where one is used' }),
  country: z.enum(COUNTRY_CODES as [string, ...string[]]).meta({ description: 'ISO 3166-1 alpha-2, e.g. "DE"' }),
  phone: withRules(
    z
      .string()
      .max(LIMITS.addressPhoneMax)
      .regex(/^\s*(\+?[0-9][0-9 ().-]{3,})?\s*$/)
      .optional()
      .meta({ description: 'For the carrier, if the recipient wants to be called' }),
    { messages: { 'string.pattern.base': '{{#label}} may hold digits, spaces, dashes, brackets and a leading +' } },
  ),
});
export type AddressFields = z.input<typeof AddressFields>;

/** What an order keeps of the address it was placed with: a copy, unchanged by later edits. */
export const ShippingAddress = z.strictObject({
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string().nullable(),
  country: z.string(),
  phone: z.string().nullable(),
});
export type ShippingAddress = z.output<typeof ShippingAddress>;

export const Address = z.strictObject({
  id: id(),
  ...ShippingAddress.shape,
  createdAt: timestamp(),
  updatedAt: timestamp(),
});
export type Address = z.output<typeof Address>;

export const AddressList = z.strictObject({ data: z.array(Address) });
export type AddressList = z.output<typeof AddressList>;

export const AddressIdParams = z.strictObject({ id: id() });
