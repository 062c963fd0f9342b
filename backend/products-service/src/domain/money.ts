import { LIMITS, PRICE_INPUT_PATTERN, type Money } from '@market/contracts';

/**
 * Reads a price sent as a decimal string ("19.9") or a JSON number (19.9) into the canonical
 * two-place string ("19.90") without ever doing arithmetic on a float. Returns undefined when
 * the value is not a positive amount within the catalog's limit.
 */
export function parsePrice(value: unknown): Money | undefined {
  // A JSON number is read through its shortest decimal form, so 0.1 + 0.2 is refused rather than rounded.
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !PRICE_INPUT_PATTERN.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  const money = `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
  if (/^0\.00$/.test(money) || compareMoney(money, LIMITS.priceMax) > 0) return undefined;
  return money;
}

/** Compares two canonical money strings exactly. */
export function compareMoney(a: Money, b: Money): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  if (aWhole.length !== bWhole.length) return aWhole.length - bWhole.length;
  const left = aWhole + aFraction;
  const right = bWhole + bFraction;
  return left === right ? 0 : left < right ? -1 : 1;
}
