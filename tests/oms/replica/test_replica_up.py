"""bin/replica-up is safe to run again: a replica that streams is left as it is."""

import subprocess

import psycopg2

from tests.oms.replica.conftest import REPLICA_PORT, ROOT


def test_running_it_again_keeps_the_streaming_replica(replica_to_myself):
    done = subprocess.run([ROOT / "bin" / "replica-up"], capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "up and streaming" in done.stdout
    with psycopg2.connect(host="127.0.0.1", port=REPLICA_PORT, user="postgres", dbname="postgres") as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), status FROM pg_stat_wal_receiver")
            assert cursor.fetchone() == (True, "streaming")
