"""After a request that wrote, the same client's next requests read from the primary for a short while."""

import pytest

from oms.db_router import COOKIE

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.urls("tests.oms.replica.urls"),
]


def test_a_client_sees_its_own_write_on_the_next_page(replica, client):
    # when a client saves something
    response = client.post("/write/", {"email": "mine@example.com"})
    assert response.status_code == 201

    # then the page it goes to next shows it, though the replica does not have it yet
    assert client.get("/read/", {"email": "mine@example.com"}).content == b"found"


def test_another_client_reads_from_the_replica(replica, client, django_app_client):
    client.post("/write/", {"email": "mine@example.com"})

    assert django_app_client.get("/read/", {"email": "mine@example.com"}).content == b"missing"


def test_a_request_that_only_reads_leaves_the_client_on_the_replica(replica, client, elsewhere):
    from tests.factories import CustomerFactory

    elsewhere(lambda: CustomerFactory(email="theirs@example.com"))

    response = client.get("/read/", {"email": "theirs@example.com"})

    assert response.content == b"missing"
    assert COOKIE not in response.cookies


def test_an_expired_stickiness_reads_from_the_replica_again(replica, client):
    client.post("/write/", {"email": "mine@example.com"})
    client.cookies[COOKIE] = "1.0"  # the time it kept the client on the primary until has passed

    assert client.get("/read/", {"email": "mine@example.com"}).content == b"missing"


@pytest.fixture
def django_app_client():
    from django.test import Client

    return Client()
