"""With DEBUG off the app does not start without its secrets, and ``check --deploy`` is clean when they are set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "pR0d-7hQ2xLk9vN4cWm8sZ1tB6yJ3fGd5aUe0oIrKpHq_Xw2nVb",
    "ALLOWED_HOSTS": "example.com",
    "DEMO_CARRIER_WEBHOOK_SECRET": "wh-3Jf9sKq2LmX8vTz4",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a fresh process, with only the given secrets and switches in its environment."""
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "error"), [("SECRET_KEY", "oms.E001"), ("DEMO_CARRIER_WEBHOOK_SECRET", "oms.E002")]
)
def test_with_debug_off_a_missing_secret_stops_the_start(missing, error):
    # given: production settings without one secret
    env = {name: value for name, value in PRODUCTION.items() if name != missing}

    # when
    result = manage("check", **env)

    # then
    assert result.returncode != 0
    assert error in result.stderr and missing in result.stderr


def test_with_production_values_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_with_debug_on_development_defaults_need_no_secret():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr
