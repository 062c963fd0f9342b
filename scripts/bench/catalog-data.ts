// Synthetic catalog rows for the catalog benchmark, generated inside PostgreSQL (generate_series),
// so a million products load without a million round trips.
import { sql, sqlValue } from '../lib/infra.js';

const ADJECTIVES = [
  'sturdy',
  'elegant',
  'compact',
  'vintage',
  'modern',
  'rustic',
  'bright',
  'quiet',
  'portable',
  'classic',
  'handmade',
  'foldable',
  'soft',
  'durable',
  'light',
  'heavy',
  'smart',
  'simple',
  'deluxe',
  'tiny',
  'large',
  'round',
  'square',
  'warm',
  'cool',
  'fresh',
  'bold',
  'gentle',
  'rapid',
  'silent',
  'golden',
  'silver',
  'crimson',
  'azure',
  'emerald',
  'ivory',
  'amber',
  'charcoal',
  'coral',
  'olive',
];
const NOUNS = [
  'lamp',
  'chair',
  'table',
  'backpack',
  'kettle',
  'notebook',
  'jacket',
  'speaker',
  'blanket',
  'mug',
  'racket',
  'puzzle',
  'shovel',
  'candle',
  'clock',
  'bottle',
  'helmet',
  'scarf',
  'pillow',
  'drone',
  'camera',
  'guitar',
  'sneaker',
  'teapot',
  'bicycle',
  'tent',
  'novel',
  'atlas',
  'planter',
  'hammock',
  'skillet',
  'monitor',
  'keyboard',
  'headset',
  'wallet',
  'umbrella',
  'glove',
  'basket',
  'mirror',
  'rug',
  'vase',
  'drill',
  'ladder',
  'kite',
  'yo-yo',
  'board game',
  'cookbook',
  'sweater',
  'boots',
  'watch',
  // Searched by the bench: a word a misspelling should find, and a two-letter one.
  'headphones',
  'tv',
  'tv stand',
];
const MATERIALS = [
  'oak',
  'walnut',
  'steel',
  'cotton',
  'wool',
  'linen',
  'bamboo',
  'glass',
  'ceramic',
  'leather',
  'copper',
  'brass',
  'aluminium',
  'pine',
  'cedar',
  'silk',
  'denim',
  'marble',
  'granite',
  'cork',
  'rattan',
  'felt',
  'canvas',
  'nylon',
  'titanium',
  'porcelain',
  'teak',
  'maple',
  'birch',
  'cherry',
  'slate',
  'jute',
  'hemp',
  'velvet',
  'suede',
  'acrylic',
  'resin',
  'clay',
  'stone',
  'tin',
  'zinc',
  'pewter',
  'iron',
  'rubber',
  'foam',
  'paper',
  'cardboard',
  'plywood',
  'wicker',
  'terracotta',
];
const USES = [
  'the kitchen',
  'the garden',
  'long trips',
  'the office',
  'rainy days',
  'kids',
  'camping',
  'reading',
  'the living room',
  'gifts',
  'winter',
  'summer',
  'the workshop',
  'students',
  'travel',
];
const CATEGORIES = ['books', 'clothing', 'electronics', 'garden', 'home', 'sports', 'toys', 'other'];

const literal = (words: readonly string[]): string =>
  `array[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`;

/** Inserts products numbered from..to (inclusive); every 50th is archived, the rest active. */
export async function insertProducts(url: string, from: number, to: number): Promise<void> {
  const pick = (words: readonly string[], mult: number) => `(${literal(words)})[1 + ((i * ${mult}) % ${words.length})]`;
  const text = `
    insert into products (seller_id, seller_name, name, description, category, price, stock, status, created_at, updated_at)
    select md5('bench-seller-' || (i % 20))::uuid,
           'bench-seller-' || (i % 20),
           initcap(${pick(ADJECTIVES, 7919)}) || ' ' || ${pick(NOUNS, 104729)} || ' ' || i,
           'A ' || ${pick(ADJECTIVES, 31)} || ' ' || ${pick(NOUNS, 7)} || ' made of ' || ${pick(MATERIALS, 1299709)} || ', ideal for ' || ${pick(USES, 13)} || '.',
           ${pick(CATEGORIES, 17)},
           ((i * 7919) % 99900 + 100) / 100.0,
           (i * 31) % 1000,
           case when i % 50 = 0 then 'archived' else 'active' end,
           timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second',
           timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
    from generate_series(${Number(from)}::bigint, ${Number(to)}::bigint) as i`;
  await sql(url, text).catch((err: unknown) => {
    throw new Error(`loading products ${from}..${to} failed: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/**
 * Refreshes statistics and the visibility map, as autovacuum would shortly after a bulk load: of
 * products and, where the schema has it, of the search postings the load's triggers filled.
 */
export async function analyze(url: string): Promise<void> {
  const postings = (await sqlValue(url, "select to_regclass('search_postings') is not null")) === 'true';
  await sql(url, `vacuum (analyze) products${postings ? ', search_postings' : ''}`).catch((err: unknown) => {
    throw new Error(`vacuum analyze failed: ${err instanceof Error ? err.message : String(err)}`);
  });
}

export async function productCount(url: string): Promise<number> {
  return Number(await sqlValue(url, 'select count(*) from products'));
}
