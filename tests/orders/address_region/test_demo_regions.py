"""The demo's US and Canadian addresses carry their state or province, so their labels print like real ones."""

from dashboard.management.demo.data import CITIES


def test_us_and_canadian_demo_cities_have_a_two_letter_region():
    for country in ("US", "CA"):
        regions = [region for _, _, region in CITIES[country]]
        assert all(len(region) == 2 and region.isupper() for region in regions), (country, regions)
    assert ("Denver", "80202", "CO") in CITIES["US"]
