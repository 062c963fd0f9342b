import { and, count, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Category } from '@market/contracts';
import type { SearchTerm } from '../domain/search-terms';
import type { Tx } from './db';
import { imagesColumn, productColumns, type ProductRowWithImages } from './product-repository';
import { products } from './schema';

export interface SearchFilters {
  category?: Category;
  sellerId?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
}

/** The filters as conditions; `category: false` leaves the category out (facets count across categories). */
export function filterConditions(filters: SearchFilters, options: { category: boolean } = { category: true }): SQL[] {
  const conditions: SQL[] = [];
  if (options.category && filters.category) conditions.push(eq(products.category, filters.category));
  if (filters.sellerId) conditions.push(eq(products.sellerId, filters.sellerId));
  if (filters.minPrice) conditions.push(gte(products.price, filters.minPrice));
  if (filters.maxPrice) conditions.push(lte(products.price, filters.maxPrice));
  if (filters.inStock) conditions.push(gt(products.stock, 0));
  return conditions;
}

/** A LIKE pattern matching text that starts with `text`, its metacharacters taken literally. */
const startsWith = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * How a search matches rows and scores them. `tsquery` is tsquery text built from letters and
 * digits only (search-terms.ts) and travels as a bound parameter, like every other value here.
 */
export interface TextMatch {
  tsquery: string;
  /** The search as typed, lower-case: a name starting with it ranks higher. */
  typed: string;
  /** One or two characters: names starting with them match too ("tv", "C#"), from the name-prefix index. */
  short: boolean;
}

export function matchCondition(match: TextMatch): SQL {
  const words = sql`${products.searchVector} @@ to_tsquery('english', ${match.tsquery})`;
  return match.short ? sql`(${words} OR lower(${products.name}) LIKE ${startsWith(match.typed)})` : words;
}

/** ts_rank weighs name words (A, 1.0) above description words (B, 0.4); a name starting with the search gets a bonus. */
function rankOf(match: TextMatch): SQL<number> {
  return sql<number>`(ts_rank(${products.searchVector}, to_tsquery('english', ${match.tsquery}))
    + CASE WHEN lower(${products.name}) LIKE ${startsWith(match.typed)} THEN 0.5 ELSE 0 END)::float8`;
}

/**
 * A page of the best matches. Ranking reads every row it scores, so it scores at most
 * `candidates` + 1 matches (as many as the count reaches): the first ones the index yields. Past
 * that many matches a narrower search or a filter finds the rest; the cost stays flat at any size.
 */
export async function rankMatches(
  tx: Tx,
  query: { match: TextMatch; filters: SQL[]; candidates: number; limit: number; offset: number },
): Promise<{ rows: ProductRowWithImages[]; matched: number | undefined; facets: CategoryCount[] | undefined }> {
  const candidates = tx.$with('candidates').as(
    tx
      .select({ ...productColumns, rank: rankOf(query.match).as('rank') })
      .from(products)
      .where(and(eq(products.status, 'active'), matchCondition(query.match), ...query.filters))
      .limit(query.candidates + 1),
  );
  // The candidates' product columns (rank left out), decoded as the table's own.
  const columns = Object.fromEntries(
    Object.keys(productColumns).map((key) => [key, candidates[key as keyof typeof productColumns]]),
  ) as unknown as typeof productColumns;
  const ranked = await tx
    .with(candidates)
    .select({
      ...columns,
      images: imagesColumn('candidates'),
      matched: sql<number>`count(*) over ()`.mapWith(Number),
      // Counted over the same candidates, once (an InitPlan): the matches per category for free.
      facets: sql<CategoryCount[]>`(SELECT coalesce(json_agg(json_build_object('category', f.category, 'count', f.n)
        ORDER BY f.n DESC, f.category), '[]'::json) FROM (SELECT category, count(*)::int AS n FROM candidates GROUP BY category) f)`,
    })
    .from(candidates)
    .orderBy(desc(candidates.rank), desc(candidates.createdAt), desc(candidates.id))
    .limit(query.limit)
    .offset(query.offset);
  return {
    rows: ranked.map(({ matched, facets, ...row }) => (void matched, void facets, row)),
    // Past the last candidate the page is empty and the window counted nothing.
    matched: ranked[0]?.matched,
    facets: ranked[0]?.facets,
  };
}

export interface CategoryCount {
  category: Category;
  count: number;
}

/** Matches per category, counting at most `countUpTo` + 1 matches in all; `capped` when it stopped there. */
export async function countPerCategory(
  tx: Tx,
  query: { condition: SQL; filters: SQL[]; countUpTo: number },
): Promise<{ categories: CategoryCount[]; capped: boolean }> {
  const sample = tx.$with('sample').as(
    tx
      .select({ category: products.category })
      .from(products)
      .where(and(eq(products.status, 'active'), query.condition, ...query.filters))
      .limit(query.countUpTo + 1),
  );
  const rows = await tx
    .with(sample)
    .select({ category: sample.category, n: count() })
    .from(sample)
    .groupBy(sample.category)
    .orderBy(desc(count()), sample.category);
  const counted = rows.reduce((sum, row) => sum + row.n, 0);
  return {
    categories: rows.map((row) => ({ category: row.category as Category, count: row.n })),
    capped: counted > query.countUpTo,
  };
}

/** What the vocabulary says about each search word. */
export interface TermLookup {
  /** Some product holds (or held) exactly this word. */
  known: boolean;
  /** For a word no product ever held (nor began with, for the prefix word), the closest known words, best first. */
  corrections: string[];
}

/**
 * Looks every search word up in `search_words`: whether it is a known word, and for an unknown one
 * at least `minLength` characters long, its closest known words by trigram similarity (pg_trgm's
 * `%`: 0.3 and above). One statement, answered from the vocabulary's indexes.
 */
export async function lookUpTerms(tx: Tx, terms: SearchTerm[], minLength: number): Promise<Map<string, TermLookup>> {
  const found = new Map<string, TermLookup>();
  if (terms.length === 0) return found;
  const result = await tx.execute<{ term: string; known: boolean; corrections: string[] }>(sql`
    SELECT t.term,
      EXISTS (SELECT 1 FROM search_words k WHERE k.word = t.term) AS known,
      ARRAY(
        SELECT s.word FROM search_words s
        WHERE char_length(t.term) >= ${minLength}
          AND NOT EXISTS (
            SELECT 1 FROM search_words k
            WHERE k.word >= t.term
              AND k.word <= CASE WHEN t.prefix THEN t.term || chr(1114111) ELSE t.term END
          )
          AND s.word % t.term
        ORDER BY similarity(s.word, t.term) DESC, s.word
        LIMIT 3
      ) AS corrections
    FROM unnest(${sql.param(terms.map((t) => t.word))}::text[], ${sql.param(terms.map((t) => t.prefix))}::boolean[])
      AS t(term, prefix)`);
  for (const { term, known, corrections } of result.rows) found.set(term, { known, corrections });
  return found;
}
