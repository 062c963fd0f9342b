import type { StockFailureReason, OrderLine, ReservedItem } from '@market/contracts';
import type { ProductRow } from '../data/product-repository';
import type { Reservation } from '../data/saga-repository';
import { compareMoney } from './money';

export type StockDecision =
  { ok: true; items: ReservedItem[]; reservations: Reservation[] } | { ok: false; reason: StockFailureReason };

/** When lines fail for different reasons, the order reports the first of these. */
const REASON_PRECEDENCE: StockFailureReason[] = ['PRODUCT_UNAVAILABLE', 'OWN_PRODUCT', 'PRICE_CHANGED', 'OUT_OF_STOCK'];

/**
 * Decides an order against the locked products: every line must name an active product of
 * another seller, at the price the buyer saw, with enough stock (lines naming the same
 * product count together). All lines pass, or the order takes nothing.
 */
export function decideStock(lines: OrderLine[], products: ProductRow[], buyerId: string): StockDecision {
  const byId = new Map(products.map((p) => [p.id, p]));
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.product_id, (wanted.get(line.product_id) ?? 0) + line.quantity);

  const reasons = new Set<StockFailureReason>();
  for (const line of lines) {
    const product = byId.get(line.product_id);
    if (!product || product.status !== 'active') reasons.add('PRODUCT_UNAVAILABLE');
    else if (product.sellerId === buyerId) reasons.add('OWN_PRODUCT');
    else if (compareMoney(product.price, line.price) !== 0) reasons.add('PRICE_CHANGED');
    else if (product.stock < (wanted.get(product.id) ?? 0)) reasons.add('OUT_OF_STOCK');
  }
  const reason = REASON_PRECEDENCE.find((r) => reasons.has(r));
  if (reason) return { ok: false, reason };

  const items = lines.map((line) => {
    const product = byId.get(line.product_id) as ProductRow;
    return {
      product_id: product.id,
      quantity: line.quantity,
      unit_price: product.price,
      product_name: product.name,
      seller_id: product.sellerId,
    };
  });
  const reservations = [...wanted].map(([productId, quantity]) => ({
    productId,
    quantity,
    unitPrice: (byId.get(productId) as ProductRow).price,
  }));
  return { ok: true, items, reservations };
}
