import type { Category, MyProductsQuery, Page, Product, ProductSearchPage, ProductSort } from '@market/contracts';
import type { SQL } from 'drizzle-orm';
import { AppError, forbidden, notFound, type AuthUser } from '@market/kit';
import type { Db, Tx } from '../data/db';
import { imagesOfProducts, type ImageRow } from '../data/image-repository';
import {
  archiveProduct,
  findActiveProducts,
  findProduct,
  insertProduct,
  listActiveProducts,
  listSellerProducts,
  relistProduct,
  unlistProduct,
  updateProductAtVersion,
  type ProductChanges,
  type ProductRow,
  type ProductRowWithImages,
} from '../data/product-repository';
import {
  countPerCategory,
  filterConditions,
  lookUpTerms,
  matchCondition,
  rankMatches,
  type CategoryCount,
  type SearchFilters,
  type TermLookup,
  type TextMatch,
} from '../data/search-repository';
import { rankFromPostings, type PostingSources } from '../data/search-postings-repository';
import { toProduct } from './product-shapes';
import {
  CORRECTABLE_MIN_LENGTH,
  postingWordsOf,
  searchedWords,
  searchTermsOf,
  tsqueryText,
  type SearchTerm,
} from './search-terms';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface CatalogSearch extends PageRequest, SearchFilters {
  q?: string;
  /** Absent: relevance with `q`, newest without. */
  sort?: ProductSort;
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
 * A text search counts, ranks and counts per category at most this many matches: through the GIN
 * index each is a heap visit (the rank reads the row's search vector); from the postings (one
 * word, no filter) each is an index entry, counted up to this many per searched word.
 */
export const SEARCH_COUNT_CAP = 1_000;

/** What the vocabulary said about a search word, and until when that may be reused. */
interface KeptLookup {
  lookup: TermLookup | undefined;
  until: number;
}

/** Search words whose lookup is kept at most: what visitors type is unbounded, the memory is not. */
const KEPT_LOOKUPS_MAX = 10_000;

/**
 * Lookups of search words in the vocabulary, kept for as long as a shared catalog page may be
 * (CATALOG_CACHE_SECONDS): words are never removed from it, so a known word stays known; only a
 * word a product adds can take up to that long to stop being corrected, as the page would.
 */
function createLookupCache(seconds: number) {
  const kept = new Map<string, KeptLookup>();
  const keyOf = (term: SearchTerm) => `${term.prefix ? 'p' : 'w'}:${term.word}`;
  return async (db: Db, terms: SearchTerm[]): Promise<Map<string, TermLookup>> => {
    const now = Date.now();
    const found = new Map<string, TermLookup>();
    const unknown: SearchTerm[] = [];
    for (const term of terms) {
      const hit = kept.get(keyOf(term));
      if (hit && hit.until > now) {
        if (hit.lookup) found.set(term.word, hit.lookup);
      } else unknown.push(term);
    }
    if (unknown.length === 0) return found;
    const looked = await lookUpTerms(db, unknown, CORRECTABLE_MIN_LENGTH);
    for (const term of unknown) {
      const lookup = looked.get(term.word);
      if (lookup) found.set(term.word, lookup);
      const key = keyOf(term);
      kept.delete(key);
      kept.set(key, { lookup, until: now + seconds * 1000 });
      // The oldest entry goes first (a Map keeps insertion order).
      if (kept.size > KEPT_LOOKUPS_MAX) kept.delete(kept.keys().next().value!);
    }
    return found;
  };
}

/**
 * The search's words, each misspelt one with the known words closest to it. The last word is a
 * prefix only while it is not a whole known word: "lamp" finds lamps (stemming) but not every
 * "lampshade", and an exact word costs the index far less than a prefix.
 */
async function termsWithCorrections(
  db: Db,
  q: string,
  lookUp: (db: Db, terms: SearchTerm[]) => Promise<Map<string, TermLookup>>,
): Promise<SearchTerm[]> {
  const terms = searchTermsOf(q);
  const lookups = await lookUp(db, terms);
  return terms.map((term) => {
    const lookup = lookups.get(term.word);
    return { ...term, prefix: term.prefix && !lookup?.known, corrections: lookup?.corrections ?? [] };
  });
}

function textMatchOf(q: string, terms: SearchTerm[]): TextMatch {
  const typed = q.normalize('NFKC').toLowerCase();
  return { tsquery: tsqueryText(terms), typed, short: terms.length === 1 && [...terms[0]!.word].length <= 2 };
}

/** The name beginnings the postings hold: up to this many characters. */
const NAME_BEGINNING_MAX = 3;

/**
 * Where a one-word search reads its matches in the postings; undefined for a search of several
 * words (every word must match: the GIN index intersects their matches).
 */
function postingSourcesOf(match: TextMatch, terms: SearchTerm[]): PostingSources | undefined {
  if (terms.length !== 1) return undefined;
  const beginning = match.short && [...match.typed].length <= NAME_BEGINNING_MAX ? match.typed : undefined;
  return { ...postingWordsOf(terms[0]!), nameBeginning: beginning };
}

const withImages = (row: ProductRow): row is ProductRowWithImages => 'images' in row;

/** Products in the API shape; the images of rows read without them are read in one query. */
export async function shapeProducts(tx: Tx, rows: ProductRow[], imageBaseUrl: string): Promise<Product[]> {
  const unread = rows.filter((row) => !withImages(row)).map((row) => row.id);
  const images = unread.length > 0 ? await imagesOfProducts(tx, unread) : new Map<string, ImageRow[]>();
  return rows.map((row) => toProduct(row, withImages(row) ? row.images : (images.get(row.id) ?? []), imageBaseUrl));
}

/** A page's total from a count that stopped one past `countUpTo`. */
function cappedPage(rows: ProductRow[], matched: number, countUpTo: number) {
  return matched > countUpTo ? { rows, total: countUpTo, capped: true } : { rows, total: matched, capped: false };
}

const canManage = (user: AuthUser, row: ProductRow) => user.role === 'admin' || row.sellerId === user.id;

/** Loads a product the caller may change: 404 if there is none, 403 if it is someone else's. */
export async function productToChange(tx: Tx, user: AuthUser, id: string): Promise<ProductRow> {
  const row = await findProduct(tx, id);
  if (!row) throw notFound('product');
  if (!canManage(user, row)) throw forbidden('only the seller who owns this product or an admin may change it');
  return row;
}

/**
 * `sharedSeconds` (CATALOG_CACHE_SECONDS): how long nginx may share a catalog page; a request that
 * accepts a shared answer may reuse what the catalog read for another as long (0: never).
 */
export function createCatalog(db: Db, imageBaseUrl: string, sharedSeconds = 0) {
  const keptLookups = createLookupCache(sharedSeconds);
  const freshLookups = (tx: Db, terms: SearchTerm[]) => lookUpTerms(tx, terms, CORRECTABLE_MIN_LENGTH);
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

  /** Relevance ranks a bounded set of candidates; the other sorts order every match, as the plain list. */
  async function searchPage(
    match: TextMatch,
    filters: SQL[],
    sort: ProductSort,
    window: { limit: number; offset: number; countUpTo: number },
  ): Promise<{ rows: ProductRow[]; total: number; capped: boolean }> {
    if (sort !== 'relevance') {
      return listActiveProducts(db, { filters: [matchCondition(match), ...filters], sort, ...window });
    }
    const ranked = await rankMatches(db, { match, filters, candidates: window.countUpTo, ...window });
    const matched =
      ranked.matched ??
      (
        await countPerCategory(db, { condition: matchCondition(match), filters, countUpTo: window.countUpTo })
      ).categories.reduce((sum, c) => sum + c.count, 0);
    return matched > window.countUpTo
      ? { rows: ranked.rows, total: window.countUpTo, capped: true }
      : { rows: ranked.rows, total: matched, capped: false };
  }

  /** Relevance without a category filter: the candidates the page is ranked from are the facets' sample too. */
  async function rankedWithFacets(
    match: TextMatch,
    filters: SQL[],
    window: { limit: number; offset: number; countUpTo: number },
  ): Promise<[Awaited<ReturnType<typeof searchPage>>, { categories: CategoryCount[]; capped: boolean }]> {
    const ranked = await rankMatches(db, { match, filters, candidates: window.countUpTo, ...window });
    if (ranked.matched === undefined || ranked.facets === undefined) {
      // A page past the candidates: nothing to rank, so count the way the other sorts do.
      const facets = await countPerCategory(db, {
        condition: matchCondition(match),
        filters,
        countUpTo: window.countUpTo,
      });
      const matched = facets.categories.reduce((sum, c) => sum + c.count, 0);
      return [cappedPage(ranked.rows, matched, window.countUpTo), facets];
    }
    return [
      cappedPage(ranked.rows, ranked.matched, window.countUpTo),
      { categories: ranked.facets, capped: ranked.matched > window.countUpTo },
    ];
  }

  /** A one-word search ranked, counted and faceted from the postings, product rows read for the page only. */
  async function rankedFromPostings(
    sources: PostingSources,
    window: { limit: number; offset: number; countUpTo: number },
  ): Promise<[Awaited<ReturnType<typeof searchPage>>, { categories: CategoryCount[]; capped: boolean }]> {
    const ranked = await rankFromPostings(db, { sources, ...window });
    const rows = await findActiveProducts(db, ranked.ids);
    return [
      cappedPage(rows, ranked.matched, window.countUpTo),
      { categories: ranked.facets, capped: ranked.matched > window.countUpTo },
    ];
  }

  /**
   * A page beyond the cap still answers: the count then reaches past this page, so a capped
   * total always means at least one more product follows it, and a page past the last one
   * gets the exact total. With `q` the answer also carries facets and the words searched.
   */
  async function readSearch(request: CatalogSearch, shared: boolean): Promise<ProductSearchPage> {
    const offset = (request.page - 1) * request.pageSize;
    const filters = filterConditions(request);
    if (!request.q) {
      const sort = !request.sort || request.sort === 'relevance' ? 'newest' : request.sort;
      const { rows, total, capped } = await listActiveProducts(db, {
        filters,
        sort,
        limit: request.pageSize,
        offset,
        countUpTo: Math.max(CATALOG_COUNT_CAP, offset + request.pageSize),
      });
      return toPage(rows, total, request, capped);
    }
    const terms = await termsWithCorrections(db, request.q, shared && sharedSeconds > 0 ? keptLookups : freshLookups);
    const match = textMatchOf(request.q, terms);
    const countUpTo = Math.max(SEARCH_COUNT_CAP, offset + request.pageSize);
    const sort = request.sort ?? 'relevance';
    const window = { limit: request.pageSize, offset, countUpTo };
    // The usual case (relevance, no filter) of one word reads a bounded slice of its postings; with
    // several words or a filter, it reads the matches once for page, count and facets.
    const sources = sort === 'relevance' && filters.length === 0 ? postingSourcesOf(match, terms) : undefined;
    const [page, facets] = sources
      ? await rankedFromPostings(sources, window)
      : sort === 'relevance' && !request.category
        ? await rankedWithFacets(match, filters, window)
        : await Promise.all([
            searchPage(match, filters, sort, window),
            countPerCategory(db, {
              condition: matchCondition(match),
              filters: filterConditions(request, { category: false }),
              countUpTo: SEARCH_COUNT_CAP,
            }),
          ]);
    return {
      ...(await toPage(page.rows, page.total, request, page.capped)),
      facets,
      search: {
        words: searchedWords(terms),
        corrections: terms.filter((t) => t.corrections.length > 0).map((t) => ({ from: t.word, to: t.corrections })),
      },
    };
  }

  /**
   * Identical searches in flight at the same time share one reading of the database: when nginx's
   * copy of a popular page expires, every request for it reaches the service until one answer is
   * back (nginx holds none of them back, see the cache notes in nginx.conf.template). A request
   * that joins gets an answer begun at most one reading before it arrived, so only requests that
   * accept a shared copy join (`shared`); one that asked past the caches (after its own change)
   * gets a reading of its own.
   */
  const searching = new Map<string, Promise<ProductSearchPage>>();

  return {
    search(request: CatalogSearch, options: { shared: boolean } = { shared: false }): Promise<ProductSearchPage> {
      if (!options.shared) return readSearch(request, false);
      const key = JSON.stringify(request);
      const running = searching.get(key);
      if (running) return running;
      const reading = readSearch(request, true).finally(() => searching.delete(key));
      searching.set(key, reading);
      return reading;
    },

    /** Archived products stay visible to their seller and admins; to anyone else they do not exist (undefined). */
    async find(id: string, user: AuthUser | undefined): Promise<Product | undefined> {
      const row = await findProduct(db, id);
      if (!row || (row.status !== 'active' && !(user && canManage(user, row)))) return undefined;
      return shapeOne(row);
    },

    async listMine(user: AuthUser, request: MyProductsQuery): Promise<Page<Product>> {
      const { rows, total } = await listSellerProducts(db, user.id, {
        q: request.q || undefined,
        sort: request.sort,
        limit: request.pageSize,
        offset: (request.page - 1) * request.pageSize,
      });
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

    /**
     * Back in the catalog. The seller relists what they archived; what an admin unlisted stays
     * out until an admin relists it. Relisting an active product changes nothing.
     */
    async relist(user: AuthUser, id: string, version: number | undefined): Promise<Product> {
      const current = await productToChange(db, user, id);
      const admin = user.role === 'admin';
      if (current.status === 'unlisted' && !admin) {
        throw forbidden('an admin took this product out of the catalog; only an admin can put it back');
      }
      const relisted = await relistProduct(db, id, version, admin);
      if (relisted) return shapeOne(relisted);
      const latest = (await findProduct(db, id)) ?? current;
      if (version !== undefined && latest.version !== version) throw versionConflict(latest);
      if (latest.status === 'unlisted' && !admin) {
        throw forbidden('an admin took this product out of the catalog; only an admin can put it back');
      }
      return shapeOne(latest);
    },

    /** An admin takes a product out of the catalog; its seller sees the reason in their list. */
    async unlist(admin: AuthUser, id: string, reason: string): Promise<Product> {
      const unlisted = await unlistProduct(db, id, reason, admin.id);
      if (!unlisted) throw notFound('product');
      return shapeOne(unlisted);
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
