import { CONTRACT_RULES, COUNTRY_CODES, type Address, type AddressFields } from '../api/contracts';
import { collectErrors, type FieldErrors } from '../lib/validation';

/** What the form holds: every field as typed. */
export interface AddressValues {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  phone: string;
}

export const ADDRESS_FIELDS = [
  'name',
  'line1',
  'line2',
  'city',
  'postalCode',
  'region',
  'country',
  'phone',
] as const satisfies readonly (keyof AddressValues)[];

export const EMPTY_ADDRESS: AddressValues = {
  name: '',
  line1: '',
  line2: '',
  city: '',
  postalCode: '',
  region: '',
  country: '',
  phone: '',
};

export function valuesFromAddress(address: Address): AddressValues {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? '',
    city: address.city,
    postalCode: address.postalCode,
    region: address.region ?? '',
    country: address.country,
    phone: address.phone ?? '',
  };
}

/** The server's rules for these fields, generated from the contracts. */
const RULES = CONTRACT_RULES.address;
const POSTAL_CODE = new RegExp(RULES.postalCode.pattern, 'u');
const PHONE = new RegExp(RULES.phone.pattern, 'u');

const tooLong = (value: string, max: number) => (value.length > max ? `Use at most ${max} characters.` : null);

function required(value: string, max: number, empty: string): string | null {
  return value.trim() ? tooLong(value, max) : empty;
}

/** The same checks as the server, in words a buyer understands; the body is sent only when there are none. */
export function checkAddress(values: AddressValues): { errors: FieldErrors; body: AddressFields | null } {
  const checks: Record<keyof AddressValues, string | null> = {
    name: required(values.name, RULES.name.maxLength, 'Enter the name of the person receiving the parcel.'),
    line1: required(values.line1, RULES.line1.maxLength, 'Enter the street and house number.'),
    line2: tooLong(values.line2, RULES.line2.maxLength),
    city: required(values.city, RULES.city.maxLength, 'Enter the town or city.'),
    postalCode:
      required(values.postalCode, RULES.postalCode.maxLength, 'Enter the postal code.') ??
      (POSTAL_CODE.test(values.postalCode) ? null : 'Use only letters, digits, spaces and dashes.'),
    region: tooLong(values.region, RULES.region.maxLength),
    country: COUNTRY_CODES.includes(values.country) ? null : 'Choose a country.',
    phone:
      tooLong(values.phone, RULES.phone.maxLength) ??
      (PHONE.test(values.phone) ? null : 'Use digits, spaces and dashes, with + before a country code.'),
  };
  const errors = collectErrors(checks);
  if (Object.keys(errors).length > 0) return { errors, body: null };
  // An empty optional field is sent empty: the server stores it as none.
  const body = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, values[field].trim()]));
  return { errors, body: body as AddressFields };
}
