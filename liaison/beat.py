"""Exactly one Celery beat schedules, however many are started.

Every host may run a beat (so a lost host does not stop the reminders); each beat's scheduler asks
for a lock before every tick. The holder sends the due tasks and renews the lock; the others
stand by and take over when the holder stops renewing (a crashed host: after BEAT_LOCK_SECONDS).
The lock lives in Redis when Celery's broker is Redis (every host sees it), and in a file lock in
the var folder with the embedded filesystem broker (which is one host by definition).

The periodic tasks are idempotent (unique reminder keys, "already published" checks), so a task
the previous holder sent just before dying and the new holder sends again does nothing twice.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path
from typing import IO, Protocol

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "liaison:beat:lock"
# Compare-and-renew: only the holder's token extends the lock (a Lua script runs atomically).
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class BeatLock(Protocol):
    def acquire_or_renew(self) -> bool: ...
    def release(self) -> None: ...


class RedisBeatLock:
    """A lock with a time to live in Redis, held under a random token per beat process."""

    def __init__(self, url: str, *, ttl_seconds: int, key: str = LOCK_KEY) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.key = key
        self.ttl_ms = ttl_seconds * 1000
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire_or_renew(self) -> bool:
        if self.client.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):  # type: ignore[arg-type] # ARGV may be int
            return True
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if value else None  # type: ignore[union-attr] # sync client: bytes, not Awaitable

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.token)


class FileBeatLock:
    """An exclusive flock on a file: held while this process keeps the file open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire_or_renew(self) -> bool:
        if self.handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - kept open for as long as the lock is held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def beat_lock() -> BeatLock:
    """The lock that fits the broker: Redis when there is one, else a file in the var folder."""
    if settings.REDIS_URL:
        return RedisBeatLock(settings.REDIS_URL, ttl_seconds=settings.BEAT_LOCK_SECONDS)
    return FileBeatLock(Path(settings.CELERY_DATA_DIR) / "beat.lock")


class LockedScheduler(PersistentScheduler):
    """Celery's persistent scheduler that sends due tasks only while it holds the beat lock."""

    def __init__(self, *args: object, lock: BeatLock | None = None, **kwargs: object) -> None:
        self.lock = lock or beat_lock()
        self.active = False
        self._announced: bool | None = None
        super().__init__(*args, **kwargs)

    @property
    def renew_interval(self) -> float:
        # Renew well inside the lock's lifetime, so a slow tick does not lose it.
        return max(1.0, settings.BEAT_LOCK_SECONDS / 3)

    def tick(self, *args: object, **kwargs: object) -> float:
        self._heartbeat()
        try:
            held = self.lock.acquire_or_renew()
        except Exception:  # noqa: BLE001 - Redis unreachable: send nothing rather than risk two beats
            logger.exception("beat lock unavailable; not scheduling")
            held = False
        self.active = held
        if held != self._announced:
            self._announced = held
            if held:
                logger.info("beat lock acquired: this beat schedules the periodic tasks")
            else:
                logger.warning("beat lock held by another beat: standing by")
        if not held:
            return self.renew_interval
        return min(super().tick(*args, **kwargs), self.renew_interval)

    def _heartbeat(self) -> None:
        """Touch the heartbeat file the container health check reads (active and standby alike)."""
        try:
            path = Path(settings.BEAT_HEARTBEAT_FILE)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError:
            logger.warning("cannot write the beat heartbeat file", exc_info=True)

    def close(self) -> None:
        super().close()
        if self.active:
            self.lock.release()
            self.active = False
