"""The demo's people: customers (private ones prepaid, businesses on account) and one staff user per role."""

import random
import unicodedata
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from dashboard.management.demo.data import (
    CITIES,
    COMPANY_KINDS,
    COMPANY_WORDS,
    COUNTRY_WEIGHTS,
    DEMO_PASSWORD,
    FIRST_NAMES,
    LAST_NAMES,
    PHONE_CODES,
    STAFF,
    STREET_FORMAT,
    STREETS,
)
from dashboard.roles import roles_sync
from orders.models import Address, Customer

SUPERUSER = "admin"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def customers_seed(rng: random.Random, count: int):
    """Private customers (prepaid) and businesses on account; each with an address in its book.

    Returns (people, accounts, tight accounts, address book by customer id).
    """
    businesses = max(2, round(count * 0.12))
    tight_count = max(1, businesses // 6)
    rows = []
    for i in range(count):
        country = rng.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]
        city, postal, region = rng.choice(CITIES[country])
        line1 = STREET_FORMAT[country].format(n=rng.randint(1, 240), s=rng.choice(STREETS))
        phone = f"+{PHONE_CODES[country]} {rng.randint(200, 999)} {rng.randint(1000000, 9999999)}"
        if i < businesses:
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
            email = f"purchasing{i}@{_ascii(name.split()[0])}.example.com"
            terms = Customer.PaymentTerms.ON_ACCOUNT
            limits = [200, 250, 300] if i < tight_count else [5000, 10000, 20000]
            limit = Decimal(rng.choice(limits))
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            email = f"{_ascii(first)}.{_ascii(last)}{i}@example.{rng.choice(['com', 'org', 'net'])}"
            terms, limit = Customer.PaymentTerms.PREPAID, Decimal("0")
        customer = Customer(email=email, name=name, phone=phone, payment_terms=terms, credit_limit=limit)
        address = Address(name=name, line1=line1, city=city, region=region, postal_code=postal, country=country)
        rows.append((customer, address, i < tight_count))

    emails = [c.email for c, _, _ in rows]
    known = {c.email for c in Customer.objects.filter(email__in=emails)}
    Customer.objects.bulk_create([c for c, _, _ in rows if c.email not in known])
    saved = {c.email: c for c in Customer.objects.filter(email__in=emails)}
    book: dict[int, Address] = {}
    for address in Address.objects.filter(customer__in=saved.values()).order_by("-pk"):
        book[address.customer_id] = address  # the oldest: the book entry, not an order's copy
    missing = []
    for customer, address, _ in rows:
        if saved[customer.email].pk not in book:
            address.customer = saved[customer.email]
            missing.append(address)
    for address in Address.objects.bulk_create(missing):
        book[address.customer_id] = address
    people, accounts, tight = [], [], []
    for customer, _, is_tight in rows:
        customer = saved[customer.email]
        (tight if is_tight else accounts if customer.on_account else people).append(customer)
    return people, accounts, tight, book


def staff_seed() -> tuple[dict[str, User], list[str]]:
    """One staff user per role and a superuser, ``admin``; returns the role users and the names that existed.

    Only the users made here get the demo password, their role and their rights. A user that already exists
    is left exactly as it is: its own password, groups and flags.
    """
    roles_sync()
    password = make_password(DEMO_PASSWORD)  # one slow hash for all of them
    users, existing = {}, []
    for username, (role, first, last) in STAFF.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@oms.example",
                "is_staff": True,
                "password": password,
            },
        )
        if created:
            user.groups.set([Group.objects.get(name=role)])
        else:
            existing.append(username)
        users[username] = User.objects.get(pk=user.pk)  # a fresh instance: no stale permission cache
    _, created = User.objects.get_or_create(
        username=SUPERUSER,
        defaults={"email": f"{SUPERUSER}@oms.example", "is_staff": True, "is_superuser": True, "password": password},
    )
    if not created:
        existing.append(SUPERUSER)
    return users, existing
