import type { PlaceOrderRequest } from '../api/contracts';
import { randomId } from '../lib/random-id';

// One Idempotency-Key per checkout attempt: retrying the same cart to the same address (say, after a
// timeout) reuses it, so the server answers with the order it already took instead of placing a second
// one; another cart or another address is another order, with a new key.
// sessionStorage keeps it across a reload; the in-memory copy covers browsers without storage.
const PREFIX = 'market.checkout-key.';
const memory = new Map<string, StoredKey>();

interface StoredKey {
  fingerprint: string;
  key: string;
}

function read(userId: string): StoredKey | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(PREFIX + userId) ?? 'null') as StoredKey | null;
    if (value && typeof value.key === 'string' && typeof value.fingerprint === 'string') return value;
  } catch {
    // fall back to memory
  }
  return memory.get(userId) ?? null;
}

export function checkoutKeyFor(userId: string, body: PlaceOrderRequest): string {
  const fingerprint = JSON.stringify([body.items, body.shippingAddressId ?? null]);
  const stored = read(userId);
  if (stored?.fingerprint === fingerprint) return stored.key;
  const next = { fingerprint, key: randomId() };
  memory.set(userId, next);
  try {
    sessionStorage.setItem(PREFIX + userId, JSON.stringify(next));
  } catch {
    // memory copy only
  }
  return next.key;
}

export function forgetCheckoutKey(userId: string): void {
  memory.delete(userId);
  try {
    sessionStorage.removeItem(PREFIX + userId);
  } catch {
    // nothing stored
  }
}
