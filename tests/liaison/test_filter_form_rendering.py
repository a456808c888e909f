"""Filter forms render their fixed menus once per process: the markup is still each request's own."""

from __future__ import annotations

from django import forms
from django.utils import translation

from liaison.forms import style_filter_form

COLOURS = [("", "全部"), ("red", "红"), ("blue", "蓝")]


class ColourFilter(forms.Form):
    colour = forms.ChoiceField(choices=COLOURS, required=False)
    colours = forms.MultipleChoiceField(choices=COLOURS[1:], required=False)
    flag = forms.NullBooleanField(required=False)
    q = forms.CharField(required=False)
    since = forms.DateField(required=False, widget=forms.DateInput)


def _html(data: dict, prefix: str | None = None) -> str:
    form = style_filter_form(ColourFilter(data, prefix=prefix))
    return "".join(str(field) for field in form)


def test_a_remembered_menu_shows_each_requests_choice_and_attributes():
    plain = _html({})
    assert "selected>红" not in plain and '<option value="" selected>全部</option>' in plain
    red = _html({"colour": "red", "colours": ["blue"], "flag": "true"})
    assert '<option value="red" selected>红</option>' in red
    assert '<option value="blue" selected>蓝</option>' in red
    assert '<option value="true" selected>' in red
    assert _html({}) == plain  # the first request's markup, not the second's
    assert 'name="other-colour"' in _html({}, prefix="other")
    assert 'class="form-select form-select-sm"' in plain and 'size="3"' in plain
    assert 'type="date" name="since"' in plain
    assert 'name="q" value="货款"' in _html({"q": "货款"}) and 'value="工程款"' in _html({"q": "工程款"})
    assert 'name="q" class=' in _html({})


def test_a_remembered_menu_is_kept_per_language():
    with translation.override("zh-hans"):
        chinese = _html({})
    with translation.override("en"):
        english = _html({})
    assert "全部" in chinese and "是" in chinese
    assert "Yes" in english and "是" not in english
