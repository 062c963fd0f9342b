import type { Cart, CartLine, SaveCartRequest } from '@market/contracts';
import { AppError } from '@market/kit';
import { findCart, replaceCart, type StoredCart } from '../data/cart-repository';
import type { Db } from '../data/db';
import { assertDistinctProducts } from './distinct-lines';

export interface CartOptions {
  /** A cart not saved for this many days reads as empty (and is pruned). */
  ttlDays: number;
}

const toCart = (stored: StoredCart): Cart => ({
  lines: stored.lines as CartLine[],
  version: stored.version,
  updatedAt: stored.updatedAt?.toISOString() ?? null,
});

export async function readCart(db: Db, userId: string, options: CartOptions): Promise<Cart> {
  return toCart(await findCart(db, userId, options.ttlDays));
}

/**
 * Saves the buyer's whole cart on top of the version it was built on. When another device saved
 * first, nothing is written and the answer is 409: the client reloads the cart and decides again.
 */
export async function saveCart(db: Db, userId: string, request: SaveCartRequest): Promise<Cart> {
  assertDistinctProducts(request.lines, 'lines');
  const lines = request.lines.map((line) => ({ ...line, productId: line.productId.toLowerCase() }));
  const saved = await replaceCart(db, userId, lines, request.version);
  if (!saved) {
    throw new AppError(
      'VERSION_CONFLICT',
      'your cart was changed on another device or tab; it has been loaded again, check it and retry',
    );
  }
  return { lines, version: saved.version, updatedAt: saved.updatedAt.toISOString() };
}
