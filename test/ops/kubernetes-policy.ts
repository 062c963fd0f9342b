// Policy checks over rendered Kubernetes objects (deploy/kubernetes): what every pod must be and what
// no object may hold. Each violation names its object; an empty list passes.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { EnvKey } from '../../deploy/kubernetes/env-example';

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: IPodSpec } } & Record<string, unknown>;
  data?: Record<string, string>;
}

/** The pods of Deployments and Jobs, with the object that owns each. */
export function podsOf(objects: RenderedObject[]): Array<{ owner: string; kind: string; pod: IPodSpec }> {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, kind: o.kind, pod: o.spec!.template!.spec! }));
}

const CREDENTIALS_IN_URL = /\/\/[^/\s@:]*:[^/\s@]+@/;
const SECRET_NAME = /PASSWORD|SECRET|_TOKEN$|PRIVATE_KEY/;

/** A key whose value must come from a Secret: .env.example calls it secret, or its example URL carries a password. */
const isSecretKey = (entry: EnvKey) => /\bSecret\b/.test(entry.comment) || CREDENTIALS_IN_URL.test(entry.example);

function containerViolations(where: string, container: IContainer, pod: IPodSpec, longRunning: boolean): string[] {
  const found: string[] = [];
  const security = container.securityContext ?? {};
  const podSecurity = pod.securityContext ?? {};
  if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) found.push(`${where}: may run as root`);
  if ((security.runAsUser ?? podSecurity.runAsUser ?? 0) === 0)
    found.push(`${where}: runs as uid 0 or an unchecked user`);
  if (security.readOnlyRootFilesystem !== true) found.push(`${where}: root filesystem is writable`);
  if (security.allowPrivilegeEscalation !== false) found.push(`${where}: privilege escalation allowed`);
  if (security.privileged) found.push(`${where}: privileged`);
  if (!security.capabilities?.drop?.includes('ALL') || security.capabilities.add?.length) {
    found.push(`${where}: capabilities not all dropped`);
  }
  const seccomp = security.seccompProfile?.type ?? podSecurity.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault') found.push(`${where}: seccomp profile is not RuntimeDefault`);
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (!container.resources?.[kind]?.[resource]) found.push(`${where}: no ${resource} ${kind}`);
    }
  }
  const image = container.image ?? '';
  const tag = /:([^:/@]+)$/.exec(image)?.[1];
  if (!/@sha256:[a-f0-9]{64}$/.test(image) && (!tag || tag === 'latest')) {
    found.push(`${where}: image ${image} is not pinned to a tag other than latest`);
  }
  if (longRunning) {
    for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
      if (!container[probe]) found.push(`${where}: no ${probe}`);
    }
  }
  return found;
}

/** Every violation of the pod and secret policies among the objects. */
export function policyViolations(objects: RenderedObject[], sections: Record<string, EnvKey[]>): string[] {
  const found: string[] = [];
  const secretKeys = new Set(
    Object.values(sections)
      .flat()
      .filter(isSecretKey)
      .map((entry) => entry.key),
  );
  for (const object of objects) {
    if (object.kind === 'Secret') found.push(`Secret/${object.metadata.name}: secrets are referenced, never rendered`);
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(object.data ?? {})) {
        // An empty value holds nothing (the services' DATABASE_MIGRATION_URL: only the migrate Jobs get the owner).
        if ((secretKeys.has(key) && value !== '') || CREDENTIALS_IN_URL.test(value) || value.includes('PRIVATE KEY')) {
          found.push(`ConfigMap/${object.metadata.name}: ${key} holds a secret`);
        } else if (SECRET_NAME.test(key) && value !== '') {
          found.push(`ConfigMap/${object.metadata.name}: ${key} looks like a secret and has a value`);
        }
      }
    }
  }
  for (const { owner, kind, pod } of podsOf(objects)) {
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) found.push(`${owner}: shares a host namespace`);
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `${owner}/${container.name}`;
      found.push(...containerViolations(where, container, pod, kind === 'Deployment'));
      for (const variable of container.env ?? []) {
        if (variable.value !== undefined && (secretKeys.has(variable.name) || SECRET_NAME.test(variable.name))) {
          found.push(`${where}: ${variable.name} is inlined, not a secretKeyRef`);
        }
      }
    }
  }
  return found;
}

/**
 * The keys each container gets (its ConfigMap's through envFrom, its own env entries), by container name,
 * to compare with its section of .env.example.
 */
export function keysByContainer(objects: RenderedObject[]): Record<string, string[]> {
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data ?? {}]));
  const keys: Record<string, string[]> = {};
  for (const { pod } of podsOf(objects)) {
    for (const container of pod.containers) {
      const fromConfigMaps = (container.envFrom ?? []).flatMap((source) =>
        Object.keys(configMaps.get(source.configMapRef?.name ?? '') ?? {}),
      );
      keys[container.name] = [...fromConfigMaps, ...(container.env ?? []).map((variable) => variable.name)].sort();
    }
  }
  return keys;
}
