import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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

  it('when the host role hardens sshd, then the drop-in comes first, is checked by sshd -t before it lands and restarts sshd', () => {
    const tasks = YAML.parse(readRepoFile('ansible/roles/host/tasks/ssh.yml')) as Record<string, unknown>[];
    const template = tasks.find((task) => 'ansible.builtin.template' in task)!;
    expect(template['ansible.builtin.template']).toMatchObject({
      src: 'sshd-hardening.conf.j2',
      dest: '/etc/ssh/sshd_config.d/00-marketplace.conf',
      validate: '/usr/sbin/sshd -t -f %s',
    });
    expect(template.notify).toBe('Restart sshd');
    const handlers = YAML.parse(readRepoFile('ansible/roles/host/handlers/main.yml')) as Record<string, unknown>[];
    const listeners = handlers.filter((h) => h.listen === 'Restart sshd');
    expect(listeners.map((h) => Object.keys(h).find((k) => k.startsWith('ansible.builtin.')))).toEqual([
      'ansible.builtin.command',
      'ansible.builtin.service',
    ]);
    expect(readRepoFile('ansible/roles/host/tasks/main.yml')).toContain('ansible.builtin.import_tasks: ssh.yml');
  });

  it('when sshd reads the rendered hardening, then it accepts it and keeps keys only, no root, no agent forwarding', () => {
    const sshd = requireTool('sshd', 'openssh-server');
    const keygen = requireTool('ssh-keygen', 'openssh-client');
    // sshd checks its privilege separation folder even with -t; the ssh service makes it on a host.
    if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sshd-'));
    try {
      const config = path.join(dir, 'sshd_config');
      writeFileSync(
        config,
        readRepoFile('ansible/roles/host/templates/sshd-hardening.conf.j2').replace('{{ ansible_managed }}', 'managed'),
      );
      expect(run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]).code).toBe(0);
      const hostKey = ['-o', `HostKey=${path.join(dir, 'host_key')}`];
      const check = run(sshd, ['-t', '-f', config, ...hostKey]);
      expect(check.code === 0 ? '' : check.output).toBe('');
      const effective = run(sshd, ['-T', '-f', config, ...hostKey, '-C', 'user=deploy,host=h,addr=192.0.2.1']).stdout;
      for (const line of [
        'passwordauthentication no',
        'kbdinteractiveauthentication no',
        'permitrootlogin no',
        'allowagentforwarding no',
        'pubkeyauthentication yes',
      ])
        expect(effective).toContain(line);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the app role is read, then it pulls and never builds or clones, and renders the tunnel token before the first `up`', () => {
    const text = ['main.yml', 'pull.yml', 'roll.yml', 'rollback.yml']
      .map((file) => readRepoFile(`ansible/roles/app/tasks/${file}`))
      .join('\n');
    expect(text).not.toMatch(/ansible\.builtin\.git:|docker compose build|--build\b/);
    const composeUps = [...text.matchAll(/docker compose[^\n]* up [^\n]*/g)].map((m) => m[0]);
    expect(composeUps.length).toBeGreaterThan(0);
    for (const up of composeUps) expect(up).toContain('--no-build');
    expect(readRepoFile('ansible/roles/app/tasks/pull.yml')).toContain('docker compose pull');

    const main = readRepoFile('ansible/roles/app/tasks/main.yml');
    const token = main.indexOf('tasks_from: env.yml');
    expect(token).toBeGreaterThan(0);
    expect(token).toBeLessThan(main.indexOf('docker compose up'));
    expect(token).toBeLessThan(main.indexOf('import_tasks: pull.yml'));
  });

  it('when the app role is read, then every release has its own env folder, which its compose variables name', () => {
    const defaults = YAML.parse(readRepoFile('ansible/roles/app/defaults/main.yml')) as Record<string, unknown>;
    expect(defaults.app_env_dir).toBe('{{ app_root }}/releases/{{ app_ref }}/env');
    expect(readRepoFile('ansible/roles/app/templates/compose.env.j2')).toMatch(
      /^MARKETPLACE_ENV_DIR=\{\{ app_env_dir \}\}$/m,
    );
  });

  it('when a playbook that loads the vault is documented, then its command passes the vault password', () => {
    const commands = [readRepoFile('README.md'), ...playbooks().map((p) => readRepoFile(`ansible/${p}`))]
      .join('\n')
      .split('\n')
      .filter((line) => /ansible-playbook (site|deploy|backup|restore|rollback)\.yml/.test(line));
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.filter((line) => !/--ask-vault-pass|--vault-password-file/.test(line))).toEqual([]);
  });

  it('when a real vault file exists, then it is encrypted', () => {
    const vault = path.join(ansibleDir, 'group_vars', 'all', 'vault.yml');
    if (!existsSync(vault)) return; // nothing committed: the operator's copy lives elsewhere
    expect(readRepoFile('ansible/group_vars/all/vault.yml').startsWith('$ANSIBLE_VAULT;')).toBe(true);
  });
});
