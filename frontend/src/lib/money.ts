import { LIMITS, type Money } from '../api/contracts';

// Prices stay decimal strings or integer cents; a float never holds one.
const MONEY_INPUT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

export function toCents(money: Money): number {
  const match = MONEY_INPUT.exec(money.trim());
  if (!match) throw new Error(`not a money amount: ${money}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: number): Money {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, '0')}`;
}

export function formatMoney(money: Money): string {
  const [whole = '0', fraction = '00'] = money.split('.');
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

export function multiply(money: Money, quantity: number): Money {
  return fromCents(toCents(money) * quantity);
}

/**
 * What a seller may type as a price, in US dollars: "5", "5.5" and "5.50" all mean 5.50; an optional
 * "$"; thousands grouped by commas or by spaces, in threes ("1,000", "1 000.50"). The dot is the only
 * decimal point, so "1,5" is refused rather than read as 15 or as 1.50.
 */
const PRICE_INPUT = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** A price as typed (see PRICE_INPUT) as a money amount; anything else, or above the limit, is null. */
export function normalizeMoneyInput(input: string): Money | null {
  const match = PRICE_INPUT.exec(input.trim());
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  if (whole.length > 9) return null;
  const money = fromCents(Number(whole) * 100 + Number((match[2] ?? '').padEnd(2, '0')));
  return toCents(money) <= toCents(LIMITS.priceMax) ? money : null;
}
