"""The stepped-care rules switched on or off, and their configurable numbers and
severity caps, changed without editing JSON."""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _

from maatwerk.core.screening.definitions import (
    CombinationRule,
    ComorbidityRule,
    EarlierTreatmentRule,
)
from maatwerk.web.audit.audited import NON_FIELD, AuditNote, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.content import (
    Document,
    DocumentObject,
    dump_document,
    parse_document,
)
from maatwerk.web.knowledge.forms import SteppedCareSwitchesForm, base_revision_of
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.opening import CollectionAccess
from maatwerk.web.knowledge.problems import ShownProblem
from maatwerk.web.knowledge.services.saving import (
    audited_save,
    next_version,
    refuse,
    save_document,
)

# The numbers of the stepped-care rules an organization most often sets itself, as
# (JSON path within the document, key). All are editorial or unverified in the bundled
# content (see its notes), which is why they are configurable.
STEPPED_CARE_NUMBERS: dict[str, tuple[str, ...]] = {
    "min_elevated": ("risk_profile", "min_elevated"),
    "severe_more_than_weeks": ("severity", "duration", "severe_more_than_weeks"),
    "raise_steps": ("severity", "comorbidity", "raise_steps"),
}


# The severity caps of the stepped-care rules, as (JSON path, key) with the level the core
# uses when the key is absent. The NHG-Standaard SOLK (Olde Hartman et al., 2013) asks a
# severe limitation in functioning, more than 3 months and earlier treatment for "severe";
# these caps keep the clusters, a comorbidity or a first presentation from reaching it.
STEPPED_CARE_LEVELS: dict[str, tuple[str, ...]] = {
    "clusters_at_most": ("severity", "combination", "clusters_at_most"),
    "raise_at_most": ("severity", "comorbidity", "raise_at_most"),
    "first_presentation_at_most": ("severity", "earlier_treatment", "first_presentation_at_most"),
}
STEPPED_CARE_LEVEL_DEFAULTS: dict[str, str] = {
    "clusters_at_most": str(CombinationRule.model_fields["clusters_at_most"].default),
    "raise_at_most": str(ComorbidityRule.model_fields["raise_at_most"].default),
    "first_presentation_at_most": str(
        EarlierTreatmentRule.model_fields["first_presentation_at_most"].default
    ),
}
EARLIER_TREATMENT_PATH = ("severity", "earlier_treatment")


def number_at(document: Document, keys: tuple[str, ...]) -> Document:
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def level_at(document: Document, name: str) -> Document:
    """The level ``name`` as the core reads it: the document's, or the core's default
    when the document leaves it out."""
    *parents, key = STEPPED_CARE_LEVELS[name]
    holder = number_at(document, tuple(parents))
    if isinstance(holder, dict):
        return holder.get(key, STEPPED_CARE_LEVEL_DEFAULTS[name])
    return STEPPED_CARE_LEVEL_DEFAULTS[name]


def earlier_treatment_in_use(document: Document) -> bool:
    return isinstance(number_at(document, EARLIER_TREATMENT_PATH), dict)


def switches_initial(document: Document, rule_ids: list[str]) -> dict[str, object]:
    """The form's values as the document in use has them."""
    in_use = {rule.get("id") for rule in _rules(document)}
    initial: dict[str, object] = {f"rule_{rule_id}": rule_id in in_use for rule_id in rule_ids}
    for name, keys in STEPPED_CARE_NUMBERS.items():
        initial[name] = number_at(document, keys)
    for name in STEPPED_CARE_LEVELS:
        initial[name] = level_at(document, name)
    initial["earlier_treatment"] = earlier_treatment_in_use(document)
    return initial


def _switch_earlier_treatment(
    document: DocumentObject, bundled_document: Document, on: bool
) -> None:
    """Take the earlier-treatment rule out, or put the bundled one (with its text and
    sources) back in when it was switched on again."""
    severity = document.get("severity")
    if not isinstance(severity, dict) or on == earlier_treatment_in_use(document):
        return
    if not on:
        severity.pop("earlier_treatment", None)
        return
    bundled_rule = number_at(bundled_document, EARLIER_TREATMENT_PATH)
    if not isinstance(bundled_rule, dict):
        raise refuse(
            "stepped_care",
            "$.severity.earlier_treatment",
            _("There is no bundled earlier-treatment rule to switch on."),
        )
    severity["earlier_treatment"] = copy.deepcopy(bundled_rule)


