"""Seeing the portal run on several hosts: request ids in JSON logs, Prometheus metrics, Sentry.

* Every request gets an id (the proxy's ``X-Request-ID`` when it is well-formed and the portal is
  behind its proxy, else a new one); it is returned in the response header and written in every
  log line of the request, so one request can be followed across gunicorn, proxy and workers.
* ``/metrics`` serves django-prometheus' request and database metrics plus the portal's own
  gauges (queue depth, oldest pending email, overdue deadlines, last sweep). It is not public:
  only a request with ``METRICS_TOKEN`` as bearer token, or from an address in
  ``METRICS_ALLOWED_NETWORKS``, gets it; anyone else gets 404.
* Sentry is initialised only when ``SENTRY_DSN`` is set, with personal data masked.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from .logmasking import mask

logger = logging.getLogger(__name__)

_request_id: ContextVar[str] = ContextVar("liaison_request_id", default="")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id, binds it for the log records and returns it as X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.BEHIND_PROXY and _VALID_REQUEST_ID.match(incoming)
        request_id = incoming if trusted else uuid.uuid4().hex
        # Not reset on the way out: Django logs the response ("Not Found: ...") after the
        # middleware returns; request_finished clears it once the response is closed.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(sender: object, **kwargs: object) -> None:
    _request_id.set("")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception (masked)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


# --- metrics ------------------------------------------------------------------------------------


def _sweep_record_path() -> Path:
    return Path(settings.CELERY_DATA_DIR) / "last-sweep.json"


_SWEEP_KEY = "liaison:metrics:last_sweep"


def record_sweep(seconds: float, created: int) -> None:
    """Keep the last reminder sweep's duration where the web process can read it for /metrics."""
    record = json.dumps({"seconds": seconds, "created": created, "finished": time.time()})
    try:
        if settings.REDIS_URL:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).set(_SWEEP_KEY, record)
        else:
            path = _sweep_record_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record)
    except Exception:  # noqa: BLE001 - a metric must never fail the sweep
        logger.warning("could not record the sweep duration", exc_info=True)


def last_sweep() -> dict | None:
    try:
        if settings.REDIS_URL:
            import redis

            raw = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).get(_SWEEP_KEY)
        else:
            path = _sweep_record_path()
            raw = path.read_bytes() if path.exists() else None
    except Exception:  # noqa: BLE001
        return None
    return json.loads(raw) if raw else None  # type: ignore[arg-type] # redis-py types the sync reply as Awaitable | Any


def queue_depths() -> dict[str, int]:
    """Messages waiting in each Celery queue (Redis lists, or files of the filesystem broker)."""
    from .celery import all_queues

    queues = all_queues()
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        pipe = client.pipeline()
        for name in queues:
            pipe.llen(name)
        return dict(zip(queues, pipe.execute()))
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    names = [entry.name for entry in folder.iterdir()] if folder.exists() else []
    return {queue: sum(1 for name in names if name.endswith(f".{queue}.msg")) for queue in queues}


class PortalCollector:
    """The portal's own gauges, computed at scrape time with a few cheap indexed queries."""

    def collect(self) -> Iterator[Metric]:
        from .choices import DeadlineState, EmailState
        from .deadlines import today
        from .models import Deadline, Notification

        depth = GaugeMetricFamily("liaison_queue_depth", "Tasks waiting in a Celery queue", labels=["queue"])
        try:
            for queue, count in queue_depths().items():
                depth.add_metric([queue], count)
        except Exception:  # noqa: BLE001 - broker down: report no depth rather than fail the scrape
            logger.warning("queue depth unavailable", exc_info=True)
        yield depth

        oldest = (
            Notification.objects.filter(email_state=EmailState.PENDING)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "liaison_oldest_pending_email_seconds",
            "Age of the oldest notification whose email is not yet sent",
            value=age,
        )
        pending = Notification.objects.filter(email_state=EmailState.PENDING).count()
        yield GaugeMetricFamily("liaison_pending_emails", "Notifications whose email is waiting", value=pending)

        overdue = Deadline.objects.filter(state=DeadlineState.RUNNING, due_date__lt=today()).count()
        yield GaugeMetricFamily("liaison_overdue_deadlines", "Running deadlines past their due date", value=overdue)

        sweep = last_sweep()
        yield GaugeMetricFamily(
            "liaison_sweep_duration_seconds",
            "Duration of the last reminder sweep",
            value=sweep["seconds"] if sweep else float("nan"),
        )
        yield GaugeMetricFamily(
            "liaison_sweep_last_finished_timestamp_seconds",
            "When the last reminder sweep finished (Unix time)",
            value=sweep["finished"] if sweep else 0.0,
        )


def _registries() -> tuple[CollectorRegistry, CollectorRegistry]:
    from prometheus_client import REGISTRY, multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: add up what each process wrote to the shared folder.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    portal = CollectorRegistry(auto_describe=False)
    portal.register(PortalCollector())
    return registry, portal


def metrics_allowed(request: HttpRequest) -> bool:
    """A scrape carries the metrics token, or comes from an allowed internal address."""
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    networks = settings.METRICS_ALLOWED_NETWORKS
    if networks:
        # The socket's peer, never X-Forwarded-For: an outside client could write that header.
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        if settings.BEHIND_PROXY and request.META.get("HTTP_X_FORWARDED_FOR"):
            return False  # came in through the public proxy
        return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
    return False


@login_not_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition of the process (or all gunicorn workers) and the portal's gauges."""
    if not metrics_allowed(request):
        raise Http404
    registry, portal = _registries()
    body = generate_latest(registry) + generate_latest(portal)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# --- Sentry -------------------------------------------------------------------------------------


def _scrub(event: dict, hint: dict) -> dict:
    """Mask phone and ID numbers in the message and exception values sent to Sentry."""
    if isinstance(event.get("message"), str):
        event["message"] = mask(event["message"])
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = mask(logentry["message"])
    for value in (event.get("exception") or {}).get("values", []):
        if isinstance(value.get("value"), str):
            value["value"] = mask(value["value"])
    return event


def init_sentry() -> bool:
    """Start error reporting when SENTRY_DSN is set; returns whether it was started."""
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_scrub,  # type: ignore[arg-type] # sentry's Event is a TypedDict; _scrub edits it as a dict
    )
    return True
