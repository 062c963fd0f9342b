import { DEMO_USERS, type Category } from '@market/contracts';
import type { Logger } from '@market/kit';
import sharp from 'sharp';
import type { Db } from '../data/db';
import { insertImage } from '../data/image-repository';
import type { ImageStore } from '../data/image-store';
import { insertProductsIfAbsent, type NewProduct } from '../data/product-repository';
import { encodeVariants } from './image-processing';

type DemoSeller = keyof Pick<typeof DEMO_USERS, 'seller' | 'otherSeller'>;
type DemoProduct = [DemoSeller, string, Category, string, number, string];

/** Fixed ids, so seeding again (every start in demo mode) inserts nothing twice and keeps edits. */
const demoId = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

const PRODUCTS: DemoProduct[] = [
  ['seller', 'Trail running shoes', 'sports', '89.90', 120, 'Light, grippy shoes for muddy paths.'],
  ['seller', 'Yoga mat', 'sports', '24.50', 300, 'Non-slip mat, 6 mm thick.'],
  ['seller', 'Mechanical keyboard', 'electronics', '129.00', 80, 'Tenkeyless, hot-swappable switches.'],
  ['seller', 'Noise-cancelling headphones', 'electronics', '199.99', 60, 'Over-ear, 30 hours of battery.'],
  ['seller', 'Cast iron skillet', 'home', '39.95', 150, 'Pre-seasoned 26 cm pan.'],
  ['seller', 'The Pragmatic Programmer', 'books', '42.00', 200, 'Twentieth-anniversary edition.'],
  ['otherSeller', 'Raised garden bed', 'garden', '74.99', 90, 'Cedar wood, 120 x 60 cm.'],
  ['otherSeller', 'Pruning shears', 'garden', '18.75', 250, 'Bypass blades for branches up to 2 cm.'],
  ['otherSeller', 'Wooden train set', 'toys', '54.00', 110, '48 pieces, no batteries needed.'],
  ['otherSeller', 'Rain jacket', 'clothing', '64.90', 140, 'Waterproof and breathable, packs into its pocket.'],
  ['otherSeller', 'Merino wool socks (3 pairs)', 'clothing', '21.00', 400, 'Warm, soft and odour-resistant.'],
  ['otherSeller', 'Desk lamp', 'home', '33.33', 180, 'Dimmable LED with a warm white setting.'],
  ['otherSeller', 'Gift card holder', 'other', '5.00', 1000, 'A small card sleeve for presents.'],
  // Short words, model names and near-neighbours that show the search: "tv", "PS5", "C#", "headphnes".
  ['seller', 'Samsung 55" 4K TV', 'electronics', '549.00', 60, 'Smart television with HDR and three HDMI ports.'],
  [
    'seller',
    'Wireless earbuds',
    'electronics',
    '79.00',
    150,
    'In-ear buds with a charging case; lighter than headphones.',
  ],
  [
    'seller',
    'PS5 DualSense controller',
    'electronics',
    '69.99',
    90,
    'Wireless controller for the PlayStation 5 console.',
  ],
  ['seller', 'C# in Depth', 'books', '44.00', 60, 'Jon Skeet explains the C# language feature by feature.'],
  ['otherSeller', 'TV stand in oak', 'home', '189.00', 75, 'Low sideboard for a television up to 65 inches.'],
  ['otherSeller', 'Espresso machine', 'home', '349.00', 50, '15 bar pump and a steam wand for milk.'],
];

function demoProducts(): NewProduct[] {
  return PRODUCTS.map(([seller, name, category, price, stock, description], i) => ({
    id: demoId(i + 1),
    sellerId: DEMO_USERS[seller].id,
    sellerName: DEMO_USERS[seller].username,
    name,
    description,
    category,
    price,
    stock,
  }));
}

/** Colours per category, so the generated pictures tell the categories apart. */
const PALETTE: Record<Category, [string, string]> = {
  books: ['#7c2d12', '#fbbf24'],
  clothing: ['#1e3a8a', '#93c5fd'],
  electronics: ['#111827', '#22d3ee'],
  garden: ['#14532d', '#86efac'],
  home: ['#78350f', '#fde68a'],
  sports: ['#9a3412', '#fdba74'],
  toys: ['#6b21a8', '#f0abfc'],
  other: ['#374151', '#d1d5db'],
};

/** An abstract picture (gradient and circles, no text: no fonts needed) drawn from the product's number. */
async function demoPicture(n: number, category: Category): Promise<Buffer> {
  const [dark, light] = PALETTE[category];
  const circles = [0, 1, 2]
    .map((i) => {
      const x = 160 + ((n * 97 + i * 211) % 640);
      const y = 140 + ((n * 53 + i * 137) % 440);
      return `<circle cx="${x}" cy="${y}" r="${70 + ((n + i) % 4) * 30}" fill="${light}" fill-opacity="${0.35 + i * 0.2}"/>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="720">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${dark}"/><stop offset="1" stop-color="${light}"/></linearGradient></defs>
    <rect width="960" height="720" fill="url(#g)"/>${circles}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * Inserts the demo catalog rows that are missing; existing rows (perhaps edited or sold) stay as
 * they are. Each product inserted now gets a generated picture, so the demo catalog shows images
 * without shipping any.
 */
export async function seedDemoCatalog(db: Db, logger: Logger, store: ImageStore): Promise<number> {
  const rows = demoProducts();
  const inserted = new Set(await insertProductsIfAbsent(db, rows));
  for (const [i, row] of rows.entries()) {
    if (!inserted.has(row.id!)) continue;
    const variants = await encodeVariants(await demoPicture(i + 1, row.category as Category), 1_000_000);
    await Promise.all(variants.map((variant) => store.put(variant.key, variant.bytes)));
    await insertImage(db, {
      productId: row.id!,
      position: 0,
      alt: `Illustration for ${row.name}: soft circles over a colour gradient`,
      variants: variants.map(({ key, width, height }) => ({ key, width, height })),
    });
  }
  logger.info({ inserted: inserted.size }, 'demo catalog seeded');
  return inserted.size;
}
