"""Transfer letters (移送函): numbered per mechanism per year, holding one or more complaints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="transfers"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("移送函文号"), max_length=60, unique=True)
    court = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("受移送法院"),
        on_delete=models.PROTECT,
        related_name="received_transfers",
    )
    sender = models.ForeignKey(
        "liaison.Organization", verbose_name=_("移送单位"), on_delete=models.PROTECT, related_name="sent_transfers"
    )
    made_by = models.ForeignKey("liaison.User", verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("移送时间"))
    is_immediate = models.BooleanField(_("重大事项立即移送"), default=False)
    meeting_reference = models.CharField(_("联席会议"), max_length=120, blank=True)
    registration_due = models.DateField(_("登记期限"))
    answer_due = models.DateField(_("反馈期限"))

    class Meta:
        verbose_name = _("移送函")
        verbose_name_plural = _("移送函")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "year", "sequence"], name="transfer_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number
