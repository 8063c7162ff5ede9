"""docker-compose.yml and the Dockerfile describe the production shape, with settings the app really reads."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from oms.celery import QUEUES

ROOT = Path(__file__).resolve().parents[3]
WORKERS = ("worker", "worker-payments", "worker-notifications", "worker-carriers", "worker-webhooks")
APP_SERVICES = ("migrate", "web", *WORKERS, "beat")
REQUIRED_ENV = ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
# Secrets the file has no default for: compose refuses to start without them.
REQUIRED_SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD", "DEMO_CARRIER_WEBHOOK_SECRET")


def settings_env_vars() -> set[str]:
    """Every environment variable oms/settings.py reads."""
    source = (ROOT / "oms" / "settings.py").read_text()
    return set(re.findall(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def command(service: dict) -> str:
    value = service.get("command") or ""
    return " ".join(value) if isinstance(value, list) else value


def test_compose_has_the_production_services():
    services = compose()["services"]

    assert {"postgres", "postgres-replica", "pgbouncer", "redis", "migrate", "web", *WORKERS, "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["postgres-replica"]["image"] == services["postgres"]["image"]
    assert services["redis"]["image"].startswith("redis:7")
    assert "noeviction" in command(services["redis"]) and "appendonly" in command(services["redis"])
    assert "gunicorn oms.wsgi" in command(services["web"])
    assert "migrate" in command(services["migrate"]) and "migrate" not in command(services["web"])
    assert "replicas" in services["web"]["deploy"]
    assert "celery -A oms beat" in command(services["beat"])
    for name in ("postgres", "postgres-replica", "pgbouncer", "redis", "web", *WORKERS):
        assert services[name].get("healthcheck"), f"{name} has no health check"
    assert "/health/" in str(services["web"]["healthcheck"]["test"])


def test_each_queue_has_exactly_one_worker_service():
    services = compose()["services"]
    consumed = []
    for name in WORKERS:
        worker = command(services[name])
        assert "celery -A oms worker" in worker
        consumed += re.search(r"-Q\s+(\S+)", worker).group(1).split(",")

    assert sorted(consumed) == sorted(QUEUES)
    assert {"payments"} in [set(re.search(r"-Q\s+(\S+)", command(services[n])).group(1).split(",")) for n in WORKERS]


def test_the_app_reaches_the_database_through_the_pooler_and_reads_the_replica():
    services = compose()["services"]
    env = environment(services["web"])

    assert "@pgbouncer:" in env["DATABASE_URL"] and env["DATABASE_POOLER"] == "pgbouncer"
    assert "@postgres-replica:" in env["DATABASE_REPLICA_URL"]
    assert environment(services["pgbouncer"])["POOL_MODE"] == "transaction"
    # migrations go straight to the primary
    assert "@postgres:" in environment(services["migrate"])["DATABASE_URL"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_set_only_settings_the_app_reads(name):
    env = environment(compose()["services"][name])
    known = settings_env_vars()

    assert set(REQUIRED_ENV) <= set(env)
    assert set(env) <= known, f"not read by oms/settings.py: {sorted(set(env) - known)}"
    assert env["DEBUG"] == "0"
    assert env["SECURE_SSL_REDIRECT"].endswith(":-0}")  # plain http on localhost works unless told otherwise


def test_settings_reads_the_variables_this_test_relies_on():
    assert set(REQUIRED_ENV) <= settings_env_vars()


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="the docker-compose binary is not installed")
def test_docker_compose_accepts_the_file():
    env = {**os.environ, **{name: "test-only" for name in REQUIRED_SECRETS}}

    result = compose_config(env)

    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="the docker-compose binary is not installed")
@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
def test_docker_compose_has_no_default_for_a_secret(missing):
    env = {name: value for name, value in os.environ.items() if name not in REQUIRED_SECRETS}
    env.update({name: "test-only" for name in REQUIRED_SECRETS if name != missing})

    result = compose_config(env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_dockerfile_builds_the_app_image():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile and "oms.wsgi" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "db.sqlite3", ".env"} <= set(ignored)
