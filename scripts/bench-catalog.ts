// `npm run bench:catalog`: the public catalog at 10,000 and then 1,000,000 products — p50/p99 of the
// first page, a deep page and a search through nginx, and how each grows as a ratio. Settings: docs/benchmarks.md.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze, insertProducts, productCount } from './bench/catalog-data.js';
import { type HttpClient, createClient } from './bench/http-client.js';
import { measuredStep, runBench } from './bench/harness.js';
import { heading, table, writeResults } from './bench/report.js';
import { envFlag, envNumber, envNumbers, envText } from './bench/settings.js';
import { Samples, type Summary, ms, ratio, times } from './bench/stats.js';
import { SetupError, formatDuration, repoRoot, step } from './lib/proc.js';
import { databaseNames, databaseUrl, dropStackData } from './lib/stack.js';

const started = performance.now();

function readSettings() {
  const sizes = envNumbers('BENCH_CATALOG_SIZES', [10_000, 1_000_000], { min: 1, max: 10_000_000 });
  if (sizes.some((size, i) => i > 0 && size <= (sizes[i - 1] ?? 0)))
    throw new SetupError('BENCH_CATALOG_SIZES must increase, e.g. 10000,1000000');
  const pageSize = envNumber('BENCH_CATALOG_PAGE_SIZE', 20, { min: 1, max: 100 });
  return {
    port: envNumber('BENCH_CATALOG_PORT', 8098, { min: 1, max: 65535 }),
    // Database and stream names end with it: two runs on one machine need different suffixes.
    suffix: envText('BENCH_CATALOG_SUFFIX', '_benchcat', /^_[a-z0-9_]{1,30}$/),
    build: envFlag('BENCH_BUILD', true),
    keep: envFlag('BENCH_KEEP', false),
    sizes,
    pageSize,
    // Deep enough to make OFFSET work, shallow enough to exist in the smallest catalog, so both sizes answer the same page.
    deepPage: envNumber('BENCH_CATALOG_DEEP_PAGE', Math.max(1, Math.floor(((sizes[0] ?? 0) * 0.8) / pageSize)), {
      min: 1,
      max: 100_000,
    }),
    query: envText('BENCH_CATALOG_QUERY', 'walnut', /^[\w -]{1,100}$/),
    samples: envNumber('BENCH_CATALOG_SAMPLES', 100, { min: 1, max: 100_000 }),
    warmup: envNumber('BENCH_CATALOG_WARMUP', 10, { min: 0, max: 10_000 }),
    batch: envNumber('BENCH_CATALOG_BATCH', 100_000, { min: 1000, max: 10_000_000 }),
  };
}

type CatalogSettings = ReturnType<typeof readSettings>;

interface Query {
  name: string;
  path: string;
}

type Figures = Summary & { total: number | null };

/** A common word, a misspelling ("headphones"), a two-character query and a two-word one. */
const SEARCHES = ['lamp', 'headphnes', 'tv', 'sturdy lamp'];

function queriesFor(s: CatalogSettings): Query[] {
  const base = `/api/products?pageSize=${s.pageSize}`;
  return [
    { name: 'first page (newest)', path: `${base}&page=1` },
    { name: `deep page (page ${s.deepPage})`, path: `${base}&page=${s.deepPage}` },
    { name: `search q=${s.query}`, path: `${base}&page=1&q=${encodeURIComponent(s.query)}` },
    // The relevance search's fixed set: a common word, a misspelling, two characters, two words.
    ...SEARCHES.map((q) => ({ name: `search q=${q}`, path: `${base}&page=1&q=${encodeURIComponent(q)}` })),
  ];
}

/**
 * Past nginx's shared copy and the service's reuse of a search's word lookups (what the browser
 * sends after its own change), so every sample is the query's own work, not a cache hit.
 */
const UNCACHED = { headers: { 'cache-control': 'no-cache' } };

