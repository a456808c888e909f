"""Enumerations of activities (training, law-publicity days, open days...) and their registrations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("培训")
    LAW_PUBLICITY = "law_publicity", _("普法宣传")
    OPEN_DAY = "open_day", _("法院开放日")
    TRIAL_OBSERVATION = "trial_observation", _("庭审观摩")
    ENTERPRISE_VISIT = "enterprise_visit", _("送法进企业（讲座、走访）")
    FORUM = "forum", _("论坛、研讨会")
    OTHER = "other", _("其他活动")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("报名中")
    CLOSED = "closed", _("报名已截止")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消报名")


A = ActivityStatus

# Before the activity: its details may change (registered people are told once it is published).
ACTIVITY_EDITABLE = (A.DRAFT, A.PUBLISHED, A.CLOSED)
# Visible to registrants and counted as upcoming.
ACTIVITY_LIVE = (A.PUBLISHED, A.CLOSED)
# Sign-in is recorded on the day and corrected afterwards.
SIGN_IN_STATES = (A.PUBLISHED, A.CLOSED, A.HELD)
# A registration that holds a place or waits for one.
ACTIVE_REGISTRATIONS = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
