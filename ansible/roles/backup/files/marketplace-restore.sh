#!/usr/bin/env bash
# Restores one database from a dump made by marketplace-backup:
#   marketplace-restore <auth-db|products-db|orders-db> <dump file>
# Stops the service that owns the database and its worker (if it has one), replaces the database's
# contents, starts them again and waits until they are healthy. Settings: /etc/marketplace/backup.env.
set -euo pipefail

# shellcheck source=/dev/null
source "${BACKUP_CONFIG:-/etc/marketplace/backup.env}"
: "${BACKUP_PROJECT_DIR:?}" "${BACKUP_DATABASES:?}"

service="${1:?usage: marketplace-restore <database service> <dump file>}"
dump="${2:?usage: marketplace-restore <database service> <dump file>}"
[[ -r "$dump" ]] || { echo "cannot read $dump" >&2; exit 1; }

user=""
database=""
for entry in $BACKUP_DATABASES; do
  IFS=: read -r candidate candidate_user candidate_db <<<"$entry"
  if [[ "$candidate" == "$service" ]]; then
    user="$candidate_user"
    database="$candidate_db"
  fi
done
[[ -n "$database" ]] || { echo "unknown database service: $service" >&2; exit 1; }

cd "$BACKUP_PROJECT_DIR"
# Every container that connects to the database: its service and, for products and orders, the
# worker beside it (the saga's consumer), which would otherwise write while the dump is restored.
app_services=("${service%-db}-service")
if docker compose config --services | grep -qx "${service%-db}-worker"; then
  app_services+=("${service%-db}-worker")
fi
echo "stopping ${app_services[*]}"
docker compose stop "${app_services[@]}"
echo "restoring $dump into $service"
docker compose exec -T "$service" pg_restore --username "$user" --dbname "$database" \
  --clean --if-exists --no-owner --single-transaction <"$dump"
# Restored as the superuser: hand the tables back to the migration owner and the runtime role's
# rights with them (deploy/postgres/init-roles.sh, idempotent).
echo "giving $service's tables back to its owner and runtime role"
docker compose exec -T "$service" /etc/marketplace/postgres/init-roles.sh
echo "starting ${app_services[*]}"
docker compose up --detach --wait "${app_services[@]}"
# nginx resolves its upstreams when it starts.
docker compose restart nginx
echo "restored $service from $dump"
