// Lighthouse against the running system: the four category scores and the SPA's initial JS size.
// Not a test: it prints figures and exits 0 unless Lighthouse itself cannot run.
//
//   npm run lighthouse                       starts a throwaway stack (builds first), audits it, stops it
//   LIGHTHOUSE_URL=http://host:8080/ npm run lighthouse    audits a stack that is already up
//   --no-build      skip `npm run build` when starting the stack (frontend/dist must exist)
//   --desktop       desktop preset instead of Lighthouse's default (mobile, throttled)
//   CHROME_PATH     browser to drive; defaults to Debian's chromium package
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_PATH, ensureChromium } from './lib/infra.js';
import { findFreePort } from './lib/net.js';
import { repoRoot } from './lib/proc.js';
import { type Stack, dropStackData, startStack } from './lib/stack.js';

interface JsFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

interface LighthouseReport {
  lighthouseVersion: string;
  finalDisplayedUrl?: string;
  finalUrl?: string;
  categories: Record<string, { title?: string; score?: number | null } | undefined>;
  audits: Record<
    string,
    | {
        title: string;
        displayValue?: string;
        details?: { items?: { resourceType?: string; transferSize: number; requestCount: number }[] };
      }
    | undefined
  >;
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const args = new Set(process.argv.slice(2));
const distDir = path.join(repoRoot, 'frontend', 'dist');
const reportDir = path.join(repoRoot, '.local', 'lighthouse');

/** The JavaScript a first visit must download before the app runs: the entry script and what it preloads. */
function initialJs(dir = distDir): JsFile[] {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
  const files = [...new Set([...scripts, ...preloads])].filter((src) => src.startsWith('/'));
  return files.map((src) => {
    const body = readFileSync(path.join(dir, src));
    // Level 5 is what the nginx configuration serves with (gzip_comp_level 5).
    return { file: src, bytes: body.length, gzipBytes: gzipSync(body, { level: 5 }).length };
  });
}

async function runLighthouse(url: string, chromePath: string, outputPath: string): Promise<void> {
  const cli = createRequire(import.meta.url).resolve('lighthouse/cli/index.js');
  const chromeFlags = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ].join(' ');
  const cliArgs = [
    cli,
    url,
    '--output=json',
    `--output-path=${outputPath}`,
    `--only-categories=${CATEGORIES.join(',')}`,
    `--chrome-flags=${chromeFlags}`,
    '--quiet',
    ...(args.has('--desktop') ? ['--preset=desktop'] : []),
  ];
  const result = await execa(process.execPath, cliArgs, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { CHROME_PATH: chromePath },
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`lighthouse exited with ${result.exitCode ?? result.signal ?? '?'}`);
}

function printReport(reportPath: string, js: JsFile[]): void {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as LighthouseReport;
  const pad = (text: string, width: number) => String(text).padEnd(width);
  process.stdout.write(`\nLighthouse ${report.lighthouseVersion} · ${report.finalDisplayedUrl ?? report.finalUrl}\n`);
  for (const id of CATEGORIES) {
    const category = report.categories[id];
    const score = category?.score == null ? 'n/a' : Math.round(category.score * 100);
    process.stdout.write(`  ${pad(category?.title ?? id, 16)} ${String(score)}\n`);
  }
  const metrics = [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
  ];
  for (const id of metrics) {
    const audit = report.audits[id];
    if (audit?.displayValue) process.stdout.write(`  ${pad(audit.title, 26)} ${audit.displayValue}\n`);
  }
  const gzip = js.reduce((sum, f) => sum + f.gzipBytes, 0);
  const raw = js.reduce((sum, f) => sum + f.bytes, 0);
  process.stdout.write(
    `\nInitial JS: ${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw) in ${js.length} file(s)\n`,
  );
  for (const f of js) process.stdout.write(`  ${f.file}  ${(f.gzipBytes / 1024).toFixed(1)} KB gzip\n`);
  const scripts = report.audits['resource-summary']?.details?.items?.find((item) => item.resourceType === 'script');
  if (scripts)
    process.stdout.write(
      `JS transferred on the audited load: ${(scripts.transferSize / 1024).toFixed(1)} KB in ${scripts.requestCount} request(s)\n`,
    );
  process.stdout.write(`Full report: ${path.relative(repoRoot, reportPath)}\n`);
}

/** The throwaway stack's database and stream suffixes, dropped again at the end. */
const LIGHTHOUSE_DATA = { dbSuffix: '_lighthouse', streamSuffix: '_lighthouse' };

async function main(): Promise<void> {
  const chromePath = process.env.CHROME_PATH || (existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : await ensureChromium());
  mkdirSync(reportDir, { recursive: true });
  const reportPath = path.join(reportDir, `report-${Date.now()}.json`);

  let stack: Stack | undefined;
  let url = process.env.LIGHTHOUSE_URL;
  try {
    if (!url) {
      const port = await findFreePort(8097);
      stack = await startStack({ ...LIGHTHOUSE_DATA, port, build: !args.has('--no-build') });
      url = `${stack.url}/`;
    }
    if (!existsSync(path.join(distDir, 'index.html')))
      throw new Error('frontend/dist/index.html is missing; run npm run build first');
    process.stdout.write(`• lighthouse ${url} (Chromium at ${chromePath}) …\n`);
    await runLighthouse(url, chromePath, reportPath);
    printReport(reportPath, initialJs());
  } finally {
    if (stack) {
      await stack.stop();
      await dropStackData(stack.adminUrl, stack.redisUrl, LIGHTHOUSE_DATA);
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`lighthouse: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
