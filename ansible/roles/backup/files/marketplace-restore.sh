#!/usr/bin/env bash
# Restores a whole backup set made by marketplace-backup: all three databases and the product
# images, from one moment, so products never forgets stock that orders completed after its dump.
#   marketplace-restore <marketplace-<stamp>.tar.age>
# BACKUP_AGE_IDENTITY names the age private key file (restore.yml writes it from the vault for the
# run and removes it after). Steps: decrypt and verify the set; stop every service and worker;
# for each database drop it, create it empty, give it its roles and restore the dump into it (so no
# table or migration newer than the dump is left behind); put the images back; check the restored
# data (every database has its migrations table; the stock products holds for orders equals the
# quantities of the orders COMPLETED in the orders database); start everything again, which runs
# the release's migrations on top. When the check fails the services stay stopped and the exit
# code is 3. Settings: /etc/marketplace/backup.env.
set -euo pipefail

# shellcheck source=/dev/null
source "${BACKUP_CONFIG:-/etc/marketplace/backup.env}"
: "${BACKUP_PROJECT_DIR:?}" "${BACKUP_DATABASES:?}"
: "${BACKUP_AGE_IDENTITY:?BACKUP_AGE_IDENTITY must name the age private key of the backups}"

set_file="${1:?usage: marketplace-restore <backup set (.tar.age)>}"
[[ -r "$set_file" ]] || { echo "cannot read $set_file" >&2; exit 1; }
set_file="$(readlink -f "$set_file")"
images_path=/var/lib/marketplace/images

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "decrypting $set_file"
age --decrypt --identity "$BACKUP_AGE_IDENTITY" "$set_file" | tar -x -C "$work"
(cd "$work" && sha256sum --quiet --check SHA256SUMS) || { echo "the set is damaged (SHA256SUMS)" >&2; exit 1; }

# user and database of a database service, from BACKUP_DATABASES (service:user:database triples).
db_of() {
  local entry service user database
  for entry in $BACKUP_DATABASES; do
    IFS=: read -r service user database <<<"$entry"
    if [[ "$service" == "$1" ]]; then
      printf '%s %s\n' "$user" "$database"
      return 0
    fi
  done
  echo "no database service $1 in BACKUP_DATABASES" >&2
  return 1
}

# psql in a database container as its bootstrap superuser: <service> <database> <sql>
sql() {
  local user database
  read -r user database < <(db_of "$1")
  docker compose exec -T "$1" psql --no-psqlrc -v ON_ERROR_STOP=1 -q -At --username "$user" --dbname "${2:-$database}" -c "$3"
}

for entry in $BACKUP_DATABASES; do
  IFS=: read -r service _ _ <<<"$entry"
  [[ -s "$work/$service.dump" ]] || { echo "the set holds no dump of $service" >&2; exit 1; }
done

cd "$BACKUP_PROJECT_DIR"
mapfile -t app < <(docker compose config --services | grep -E -e '-(service|worker)$')
echo "stopping ${app[*]}"
docker compose stop "${app[@]}"

for entry in $BACKUP_DATABASES; do
  IFS=: read -r service user database <<<"$entry"
  echo "restoring $service ($database)"
  sql "$service" postgres "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)"
  sql "$service" postgres "CREATE DATABASE \"$database\""
  # The roles exist cluster-wide; this gives the new, empty database their rights.
  docker compose exec -T "$service" /etc/marketplace/postgres/init-roles.sh
  docker compose exec -T "$service" pg_restore --username "$user" --dbname "$database" \
    --no-owner --exit-on-error --single-transaction <"$work/$service.dump"
  # Restored as the superuser: hand the tables to the migration owner, rights to the runtime role.
  docker compose exec -T "$service" /etc/marketplace/postgres/init-roles.sh
  migrations="$(sql "$service" "" "SELECT count(*) FROM drizzle.__drizzle_migrations")"
  echo "  $migrations migration(s) recorded; the release applies any newer ones when it starts"
done

echo "restoring the product images"
docker compose run --rm --no-deps -T --entrypoint sh products-service \
  -c "find $images_path -mindepth 1 -delete && tar -x -C $images_path" <"$work/product-images.tar"

# Stock products holds for orders (reservations not given back) against the items of the orders
# COMPLETED in the orders database, per order and product. Orders still PENDING may or may not hold
# stock yet: the republisher settles them once the saga runs, so they are left out on both sides.
echo "checking that the stock taken matches the completed orders"
sql orders-db "" "SELECT id FROM orders WHERE status = 'PENDING'" | sort >"$work/pending"
sql orders-db "" "SELECT i.order_id || ' ' || i.product_id || ' ' || sum(i.quantity)
                  FROM order_items i JOIN orders o ON o.id = i.order_id
                  WHERE o.status = 'COMPLETED' GROUP BY i.order_id, i.product_id" | sort >"$work/completed"
sql products-db "" "SELECT order_id || ' ' || product_id || ' ' || quantity
                    FROM stock_reservations WHERE released_at IS NULL" | sort >"$work/reserved-all"
awk 'NR == FNR { pending[$1] = 1; next } !($1 in pending)' "$work/pending" "$work/reserved-all" >"$work/reserved"
if ! diff -u --label 'completed orders (orders-db)' --label 'stock taken (products-db)' \
  "$work/completed" "$work/reserved" >"$work/difference"; then
  cat "$work/difference" >&2
  echo "the restored databases disagree (order product quantity, above); the services stay stopped." >&2
  echo "Restore another set, or repair the rows and start them: cd $BACKUP_PROJECT_DIR && docker compose up -d --no-build --wait" >&2
  exit 3
fi
echo "  $(wc -l <"$work/completed") completed order line(s) match; $(wc -l <"$work/pending") order(s) pending"

echo "starting the release (its migrate one-shots run first)"
docker compose up --detach --no-build --wait
# nginx reads the services' addresses when it starts or reloads.
docker compose exec -T nginx nginx -p /tmp/nginx/ -c /tmp/nginx/nginx.conf -s reload
echo "restored $set_file"
