"""`{% form_field %}`: the same markup as the field template, remembered only for empty forms."""

from __future__ import annotations

from django import forms
from django.template import engines
from django.template.loader import get_template
from django.utils import translation


class _Form(forms.Form):
    title = forms.CharField(label="标题", max_length=20, help_text="简要说明")
    agreed = forms.BooleanField(label="同意", required=False)
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲")])


def _tag(form: forms.Form) -> str:
    page = engines["django"].from_string(
        "{% load form_fields %}{% for field in form %}{% form_field field %}{% endfor %}"
    )
    return page.render({"form": form})


def _include(form: forms.Form) -> str:
    return "".join(get_template("cases/includes/field.html").render({"field": field}) for field in form)


def test_an_empty_form_shows_as_the_field_template_shows_it_every_time():
    form = _Form(initial={"title": "初稿"}, prefix="step")
    assert _tag(form) == _include(form) == _tag(_Form(initial={"title": "初稿"}, prefix="step"))
    assert 'value="初稿"' in _tag(form) and 'value="次稿"' in _tag(_Form(initial={"title": "次稿"}, prefix="step"))


def test_a_bound_form_shows_its_values_and_errors():
    _tag(_Form(prefix="step"))
    page = _tag(_Form({"step-title": "x" * 30, "step-kind": "a"}, prefix="step"))
    assert 'value="' + "x" * 30 + '"' in page and "invalid-feedback" in page


def test_choices_are_read_each_time_and_labels_follow_the_language():
    form = _Form(prefix="step")
    _tag(form)
    form = _Form(prefix="step")
    form.fields["kind"].choices = [("a", "甲"), ("b", "乙")]
    assert "乙" in _tag(form)
    with translation.override("en"):
        assert _tag(_Form(prefix="step")) == _include(_Form(prefix="step"))
