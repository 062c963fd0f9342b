#!/usr/bin/env bash
# One backup set: the three databases (pg_dump, custom format) and the product images, dumped while
# the saga's workers are paused so the databases agree with one another, packed into one tar,
# encrypted with age for BACKUP_AGE_RECIPIENTS_FILE (public keys: the host cannot read its own
# backups) and copied off the host to BACKUP_TARGET. Sets older than the retention are removed here
# and in a directory target. Every run writes its outcome for node-exporter's textfile collector:
#   marketplace_backup_last_success_timestamp_seconds, marketplace_backup_last_run_timestamp_seconds,
#   marketplace_backup_last_run_success (1 or 0), marketplace_backup_last_size_bytes
# in BACKUP_METRICS_DIR/marketplace_backup.prom. Exits non-zero when any step failed.
# Settings: /etc/marketplace/backup.env (ansible/roles/backup/templates/backup.env.j2).
set -euo pipefail

# shellcheck source=/dev/null
source "${BACKUP_CONFIG:-/etc/marketplace/backup.env}"
: "${BACKUP_DIR:?}" "${BACKUP_PROJECT_DIR:?}" "${BACKUP_RETENTION_DAYS:?}" "${BACKUP_DATABASES:?}"
: "${BACKUP_AGE_RECIPIENTS_FILE:?}" "${BACKUP_METRICS_DIR:?}"
BACKUP_TARGET="${BACKUP_TARGET:-}"
# Where products-service keeps uploaded images (docker-compose.yml, the product-images volume).
images_path=/var/lib/marketplace/images
workers=(products-worker orders-worker)

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="marketplace-$stamp.tar.age"
work=""
paused=()
size=0

write_metrics() {
  local success="$1" now last_success=0 file="$BACKUP_METRICS_DIR/marketplace_backup.prom"
  now="$(date +%s)"
  if [[ "$success" == 1 ]]; then
    last_success="$now"
  elif [[ -r "$file" ]]; then
    last_success="$(awk '$1 == "marketplace_backup_last_success_timestamp_seconds" { print $2 }' "$file")"
    last_success="${last_success:-0}"
  fi
  mkdir -p "$BACKUP_METRICS_DIR"
  # Written aside and renamed: the collector never reads half a file.
  cat >"$file.$$" <<EOF
# HELP marketplace_backup_last_success_timestamp_seconds When the last complete backup set was encrypted and copied off the host.
# TYPE marketplace_backup_last_success_timestamp_seconds gauge
marketplace_backup_last_success_timestamp_seconds $last_success
# HELP marketplace_backup_last_run_timestamp_seconds When marketplace-backup last finished, successfully or not.
# TYPE marketplace_backup_last_run_timestamp_seconds gauge
marketplace_backup_last_run_timestamp_seconds $now
# HELP marketplace_backup_last_run_success 1 when the last run of marketplace-backup succeeded, else 0.
# TYPE marketplace_backup_last_run_success gauge
marketplace_backup_last_run_success $success
# HELP marketplace_backup_last_size_bytes Size of the last encrypted backup set.
# TYPE marketplace_backup_last_size_bytes gauge
marketplace_backup_last_size_bytes $size
EOF
  chmod 0644 "$file.$$"
  mv "$file.$$" "$file"
}

resume_workers() {
  if ((${#paused[@]})); then
    echo "starting ${paused[*]} again"
    docker compose start "${paused[@]}" || echo "could not start ${paused[*]}: start them by hand" >&2
    paused=()
  fi
}

finish() {
  local code=$?
  resume_workers
  [[ -n "$work" ]] && rm -rf "$work"
  rm -f "$BACKUP_DIR/.$name.partial"
  if ((code == 0)); then
    write_metrics 1
  else
    write_metrics 0
    echo "marketplace-backup failed (exit $code); no complete backup set was made at $stamp" >&2
  fi
  exit "$code"
}
trap finish EXIT

mkdir -p "$BACKUP_DIR"
work="$(mktemp -d "$BACKUP_DIR/.set-$stamp.XXXXXX")"
cd "$BACKUP_PROJECT_DIR"

# A worker changes two databases for one order (stock in products, the status in orders); with the
# workers paused the dumps agree. The API keeps taking orders, which stay PENDING meanwhile and are
# settled once the workers are back (and after a restore, by the orders republisher).
running="$(docker compose ps --status running --services)"
for worker in "${workers[@]}"; do
  if grep -qx "$worker" <<<"$running"; then paused+=("$worker"); fi
done
if ((${#paused[@]})); then
  echo "pausing ${paused[*]} while the databases are dumped"
  docker compose stop "${paused[@]}"
fi

# BACKUP_DATABASES: space-separated service:user:database triples.
for entry in $BACKUP_DATABASES; do
  IFS=: read -r service user database <<<"$entry"
  docker compose exec -T "$service" pg_dump --username "$user" --dbname "$database" --format custom >"$work/$service.dump"
  echo "dumped $service ($database)"
done
resume_workers

# The uploaded images (IMAGE_STORE=disk); read from products-service, which has the volume mounted.
docker compose exec -T products-service tar -C "$images_path" -cf - . >"$work/product-images.tar"
echo "packed the product images"

{
  echo "stamp=$stamp"
  echo "release=$(basename "$(readlink -f "$BACKUP_PROJECT_DIR")")"
  echo "databases=$BACKUP_DATABASES"
} >"$work/manifest"
(cd "$work" && sha256sum -- *.dump product-images.tar manifest >SHA256SUMS)

tar -C "$work" -cf - . | age --encrypt --recipients-file "$BACKUP_AGE_RECIPIENTS_FILE" >"$BACKUP_DIR/.$name.partial"
mv "$BACKUP_DIR/.$name.partial" "$BACKUP_DIR/$name"
size="$(stat -c %s "$BACKUP_DIR/$name")"
echo "encrypted the set: $BACKUP_DIR/$name ($size bytes)"

# Off the host: a directory (a mounted disk or network share) or user@host:directory over scp.
if [[ -z "$BACKUP_TARGET" ]]; then
  echo "BACKUP_TARGET is empty: the set stays on this host only" >&2
  exit 4
elif [[ "$BACKUP_TARGET" == /* ]]; then
  mkdir -p "$BACKUP_TARGET"
  cp "$BACKUP_DIR/$name" "$BACKUP_TARGET/.$name.partial"
  mv "$BACKUP_TARGET/.$name.partial" "$BACKUP_TARGET/$name"
  find "$BACKUP_TARGET" -maxdepth 1 -name 'marketplace-*.tar.age' -type f -mtime "+$BACKUP_RETENTION_DAYS" -print -delete
else
  scp -q -B -o StrictHostKeyChecking=yes "$BACKUP_DIR/$name" "$BACKUP_TARGET/$name"
fi
echo "copied the set to $BACKUP_TARGET"

find "$BACKUP_DIR" -maxdepth 1 -name 'marketplace-*.tar.age' -type f -mtime "+$BACKUP_RETENTION_DAYS" -print -delete
