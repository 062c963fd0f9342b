import { MONEY_PATTERN } from '../api/contracts';
import type { CartLine } from './cart-lines';

// One cart per user id, so accounts sharing a browser never see each other's carts, and one for a visitor
// who is not signed in (GUEST). Never a token here.
const PREFIX = 'market.cart.';
/** The cart of a visitor who is not signed in; added to the account's cart at sign-in. */
export const GUEST = 'guest';
/** The server's version of each user's cart, as this browser last saw it (shared by its tabs). */
const VERSION_PREFIX = 'market.cartVersion.';
const cache = new Map<string, { raw: string | null; lines: CartLine[] }>();
const listeners = new Set<() => void>();
const writeListeners = new Set<(owner: string) => void>();

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

/**
 * Stores a cart and tells this tab's views. `fromServer` marks the server's copy being adopted; any other
 * write is a change made here, which the cart sync saves to the server.
 */
export function writeCart(userId: string, lines: CartLine[], { fromServer = false } = {}): void {
  const key = PREFIX + userId;
  // Writing what is already stored changes nothing: no view updates, nothing to save.
  if (JSON.stringify(lines) === JSON.stringify(readCart(userId))) return;
  try {
    if (lines.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(lines));
  } catch {
    // Quota or disabled storage: keep the cart for this page at least.
    cache.set(key, { raw: readRaw(key), lines });
  }
  listeners.forEach((listener) => listener());
  if (!fromServer) writeListeners.forEach((listener) => listener(userId));
}

/** Calls `listener` with the owner of every cart changed in this tab (not by adopting the server's copy). */
export function onCartChanged(listener: (owner: string) => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

export function readCartVersion(userId: string): number {
  const value = Number(readRaw(VERSION_PREFIX + userId));
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

export function writeCartVersion(userId: string, version: number): void {
  try {
    localStorage.setItem(VERSION_PREFIX + userId, String(version));
  } catch {
    // Without storage the next save may meet a 409 and load the cart again: nothing is lost.
  }
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
