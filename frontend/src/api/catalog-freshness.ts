/**
 * nginx shares the catalog's public reads for CATALOG_CACHE_SECONDS (at most 60). After this browser
 * changed what the catalog shows (a product; stock, through an order or a cancel), its catalog reads
 * ask for a fresh answer (which refreshes the shared copy too) for as long as a copy from before the
 * change may live, so a seller sees its own edit and a buyer its own purchase at once.
 */
const SHARED_COPY_MAX_MS = 60_000;

let freshUntil = 0;

export function noteCatalogChange(now = Date.now()): void {
  freshUntil = now + SHARED_COPY_MAX_MS;
}

/** Headers of a catalog read: `Cache-Control: no-cache` while a shared copy may predate this browser's change. */
export function catalogReadHeaders(now = Date.now()): Record<string, string> {
  return now < freshUntil ? { 'Cache-Control': 'no-cache' } : {};
}
