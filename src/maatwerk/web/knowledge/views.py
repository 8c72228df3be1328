"""The organization admin's knowledge pages: overview, readable view, editor, focused
threshold form, history, download and going back to the bundled version.

Only an organization admin reaches them, and only for their own organization; the
organization is never taken from the URL. Views parse, call one service, render.

Size: one sub-domain, a view per URL of the knowledge app; the switches form moves into
forms.py when the typed-input work reaches this app.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.knowledge import selectors, services
from maatwerk.web.knowledge.content import bundled_file
from maatwerk.web.knowledge.forms import (
    CommentForm,
    DocumentForm,
    RestoreForm,
    SteppedCareSwitchesForm,
    ThresholdForm,
)
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.problems import ShownProblem, shown_all
from maatwerk.web.knowledge.readable import localized, other_fields, readable_sections
from maatwerk.web.organizations.models import Organization


def _organization(request: ActorRequest) -> Organization:
    return next(m.organization for m in request.actor.memberships_with(Role.ORGANIZATION_ADMIN))


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _known(content_set: str, collection: str) -> None:
    if bundled_file(content_set, collection) is None:
        raise Http404


def _render(
    request: ActorRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render with the comment the admin typed, so it is never lost on a refusal."""
    context = {"comment_value": request.POST.get("comment", "")[:1000], **context}
    return render(request, template, context, status=status)


def _common(organization: Organization, content_set: str, collection: str) -> dict[str, Any]:
    effective = selectors.effective_content(organization.pk)
    bundled = bundled_file(content_set, collection)
    return {
        "organization": organization,
        "content_set": content_set,
        "collection": collection,
        "bundled_version": bundled.version if bundled else "",
        "active": selectors.active_revision(organization.pk, content_set, collection),
        "in_use": (content_set, collection) in effective.in_use,
        "set_aside": shown_all(effective.set_aside),
    }


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def overview(request: ActorRequest) -> HttpResponse:
    organization = _organization(request)
    effective = selectors.effective_content(organization.pk)
    return render(
        request,
        "knowledge/overview.html",
        {
            "organization": organization,
            "rows": selectors.collection_rows(organization.pk),
            "set_aside": shown_all(effective.set_aside),
        },
    )


def _base_revision(request: ActorRequest) -> str | None:
    """The version the editor started from ("" for the bundled one). Without the field
    (a save not from our editor) there is no concurrency check."""
    if "base_revision" not in request.POST:
        return None
    return request.POST["base_revision"].strip()[:64]