/** One request at a time, so each figure is the latency a lone visitor sees, not queueing. */
async function measure(client: HttpClient, query: Query, s: CatalogSettings): Promise<Figures> {
  for (let i = 0; i < s.warmup; i += 1) await client.request('GET', query.path, UNCACHED);
  const latency = new Samples();
  let total: number | null = null;
  for (let i = 0; i < s.samples; i += 1) {
    const res = await client.request('GET', query.path, UNCACHED);
    if (res.status !== 200 || res.error)
      throw new SetupError(
        `GET ${query.path} answered ${res.status}: ${res.body?.slice(0, 200) ?? res.error?.message}`,
      );
    latency.add(res.ms);
    total ??= (JSON.parse(res.body) as { pagination?: { total?: number } }).pagination?.total ?? null;
  }
  return { ...latency.summary(), total };
}

async function main(): Promise<void> {
  const s = readSettings();
  process.stdout.write(`Catalog benchmark: ${s.sizes.map((n) => n.toLocaleString('en')).join(' then ')} products\n`);
  const tidy = (pgUrl: string, redisUrl: string) =>
    dropStackData(pgUrl, redisUrl, { dbSuffix: s.suffix, streamSuffix: s.suffix });
  await runBench({ keep: s.keep, tidy }, async ({ pg, facts, startStack }) => {
    const stack = await startStack({
      port: s.port,
      dbSuffix: s.suffix,
      streamSuffix: s.suffix,
      demo: false,
      build: s.build,
      logDir: path.join(repoRoot, '.local', 'logs', 'bench-catalog'),
    });
    const productsUrl = databaseUrl(pg.url, databaseNames(s.suffix).products);
    const client = createClient(stack.url, { maxSockets: 4, timeoutMs: 120_000 });
    const queries = queriesFor(s);
    const rounds: { size: number; loadSeconds: number; results: Record<string, Figures> }[] = [];
    for (const size of s.sizes) {
      heading(`${size.toLocaleString('en')} products`);
      let loaded = await productCount(productsUrl);
      const loadStarted = performance.now();
      while (loaded < size) {
        const to = Math.min(size, loaded + s.batch);
        await step(`loading products ${(loaded + 1).toLocaleString('en')}–${to.toLocaleString('en')}`, () =>
          insertProducts(productsUrl, loaded + 1, to),
        );
        loaded = to;
      }
      await step('vacuum analyze', () => analyze(productsUrl));
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      const results: Record<string, Figures> = {};
      for (const query of queries) {
        results[query.name] = await measuredStep(
          `${query.name}: ${s.samples} requests`,
          () => measure(client, query, s),
          (r) => `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${r.total?.toLocaleString('en')} matches`,
        );
      }
      rounds.push({ size, loadSeconds: Math.round(loadSeconds), results });
    }
    await client.close();

    heading('Results');
    const first = rounds[0];
    const last = rounds.at(-1);
    if (!first || !last) return 0;
    const p = (round: typeof first, q: Query, key: 'p50' | 'p99') => round.results[q.name]?.[key] ?? null;
    const header = [
      'query',
      ...rounds.flatMap((r) => [`${r.size.toLocaleString('en')} p50`, 'p99']),
      ...(rounds.length > 1 ? ['p50 growth', 'p99 growth'] : []),
    ];
    const rows = queries.map((q) => [
      q.name,
      ...rounds.flatMap((r) => [ms(p(r, q, 'p50')), ms(p(r, q, 'p99'))]),
      ...(rounds.length > 1
        ? [times(ratio(p(last, q, 'p50'), p(first, q, 'p50'))), times(ratio(p(last, q, 'p99'), p(first, q, 'p99')))]
        : []),
    ]);
    process.stdout.write(
      `Latency through nginx, one request at a time, ${s.samples} samples after ${s.warmup} warm-up requests; page size ${s.pageSize}\n${table(header, rows)}\n` +
        (rounds.length > 1
          ? `growth = ${last.size.toLocaleString('en')} ÷ ${first.size.toLocaleString('en')} products (the data grew ${times(last.size / first.size)})\n`
          : ''),
    );
    const file = writeResults('catalog', {
      kind: 'bench-catalog',
      environment: facts,
      settings: s,
      rounds,
      durationSeconds: Math.round((performance.now() - started) / 1000),
    });
    process.stdout.write(
      `\nResults written to ${file} (run took ${formatDuration(Math.round(performance.now() - started))})\n`,
    );
    return 0;
  });
}

await main();
