import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { productImages, products, type StoredVariant } from './schema';

export type ImageRow = typeof productImages.$inferSelect;

/** The images of these products, each product's in display order. */
export async function imagesOfProducts(tx: Tx, productIds: string[]): Promise<Map<string, ImageRow[]>> {
  const byProduct = new Map<string, ImageRow[]>();
  if (productIds.length === 0) return byProduct;
  const rows = await tx
    .select()
    .from(productImages)
    .where(inArray(productImages.productId, productIds))
    .orderBy(asc(productImages.productId), asc(productImages.position), asc(productImages.createdAt));
  for (const row of rows) {
    const list = byProduct.get(row.productId) ?? [];
    list.push(row);
    byProduct.set(row.productId, list);
  }
  return byProduct;
}

/** Locks the product row, so concurrent uploads to one product count its images one after another. */
export async function lockProductForImages(tx: Tx, productId: string): Promise<void> {
  await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
}

export async function insertImage(
  tx: Tx,
  image: { productId: string; position: number; alt: string; variants: StoredVariant[] },
): Promise<ImageRow> {
  const [row] = await tx.insert(productImages).values(image).returning();
  return row!;
}

/** Sets each listed image's position (its index) and alt text in one statement. */
export async function arrangeImages(tx: Tx, productId: string, images: { id: string; alt: string }[]): Promise<void> {
  const rows = images.map((image, position) => sql`(${image.id}::uuid, ${position}::int, ${image.alt}::text)`);
  await tx.execute(sql`
    update ${productImages} set position = v.position, alt = v.alt
    from (values ${sql.join(rows, sql`, `)}) as v(id, position, alt)
    where ${productImages.id} = v.id and ${productImages.productId} = ${productId}`);
}

export async function deleteImage(tx: Tx, productId: string, imageId: string): Promise<ImageRow | undefined> {
  const [row] = await tx
    .delete(productImages)
    .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId)))
    .returning();
  return row;
}

/** Of these file keys, the ones another image row still uses (the same upload on two products). */
export async function keysStillUsed(tx: Tx, keys: string[], exceptImageId?: string): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const conditions = [inArray(sql`v->>'key'`, keys)];
  if (exceptImageId) conditions.push(ne(productImages.id, exceptImageId));
  const rows = await tx
    .select({ key: sql<string>`v->>'key'` })
    .from(sql`${productImages}, jsonb_array_elements(${productImages.variants}) as v`)
    .where(and(...conditions));
  return new Set(rows.map((row) => row.key));
}
