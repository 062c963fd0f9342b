// The Kubernetes manifests (deploy/kubernetes), rendered by the same command an operator runs: every object
// checked against the Kubernetes API schemas (kubernetes-models' validators), the pod and secret policies,
// the keys of .env.example, and parity with compose (images, commands, networks).
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { migrateConfigShape, parseConfig } from '@market/kit';
import { loadConfig as loadAuthConfig } from '../../backend/auth-service/src/config';
import { loadConfig as loadNotificationsConfig } from '../../backend/notifications-service/src/config';
import {
  loadConfig as loadOrdersConfig,
  loadWorkerConfig as loadOrdersWorkerConfig,
} from '../../backend/orders-service/src/config';
import {
  loadConfig as loadProductsConfig,
  loadWorkerConfig as loadProductsWorkerConfig,
} from '../../backend/products-service/src/config';
import { readEnvExample } from '../../deploy/kubernetes/env-example';
import { OVERLAYS } from '../../deploy/kubernetes/overlays';
import { environmentOf } from '../../deploy/kubernetes/pod';
import { WORKLOADS } from '../../deploy/kubernetes/workloads';
import { keysByContainer, podsOf, policyViolations, type RenderedObject } from './kubernetes-policy';
import { readRepoFile, readYaml, run } from './support';

const TAG = '0123456789abcdef0123456789abcdef01234567';
const render = (...args: string[]) => run('npx', ['tsx', 'deploy/kubernetes/render.ts', ...args]);

function rendered(overlay: string): RenderedObject[] {
  const result = render('--overlay', overlay, '--tag', TAG);
  if (result.code !== 0) throw new Error(`render failed: ${result.output}`);
  return YAML.parseAllDocuments(result.stdout).map((doc) => doc.toJS() as RenderedObject);
}

/** The model validating each kind the manifests may hold; a kind missing here fails the schema check. */
const MODELS: Record<string, { validate(data: unknown): void }> = Object.fromEntries(
  [
    ConfigMap,
    Deployment,
    HorizontalPodAutoscaler,
    Job,
    NetworkPolicy,
    PersistentVolumeClaim,
    PodDisruptionBudget,
    Service,
  ].map((Model) => [
    `${Model.apiVersion}/${Model.kind}`,
    { validate: (data: unknown) => new Model(data as never).validate() },
  ]),
);

