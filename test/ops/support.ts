import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const repoRoot = path.resolve(__dirname, '../..');

export const readRepoFile = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');

export function readYaml<T = Record<string, unknown>>(file: string): T {
  // Compose files use merge keys (<<: *anchor).
  return YAML.parse(readRepoFile(file), { merge: true }) as T;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): RunResult {
  const result = spawnSync(cmd, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { code: result.status ?? 1, stdout, stderr, output: `${stdout}${stderr}` };
}

/**
 * The path of a command-line tool the ops checks need, or an error saying how to get it.
 * `npm test` installs the Debian packages first (scripts/lib/ops-tools.ts); a missing tool fails
 * the test that needs it, never skips it.
 */
export function requireTool(name: string, debianPackage = name): string {
  const override = process.env[`${name.toUpperCase().replace(/-/g, '_')}_PATH`];
  if (override) return override;
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const location = found.stdout?.trim();
  if (found.status === 0 && location) return location;
  throw new Error(
    `${name} is not installed, so this check cannot run. \`npm test\` installs it (scripts/lib/ops-tools.ts); by hand: sudo apt-get install -y ${debianPackage}`,
  );
}

/** Files in the repository (tracked, or new and not ignored), relative to its root. */
export function repoFiles(): string[] {
  const listed = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
  if (listed.code !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return [...new Set(listed.stdout.split('\0').filter(Boolean))].sort();
}
