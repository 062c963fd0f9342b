import { CATALOG_CATEGORIES, catalogPaths, createUrlPicker } from '../../scripts/bench/catalog-urls.js';

const queryOf = (path: string) => new URLSearchParams(path.slice(path.indexOf('?') + 1));

describe('the catalog URLs of the bench', () => {
  it('when 1,200 are asked for, then they are distinct list URLs with pages, categories, sorts and searches', () => {
    const paths = catalogPaths(1200);

    expect(new Set(paths).size).toBe(1200);
    const queries = paths.map(queryOf);
    expect(paths.every((path) => path.startsWith('/api/products?'))).toBe(true);
    expect(queries.every((q) => q.get('pageSize') === '12' && q.has('sort') && q.has('page'))).toBe(true);
    expect(new Set(queries.map((q) => q.get('page')))).toEqual(new Set(['1', '2', '3']));
    expect(new Set(queries.map((q) => q.get('category')).filter(Boolean))).toEqual(new Set(CATALOG_CATEGORIES));
    expect(new Set(queries.map((q) => q.get('sort')))).toEqual(
      new Set(['relevance', 'newest', 'price_asc', 'price_desc', 'name']),
    );
    const searches = queries.filter((q) => q.has('q')).length;
    expect(searches).toBeGreaterThan(600);
    expect(searches).toBeLessThan(800);
    expect(paths).toContain('/api/products?sort=newest&page=1&pageSize=12');
  });

  it('when more URLs are asked for than the combinations hold, then it refuses', () => {
    expect(() => catalogPaths(100_000)).toThrow(/distinct catalog URLs/);
  });

  it('when two pickers share a seed, then each connection gets the same sequence, the front door most often and every URL in time', () => {
    const paths = catalogPaths(1200);
    const [a, b] = [createUrlPicker(paths), createUrlPicker(paths)];
    const counts = new Map<string, number>();
    const walk = createUrlPicker(paths);

    const first = Array.from({ length: 50 }, () => a(3));
    const second = Array.from({ length: 50 }, () => b(3));
    for (let i = 0; i < 12_000; i += 1) {
      const path = walk(i % 16);
      counts.set(path, (counts.get(path) ?? 0) + 1);
    }

    expect(second).toEqual(first);
    expect(counts.size).toBe(1200);
    const ranked = [...counts.entries()].sort(([, x], [, y]) => y - x);
    expect(ranked[0]![0]).toBe('/api/products?sort=newest&page=1&pageSize=12');
    expect(ranked[0]![1]).toBeGreaterThan(10 * ranked[100]![1]);
  });
});
