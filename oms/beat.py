"""One beat at a time, however many run: a Celery beat scheduler that sends only while it leads.

Two beats (a deploy that starts the new one before the old one stops, a second machine for failover) would
each send every scheduled task, twice as often. ``SingleBeatScheduler`` takes a lease in Redis — the broker —
before each tick and renews it while it runs: only the holder sends; the others wait and take over within
``OMS_BEAT_LEASE_SECONDS`` once the holder is gone. The tasks are safe to run twice anyway; the lease keeps
the schedule's rhythm and the work it costs as written.
"""

import logging
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

log = logging.getLogger(__name__)

LEASE_KEY = "oms:beat:leader"

# Take the lease when it is free, renew it when it is ours: one atomic step in Redis.
_LEAD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
"""


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.beat_id = uuid.uuid4().hex
        self._redis = redis.Redis.from_url(self.app.conf.broker_url, socket_connect_timeout=2, socket_timeout=5)
        self._leading: bool | None = None  # not known until the first tick

    @property
    def lease_seconds(self) -> float:
        return float(getattr(settings, "OMS_BEAT_LEASE_SECONDS", 60))

    def leads(self) -> bool:
        """Whether this beat holds the lease now (taking or renewing it)."""
        try:
            held = bool(self._redis.eval(_LEAD, 1, LEASE_KEY, self.beat_id, int(self.lease_seconds * 1000)))
        except redis.RedisError as exc:
            # Without Redis nothing can be sent anyway; try again next tick.
            log.warning("beat: cannot reach Redis for the lease: %s", exc)
            held = False
        if held != self._leading:
            log.info("beat %s %s", self.beat_id[:8], "leads: sending the schedule" if held else "stands by")
            self._leading = held
        return held

    def tick(self, *args, **kwargs):
        # Renew well before the lease runs out, whatever the schedule's next entry is.
        wait = self.lease_seconds / 3
        if not self.leads():
            return wait
        return min(super().tick(*args, **kwargs), wait)

    def close(self):
        if self._leading:
            # Hand over at once on a clean stop, if the lease is still ours.
            self._redis.eval(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                1,
                LEASE_KEY,
                self.beat_id,
            )
        super().close()