def _say_saved(request: ActorRequest, revision: KnowledgeRevision, collection: str) -> None:
    messages.success(
        request,
        _("Version %(version)s of %(collection)s is saved and in use.")
        % {"version": revision.version, "collection": collection},
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def collection(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    _known(content_set, collection)
    organization = _organization(request)
    document = selectors.document_in_use(organization.pk, content_set, collection)
    language = _language()
    return render(
        request,
        "knowledge/collection.html",
        {
            **_common(organization, content_set, collection),
            "document_version": document.get("version") if isinstance(document, dict) else "",
            "sections": readable_sections(document, language),
            "fields": other_fields(document, language),
            "threshold_form": (content_set, collection) == ("knowledge", "factors"),
            "switches_form": (content_set, collection) == ("screening", "stepped_care"),
        },
    )


def _field_errors(form: Any, name: str) -> list[str]:
    return [str(message) for message in form.errors.get(name) or ()]


def _problems_by_place(problems: list[ShownProblem]) -> tuple[list[ShownProblem], list[str]]:
    """Problems with the document, and the messages that belong to the comment field."""
    document = [p for p in problems if p.path != "comment"]
    comment = [p.message for p in problems if p.path == "comment"]
    return document, comment


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def edit(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    _known(content_set, collection)
    organization = _organization(request)
    context = _common(organization, content_set, collection)
    problems: list[ShownProblem] = []
    comment_errors: list[str] = []
    if request.method == "POST":
        form = DocumentForm(request.POST)
        if form.is_valid():
            try:
                revision = services.revision_save(
                    actor=request.actor,
                    organization=organization,
                    content_set=content_set,
                    collection=collection,
                    text=form.cleaned_data["document"],
                    comment=form.cleaned_data["comment"],
                    base_revision=_base_revision(request),
                )
            except services.EditRefused as refused:
                problems, comment_errors = _problems_by_place(refused.problems)
            else:
                _say_saved(request, revision, collection)
                return redirect("knowledge:collection", content_set, collection)
        else:
            comment_errors = _field_errors(form, "comment")
            problems = [
                ShownProblem(f"{collection}.json", "$", message)
                for message in _field_errors(form, "document")
            ]
    else:
        active = context["active"]
        form = DocumentForm(
            initial={
                "document": selectors.current_text(organization.pk, content_set, collection),
                "base_revision": str(active.public_id) if active else "",
            }
        )
    return _render(
        request,
        "knowledge/edit.html",
        {**context, "form": form, "problems": problems, "comment_errors": comment_errors},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def history(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    """Every saved version with the ids it changed; POST saves an earlier one again."""
    _known(content_set, collection)
    organization = _organization(request)
    problems: list[ShownProblem] = []
    comment_errors: list[str] = []
    restoring = ""
    if request.method == "POST":
        form = RestoreForm(request.POST)
        restoring = request.POST.get("revision", "")[:64]
        revision = (
            selectors.revision_get(
                organization.pk, content_set, collection, str(form.data.get("revision", ""))
            )
            if form.is_valid()
            else None
        )
        if form.is_valid() and revision is None:
            raise Http404
        if revision is not None:
            try:
                saved = services.revision_restore(
                    actor=request.actor,
                    organization=organization,
                    revision=revision,
                    comment=form.cleaned_data["comment"],
                )
            except services.EditRefused as refused:
                problems, comment_errors = _problems_by_place(refused.problems)
            else:
                messages.success(
                    request,
                    _("The earlier version is in use again as version %(version)s.")
                    % {"version": saved.version},
                )
                return redirect("knowledge:history", content_set, collection)
        else:
            comment_errors = _field_errors(form, "comment")
    return _render(
        request,
        "knowledge/history.html",
        {
            **_common(organization, content_set, collection),
            "entries": selectors.revision_history(organization.pk, content_set, collection),
            "problems": problems,
            "comment_errors": comment_errors,
            "restoring": restoring,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def download(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    """The document in use, as a file (the bundled one when the organization has none)."""
    _known(content_set, collection)
    organization = _organization(request)
    text = selectors.text_in_use(organization.pk, content_set, collection)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{content_set}-{collection}.json"'
    return response


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def restore_bundled(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    _known(content_set, collection)
    organization = _organization(request)
    form = CommentForm(request.POST)
    problems: list[ShownProblem] = []
    comment_errors: list[str] = _field_errors(form, "comment") if not form.is_valid() else []
    if form.is_valid():
        try:
            services.bundled_restore(
                actor=request.actor,
                organization=organization,
                content_set=content_set,
                collection=collection,
                comment=form.cleaned_data["comment"],
            )
        except services.EditRefused as refused:
            problems, comment_errors = _problems_by_place(refused.problems)
        else:
            messages.success(
                request,
                _("Your organization uses the bundled version of %(collection)s again.")
                % {"collection": collection},
            )
            return redirect("knowledge:collection", content_set, collection)
    return _render(
        request,
        "knowledge/restore_bundled.html",
        {
            **_common(organization, content_set, collection),
            "problems": problems,
            "comment_errors": comment_errors,
        },
        status=400,
    )


# ------------------------------------------------------------------ focused threshold form


def _threshold_rows(
    document: Any, factor_id: str
) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
    factors = document.get("factors", []) if isinstance(document, dict) else []
    factor = next((f for f in factors if isinstance(f, dict) and f.get("id") == factor_id), None)
    if factor is None:
        raise Http404
    rows = [
        (position, measure)
        for position, measure in enumerate(factor.get("measures", []))
        if isinstance(measure, dict) and measure.get("kind") == "instrument_scale"
    ]
    return factor, rows


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def factor_thresholds(request: ActorRequest, factor_id: str) -> HttpResponse:
    """The most common change: a factor's instrument thresholds, without editing JSON."""
    organization = _organization(request)
    content_set, collection = "knowledge", "factors"
    document = selectors.document_in_use(organization.pk, content_set, collection)
    factor, rows = _threshold_rows(document, factor_id)
    sources_document = selectors.document_in_use(organization.pk, content_set, "sources")
    sources = sorted(s["id"] for s in sources_document.get("sources", []) if "id" in s)
    context = _common(organization, content_set, collection)
    active = context["active"]
    problems: list[ShownProblem] = []
    comment_errors: list[str] = []
    comment_form = CommentForm(request.POST or None)
    forms = []
    for position, measure in rows:
        initial = {
            "operator": measure.get("operator"),
            "threshold": str(measure.get("threshold")),
            "source": measure.get("source") or "",
            "unverified": measure.get("unverified") is True,
            "note": measure.get("note") or "",
        }
        form = ThresholdForm(
            request.POST or None, prefix=f"m{position}", initial=initial, sources=sources
        )
        forms.append((position, measure, form))
    if request.method == "POST":
        # Every form is checked (not stopping at the first) so all errors show at once.
        checked = [comment_form.is_valid()] + [form.is_valid() for _p, _m, form in forms]
        valid = all(checked)
        if valid:
            changes = [
                services.ThresholdChange(
                    position=position,
                    operator=form.cleaned_data["operator"],
                    threshold=form.cleaned_data["threshold"],
                    source=form.cleaned_data["source"] or None,
                    unverified=form.cleaned_data["unverified"],
                    note=form.cleaned_data["note"].strip() or None,
                )
                for position, _measure, form in forms
            ]
            try:
                revision = services.factor_thresholds_save(
                    actor=request.actor,
                    organization=organization,
                    factor_id=factor_id,
                    changes=changes,
                    comment=comment_form.cleaned_data["comment"],
                    base_revision=_base_revision(request),
                )
            except services.EditRefused as refused:
                problems, comment_errors = _problems_by_place(refused.problems)
                _attach_to_fields(problems, factor_id, document, forms)
            else:
                _say_saved(request, revision, collection)
                return redirect(
                    reverse("knowledge:collection", args=[content_set, collection])
                    + f"#factor-{factor_id}"
                )
        else:
            comment_errors = _field_errors(comment_form, "comment")
    return _render(
        request,
        "knowledge/factor_thresholds.html",
        {
            **context,
            "factor": factor,
            "factor_name": _name(factor),
            "forms": forms,
            "comment_form": comment_form,
            "problems": problems,
            "comment_errors": comment_errors,
            "base_revision": (
                request.POST.get("base_revision", "")[:64]
                if request.method == "POST"
                else (str(active.public_id) if active else "")
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def _name(factor: dict[str, Any]) -> str:
    return localized(factor.get("name"), _language())


def _attach_to_fields(
    problems: list[ShownProblem], factor_id: str, document: Any, forms: list[Any]
) -> None:
    """Show a problem at its field too, when its path points into one of the forms."""
    ids = [f.get("id") for f in document.get("factors", [])]
    if factor_id not in ids:
        return
    index = ids.index(factor_id)
    for problem in problems:
        for position, _measure, form in forms:
            prefix = f"$.factors[{index}].measures[{position}]"
            if problem.path.startswith(prefix + "."):
                field = problem.path[len(prefix) + 1 :]
                if field in form.fields:
                    form.add_error(field, problem.message)
                elif field in ("instrument", "scale"):
                    form.add_error(None, problem.message)
            elif problem.path == prefix:
                form.add_error(None, problem.message)


# ------------------------------------------------------------------ stepped-care switches


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def stepped_care_switches(request: ActorRequest) -> HttpResponse:
    """Care rules on or off and the configurable numbers, without editing JSON."""
    organization = _organization(request)
    content_set, collection = "screening", "stepped_care"
    _known(content_set, collection)
    language = _language()
    current = selectors.document_in_use(organization.pk, content_set, collection)
    bundled = bundled_file(content_set, collection)
    bundled_document = json.loads(bundled.text) if bundled else {}
    current_rules = [r for r in current.get("care_rules", []) if isinstance(r, dict)]
    known = {r["id"]: r for r in bundled_document.get("care_rules", [])}
    known.update({r["id"]: r for r in current_rules if "id" in r})
    in_use = {r.get("id") for r in current_rules}
    knowledge = selectors.knowledge_for(organization.pk)

    def level_name(level_id: object) -> str:
        try:
            level = knowledge.care_level(str(level_id))
        except KeyError:
            return str(level_id)
        return level.name.get(language, fallback=True) or str(level_id)

    rules = [
        (
            rule_id,
            f"{localized(rule.get('text'), language)} → {level_name(rule.get('care_level'))}"
            + (f" ({_('unverified')})" if rule.get("unverified") is True else ""),
        )
        for rule_id, rule in known.items()
    ]
    initial: dict[str, Any] = {f"rule_{rule_id}": rule_id in in_use for rule_id in known}
    for name, keys in services.STEPPED_CARE_NUMBERS.items():
        initial[name] = services.number_at(current, keys)
    for name in services.STEPPED_CARE_LEVELS:
        initial[name] = services.level_at(current, name)
    initial["earlier_treatment"] = services.earlier_treatment_in_use(current)
    form = SteppedCareSwitchesForm(request.POST or None, initial=initial, rules=rules)
    context = _common(organization, content_set, collection)
    active = context["active"]
    problems: list[ShownProblem] = []
    comment_errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                revision = services.stepped_care_switches_save(
                    actor=request.actor,
                    organization=organization,
                    enabled_rules={
                        rule_id for rule_id in known if form.cleaned_data[f"rule_{rule_id}"]
                    },
                    numbers={
                        name: form.cleaned_data[name] for name in services.STEPPED_CARE_NUMBERS
                    },
                    comment=form.cleaned_data["comment"],
                    base_revision=_base_revision(request),
                    levels={name: form.cleaned_data[name] for name in services.STEPPED_CARE_LEVELS},
                    earlier_treatment=form.cleaned_data["earlier_treatment"],
                )
            except services.EditRefused as refused:
                problems, comment_errors = _problems_by_place(refused.problems)
            else:
                _say_saved(request, revision, collection)
                return redirect("knowledge:collection", content_set, collection)
        else:
            comment_errors = _field_errors(form, "comment")
    return _render(
        request,
        "knowledge/stepped_care_switches.html",
        {
            **context,
            "form": form,
            "problems": problems,
            "comment_errors": comment_errors,
            "base_revision": (
                request.POST.get("base_revision", "")[:64]
                if request.method == "POST"
                else (str(active.public_id) if active else "")
            ),
        },
        status=400 if request.method == "POST" else 200,
    )
