"""Who may take which transition of a return from its page: role × transition; refused ones change nothing."""

import pytest

from inventory.models import Warehouse
from returns.models import ReturnRequest
from tests.dashboard.roles import ROLES

# transition → (state it is taken from, the roles allowed, the state it leads to)
TRANSITIONS = {
    "authorize": ("requested", {"support", "manager"}, "authorized"),
    "reject": ("requested", {"support", "manager"}, "rejected"),
    "receive": ("authorized", {"warehouse", "manager"}, "received"),
    "inspect": ("received", {"warehouse", "manager"}, "inspected"),
    "refund": ("inspected", {"finance", "manager"}, "refunded"),
}
# Roles that see the Returns area at all (returns.view_returnrequest).
VIEWERS = {"warehouse", "finance", "support", "manager"}


def form_for(name: str, r: ReturnRequest) -> dict:
    if name == "reject":
        return {"reason": "Worn, outside the policy"}
    if name == "receive":
        return {"warehouse": Warehouse.objects.get(code="MAIN").pk}
    if name == "inspect":
        return {f"condition-{line.pk}": "resellable" for line in r.lines.all()}
    return {}


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("role", ROLES)
def test_transition_by_role(role, name, return_in_state, staff_client, commit):
    # given
    state, allowed, target = TRANSITIONS[name]
    r = return_in_state(state)
    client = staff_client(role)

    # when
    page = client.get(f"/dashboard/returns/{r.number}/")
    with commit():
        response = client.post(f"/dashboard/returns/{r.number}/{name}/", form_for(name, r))

    # then
    after = ReturnRequest.objects.get(pk=r.pk).status
    action = f'/dashboard/returns/{r.number}/{name}/"'
    if role in allowed:
        assert action in page.text
        assert response.status_code == 302 and after == target
    else:
        assert page.status_code == (200 if role in VIEWERS else 403)
        assert action not in page.text
        assert response.status_code == 403 and after == state
