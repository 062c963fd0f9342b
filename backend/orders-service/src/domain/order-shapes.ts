import type { Order, Page, Sale } from '@market/contracts';
import type { OrderRecord } from '../data/order-repository';
import type { SaleRecord } from '../data/sales-repository';

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
