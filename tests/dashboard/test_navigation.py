"""Each role sees the dashboard sections it works in, and only those."""

import pytest

from tests.dashboard.roles import GIVEN, SECTIONS


@pytest.mark.parametrize("role", list(GIVEN), ids=lambda r: str(r))
def test_navigation_shows_the_sections_of_the_role(staff_client, role):
    client = staff_client(role)

    page = client.get("/dashboard/").text

    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
    shown = {label for label, url in SECTIONS.items() if f'href="{url}"' in nav}
    assert shown == GIVEN[role].sections


@pytest.mark.parametrize("role", list(GIVEN), ids=lambda r: str(r))
@pytest.mark.parametrize("section", list(SECTIONS))
def test_a_section_outside_the_role_is_refused(staff_client, role, section):
    client = staff_client(role)

    response = client.get(SECTIONS[section])

    assert response.status_code == (200 if section in GIVEN[role].sections else 403)
