#!/usr/bin/env bash
# Prepares a local PostgreSQL for agentnet: starts the cluster if it is down, enables two-phase
# commit (an MDB that writes through JPA commits JMS and JDBC together: XA needs
# max_prepared_transactions > 0; changing it restarts the cluster), and creates the role and
# the database. Superuser access through the local trust configuration is assumed
# (PGHOST/PGPORT/PGUSER select another server or admin role).
#
#   scripts/postgresql-setup.sh [--fresh] [database] [role]
#     --fresh   drop the database first (CI does, so every run starts from an empty schema)
#     database  default agentnet;  role  default agentnet
set -euo pipefail

fresh=false
if [ "${1:-}" = "--fresh" ]; then fresh=true; shift; fi
db=${1:-agentnet}
role=${2:-agentnet}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
wanted_prepared=64

for name in "$db" "$role"; do
    [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "invalid name: $name" >&2; exit 2; }
done

cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

if ! pg_isready -q -t 5; then
    echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(cluster_version)" main start
    for _ in $(seq 1 30); do pg_isready -q -t 1 && break; sleep 1; done
    pg_isready -q -t 5 || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

current=$(psql -XAtqc "show max_prepared_transactions")
if [ "$current" -lt "$wanted_prepared" ]; then
    echo "max_prepared_transactions is $current; setting $wanted_prepared and restarting PostgreSQL"
    psql -Xqc "alter system set max_prepared_transactions = $wanted_prepared"
    pg_ctlcluster --skip-systemctl-redirect "$(cluster_version)" main restart
    for _ in $(seq 1 30); do pg_isready -q -t 1 && break; sleep 1; done
    current=$(psql -XAtqc "show max_prepared_transactions")
    [ "$current" -ge "$wanted_prepared" ] || { echo "max_prepared_transactions still $current" >&2; exit 1; }
fi

if [ "$(psql -XAtqc "select count(*) from pg_roles where rolname = '$role'")" = 0 ]; then
    psql -Xqc "create role $role login"
fi
if $fresh; then
    # prepared transactions left by a killed server would keep the database busy
    psql -XAtqc "select gid from pg_prepared_xacts where database = '$db'" | while read -r gid; do
        [ -n "$gid" ] && psql -Xqd "$db" -c "rollback prepared '$gid'" || true
    done
    psql -Xqc "drop database if exists $db with (force)"
fi
if [ "$(psql -XAtqc "select count(*) from pg_database where datname = '$db'")" = 0 ]; then
    psql -Xqc "create database $db owner $role"
fi
echo "PostgreSQL ready: database $db, role $role, max_prepared_transactions $current"
