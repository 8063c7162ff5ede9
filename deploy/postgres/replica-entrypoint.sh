#!/bin/sh
# The read replica: on first start, copy the primary with pg_basebackup -R (which writes the standby
# settings), then run as a hot standby that streams from it. Runs as the postgres user.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h postgres -U oms -D "$PGDATA" -R -X stream --checkpoint=fast; do
    echo "replica: waiting for the primary"; rm -rf "$PGDATA"; sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c max_connections=200
