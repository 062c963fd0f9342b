import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { requireTool, run, repoFiles, readRepoFile } from '../ops/support';
import {
  ALERT_RULES,
  ALERT_TESTS,
  DATASOURCES,
  PROMETHEUS_CONFIG,
  panelQueries,
  readAlerts,
  readDashboard,
  readPrometheusConfig,
} from './support/monitoring';

/** Series that come from outside our code: Prometheus's own, and the backup job's textfile metric. */
const EXTERNAL_METRICS = new Set(['up', 'marketplace_backup_last_success_timestamp_seconds']);
const PROMQL_WORDS = new Set(['or', 'and', 'unless']);

/** Metric names a PromQL expression selects: identifiers left once label matchers, groupings and functions are taken out. */
function metricsOf(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|on|without|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names = [...bare.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)].map((m) => m[1]!);
  return [...new Set(names.filter((name) => !PROMQL_WORDS.has(name)))];
}

/** The metric names the services register (name: '…' in prom-client constructors), histogram series included. */
function registeredMetrics(): Set<string> {
  const sources = repoFiles().filter((f) => /^backend\/.*\/src\/.*\.ts$/.test(f));
  const names = new Set<string>();
  for (const file of sources) {
    for (const m of readRepoFile(file).matchAll(/name:\s*'([a-z_][a-z0-9_]*)'/g)) {
      for (const suffix of ['', '_bucket', '_count', '_sum']) names.add(`${m[1]!}${suffix}`);
    }
    // startSagaMetrics names its gauges through a helper: gauge('saga_…', …)
    for (const m of readRepoFile(file).matchAll(/gauge\(\s*'([a-z_][a-z0-9_]*)'/g)) names.add(m[1]!);
  }
  return names;
}

describe('monitoring files (deploy/monitoring)', () => {
  it('when promtool checks the scrape config, then it and its rule file are valid', () => {
    const result = run(requireTool('promtool', 'prometheus'), ['check', 'config', PROMETHEUS_CONFIG]);
    expect(result.code === 0 ? 'valid' : result.output).toBe('valid');
    expect(result.output).toContain('SUCCESS: 10 rules found');
  });

  it('when promtool checks a rule file with a broken expression, then it refuses it (the check can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    try {
      const broken = readFileSync(ALERT_RULES, 'utf8').replace(
        'max by (stream) (saga_dead_letter_length) > 0',
        'max by (stream (saga_dead_letter_length) > 0',
      );
      writeFileSync(path.join(dir, 'alerts.yml'), broken);
      const result = run(requireTool('promtool', 'prometheus'), ['check', 'rules', path.join(dir, 'alerts.yml')]);
      expect(result.code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when promtool runs the alerts' unit tests, then each alert fires on its series and not before its `for`", () => {
    const result = run(requireTool('promtool', 'prometheus'), ['test', 'rules', ALERT_TESTS]);
    expect(result.code === 0 ? 'passed' : result.output).toBe('passed');
  });

  it('when the unit tests are read, then every alert has one that expects it to fire', () => {
    const tests = YAML.parse(readFileSync(ALERT_TESTS, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const firing = new Set(
      tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)),
    );
    expect(
      readAlerts()
        .map((rule) => rule.alert)
        .filter((alert) => !firing.has(alert)),
    ).toEqual([]);
  });

  it('when the dashboard and the rules are read, then every metric they query is one the services register (or up, or the backup job)', () => {
    const registered = registeredMetrics();
    const exprs = [...panelQueries(readDashboard()).map((q) => q.expr), ...readAlerts().map((rule) => rule.expr)];
    const unknown = exprs.flatMap(metricsOf).filter((name) => !registered.has(name) && !EXTERNAL_METRICS.has(name));
    expect([...new Set(unknown)]).toEqual([]);
    // The parser itself finds what it should.
    expect(
      metricsOf('histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))'),
    ).toEqual(['http_request_duration_seconds_bucket']);
  });

  it('when the dashboard is read, then every panel queries the provisioned datasource, and the jobs it and the rules name are scraped', () => {
    const dashboard = readDashboard();
    const { datasources } = YAML.parse(readFileSync(DATASOURCES, 'utf8')) as { datasources: { uid: string }[] };
    const uid = datasources[0]!.uid;
    for (const panel of dashboard.panels) {
      expect([panel.title, panel.targets.length > 0]).toEqual([panel.title, true]);
      expect([panel.title, panel.datasource.uid, ...panel.targets.map((t) => t.datasource.uid)]).toEqual([
        panel.title,
        ...Array<string>(panel.targets.length + 1).fill(uid),
      ]);
    }
    const jobs = new Set(readPrometheusConfig().scrape_configs.map((c) => c.job_name));
    const named = readAlerts().flatMap((rule) =>
      [...rule.expr.matchAll(/job=~?"([^"]+)"/g)].flatMap((m) => m[1]!.split('|')),
    );
    expect(named.filter((job) => !jobs.has(job))).toEqual([]);
    expect([...jobs].sort()).toEqual([
      'auth',
      'node',
      'orders',
      'orders-worker',
      'products',
      'products-worker',
      'prometheus',
    ]);
  });
});
