// The shipped Prometheus config and rules, run by a real Prometheus (and node-exporter for the backup
// metric) against a local stack: every job's target up, every dashboard query and alert expression
// evaluated without error, and the backup-age alert raised by the textfile the backup job writes.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { mailUrlOf, probeOrder } from '../../scripts/lib/order-probe';
import { requireTool } from '../ops/support';
import { startLocalStack, type LocalStack } from './support/local-stack';
import {
  eventually,
  freePort,
  getJson,
  localPrometheusConfig,
  panelQueries,
  query,
  readAlerts,
  readDashboard,
  readPrometheusConfig,
  startProcess,
  type Process,
} from './support/monitoring';

// A whole stack starts in beforeAll, which may take longer than the root config's 2 minutes on a busy machine.
jest.setTimeout(300_000);
const STACK_PORT = Number(process.env.OPERATOR_STACK_PORT || 8231);

interface Target {
  labels: { job: string; instance: string };
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
interface Rule {
  name: string;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  lastEvaluation: string;
}

let stack: LocalStack;
let workDir: string;
let nodeExporter: Process;
let prometheus: Process;
let base: string;

/** The backup job's textfile: the time of its last success, written atomically as the collector expects. */
function writeBackupMetric(seconds: number): void {
  const file = path.join(workDir, 'textfile', 'marketplace_backup.prom');
  writeFileSync(
    `${file}.tmp`,
    `# HELP marketplace_backup_last_success_timestamp_seconds When the last backup succeeded.\n# TYPE marketplace_backup_last_success_timestamp_seconds gauge\nmarketplace_backup_last_success_timestamp_seconds ${seconds}\n`,
  );
  renameSync(`${file}.tmp`, file);
}

beforeAll(async () => {
  const promBin = requireTool('prometheus', 'prometheus');
  const exporterBin = requireTool('prometheus-node-exporter', 'prometheus-node-exporter');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'monitoring-'));
  const textfileDir = path.join(workDir, 'textfile');
  mkdirSync(textfileDir);
  writeBackupMetric(Math.floor(Date.now() / 1000) - 3600);
  stack = await startLocalStack(STACK_PORT, 'mon');
  const exporterPort = await freePort();
  nodeExporter = startProcess(exporterBin, [
    `--web.listen-address=127.0.0.1:${exporterPort}`,
    '--collector.disable-defaults',
    '--collector.textfile',
    `--collector.textfile.directory=${textfileDir}`,
  ]);
  const promPort = await freePort();
  base = `http://127.0.0.1:${promPort}`;
  const targets: Record<string, string> = {
    ...Object.fromEntries(stack.services.map((s) => [s.group, `127.0.0.1:${s.port}`])),
    node: `127.0.0.1:${exporterPort}`,
    prometheus: `127.0.0.1:${promPort}`,
  };
  const config = path.join(workDir, 'prometheus.yml');
  writeFileSync(config, YAML.stringify(localPrometheusConfig(targets)));
  prometheus = startProcess(promBin, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${path.join(workDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--log.level=warn',
  ]);
  await eventually(
    () => fetch(`${base}/-/ready`).then((res) => (res.ok ? true : undefined)),
    () => prometheus.output(),
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await nodeExporter?.stop();
  await stack?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('Prometheus with the shipped config against a local stack', () => {
  it('when it scrapes, then every job of the shipped config has its target up', async () => {
    const jobs = readPrometheusConfig()
      .scrape_configs.map((c) => c.job_name)
      .sort();
    let targets: Target[] = [];
    await eventually(
      async () => {
        ({ activeTargets: targets } = (
          await getJson<{ data: { activeTargets: Target[] } }>(`${base}/api/v1/targets`)
        ).data);
        return targets.length === jobs.length && targets.every((t) => t.health === 'up') ? true : undefined;
      },
      () => JSON.stringify(targets.map((t) => [t.labels.job, t.health, t.lastError])),
    );
    expect(targets.map((t) => t.labels.job).sort()).toEqual(jobs);
  });

  it("when an order completes, then every dashboard panel's query evaluates without error and shows a series", async () => {
    const order = await probeOrder(stack.url, { mailUrl: mailUrlOf(stack) });
    await eventually(
      async () => {
        const res = await query(
          base,
          'sum(orders_final_total{status="COMPLETED"}) >= 1 and sum(rate(http_request_duration_seconds_count[1m])) > 0',
        );
        return res.data?.result.length ? true : undefined;
      },
      () => `order ${order.orderId} never showed in orders_final_total`,
    );
    // rate() needs two samples of each series after its first.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const results = [];
    for (const { panel, expr } of panelQueries(readDashboard())) {
      const res = await query(base, expr);
      results.push({ panel, expr, status: res.status, error: res.error ?? null, series: res.data?.result.length ?? 0 });
    }
    expect(results.filter((r) => r.status !== 'success' || r.error !== null || r.series === 0)).toEqual([]);
  });

  it('when the rules have been evaluated, then every alert expression answers without error and none fires on a healthy stack', async () => {
    let rules: Rule[] = [];
    await eventually(
      async () => {
        const groups = (await getJson<{ data: { groups: { rules: Rule[] }[] } }>(`${base}/api/v1/rules`)).data.groups;
        rules = groups.flatMap((g) => g.rules);
        return rules.every((r) => r.health !== 'unknown') ? true : undefined;
      },
      () => JSON.stringify(rules.map((r) => [r.name, r.health])),
    );
    expect(rules.map((r) => r.name).sort()).toEqual(
      readAlerts()
        .map((a) => a.alert)
        .sort(),
    );
    expect(rules.filter((r) => r.health !== 'ok').map((r) => [r.name, r.lastError])).toEqual([]);
    for (const { alert, expr } of readAlerts()) {
      const res = await query(base, expr);
      expect([alert, res.status, res.error ?? null]).toEqual([alert, 'success', null]);
    }
    const alerts = await query(base, 'ALERTS');
    expect(alerts.data?.result.map((r) => r.metric.alertname)).toEqual([]);
  });

  it('when the backup job last succeeded two days ago, then the backup-age alert turns pending', async () => {
    writeBackupMetric(Math.floor(Date.now() / 1000) - 2 * 86_400);
    const pending = await eventually(
      async () => {
        const res = await query(base, 'ALERTS{alertname="MarketplaceBackupTooOld"}');
        return res.data?.result.length ? res.data.result : undefined;
      },
      () => 'MarketplaceBackupTooOld never appeared in ALERTS',
    );
    expect(pending.map((r) => [r.metric.alertstate, r.metric.severity])).toEqual([['pending', 'critical']]);
  });

  it('when the orders worker is killed, then MarketplaceServiceDown turns pending for its job', async () => {
    const worker = stack.services.find((s) => s.group === 'orders-worker')!;
    process.kill(worker.pid, 'SIGKILL');
    const pending = await eventually(
      async () => {
        const res = await query(base, 'ALERTS{alertname="MarketplaceServiceDown"}');
        return res.data?.result.length ? res.data.result : undefined;
      },
      () => 'MarketplaceServiceDown never appeared in ALERTS',
    );
    expect(pending.map((r) => [r.metric.job, r.metric.alertstate])).toEqual([['orders-worker', 'pending']]);
  });
});
