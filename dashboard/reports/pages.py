"""One builder per Reports page: it calls the reporting selectors for the filter (and its previous period) and
lays the answer out as headline figures and tables (see ``tables.py``). No queries of its own."""

from dataclasses import dataclass, field

from dashboard.reports.tables import Column, Figure, Table, figures
from reporting.filters import ReportFilter, ReportFilterError
from reporting.selectors import customers, exceptions, flow, inventory, sales, team

C = Column


@dataclass
class Report:
    group: str
    title: str
    intro: str
    figures: list[Figure]
    tables: list[Table]
    extra: dict = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)


def interval_for(filters: ReportFilter) -> str:
    """Days for up to two months, weeks up to a year, months beyond: a chart of tens of points, not hundreds."""
    return "day" if filters.days <= 62 else "week" if filters.days <= 366 else "month"


def sales_page(filters: ReportFilter, params) -> Report:
    compared = sales.sales_comparison(filters)
    interval = interval_for(filters)
    orders = sales.timeseries(filters, metric="orders", interval=interval)
    revenue = {row["period"]: row["value"] for row in sales.timeseries(filters, metric="revenue", interval=interval)}
    series = [{"period": row["period"], "orders": row["value"], "revenue": revenue[row["period"]]} for row in orders]
    return Report(
        group="sales",
        title="Sales",
        intro="Orders count on the day they were placed, whatever their status now; revenue and units leave "
        "out orders cancelled since.",
        figures=figures(
            compared["current"],
            compared["previous"],
            [
                ("orders", "Orders placed", "int"),
                ("units", "Units", "int"),
                ("revenue", "Revenue", "money"),
                ("average_order_value", "Average order value", "money"),
                ("cancelled", "Cancelled", "int", False),
                ("cancelled_value", "Cancelled value", "money", False),
                ("refunds", "Refunds", "money", False),
            ],
        ),
        tables=[
            Table(
                "orders_over_time",
                f"Orders and revenue per {interval}",
                [
                    C("period", interval.capitalize(), "date"),
                    C("orders", "Orders", "int"),
                    C("revenue", "Revenue", "money"),
                ],
                series,
                chart="line",
                plots=["orders"],
            ),
            Table(
                "revenue_by_channel",
                "Revenue by channel",
                [C("label", "Channel"), C("orders", "Orders", "int"), C("revenue", "Revenue", "money")],
                sales.revenue_by_channel(filters),
                chart="bar",
                plots=["revenue"],
            ),
            Table(
                "cancellations",
                "Cancellations by reason",
                [C("reason", "Reason"), C("orders", "Orders", "int"), C("value", "Value", "money")],
                sales.cancellations_by_reason(filters),
                chart="bar",
                plots=["orders"],
                empty="No order placed in this range was cancelled.",
            ),
            Table(
                "top_products",
                "Top products by revenue",
                [C("sku", "SKU"), C("name", "Product"), C("units", "Units", "int"), C("revenue", "Revenue", "money")],
                sales.top_products(filters),
                chart="bar",
                plots=["revenue"],
            ),
            Table(
                "top_customers",
                "Top customers by revenue",
                [
                    C("name", "Customer"),
                    C("email", "Email"),
                    C("orders", "Orders", "int"),
                    C("revenue", "Revenue", "money"),
                ],
                sales.top_customers(filters),
            ),
        ],
    )


def flow_page(filters: ReportFilter, params) -> Report:
    cycle = flow.cycle_times(filters)
    on_time, on_time_before = flow.on_time_rates(filters), flow.on_time_rates(filters.previous())
    stages = [{"stage": name.replace("_", " ").capitalize(), **values} for name, values in cycle.items()]
    stuck = [
        {"label": row["label"], "orders": row["orders"], "oldest_hours": row["oldest_hours"], **row["ageing"]}
        for row in flow.stuck_orders(filters)
    ]
    return Report(
        group="flow",
        title="Milestones & flow",
        intro="Cycle times are measured on the orders placed in the range, from their milestone times (hours; "
        "p50 is the median, p90 the time nine orders in ten beat). On-time rates count orders shipped or "
        "delivered in the range against their promised ship-by date or estimated delivery.",
        figures=figures(
            on_time,
            on_time_before,
            [("ship.rate", "Shipped on time", "rate"), ("delivery.rate", "Delivered on time", "rate")],
        )
        + [
            Figure("Placed → delivered, p50", cycle["placed_to_delivered"]["p50"], kind="hours", higher_is_better=False)
        ],
        tables=[
            Table(
                "cycle_times",
                "Cycle time per stage (hours)",
                [C("stage", "Stage"), C("p50", "p50", "hours"), C("p90", "p90", "hours"), C("orders", "Orders", "int")],
                stages,
                chart="bar",
                plots=["p50", "p90"],
            ),
            Table(
                "waiting_now",
                "Orders waiting at each stage now, by time since they got there",
                [
                    C("label", "Stage"),
                    C("orders", "Orders", "int"),
                    C("under_1d", "Under 1 day", "int"),
                    C("1_to_3d", "1–3 days", "int"),
                    C("3_to_7d", "3–7 days", "int"),
                    C("over_7d", "Over 7 days", "int"),
                    C("oldest_hours", "Oldest (hours)", "hours"),
                ],
                stuck,
                chart="bar",
                plots=["under_1d", "1_to_3d", "3_to_7d", "over_7d"],
                stacked=True,
                note="A picture of now: the date range does not apply, channel, storefront and warehouse do.",
            ),
        ],
    )


