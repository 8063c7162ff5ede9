"""What seed_demo prints leads a newcomer to the staff dashboard and the customer portal, not to /admin/."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_logins_point_to_the_dashboard_and_the_portal_with_an_example_order(
    reference_data, fast_password_hashing, order_in_state, settings
):
    # given: demo data present (so --if-empty only prints the logins), on a development setup
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    order = order_in_state("confirmed")
    out = StringIO()

    # when
    call_command("seed_demo", "--if-empty", stdout=out)

    # then
    text = out.getvalue()
    assert "nothing to do" in text
    assert "Staff dashboard: http://127.0.0.1:8000/dashboard/" in text
    assert "Customer portal: http://127.0.0.1:8000/track/" in text
    assert f"e.g. order {order.number} with {order.customer.email}" in text
    assert text.index("/dashboard/") < text.index("/admin/")
