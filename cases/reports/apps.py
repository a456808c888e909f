from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cases.reports"
    label = "reports"
    verbose_name = _("共享案例与报告")
