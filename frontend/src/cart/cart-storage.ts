import { MONEY_PATTERN } from '../api/contracts';
import type { CartLine } from './cart-lines';

// One cart per user id, so accounts sharing a browser never see each other's carts. Never a token here.
const PREFIX = 'market.cart.';
const cache = new Map<string, { raw: string | null; lines: CartLine[] }>();
const listeners = new Set<() => void>();

function isLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.productId === 'string' &&
    typeof line.name === 'string' &&
    typeof line.sellerId === 'string' &&
    typeof line.unitPrice === 'string' &&
    MONEY_PATTERN.test(line.unitPrice) &&
    Number.isInteger(line.quantity) &&
    (line.quantity as number) >= 1 &&
    Number.isInteger(line.stock)
  );
}

function parse(raw: string | null): CartLine[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter(isLine) : [];
  } catch {
    return [];
  }
}

function readRaw(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Returns the same array until the stored cart changes, as useSyncExternalStore requires. */
export function readCart(userId: string): CartLine[] {
  const key = PREFIX + userId;
  const raw = readRaw(key);
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.lines;
  const lines = parse(raw);
  cache.set(key, { raw, lines });
  return lines;
}

export function writeCart(userId: string, lines: CartLine[]): void {
  const key = PREFIX + userId;
  try {
    if (lines.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(lines));
  } catch {
    // Quota or disabled storage: keep the cart for this page at least.
    cache.set(key, { raw: readRaw(key), lines });
  }
  listeners.forEach((listener) => listener());
}

export function subscribeCart(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed a cart.
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith(PREFIX)) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