const sections = readEnvExample();
/** Sections of .env.example that are no container of the manifests: compose's own, the local tools', and the data services run outside. */
// Grafana in a cluster is the operator's own; the render ships its dashboard and datasource (monitoring.ts).
const NOT_IN_KUBERNETES = [
  'compose',
  'local',
  'auth-db',
  'products-db',
  'orders-db',
  'notifications-db',
  'redis',
  'grafana',
];
const overlays = Object.keys(OVERLAYS).sort();
const cache = new Map<string, RenderedObject[]>();
const objectsOf = (overlay: string) => cache.get(overlay) ?? cache.set(overlay, rendered(overlay)).get(overlay)!;
const find = (objects: RenderedObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const containerOf = (objects: RenderedObject[], kind: string, name: string) => {
  const pod = podsOf(objects).find((p) => p.owner.startsWith(`${kind}/${name}`))?.pod;
  if (!pod) throw new Error(`no ${kind} ${name}`);
  return pod.containers[0]!;
};

interface ComposeService {
  image?: string;
  command?: string[];
  networks?: string[];
  environment?: Record<string, string>;
}
const compose = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml').services;

describe('Kubernetes manifests', () => {
  it('when the overlays are listed, then production and staging are among them', () => {
    expect(overlays).toEqual(expect.arrayContaining(['production', 'staging']));
  });

  it.each(overlays)('when %s is rendered, then every object is valid against the Kubernetes API schemas', (overlay) => {
    const objects = objectsOf(overlay);
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      const model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect([object.kind, object.metadata.name, Boolean(model)]).toEqual([object.kind, object.metadata.name, true]);
      expect(() => model!.validate(object)).not.toThrow();
      // The monitoring ConfigMaps go where the cluster's Prometheus and Grafana run.
      const { labels = {} } = object.metadata as { labels?: Record<string, string> };
      const monitoring = object.kind === 'ConfigMap' && labels['app.kubernetes.io/component'] === 'monitoring';
      expect([object.metadata.name, object.metadata.namespace]).toEqual([
        object.metadata.name,
        monitoring ? OVERLAYS[overlay]!.monitoring.namespace : OVERLAYS[overlay]!.namespace,
      ]);
    }
  });

  it.each(overlays)('when %s is rendered, then it passes the pod and secret policies', (overlay) => {
    expect(policyViolations(objectsOf(overlay), sections)).toEqual([]);
  });

  it.each(overlays)(
    'when %s is rendered, then each container gets exactly the keys of its section of .env.example',
    (overlay) => {
      const containers = Object.keys(sections)
        .filter((name) => !NOT_IN_KUBERNETES.includes(name))
        .sort();
      const wanted = Object.fromEntries(containers.map((name) => [name, sections[name]!.map((e) => e.key).sort()]));
      expect(keysByContainer(objectsOf(overlay))).toEqual(wanted);
    },
  );

  it('when a rendered object breaks a policy, then the checks name it', () => {
    const objects = structuredClone(objectsOf('production'));
    const container = containerOf(objects, 'Deployment', 'orders-service');
    container.securityContext = { ...container.securityContext, readOnlyRootFilesystem: false, capabilities: {} };
    container.image = 'ghcr.io/example/marketplace/orders-service:latest';
    delete container.readinessProbe;
    delete container.resources!.limits;
    container.env = [...(container.env ?? []), { name: 'ADMIN_PASSWORD', value: 'hunter2hunter2' }];
    const migrate = podsOf(objects).find((p) => p.owner.startsWith('Job/auth-migrate'))!.pod;
    migrate.securityContext = { ...migrate.securityContext, runAsNonRoot: false, runAsUser: 0 };
    delete migrate.containers[0]!.securityContext!.runAsNonRoot;
    find(objects, 'ConfigMap', 'products-worker-env')!.data!.REDIS_URL = 'redis://:pw@redis:6379/0';
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'jwt-keys' } });

    const violations = policyViolations(objects, sections);

    for (const expected of [
      'Deployment/orders-service/orders-service: root filesystem is writable',
      'Deployment/orders-service/orders-service: capabilities not all dropped',
      'Deployment/orders-service/orders-service: image ghcr.io/example/marketplace/orders-service:latest is not pinned to a tag other than latest',
      'Deployment/orders-service/orders-service: no readinessProbe',
      'Deployment/orders-service/orders-service: no cpu limits',
      'Deployment/orders-service/orders-service: ADMIN_PASSWORD is inlined, not a secretKeyRef',
      'ConfigMap/products-worker-env: REDIS_URL holds a secret',
      'Secret/jwt-keys: secrets are referenced, never rendered',
    ]) {
      expect(violations).toContain(expected);
    }
    expect(violations.filter((v) => v.startsWith('Job/auth-migrate'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/may run as root$/), expect.stringMatching(/runs as uid 0/)]),
    );
  });

  it('when a container reads a key settings.ts has no value for, then rendering fails naming it', () => {
    const worker = WORKLOADS.find((w) => w.name === 'orders-worker')!;
    const keys = [...sections['orders-worker']!.map((e) => e.key), 'NEW_WORKER_KEY'];
    expect(() => environmentOf(worker, keys, OVERLAYS.production!)).toThrow(
      'NEW_WORKER_KEY of [orders-worker] in .env.example has no value in deploy/kubernetes/settings.ts',
    );
    expect(() => environmentOf(worker, keys.slice(0, -1), OVERLAYS.production!)).not.toThrow();
  });

  it('when an overlay sets a secret as a plain value, then rendering refuses', () => {
    const api = WORKLOADS.find((w) => w.name === 'orders-service')!;
    const overlay = { ...OVERLAYS.production!, settings: { REDIS_URL: 'redis://:pw@redis:6379/0' } };
    expect(() => environmentOf(api, ['REDIS_URL'], overlay)).toThrow('the overlay sets REDIS_URL, which is a secret');
  });

  it('when the image tag is latest or missing, then rendering refuses', () => {
    const latest = render('--overlay', 'production', '--tag', 'latest');
    expect([latest.code, latest.stderr]).toEqual([1, expect.stringContaining("image tag 'latest' refused")]);
    const missing = render('--overlay', 'production');
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('usage: --overlay')]);
  });

  it('when production is rendered, then the workloads run as compose runs them: images, commands, networks', () => {
    const objects = objectsOf('production');
    const ours = (name: string) =>
      compose[name]!.image!.replace(
        /^\$\{MARKETPLACE_IMAGE_REGISTRY:-marketplace\}\/([a-z-]+):.*$/,
        `ghcr.io/example/marketplace/$1:${TAG}`,
      );
    for (const name of [
      'nginx',
      'auth-service',
      'products-service',
      'orders-service',
      'products-worker',
      'orders-worker',
    ]) {
      const container = containerOf(objects, 'Deployment', name);
      expect([name, container.image]).toEqual([name, ours(name)]);
      expect([name, container.args]).toEqual([name, compose[name]!.command]);
    }
    for (const name of ['auth-migrate', 'products-migrate', 'orders-migrate']) {
      const container = containerOf(objects, 'Job', name);
      expect([name, container.image, container.args]).toEqual([name, ours(name), ['node', 'dist/migrate.js']]);
    }
    const tunnel = containerOf(objects, 'Deployment', 'cloudflared');
    expect(tunnel.image).toBe(compose.cloudflared!.image);
    expect(find(objects, 'Deployment', 'cloudflared')!.spec!.replicas).toBe(2);

    // compose's networks, one label each on the pods that join them.
    for (const { owner, pod } of podsOf(objects)) {
      const name = pod.containers[0]!.name;
      const template = objects.find((o) => `${o.kind}/${o.metadata.name}` === owner)!.spec!.template as {
        metadata: { labels: Record<string, string> };
      };
      const networks = Object.keys(template.metadata.labels)
        .filter((label) => label.startsWith('marketplace-network/'))
        .map((label) => label.replace('marketplace-network/', ''));
      expect([name, networks.sort()]).toEqual([name, [...compose[name]!.networks!].sort()]);
    }
  });

  it('when production is rendered, then the workers scale as members of their consumer groups, probed on their own port', () => {
    const objects = objectsOf('production');
    for (const name of ['products-worker', 'orders-worker']) {
      const container = containerOf(objects, 'Deployment', name);
      expect(container.env).toContainEqual({
        name: 'CONSUMER_NAME',
        valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
      });
      const port = Number(compose[name]!.environment!.PORT);
      expect(container.readinessProbe!.httpGet).toEqual({ path: '/ready', port });
      expect(container.livenessProbe!.httpGet).toEqual({ path: '/health', port });
      expect(find(objects, 'ConfigMap', `${name}-env`)!.data!.PORT).toBe(String(port));
      expect(find(objects, 'HorizontalPodAutoscaler', name)).toBeDefined();
      // The HPA owns the replica count.
      expect(find(objects, 'Deployment', name)!.spec!.replicas).toBeUndefined();
    }
    for (const name of ['auth-service', 'products-service', 'orders-service']) {
      expect(containerOf(objects, 'Deployment', name).readinessProbe!.httpGet!.path).toBe('/ready');
      expect(find(objects, 'HorizontalPodAutoscaler', name)).toBeDefined();
    }
    // The API processes leave consuming to the workers.
    expect(find(objects, 'ConfigMap', 'products-service-env')!.data!.RUN_INVENTORY_WORKER).toBe('false');
    expect(find(objects, 'ConfigMap', 'orders-service-env')!.data!.RUN_ORDERS_WORKER).toBe('false');
    for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
      expect([
        deployment.metadata.name,
        Boolean(find(objects, 'PodDisruptionBudget', deployment.metadata.name)),
      ]).toEqual([deployment.metadata.name, true]);
    }
  });

  it.each(overlays)(
    'when %s is rendered, then every service, worker and migration accepts its environment (Secrets stood in for)',
    (overlay) => {
      const objects = objectsOf(overlay);
      const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const secrets: Record<string, Record<string, string>> = {
        ...Object.fromEntries(
          ['auth', 'products', 'orders', 'notifications'].flatMap((name) => [
            [
              `${name}-database`,
              {
                DATABASE_URL: `postgres://${name}_app:pw@${name}-db:5432/${name}`,
                DATABASE_MIGRATION_URL: `postgres://${name}_owner:pw@${name}-db:5432/${name}`,
              },
            ],
            [`${name}-redis`, { REDIS_URL: `redis://${name}:pw@redis:6379/0` }],
          ]),
        ),
        'jwt-keys': {
          JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
        'totp-keys': { TOTP_ENCRYPTION_KEYS: randomBytes(32).toString('base64') },
        'smtp-relay': { SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465' },
        'unsubscribe-secret': { UNSUBSCRIBE_SECRET: 'a-stand-in-secret-of-at-least-32-characters' },
      };
      const environmentOfPod = (kind: string, name: string) => {
        const container = containerOf(objects, kind, name);
        const env: Record<string, string> = { ...find(objects, 'ConfigMap', `${name}-env`)!.data };
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          const value = ref ? secrets[ref.name ?? '']?.[ref.key] : `${name}-7d9f8c6b5-x2k4q`;
          if (value === undefined && !ref?.optional) throw new Error(`${name}: no stand-in for ${variable.name}`);
          if (value !== undefined) env[variable.name] = value;
        }
        return env;
      };
      const loaders: Array<[string, string, (env: NodeJS.ProcessEnv) => unknown]> = [
        ['Deployment', 'auth-service', loadAuthConfig],
        ['Deployment', 'products-service', loadProductsConfig],
        ['Deployment', 'orders-service', loadOrdersConfig],
        ['Deployment', 'products-worker', loadProductsWorkerConfig],
        ['Deployment', 'orders-worker', loadOrdersWorkerConfig],
        ['Deployment', 'notifications-worker', loadNotificationsConfig],
        ...['auth-migrate', 'products-migrate', 'orders-migrate', 'notifications-migrate'].map(
          (name): [string, string, (env: NodeJS.ProcessEnv) => unknown] => [
            'Job',
            name,
            (env) => parseConfig(migrateConfigShape, env),
          ],
        ),
      ];
      for (const [kind, name, load] of loaders) {
        expect(() => load(environmentOfPod(kind, name))).not.toThrow();
      }
      expect(loadOrdersWorkerConfig(environmentOfPod('Deployment', 'orders-worker'))).toMatchObject({
        CONSUMER_NAME: 'orders-worker-7d9f8c6b5-x2k4q',
        PORT: 3005,
      });
    },
  );

  it('when production is rendered, then the monitoring ConfigMaps carry the shipped rules and dashboard, and only Prometheus reaches the metrics network from outside', () => {
    const objects = objectsOf('production');
    const { namespace, monitoring } = OVERLAYS.production!;
    const data = (name: string) => find(objects, 'ConfigMap', `${namespace}-${name}`)?.data ?? {};
    expect(data('prometheus-rules')['alerts.yml']).toBe(readRepoFile('deploy/monitoring/prometheus/alerts.yml'));
    expect(data('grafana-dashboard')['marketplace.json']).toBe(
      readRepoFile('deploy/monitoring/grafana/dashboards/marketplace.json'),
    );
    const scrape = YAML.parse(data('prometheus')['prometheus.yml']!) as {
      scrape_configs: { job_name: string; kubernetes_sd_configs?: { namespaces: { names: string[] } }[] }[];
    };
    const shipped = YAML.parse(readRepoFile('deploy/monitoring/prometheus/prometheus.yml')) as typeof scrape;
    expect(scrape.scrape_configs.map((c) => c.job_name)).toEqual(shipped.scrape_configs.map((c) => c.job_name));
    for (const job of ['auth', 'products', 'orders', 'products-worker', 'orders-worker']) {
      const config = scrape.scrape_configs.find((c) => c.job_name === job)!;
      expect([job, config.kubernetes_sd_configs?.[0]?.namespaces.names]).toEqual([job, [namespace]]);
    }
    const policy = find(objects, 'NetworkPolicy', 'network-metrics') as unknown as {
      spec: { ingress: { from: unknown[] }[] };
    };
    expect(policy.spec.ingress.map((rule) => rule.from)).toEqual([
      [{ podSelector: { matchLabels: { 'marketplace-network/metrics': 'true' } } }],
      monitoring.prometheus,
    ]);
  });

  it('when the README is read, then its Kubernetes section names the render command and every Secret the manifests reference', () => {
    const readme = readRepoFile('README.md');
    const section = readme.slice(
      readme.indexOf('### Kubernetes'),
      readme.indexOf('\n## ', readme.indexOf('### Kubernetes')),
    );
    expect(section).toContain('npm run k8s:render -- --overlay production --tag');
    const referenced = new Set(
      overlays.flatMap((overlay) =>
        podsOf(objectsOf(overlay)).flatMap(({ pod }) =>
          pod.containers.flatMap((c) => (c.env ?? []).map((v) => v.valueFrom?.secretKeyRef?.name).filter(Boolean)),
        ),
      ),
    );
    expect([...referenced].filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
