import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  ne,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { MyProductSort, ProductSort } from '@market/contracts';
import type { Tx } from './db';
import { productImages, products, type StoredVariant } from './schema';

/** Every column but the search vector, which only the database reads. */
export const productColumns = (() => {
  const { searchVector, ...columns } = getTableColumns(products);
  void searchVector;
  return columns;
})();

export type ProductRow = Omit<typeof products.$inferSelect, 'searchVector'>;
export type NewProduct = Omit<
  typeof products.$inferInsert,
  'status' | 'version' | 'createdAt' | 'updatedAt' | 'searchVector'
>;
export type ProductChanges = Partial<Pick<NewProduct, 'name' | 'description' | 'category' | 'price' | 'stock'>>;

/** What a product's answer shows of one of its images. */
export interface ShownImage {
  id: string;
  alt: string;
  variants: StoredVariant[];
}

/** A product row with its images in display order, read in the same statement. */
export type ProductRowWithImages = ProductRow & { images: ShownImage[] };

/**
 * A product's images in display order as one JSON column of the statement that reads the product
 * (`from`: the table or CTE the outer row comes from), so a page costs one round trip instead of
 * two. The outer id is qualified by hand: drizzle names a column bare when a select reads one
 * table, and a bare "id" inside this subquery would be the image's own.
 */
export function imagesColumn(from: 'products' | 'candidates' | 'page') {
  return sql<ShownImage[]>`(SELECT coalesce(json_agg(json_build_object('id', i.id, 'alt', i.alt, 'variants', i.variants)
    ORDER BY i.position, i.created_at), '[]'::json) FROM ${productImages} i
    WHERE i.product_id = ${sql.identifier(from)}.${sql.identifier('id')})`;
}

export interface ProductQuery {
  filters: SQL[];
  sort: Exclude<ProductSort, 'relevance'>;
  limit: number;
  offset: number;
}

/** Every order ends in the id, so pages are stable while nothing changes. */
/** The columns a sort reads: the table's, or a subquery's of the same names. */
type SortColumns = Record<'createdAt' | 'id' | 'price' | 'name' | 'stock', SQLWrapper>;

const ORDER_BY: Record<Exclude<ProductSort, 'relevance'>, (t: SortColumns) => SQL[]> = {
  newest: (t) => [desc(t.createdAt), desc(t.id)],
  price_asc: (t) => [asc(t.price), asc(t.id)],
  price_desc: (t) => [desc(t.price), desc(t.id)],
  name: (t) => [asc(t.name), asc(t.id)],
};

/**
 * A page of active products (with their images) and how many match, counting at most `countUpTo` +
 * 1 rows: an exact `count(*)` over a million rows costs far more than the page itself. `total` is
 * exact when `capped` is false; otherwise more than `total` (= `countUpTo`) products match. One
 * statement: the capped count rides on every row of the page as an uncorrelated subquery (computed
 * once); only a page past the last match, which has no row to carry it, counts in a second one.
 */
export async function listActiveProducts(
  tx: Tx,
  query: ProductQuery & { countUpTo: number },
): Promise<{ rows: ProductRowWithImages[]; total: number; capped: boolean }> {
  const where = and(eq(products.status, 'active'), ...query.filters);
  const matching = () =>
    tx
      .select({ one: sql`1` })
      .from(products)
      .where(where)
      .limit(query.countUpTo + 1);
  // The page is cut first and its images read for its rows only: in the same select list the
  // subquery would also run for every row an OFFSET skips (an index scan sorts, nothing postpones it).
  const cut = tx
    .select(productColumns)
    .from(products)
    .where(where)
    .orderBy(...ORDER_BY[query.sort](productColumns))
    .limit(query.limit)
    .offset(query.offset)
    .as('page');
  // The page's product columns, decoded as the table's own.
  const columns = Object.fromEntries(
    Object.keys(productColumns).map((key) => [key, cut[key as keyof typeof productColumns]]),
  ) as unknown as typeof productColumns;
  const page = await tx
    .select({
      ...columns,
      images: imagesColumn('page'),
      matched: sql<number>`(SELECT count(*) FROM (${matching()}) AS matching)`.mapWith(Number),
    })
    .from(cut)
    .orderBy(...ORDER_BY[query.sort](cut));
  const rows = page.map(({ matched, ...row }) => (void matched, row));
  const n = page[0]?.matched ?? (await tx.select({ n: count() }).from(matching().as('matching')))[0]?.n ?? 0;
  return n > query.countUpTo ? { rows, total: query.countUpTo, capped: true } : { rows, total: n, capped: false };
}

