#!/bin/sh
# Runs once, when the primary's data directory is created: lets the replica (service "postgres-replica")
# stream WAL as the database owner, with a password, from the compose network.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
