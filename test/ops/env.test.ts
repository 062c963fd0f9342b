import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { migrateConfigShape } from '@market/kit';
import { authConfigShape } from '../../backend/auth-service/src/config';
import { notificationsConfigShape } from '../../backend/notifications-service/src/config';
import { ordersConfigShape, ordersWorkerConfigShape } from '../../backend/orders-service/src/config';
import {
  productsConfigShape,
  workerConfigShape as productsWorkerConfigShape,
} from '../../backend/products-service/src/config';
import { readRepoFile, readYaml, repoFiles, repoRoot } from './support';

interface Service {
  environment?: Record<string, unknown>;
  env_file?: Array<{ path: string } | string>;
  command?: string[];
  healthcheck?: { test?: string[] };
}
interface ComposeFile {
  services: Record<string, Service>;
}

const production = readYaml<ComposeFile>('docker-compose.yml');
const development = readYaml<ComposeFile>('docker-compose.dev.yml');

// Keys only the test tooling reads (TEST_*): documented with the local keys, never wired in production.
const isTestOnly = (key: string) => key.startsWith('TEST_');
/** Test hooks that once sat in a service's configuration; tests now inject them from their harness. */
const RETIRED_TEST_HOOKS = ['CRASH_AFTER_COMMIT_ONCE'];

/** The roles deploy/postgres/init-roles.sh gives each database container (its DB_* keys). */
const dbRoleKeys = () => [
  ...new Set([...readRepoFile('deploy/postgres/init-roles.sh').matchAll(/\$\{?(DB_[A-Z_]+)/g)].map((m) => m[1]!)),
];
/** Keys read by a third-party image's own entry point, as its documentation names them, and our init script. */
const IMAGE_KEYS: Record<string, string[]> = {
  'auth-db': ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER', ...dbRoleKeys()].sort(),
  'products-db': ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER', ...dbRoleKeys()].sort(),
  'orders-db': ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER', ...dbRoleKeys()].sort(),
  'notifications-db': ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER', ...dbRoleKeys()].sort(),
  cloudflared: ['TUNNEL_TOKEN'],
  // The compose environment (sign-up and anonymous access off) and the admin account of grafana.env.
  grafana: [
    'GF_ANALYTICS_REPORTING_ENABLED',
    'GF_AUTH_ANONYMOUS_ENABLED',
    'GF_SECURITY_ADMIN_PASSWORD',
    'GF_SECURITY_ADMIN_USER',
    'GF_USERS_ALLOW_SIGN_UP',
  ],
};
/** Containers configured by flags and mounted files alone (profile "monitoring"): no env file, no keys. */
const WITHOUT_ENVIRONMENT = ['node-exporter', 'prometheus'];

const matches = (text: string, pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[1]!))].sort();