const MY_ORDER_BY: Record<MyProductSort, (t: SortColumns) => SQL[]> = {
  ...ORDER_BY,
  stock: (t) => [asc(t.stock), asc(t.id)],
};

/** `%`, `_` and `\` typed by a seller match themselves in ILIKE. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listSellerProducts(
  tx: Tx,
  sellerId: string,
  query: { q?: string | undefined; sort: MyProductSort; limit: number; offset: number },
): Promise<{ rows: ProductRow[]; total: number }> {
  const { limit, offset } = query;
  const where = and(eq(products.sellerId, sellerId), query.q ? ilike(products.name, likePattern(query.q)) : undefined);
  const [rows, [totals]] = await Promise.all([
    tx
      .select(productColumns)
      .from(products)
      .where(where)
      .orderBy(...MY_ORDER_BY[query.sort](productColumns))
      .limit(limit)
      .offset(offset),
    tx.select({ total: count() }).from(products).where(where),
  ]);
  return { rows, total: totals?.total ?? 0 };
}

export async function findProduct(tx: Tx, id: string): Promise<ProductRow | undefined> {
  const [row] = await tx.select(productColumns).from(products).where(eq(products.id, id));
  return row;
}

/** The active products among `ids` with their images, in the order of `ids`. */
export async function findActiveProducts(tx: Tx, ids: string[]): Promise<ProductRowWithImages[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ ...productColumns, images: imagesColumn('products') })
    .from(products)
    .where(and(inArray(products.id, ids), eq(products.status, 'active')));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function insertProduct(tx: Tx, product: NewProduct): Promise<ProductRow> {
  const [row] = await tx.insert(products).values(product).returning(productColumns);
  return row!;
}

/** Inserts rows whose id already exists nowhere; existing ids are left as they are. Answers the inserted ids. */
export async function insertProductsIfAbsent(tx: Tx, rows: NewProduct[]): Promise<string[]> {
  const inserted = await tx
    .insert(products)
    .values(rows)
    .onConflictDoNothing({ target: products.id })
    .returning({ id: products.id });
  return inserted.map((row) => row.id);
}

/**
 * Applies changes only if the row is still at `version` (optimistic concurrency): a sale or
 * another edit in between bumps the version, and this then changes nothing and returns undefined.
 */
export async function updateProductAtVersion(
  tx: Tx,
  id: string,
  version: number,
  changes: ProductChanges,
): Promise<ProductRow | undefined> {
  const [row] = await tx
    .update(products)
    .set({ ...changes, version: sql`${products.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(products.id, id), eq(products.version, version)))
    .returning(productColumns);
  return row;
}

/** Archives an active product, at `version` when one is given; undefined when nothing changed. */
export async function archiveProduct(tx: Tx, id: string, version: number | undefined): Promise<ProductRow | undefined> {
  const conditions = [eq(products.id, id), eq(products.status, 'active')];
  if (version !== undefined) conditions.push(eq(products.version, version));
  const [row] = await tx
    .update(products)
    .set({ status: 'archived', version: sql`${products.version} + 1`, updatedAt: sql`now()` })
    .where(and(...conditions))
    .returning(productColumns);
  return row;
}

/**
 * Puts an archived product back in the catalog (`unlisted` too when `moderated` is allowed, i.e.
 * an admin asks), at `version` when one is given; undefined when nothing changed.
 */
export async function relistProduct(
  tx: Tx,
  id: string,
  version: number | undefined,
  moderated: boolean,
): Promise<ProductRow | undefined> {
  const conditions = [eq(products.id, id), moderated ? ne(products.status, 'active') : eq(products.status, 'archived')];
  if (version !== undefined) conditions.push(eq(products.version, version));
  const [row] = await tx
    .update(products)
    .set({
      status: 'active',
      moderationReason: null,
      moderatedAt: null,
      moderatedBy: null,
      version: sql`${products.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(...conditions))
    .returning(productColumns);
  return row;
}

/** Takes a product out of the catalog with the admin's reason, whatever its status; a second unlist replaces the reason. */
export async function unlistProduct(
  tx: Tx,
  id: string,
  reason: string,
  adminId: string,
): Promise<ProductRow | undefined> {
  const [row] = await tx
    .update(products)
    .set({
      status: 'unlisted',
      moderationReason: reason,
      moderatedAt: sql`now()`,
      moderatedBy: adminId,
      version: sql`${products.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(products.id, id))
    .returning(productColumns);
  return row;
}

/** Locks the products in id order, so concurrent orders over the same products cannot deadlock. */
export async function lockProducts(tx: Tx, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select(productColumns)
    .from(products)
    .where(inArray(products.id, ids))
    .orderBy(asc(products.id))
    .for('update');
}
