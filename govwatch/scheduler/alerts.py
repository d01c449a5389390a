"""Alerts: short Chinese messages on the channels of a site's ``alerts:`` section.

Apprise speaks every channel (``mailto://``, ``json://``, ``dingtalk://``,
``wecombot://`` …); each channel is its own Apprise object, so a message that one
channel took and another did not is retried on the other only.

An alert is keyed by the problem it is about (``alerts_sent``, unique per site and
key), so the same problem never alerts twice. It is stored ``pending`` first and then
delivered: in quiet hours it waits; a channel that fails is logged and tried again by
the next :func:`deliver_pending` (the scheduler runs it every minute), up to
``MAX_ATTEMPTS`` times. Nothing here raises into the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

import apprise
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.clock import BEIJING, now
from storage.db import Database
from storage.models import AlertSent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
TITLE = "govwatch 监测提醒"


def send(url: str, body: str, title: str = TITLE) -> bool:
    """One message on one channel; False (logged) when it did not go out."""
    sender = apprise.Apprise()
    try:
        if not sender.add(url):
            logger.error("alert channel not understood: %s", shown_channel(url))
            return False
        return bool(sender.notify(body=body, title=title))
    except Exception as error:  # a channel's bug never stops the scheduler
        logger.error("alert on %s failed: %r", shown_channel(url), error)
        return False


def shown_channel(url: str) -> str:
    """A channel as logs show it: scheme and host, no password or token."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme}://{host}/…"


def in_quiet_hours(quiet: str | None, moment: datetime) -> bool:
    """Whether ``moment`` falls in ``HH:MM-HH:MM`` (Beijing; may span midnight)."""
    if not quiet:
        return False
    start_text, end_text = quiet.split("-")
    start, end = (time.fromisoformat(t.strip().zfill(5)) for t in (start_text, end_text))
    local = moment.astimezone(BEIJING).time().replace(tzinfo=None)
    if start <= end:
        return start <= local < end
    return local >= start or local < end


@dataclass(frozen=True)
class Alert:
    site_id: str
    problem_key: str  # what makes it the same problem: never alerted twice
    kind: str  # veto | unreachable | scan_failed | scan_empty
    message: str


class Alerter:
    """The alerts of one site config."""

    def __init__(self, config, db: Database):
        self.section = config.alerts
        self.site = config.site
        self.db = db

    @property
    def channels(self) -> Sequence[str]:
        return self.section.channels

    def review_link(self, finding_id: int) -> str | None:
        base = self.section.review_url
        return f"{base.rstrip('/')}/findings/{finding_id}" if base else None

    def raise_alert(
        self, kind: str, problem_key: str, message: str, covers: Sequence[str] = ()
    ) -> bool:
        """Store an alert unless its problem already alerted (or its kind is off, or
        there is no channel); then try to deliver. True when it is new. ``covers``: the
        keys of problems this one message speaks for (a scan's many new veto findings),
        which then never alert on their own."""
        if kind not in self.section.on or not self.channels:
            return False
        try:
            with self.db.session() as session:
                for key in covers:
                    session.add(
                        AlertSent(
                            site_id=self.site.id,
                            problem_key=key[:200],
                            kind=kind,
                            message=f"见 {problem_key}",
                            status="covered",
                            created_at=now(),
                            attempts=0,
                            pending_channels=[],
                            last_error="",
                        )
                    )
                session.add(
                    AlertSent(
                        site_id=self.site.id,
                        problem_key=problem_key[:200],
                        kind=kind,
                        message=message,
                        status="pending",
                        created_at=now(),
                        attempts=0,
                        pending_channels=list(range(len(self.channels))),
                        last_error="",
                    )
                )
        except IntegrityError:
            return False  # the same problem alerted before
        self.deliver_pending()
        return True

    def rearm(self, key_prefix: str) -> None:
        """Forget alerts whose problem is over (an unreachable page that recovered), so
        that crossing the line again alerts again."""
        with self.db.session() as session:
            session.execute(
                delete(AlertSent).where(
                    AlertSent.site_id == self.site.id,
                    AlertSent.problem_key.startswith(key_prefix, autoescape=True),
                )
            )

    def deliver_pending(self) -> int:
        """Send what waits (outside quiet hours); the number of alerts completed."""
        moment = now()
        if in_quiet_hours(self.section.quiet_hours, moment):
            return 0
        done = 0
        try:
            with self.db.session() as session:
                pending = list(
                    session.scalars(
                        select(AlertSent)
                        .where(AlertSent.site_id == self.site.id, AlertSent.status == "pending")
                        .order_by(AlertSent.id)
                    )
                )
                for alert in pending:
                    done += self._deliver(session, alert, moment)
        except Exception as error:  # the database is failing: the next round tries again
            logger.error("could not deliver alerts of %s: %r", self.site.id, error)
        return done

    def _deliver(self, session: Session, alert: AlertSent, moment: datetime) -> bool:
        left = []
        for index in alert.pending_channels:
            if index >= len(self.channels) or send(self.channels[index], alert.message):
                continue
            left.append(index)
        alert.attempts += 1
        alert.pending_channels = left
        session.flush()
        if not left:
            alert.status, alert.sent_at = "sent", moment
            return True
        alert.last_error = f"{len(left)} 个通知渠道发送失败"
        logger.warning(
            "alert %s: %d channel(s) failed (attempt %d)",
            alert.problem_key,
            len(left),
            alert.attempts,
        )
        if alert.attempts >= MAX_ATTEMPTS:
            alert.status = "failed"
            logger.error("alert %s given up after %d attempts", alert.problem_key, alert.attempts)
        return False


def send_test_messages(config) -> list[tuple[str, bool]]:
    """Send a test message on every channel: (channel as shown, whether it worked)."""
    body = f"govwatch 测试消息：站点 {config.site.name}（{config.site.id}）的监测提醒渠道工作正常。"
    return [(shown_channel(url), send(url, body)) for url in config.alerts.channels]
