"""Filter pieces shared by the apps' FilterSets."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort menu, its descending choices named in the user's language."""

    descending_fmt = _("%s（倒序）")
