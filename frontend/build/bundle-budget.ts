import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The first page may load at most this much JavaScript, gzipped (kB as Vite prints them: 1,000 bytes). */
const INITIAL_JS_BUDGET_BYTES = 100_000;

// nginx serves the assets with gzip_comp_level 5 (deploy/nginx); measure what a browser really downloads.
const GZIP_LEVEL = 5;

/** The part of a Rollup output chunk the budget reads; kept structural so tests can hand in plain objects. */
interface BudgetChunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  imports: string[];
  code: string;
}

export type BudgetBundle = Record<string, BudgetChunk | { type: 'asset' }>;

interface InitialFile {
  fileName: string;
  gzipBytes: number;
}

/** The entry chunks and everything they import statically: what index.html loads before the first paint. */
export function initialFiles(bundle: BudgetBundle): InitialFile[] {
  const chunks = new Map<string, BudgetChunk>();
  for (const item of Object.values(bundle)) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const seen = new Set<string>();
  const visit = (chunk: BudgetChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const name of chunk.imports) {
      const imported = chunks.get(name);
      if (imported) visit(imported);
    }
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk);
  return [...seen].map((fileName) => ({
    fileName,
    gzipBytes: gzipSync(chunks.get(fileName)?.code ?? '', { level: GZIP_LEVEL }).length,
  }));
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** One line per file and a total against the budget; `over` says whether the build must fail. */
export function checkBudget(files: InitialFile[], budget = INITIAL_JS_BUDGET_BYTES) {
  const total = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  const lines = [...files]
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .map((file) => `  ${kB(file.gzipBytes).padStart(9)}  ${file.fileName}`);
  const summary = `Initial JS (index.html's entry and its static imports): ${kB(total)} gzip of a ${kB(budget)} budget.`;
  const report = [summary, ...lines].join('\n');
  if (total <= budget) return { total, over: false, report };
  const advice =
    'The first page loads too much JavaScript. Load what the first paint does not need with a dynamic import() ' +
    '(a lazy route or component), or drop the dependency that grew.';
  return { total, over: true, report: `${report}\n${kB(total - budget)} over the budget. ${advice}` };
}

/** Fails `vite build` when the first page's JavaScript grows past the budget. */
export function bundleBudget(budget = INITIAL_JS_BUDGET_BYTES): Plugin {
  return {
    name: 'marketplace-bundle-budget',
    apply: 'build',
    enforce: 'post',
    writeBundle(_options, bundle) {
      const result = checkBudget(initialFiles(bundle), budget);
      if (result.over) this.error(result.report);
      this.info(result.report);
    },
  };
}
