-- Least privilege for one service's database: a migration owner and a runtime role.
--   owner:   owns the database, its schemas and every table; the migrations run as it.
--   runtime: the service and its worker; SELECT/INSERT/UPDATE/DELETE on the tables and use of the
--            sequences, nothing else (no CREATE, ALTER, DROP, TRUNCATE). Tables a later migration
--            creates are granted to it too (ALTER DEFAULT PRIVILEGES FOR ROLE owner).
-- Nobody else may connect to the database (REVOKE CONNECT FROM PUBLIC), so neither role reaches
-- another service's database on a shared cluster.
-- Run as a superuser, connected to the service's database, with four settings (hex passwords):
--   marketplace.owner_role, marketplace.owner_password, marketplace.runtime_role, marketplace.runtime_password
-- Idempotent: it creates missing roles, resets their passwords and hands objects created earlier
-- by another role (a release from before this file) to the owner. Used by deploy/postgres/init-roles.sh
-- (compose, Ansible) and by scripts/lib/stack.ts (npm start, e2e, bench).
DO $roles$
DECLARE
  owner_role text := current_setting('marketplace.owner_role');
  owner_password text := nullif(current_setting('marketplace.owner_password', true), '');
  runtime_role text := current_setting('marketplace.runtime_role');
  runtime_password text := nullif(current_setting('marketplace.runtime_password', true), '');
  db text := current_database();
  item record;
BEGIN
  IF owner_role !~ '^[a-z][a-z0-9_]{0,62}$' OR runtime_role !~ '^[a-z][a-z0-9_]{0,62}$' OR owner_role = runtime_role THEN
    RAISE EXCEPTION 'role names must be two different lowercase identifiers';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = owner_role) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', owner_role);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = runtime_role) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', runtime_role);
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', owner_role, owner_password);
  EXECUTE format('ALTER ROLE %I PASSWORD %L', runtime_role, runtime_password);

  EXECUTE format('ALTER DATABASE %I OWNER TO %I', db, owner_role);
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, runtime_role);
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  EXECUTE format('ALTER SCHEMA public OWNER TO %I', owner_role);

  -- Objects an earlier release created as another role (schemas, tables, views, sequences not
  -- owned by a table, functions, types) pass to the owner; extensions stay with their creator.
  FOR item IN
    SELECT nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('information_schema', 'public')
      AND nspowner <> owner_role::regrole
  LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', item.nspname, owner_role);
  END LOOP;
  FOR item IN
    SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND c.relowner <> owner_role::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype IN ('a', 'i', 'e'))
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I',
      CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
        WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      item.nspname, item.relname, owner_role);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure AS routine FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND p.proowner <> owner_role::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.routine, owner_role);
  END LOOP;
  FOR item IN
    SELECT t.oid::regtype AS type FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND t.typtype IN ('e', 'd') AND t.typowner <> owner_role::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', item.type, owner_role);
  END LOOP;

  -- The runtime role: data, never structure; the same for what later migrations create.
  FOR item IN
    SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
  LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', item.nspname, runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', item.nspname, runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', item.nspname, runtime_role);
  END LOOP;
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT USAGE ON SCHEMAS TO %I', owner_role, runtime_role);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', owner_role, runtime_role);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT USAGE, SELECT ON SEQUENCES TO %I', owner_role, runtime_role);
END
$roles$;