def exceptions_page(filters: ReportFilter, params) -> Report:
    report = exceptions.exceptions_report(filters=filters)
    before = exceptions.hold_summary(filters=filters.previous())
    holds = report["holds"]
    tables = [
        Table(
            "holds_by_reason",
            "Holds that began in the range, by reason, with time to release (hours)",
            [
                C("label", "Reason"),
                C("holds", "Holds", "int"),
                C("released", "Ended", "int"),
                C("median_hours", "Median hours", "hours"),
                C("average_hours", "Average hours", "hours"),
            ],
            holds["by_reason"],
            chart="bar",
            plots=["holds"],
            empty="No order was put on hold in this range.",
        ),
        Table(
            "payment_declines",
            "Payment declines by gateway code",
            [
                C("error_code", "Code"),
                C("declines", "Declines", "int"),
                C("orders", "Orders", "int"),
                C("amount", "Amount", "money"),
            ],
            report["declines"],
            chart="bar",
            plots=["declines"],
            empty="No payment was declined in this range.",
        ),
        Table(
            "carrier_exceptions",
            "Carrier exceptions",
            [
                C("shipment__carrier", "Carrier"),
                C("exceptions", "Exception scans", "int"),
                C("parcels", "Parcels", "int"),
            ],
            report["carrier_exceptions"],
            chart="bar",
            plots=["parcels"],
            empty="No carrier reported an exception in this range.",
        ),
        Table(
            "stock_outs",
            "Stock-outs: SKUs that orders on hold for stock wait for now",
            [
                C("sku", "SKU"),
                C("name", "Product"),
                C("orders", "Orders", "int"),
                C("units", "Units wanted", "int"),
                C("available", "Available", "int"),
            ],
            report["stock_outs"],
            chart="bar",
            plots=["orders"],
            empty="No order waits for stock.",
            note="A picture of now: the date range does not apply.",
        ),
        Table(
            "returns",
            "Returns by product and reason",
            [
                C("sku", "SKU"),
                C("reason", "Reason"),
                C("units", "Units", "int"),
                C("return_rate", "Return rate", "rate"),
            ],
            report["returns"],
            chart="bar",
            plots=["units"],
            empty="No return in this range.",
        ),
    ]
    tables.append(
        Table(
            "qc_failures",
            "Quality-control failures by product",
            [
                C("sku", "SKU"),
                C("failed", "Failed", "int"),
                C("passed", "Passed", "int"),
                C("failure_rate", "Failure rate", "rate"),
            ],
            report["qc_failures"],
            chart="bar",
            plots=["failed"],
            empty="No quality check failed in this range.",
        )
    )
    return Report(
        group="exceptions",
        title="Exceptions",
        intro="Orders that left the happy path. The hold rate is the share of orders placed in the range that "
        "were put on hold at least once.",
        figures=figures(
            holds,
            before,
            [("rate", "Hold rate", "rate", False), ("held", "Orders held", "int", False)],
        )
        + [
            Figure(
                "Payment declines",
                sum(row["declines"] for row in report["declines"]),
                kind="int",
                higher_is_better=False,
            ),
            Figure(
                "Carrier exceptions",
                sum(row["parcels"] for row in report["carrier_exceptions"]),
                kind="int",
                higher_is_better=False,
            ),
            Figure("SKUs short for held orders", len(report["stock_outs"]), kind="int", higher_is_better=False),
        ],
        tables=tables,
    )


RATING_CHOICES = ["1", "2", "3", "4", "5"]


def rating_param(params) -> int | None:
    raw = (params.get("rating") or "").strip()
    if not raw:
        return None
    if raw not in RATING_CHOICES:
        raise ReportFilterError("rating", "'rating' must be a whole number from 1 to 5.")
    return int(raw)


