from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("沟通联系机制")

    def ready(self) -> None:
        # Reminder rules of the core; the apps register theirs in their own ready().
        from . import reminders  # noqa: F401
