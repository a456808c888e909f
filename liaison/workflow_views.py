"""The pages' side of the workflow core: the action forms of an object and the one POST view.

An app's detail page shows `action_forms(...)` (one form per step the user may take now, built
from the step's declared form, labels, button and confirmation) and mounts `act_view(...)` at
`<object>/<pk>/act/<name>/`. The view parses the step's form, calls the step's service, and
shows the service's refusal as a message, or the page again with the form's errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .acting import acting_user
from .errors import ActionRefused
from .workflow import Transition, Workflow


class EmptyActionForm(forms.Form):
    """A step that needs no input: the button is the form."""


@dataclass(frozen=True)
class ActionForm:
    name: str
    label: str
    form: forms.Form
    button: str
    multipart: bool
    confirm: str
    # Read off the form here, not in the template, where `form.note` would be a field named "note".
    note: str = ""
    buttons: Any = None


def build_form(
    workflow: Workflow, rule: Transition, request: HttpRequest, obj: Any, data: Any = None, files: Any = None
) -> forms.Form:
    """The step's declared form, given the user and the object when its constructor asks for them."""
    form_class = rule.resolve("form") if rule.form else EmptyActionForm
    wanted = inspect.signature(form_class.__init__).parameters
    extra: dict[str, Any] = {
        key: value for key, value in (("user", acting_user(request)), (workflow.object_name, obj)) if key in wanted
    }
    form = form_class(data, files, prefix=rule.name, **extra)
    for name, label in rule.fields.items():
        if name in form.fields:
            form.fields[name].label = label
    return form


def action_forms(workflow: Workflow, request: HttpRequest, obj: Any, bound: dict[str, forms.Form]) -> list[ActionForm]:
    """The forms of the per-object steps the user may take now (a bound form is shown again)."""
    shown = []
    for rule in workflow.allowed(acting_user(request), obj):
        if not rule.per_object:
            continue
        form = bound.get(rule.name) or build_form(workflow, rule, request, obj)
        shown.append(
            ActionForm(
                rule.name,
                str(rule.label),
                form,
                rule.button,
                form.is_multipart(),
                str(rule.confirm),
                note=getattr(form, "note", ""),
                buttons=getattr(form, "buttons", None),
            )
        )
    return shown


def done_message(rule: Transition, result: Any, data: dict) -> str:
    if callable(rule.done):
        return str(rule.done(result, data))
    return str(rule.done or _("已办理“%(what)s”。") % {"what": rule.label})


def act_view(
    workflow: Workflow,
    *,
    load: Callable[[HttpRequest, int], Any],
    detail: str,
    show_again: Callable[[HttpRequest, Any, str, forms.Form], HttpResponse],
    message: Callable[[Transition, Any, dict], str] = done_message,
    then: Callable[[Transition, Any], str | None] | None = None,
    invalid_again: bool = False,
) -> Callable[..., HttpResponse]:
    """The one POST view of a workflow's per-object steps.

    `load(request, pk)` returns the object in the user's scope (404 otherwise); `detail` names the
    URL pattern to return to; `show_again` renders the detail page with a form's errors.
    `then(rule, result)` may name another page to go to after a step that succeeded (the
    correction a step created).
    With `invalid_again`, a refusal of the input (`ActionRefused.INVALID`) is shown next to the
    field it names, on the page again, rather than as a message after the redirect.
    """

    @require_POST
    def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
        obj = load(request, pk)
        rule = workflow.transitions.get(action)
        if rule is None or not rule.per_object or not rule.service:
            raise Http404
        form = build_form(workflow, rule, request, obj, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请检查“%(action)s”表单中的内容。") % {"action": rule.label})
            return show_again(request, obj, action, form)
        data = rule.arguments(form.cleaned_data)
        service = rule.resolve("service")
        try:
            result = service(actor=request.user, **{workflow.object_name: obj}, **data)
        except ActionRefused as error:
            messages.error(request, error.message)
            if invalid_again and error.code == ActionRefused.INVALID:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                return show_again(request, obj, action, form)
        else:
            messages.success(request, message(rule, result, data))
            elsewhere = then(rule, result) if then else None
            if elsewhere:
                return redirect(elsewhere)
        return redirect(detail, pk=pk)

    act.__name__ = f"{workflow.object_name}_act"
    return act
