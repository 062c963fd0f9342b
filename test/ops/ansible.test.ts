import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readRepoFile, repoRoot, requireTool, run } from './support';

const ansibleDir = path.join(repoRoot, 'ansible');
const inventory = 'inventory/production.example.yml';

/** Top-level YAML files that are plays (a list whose items name `hosts`). */
function playbooks(): string[] {
  return readdirSync(ansibleDir)
    .filter((file) => file.endsWith('.yml'))
    .filter((file) => {
      const doc: unknown = YAML.parse(readRepoFile(`ansible/${file}`));
      return Array.isArray(doc) && doc.every((play: Record<string, unknown>) => 'hosts' in play);
    })
    .sort();
}

describe('ansible', () => {
  it('when the folder is listed, then it holds the site, deploy, rollback, backup and restore playbooks', () => {
    expect(playbooks()).toEqual(['backup.yml', 'deploy.yml', 'restore.yml', 'rollback.yml', 'site.yml']);
  });

  it.each(playbooks())('when %s is syntax-checked, then ansible-playbook accepts it', (playbook) => {
    const bin = requireTool('ansible-playbook', 'ansible');
    const result = run(bin, ['--syntax-check', '-i', inventory, playbook], { cwd: ansibleDir });
    expect(result.code === 0 ? '' : result.output).toBe('');
  });

  it('when ansible-lint runs with the production profile, then it finds nothing', () => {
    const bin = requireTool('ansible-lint');
    const result = run(bin, ['--profile', 'production', '--offline', '-p', '--nocolor'], { cwd: ansibleDir });
    expect(result.code === 0 ? '' : result.output).toBe('');
    expect(result.output).toMatch(/Passed with production profile/);
  });

  it('when a role uses a vault variable, then vault.example.yml documents it and it holds no real secret', () => {
    const example = YAML.parse(readRepoFile('ansible/vault.example.yml')) as Record<string, unknown>;
    const sources = run('git', ['grep', '-h', '-o', '-E', 'vault_[a-z0-9_]+', '--', 'ansible/roles', 'ansible/*.yml'], {
      cwd: repoRoot,
    });
    const used = new Set(sources.stdout.split('\n').filter(Boolean));
    // Optional ones (with a default) are documented as comments.
    const documented = new Set([
      ...Object.keys(example),
      ...[...readRepoFile('ansible/vault.example.yml').matchAll(/^# (vault_[a-z0-9_]+):/gm)].map((m) => m[1]),
    ]);
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
    for (const [name, value] of Object.entries(example)) {
      expect([name, String(value).includes('change-me') || value === '']).toEqual([name, true]);
    }
  });

  it('when a real vault file exists, then it is encrypted', () => {
    const vault = path.join(ansibleDir, 'group_vars', 'all', 'vault.yml');
    if (!existsSync(vault)) return; // nothing committed: the operator's copy lives elsewhere
    expect(readRepoFile('ansible/group_vars/all/vault.yml').startsWith('$ANSIBLE_VAULT;')).toBe(true);
  });
});
