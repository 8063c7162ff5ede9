"""EasyPost's REST API v2 as far as the adapter uses it: shipments with rates, buy, refund, address checks.

Rates (price grows with the parcel's ounces): USPS First (3 days), USPS Priority (2 days), UPS NextDayAir
(1 day). An address whose street holds "Nowhere" does not verify. Basic auth with ``API_KEY``.
"""

import base64
import itertools
from decimal import Decimal

from tests.fake_provider import FakeProvider, SeenRequest

API_KEY = "EZTK_fake_key"
SERVICES = [
    ("USPS", "First", Decimal("4.00"), Decimal("0.10"), 3),
    ("USPS", "Priority", Decimal("7.50"), Decimal("0.05"), 2),
    ("UPS", "NextDayAir", Decimal("24.00"), Decimal("0.20"), 1),
]


def _error(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"error": {"code": code, "message": message, "errors": []}}


class FakeEasyPost(FakeProvider):
    def __init__(self):
        super().__init__()
        self.shipments: dict[str, dict] = {}
        self._ids = itertools.count(1)

    def handle(self, request: SeenRequest):
        expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return _error(401, "APIKEY.INACTIVE", "The API key is missing or wrong.")
        parts = request.path.strip("/").split("/")  # v2, shipments, <id>, buy
        body = request.json()
        if parts == ["v2", "shipments"]:
            return self._create(body.get("shipment") or {})
        if len(parts) == 3 and parts[:2] == ["v2", "shipments"] and request.method == "GET":
            if parts[2] in self.shipments:
                return 200, self.shipments[parts[2]]
            return _error(404, "NOT_FOUND", "The requested resource could not be found.")
        if len(parts) == 4 and parts[:2] == ["v2", "shipments"] and parts[2] in self.shipments:
            shipment = self.shipments[parts[2]]
            if parts[3] == "buy":
                return self._buy(shipment, (body.get("rate") or {}).get("id"))
            if parts[3] == "refund":
                if not shipment["tracking_code"]:
                    return _error(422, "SHIPMENT.REFUND.UNAVAILABLE", "This shipment has no postage to refund.")
                shipment["refund_status"] = "submitted"
                return 200, shipment
        if parts == ["v2", "addresses"]:
            address = dict(body.get("address") or {})
            ok = "nowhere" not in str(address.get("street1", "")).lower()
            errors = [] if ok else [{"code": "E.ADDRESS.NOT_FOUND", "field": "address", "message": "Address not found"}]
            address.update(id=f"adr_{next(self._ids)}", verifications={"delivery": {"success": ok, "errors": errors}})
            return 200, address
        return _error(404, "NOT_FOUND", "The requested resource could not be found.")

    def _create(self, shipment: dict):
        for side in ("to_address", "from_address"):
            if not (shipment.get(side) or {}).get("street1"):
                return _error(422, "ADDRESS.VERIFY.FAILURE", f"{side} needs a street1.")
        ounces = Decimal(str((shipment.get("parcel") or {}).get("weight", 0)))
        if ounces <= 0:
            return _error(422, "PARCEL.WEIGHT.INVALID", "The parcel needs a weight in ounces.")
        shipment_id = f"shp_{next(self._ids)}"
        rates = [
            {
                "object": "Rate",
                "id": f"rate_{next(self._ids)}",
                "shipment_id": shipment_id,
                "carrier": carrier,
                "service": service,
                "rate": f"{base + per_oz * ounces:.2f}",
                "currency": "USD",
                "delivery_days": days,
                "est_delivery_days": days,
                "delivery_date": None,
            }
            for carrier, service, base, per_oz, days in SERVICES
        ]
        self.shipments[shipment_id] = {
            "object": "Shipment",
            "id": shipment_id,
            **shipment,
            "rates": rates,
            "tracking_code": None,
            "postage_label": None,
            "selected_rate": None,
            "refund_status": None,
        }
        return 200, self.shipments[shipment_id]

    def _buy(self, shipment: dict, rate_id):
        if shipment["tracking_code"]:
            return _error(422, "SHIPMENT.POSTAGE.EXISTS", "Postage already exists for this shipment.")
        rate = next((r for r in shipment["rates"] if r["id"] == rate_id), None)
        if rate is None:
            return _error(422, "SHIPMENT.RATE.INVALID", "The rate is not one of this shipment's.")
        number = next(self._ids)
        shipment.update(
            tracking_code=f"9400{number:018d}",
            selected_rate=rate,
            postage_label={"object": "PostageLabel", "label_url": f"https://files.example/labels/{shipment['id']}.png"},
        )
        return 200, shipment

    def bought(self) -> list[dict]:
        return [s for s in self.shipments.values() if s["tracking_code"]]
