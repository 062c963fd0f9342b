// The catalog part of `npm run bench`: at least 1,000 distinct list URLs through nginx while orders sell
// stock, then a bare Node server answering the same bytes for the same URLs through the same nginx.
import { SetupError } from '../lib/proc.js';
import { type LoopFigures, BARE_PATH, closedLoop, routeBareThroughNginx, startBareServer } from './catalog-nginx.js';
import { WALK_SHARE, catalogPaths, createUrlPicker } from './catalog-urls.js';
import { measuredStep } from './harness.js';
import { type HttpClient, createClient, mapLimit } from './http-client.js';
import { createTracker, errorCount, runStep } from './order-load.js';
import { type Market } from './seed.js';
import { type BenchSettings } from './settings.js';
import { ms, percent, rate, ratio } from './stats.js';
import { type Target } from './target.js';

/** The orders placed beside one catalog measurement (open loop, not followed). */
export interface SideOrders {
  target: number;
  placedPerSecond: number;
  accepted: number;
  errors: number;
  uncertain: number;
  postP99: number | null;
}

export interface CatalogResults {
  urls: number;
  bytes: number;
  connections: number;
  seconds: number;
  catalog: LoopFigures;
  bare: LoopFigures;
  ratio: number | null;
  orders: { catalog: SideOrders | null; bare: SideOrders | null };
}

const queryOf = (path: string) => path.slice(path.indexOf('?') + 1);

/** Each URL's answer, asked fresh (past nginx's copy): the bare server's bytes, and proof that every URL answers. */
async function answersOf(client: HttpClient, paths: string[]): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  await mapLimit(paths, 8, async (path) => {
    const res = await client.request('GET', path, { headers: { 'cache-control': 'no-cache' } });
    if (res.status !== 200 || res.error) {
      throw new SetupError(`GET ${path} answered ${res.status}: ${res.body?.slice(0, 200) ?? res.error?.message}`);
    }
    bodies.set(queryOf(path), res.body);
  });
  return bodies;
}

export async function measureCatalog(
  s: BenchSettings,
  target: Target & { nginx: NonNullable<Target['nginx']> },
  market: Market,
): Promise<CatalogResults> {
  const client = createClient(target.url, { maxSockets: s.catalogConnections });
  const orderClient = createClient(target.url, { maxSockets: 64 });
  const paths = catalogPaths(s.catalogUrls);
  const bodies = await measuredStep(
    `reading the ${paths.length} catalog URLs once`,
    () => answersOf(client, paths),
    (b) => `${b.size} answers`,
  );
  const bare = await startBareServer(bodies);
  const barePaths = paths.map((path) => `${BARE_PATH}?${queryOf(path)}`);
  const counter = { next: 0 };

  /** Runs `measure` while orders are placed at BENCH_CATALOG_ORDER_RATE for as long as it lasts. */
  async function whileSelling(measure: () => Promise<LoopFigures>) {
    if (s.catalogOrderRate === 0) return { figures: await measure(), orders: null };
    const tracker = createTracker(orderClient, { maxStreams: 0, pollMs: s.pollMs, timeoutMs: 1000 });
    const [figures, step] = await Promise.all([
      measure(),
      runStep({
        client: orderClient,
        tracker,
        market,
        rate: s.catalogOrderRate,
        seconds: s.catalogSeconds,
        maxInFlight: s.maxInFlight,
        progressEverySeconds: 3600,
        label: 'orders beside the catalog',
        counter,
      }),
    ]);
    const orders: SideOrders = {
      target: s.catalogOrderRate,
      placedPerSecond: step.accepted / step.seconds,
      accepted: step.accepted,
      errors: errorCount(step.errors) + step.skipped,
      uncertain: errorCount(step.errors, (kind) => !/^HTTP 4/.test(kind)),
      postP99: step.post.percentile(99),
    };
    return { figures, orders };
  }

  const describe = ({ figures: r, orders }: Awaited<ReturnType<typeof whileSelling>>) =>
    `${rate(r.perSecond)} req/s, p99 ${ms(r.p99)}, ${r.distinct} distinct URLs, ${r.errors} errors` +
    (orders ? `; orders ${rate(orders.placedPerSecond)}/s placed, ${orders.errors} errors` : '');
  try {
    await routeBareThroughNginx(target.nginx, target.url, bare.port, barePaths[0]);
    const loop = { connections: s.catalogConnections, seconds: s.catalogSeconds };
    await closedLoop(client, createUrlPicker(paths, 1), { ...loop, seconds: 2 }); // warm-up, another sequence
    // The same sequence of URLs for both: the bare side asks for each catalog URL's twin.
    const toBare = new Map(paths.map((path, i) => [path, barePaths[i]!]));
    const load = (bareSide: boolean) => () => {
      const pick = createUrlPicker(paths);
      return whileSelling(() => closedLoop(client, bareSide ? (c) => toBare.get(pick(c))! : pick, loop));
    };
    const selling = s.catalogOrderRate ? `, orders at ${s.catalogOrderRate}/s` : '';
    const catalog = await measuredStep(
      `catalog, ${paths.length} URLs ×${s.catalogConnections} connections, ${s.catalogSeconds}s${selling}`,
      load(false),
      describe,
    );
    const floor = await measuredStep(
      `bare Node server, same URLs and bytes, same nginx${selling}`,
      load(true),
      describe,
    );
    return {
      urls: paths.length,
      bytes: catalog.figures.bytes,
      connections: s.catalogConnections,
      seconds: s.catalogSeconds,
      catalog: catalog.figures,
      bare: floor.figures,
      ratio: ratio(catalog.figures.perSecond, floor.figures.perSecond),
      orders: { catalog: catalog.orders, bare: floor.orders },
    };
  } finally {
    await bare.close();
    await Promise.all([client.close(), orderClient.close()]);
  }
}

const cacheMix = (cache: Record<string, number>) => {
  const total = Object.values(cache).reduce((a, b) => a + b, 0);
  return Object.entries(cache)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${status} ${percent(n / total)}`)
    .join(', ');
};

/** The catalog's table, the ratio and what nginx's cache answered. */
export function formatCatalog(c: CatalogResults, table: (head: string[], rows: string[][]) => string): string {
  const row = (label: string, r: LoopFigures, orders: SideOrders | null) => [
    label,
    rate(r.perSecond),
    ms(r.p50),
    ms(r.p99),
    String(r.errors),
    orders ? `${rate(orders.placedPerSecond)}/s, ${orders.errors} errors` : '–',
  ];
  return (
    `\nCatalog (${c.catalog.distinct} of ${c.urls} list URLs asked for: Zipf-distributed, ${percent(WALK_SHARE)} walking all; ` +
    `${c.connections} connections, ${c.seconds}s each, ${c.bytes}-byte mean body)\n` +
    `${table(
      ['through nginx', 'req/s', 'p50', 'p99', 'errors', 'orders placed meanwhile'],
      [
        row('GET /api/products?… (the URL mix)', c.catalog, c.orders.catalog),
        row(`bare Node server (${BARE_PATH}?…, same bytes)`, c.bare, c.orders.bare),
      ],
    )}\n` +
    `nginx cache answers: ${cacheMix(c.catalog.cache) || '–'}\n` +
    `catalog ÷ bare: ${percent(c.ratio)} of the floor's throughput\n`
  );
}
