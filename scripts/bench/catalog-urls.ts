// The list URLs the catalog part of `npm run bench` asks for: the query strings the SPA's catalog page
// sends (frontend/src/api/products-api.ts), over the words and categories the bench's products carry.

/** The catalog's categories (CATEGORIES of the contracts), spread over the bench products. */
export const CATALOG_CATEGORIES = ['books', 'clothing', 'electronics', 'garden', 'home', 'sports', 'toys', 'other'];

/** Words in the bench products' names (seed.ts), so searches find something. */
export const PRODUCT_WORDS = ['oak', 'walnut', 'steel', 'linen', 'wool', 'lamp', 'chair', 'kettle', 'shelf', 'rug'];

/** What visitors type: single words, two words, a misspelling, two letters. */
const SEARCHES = [...PRODUCT_WORDS, 'oak lamp', 'steel kettle', 'wool rug', 'linen chair', 'walnt', 'ketle', 'la'];
/** The sorts the page offers; it always names one (relevance for a search, newest without). */
const SORTS_WITH_SEARCH = ['relevance', 'price_asc', 'price_desc', 'newest', 'name'];
const SORTS = ['newest', 'price_asc', 'price_desc', 'name'];
/** Price bands of the filter, as typed (the seed's prices run from 5 to about 205). */
const PRICE_BANDS: [string, string][] = [
  ['', ''],
  ['', '50'],
  ['20', '100'],
  ['100', ''],
];
const PAGE_SIZE = 12;

/** A small, seeded generator: the same URL mix every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The query string the SPA sends for one choice of filters: empty values left out, fields in its order. */
function catalogQuery(choice: {
  q?: string;
  category?: string;
  sort: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  page: number;
}): string {
  const params = new URLSearchParams();
  for (const [key, value] of [
    ['q', choice.q],
    ['category', choice.category],
    ['sort', choice.sort],
    ['minPrice', choice.minPrice],
    ['maxPrice', choice.maxPrice],
    ['inStock', choice.inStock ? 'true' : undefined],
    ['page', String(choice.page)],
    ['pageSize', String(PAGE_SIZE)],
  ] as const) {
    if (value) params.append(key, value);
  }
  return params.toString();
}

function shuffled<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Browsing (no search) this share of the URLs, searching the rest. */
const BROWSING_SHARE = 0.4;

/**
 * `count` distinct /api/products?… paths in a shuffled order: 40 % browsing (category or all × sort ×
 * price band × in-stock flag × pages 1–3), 60 % searches (the same choices with a search's sorts),
 * the shallowest of each.
 * Throws when `count` exceeds the combinations.
 */
export function catalogPaths(count: number, seed = 20261201): string[] {
  const browsing: string[] = [];
  const searching: string[] = [];
  for (const q of ['', ...SEARCHES]) {
    for (const category of ['', ...CATALOG_CATEGORIES]) {
      for (const sort of q ? SORTS_WITH_SEARCH : SORTS) {
        for (const [minPrice, maxPrice] of PRICE_BANDS) {
          for (const inStock of [false, true]) {
            for (const page of [1, 2, 3]) {
              const path = `/api/products?${catalogQuery({ q, category, sort, minPrice, maxPrice, inStock, page })}`;
              (q ? searching : browsing).push(path);
            }
          }
        }
      }
    }
  }
  const browse = Math.min(browsing.length, Math.round(count * BROWSING_SHARE));
  if (count - browse > searching.length) {
    throw new Error(`only ${browsing.length + searching.length} distinct catalog URLs; asked for ${count}`);
  }
  const next = random(seed);
  // The shallowest of each (first pages, fewest filters) are kept, as visitors reach those most; ties at random.
  const shallowest = (paths: string[], n: number) =>
    shuffled(paths, next)
      .map((path) => ({ path, depth: depthOf(path) }))
      .sort((a, b) => a.depth - b.depth)
      .slice(0, n)
      .map((entry) => entry.path);
  return shuffled([...shallowest(browsing, browse), ...shallowest(searching, count - browse)], next);
}

/** How far a URL is from the catalog's front door: its page beyond the first and each filter or sort chosen. */
function depthOf(path: string): number {
  const query = new URLSearchParams(path.slice(path.indexOf('?') + 1));
  const sort = query.get('sort');
  const defaultSort = query.has('q') ? 'relevance' : 'newest';
  return (
    Number(query.get('page') ?? 1) -
    1 +
    ['q', 'category', 'minPrice', 'maxPrice', 'inStock'].filter((key) => query.has(key)).length +
    (sort && sort !== defaultSort ? 1 : 0)
  );
}

/** Share of the requests that walk every URL in turn, so the rarest are asked for too. */
export const WALK_SHARE = 0.1;

/**
 * Picks the next URL of a connection the way visitors spread over a catalog: most requests follow a
 * Zipf law (the k-th most visited URL is asked for 1/k as often as the first), URLs nearer the front
 * door (first pages, fewer filters) ranking higher; every tenth walks all URLs in turn, shared by the
 * connections, so each one is asked for. The same seed gives every run, and both sides of the
 * comparison, the same sequence per connection.
 */
export function createUrlPicker(paths: readonly string[], seed = 7): (connection: number) => string {
  const ranked = paths
    .map((path, index) => ({ path, index, depth: depthOf(path) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((entry) => entry.path);
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= ranked.length; k += 1) cumulative.push((sum += 1 / k));
  const randoms = new Map<number, () => number>();
  const counts = new Map<number, number>();
  let walked = 0;
  return (connection) => {
    const n = (counts.get(connection) ?? 0) + 1;
    counts.set(connection, n);
    if (n % Math.round(1 / WALK_SHARE) === 0) return ranked[walked++ % ranked.length]!;
    let next = randoms.get(connection);
    if (!next) randoms.set(connection, (next = random(seed * 1000 + connection)));
    const target = next() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return ranked[low]!;
  };
}
