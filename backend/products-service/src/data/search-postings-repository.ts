import { sql } from 'drizzle-orm';
import type { Tx } from './db';
import type { CategoryCount } from './search-repository';

/**
 * Where a one-word search finds its products in `search_postings`: its words (the word itself and
 * its corrections, stemmed as the search vector is), the beginnings of words when it is typed as a
 * prefix, and, for a one- or two-character search, names beginning with what was typed.
 */
export interface PostingSources {
  words: string[];
  prefixes: string[];
  /** What a name must begin with (lower-case, at most 3 characters: the postings hold no more). */
  nameBeginning: string | undefined;
}

/** How many words one prefix stands for at most: the most a search reads is bounded by it. */
const PREFIX_WORDS_MAX = 50;

/**
 * A one-word search from the postings alone: the page's product ids best first, the matches
 * counted up to `countUpTo` + 1 and the matches per category among them. A product scores its
 * best word (10 in the name, 4 in the description, +5 as the name's first word) plus 5 when its
 * name begins with what was typed; ties go to the newest, then the highest id.
 *
 * Every source (a lexeme) is read through `search_postings_rank_idx` best first and only as far
 * as needed: `offset + limit` postings for the page (a product among the page's best is among its
 * best word's best; its full score is then read by primary key), `countUpTo` + 1 for the count
 * and facets. No product row is read before the page is known, so the cost follows the page and
 * the cap, not the number of matches. One approximation: a product that is neither among its
 * word's best nor among the name beginning's best, yet would rise into the page by adding both,
 * is missed: a short search only, and only when more than a page of products outrank it on the
 * word alone and more than a page of newer ones begin with the same characters.
 */
export async function rankFromPostings(
  tx: Tx,
  query: { sources: PostingSources; limit: number; offset: number; countUpTo: number },
): Promise<{ ids: string[]; matched: number; facets: CategoryCount[] }> {
  const { words, prefixes, nameBeginning } = query.sources;
  const result = await tx.execute<{ ids: string[] | null; matched: number; facets: CategoryCount[] }>(sql`
    WITH RECURSIVE
      stems AS (
        SELECT DISTINCT lx AS stem
        FROM unnest(${sql.param(prefixes)}::text[]) AS w,
          unnest(tsvector_to_array(to_tsvector('english'::regconfig, w))) AS lx
      ),
      -- The lexemes beginning with each stem, one index descent each (a loose index scan).
      prefixed (stem, lexeme, n) AS (
        SELECT s.stem,
          (SELECT min(p.lexeme) FROM search_postings p
           WHERE p.lexeme >= s.stem AND p.lexeme < s.stem || chr(1114111)), 1
        FROM stems s
        UNION ALL
        SELECT r.stem,
          (SELECT min(p.lexeme) FROM search_postings p
           WHERE p.lexeme > r.lexeme AND p.lexeme < r.stem || chr(1114111)), r.n + 1
        FROM prefixed r
        WHERE r.lexeme IS NOT NULL AND r.n < ${PREFIX_WORDS_MAX}
      ),
      sources AS (
        SELECT lx COLLATE "C" AS lexeme, false AS beginning
        FROM unnest(${sql.param(words)}::text[]) AS w,
          unnest(tsvector_to_array(to_tsvector('english'::regconfig, w))) AS lx
        UNION
        SELECT lexeme, false FROM prefixed WHERE lexeme IS NOT NULL
        UNION
        SELECT (' ' || ${nameBeginning ?? null}::text) COLLATE "C", true WHERE ${nameBeginning ?? null}::text IS NOT NULL
      ),
      candidates AS (
        SELECT DISTINCT c.product_id
        FROM sources s CROSS JOIN LATERAL (
          SELECT p.product_id FROM search_postings p
          WHERE p.lexeme = s.lexeme
          ORDER BY p.score DESC, p.created_at DESC, p.product_id DESC
          LIMIT ${query.offset + query.limit}
        ) c
      ),
      scored AS (
        SELECT p.product_id,
          coalesce(max(p.score) FILTER (WHERE NOT s.beginning), 0)
            + coalesce(max(p.score) FILTER (WHERE s.beginning), 0) AS score,
          max(p.created_at) AS created_at
        FROM candidates c
          JOIN search_postings p ON p.product_id = c.product_id
          JOIN sources s ON s.lexeme = p.lexeme
        GROUP BY p.product_id
      ),
      page AS (
        SELECT product_id, score, created_at FROM scored
        ORDER BY score DESC, created_at DESC, product_id DESC
        LIMIT ${query.limit} OFFSET ${query.offset}
      ),
      matches AS (
        SELECT DISTINCT c.product_id, c.category
        FROM sources s CROSS JOIN LATERAL (
          SELECT p.product_id, p.category FROM search_postings p
          WHERE p.lexeme = s.lexeme
          ORDER BY p.score DESC, p.created_at DESC, p.product_id DESC
          LIMIT ${query.countUpTo + 1}
        ) c
      )
    SELECT
      (SELECT array_agg(product_id::text ORDER BY score DESC, created_at DESC, product_id DESC) FROM page) AS ids,
      (SELECT count(*)::int FROM matches) AS matched,
      (SELECT coalesce(json_agg(json_build_object('category', f.category, 'count', f.n)
          ORDER BY f.n DESC, f.category), '[]'::json)
       FROM (SELECT category, count(*)::int AS n FROM matches GROUP BY category) f) AS facets`);
  const row = result.rows[0]!;
  return { ids: row.ids ?? [], matched: row.matched, facets: row.facets };
}
