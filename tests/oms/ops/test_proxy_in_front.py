"""In the compose file gunicorn is reachable only through the reverse proxy, which appends the client's
address, and the app trusts exactly that one proxy: per-client limits count the real client."""

from tests.oms.ops.test_deployment_files import ROOT, compose


def test_only_the_proxy_is_published_and_web_is_not():
    services = compose()["services"]
    assert "ports" not in services["web"], "gunicorn must not be reachable around the proxy"
    assert services["proxy"]["ports"] == ["${WEB_PORT:-8000}:80"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_app_trusts_the_one_proxy_and_the_proxy_appends_the_client():
    environment = compose()["x-oms-environment"]
    assert environment["OMS_TRUSTED_PROXIES"] == "${OMS_TRUSTED_PROXIES:-1}"
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "server web:8000;" in nginx
