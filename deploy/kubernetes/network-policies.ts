import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import { Service } from 'kubernetes-models/v1/Service';
import type { Overlay } from './overlays';
import type { Network } from './workloads';

/** The pod label making a pod a member of one of compose's networks. */
export const networkLabel = (network: Network) => `marketplace-network/${network}`;

const NETWORKS: Network[] = [
  'edge',
  'mail',
  'api',
  'auth-db',
  'products-db',
  'orders-db',
  'notifications-db',
  'redis',
  'metrics',
];
/** The networks whose far end runs outside these manifests (the databases, Redis). */
const EXTERNAL: Partial<Record<Network, keyof Overlay['external']>> = {
  'auth-db': 'auth-db',
  'products-db': 'products-db',
  'orders-db': 'orders-db',
  'notifications-db': 'notifications-db',
  redis: 'redis',
};
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const SMTP_PORTS = [25, 465, 587, 1025, 2525];

/**
 * compose's networks as NetworkPolicies: everything is denied, then each network lets its members
 * reach one another, as a compose network does. The database and Redis networks also reach their
 * external service; edge, a non-internal network, reaches the internet (cloudflared's
 * way to Cloudflare); mail reaches an SMTP relay on the submission ports. Every pod may ask the cluster's DNS. The metrics network also lets the overlay's
 * Prometheus (in its own namespace) in, to scrape the services' and workers' /metrics.
 */
export function networkPolicies(overlay: Overlay): NetworkPolicy[] {
  const metadata = (name: string) => ({ name, namespace: overlay.namespace });
  const policies = [
    new NetworkPolicy({
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }),
    new NetworkPolicy({
      metadata: metadata('dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    }),
  ];
  for (const network of NETWORKS) {
    const members = { matchLabels: { [networkLabel(network)]: 'true' } };
    const egress: INetworkPolicyEgressRule[] = [{ to: [{ podSelector: members }] }];
    const external = EXTERNAL[network];
    if (external) {
      const service = overlay.external[external];
      egress.push({ to: service.peers, ports: [{ protocol: 'TCP', port: service.port }] });
    }
    if (network === 'edge') egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }] });
    // The SMTP relay, wherever it runs: submission ports only.
    if (network === 'mail')
      egress.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: SMTP_PORTS.map((port) => ({ protocol: 'TCP', port })),
      });
    policies.push(
      new NetworkPolicy({
        metadata: metadata(`network-${network}`),
        spec: {
          podSelector: members,
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: [{ podSelector: members }] },
            ...(network === 'metrics' ? [{ from: overlay.monitoring.prometheus }] : []),
          ],
          egress,
        },
      }),
    );
  }
  return policies;
}

/** The databases and Redis under compose's host names, so the URLs in the Secrets read as in compose. */
export const externalServices = (overlay: Overlay): Service[] =>
  Object.entries(overlay.external).map(
    ([name, service]) =>
      new Service({
        metadata: { name, namespace: overlay.namespace, labels: { 'app.kubernetes.io/part-of': 'marketplace' } },
        spec: { type: 'ExternalName', externalName: service.host, ports: [{ name: 'tcp', port: service.port }] },
      }),
  );
