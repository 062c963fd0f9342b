// The least-privilege roles of each service database (deploy/postgres/roles.sql), against the real
// PostgreSQL: the migration owner applies the services' migrations, the runtime role only reads and
// writes rows, and neither reaches another service's database. Roles are cluster-wide, so each run
// names its own after its test databases and drops them at the end.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@market/kit';
import { createTestDatabase, testPgAdminUrl, type TestDatabase } from '@market/kit/testing';
import { repoRoot, requireTool, run } from './support';

const ROLES_SQL = path.join(repoRoot, 'deploy/postgres/roles.sql');
const APIS = ['auth', 'products', 'orders'] as const;
const migrationsOf = (api: string) => path.join(repoRoot, `backend/${api}-service/drizzle`);
const password = () => randomBytes(16).toString('hex');

interface Roles {
  owner: string;
  runtime: string;
  ownerPassword: string;
  runtimePassword: string;
}

const rolesOf = (database: string): Roles => ({
  owner: `${database}_owner`,
  runtime: `${database}_app`,
  ownerPassword: password(),
  runtimePassword: password(),
});

function urlAs(url: string, role: string, secret: string): string {
  const next = new URL(url);
  next.username = role;
  next.password = secret;
  return next.toString();
}

/** What the database container does (compose, Ansible): deploy/postgres/init-roles.sh through psql. */
function initRoles(database: string, roles: Roles, overrides: Record<string, string> = {}) {
  const admin = new URL(testPgAdminUrl());
  return run('sh', ['deploy/postgres/init-roles.sh'], {
    env: {
      PATH: `${path.dirname(requireTool('psql', 'postgresql-client'))}:${process.env.PATH ?? ''}`,
      PGHOST: admin.hostname,
      PGPORT: admin.port || '5432',
      PGPASSWORD: decodeURIComponent(admin.password),
      POSTGRES_USER: decodeURIComponent(admin.username),
      POSTGRES_DB: database,
      DB_OWNER_ROLE: roles.owner,
      DB_OWNER_PASSWORD: roles.ownerPassword,
      DB_RUNTIME_ROLE: roles.runtime,
      DB_RUNTIME_PASSWORD: roles.runtimePassword,
      ROLES_SQL,
      ...overrides,
    },
  });
}

async function dropRoles(roles: Roles): Promise<void> {
  for (const role of [roles.runtime, roles.owner]) await query(testPgAdminUrl(), `DROP ROLE IF EXISTS "${role}"`);
}

interface ServiceDatabase {
  api: (typeof APIS)[number];
  database: TestDatabase;
  roles: Roles;
  ownerUrl: string;
  runtimeUrl: string;
}

async function query<Row extends Record<string, unknown>>(url: string, text: string): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of a migrations folder with one more migration (drizzle-kit's layout: SQL file + journal entry). */
function withMigration(folder: string, tag: string, statement: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  cpSync(folder, copy, { recursive: true });
  const journalFile = path.join(copy, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag } as (typeof journal.entries)[0]);
  writeFileSync(journalFile, JSON.stringify(journal));
  writeFileSync(path.join(copy, `${tag}.sql`), statement);
  return copy;
}

