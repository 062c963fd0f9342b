#!/bin/sh
# Creates (or brings up to date) the migration owner and the runtime role of this container's
# database from deploy/postgres/roles.sql. The postgres image runs it from /docker-entrypoint-initdb.d
# when the volume is first created; the Ansible app role runs it again on every deploy, so a database
# created by an older release gets the roles too (idempotent). Reads from the container's env file:
#   POSTGRES_USER, POSTGRES_DB                      the bootstrap superuser and the database
#   DB_OWNER_ROLE, DB_OWNER_PASSWORD                runs the migrations, owns the tables
#   DB_RUNTIME_ROLE, DB_RUNTIME_PASSWORD            the service and its worker: data only
#   ROLES_SQL                                       roles.sql (default: where compose mounts it)
# The passwords travel in PGOPTIONS (the environment), never on a command line.
set -eu
ROLES_SQL="${ROLES_SQL:-/etc/marketplace/postgres/roles.sql}"
: "${DB_OWNER_ROLE:?DB_OWNER_ROLE is not set}" "${DB_RUNTIME_ROLE:?DB_RUNTIME_ROLE is not set}"
: "${DB_OWNER_PASSWORD:?DB_OWNER_PASSWORD is not set}" "${DB_RUNTIME_PASSWORD:?DB_RUNTIME_PASSWORD is not set}"
for value in "$DB_OWNER_PASSWORD" "$DB_RUNTIME_PASSWORD"; do
  case "$value" in
    *[!0-9A-Za-z]*) echo "init-roles: the passwords must be letters and digits (openssl rand -hex 32)" >&2; exit 1 ;;
  esac
done
PGOPTIONS="-c marketplace.owner_role=$DB_OWNER_ROLE -c marketplace.owner_password=$DB_OWNER_PASSWORD -c marketplace.runtime_role=$DB_RUNTIME_ROLE -c marketplace.runtime_password=$DB_RUNTIME_PASSWORD" \
  psql -v ON_ERROR_STOP=1 --no-psqlrc -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" -f "$ROLES_SQL"
