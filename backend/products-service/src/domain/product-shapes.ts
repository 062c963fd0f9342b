import type { Category, Product } from '@market/contracts';
import type { ProductRow } from '../data/product-repository';

/** The API shape of a stored product (DESIGN section 5). */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sellerId: row.sellerId,
    sellerName: row.sellerName,
    name: row.name,
    description: row.description,
    category: row.category as Category,
    price: row.price,
    stock: row.stock,
    imageUrl: row.imageUrl,
    status: row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