describe('the database roles of each service (deploy/postgres/roles.sql)', () => {
  const services: ServiceDatabase[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    for (const api of APIS) {
      const database = await createTestDatabase(`privilege_${api}`);
      const roles = rolesOf(database.name);
      const service = {
        api,
        database,
        roles,
        ownerUrl: urlAs(database.url, roles.owner, roles.ownerPassword),
        runtimeUrl: urlAs(database.url, roles.runtime, roles.runtimePassword),
      };
      services.push(service);
      const provisioned = initRoles(database.name, roles);
      if (provisioned.code !== 0) throw new Error(provisioned.output);
      await runMigrations(service.ownerUrl, migrationsOf(api));
    }
  });

  afterAll(async () => {
    for (const { database, roles } of services) {
      await database.drop();
      await dropRoles(roles);
    }
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('when a service starts with the runtime role, then the applied migrations are found and every table is readable and writable, nothing more', async () => {
    for (const { api, runtimeUrl, roles } of services) {
      // What each service and worker does at start (DATABASE_MIGRATION_URL unset in its container).
      await expect(runMigrations(runtimeUrl, migrationsOf(api))).resolves.toMatchObject({ applied: 0 });
      const tables = await query<{ name: string; dml: boolean; ddl: boolean; owner: string }>(
        runtimeUrl,
        `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_userbyid(c.relowner) AS owner,
                has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS dml,
                has_table_privilege(c.oid, 'TRUNCATE') OR has_table_privilege(c.oid, 'REFERENCES')
                  OR has_table_privilege(c.oid, 'TRIGGER') AS ddl
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'drizzle')`,
      );
      expect(tables.length).toBeGreaterThan(2);
      for (const table of tables) {
        expect({ api, ...table }).toEqual({ api, name: table.name, owner: roles.owner, dml: true, ddl: false });
        await expect(query(runtimeUrl, `SELECT count(*) FROM ${table.name}`)).resolves.toHaveLength(1);
      }
      const sequences = await query<{ usable: boolean }>(
        runtimeUrl,
        `SELECT has_sequence_privilege(c.oid, 'USAGE') AS usable FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname IN ('public', 'drizzle')`,
      );
      expect(sequences.every((s) => s.usable)).toBe(true);
    }
  });

  it('when the runtime role tries to change the structure, then PostgreSQL refuses each statement', async () => {
    for (const { runtimeUrl } of services) {
      const [table] = await query<{ name: string }>(
        runtimeUrl,
        `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LIMIT 1`,
      );
      for (const statement of [
        'CREATE TABLE intruder (id int)',
        'CREATE SCHEMA intruder',
        `ALTER TABLE ${table!.name} ADD COLUMN intruder int`,
        `DROP TABLE ${table!.name}`,
        `TRUNCATE ${table!.name}`,
        `CREATE INDEX intruder ON ${table!.name} ((1))`,
        'CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
      ]) {
        await expect(query(runtimeUrl, statement)).rejects.toThrow(/permission denied|must be owner/);
      }
    }
  });

  it("when a service's roles connect to another service's database, then PostgreSQL refuses them", async () => {
    const [auth, products, orders] = services as [ServiceDatabase, ServiceDatabase, ServiceDatabase];
    const intoOther = (from: ServiceDatabase, to: ServiceDatabase, url: string) => {
      const target = new URL(url);
      target.pathname = `/${to.database.name}`;
      return query(target.toString(), 'SELECT 1');
    };
    await expect(intoOther(products, orders, products.runtimeUrl)).rejects.toThrow(/permission denied for database/);
    await expect(intoOther(orders, products, orders.runtimeUrl)).rejects.toThrow(/permission denied for database/);
    await expect(intoOther(orders, auth, orders.ownerUrl)).rejects.toThrow(/permission denied for database/);
    await expect(intoOther(auth, products, auth.runtimeUrl)).rejects.toThrow(/permission denied for database/);
  });

  it('when a later migration adds a table, then the runtime role uses it without a new grant, and cannot apply one itself', async () => {
    const orders = services.find((s) => s.api === 'orders')!;
    const later = withMigration(
      migrationsOf('orders'),
      '9000_later',
      'CREATE TABLE later_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);',
    );
    const evenLater = withMigration(later, '9001_even_later', 'CREATE TABLE even_later (id int);');
    folders.push(later, evenLater);

    await expect(runMigrations(orders.ownerUrl, later)).resolves.toMatchObject({ applied: 1 });
    await query(orders.runtimeUrl, `INSERT INTO later_notes (body) VALUES ('written by the service')`);
    await query(orders.runtimeUrl, `UPDATE later_notes SET body = 'changed'`);
    await expect(query(orders.runtimeUrl, 'SELECT id, body FROM later_notes')).resolves.toEqual([
      { id: '1', body: 'changed' },
    ]);
    await query(orders.runtimeUrl, 'DELETE FROM later_notes');

    // drizzle's first statement (CREATE SCHEMA IF NOT EXISTS) is already refused.
    await expect(runMigrations(orders.runtimeUrl, evenLater)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/permission denied/) }),
    });
    await expect(query(orders.ownerUrl, `SELECT to_regclass('even_later') AS t`)).resolves.toEqual([{ t: null }]);
  });

  it('when init-roles.sh meets a database an older release migrated as the superuser, then the owner takes it over and the runtime role gets its rows, twice over', async () => {
    const database = await createTestDatabase('privilege_older');
    const roles = rolesOf(database.name);
    try {
      await runMigrations(database.url, migrationsOf('products'));
      for (let i = 0; i < 2; i++) {
        const result = initRoles(database.name, roles);
        expect(result).toMatchObject({ code: 0 });
        expect(result.output).not.toContain(roles.runtimePassword);
      }
      const runtimeUrl = urlAs(database.url, roles.runtime, roles.runtimePassword);
      await expect(query(runtimeUrl, 'SELECT count(*)::int AS n FROM products')).resolves.toEqual([{ n: 0 }]);
      await expect(query(runtimeUrl, 'DROP TABLE products')).rejects.toThrow(/must be owner/);
      const owners = await query<{ owner: string }>(
        database.url,
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'S', 'v')`,
      );
      expect(owners).toEqual([{ owner: roles.owner }]);

      const bad = initRoles(database.name, roles, { DB_OWNER_PASSWORD: "it's" });
      expect(bad.code).not.toBe(0);
      expect(bad.output).toContain('letters and digits');
    } finally {
      await database.drop();
      await dropRoles(roles);
    }
  });
});
