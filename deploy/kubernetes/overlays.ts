import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';

/** A service outside the manifests (PostgreSQL, Redis): the host its ExternalName Service points at and the pods or addresses it runs on. */
export interface ExternalService {
  host: string;
  port: number;
  /** Who the NetworkPolicies let the service's clients reach on that port. */
  peers: INetworkPolicyPeer[];
}

export interface Overlay {
  namespace: string;
  /** Where the images built by CI are pulled from: `<registry>/<image>:<tag>`. */
  registry: string;
  /** A docker-registry Secret for a private registry; none for a public one. */
  imagePullSecret?: string;
  /** HorizontalPodAutoscaler bounds of the APIs and the workers. */
  autoscale: Record<
    | 'auth-service'
    | 'products-service'
    | 'orders-service'
    | 'products-worker'
    | 'orders-worker'
    | 'notifications-worker',
    { min: number; max: number }
  >;
  /** Fixed replicas of nginx (cloudflared always runs 2). */
  nginxReplicas: number;
  /** The product-images claim: ReadWriteMany, so every products-service and nginx pod mounts it. */
  productImages: { storageClassName?: string; size: string };
  external: Record<'auth-db' | 'products-db' | 'orders-db' | 'notifications-db' | 'redis', ExternalService>;
  /** Values replacing those of settings.ts in every container that reads the key (never a secret). */
  settings?: Record<string, string>;
  /**
   * The cluster's own Prometheus and Grafana (README, "Kubernetes"): the namespace they run in, which
   * gets the scrape config, rules and dashboard as ConfigMaps (monitoring.ts), and the Prometheus pods
   * the NetworkPolicies let scrape the services and workers.
   */
  monitoring: { namespace: string; prometheus: INetworkPolicyPeer[] };
}

/** A Prometheus in the namespace `monitoring`, labelled as the Prometheus Helm chart and kube-prometheus label theirs. */
const clusterMonitoring: Overlay['monitoring'] = {
  namespace: 'monitoring',
  prometheus: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    },
  ],
};

/** PostgreSQL clusters run by CloudNativePG and Redis in the namespace `marketplace-data` (README, "Kubernetes"). */
const inDataNamespace = (namespace: string, labels: Record<string, string>): INetworkPolicyPeer[] => [
  {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: { matchLabels: labels },
  },
];
const dataServices = (namespace: string): Overlay['external'] => ({
  'auth-db': {
    host: `auth-db-rw.${namespace}.svc.cluster.local`,
    port: 5432,
    peers: inDataNamespace(namespace, { 'cnpg.io/cluster': 'auth-db' }),
  },
  'products-db': {
    host: `products-db-rw.${namespace}.svc.cluster.local`,
    port: 5432,
    peers: inDataNamespace(namespace, { 'cnpg.io/cluster': 'products-db' }),
  },
  'orders-db': {
    host: `orders-db-rw.${namespace}.svc.cluster.local`,
    port: 5432,
    peers: inDataNamespace(namespace, { 'cnpg.io/cluster': 'orders-db' }),
  },
  'notifications-db': {
    host: `notifications-db-rw.${namespace}.svc.cluster.local`,
    port: 5432,
    peers: inDataNamespace(namespace, { 'cnpg.io/cluster': 'notifications-db' }),
  },
  redis: {
    host: `redis.${namespace}.svc.cluster.local`,
    port: 6379,
    peers: inDataNamespace(namespace, { 'app.kubernetes.io/name': 'redis' }),
  },
});

export const OVERLAYS: Record<string, Overlay> = {
  production: {
    namespace: 'marketplace',
    registry: 'ghcr.io/example/marketplace',
    imagePullSecret: 'registry-credentials',
    autoscale: {
      'auth-service': { min: 2, max: 6 },
      'products-service': { min: 2, max: 8 },
      'orders-service': { min: 2, max: 8 },
      'products-worker': { min: 2, max: 6 },
      'orders-worker': { min: 2, max: 6 },
      'notifications-worker': { min: 1, max: 3 },
    },
    nginxReplicas: 2,
    productImages: { size: '20Gi' },
    external: dataServices('marketplace-data'),
    monitoring: clusterMonitoring,
  },
  // One of each, demo data on: a place to try a release before production.
  staging: {
    namespace: 'marketplace-staging',
    registry: 'ghcr.io/example/marketplace',
    imagePullSecret: 'registry-credentials',
    autoscale: {
      'auth-service': { min: 1, max: 2 },
      'products-service': { min: 1, max: 2 },
      'orders-service': { min: 1, max: 2 },
      'products-worker': { min: 1, max: 2 },
      'orders-worker': { min: 1, max: 2 },
      'notifications-worker': { min: 1, max: 1 },
    },
    nginxReplicas: 1,
    productImages: { size: '2Gi' },
    external: dataServices('marketplace-staging-data'),
    monitoring: clusterMonitoring,
    settings: { DEMO_MODE: 'true', LOG_LEVEL: 'debug' },
  },
};
