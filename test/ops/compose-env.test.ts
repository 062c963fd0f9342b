// The env files CI's compose smoke job gives the stack it starts from the built images
// (npm run compose-env): every container's keys, fresh secrets in place of the placeholders, accepted
// by the services' own config.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig as loadAuthConfig } from '../../backend/auth-service/src/config';
import { loadConfig as loadOrdersConfig } from '../../backend/orders-service/src/config';
import { loadConfig as loadProductsConfig } from '../../backend/products-service/src/config';
import { readYaml, repoRoot, run } from './support';

/** The variables compose reads from an env file (KEY=value, single quotes taken off). */
const parse = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^'(.*)'$/, '$1')]),
  );

function generate(): { dir: string; files: Record<string, Record<string, string>> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-env-'));
  const result = run(process.execPath, [path.join(repoRoot, 'scripts', 'run.mjs'), 'compose-env', '--out', dir]);
  expect(result.code === 0 ? '' : result.output).toBe('');
  const files = Object.fromEntries(
    readdirSync(dir).map((file) => [file.replace(/\.env$/, ''), parse(readFileSync(path.join(dir, file), 'utf8'))]),
  );
  return { dir, files };
}

describe('compose env files for a throwaway stack', () => {
  const first = generate();
  const second = generate();
  afterAll(() => [first, second].forEach(({ dir }) => rmSync(dir, { recursive: true, force: true })));

  it('when they are generated, then every container of the stack gets its own, private, with no placeholder left', () => {
    // Every container that reads an env file (Prometheus and node-exporter take flags only).
    const services = readYaml<{ services: Record<string, { env_file?: unknown }> }>('docker-compose.yml').services;
    const containers = Object.keys(services).filter((name) => services[name]?.env_file !== undefined);
    expect(Object.keys(first.files).sort()).toEqual(containers.sort());
    const text = JSON.stringify(first.files);
    expect(text).not.toContain('change-me');
    expect(first.files.redis?.REDIS_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(statSync(path.join(first.dir, 'auth-service.env')).mode & 0o077).toBe(0);
  });

  it('when the services read their files, then their configs accept them and share one key pair', () => {
    const auth = loadAuthConfig(first.files['auth-service']);
    const products = loadProductsConfig(first.files['products-service']);
    const orders = loadOrdersConfig(first.files['orders-service']);

    expect(auth.JWT_PRIVATE_KEY).toContain('-----BEGIN PRIVATE KEY-----\n');
    expect(products.JWT_PUBLIC_KEY).toContain('-----BEGIN PUBLIC KEY-----\n');
    expect(orders.JWT_PUBLIC_KEY).toBe(products.JWT_PUBLIC_KEY);
    expect(orders.DATABASE_URL).toBe(
      `postgres://orders_app:${first.files.redis?.REDIS_PASSWORD}@orders-db:5432/orders`,
    );
  });

  it('when two sets are generated, then they share no secret', () => {
    expect(second.files.redis?.REDIS_PASSWORD).not.toBe(first.files.redis?.REDIS_PASSWORD);
    expect(second.files['auth-service']?.JWT_PRIVATE_KEY).not.toBe(first.files['auth-service']?.JWT_PRIVATE_KEY);
  });
});