/** Every key each container reads, derived from the code that reads it. */
function keysRead(): Record<string, string[]> {
  const redis = production.services.redis!;
  return {
    'auth-service': Object.keys(authConfigShape).sort(),
    'products-service': Object.keys(productsConfigShape).sort(),
    'orders-service': Object.keys(ordersConfigShape).sort(),
    // The saga's workers (dist/worker-start.js in their service's image) read their own, smaller shapes.
    'products-worker': Object.keys(productsWorkerConfigShape).sort(),
    'orders-worker': Object.keys(ordersWorkerConfigShape).sort(),
    // The one-shots applying each service's migrations (dist/migrate.js in its image).
    'auth-migrate': Object.keys(migrateConfigShape).sort(),
    'products-migrate': Object.keys(migrateConfigShape).sort(),
    'orders-migrate': Object.keys(migrateConfigShape).sort(),
    // The mailer: a worker-only service with its own database.
    'notifications-worker': Object.keys(notificationsConfigShape).sort(),
    'notifications-migrate': Object.keys(migrateConfigShape).sort(),
    nginx: matches(readRepoFile('deploy/nginx/docker-entrypoint.sh'), /\$\{(NGINX_[A-Z0-9_]+)/g),
    // deploy/redis/start-redis.sh (its command) and the health check.
    redis: matches(
      [readRepoFile('deploy/redis/start-redis.sh'), ...(redis.healthcheck?.test ?? [])]
        .join('\n')
        .replace(/\$\$/g, '$'),
      /\$\{?([A-Z][A-Z0-9_]*)/g,
    ),
    ...IMAGE_KEYS,
  };
}

/** .env.example: `# [section]` starts a section; each KEY= line needs a comment line right above it. */
function envExample(): { sections: Record<string, string[]>; uncommented: string[] } {
  const sections: Record<string, string[]> = {};
  const uncommented: string[] = [];
  let current = '';
  let previous = '';
  for (const line of readRepoFile('.env.example').split('\n')) {
    const header = line.match(/^# \[([a-z-]+)\]$/);
    if (header) {
      current = header[1]!;
      sections[current] = [];
    } else {
      const key = line.match(/^([A-Z][A-Z0-9_]*)=/)?.[1];
      if (key) {
        if (!current) throw new Error(`.env.example: ${key} is outside any [section]`);
        sections[current]!.push(key);
        if (!previous.startsWith('#') || /^# \[/.test(previous)) uncommented.push(`[${current}] ${key}`);
      }
    }
    previous = line;
  }
  return { sections, uncommented };
}

/** The env templates of the Ansible roles, by container name. */
function ansibleTemplates(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.env.j2') && entry !== 'compose.env.j2' && entry !== 'backup.env.j2') {
        found[entry.replace('.env.j2', '')] = matches(
          readRepoFile(path.relative(repoRoot, full)),
          /^([A-Z][A-Z0-9_]*)=/gm,
        );
      }
    }
  };
  walk(path.join(repoRoot, 'ansible', 'roles'));
  return found;
}

const envFileOf = (service: Service) =>
  (service.env_file ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : entry.path))
    .map((p) => p.match(/^\$\{MARKETPLACE_ENV_DIR:-\.\/env\}\/([a-z-]+)\.env$/)?.[1] ?? `unexpected path ${p}`);

