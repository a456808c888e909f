"""The enterprise registry."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import EnterpriseSize, Industry
from ..validators import validate_credit_code, validate_phone


class Enterprise(models.Model):
    """A private enterprise, identified by its unified social credit code within a mechanism."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="enterprises"
    )
    registered_by = models.ForeignKey(
        "liaison.Organization", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    size = models.CharField(_("企业规模"), max_length=10, choices=EnterpriseSize.choices)
    industry = models.CharField(_("所属行业"), max_length=1, choices=Industry.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    chambers = models.ManyToManyField(
        "liaison.Organization", verbose_name=_("所属商会"), blank=True, related_name="member_enterprises"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Whether the enterprise agreed to be named in the public column (营商环境专栏); set by the
    # registering federation through `cases.services.enterprise_set_public`.
    is_public = models.BooleanField(_("可在营商环境专栏公开企业名称"), default=False)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "credit_code"], name="enterprise_code_unique_in_mechanism"),
            models.CheckConstraint(condition=Q(size__in=EnterpriseSize.values), name="enterprise_size_valid"),
            models.CheckConstraint(condition=Q(industry__in=Industry.values), name="enterprise_industry_valid"),
        ]
        indexes = [models.Index(fields=["mechanism", "name"], name="enterprise_name")]

    def __str__(self) -> str:
        return self.name
