import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import YAML from 'yaml';
import type { Overlay } from './overlays';
import { WORKLOADS } from './workloads';

const MONITORING = path.resolve(__dirname, '../monitoring');
const read = (file: string) => readFileSync(path.join(MONITORING, file), 'utf8');

interface ScrapeConfig {
  job_name: string;
  [key: string]: unknown;
}

/** The job names of deploy/monitoring/prometheus/prometheus.yml → the workload whose pods each scrapes. */
const JOB_WORKLOADS: Record<string, string> = {
  auth: 'auth-service',
  products: 'products-service',
  orders: 'orders-service',
  'products-worker': 'products-worker',
  'orders-worker': 'orders-worker',
};

/**
 * The shipped scrape config for a cluster: each marketplace job finds its pods (every replica the HPA
 * runs) by their app.kubernetes.io/name in the overlay's namespace, on the container port named http;
 * node-exporter is the cluster's DaemonSet in the monitoring namespace. Job names stay those of compose,
 * so the rules and the dashboard work unchanged.
 */
function prometheusConfig(overlay: Overlay): string {
  const shipped = YAML.parse(read('prometheus/prometheus.yml')) as { scrape_configs: ScrapeConfig[] } & Record<
    string,
    unknown
  >;
  const podsOf = (namespace: string, name: string) => ({
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [namespace] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: name, action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'http', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    ],
  });
  const scrapeConfigs = shipped.scrape_configs.map(({ job_name }) => {
    const workload = JOB_WORKLOADS[job_name];
    if (workload) {
      if (!WORKLOADS.some((w) => w.name === workload)) throw new Error(`no workload ${workload} for job ${job_name}`);
      return { job_name, ...podsOf(overlay.namespace, workload) };
    }
    if (job_name === 'node') {
      return {
        job_name,
        ...podsOf(overlay.monitoring.namespace, 'node-exporter'),
        relabel_configs: [
          {
            source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
            regex: 'node-exporter|prometheus-node-exporter',
            action: 'keep',
          },
          { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
        ],
      };
    }
    if (job_name === 'prometheus') return { job_name, static_configs: [{ targets: ['localhost:9090'] }] };
    throw new Error(`the Kubernetes render does not know how to find the job ${job_name}`);
  });
  return YAML.stringify({
    ...shipped,
    rule_files: ['/etc/prometheus/rules/alerts.yml'],
    scrape_configs: scrapeConfigs,
  });
}

/**
 * deploy/monitoring as ConfigMaps in the overlay's monitoring namespace: the scrape config and alert
 * rules for the cluster's Prometheus to mount (prometheus.yml at /etc/prometheus, alerts.yml at
 * /etc/prometheus/rules), and the dashboard and datasource labelled for Grafana's sidecar
 * (grafana_dashboard, grafana_datasource, as the Grafana Helm chart watches them).
 */
export function monitoringConfigMaps(overlay: Overlay): ConfigMap[] {
  const labels = { 'app.kubernetes.io/part-of': 'marketplace', 'app.kubernetes.io/component': 'monitoring' };
  const metadata = (name: string, extra: Record<string, string> = {}) => ({
    name,
    namespace: overlay.monitoring.namespace,
    labels: { ...labels, ...extra },
  });
  const datasource = read('grafana/provisioning/datasources/prometheus.yml').replace(
    'http://prometheus:9090',
    `http://prometheus.${overlay.monitoring.namespace}.svc:9090`,
  );
  return [
    new ConfigMap({
      metadata: metadata(`${overlay.namespace}-prometheus`),
      data: { 'prometheus.yml': prometheusConfig(overlay) },
    }),
    new ConfigMap({
      metadata: metadata(`${overlay.namespace}-prometheus-rules`),
      data: { 'alerts.yml': read('prometheus/alerts.yml') },
    }),
    new ConfigMap({
      metadata: metadata(`${overlay.namespace}-grafana-dashboard`, { grafana_dashboard: '1' }),
      data: { 'marketplace.json': read('grafana/dashboards/marketplace.json') },
    }),
    new ConfigMap({
      metadata: metadata(`${overlay.namespace}-grafana-datasource`, { grafana_datasource: '1' }),
      data: { 'marketplace-prometheus.yml': datasource },
    }),
  ];
}
