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

/** "5", "5.5" and "5.50" all mean 5.50; anything else, or above the limit, is null. */
export function normalizeMoneyInput(input: string): Money | null {
  const match = MONEY_INPUT.exec(input.trim());
  if (!match) return null;
  const money = fromCents(toCents(input));
  return toCents(money) <= toCents(LIMITS.priceMax) ? money : null;
}
