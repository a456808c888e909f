"""No raw codes or English in the Chinese interface: audit actions, sort menus, empty choices."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation

from liaison.audit import action_label, state_label

ACTION = re.compile(r'action="([a-z_]+)"')


def test_it_names_every_audit_action_of_every_app_in_words() -> None:
    unnamed = []
    for config in apps.get_app_configs():
        root = Path(config.path)
        if settings.BASE_DIR not in root.parents:
            continue
        for source in root.rglob("*.py"):
            if "migrations" in source.parts:
                continue
            module = ".".join(source.relative_to(settings.BASE_DIR).with_suffix("").parts)
            if apps.get_containing_app_config(module) is not config:
                continue
            lines = (line for line in source.read_text().splitlines() if "add_argument" not in line)
            unnamed += [
                f"{config.label}: {code}"
                for line in lines
                for code in ACTION.findall(line)
                if action_label(code, config.label) == code
            ]
    assert unnamed == []


def test_it_names_the_monthly_report_states_in_the_audit_log() -> None:
    with translation.override("zh-hans"):
        assert action_label("monthly_generate", "reports") == "生成月度通报"
        assert state_label("published", "reports") == "已发布"


def test_it_says_descending_in_chinese_in_sort_menus() -> None:
    from cases.filters import ComplaintFilter

    with translation.override("zh-hans"):
        html = str(ComplaintFilter(data={}, queryset=None).form["ordering"])
    assert "descending" not in html and "编号（倒序）" in html


def test_it_offers_words_not_dashes_as_empty_choices() -> None:
    from cases.filters import ComplaintFilter

    with translation.override("zh-hans"):
        html = str(ComplaintFilter(data={}, queryset=None).form["kind"])
        from django import forms

        class Probe(forms.Form):
            kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])

        probe = str(Probe()["kind"])
    assert "---------" not in html and ">全部<" in html
    assert "---------" not in probe and ">请选择<" in probe


def test_it_writes_amounts_and_counts_with_thousands_separators() -> None:
    from decimal import Decimal

    from liaison.formatting import amount, count
    from liaison.templatetags.liaison_format import amount as amount_filter

    assert amount(Decimal("9800000")) == amount_filter(9800000) == "9,800,000.00"
    assert amount(None) == "—" and amount(Decimal("0.5")) == "0.50"
    assert count(1234567) == "1,234,567"


def test_it_prints_monthly_counts_with_separators() -> None:
    from reports.monthly import display

    assert display("count", 12345) == "12,345" and display("count", 1200, signed=True) == "+1,200"
