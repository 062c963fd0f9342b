import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, readYaml, repoRoot, requireTool, run } from './support';

interface Service {
  image?: string;
  build?: unknown;
  ports?: unknown[];
  networks?: string[];
  restart?: string;
  healthcheck?: unknown;
  profiles?: string[];
  user?: string;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

// The official compose-spec schema, vendored (see its $comment): no Docker engine or compose plugin
// runs here, so `docker compose config` is not available and the schema is the check.
function composeValidator() {
  const schema = JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema; // draft-07 under its https alias, which ajv does not register
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

const production = readYaml<ComposeFile>('docker-compose.yml');
const databases = ['auth-db', 'products-db', 'orders-db'];
const nodeServices = ['auth-service', 'products-service', 'orders-service'];

describe('compose files', () => {
  const validate = composeValidator();

  it.each(['docker-compose.yml', 'docker-compose.dev.yml'])('when %s is checked against the compose specification, then it conforms', (file) => {
    const valid = validate(readYaml(file));
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('when the schema meets a misspelt key, then it rejects the file (the check can fail)', () => {
    expect(validate({ services: { web: { image: 'nginx', restrat: 'always' } } })).toBe(false);
  });

  it.each(['docker-compose.yml', 'docker-compose.dev.yml', '.github/workflows/ci.yml', '.github/workflows/deploy.yml', '.github/dependabot.yml'])(
    'when yamllint reads %s, then it finds nothing',
    (file) => {
      const bin = requireTool('yamllint');
      const config = '{extends: default, rules: {line-length: {max: 160}, document-start: disable, truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}';
      const result = run(bin, ['-f', 'parsable', '-d', config, file], { cwd: repoRoot });
      expect(result.code === 0 ? '' : result.output).toBe('');
    },
  );

  it('when the production stack is read, then only nginx publishes a port, on a loopback default', () => {
    const publishing = Object.entries(production.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
    expect(publishing).toEqual(['nginx']);
    expect(production.services.nginx?.ports).toEqual(['${NGINX_PUBLISH_ADDRESS:-127.0.0.1}:${NGINX_PUBLISH_PORT:-8080}:8080']);
  });

  it('when the production networks are read, then each database shares an internal network with its own service only', () => {
    for (const db of databases) {
      const networks = production.services[db]?.networks ?? [];
      expect(networks.length).toBeGreaterThan(0);
      for (const network of networks) {
        expect([network, production.networks[network]?.internal]).toEqual([network, true]);
        const members = Object.entries(production.services).filter(([, s]) => s.networks?.includes(network)).map(([name]) => name).sort();
        expect(members).toEqual([db, db.replace('-db', '-service')].sort());
      }
    }
    const nginxNetworks = production.services.nginx?.networks ?? [];
    for (const db of [...databases, 'redis']) {
      expect(nginxNetworks.filter((n) => production.services[db]?.networks?.includes(n))).toEqual([]);
    }
  });

  it('when the production services are read, then each restarts by itself and the app waits on healthy dependencies', () => {
    for (const [name, service] of Object.entries(production.services)) {
      expect([name, service.restart]).toEqual([name, 'unless-stopped']);
    }
    for (const name of nodeServices) {
      const deps = production.services[name]?.depends_on ?? {};
      expect(Object.keys(deps).sort()).toEqual([name.replace('-service', '-db'), 'redis'].sort());
      expect(Object.values(deps).map((d) => d.condition)).toEqual(['service_healthy', 'service_healthy']);
    }
    expect(Object.keys(production.services.nginx?.depends_on ?? {}).sort()).toEqual([...nodeServices].sort());
  });

  it('when the databases and Redis are read, then their data lives in named volumes and they have health checks', () => {
    for (const name of [...databases, 'redis']) {
      const service = production.services[name];
      expect(service?.healthcheck).toBeDefined();
      const [volume] = (service?.volumes?.[0] ?? '').split(':');
      expect(Object.keys(production.volumes)).toContain(volume);
    }
  });

  it('when Redis is read, then it keeps an AOF synced every second, never evicts and needs a password', () => {
    const script = (production.services.redis?.command ?? []).join('\n');
    expect(script).toMatch(/^appendonly yes$/m);
    expect(script).toMatch(/^appendfsync everysec$/m);
    expect(script).toMatch(/^maxmemory-policy noeviction$/m);
    expect(script).toMatch(/^requirepass \$\$\{REDIS_PASSWORD/m);
  });

  it('when cloudflared is read, then it runs only under the tunnel profile and publishes nothing', () => {
    const tunnel = production.services.cloudflared;
    expect(tunnel?.profiles).toEqual(['tunnel']);
    expect(tunnel?.ports).toBeUndefined();
    expect(tunnel?.networks).toEqual(production.services.nginx?.networks?.filter((n) => !production.networks[n]?.internal));
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
