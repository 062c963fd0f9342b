#!/usr/bin/env bash
# Nightly dump of each marketplace database (custom format, restorable with marketplace-restore),
# then removal of dumps older than the retention. Settings: /etc/marketplace/backup.env.
set -euo pipefail

# shellcheck source=/dev/null
source "${BACKUP_CONFIG:-/etc/marketplace/backup.env}"
: "${BACKUP_DIR:?}" "${BACKUP_PROJECT_DIR:?}" "${BACKUP_RETENTION_DAYS:?}" "${BACKUP_DATABASES:?}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
failed=0
cd "$BACKUP_PROJECT_DIR"

# BACKUP_DATABASES: space-separated service:user:database triples.
for entry in $BACKUP_DATABASES; do
  IFS=: read -r service user database <<<"$entry"
  target_dir="$BACKUP_DIR/$service"
  mkdir -p "$target_dir"
  partial="$target_dir/.$database-$stamp.dump.partial"
  # Written under a temporary name, so a dump cut short never looks like a good one.
  if docker compose exec -T "$service" pg_dump --username "$user" --dbname "$database" --format custom >"$partial"; then
    mv "$partial" "$target_dir/$database-$stamp.dump"
    echo "backed up $service to $target_dir/$database-$stamp.dump"
  else
    rm -f "$partial"
    echo "backup of $service failed" >&2
    failed=1
  fi
done

find "$BACKUP_DIR" -name '*.dump' -type f -mtime "+$BACKUP_RETENTION_DAYS" -print -delete
exit "$failed"
