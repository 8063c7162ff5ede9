"""The customer list: search, payment-terms filter, sort, pagination, empty state."""

from tests.factories import CustomerFactory

URL = "/dashboard/customers/"


def _names(response):
    return [c.name for c in response.context["page_obj"]]


def test_search_by_name_email_or_phone(staff_client, db):
    CustomerFactory(name="Ann Example", email="ann@example.com", phone="555-0100")
    CustomerFactory(name="Bob Other", email="bob@shop.test")
    client = staff_client("order desk")

    assert _names(client.get(URL, {"q": "ann"})) == ["Ann Example"]
    assert _names(client.get(URL, {"q": "shop.test"})) == ["Bob Other"]
    assert _names(client.get(URL, {"q": "0100"})) == ["Ann Example"]


def test_filter_by_payment_terms(staff_client, db):
    CustomerFactory(name="Acme", payment_terms="on_account", credit_limit=500)
    CustomerFactory(name="Zed")
    client = staff_client("finance")

    assert _names(client.get(URL, {"terms": "on_account"})) == ["Acme"]
    assert _names(client.get(URL, {"terms": "prepaid"})) == ["Zed"]
    assert _names(client.get(URL, {"terms": "bogus"})) == ["Acme", "Zed"]  # a bad value is ignored


def test_sort(staff_client, db):
    CustomerFactory(name="Acme", credit_limit=10)
    CustomerFactory(name="Zed", credit_limit=900)
    client = staff_client("order desk")

    assert _names(client.get(URL, {"sort": "-name"})) == ["Zed", "Acme"]
    assert _names(client.get(URL, {"sort": "-credit_limit"})) == ["Zed", "Acme"]
    assert _names(client.get(URL, {"sort": "-last_order"})) == ["Acme", "Zed"]
    assert client.get(URL, {"sort": "nope"}).status_code == 200


def test_pagination_keeps_the_filters(staff_client, db):
    CustomerFactory.create_batch(27, name="Same Name")
    client = staff_client("order desk")

    first = client.get(URL, {"q": "same"})
    second = client.get(URL, {"q": "same", "page": 2})

    assert len(first.context["page_obj"]) == 25 and len(second.context["page_obj"]) == 2
    assert 'href="?q=same&amp;terms=&amp;sort=&amp;page=2"' in first.text or "q=same" in first.text
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_empty_state(staff_client, db):
    client = staff_client("order desk")

    assert "No customers yet" in client.get(URL).text
    assert "Nobody matches these filters" in client.get(URL, {"q": "nobody"}).text
    assert client.get(URL, {"q": "nobody\x00"}).status_code == 200


def test_htmx_filter_returns_only_the_rows(staff_client, db):
    CustomerFactory(name="Ann Example")
    client = staff_client("order desk")

    response = client.get(URL, {"q": "ann"}, headers={"HX-Request": "true"})

    assert "<html" not in response.text and "Ann Example" in response.text


def test_list_runs_a_fixed_number_of_queries(staff_client, db, django_assert_max_num_queries):
    CustomerFactory.create_batch(20)
    client = staff_client("order desk")

    with django_assert_max_num_queries(8):
        client.get(URL)
