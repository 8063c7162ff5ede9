"""README.md stays true to the code: every setting documented, every API path it shows exists."""

import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.oms.ops.test_deployment_files import settings_env_vars

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


def test_states_the_test_command():
    assert "\nmake test\n" in README


@pytest.mark.parametrize("name", sorted(settings_env_vars()))
def test_documents_every_setting(name):
    assert re.search(rf"^\| `{name}` \|", README, re.M), f"{name} is missing from the configuration table"


def test_every_api_path_it_shows_exists():
    paths = set(re.findall(r"/api/v1/[\w<>./${}-]*", README)) - {"/api/v1/"}
    assert len(paths) >= 8
    for path in paths:
        if path.startswith("/api/v1/_bench/"):  # only with OMS_BENCH_ENDPOINTS=1
            continue
        concrete = path.replace("<number>", "QSQB57X8").replace("<carrier>", "demo")
        concrete = re.sub(r"\$\{?\w+\}?", "QSQB57X8", concrete)  # a shell variable: an order number
        try:
            resolve(concrete)
        except Resolver404:
            pytest.fail(f"README shows {path}, which no URL matches")


def test_example_orders_are_variables_seed_demo_prints():
    """A fresh demo has new random order numbers: the README's commands name orders by the variables that
    ``seed_demo`` prints (``export ORDER=…``), never a number from someone else's demo."""
    used = set(re.findall(r"/api/v1/orders/\$(\w+)/", README)) | set(re.findall(r'--order "\$(\w+)"', README))
    assert used == {"ORDER", "DECLINED", "STAFF_ORDER", "SHIPPED", "DELIVERED"}
    for name in used:
        assert f"`export {name}=…`" in README, name
    assert not re.findall(r"/api/v1/orders/[0-9A-Z]{8}/", README)
    assert not re.findall(r"--order [0-9A-Z]{8}\b", README)


def test_shipping_method_is_listed_as_required():
    required = README.split("Required: ")[1].split("\n\n")[0]
    optional = README.split("Other fields:")[1].split("**Get it")[0]
    assert "`shipping_method`" in required and "`shipping_method`" not in optional
