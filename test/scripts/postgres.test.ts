// The PostgreSQL the benchmarks measure on: run as production runs it, whatever this machine's server does.
// scripts/lib is ES modules with import.meta, so the check runs in a tsx child process, as `npm run bench` does.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

const probe = `
import { ensurePostgresOnce, sqlValue } from './scripts/lib/postgres.ts';
const server = await ensurePostgresOnce({ maintained: true });
try {
  const settings = {};
  for (const name of ['autovacuum', 'fsync', 'synchronous_commit']) settings[name] = await sqlValue(server.url, 'show ' + name);
  console.log(JSON.stringify({ private: server.private, settings }));
} finally {
  await server.stop();
}`;

describe('PostgreSQL for the benchmarks', () => {
  it('when a benchmark asks for a server, then the one it gets vacuums its tables by itself and keeps durability', () => {
    // This machine's server may run with autovacuum off; a private cluster then stands in for it.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as {
      settings: Record<string, string>;
    };
    expect(result.settings).toEqual({ autovacuum: 'on', fsync: 'on', synchronous_commit: 'on' });
  }, 120_000);
});
