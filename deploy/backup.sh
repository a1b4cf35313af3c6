#!/bin/sh
# Nightly backup (e.g. /etc/cron.daily/oss-bot-backup, or a systemd timer): the database (tickets,
# photos and files villagers sent, the console's catalogue history, accounts) and catalogue.json.
# Keep 30 days here; copy the folder off the machine (rclone, rsync) so a lost VPS loses nothing.
set -eu
. /etc/oss-bot.env
DEST=${BACKUP_DIR:-/var/backups/oss-bot}
STAMP=$(date +%Y-%m-%d)
mkdir -p "$DEST"
pg_dump --format=custom --file="$DEST/db-$STAMP.dump" "$DATABASE_URL"
cp /srv/oss-bot/catalogue.json "$DEST/catalogue-$STAMP.json"
find "$DEST" -type f -mtime +30 -delete
# Restore: pg_restore --clean --if-exists -d "$DATABASE_URL" db-YYYY-MM-DD.dump
