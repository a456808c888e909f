"""Per-mechanism, per-year counters for numbered documents (transfer letters, minutes...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    mechanism = models.ForeignKey("liaison.Mechanism", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(_("序列"), max_length=30)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("当前号"), default=0)

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [models.UniqueConstraint(fields=["mechanism", "series", "year"], name="number_sequence_unique")]
