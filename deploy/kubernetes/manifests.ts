import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { readEnvExample } from './env-example';
import { monitoringConfigMaps } from './monitoring';
import { externalServices, networkLabel, networkPolicies } from './network-policies';
import type { Overlay } from './overlays';
import { environmentOf, PRODUCT_IMAGES_CLAIM, podSpecOf } from './pod';
import { SETTINGS } from './settings';
import { WORKLOADS, type Workload } from './workloads';

export interface RenderOptions {
  overlay: Overlay;
  /** The tag CI gave the images (the commit's sha); never `latest`. */
  tag: string;
  /** Overrides the overlay's registry. */
  registry?: string;
}

/** Every kind the manifests hold. */
export type KubernetesObject =
  | ConfigMap
  | Deployment
  | HorizontalPodAutoscaler
  | Job
  | NetworkPolicy
  | PersistentVolumeClaim
  | PodDisruptionBudget
  | Service;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CLOUDFLARED_REPLICAS = 2;

/** Every object of one overlay, each checked against the Kubernetes API schema it claims. */
export function renderManifests({ overlay, tag, registry = overlay.registry }: RenderOptions): KubernetesObject[] {
  if (!TAG.test(tag) || tag === 'latest') {
    throw new Error(
      `image tag '${tag}' refused: give the commit's tag CI pushed (letters, digits, _ . -), never latest`,
    );
  }
  const unknown = Object.keys(overlay.settings ?? {}).filter((key) => !(key in SETTINGS));
  if (unknown.length) throw new Error(`the overlay sets keys settings.ts does not know: ${unknown.join(', ')}`);
  const sections = readEnvExample();
  const objects: KubernetesObject[] = [
    ...WORKLOADS.flatMap((workload) => {
      const keys = sections[workload.name]?.map((entry) => entry.key);
      if (!keys) throw new Error(`.env.example has no [${workload.name}] section`);
      return workloadObjects(workload, keys, { overlay, tag, registry });
    }),
    new PersistentVolumeClaim({
      metadata: { name: PRODUCT_IMAGES_CLAIM, namespace: overlay.namespace, labels: partOf },
      spec: {
        accessModes: ['ReadWriteMany'],
        ...(overlay.productImages.storageClassName ? { storageClassName: overlay.productImages.storageClassName } : {}),
        resources: { requests: { storage: overlay.productImages.size } },
      },
    }),
    ...externalServices(overlay),
    ...networkPolicies(overlay),
    ...monitoringConfigMaps(overlay),
  ];
  for (const object of objects) object.validate();
  return objects;
}

const partOf = { 'app.kubernetes.io/part-of': 'marketplace' };

function workloadObjects(
  workload: Workload,
  keys: string[],
  { overlay, tag, registry }: Required<RenderOptions>,
): KubernetesObject[] {
  const { namespace } = overlay;
  const selector = { 'app.kubernetes.io/name': workload.name, ...partOf };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': workload.component,
    'app.kubernetes.io/version': tag.slice(0, 63),
  };
  const image = 'ours' in workload.image ? `${registry}/${workload.image.ours}:${tag}` : workload.image.pinned;
  const configMap = `${workload.name}-env`;
  const environment = environmentOf(workload, keys, overlay);
  const template = {
    metadata: {
      labels: { ...labels, ...Object.fromEntries(workload.networks.map((network) => [networkLabel(network), 'true'])) },
      annotations: { 'marketplace/environment-checksum': environment.checksum },
    },
    spec: podSpecOf(workload, { image, configMap, environment, overlay }),
  };
  const objects: KubernetesObject[] = [
    new ConfigMap({ metadata: { name: configMap, namespace, labels }, data: environment.config }),
  ];

  if (workload.component === 'migration') {
    // One Job per release (Job specs are immutable); it finds nothing to do when run again.
    const release = tag
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '-')
      .slice(0, 12)
      .replace(/-+$/, '');
    objects.push(
      new Job({
        metadata: { name: `${workload.name}-${release}`, namespace, labels },
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 900,
          ttlSecondsAfterFinished: 7 * 24 * 3600,
          template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } },
        },
      }),
    );
    return objects;
  }

  const scaled = workload.component === 'api' || workload.component === 'worker';
  const replicas = workload.component === 'frontend' ? overlay.nginxReplicas : CLOUDFLARED_REPLICAS;
  objects.push(
    new Deployment({
      metadata: { name: workload.name, namespace, labels },
      spec: {
        // The HPA owns the replica count of what it scales.
        ...(scaled ? {} : { replicas }),
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          ...template,
          spec: {
            ...template.spec,
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
          },
        },
      },
    }),
    new PodDisruptionBudget({
      metadata: { name: workload.name, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    }),
  );
  if (workload.port && (workload.component === 'api' || workload.component === 'frontend')) {
    objects.push(
      new Service({
        metadata: { name: workload.name, namespace, labels },
        spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: workload.port, targetPort: 'http' }] },
      }),
    );
  }
  if (scaled) {
    const bounds = overlay.autoscale[workload.name as keyof Overlay['autoscale']];
    if (!bounds) throw new Error(`the overlay has no autoscale bounds for ${workload.name}`);
    objects.push(
      new HorizontalPodAutoscaler({
        metadata: { name: workload.name, namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
          minReplicas: bounds.min,
          maxReplicas: bounds.max,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      }),
    );
  }
  return objects;
}
