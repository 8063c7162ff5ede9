"""The Redis transport the app's Celery uses: kombu's, publishing through one redis-py client per channel.

kombu's Redis channel builds a new ``redis.Redis`` for every message it publishes (``conn_or_acquire``), and
building one fills its table of about 170 response callbacks: in a profile of order placement that was a
third of the CPU of handing a task to the broker, more than the LPUSH itself. A client holds no connection
of its own (it borrows one from the channel's pool for each command) and is safe to share between threads, so
one per channel serves every call. It is rebuilt when the channel replaces its pool (after a fork or a
reconnect).

``oms.settings`` selects it for ``redis://`` brokers (``CELERY_BROKER_TRANSPORT``); a ``rediss://`` one keeps
kombu's own transport, whose TLS checks go by the URL's scheme.
"""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _shared_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        shared = self._shared_client
        if shared is None or shared.connection_pool is not self.pool:
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(redis.Transport):
    Channel = Channel
