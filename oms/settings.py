"""Settings, read from the environment in this one place.

With nothing set, the app runs on the embedded defaults (SQLite, tasks in-process after commit, local
memory cache, emails written to files under var/mail). Production sets DATABASE_URL, CELERY_BROKER_URL,
REDIS_URL, SECRET_KEY, DEMO_CARRIER_WEBHOOK_SECRET, DEBUG=0 and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Secrets have a development default only while DEBUG is on. With DEBUG off a missing one stays empty and
# the checks in oms/checks.py stop the app from starting (oms.E001, oms.E002).
SECRET_KEY = os.environ.get("SECRET_KEY", "") or (
    "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz" if DEBUG else ""
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute base for links in emails (tracking links); no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "oms.apps.OmsAdminConfig",  # the admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "oms",
    "inventory",
    "orders",
    "payments",
    "shipping",
    "dashboard",
    "portal",
    "returns",
    "reporting",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oms.urls"
WSGI_APPLICATION = "oms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections: a new PostgreSQL connection costs ~10 ms, more than a whole order placement.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Covering indexes (INCLUDE) are PostgreSQL's; SQLite (the demo) builds them without the extra columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A streaming read replica: reads that pages opt into (oms.db_router.read_from_replica) go there, unless they
# are in a transaction or come right after the same client's write (OMS_REPLICA_STICKY_SECONDS). Tests run
# against the primary's test database (MIRROR): a replica cannot create one.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["oms.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "oms.db_router.PrimaryAfterWriteMiddleware")
OMS_REPLICA_STICKY_SECONDS = int(os.environ.get("OMS_REPLICA_STICKY_SECONDS", "10"))
# A replica further behind than this, or not answering, is skipped: its readers go to the primary until the
# next check (every OMS_REPLICA_CHECK_SECONDS per process).
OMS_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("OMS_REPLICA_MAX_LAG_SECONDS", "30"))
OMS_REPLICA_CHECK_SECONDS = float(os.environ.get("OMS_REPLICA_CHECK_SECONDS", "5"))
# Behind pgbouncer in transaction mode (DATABASE_POOLER=pgbouncer) a server-side cursor cannot outlive its
# transaction on the server the pooler lent: Django then fetches query results client-side.
if os.environ.get("DATABASE_POOLER", "").lower() == "pgbouncer" or env_bool("DISABLE_SERVER_SIDE_CURSORS", False):
    for _alias in DATABASES:
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
# The hot path's own SQL runs as server-side prepared statements on connections the app keeps (oms/prepared.py);
# off by itself behind a transaction-mode pooler or with DB_CONN_MAX_AGE=0.
OMS_PREPARED_STATEMENTS = env_bool("OMS_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes first: it refuses a login while the user name or the client address is locked out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:login"

# --- Email -------------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "orders@oms.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------------
# No broker configured: the outbox relay runs each task in-process right after the commit.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
OMS_TASKS_INLINE = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# A task is acknowledged only once it finished (acks_late), and a task whose worker died is handed back
# (reject_on_worker_lost). Redis redelivers an unacknowledged message after the visibility timeout: it must
# be longer than the longest task and the longest retry countdown (an email retry waits at most an hour), or a
# task runs again while the first run is still waiting. A worker killed outright is covered sooner by the
# reconciler (orders.services.reconcile), which reads what is still to do from the database.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Several beats may run (a deploy overlapping, a standby): only the one holding a lease in Redis sends.
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BEAT_SCHEDULER = "oms.beat.SingleBeatScheduler"
# kombu's Redis transport, publishing through one client per channel instead of one per message (oms/broker.py).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "oms.broker:Transport"
OMS_BEAT_LEASE_SECONDS = int(os.environ.get("OMS_BEAT_LEASE_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "oms.tasks.relay_outbox_task", "schedule": timedelta(seconds=15)},
    "reconcile-orders": {
        "task": "orders.tasks.reconcile_orders_task",
        "schedule": timedelta(seconds=int(os.environ.get("OMS_RECONCILE_EVERY_SECONDS", "60"))),
    },
    "allocate-backorders": {
        "task": "orders.tasks.backorders_sweep_task",
        "schedule": timedelta(seconds=int(os.environ.get("OMS_RECONCILE_EVERY_SECONDS", "60"))),
    },
    "cancel-unpaid-orders": {"task": "orders.tasks.cancel_unpaid_orders_task", "schedule": timedelta(hours=1)},
    "purge-old-records": {"task": "oms.tasks.purge_old_records_task", "schedule": timedelta(hours=6)},
    "refresh-reports": {
        "task": "reporting.tasks.refresh_reports_task",
        "schedule": timedelta(seconds=int(os.environ.get("OMS_REPORT_REFRESH_SECONDS", "20"))),
    },
    "scheduled-report": {"task": "reporting.tasks.claim_scheduled_report_task", "schedule": timedelta(hours=1)},
    "complete-delivered-orders": {
        "task": "orders.tasks.complete_delivered_orders_task",
        "schedule": timedelta(hours=1),
    },
    "redrive-return-labels": {
        "task": "returns.tasks.redrive_return_labels_task",
        "schedule": timedelta(seconds=int(os.environ.get("OMS_RECONCILE_EVERY_SECONDS", "60"))),
    },
    "send-due-webhooks": {
        "task": "webhooks.tasks.send_due_webhooks_task",
        "schedule": timedelta(seconds=int(os.environ.get("OMS_WEBHOOK_SEND_EVERY_SECONDS", "15"))),
    },
    "purge-webhook-records": {"task": "webhooks.tasks.purge_webhook_records_task", "schedule": timedelta(hours=6)},
}

# --- REST API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oms.authentication.StorefrontKeyAuthentication",
        "oms.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "oms.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "oms.api_errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "oms.parsers.NulSafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "COERCE_DECIMAL_TO_STRING": True,
    # Storefront calls per key (429 with Retry-After past it; empty: no limit), counted in the cache.
    "DEFAULT_THROTTLE_CLASSES": ["oms.throttling.StorefrontRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"storefront": os.environ.get("OMS_STOREFRONT_RATE", "600/min") or None},
}
# Staff API tokens (POST /api/v1/auth/token/) stop working this long after they were issued.
OMS_STAFF_TOKEN_TTL_HOURS = int(os.environ.get("OMS_STAFF_TOKEN_TTL_HOURS", "24"))

# --- Login guessing (django-axes): dashboard, admin and the staff token endpoint ---------------------
# After OMS_LOGIN_FAILURE_LIMIT failures for one user name, or from one client address, further attempts
# get a 429 (with Retry-After) until OMS_LOGIN_COOLOFF_MINUTES pass without another try.
AXES_FAILURE_LIMIT = int(os.environ.get("OMS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("OMS_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "oms.throttling.login_client_address"
AXES_LOCKOUT_CALLABLE = "oms.throttling.login_locked_out"
# Counted in Redis when there is one; otherwise in the database, which every process shares.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"

SPECTACULAR_SETTINGS = {
    "TITLE": "OMS API",
    "DESCRIPTION": "Order management: storefront orders, lifecycle transitions, products, carrier webhooks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: the docs page needs no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain settings ---------------------------------------------------------------------------------
OMS_CURRENCY = os.environ.get("OMS_CURRENCY", "USD")
OMS_COMPLETE_AFTER_DAYS = int(os.environ.get("OMS_COMPLETE_AFTER_DAYS", "14"))
OMS_HANDLING_DAYS = int(os.environ.get("OMS_HANDLING_DAYS", "1"))
# The sender printed on shipping labels and packing slips (the address parcels are returned to).
OMS_SHIP_FROM_NAME = os.environ.get("OMS_SHIP_FROM_NAME", "OMS Demo Shop")
OMS_SHIP_FROM_STREET = os.environ.get("OMS_SHIP_FROM_STREET", "200 Distribution Way")
OMS_SHIP_FROM_CITY = os.environ.get("OMS_SHIP_FROM_CITY", "Newark, NJ 07114")
OMS_SHIP_FROM_COUNTRY = os.environ.get("OMS_SHIP_FROM_COUNTRY", "US")
# The checks every quality check asks for each line (products add their own: serial, lot, expiry, ...).
OMS_QC_DEFAULT_CHECKS = env_list("OMS_QC_DEFAULT_CHECKS", "Item matches SKU,No damage")
# The sender as carrier APIs want it, in parts (the city above may carry the state and ZIP for labels).
OMS_SHIP_FROM_STATE = os.environ.get("OMS_SHIP_FROM_STATE", "NJ")
OMS_SHIP_FROM_ZIP = os.environ.get("OMS_SHIP_FROM_ZIP", "07114")
OMS_SHIP_FROM_PHONE = os.environ.get("OMS_SHIP_FROM_PHONE", "")
# The function that makes the customer's link to an order (emails, API answers): the portal's signed link.
OMS_ORDER_LINK_BUILDER = "portal.links.tracking_url"
OMS_TRACKING_LINK_MAX_AGE_DAYS = int(os.environ.get("OMS_TRACKING_LINK_MAX_AGE_DAYS", "180"))
# Order look-ups on /track/ per client address and window (cache-backed: Redis in production).
OMS_LOOKUP_RATE_LIMIT = int(os.environ.get("OMS_LOOKUP_RATE_LIMIT", "10"))
OMS_LOOKUP_RATE_WINDOW_SECONDS = int(os.environ.get("OMS_LOOKUP_RATE_WINDOW_SECONDS", "600"))
# Reverse proxies in front of the app that append the client to X-Forwarded-For (0: use REMOTE_ADDR).
OMS_TRUSTED_PROXIES = int(os.environ.get("OMS_TRUSTED_PROXIES", "0"))
OMS_STOCK_ALERT_EMAILS = env_list("OMS_STOCK_ALERT_EMAILS", "warehouse@oms.example")
# Tasks queued (through the outbox, with ``product_ids``) whenever units of products become available.
OMS_STOCK_ARRIVED_TASKS: list[str] = ["orders.tasks.backorders_allocate_task"]
# Whether an order whose stock is short ships what is there and backorders the rest (each storefront may
# override it, and each placement may ask with ``ship_partial``), or waits whole.
OMS_SHIP_PARTIAL_DEFAULT = env_bool("OMS_SHIP_PARTIAL_DEFAULT", False)
# Reports: the shop's calendar (blank: TIME_ZONE); the weekly KPI email's recipients (blank: nobody) and period
# ("weekly" on Mondays for the week before, or "daily" for the day before), sent once per period by beat.
OMS_REPORT_TIME_ZONE = os.environ.get("OMS_REPORT_TIME_ZONE", "")
OMS_REPORT_RECIPIENTS = env_list("OMS_REPORT_RECIPIENTS", "")
OMS_REPORT_SCHEDULE = os.environ.get("OMS_REPORT_SCHEDULE", "weekly")
# An order waiting this many days for a bank transfer, or held for a declined card, is cancelled and its
# stock released (the customer is told).
OMS_UNPAID_CANCEL_DAYS = int(os.environ.get("OMS_UNPAID_CANCEL_DAYS", "7"))
OMS_INVOICE_DUE_DAYS = int(os.environ.get("OMS_INVOICE_DUE_DAYS", "30"))  # on-account invoices: default terms
# The account bank-transfer customers pay into, told in the payment-instructions email and on the order page.
OMS_BANK_ACCOUNT_NAME = os.environ.get("OMS_BANK_ACCOUNT_NAME", "OMS Demo Shop Ltd")
OMS_BANK_IBAN = os.environ.get("OMS_BANK_IBAN", "DE89 3704 0044 0532 0130 00")
OMS_BANK_BIC = os.environ.get("OMS_BANK_BIC", "COBADEFFXXX")
# Stored Idempotency-Key answers are replayed this long; handed-over outbox messages are kept this long.
OMS_IDEMPOTENCY_TTL_DAYS = int(os.environ.get("OMS_IDEMPOTENCY_TTL_DAYS", "7"))
OMS_OUTBOX_RETENTION_DAYS = int(os.environ.get("OMS_OUTBOX_RETENTION_DAYS", "7"))
# Messages handed to the broker are marked dispatched in one UPDATE per process this often (0: each at once).
OMS_OUTBOX_MARK_SECONDS = float(os.environ.get("OMS_OUTBOX_MARK_SECONDS", "1"))
# Failed sign-in records (django-axes, kept in the database when there is no Redis) older than this go.
OMS_LOGIN_ATTEMPT_RETENTION_DAYS = int(os.environ.get("OMS_LOGIN_ATTEMPT_RETENTION_DAYS", "7"))
# /health/: its figures (queue depths, outbox backlog, replica lag) for callers sending
# "Authorization: Bearer <OMS_HEALTH_TOKEN>" (monitoring) and for managers; thresholds that read as "degraded".
OMS_HEALTH_TOKEN = os.environ.get("OMS_HEALTH_TOKEN", "")
OMS_HEALTH_QUEUE_WARN = int(os.environ.get("OMS_HEALTH_QUEUE_WARN", "1000"))
OMS_HEALTH_OUTBOX_WARN_SECONDS = int(os.environ.get("OMS_HEALTH_OUTBOX_WARN_SECONDS", "120"))
# Automatic work (payment, capture, void, label, email) not done this long after it was due is started again
# by the reconciler, at most this many times per order and kind of work, with growing pauses; an order still
# waiting after OMS_STUCK_AFTER_MINUTES shows in the managers' "stuck" queue on the dashboard home.
OMS_RECONCILE_AFTER_SECONDS = int(os.environ.get("OMS_RECONCILE_AFTER_SECONDS", "180"))
OMS_RECONCILE_MAX_TRIES = int(os.environ.get("OMS_RECONCILE_MAX_TRIES", "5"))
OMS_STUCK_AFTER_MINUTES = int(os.environ.get("OMS_STUCK_AFTER_MINUTES", "30"))
OMS_PAYMENT_MAX_RETRIES = int(os.environ.get("OMS_PAYMENT_MAX_RETRIES", "3"))
# Fraud screening: an order whose rules add up to this score or more is held for review (the dashboard's
# Fraud screening → Rules page overrides it).
OMS_RISK_HOLD_SCORE = int(os.environ.get("OMS_RISK_HOLD_SCORE", "50"))
# Card tokens the card-velocity rule does not count: the test gateway's fixed ones, shared by every test order.
OMS_RISK_UNTRACKED_CARD_TOKENS = env_list("OMS_RISK_UNTRACKED_CARD_TOKENS", "tok_ok,tok_decline,tok_timeout")
# Bulk order import: the largest file and the most data rows one import takes.
OMS_IMPORT_MAX_BYTES = int(os.environ.get("OMS_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
OMS_IMPORT_MAX_ROWS = int(os.environ.get("OMS_IMPORT_MAX_ROWS", "20000"))
DEMO_CARRIER_WEBHOOK_SECRET = os.environ.get("DEMO_CARRIER_WEBHOOK_SECRET", "demo-carrier-secret" if DEBUG else "")
OMS_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("OMS_WEBHOOK_TOLERANCE_SECONDS", "300"))
# --- Returns policy (read through returns/policy.py) ------------------------------------------------------
# Days after delivery a customer may open a return; the order completes only after this window.
OMS_RETURN_WINDOW_DAYS = int(os.environ.get("OMS_RETURN_WINDOW_DAYS", "30"))
OMS_RETURN_REASONS = env_list(
    "OMS_RETURN_REASONS", "damaged,defective,wrong_item,not_as_described,no_longer_needed,other"
)
# A return whose every line gives one of these reasons is authorized at once (label bought, emailed).
OMS_RETURN_AUTO_AUTHORIZE_REASONS = env_list("OMS_RETURN_AUTO_AUTHORIZE_REASONS", "damaged,defective,wrong_item")
# Reasons for which the shop pays the return shipping; any other reason: the customer pays.
OMS_RETURN_MERCHANT_PAYS_REASONS = env_list(
    "OMS_RETURN_MERCHANT_PAYS_REASONS", "damaged,defective,wrong_item,not_as_described"
)
# Returnless ("keep the item"): a return of one of these reasons, or worth at most the threshold (0: off),
# is refunded or exchanged without the goods coming back.
OMS_RETURNLESS_REASONS = env_list("OMS_RETURNLESS_REASONS", "")
OMS_RETURNLESS_MAX_VALUE = os.environ.get("OMS_RETURNLESS_MAX_VALUE", "0")
# Whether a refund for a returned order also pays back the original shipping: "never", "merchant_fault"
# (when the shop pays the return shipping) or "always".
OMS_RETURN_REFUND_SHIPPING = os.environ.get("OMS_RETURN_REFUND_SHIPPING", "merchant_fault")
# Customer emails other apps own, sent by the orders email path once per kind and object: kind → the function
# giving (subject, extra template context) for one (see orders/services/notifications.py).
OMS_EMAIL_KINDS = {
    "return_authorized": "returns.notifications.return_email",
    "return_received": "returns.notifications.return_email",
    "return_rejected": "returns.notifications.return_email",
    "return_refunded": "returns.notifications.return_email",
    "exchange_shipped": "returns.notifications.return_email",
}
# Called (with ``order=``) inside the transaction in which an order's parcels all got their labels, beside the
# shipped email: other apps' reactions without orders importing them (returns: the "exchange shipped" email).
OMS_ORDER_SHIPPED_HOOKS = ["returns.services.resolution.exchange_shipped_notify"]
# Inspected conditions a return refunds (the rest are exchanged or rejected by hand): default every one.
OMS_RETURN_REFUND_CONDITIONS = env_list("OMS_RETURN_REFUND_CONDITIONS", "resellable,damaged,defective")
# Carrier and payment providers (README "Carriers and payment providers"). EasyPost: a shipping method whose
# carrier is "easypost" quotes and buys through it; its tracker webhooks are signed with the webhook secret.
OMS_EASYPOST_API_KEY = os.environ.get("OMS_EASYPOST_API_KEY", "")
OMS_EASYPOST_BASE_URL = os.environ.get("OMS_EASYPOST_BASE_URL", "https://api.easypost.com/v2")
OMS_EASYPOST_WEBHOOK_SECRET = os.environ.get("OMS_EASYPOST_WEBHOOK_SECRET", "")
# Card payments: "test" (tok_ok / tok_decline / tok_timeout, the demo's) or "stripe" (PaymentIntents).
OMS_CARD_GATEWAY = os.environ.get("OMS_CARD_GATEWAY", "test")
OMS_STRIPE_SECRET_KEY = os.environ.get("OMS_STRIPE_SECRET_KEY", "")
OMS_STRIPE_WEBHOOK_SECRET = os.environ.get("OMS_STRIPE_WEBHOOK_SECRET", "")
OMS_STRIPE_BASE_URL = os.environ.get("OMS_STRIPE_BASE_URL", "https://api.stripe.com")
# --- Outbound webhooks (README "Webhooks") ---
# Functions called with each new order timeline entry, in its transaction (orders imports none of them).
OMS_ORDER_EVENT_HOOKS = ["reporting.services.order_event_mark", "webhooks.services.order_event_publish"]
# Functions called with each new entry of a return's timeline, in its transaction (returns imports none).
OMS_RETURN_EVENT_HOOKS = ["webhooks.services.return_event_publish"]
# What a webhook event's "data" holds, by subject (the part of the type before the dot).
OMS_WEBHOOK_DATA_BUILDERS = {
    "order": "orders.api.views.order_webhook_data",
    "return": "returns.api.views.return_webhook_data",
}
# Development and tests only: also allow http:// and private, loopback and link-local addresses.
OMS_WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("OMS_WEBHOOK_ALLOW_PRIVATE_URLS", False)
OMS_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("OMS_WEBHOOK_TIMEOUT_SECONDS", "5"))
# Retries: the first pause, doubling after each failure up to the longest pause (each ±25 % jitter), for this
# many hours after the first attempt; then the delivery is failed. A subscription whose every attempt failed
# for OMS_WEBHOOK_DISABLE_AFTER_DAYS is disabled.
OMS_WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("OMS_WEBHOOK_RETRY_BASE_SECONDS", "30"))
OMS_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS = int(os.environ.get("OMS_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS", "7200"))
OMS_WEBHOOK_RETRY_HOURS = float(os.environ.get("OMS_WEBHOOK_RETRY_HOURS", "24"))
OMS_WEBHOOK_DISABLE_AFTER_DAYS = float(os.environ.get("OMS_WEBHOOK_DISABLE_AFTER_DAYS", "3"))
# Sent events (and their delivery log) are kept this long.
OMS_WEBHOOK_RETENTION_DAYS = int(os.environ.get("OMS_WEBHOOK_RETENTION_DAYS", "30"))
# A trivial one-row insert endpoint that the placement benchmark measures against.
OMS_BENCH_ENDPOINTS = env_bool("OMS_BENCH_ENDPOINTS", False)
# Purchasing and reordering (inventory.reorder): days of sales kept as safety stock (a product may set its own),
# the days between two looks at the reorder page (an order must last until the next one), and the lead time of
# products without a supplier.
OMS_SAFETY_STOCK_DAYS = int(os.environ.get("OMS_SAFETY_STOCK_DAYS", "7"))
OMS_REORDER_REVIEW_DAYS = int(os.environ.get("OMS_REORDER_REVIEW_DAYS", "14"))
OMS_DEFAULT_LEAD_TIME_DAYS = int(os.environ.get("OMS_DEFAULT_LEAD_TIME_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

# --- Production hardening (switched on by DEBUG=0) ---------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
