/**
 * What runs, as compose runs it (docker-compose.yml): the same images, commands, ports, users and
 * networks. manifests.ts turns each entry into its Kubernetes objects.
 */

/** compose's networks; network-policies.ts gives each the same reach. */
export type Network =
  'edge' | 'mail' | 'api' | 'auth-db' | 'products-db' | 'orders-db' | 'notifications-db' | 'redis' | 'metrics';

export interface Workload {
  /** The container's name in compose, and its section of .env.example. */
  name: string;
  /** api and worker scale with an HPA, migration is a Job, frontend and tunnel have fixed replicas. */
  component: 'api' | 'worker' | 'migration' | 'frontend' | 'tunnel';
  /** One of ours (`<registry>/<image>:<tag>`) or a third-party image pinned to a release. */
  image: { ours: string } | { pinned: string };
  /** Replaces the image's CMD; its ENTRYPOINT still runs (the Node images' names CONSUMER_NAME when unset). */
  args?: string[];
  /** The port serving its probes (and, for api and frontend, its Service). */
  port?: number;
  probes?: { ready: string; live: string };
  /** The image's unprivileged user, by number so the kubelet can check it is not root. */
  user: number;
  networks: Network[];
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  productImages?: 'read-write' | 'read-only';
  /** An emptyDir on /tmp (compose's tmpfs), the one writable path of its read-only root. */
  tmp: boolean;
  /** Seconds between SIGTERM and SIGKILL: a worker finishes its batch (STREAM_HANDLER_TIMEOUT_MS) first. */
  gracePeriod: number;
}

/** compose's cloudflared image; test/ops/kubernetes.test.ts keeps the two the same. */
const CLOUDFLARED_IMAGE = 'cloudflare/cloudflared:2025.9.1';

const NODE_USER = 1000; // `node` in node:*-bookworm-slim
const NGINX_USER = 101; // `nginx` in nginx:*-alpine
const CLOUDFLARED_USER = 65532; // `nonroot` in cloudflare/cloudflared

const nodeProbes = { ready: '/ready', live: '/health' };
const size = (cpu: [string, string], memory: [string, string]): Workload['resources'] => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});
const api = (name: string, port: number, database: Network): Workload => ({
  name,
  component: 'api',
  image: { ours: name },
  port,
  probes: nodeProbes,
  user: NODE_USER,
  networks: ['api', database, 'redis', 'metrics'],
  resources: size(['250m', '1'], ['256Mi', '512Mi']),
  tmp: true,
  gracePeriod: 45,
});
const worker = (name: string, image: string, port: number, database: Network): Workload => ({
  name,
  component: 'worker',
  image: { ours: image },
  args: ['node', 'dist/worker-start.js'],
  port,
  probes: nodeProbes,
  user: NODE_USER,
  networks: [database, 'redis', 'metrics'],
  resources: size(['200m', '1'], ['192Mi', '384Mi']),
  tmp: true,
  gracePeriod: 45,
});
const migration = (name: string, image: string, database: Network): Workload => ({
  name,
  component: 'migration',
  image: { ours: image },
  args: ['node', 'dist/migrate.js'],
  user: NODE_USER,
  networks: [database],
  resources: size(['100m', '500m'], ['128Mi', '256Mi']),
  tmp: true,
  gracePeriod: 30,
});

export const WORKLOADS: Workload[] = [
  {
    name: 'nginx',
    component: 'frontend',
    image: { ours: 'nginx' },
    port: 8080,
    probes: { ready: '/healthz', live: '/healthz' },
    user: NGINX_USER,
    networks: ['edge', 'api'],
    resources: size(['100m', '500m'], ['64Mi', '256Mi']),
    productImages: 'read-only',
    tmp: true,
    gracePeriod: 30,
  },
  // auth-service sends password-reset and verification mail through the SMTP relay.
  (() => {
    const auth = api('auth-service', 3001, 'auth-db');
    return { ...auth, networks: [...auth.networks, 'mail'] };
  })(),
  { ...api('products-service', 3002, 'products-db'), productImages: 'read-write' },
  api('orders-service', 3003, 'orders-db'),
  worker('products-worker', 'products-service', 3004, 'products-db'),
  worker('orders-worker', 'orders-service', 3005, 'orders-db'),
  // The mailer: its own image and database, and the SMTP relay.
  {
    ...worker('notifications-worker', 'notifications-service', 3006, 'notifications-db'),
    networks: ['notifications-db', 'redis', 'mail'],
  },
  migration('auth-migrate', 'auth-service', 'auth-db'),
  migration('products-migrate', 'products-service', 'products-db'),
  migration('orders-migrate', 'orders-service', 'orders-db'),
  migration('notifications-migrate', 'notifications-service', 'notifications-db'),
  {
    name: 'cloudflared',
    component: 'tunnel',
    image: { pinned: CLOUDFLARED_IMAGE },
    // Its metrics server answers /ready while the tunnel holds a connection to Cloudflare.
    args: ['tunnel', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run'],
    port: 2000,
    probes: { ready: '/ready', live: '/ready' },
    user: CLOUDFLARED_USER,
    networks: ['edge'],
    resources: size(['50m', '500m'], ['64Mi', '256Mi']),
    tmp: false,
    gracePeriod: 30,
  },
];
