import { createHash } from 'node:crypto';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { Overlay } from './overlays';
import { CONTAINER_SETTINGS, SETTINGS, type Setting } from './settings';
import type { Workload } from './workloads';

/** The claim holding uploaded product images (IMAGE_DIR in products-service, /images/ in nginx). */
export const PRODUCT_IMAGES_CLAIM = 'product-images';
const PRODUCT_IMAGES_PATH = '/var/lib/marketplace/images';

/** The environment of one container: plain values for its ConfigMap, references for everything else. */
export interface Environment {
  config: Record<string, string>;
  references: IEnvVar[];
  /** Changes with any value or reference, so a changed ConfigMap rolls the pods. */
  checksum: string;
}

export function environmentOf(workload: Workload, keys: string[], overlay: Overlay): Environment {
  const config: Record<string, string> = {};
  const references: IEnvVar[] = [];
  for (const key of keys) {
    const defined: Setting | undefined = CONTAINER_SETTINGS[workload.name]?.[key] ?? SETTINGS[key];
    const override = overlay.settings?.[key];
    if (override !== undefined && defined !== undefined && typeof defined !== 'string') {
      throw new Error(`the overlay sets ${key}, which is a secret or a field of the pod`);
    }
    const setting = override ?? defined;
    if (setting === undefined) {
      throw new Error(
        `${key} of [${workload.name}] in .env.example has no value in deploy/kubernetes/settings.ts: add one`,
      );
    }
    if (typeof setting === 'string') config[key] = setting;
    else if ('podField' in setting)
      references.push({ name: key, valueFrom: { fieldRef: { fieldPath: setting.podField } } });
    else if ('databaseSecret' in setting) {
      const database = workload.networks.find((network) => network.endsWith('-db'));
      if (!database) throw new Error(`${workload.name} reads ${key} but joins no database network`);
      const name = database.replace(/-db$/, '-database');
      references.push({ name: key, valueFrom: { secretKeyRef: { name, key } } });
    } else {
      references.push({
        name: key,
        valueFrom: { secretKeyRef: { name: setting.secret, key, optional: setting.optional } },
      });
    }
  }
  const checksum = createHash('sha256')
    .update(JSON.stringify([config, references]))
    .digest('hex')
    .slice(0, 16);
  return { config, references, checksum };
}

const httpProbe = (path: string, port: number, timing: Partial<IProbe>): IProbe => ({
  httpGet: { path, port },
  timeoutSeconds: 3,
  ...timing,
});

function probesOf(workload: Workload): Partial<IContainer> {
  if (!workload.probes || !workload.port) return {};
  const { ready, live } = workload.probes;
  return {
    // Start-up migrates under a lock other replicas may hold: up to 5 minutes before liveness counts.
    startupProbe: httpProbe(live, workload.port, { periodSeconds: 5, failureThreshold: 60 }),
    readinessProbe: httpProbe(ready, workload.port, { periodSeconds: 5, failureThreshold: 3 }),
    livenessProbe: httpProbe(live, workload.port, { periodSeconds: 10, failureThreshold: 3 }),
  };
}

function volumesOf(workload: Workload): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  if (workload.tmp) {
    volumes.push({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    mounts.push({ name: 'tmp', mountPath: '/tmp' });
  }
  if (workload.productImages) {
    const readOnly = workload.productImages === 'read-only';
    volumes.push({ name: 'product-images', persistentVolumeClaim: { claimName: PRODUCT_IMAGES_CLAIM, readOnly } });
    mounts.push({ name: 'product-images', mountPath: PRODUCT_IMAGES_PATH, readOnly });
  }
  return { volumes, mounts };
}

/** The pod of a workload: non-root, read-only root, no capabilities, RuntimeDefault seccomp, no API token. */
export function podSpecOf(
  workload: Workload,
  options: { image: string; configMap: string; environment: Environment; overlay: Overlay },
): IPodSpec {
  const { volumes, mounts } = volumesOf(workload);
  const ours = 'ours' in workload.image;
  const servesTraffic = workload.component === 'api' || workload.component === 'frontend';
  const container: IContainer = {
    name: workload.name,
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    ...(workload.args ? { args: workload.args } : {}),
    ...(workload.port ? { ports: [{ name: 'http', containerPort: workload.port }] } : {}),
    envFrom: [{ configMapRef: { name: options.configMap } }],
    ...(options.environment.references.length ? { env: options.environment.references } : {}),
    ...probesOf(workload),
    // Its Service stops sending new requests before the process hears SIGTERM.
    ...(servesTraffic ? { lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } } : {}),
    resources: workload.resources,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: mounts,
  };
  return {
    automountServiceAccountToken: false,
    // Configuration comes from the ConfigMap and Secrets only, not from variables naming every Service.
    enableServiceLinks: false,
    ...(ours && options.overlay.imagePullSecret
      ? { imagePullSecrets: [{ name: options.overlay.imagePullSecret }] }
      : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: workload.user,
      runAsGroup: workload.user,
      ...(workload.productImages === 'read-write' ? { fsGroup: workload.user } : {}),
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: workload.gracePeriod,
    containers: [container],
    volumes,
  };
}