def _rules(document: Document) -> list[DocumentObject]:
    """The document's care rules (those that are objects)."""
    rules = document.get("care_rules") if isinstance(document, dict) else None
    return [rule for rule in rules if isinstance(rule, dict)] if isinstance(rules, list) else []


def _form_value(value: object) -> Document:
    """A cleaned number, level or flag of the switches form, as document data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not a value of the switches form: {value!r}")


def _with_rules_switched(
    rules: list[DocumentObject], bundled_rules: list[DocumentObject], enabled: set[str]
) -> list[Document]:
    """The organization's rules with those switched off left out, and bundled rules that
    were switched back on put back where the bundled order has them (care rules are
    tried in order; the first that matches gives the care level)."""
    kept = [rule for rule in rules if rule.get("id") in enabled]
    present = {rule.get("id") for rule in kept}
    result: list[Document] = list(kept)
    bundled_ids = [rule["id"] for rule in bundled_rules]
    for position, rule in enumerate(bundled_rules):
        if rule["id"] not in enabled or rule["id"] in present:
            continue
        later = set(bundled_ids[position + 1 :])
        at = next(
            (i for i, r in enumerate(result) if isinstance(r, dict) and r.get("id") in later),
            len(result),
        )
        result.insert(at, copy.deepcopy(rule))
        present.add(rule["id"])
    return result


def _place(problem: ShownProblem) -> str:
    """A problem with a number or cap on its field; a care rule's or the whole
    document's above the form."""
    if problem.path == "comment":
        return "comment"
    for name, keys in {**STEPPED_CARE_NUMBERS, **STEPPED_CARE_LEVELS}.items():
        if problem.path == "$." + ".".join(keys):
            return name
    if problem.path.startswith("$." + ".".join(EARLIER_TREATMENT_PATH)):
        return "earlier_treatment"
    return NON_FIELD


def stepped_care_switches_save(
    *, actor: Actor, access: CollectionAccess, form: SteppedCareSwitchesForm
) -> KnowledgeRevision:
    """Switch care rules on or off, set the configurable numbers and severity caps of the
    stepped-care rules and switch the earlier-treatment rule on or off, in the
    organization's current document; saved (and validated) like any edit. The
    validation refuses switching off the last rule a severity level falls back to."""

    def work(note: AuditNote) -> KnowledgeRevision:
        data = valid_form(form)
        document = parse_document(selectors.current_text(access), origin="stepped_care.json")
        if not isinstance(document, dict):
            raise refuse(access.collection, "$", _("Nothing changed: this is the version in use."))
        before = copy.deepcopy(document)
        bundled_document = parse_document(access.bundled.text, origin="stepped_care.json")
        document["care_rules"] = _with_rules_switched(
            _rules(document), _rules(bundled_document), form.enabled_rules()
        )
        for name, keys in STEPPED_CARE_NUMBERS.items():
            *parents, key = keys
            holder = number_at(document, tuple(parents))
            if isinstance(holder, dict):
                holder[key] = _form_value(data[name])
        _switch_earlier_treatment(document, bundled_document, bool(data["earlier_treatment"]))
        for name, keys in STEPPED_CARE_LEVELS.items():
            # Only a changed level is written: an absent key already means the core's default.
            *parents, key = keys
            holder = number_at(document, tuple(parents))
            if isinstance(holder, dict) and data[name] != level_at(document, name):
                holder[key] = _form_value(data[name])
        if document == before:
            raise refuse(access.collection, "$", _("Nothing changed: this is the version in use."))
        document["version"] = next_version(str(document.get("version")), access.bundled.version)
        return save_document(
            actor,
            access,
            note,
            text=dump_document(document),
            comment=str(data["comment"]),
            base_revision=base_revision_of(form),
        )

    return audited_save(actor, access, _place, work)
