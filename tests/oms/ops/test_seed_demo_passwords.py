"""seed_demo gives the demo password only to the users it creates: a user that exists keeps its password."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from dashboard.management.demo.data import DEMO_PASSWORD
from tests.factories import StaffFactory


@pytest.mark.django_db(transaction=True)
def test_existing_users_keep_their_password_and_rights(settings, reference_data):
    # given: a development setup where "desk" and "admin" are already real accounts with their own passwords
    settings.DEBUG = True
    desk = StaffFactory(username="desk", role="support")
    desk.set_password("desk-own-secret-1")
    desk.save()
    admin = StaffFactory(username="admin")
    admin.set_password("admin-own-secret-1")
    admin.save()
    out = StringIO()

    # when
    call_command("seed_demo", "--orders", "0", "--customers", "4", stdout=out, stderr=StringIO())

    # then: the existing users still sign in with their own passwords, not the published one
    desk.refresh_from_db()
    admin.refresh_from_db()
    assert desk.check_password("desk-own-secret-1") and not desk.check_password(DEMO_PASSWORD)
    assert admin.check_password("admin-own-secret-1") and not admin.check_password(DEMO_PASSWORD)
    # ... with the rights they had: no role added, no superuser made
    assert list(desk.groups.values_list("name", flat=True)) == ["support"]
    assert not admin.is_superuser
    # ... and the command says so
    assert "keep their own password: desk, admin" in out.getvalue()

    # then: the users it created get the demo password and their role
    warehouse = User.objects.get(username="warehouse")
    assert warehouse.check_password(DEMO_PASSWORD)
    assert list(warehouse.groups.all()) == [Group.objects.get(name="warehouse")]


@pytest.mark.django_db(transaction=True)
def test_a_second_run_changes_no_password(settings, reference_data):
    # given: a seeded demo whose manager changed their password
    settings.DEBUG = True
    call_command("seed_demo", "--orders", "0", "--customers", "4", stdout=StringIO(), stderr=StringIO())
    manager = User.objects.get(username="manager")
    manager.set_password("manager-new-secret-1")
    manager.save()

    # when: seeding again
    call_command("seed_demo", "--orders", "0", "--customers", "4", stdout=StringIO(), stderr=StringIO())

    # then
    manager.refresh_from_db()
    assert manager.check_password("manager-new-secret-1")
