import type { Money, Product } from '../api/contracts';
import { isNotFound } from '../api/error-messages';
import { formatMoney, toCents } from '../lib/money';
import { maxQuantity, type CartLine } from './cart-lines';

export type CartChange =
  | { kind: 'price'; name: string; from: Money; to: Money }
  | { kind: 'quantity'; name: string; from: number; to: number }
  | { kind: 'sold-out'; name: string }
  | { kind: 'unavailable'; name: string }
  | { kind: 'own'; name: string };

export function describeChange(change: CartChange): string {
  switch (change.kind) {
    case 'price':
      return `The price of ${change.name} changed from ${formatMoney(change.from)} to ${formatMoney(change.to)}.`;
    case 'quantity':
      return `Only ${change.to} of ${change.name} can be ordered now, so the quantity went from ${change.from} to ${change.to}.`;
    case 'sold-out':
      return `${change.name} is sold out and was removed from your cart.`;
    case 'unavailable':
      return `${change.name} is no longer available and was removed from your cart.`;
    case 'own':
      return `${change.name} is your own product, so it was removed from your cart.`;
  }
}

/** Latest catalog state per product id; null when the product is gone. */
export type FreshProducts = Map<string, Product | null>;

export async function fetchFreshProducts(
  lines: CartLine[],
  getProduct: (id: string) => Promise<Product>,
): Promise<FreshProducts> {
  const entries = await Promise.all(
    lines.map(async (line) => {
      try {
        return [line.productId, await getProduct(line.productId)] as const;
      } catch (error) {
        if (isNotFound(error)) return [line.productId, null] as const;
        throw error;
      }
    }),
  );
  return new Map(entries);
}

/** Brings the cart up to date with the catalog and says, line by line, what changed. */
/** `userId` is null for a visitor not signed in (who owns no products). */
export function applyFreshProducts(lines: CartLine[], fresh: FreshProducts, userId: string | null) {
  const changes: CartChange[] = [];
  const next: CartLine[] = [];
  for (const line of lines) {
    const product = fresh.get(line.productId);
    if (product === undefined) {
      next.push(line); // added while the refresh ran; checked next time
      continue;
    }
    const name = product?.name ?? line.name;
    if (!product || product.status !== 'active') {
      changes.push({ kind: 'unavailable', name });
    } else if (userId !== null && product.sellerId === userId) {
      changes.push({ kind: 'own', name });
    } else if (product.stock <= 0) {
      changes.push({ kind: 'sold-out', name });
    } else {
      const quantity = Math.min(line.quantity, maxQuantity(product.stock));
      if (quantity !== line.quantity) changes.push({ kind: 'quantity', name, from: line.quantity, to: quantity });
      if (toCents(product.price) !== toCents(line.unitPrice)) {
        changes.push({ kind: 'price', name, from: line.unitPrice, to: product.price });
      }
      next.push({
        ...line,
        name,
        quantity,
        unitPrice: product.price,
        stock: product.stock,
        sellerId: product.sellerId,
      });
    }
  }
  return { lines: next, changes };
}
