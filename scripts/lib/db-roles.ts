// A service database's two roles (deploy/postgres/roles.sql): the migration owner and the runtime
// role with data rights only. The local stack and the tests apply the same file compose and Ansible
// run through deploy/postgres/init-roles.sh.
import { readFileSync } from 'node:fs';
import pg from 'pg';

export interface DatabaseRoles {
  owner: string;
  runtime: string;
  /** Empty or absent: no password (a local cluster trusting its connections). */
  ownerPassword?: string;
  runtimePassword?: string;
}

/** `<database>_owner` and `<database>_app`, the names the local stack gives a database's roles. */
export const rolesOf = (database: string): DatabaseRoles => ({
  owner: `${database}_owner`,
  runtime: `${database}_app`,
});

/** The same URL with another role (and password) in it. */
export function urlAs(url: string, role: string, password = ''): string {
  const next = new URL(url);
  next.username = role;
  next.password = password;
  return next.toString();
}

/** The database URL: `adminUrl` with its path replaced. */
function urlOf(adminUrl: string, database: string): string {
  const next = new URL(adminUrl);
  next.pathname = `/${database}`;
  return next.toString();
}

/** Runs roles.sql as the superuser of `adminUrl` in `database`: creates or updates both roles (idempotent). */
export async function provisionDatabaseRoles(
  adminUrl: string,
  database: string,
  roles: DatabaseRoles,
  rolesSqlFile: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf(adminUrl, database), connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const settings = {
      owner_role: roles.owner,
      owner_password: roles.ownerPassword ?? '',
      runtime_role: roles.runtime,
      runtime_password: roles.runtimePassword ?? '',
    };
    for (const [key, value] of Object.entries(settings))
      await client.query('SELECT set_config($1, $2, false)', [`marketplace.${key}`, value]);
    await client.query(readFileSync(rolesSqlFile, 'utf8'));
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops both roles (their database must be gone first: it holds their grants). */
export async function dropDatabaseRoles(adminUrl: string, roles: DatabaseRoles): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const role of [roles.runtime, roles.owner])
      await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
  } finally {
    await client.end().catch(() => {});
  }
}
