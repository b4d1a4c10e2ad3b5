#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder.
#
#   scripts/restore.sh BACKUP_DIR DATABASE_URL MEDIA_ROOT
#
# The database must exist and be empty (createdb NAME); nothing is overwritten.
set -euo pipefail
backup=${1:?backup folder}
database_url=${2:?database URL}
media_root=${3:?media folder}
tables=$(psql "$database_url" -tAc "select count(*) from information_schema.tables where table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the target database is not empty ($tables tables)" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$database_url" "$backup/newsroom.dump"
mkdir -p "$media_root"
tar -xzf "$backup/media.tar.gz" -C "$media_root"
echo "restored from $backup"
