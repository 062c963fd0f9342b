import type { Category, Page, Product, ProductSort } from '@market/contracts';
import { AppError, forbidden, notFound, type AuthUser } from '@market/kit';
import type { Db, Tx } from '../data/db';
import { imagesOfProducts } from '../data/image-repository';
import {
  archiveProduct,
  findProduct,
  insertProduct,
  listActiveProducts,
  listSellerProducts,
  updateProductAtVersion,
  type ProductChanges,
  type ProductRow,
} from '../data/product-repository';
import { toProduct } from './product-shapes';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface CatalogSearch extends PageRequest {
  q?: string;
  category?: Category;
  sort: ProductSort;
}

export interface NewProductInput {
  name: string;
  description: string;
  category: Category;
  price: string;
  stock: number;
}

/**
 * The public list counts its matches up to this many and then answers "more than 10,000":
 * an exact count of a million rows takes ~100 ms, the page itself under 1 ms.
 */
export const CATALOG_COUNT_CAP = 10_000;
/**
 * A text search counts fewer: each match it counts is a heap visit and an ILIKE recheck
 * (~4 µs, 40 ms for 10,000), where the plain list counts from an index alone (~0.15 µs).
 */
export const SEARCH_COUNT_CAP = 1_000;

/** Products in the API shape, their images read in one query. */
export async function shapeProducts(tx: Tx, rows: ProductRow[], imageBaseUrl: string): Promise<Product[]> {
  const images = await imagesOfProducts(
    tx,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toProduct(row, images.get(row.id) ?? [], imageBaseUrl));
}

const canManage = (user: AuthUser, row: ProductRow) => user.role === 'admin' || row.sellerId === user.id;

/** Loads a product the caller may change: 404 if there is none, 403 if it is someone else's. */
export async function productToChange(tx: Tx, user: AuthUser, id: string): Promise<ProductRow> {
  const row = await findProduct(tx, id);
  if (!row) throw notFound('product');
  if (!canManage(user, row)) throw forbidden('only the seller who owns this product or an admin may change it');
  return row;
}

export function createCatalog(db: Db, imageBaseUrl: string) {
  const shapeOne = async (row: ProductRow) => (await shapeProducts(db, [row], imageBaseUrl))[0]!;
  async function toPage(
    rows: ProductRow[],
    total: number,
    { page, pageSize }: PageRequest,
    totalCapped = false,
  ): Promise<Page<Product>> {
    return {
      data: await shapeProducts(db, rows, imageBaseUrl),
      pagination: { page, pageSize, total, totalPages: Math.ceil(total / pageSize), totalCapped },
    };
  }

  const versionConflict = (row: ProductRow) =>
    new AppError(
      'VERSION_CONFLICT',
      `the product changed since the version you edited; it is now at version ${row.version}`,
      409,
      [
        {
          field: 'version',
          message: `the current version is ${row.version}; reload the product and apply your edit again`,
        },
      ],
    );

  return {
    /**
     * A page beyond the cap still answers: the count then reaches past this page, so a capped
     * total always means at least one more product follows it, and a page past the last one
     * gets the exact total.
     */
    async search(request: CatalogSearch): Promise<Page<Product>> {
      const offset = (request.page - 1) * request.pageSize;
      const { rows, total, capped } = await listActiveProducts(db, {
        q: request.q,
        category: request.category,
        sort: request.sort,
        limit: request.pageSize,
        offset,
        countUpTo: Math.max(request.q ? SEARCH_COUNT_CAP : CATALOG_COUNT_CAP, offset + request.pageSize),
      });
      return toPage(rows, total, request, capped);
    },

    /** Archived products stay visible to their seller and admins; to anyone else they do not exist. */
    async get(id: string, user: AuthUser | undefined): Promise<Product> {
      const row = await findProduct(db, id);
      if (!row || (row.status !== 'active' && !(user && canManage(user, row)))) throw notFound('product');
      return shapeOne(row);
    },

    async listMine(user: AuthUser, request: PageRequest): Promise<Page<Product>> {
      const { rows, total } = await listSellerProducts(
        db,
        user.id,
        request.pageSize,
        (request.page - 1) * request.pageSize,
      );
      return toPage(rows, total, request);
    },

    async create(user: AuthUser, input: NewProductInput): Promise<Product> {
      const row = await insertProduct(db, { ...input, sellerId: user.id, sellerName: user.username });
      return shapeOne(row);
    },

    async update(user: AuthUser, id: string, version: number, changes: ProductChanges): Promise<Product> {
      const current = await productToChange(db, user, id);
      const updated = await updateProductAtVersion(db, id, version, changes);
      if (!updated) throw versionConflict((await findProduct(db, id)) ?? current);
      return shapeOne(updated);
    },

    /**
     * Archives (orders keep their snapshots). Without a version it archives whatever the
     * current one is; archiving an archived product changes nothing.
     */
    async archive(user: AuthUser, id: string, version: number | undefined): Promise<Product> {
      const current = await productToChange(db, user, id);
      const archived = await archiveProduct(db, id, version);
      if (archived) return shapeOne(archived);
      const latest = (await findProduct(db, id)) ?? current;
      if (version !== undefined && latest.version !== version) throw versionConflict(latest);
      return shapeOne(latest);
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
