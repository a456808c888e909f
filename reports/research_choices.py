"""Enumerations of the yearly research programme (调研课题) and the use made of its results."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出")
    AGREED = "agreed", _("已商定")
    FINISHED = "finished", _("已结题")
    DROPPED = "dropped", _("已撤销")


class AgreedHow(models.TextChoices):
    NONE = "", _("尚未商定")
    LEADERS = "leaders", _("双方领导商定")
    MEETING = "meeting", _("联席会议商定")


class UseKind(models.TextChoices):
    JUDICIAL_SUGGESTION = "judicial_suggestion", _("司法建议")
    POLICY = "policy", _("政策文件")
    TYPICAL_CASE = "typical_case", _("典型案例")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


# A topic that counts towards the year's programme.
COUNTED_STATES = (TopicStatus.AGREED, TopicStatus.FINISHED)
# The programme expects one or two agreed topics per mechanism and year.
EXPECTED_MIN, EXPECTED_MAX = 1, 2
