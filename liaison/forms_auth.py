"""The login form, with the messages our users read in Chinese and the per-user login limit."""

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import lockout


class LiaisonAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
        "throttled": _("该账号近期登录失败次数过多，为保护账号，请 %(seconds)s 秒后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        wait = lockout.throttle_wait(username, lockout.client_ip(self.request)) if self.request else 0
        if wait:
            raise ValidationError(self.error_messages["throttled"], code="throttled", params={"seconds": wait})
        try:
            return super().clean()
        except ValidationError:
            lockout.failure_recorded(username)
            raise
