from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("沟通联系机制")

    def ready(self) -> None:
        # Reminder rules of the core; the apps register theirs in their own ready().
        from . import audit, reminders  # noqa: F401
        from .choices import DeadlineState

        audit.register_labels(
            actions={
                "deadline_start": _("开始计时"), "deadline_extend": _("顺延期限"), "deadline_close": _("结束计时"),
                "deadline_pause": _("暂停计时"), "deadline_resume": _("恢复计时"),
                "deadline_recompute": _("重新计算期限"), "calendar_override_save": _("调整节假日"),
                "calendar_override_delete": _("删除节假日调整"), "attachment_add": _("上传附件"),
                "admin_add": _("新建"), "admin_change": _("修改"), "admin_delete": _("删除"),
            },
            states=dict(DeadlineState.choices),
        )
        from .permissions import PERMS, add_perms

        add_perms("liaison", PERMS)
