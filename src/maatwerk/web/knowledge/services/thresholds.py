"""A factor's instrument thresholds, changed without editing JSON."""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import NON_FIELD, AuditNote, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.content import dump_document, parse_document
from maatwerk.web.knowledge.forms import FactorThresholdsForm, base_revision_of
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.opening import FactorAccess
from maatwerk.web.knowledge.problems import ShownProblem
from maatwerk.web.knowledge.services.saving import (
    Placement,
    audited_save,
    next_version,
    refuse,
    save_document,
)

# Fields of a measure the core names in a problem but the form has no input for.
MEASURE_WITHOUT_INPUT = ("instrument", "scale", "instrument_version", "kind")


def _placement(opened: FactorAccess, form: FactorThresholdsForm) -> Placement:
    """A problem at a measure's field goes on that field of its form (``m0-threshold``);
    one about the measure as a whole above that form's fields."""
    fields = {name for _p, _m, measure_form in form.measures for name in measure_form.fields}

    def place(problem: ShownProblem) -> str:
        if problem.path == "comment":
            return "comment"
        for position, _measure, _form in form.measures:
            prefix = f"$.factors[{opened.position}].measures[{position}]"
            if problem.path.startswith(prefix + "."):
                field = problem.path[len(prefix) + 1 :]
                if field in fields:
                    return f"m{position}-{field}"
                return f"m{position}"
            if problem.path == prefix:
                return f"m{position}"
        return NON_FIELD

    return place


def factor_thresholds_save(
    *, actor: Actor, opened: FactorAccess, form: FactorThresholdsForm
) -> KnowledgeRevision:
    """Change a factor's instrument thresholds in the organization's factors document
    (its current version), raise the version and save it like any other edit."""
    access = opened.collection

    def work(note: AuditNote) -> KnowledgeRevision:
        data = valid_form(form)
        document = parse_document(selectors.current_text(access), origin="factors.json")
        factors = document.get("factors") if isinstance(document, dict) else None
        factor = next(
            (
                f
                for f in (factors if isinstance(factors, list) else [])
                if isinstance(f, dict) and f.get("id") == opened.factor_id
            ),
            None,
        )
        measures = factor.get("measures") if factor is not None else None
        if not isinstance(document, dict) or not isinstance(measures, list):
            raise refuse(access.collection, "$", _("There is no such factor."))
        before = copy.deepcopy(measures)
        for change in form.changes():
            measure = measures[change.position]
            if not isinstance(measure, dict):
                raise refuse(access.collection, "$", _("There is no such factor."))
            measure["operator"] = change.operator
            measure["threshold"] = change.threshold
            for key, value in (("source", change.source), ("note", change.note)):
                if value:
                    measure[key] = value
                else:
                    measure.pop(key, None)
            if change.unverified:
                measure["unverified"] = True
            else:
                measure.pop("unverified", None)
        if measures == before:
            raise refuse(access.collection, "$", _("Nothing changed: this is the version in use."))
        document["version"] = next_version(str(document["version"]), access.bundled.version)
        return save_document(
            actor,
            access,
            note,
            text=dump_document(document),
            comment=str(data["comment"]),
            base_revision=base_revision_of(form),
        )

    return audited_save(actor, access, _placement(opened, form), work)
