import type { Order, OrderPart, Page, Sale } from '@market/contracts';
import type { OrderRecord } from '../data/order-repository';
import type { SaleRecord } from '../data/sales-repository';

const iso = (at: string) => new Date(at).toISOString();

/**
 * A COMPLETED order's parts, one per seller of its lines: the stored ones as stored, the others
 * CONFIRMED (a part gets a row only when it ships, so settling an order writes none).
 */
function partsOf(record: OrderRecord): OrderPart[] {
  if (record.status !== 'COMPLETED') return [];
  const stored = new Map((record.parts ?? []).map((part) => [part.sellerId, part]));
  const sellers = new Set(record.items.flatMap((item) => (item.sellerId ? [item.sellerId] : [])));
  return [...sellers].map((sellerId) => {
    const part = stored.get(sellerId);
    if (!part)
      return { sellerId, state: 'CONFIRMED', carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null };
    return { ...part, shippedAt: iso(part.shippedAt), deliveredAt: part.deliveredAt && iso(part.deliveredAt) };
  });
}

export function toOrder(record: OrderRecord): Order {
  return {
    id: record.id,
    status: record.status,
    reason: record.reason,
    total: record.total,
    items: record.items.map((item) => ({
      productId: item.productId,
      productName: item.productName,
      sellerId: item.sellerId,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
    })),
    shippingAddress: record.shippingAddress,
    parts: partsOf(record),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** What an admin reads: the order and who placed it. */
export function toAdminOrder(record: OrderRecord): Order {
  return { ...toOrder(record), buyer: { id: record.buyerId, username: record.buyerName } };
}

export function toSale(record: SaleRecord): Sale {
  return { ...record, createdAt: record.createdAt.toISOString() };
}

export function toPage<R, T>(
  result: { rows: R[]; total: number },
  map: (row: R) => T,
  page: number,
  pageSize: number,
): Page<T> {
  return {
    data: result.rows.map(map),
    pagination: { page, pageSize, total: result.total, totalPages: Math.ceil(result.total / pageSize) },
  };
}
