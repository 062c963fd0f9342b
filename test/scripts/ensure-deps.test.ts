// The dependency check that runs before anything else (scripts/lib/ensure-deps.cjs), tried on real folders
// with manifests, lock files and modification times.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DependencyError, ensureDeps, installReason } from '../../scripts/lib/ensure-deps.cjs';

let root: string;

type Manifest = {
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const writeJson = (file: string, value: unknown, mtimeSeconds: number) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
  utimesSync(file, mtimeSeconds, mtimeSeconds);
};

/** A repo: root manifest, one workspace, and a lock recording both (as npm writes it). */
function repo({
  rootDeps = { pg: '^8.0.0' },
  workspaceDeps = { ioredis: '^5.0.0' },
  lockedWorkspaceDeps = workspaceDeps,
  installed = true,
  times = { manifests: 1000, lock: 2000, installed: 3000 },
}: {
  rootDeps?: Record<string, string>;
  workspaceDeps?: Record<string, string>;
  lockedWorkspaceDeps?: Record<string, string>;
  installed?: boolean;
  times?: { manifests: number; lock: number; installed: number };
} = {}) {
  const manifest: Manifest = { workspaces: ['packages/*'], devDependencies: rootDeps };
  writeJson(path.join(root, 'package.json'), manifest, times.manifests);
  writeJson(path.join(root, 'packages/api/package.json'), { dependencies: workspaceDeps }, times.manifests);
  const packages = { '': { devDependencies: rootDeps }, 'packages/api': { dependencies: lockedWorkspaceDeps } };
  writeJson(path.join(root, 'package-lock.json'), { lockfileVersion: 3, packages }, times.lock);
  if (installed)
    writeJson(
      path.join(root, 'node_modules/.package-lock.json'),
      { packages: { 'packages/api': { dependencies: lockedWorkspaceDeps } } },
      times.installed,
    );
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ensure-deps-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('installReason', () => {
  it('when node_modules was installed after the lock file was written, then nothing needs installing', () => {
    repo();
    expect(installReason(root)).toBeNull();
  });

  it('when node_modules is missing, then it says so', () => {
    repo({ installed: false });
    expect(installReason(root)).toBe('node_modules is missing');
  });

  it('when the lock file is newer than the last install, then it says the lock changed', () => {
    repo({ times: { manifests: 1000, lock: 4000, installed: 3000 } });
    expect(installReason(root)).toBe('package-lock.json changed since the last install');
  });

  it('when a workspace manifest is newer than the install and declares other dependencies, then that manifest is named', () => {
    repo({ times: { manifests: 5000, lock: 2000, installed: 3000 }, workspaceDeps: { ioredis: '^5.0.0' } });
    // The lock was updated for the new dependency, but what was installed predates it.
    writeJson(
      path.join(root, 'node_modules/.package-lock.json'),
      { packages: { 'packages/api': { dependencies: {} } } },
      3000,
    );
    expect(installReason(root)).toBe('packages/api/package.json changed since the last install');
  });

  it('when a manifest was only touched (newer, same dependencies), then nothing needs installing', () => {
    repo({ times: { manifests: 5000, lock: 2000, installed: 3000 } });
    expect(installReason(root)).toBeNull();
  });

  it('when the manifests list their dependencies in another order than the lock, then they still match', () => {
    repo({ rootDeps: { zod: '^4.0.0', ajv: '^8.0.0' } });
    const lockFile = path.join(root, 'package-lock.json');
    writeJson(
      lockFile,
      {
        packages: {
          '': { devDependencies: { ajv: '^8.0.0', zod: '^4.0.0' } },
          'packages/api': { dependencies: { ioredis: '^5.0.0' } },
        },
      },
      2000,
    );
    expect(installReason(root)).toBeNull();
  });

  it('when a manifest declares a dependency the lock does not record, then it fails and names the manifest and the fix', () => {
    repo({ workspaceDeps: { ioredis: '^5.0.0', execa: '^9.0.0' }, lockedWorkspaceDeps: { ioredis: '^5.0.0' } });
    expect(() => installReason(root)).toThrow(DependencyError);
    expect(() => installReason(root)).toThrow(
      'packages/api/package.json declare dependencies that package-lock.json does not record.\n' +
        'Run `npm install` to update package-lock.json (and commit it), then try again.',
    );
  });

  it('when there is no lock file, then it fails and says to create and commit one', () => {
    repo();
    rmSync(path.join(root, 'package-lock.json'));
    expect(() => installReason(root)).toThrow('package-lock.json is missing; run `npm install` once and commit it.');
  });
});

describe('ensureDeps', () => {
  it('when node_modules is current, then it runs nothing and reports whether to print so', async () => {
    repo();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(ensureDeps(root, { quiet: true })).resolves.toBe(false);
      expect(write).not.toHaveBeenCalled();
      await expect(ensureDeps(root)).resolves.toBe(false);
      expect(write).toHaveBeenCalledWith('• dependencies … ok (node_modules is current)\n');
    } finally {
      write.mockRestore();
    }
  });
});