describe('environment keys', () => {
  const read = keysRead();
  const containers = Object.keys(read).sort();
  const { sections, uncommented } = envExample();
  const templates = ansibleTemplates();

  it('when the code is read, then every container of the production stack has its keys derived', () => {
    expect(containers).toEqual(
      Object.keys(production.services)
        .filter((name) => !WITHOUT_ENVIRONMENT.includes(name))
        .sort(),
    );
    for (const name of WITHOUT_ENVIRONMENT) {
      expect([name, production.services[name]!.env_file, production.services[name]!.environment]).toEqual([
        name,
        undefined,
        undefined,
      ]);
    }
    for (const name of ['auth-service', 'products-service', 'orders-service', 'products-worker', 'orders-worker']) {
      expect(read[name]).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST']));
      // Every pool carries the database timeouts.
      expect(read[name]).toEqual(
        expect.arrayContaining(['DB_STATEMENT_TIMEOUT_MS', 'DB_LOCK_TIMEOUT_MS', 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS']),
      );
    }
    // A migrate one-shot reaches its database and nothing else.
    for (const name of ['auth-migrate', 'products-migrate', 'orders-migrate'])
      expect([name, read[name]]).toEqual([name, ['DATABASE_MIGRATION_URL', 'DATABASE_URL', 'LOG_LEVEL']]);
    // The workers verify no tokens: no JWT key reaches them.
    for (const name of ['products-worker', 'orders-worker']) {
      expect([name, read[name]!.filter((key) => /^JWT_(PUBLIC|PRIVATE)_KEY$|^JWKS_URL$/.test(key))]).toEqual([
        name,
        [],
      ]);
    }
    expect(read.nginx).toContain('NGINX_LOGIN_RATE');
    expect(read.redis).toEqual([
      'INVENTORY_STREAM',
      'ORDERS_STREAM',
      'ORDER_EVENTS_STREAM',
      'RATE_LIMIT_PREFIX',
      'REDIS_AUTH_PASSWORD',
      'REDIS_MAXMEMORY',
      'REDIS_NOTIFICATIONS_PASSWORD',
      'REDIS_ORDERS_PASSWORD',
      'REDIS_PASSWORD',
      'REDIS_PRODUCTS_PASSWORD',
      'USER_EVENTS_STREAM',
    ]);
    expect(read['auth-db']).toEqual(expect.arrayContaining(['DB_OWNER_ROLE', 'DB_RUNTIME_PASSWORD']));
  });

  it('when .env.example is read, then every key has a comment', () => {
    expect(uncommented).toEqual([]);
  });

  it('when the README is read, then its Configuration section explains every .env.example key', () => {
    const readme = readRepoFile('README.md');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
    );
    const documented = new Set(matches(section, /^\| `([A-Z][A-Z0-9_]*)` +\|/gm));
    const keys = [...new Set(Object.values(sections).flat())].sort();
    expect(keys.filter((key) => !documented.has(key))).toEqual([]);
  });

  it.each(Object.keys(keysRead()).sort())(
    'when %s is checked, then .env.example documents exactly the keys it reads',
    (name) => {
      const wanted = read[name]!.filter((k) => !isTestOnly(k));
      expect([...(sections[name] ?? [])].sort()).toEqual(wanted);
    },
  );

  it.each(Object.keys(keysRead()).sort())(
    'when %s is checked, then compose and its Ansible env template wire exactly the keys it reads, each once',
    (name) => {
      const service = production.services[name]!;
      expect(envFileOf(service)).toEqual([name]);
      const fromCompose = Object.keys(service.environment ?? {});
      const fromTemplate = templates[name] ?? [];
      expect(fromCompose.filter((key) => fromTemplate.includes(key))).toEqual([]);
      const wanted = read[name]!.filter((k) => !isTestOnly(k));
      expect([...fromCompose, ...fromTemplate].sort()).toEqual(wanted);
    },
  );

  it('when the Ansible roles are read, then they render every env file compose loads, and no other', () => {
    const appDefaults = YAML.parse(readRepoFile('ansible/roles/app/defaults/main.yml')) as { app_env_files: string[] };
    expect([...appDefaults.app_env_files, 'cloudflared'].sort()).toEqual(containers);
    expect(Object.keys(templates).sort()).toEqual(containers);
  });

  it('when the compose variables are read, then [compose] documents them and the app role renders them', () => {
    const text = readRepoFile('docker-compose.yml').replace(/\$\$\{/g, '');
    const interpolated = matches(text, /\$\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g);
    const documented = [...(sections.compose ?? [])].sort();
    // COMPOSE_PROFILES is compose's own variable, read from the same file.
    expect(documented).toEqual([...interpolated, 'COMPOSE_PROFILES'].sort());
    expect(matches(readRepoFile('ansible/roles/app/templates/compose.env.j2'), /^([A-Z][A-Z0-9_]*)=/gm)).toEqual(
      documented,
    );
  });

  it('when the development stack is read, then it sets no key its container does not read', () => {
    for (const [name, service] of Object.entries(development.services)) {
      const readers = read[name] ?? [];
      const unread = Object.keys(service.environment ?? {}).filter((key) => !readers.includes(key));
      expect([name, unread]).toEqual([name, []]);
    }
  });

  it("when the services' configurations are read, then none of them declares a test hook (tests inject theirs from the harness)", () => {
    const shapes = [
      authConfigShape,
      productsConfigShape,
      ordersConfigShape,
      productsWorkerConfigShape,
      ordersWorkerConfigShape,
      migrateConfigShape,
    ];
    const declared = new Set(shapes.flatMap((shape) => Object.keys(shape)));

    expect([...declared].filter((key) => isTestOnly(key) || RETIRED_TEST_HOOKS.includes(key))).toEqual([]);
    expect(
      matches(readRepoFile('.env.example'), /^#?\s*([A-Z][A-Z0-9_]*)=/gm).filter((key) =>
        RETIRED_TEST_HOOKS.includes(key),
      ),
    ).toEqual([]);
  });

  it('when the local scripts and test helpers are read, then [local] documents the keys they take from the environment', () => {
    const system = new Set(['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'CI']);
    const sources = repoFiles().filter(
      (f) => /^scripts\/.*\.(ts|mjs|cjs)$/.test(f) || f === 'backend/packages/kit/src/testing.ts',
    );
    const keys = new Set(
      sources
        .flatMap((f) => matches(readRepoFile(f), /process\.env\.([A-Z][A-Z0-9_]*)/g))
        .filter((k) => !system.has(k)),
    );
    for (const shape of [
      authConfigShape,
      productsConfigShape,
      ordersConfigShape,
      productsWorkerConfigShape,
      ordersWorkerConfigShape,
    ]) {
      for (const key of Object.keys(shape).filter(isTestOnly)) keys.add(key);
    }
    expect([...(sections.local ?? [])].sort()).toEqual([...keys].sort());
  });
});
