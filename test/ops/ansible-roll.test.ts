import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, requireTool, run } from './support';

// ansible/roles/app/tasks/roll.yml, run by the real ansible-playbook on this machine. No Docker engine
// runs here: `docker` is a stand-in on PATH that answers `compose ps` with the containers the test
// says are running and records every command, so the test sees what a deploy would ask Docker to do,
// in order.
const DOCKER_STAND_IN = `#!/usr/bin/env bash
echo "docker $*" >>"$STAND_IN_LOG"
if [[ "$1 $2" == "compose ps" ]]; then printf '%s' "$STAND_IN_RUNNING"; fi
`;

function rollWith(running: string[]): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roll-'));
  try {
    writeFileSync(path.join(dir, 'docker'), DOCKER_STAND_IN);
    chmodSync(path.join(dir, 'docker'), 0o755);
    const playbook = path.join(dir, 'roll.yml');
    writeFileSync(
      playbook,
      `- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    app_release_dir: ${dir}
    app_up_timeout: 60
    app_roll_service: orders-service
  tasks:
    - ansible.builtin.include_tasks: ${path.join(repoRoot, 'ansible', 'roles', 'app', 'tasks', 'roll.yml')}
`,
    );
    const log = path.join(dir, 'docker.log');
    writeFileSync(log, '');
    const result = run(requireTool('ansible-playbook', 'ansible'), [playbook], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        STAND_IN_LOG: log,
        STAND_IN_RUNNING: running.map((id) => `${id}\n`).join(''),
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
      },
    });
    expect(result.code === 0 ? '' : result.output).toBe('');
    return readFileSync(log, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reload = 'docker compose exec -T nginx nginx -p /tmp/nginx/ -c /tmp/nginx/nginx.conf -s reload';

describe('rolling replacement of a service (roll.yml)', () => {
  it('when two containers run, then two new ones start beside them, nginx reloads, the old ones stop and go, and nginx reloads again', () => {
    expect(rollWith(['old1', 'old2'])).toEqual([
      'docker compose ps --quiet orders-service',
      'docker compose up --detach --no-build --no-deps --no-recreate --wait --wait-timeout 60 --scale orders-service=4 orders-service',
      reload,
      'docker stop --time 30 old1 old2',
      'docker rm old1 old2',
      reload,
    ]);
  });

  it('when nothing runs yet (a first deploy), then it only starts one container and touches neither nginx nor other containers', () => {
    expect(rollWith([])).toEqual([
      'docker compose ps --quiet orders-service',
      'docker compose up --detach --no-build --no-deps --no-recreate --wait --wait-timeout 60 --scale orders-service=1 orders-service',
    ]);
  });
});
