// Tables for the terminal, environment facts and the JSON result file under bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqlValue } from '../lib/infra.js';
import { rel, repoRoot, run, which } from '../lib/proc.js';
import { withRedis } from '../lib/redis.js';

type Cell = string | number | null | undefined;

/** Renders rows (arrays of strings) under headers, numbers right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const all = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '–')));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((row) => /^[\d.,–×%<>~ ]+(ms|s|×|%)?$/.test(String(row[i] ?? '–'))),
  );
  const line = (row: string[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(all[0] ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export const heading = (text: string): boolean => process.stdout.write(`\n${text}\n${'═'.repeat(text.length)}\n`);

/** Core count, versions and date: what a later run needs to know before comparing figures. */
export interface EnvironmentFacts {
  date: string;
  cores: number;
  cpuModel: string | null;
  memoryGiB: number;
  platform: string;
  loadAverage: number[];
  versions: { node: string; postgres: string | null; redis: string | null; nginx: string | null };
  commit: string | null;
}

export async function environmentFacts({
  pgUrl,
  redisUrl,
}: {
  pgUrl?: string;
  redisUrl: string;
}): Promise<EnvironmentFacts> {
  const postgres = pgUrl ? await sqlValue(pgUrl, 'show server_version').catch(() => null) : null;
  let redisVersion: string | null = null;
  try {
    const info = await withRedis(redisUrl, (redis) => redis.info('server'));
    redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? null;
  } catch {
    // reported as null
  }
  const nginxBin = which('nginx');
  const nginx = nginxBin ? await run(nginxBin, ['-v'], { capture: true }) : { stderr: '' };
  const git = await run('git', ['rev-parse', '--short', 'HEAD'], { capture: true });
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    versions: {
      node: process.version,
      postgres,
      redis: redisVersion,
      nginx: /nginx\/(\S+)/.exec(nginx.stderr)?.[1] ?? null,
    },
    commit: git.code === 0 ? git.stdout.trim() : null,
  };
}

/**
 * Whether a commit waits for the disk: PostgreSQL's fsync and synchronous_commit, Redis' AOF settings.
 * A run without them measures a different system, so every result file records them.
 */
export interface Durability {
  postgres: { fsync: string | null; synchronous_commit: string | null; autovacuum: string | null };
  redis: { appendonly: string | null; appendfsync: string | null };
}

export async function durabilitySettings({
  pgUrl,
  redisUrl,
}: {
  pgUrl: string;
  redisUrl: string;
}): Promise<Durability> {
  const show = (name: 'fsync' | 'synchronous_commit' | 'autovacuum') =>
    sqlValue(pgUrl, `show ${name}`).catch(() => null);
  const config = async (name: string) => {
    try {
      const [, value] = (await withRedis(redisUrl, (redis) => redis.config('GET', name))) as string[];
      return value ?? null;
    } catch {
      return null; // CONFIG renamed or refused on this server
    }
  };
  return {
    postgres: {
      fsync: await show('fsync'),
      synchronous_commit: await show('synchronous_commit'),
      autovacuum: await show('autovacuum'),
    },
    redis: { appendonly: await config('appendonly'), appendfsync: await config('appendfsync') },
  };
}

export function printDurability(d: Durability): void {
  const v = (x: string | null) => x ?? '?';
  process.stdout.write(
    `  as in production: PostgreSQL fsync ${v(d.postgres.fsync)}, synchronous_commit ${v(d.postgres.synchronous_commit)}, ` +
      `autovacuum ${v(d.postgres.autovacuum)}; ` +
      `Redis appendonly ${v(d.redis.appendonly)}, appendfsync ${v(d.redis.appendfsync)}\n`,
  );
}

export function printEnvironment(facts: EnvironmentFacts): void {
  const v = facts.versions;
  process.stdout.write(
    `  ${facts.cores} cores (${facts.cpuModel}), ${facts.memoryGiB} GiB, load ${facts.loadAverage.join(' ')}\n` +
      `  node ${v.node}, PostgreSQL ${v.postgres ?? '?'}, Redis ${v.redis ?? '?'}, nginx ${v.nginx ?? '?'}, commit ${facts.commit ?? '?'}\n`,
  );
}

/** Writes bench-results/<name>-<timestamp>.json and returns its path relative to the repository. */
export function writeResults(name: string, results: unknown): string {
  const dir = path.join(repoRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const file = path.join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return rel(file);
}
