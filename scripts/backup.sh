#!/usr/bin/env bash
# Back up the newsroom: the PostgreSQL database (custom format, every table:
# pages, revisions, translations, taxonomy, links) and the media folder.
#
#   scripts/backup.sh DATABASE_URL MEDIA_ROOT OUTPUT_DIR
#
# Writes OUTPUT_DIR/newsroom.dump and OUTPUT_DIR/media.tar.gz.
set -euo pipefail
database_url=${1:?database URL}
media_root=${2:?media folder}
output=${3:?output folder}
mkdir -p "$output"
pg_dump --format=custom --no-owner --no-privileges --file="$output/newsroom.dump" "$database_url"
if [ -d "$media_root" ]; then
  tar -czf "$output/media.tar.gz" -C "$media_root" .
else
  tar -czf "$output/media.tar.gz" --files-from /dev/null
fi
echo "backup written to $output"
