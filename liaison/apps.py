import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("沟通联系机制")

    def ready(self) -> None:
        # Reminder rules of the core; the apps register theirs in their own ready().
        from . import audit, checks, reminders  # noqa: F401
        from .choices import DeadlineState

        audit.register_labels(
            actions={
                "deadline_start": _("开始计时"),
                "deadline_extend": _("顺延期限"),
                "deadline_close": _("结束计时"),
                "deadline_pause": _("暂停计时"),
                "deadline_resume": _("恢复计时"),
                "deadline_recompute": _("重新计算期限"),
                "calendar_override_save": _("调整节假日"),
                "calendar_override_delete": _("删除节假日调整"),
                "attachment_add": _("上传附件"),
                "admin_add": _("新建"),
                "admin_change": _("修改"),
                "admin_delete": _("删除"),
                "system_key_rotate": _("更换接口密钥"),
                "delivery_redeliver": _("重新推送"),
            },
            states=dict(DeadlineState.choices),
        )
        from . import scoping
        from .models import Mechanism

        scoping.register_object_scope(Mechanism, scoping.visible_mechanisms)

        from .permissions import PERMS, add_perms

        add_perms("liaison", PERMS)

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="liaison.session_started")

        user_locked_out.connect(_locked_out, dispatch_uid="liaison.lockout")

        from django.db.models.signals import post_migrate

        post_migrate.connect(_scope_triggers, sender=self, dispatch_uid="liaison.scope_triggers")


def _scope_triggers(sender: object, *, using: str = "default", **kwargs: object) -> None:
    """After every migrate: the token's row and triggers (`liaison.scope_token`)."""
    from django.db import connections

    from .scope_token import install

    install(connections[using])


def _locked_out(
    sender: object, *, username: str | None = None, ip_address: str | None = None, **kwargs: object
) -> None:
    """django-axes has no other hook for its lockout: pass it on to the administrators."""
    from .lockout import locked_out

    locked_out(username, ip_address)


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a Chinese name in the administration (its own config has none)."""

    verbose_name = _("登录安全")
