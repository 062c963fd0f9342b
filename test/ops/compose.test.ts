import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, readYaml, repoRoot, requireTool, run } from './support';

interface Service {
  image?: string;
  build?: unknown;
  ports?: unknown[];
  networks?: string[];
  restart?: string;
  healthcheck?: { disable?: boolean } & Record<string, unknown>;
  profiles?: string[];
  user?: string;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  volumes?: string[];
  environment?: Record<string, unknown>;
  pull_policy?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}
interface ComposeFile {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

// The official compose-spec schema, vendored (see its $comment): no Docker engine or compose plugin
// runs here, so `docker compose config` is not available and the schema is the check.
function composeValidator() {
  const schema = JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete schema.$schema; // draft-07 under its https alias, which ajv does not register
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

const production = readYaml<ComposeFile>('docker-compose.yml');
const databases = ['auth-db', 'products-db', 'orders-db', 'notifications-db'];
const nodeServices = ['auth-service', 'products-service', 'orders-service'];
/** The saga's workers: dist/worker-start.js in their service's image, its port, the flag that keeps the service from consuming too. */
const workers = [
  { name: 'products-worker', service: 'products-service', port: '3004', runFlag: 'RUN_INVENTORY_WORKER' },
  { name: 'orders-worker', service: 'orders-service', port: '3005', runFlag: 'RUN_ORDERS_WORKER' },
];
/** The one-shots applying each service's migrations (dist/migrate.js in its image) before it and its worker start. */
const migrateOf = (service: string) => service.replace(/-(service|worker)$/, '-migrate');
/** Containers that connect to each database: its service, that service's migrate one-shot and its worker, if any. */
const clientsOf = (db: string) => {
  // The mailer is a worker with no API: its database has the worker and its migrate one-shot.
  if (db === 'notifications-db') return ['notifications-worker', 'notifications-migrate'];
  const service = db.replace('-db', '-service');
  return [service, migrateOf(service), ...workers.filter((w) => w.service === service).map((w) => w.name)];
};

describe('compose files', () => {
  const validate = composeValidator();

  it.each(['docker-compose.yml', 'docker-compose.dev.yml'])(
    'when %s is checked against the compose specification, then it conforms',
    (file) => {
      const valid = validate(readYaml(file));
      expect(valid ? [] : validate.errors).toEqual([]);
    },
  );

  it('when the schema meets a misspelt key, then it rejects the file (the check can fail)', () => {
    expect(validate({ services: { web: { image: 'nginx', restrat: 'always' } } })).toBe(false);
  });

  it.each([
    'docker-compose.yml',
    'docker-compose.dev.yml',
    '.github/workflows/ci.yml',
    '.github/workflows/deploy.yml',
    '.github/dependabot.yml',
  ])('when yamllint reads %s, then it finds nothing', (file) => {
    const bin = requireTool('yamllint');
    const config =
      '{extends: default, rules: {line-length: {max: 160}, document-start: disable, truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}';
    const result = run(bin, ['-f', 'parsable', '-d', config, file], { cwd: repoRoot });
    expect(result.code === 0 ? '' : result.output).toBe('');
  });

  it('when the production stack is read, then only nginx publishes a port (and Grafana under the monitoring profile), on loopback defaults', () => {
    const publishing = Object.entries(production.services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    expect(publishing).toEqual(['nginx', 'grafana']);
    expect(production.services.nginx?.ports).toEqual([
      '${NGINX_PUBLISH_ADDRESS:-127.0.0.1}:${NGINX_PUBLISH_PORT:-8080}:8080',
    ]);
    expect(production.services.grafana?.ports).toEqual([
      '${GRAFANA_PUBLISH_ADDRESS:-127.0.0.1}:${GRAFANA_PUBLISH_PORT:-3000}:3000',
    ]);
  });

  it('when the monitoring profile is read, then Prometheus, node-exporter and Grafana run only under it, hardened, on their own networks', () => {
    const monitoring = ['grafana', 'node-exporter', 'prometheus'];
    const profiled = Object.entries(production.services)
      .filter(([, s]) => s.profiles?.includes('monitoring'))
      .map(([name]) => name)
      .sort();
    expect(profiled).toEqual(monitoring);
    for (const name of monitoring) {
      const service = production.services[name]!;
      expect([name, service.profiles, service.read_only, service.cap_drop, service.user === undefined]).toEqual([
        name,
        ['monitoring'],
        true,
        ['ALL'],
        false,
      ]);
      expect(service.image).toMatch(/:v?\d+\.\d+\.\d+$/);
      // What it mounts from the repository is there.
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect([volume, existsSync(path.join(repoRoot, source))]).toEqual([volume, true]);
      }
    }
    // Prometheus reaches the services' and workers' /metrics, and nothing else does over that network.
    const onMetrics = Object.entries(production.services)
      .filter(([, s]) => s.networks?.includes('metrics'))
      .map(([name]) => name)
      .sort();
    expect(onMetrics).toEqual(['prometheus', ...nodeServices, ...workers.map((w) => w.name)].sort());
    expect([production.networks.metrics?.internal, production.networks.monitoring?.internal]).toEqual([true, true]);
    // Neither Prometheus nor node-exporter joins a database's network or Redis's.
    for (const name of ['prometheus', 'node-exporter']) {
      expect(production.services[name]!.networks!.filter((n) => [...databases, 'redis', 'api'].includes(n))).toEqual(
        [],
      );
    }
  });

  it('when the production networks are read, then each database shares an internal network with its own service (and its worker) only', () => {
    for (const db of databases) {
      const networks = production.services[db]?.networks ?? [];
      expect(networks.length).toBeGreaterThan(0);
      for (const network of networks) {
        expect([network, production.networks[network]?.internal]).toEqual([network, true]);
        const members = Object.entries(production.services)
          .filter(([, s]) => s.networks?.includes(network))
          .map(([name]) => name)
          .sort();
        expect(members).toEqual([db, ...clientsOf(db)].sort());
      }
    }
    const nginxNetworks = production.services.nginx?.networks ?? [];
    for (const db of [...databases, 'redis']) {
      expect(nginxNetworks.filter((n) => production.services[db]?.networks?.includes(n))).toEqual([]);
    }
  });

  it('when the production services are read, then each restarts by itself (the one-shots excepted) and the app waits on healthy dependencies and applied migrations', () => {
    const oneShots = [...nodeServices, 'notifications-worker'].map(migrateOf);
    for (const [name, service] of Object.entries(production.services)) {
      expect([name, service.restart]).toEqual([name, oneShots.includes(name) ? 'no' : 'unless-stopped']);
    }
    for (const name of nodeServices) {
      expect(production.services[name]?.depends_on).toEqual({
        [name.replace('-service', '-db')]: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        [migrateOf(name)]: { condition: 'service_completed_successfully' },
      });
    }
    expect(Object.keys(production.services.nginx?.depends_on ?? {}).sort()).toEqual([...nodeServices].sort());
  });

  it.each(workers)(
    'when $name is read, then it runs worker-start.js from its service image, unpublished, on its database, Redis and the metrics network only',
    (worker) => {
      const service = production.services[worker.service]!;
      const container = production.services[worker.name]!;
      expect(container.image).toBe(service.image);
      // Built by its service only; a registry never supplies it.
      expect(container.build).toBeUndefined();
      expect(container.pull_policy).toBe('never');
      expect(container.command).toEqual(['node', 'dist/worker-start.js']);
      expect(container.ports).toBeUndefined();
      expect([...(container.networks ?? [])].sort()).toEqual(
        [worker.service.replace('-service', '-db'), 'redis', 'metrics'].sort(),
      );
      // Hardened like the services (the image runs as its unprivileged user).
      expect(container.user).toBeUndefined();
      expect(container.read_only).toBe(true);
      expect(container.cap_drop).toEqual(['ALL']);
      // Its service's migrate one-shot has applied the migrations; Redis answers.
      expect(container.depends_on).toEqual({
        [migrateOf(worker.service)]: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
      // The image's health check asks /ready on PORT: the worker's own endpoint.
      expect(container.environment?.PORT).toBe(worker.port);
      expect(readRepoFile('backend/Dockerfile')).toMatch(/HEALTHCHECK[\s\S]*process\.env\.PORT[\s\S]*\/ready/);
      // Replicas share the consumer group, each named after its container by the image's entry point.
      expect(container.environment?.CONSUMER_NAME).toBe('');
      for (const key of ['ORDERS_STREAM', 'INVENTORY_STREAM'])
        expect(container.environment?.[key]).toBe(service.environment?.[key]);
      // The service leaves the consuming to the worker.
      expect(service.environment?.[worker.runFlag]).toBe('false');
    },
  );

  it.each(nodeServices)(
    'when the migrate one-shot of %s is read, then it runs migrate.js from the service image once, on its database only',
    (name) => {
      const service = production.services[name]!;
      const container = production.services[migrateOf(name)]!;
      expect(container.image).toBe(service.image);
      expect(container.build).toBeUndefined();
      expect(container.pull_policy).toBe('never');
      expect(container.command).toEqual(['node', 'dist/migrate.js']);
      expect(container.restart).toBe('no');
      expect(container.ports).toBeUndefined();
      expect(container.networks).toEqual([name.replace('-service', '-db')]);
      expect(container.depends_on).toEqual({ [name.replace('-service', '-db')]: { condition: 'service_healthy' } });
      // The image's check asks /ready, which a one-shot never serves.
      expect(container.healthcheck?.disable).toBe(true);
      expect(container.user).toBeUndefined();
      expect(container.read_only).toBe(true);
      expect(container.cap_drop).toEqual(['ALL']);
      // The image compiles the service's src/, so dist/migrate.js exists; `npm run migrate` runs the same file.
      expect(existsSync(path.join(repoRoot, 'backend', name, 'src', 'migrate.ts'))).toBe(true);
      expect(
        (JSON.parse(readRepoFile(`backend/${name}/package.json`)) as { scripts: Record<string, string> }).scripts
          .migrate,
      ).toBe('node dist/migrate.js');
      expect(readRepoFile('backend/Dockerfile')).toContain(
        'COPY --from=build /app/backend/${SERVICE}/dist backend/${SERVICE}/dist',
      );
    },
  );

  it('when the databases and Redis are read, then their data lives in named volumes and they have health checks', () => {
    for (const name of [...databases, 'redis']) {
      const service = production.services[name];
      expect(service?.healthcheck).toBeDefined();
      const [volume] = (service?.volumes?.[0] ?? '').split(':');
      expect(Object.keys(production.volumes)).toContain(volume);
    }
  });

  it('when Redis is read, then it keeps an AOF synced every second, never evicts and gives every user a password', () => {
    const redis = production.services.redis!;
    expect(redis.command).toEqual(['sh', '/etc/marketplace/start-redis.sh']);
    expect(redis.volumes).toContain('./deploy/redis/start-redis.sh:/etc/marketplace/start-redis.sh:ro');
    const script = readRepoFile('deploy/redis/start-redis.sh');
    expect(script).toMatch(/^appendonly yes$/m);
    expect(script).toMatch(/^appendfsync everysec$/m);
    expect(script).toMatch(/^maxmemory-policy noeviction$/m);
    const users = [...script.matchAll(/^user (\S+) on #\$\(digest "\$(REDIS_[A-Z_]+)"\)/gm)].map((m) => [m[1], m[2]]);
    expect(users).toEqual([
      ['default', 'REDIS_PASSWORD'],
      ['auth', 'REDIS_AUTH_PASSWORD'],
      ['products', 'REDIS_PRODUCTS_PASSWORD'],
      ['orders', 'REDIS_ORDERS_PASSWORD'],
      ['notifications', 'REDIS_NOTIFICATIONS_PASSWORD'],
    ]);
  });

  it("when Redis is read, then it runs as the image's redis user without capabilities on a read-only root", () => {
    const redis = production.services.redis!;
    expect(redis.user).toBe('999:1000');
    expect(redis.read_only).toBe(true);
    expect(redis.cap_drop).toEqual(['ALL']);
    expect(redis.security_opt).toEqual(['no-new-privileges:true']);
  });

  it('when a database container is read, then it creates the owner and runtime roles from deploy/postgres when its volume is made', () => {
    for (const name of ['auth-db', 'products-db', 'orders-db']) {
      expect([name, production.services[name]?.volumes]).toEqual([
        name,
        expect.arrayContaining([
          './deploy/postgres:/etc/marketplace/postgres:ro',
          './deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/50-roles.sh:ro',
        ]),
      ]);
    }
  });

  it('when the production stack is read, then every container has a memory and a CPU limit', () => {
    for (const [name, service] of Object.entries(production.services)) {
      const limit = service.deploy?.resources?.limits;
      expect([name, limit?.memory]).toEqual([name, expect.stringMatching(/^\d+[MG]$/)]);
      expect([name, Number(limit?.cpus)]).toEqual([name, expect.any(Number)]);
      expect(Number(limit?.cpus)).toBeGreaterThan(0);
    }
  });

  it('when the images of the production stack are read, then ours come from MARKETPLACE_IMAGE_REGISTRY at MARKETPLACE_IMAGE_TAG and the rest are pinned', () => {
    for (const [name, service] of Object.entries(production.services)) {
      const image = service.image ?? '';
      if (image.startsWith('${'))
        expect([name, image]).toEqual([
          name,
          expect.stringMatching(
            /^\$\{MARKETPLACE_IMAGE_REGISTRY:-marketplace\}\/[a-z-]+:\$\{MARKETPLACE_IMAGE_TAG:-local\}$/,
          ),
        ]);
      else expect([name, image]).toEqual([name, expect.stringMatching(/^[a-z/-]+:v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/)]);
    }
  });

  it('when nginx is read, then a recreated service does not restart it (a deploy reloads it instead)', () => {
    const dependsOn = production.services.nginx?.depends_on ?? {};
    expect(Object.values(dependsOn).filter((d) => 'restart' in d)).toEqual([]);
  });

  it('when cloudflared is read, then it runs only under the tunnel profile and publishes nothing', () => {
    const tunnel = production.services.cloudflared;
    expect(tunnel?.profiles).toEqual(['tunnel']);
    expect(tunnel?.ports).toBeUndefined();
    expect(tunnel?.networks).toEqual(
      production.services.nginx?.networks?.filter((n) => !production.networks[n]?.internal),
    );
  });

  it('when the development stack is read, then it reloads on change and publishes ports on loopback only', () => {
    const dev = readYaml<ComposeFile>('docker-compose.dev.yml');
    for (const name of nodeServices) {
      expect(dev.services[name]?.command?.join(' ')).toMatch(new RegExp(`npm run dev -w backend/${name}`));
    }
    for (const service of Object.values(dev.services)) {
      for (const port of service.ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
    }
    expect(readRepoFile('docker-compose.dev.yml')).toMatch(/--appendfsync", "everysec"/);
  });
});
