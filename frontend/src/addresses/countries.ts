import { COUNTRY_CODES } from '../api/contracts';

const names = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country's English name from its ISO code (the code itself if the browser does not know it). */
export function countryName(code: string): string {
  return names.of(code) ?? code;
}

/** Every country an address may name, by English name. */
export const COUNTRIES = COUNTRY_CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) =>
  a.name.localeCompare(b.name, 'en'),
);
