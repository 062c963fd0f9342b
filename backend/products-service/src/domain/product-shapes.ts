import type { Category, Product, ProductImage } from '@market/contracts';
import type { ProductRow, ShownImage } from '../data/product-repository';

/** The API shape of a stored image: its file keys become URLs under the public base (a path or a CDN). */
function toProductImage(row: ShownImage, imageBaseUrl: string): ProductImage {
  return {
    id: row.id,
    alt: row.alt,
    variants: row.variants.map(({ key, width, height }) => ({ url: `${imageBaseUrl}/${key}`, width, height })),
  };
}

/** The API shape of a stored product (DESIGN section 5) with its images in display order. */
export function toProduct(row: ProductRow, images: ShownImage[], imageBaseUrl: string): Product {
  return {
    id: row.id,
    sellerId: row.sellerId,
    sellerName: row.sellerName,
    name: row.name,
    description: row.description,
    category: row.category as Category,
    price: row.price,
    stock: row.stock,
    images: images.map((image) => toProductImage(image, imageBaseUrl)),
    status: row.status,
    moderation:
      row.status === 'unlisted' && row.moderationReason && row.moderatedAt
        ? { reason: row.moderationReason, at: row.moderatedAt.toISOString() }
        : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
