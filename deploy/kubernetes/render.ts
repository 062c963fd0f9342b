/**
 * Prints the Kubernetes manifests of one overlay as one YAML stream, for `kubectl apply -f -`:
 *   npm run k8s:render -- --overlay production --tag <commit sha> [--registry ghcr.io/<owner>/marketplace]
 * README, "Kubernetes", says what to create first (namespace, Secrets) and in which order to apply.
 */
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { renderManifests } from './manifests';
import { OVERLAYS } from './overlays';

function main(): void {
  const { values } = parseArgs({
    options: { overlay: { type: 'string' }, tag: { type: 'string' }, registry: { type: 'string' } },
  });
  const overlay = OVERLAYS[values.overlay ?? ''];
  if (!overlay || !values.tag) {
    throw new Error(`usage: --overlay ${Object.keys(OVERLAYS).join('|')} --tag <image tag> [--registry <registry>]`);
  }
  const objects = renderManifests({ overlay, tag: values.tag, registry: values.registry });
  process.stdout.write(objects.map((object) => YAML.stringify(object.toJSON())).join('---\n'));
}

try {
  main();
} catch (err) {
  process.stderr.write(`k8s:render: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
