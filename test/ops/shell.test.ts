import { openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { repoFiles, repoRoot, requireTool, run } from './support';

function hasShellShebang(file: string): boolean {
  const fd = openSync(path.join(repoRoot, file), 'r');
  try {
    const head = Buffer.alloc(64);
    const read = readSync(fd, head, 0, head.length, 0);
    return /^#!\s*(\/usr\/bin\/env\s+)?(\/bin\/|\/usr\/bin\/)?(ba|da)?sh\b/.test(
      head.subarray(0, read).toString('utf8'),
    );
  } finally {
    closeSync(fd);
  }
}

describe('shell scripts', () => {
  // Every *.sh, plus extension-less scripts that declare a shell (.ci/run).
  const scripts = repoFiles().filter(
    (file) => file.endsWith('.sh') || (!path.extname(file) && !file.includes('node_modules') && hasShellShebang(file)),
  );

  it('when the repository is searched, then the deployment scripts are among the shell scripts', () => {
    expect(scripts).toEqual(
      expect.arrayContaining([
        'deploy/nginx/docker-entrypoint.sh',
        'deploy/docker/service-entrypoint.sh',
        'ansible/roles/backup/files/marketplace-backup.sh',
        'ansible/roles/backup/files/marketplace-restore.sh',
      ]),
    );
  });

  it('when shellcheck reads every shell script in the repository, then it finds nothing', () => {
    const bin = requireTool('shellcheck');
    const result = run(bin, ['--external-sources', '--format', 'gcc', ...scripts]);
    expect(result.code === 0 ? '' : result.output).toBe('');
  });
});
