import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from './local-stack';

const MONITORING_DIR = path.join(repoRoot, 'deploy', 'monitoring');
export const PROMETHEUS_CONFIG = path.join(MONITORING_DIR, 'prometheus', 'prometheus.yml');
export const ALERT_RULES = path.join(MONITORING_DIR, 'prometheus', 'alerts.yml');
export const ALERT_TESTS = path.join(MONITORING_DIR, 'prometheus', 'alerts.test.yml');
const DASHBOARD = path.join(MONITORING_DIR, 'grafana', 'dashboards', 'marketplace.json');
export const DATASOURCES = path.join(MONITORING_DIR, 'grafana', 'provisioning', 'datasources', 'prometheus.yml');

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
}
export interface PrometheusConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}
interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string; datasource: { uid: string } }[];
}
export interface Dashboard {
  uid: string;
  panels: Panel[];
}
interface RuleGroup {
  name: string;
  rules: { alert: string; expr: string }[];
}

export const readPrometheusConfig = () => YAML.parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as PrometheusConfig;
export const readDashboard = () => JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
export const readAlerts = () =>
  (YAML.parse(readFileSync(ALERT_RULES, 'utf8')) as { groups: RuleGroup[] }).groups.flatMap((g) => g.rules);
export const panelQueries = (dashboard: Dashboard) =>
  dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })));

/** A port nothing listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The shipped config with each job's discovery replaced by the local process that plays its part
 * (`targets`: job → host:port), and faster intervals; everything else (jobs, rule files) as shipped.
 * A job without a local stand-in is an error, so a job added later cannot go unchecked.
 */
export function localPrometheusConfig(targets: Record<string, string>): PrometheusConfig {
  const config = readPrometheusConfig();
  return {
    ...config,
    global: { ...config.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: config.rule_files.map((file) => path.join(path.dirname(PROMETHEUS_CONFIG), file)),
    scrape_configs: config.scrape_configs.map(({ job_name, static_configs: _s, dns_sd_configs: _d, ...rest }) => {
      const target = targets[job_name];
      if (!target) throw new Error(`no local stand-in for the job ${job_name}`);
      return { job_name, ...rest, static_configs: [{ targets: [target] }] };
    }),
  };
}

export interface Process {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs a tool as a child of its own; stop() ends it by its pid. */
export function startProcess(bin: string, args: string[]): Process {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

export async function query(base: string, expr: string): Promise<QueryResult> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as QueryResult;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; then throws with `describe()`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  describe: () => string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