def customers_page(filters: ReportFilter, params) -> Report:
    rating = rating_param(params)
    report = customers.customers_report(filters=filters, rating=rating)
    before = {
        "csat": customers.csat_summary(filters=filters.previous()),
        "repeat": customers.repeat_customers(filters=filters.previous()),
    }
    comments = [
        {"created": f.created_at.date(), "order": f.order.number, "rating": f.rating, "comment": f.comment}
        for f in report["comments"]
    ]
    return Report(
        group="customers",
        title="Customers",
        intro="Satisfaction from the ratings customers give in the portal after delivery (1–5). The response "
        "rate is the share of orders delivered in the range that were rated; a repeat customer ordered in the "
        "range and has two orders or more by its end.",
        figures=figures(
            report,
            before,
            [
                ("csat.average", "Average rating", "rating"),
                ("csat.responses", "Ratings", "int"),
                ("csat.response_rate", "Response rate", "rate"),
                ("repeat.repeat_rate", "Repeat customers", "rate"),
            ],
        ),
        tables=[
            Table(
                "rating_distribution",
                "Ratings by score",
                [C("rating", "Rating", "int"), C("responses", "Ratings", "int")],
                report["csat"]["distribution"],
                chart="bar",
                plots=["responses"],
            ),
            Table(
                "rating_trend",
                "Average rating per week",
                [C("week", "Week of", "date"), C("average", "Average", "rating"), C("responses", "Ratings", "int")],
                report["trend"],
                chart="line",
                plots=["average"],
            ),
            Table(
                "comments",
                f"Latest comments{f' rated {rating}' if rating else ''}",
                [
                    C("created", "Date", "date"),
                    C("order", "Order"),
                    C("rating", "Rating", "int"),
                    C("comment", "Comment"),
                ],
                comments,
                empty="No comment in this range.",
            ),
        ],
        extra={"rating": rating, "rating_choices": RATING_CHOICES},
    )


def inventory_page(filters: ReportFilter, params) -> Report:
    report = inventory.inventory_report(filters=filters)
    sku_columns = [
        C("sku", "SKU"),
        C("name", "Product"),
        C("on_hand", "On hand", "int"),
        C("available", "Available", "int"),
    ]
    return Report(
        group="inventory",
        title="Inventory",
        intro=f"Stock now, valued at list price (products carry no cost price). Days of cover divide the "
        f"available units by the units sold per day over the {report['velocity_days']} days up to the end of "
        "the range (orders not cancelled).",
        figures=[
            Figure("Stock value", report["value"]["value"], kind="money"),
            Figure("Units on hand", report["value"]["units"], kind="int"),
            Figure("SKUs below reorder point", len(report["below_reorder"]), kind="int", higher_is_better=False),
        ],
        tables=[
            Table(
                "stock_value",
                "Stock value by warehouse",
                [C("warehouse__code", "Warehouse"), C("units", "Units", "int"), C("value", "Value", "money")],
                report["value"]["by_warehouse"],
                chart="bar",
                plots=["value"],
                empty="No stock.",
            ),
            Table(
                "days_of_cover",
                f"Days of cover, the {len(report['cover'])} shortest",
                [*sku_columns, C("per_day", "Sold per day", "number"), C("days_of_cover", "Days of cover", "number")],
                report["cover"],
                chart="bar",
                plots=["days_of_cover"],
                empty="Nothing sold in the last 30 days.",
            ),
            Table(
                "below_reorder",
                "SKUs below their reorder point",
                [*sku_columns, C("reorder_point", "Reorder point", "int")],
                report["below_reorder"],
                empty="Every SKU is at or above its reorder point.",
            ),
            Table(
                "slow_movers",
                f"Slow movers: the {len(report['slow_movers'])} stocked SKUs that sold least",
                [*sku_columns, C("sold_30d", "Sold in 30 days", "int"), C("value", "Stock value", "money")],
                report["slow_movers"],
                empty="No stock.",
            ),
        ],
    )


def team_page(filters: ReportFilter, params) -> Report:
    report = team.team_report(filters=filters)
    before = {"inquiries": team.inquiry_summary(filters=filters.previous())}
    events = sum(person["events"] for person in report["handled"])
    events_before = sum(person["events"] for person in team.orders_handled(filters=filters.previous()))
    handled = [{"actor": p["actor"], "events": p["events"], **p["transitions"]} for p in report["handled"]]
    return Report(
        group="team",
        title="Team",
        intro="Status changes made by people (automatic steps left out), from the order timeline; customers' "
        "portal questions and how long they waited for an answer.",
        figures=[Figure("Status changes by staff", events, events_before)]
        + figures(
            report,
            before,
            [
                ("inquiries.asked", "Questions asked", "int"),
                ("inquiries.median_hours", "Median hours to answer", "hours", False),
            ],
        )
        + [Figure("Questions open now", report["inquiries"]["open"], kind="int", higher_is_better=False)],
        tables=[
            Table(
                "orders_handled",
                "Orders handled per staff member and transition",
                [
                    C("actor", "Staff member"),
                    C("events", "Changes", "int"),
                    *[C(code, label, "int") for code, label in report["transitions"]],
                ],
                handled,
                chart="bar",
                plots=[code for code, _label in report["transitions"]],
                stacked=True,
                empty="Nobody changed an order's status in this range.",
            ),
            Table(
                "answers_by_staff",
                "Questions answered per staff member",
                [C("answered_by__username", "Staff member"), C("answers", "Answers", "int")],
                report["inquiries"]["by_staff"],
                chart="bar",
                plots=["answers"],
                empty="No question asked in this range was answered.",
            ),
        ],
    )


PAGES = {
    "sales": ("Sales", sales_page),
    "flow": ("Milestones & flow", flow_page),
    "exceptions": ("Exceptions", exceptions_page),
    "customers": ("Customers", customers_page),
    "inventory": ("Inventory", inventory_page),
    "team": ("Team", team_page),
}
