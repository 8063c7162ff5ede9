"""Look-up by order number + email: the right pair opens the order; a wrong one learns nothing; rate limited."""

import pytest

from portal.links import tracking_number_from_token

NOT_FOUND = "We could not find an order with that number and email address."


@pytest.fixture
def order(order_in_state):
    return order_in_state("confirmed", customer_email="Ann.Example@example.com")


def test_the_form_works_without_javascript(client, db):
    # when
    response = client.get("/track/")

    # then: a plain form that posts
    page = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" action="/track/"' in page
    assert '<label for="id_number"' in page and '<label for="id_email"' in page
    assert "<script" not in page


def test_the_right_number_and_email_open_the_order(client, order):
    # when: as typed by a person, lower case and with spaces
    response = client.post("/track/", {"number": f" {order.number.lower()} ", "email": "ann.example@EXAMPLE.com"})

    # then: to the signed page of that order
    assert response.status_code == 302
    token = response.url.split("/")[-2]
    assert response.url.startswith("/track/o/")
    assert tracking_number_from_token(token) == order.number
    assert order.number in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param({"number": "ZZZZZZZZ"}, id="wrong number"),
        pytest.param({"email": "someone.else@example.com"}, id="wrong email"),
        pytest.param({"number": "ZZZZZZZZ", "email": "someone.else@example.com"}, id="both wrong"),
    ],
)
def test_a_wrong_number_or_email_gets_the_same_answer(wrong, client, order):
    # given
    data = {"number": order.number, "email": "ann.example@example.com", **wrong}

    # when
    response = client.post("/track/", data)

    # then: the one generic message, nothing that tells which part was wrong
    page = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND in page
    assert order.number not in page.replace(f'value="{data["number"]}"', "")


def test_wrong_number_and_wrong_email_answers_are_identical(client, order):
    # when
    wrong_number = client.post("/track/", {"number": "ZZZZZZZZ", "email": "ann.example@example.com"})
    wrong_email = client.post("/track/", {"number": order.number, "email": "x@example.com"})

    # then: same status, same message, same page apart from the echoed input and the CSRF token
    def shape(response, number, email):
        page = response.content.decode()
        page = page.replace(number, "NUMBER").replace(email, "EMAIL")
        return response.status_code, [line for line in page.splitlines() if "csrfmiddlewaretoken" not in line]

    assert shape(wrong_number, "ZZZZZZZZ", "ann.example@example.com") == shape(
        wrong_email, order.number, "x@example.com"
    )


def test_a_malformed_form_is_answered_beside_the_fields(client, db):
    # when
    response = client.post("/track/", {"number": "", "email": "not-an-email"})

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a valid email address." in page


def test_too_many_failed_look_ups_are_refused_with_a_clear_message(client, order, settings):
    # given: the limit reached from one address
    settings.OMS_LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post("/track/", {"number": "ZZZZZZZZ", "email": "a@example.com"}).status_code == 200

    # when: even the right pair
    response = client.post("/track/", {"number": order.number, "email": "ann.example@example.com"})

    # then
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.OMS_LOOKUP_RATE_WINDOW_SECONDS)
    page = response.content.decode()
    assert "Too many tries" in page
    assert "wait up to 10 minutes" in page
    assert "Find my order" in page  # the form stays, for later


def test_the_limit_is_per_client_address(client, order, settings):
    # given: one address used up its tries
    settings.OMS_LOOKUP_RATE_LIMIT = 2
    for _ in range(2):
        client.post("/track/", {"number": "ZZZZZZZZ", "email": "a@example.com"}, REMOTE_ADDR="203.0.113.7")

    # when: another address
    response = client.post(
        "/track/", {"number": order.number, "email": "ann.example@example.com"}, REMOTE_ADDR="198.51.100.2"
    )

    # then
    assert response.status_code == 302


def test_successful_look_ups_do_not_count(client, order, settings):
    # given
    settings.OMS_LOOKUP_RATE_LIMIT = 2

    # when
    codes = [
        client.post("/track/", {"number": order.number, "email": order.customer.email}).status_code for _ in range(5)
    ]

    # then
    assert codes == [302] * 5


def test_a_forwarded_for_header_does_not_reset_the_count(client, order, settings):
    # given
    settings.OMS_LOOKUP_RATE_LIMIT = 1
    client.post("/track/", {"number": "ZZZZZZZZ", "email": "a@example.com"})

    # when: the client claims another address
    response = client.post(
        "/track/", {"number": "ZZZZZZZZ", "email": "a@example.com"}, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )

    # then
    assert response.status_code == 429
