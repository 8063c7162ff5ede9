"""DATABASE_REPLICA_URL adds the replica database, the router and the stickiness middleware; nothing else."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
    "{'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE}, default=str))"
)


def _settings(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    environ.update({"DJANGO_SETTINGS_MODULE": "oms.settings", **env})
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_replica_url_adds_the_replica_router_and_middleware():
    configured = _settings(
        DATABASE_URL="postgres://oms:pw@db:5432/oms", DATABASE_REPLICA_URL="postgres://oms:pw@db-replica:5432/oms"
    )

    replica = configured["databases"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("db-replica", "oms")
    assert replica["TEST"]["MIRROR"] == "default"  # tests never try to create a database on a replica
    assert replica["CONN_MAX_AGE"] == configured["databases"]["default"]["CONN_MAX_AGE"]
    assert configured["routers"] == ["oms.db_router.PrimaryReplicaRouter"]
    assert configured["middleware"][0] == "oms.db_router.PrimaryAfterWriteMiddleware"


def test_without_a_replica_url_there_is_one_database_and_no_router():
    configured = _settings(DATABASE_URL="postgres://oms:pw@db:5432/oms")

    assert list(configured["databases"]) == ["default"]
    assert configured["routers"] == []
    assert "oms.db_router.PrimaryAfterWriteMiddleware" not in configured["middleware"]
