"""What the knowledge pages show, as typed values built from an opened collection (no
writes, no audit: reading content is not patient data)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.web.knowledge import selectors
from maatwerk.web.knowledge.forms import (
    FactorThresholdsForm,
    SteppedCareSwitchesForm,
    ThresholdForm,
)
from maatwerk.web.knowledge.labels import Label, Labeller, labeller_for
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.opening import (
    FACTORS,
    STEPPED_CARE,
    CollectionAccess,
    FactorAccess,
    KnowledgeAccess,
)
from maatwerk.web.knowledge.problems import ShownProblem, shown_all
from maatwerk.web.knowledge.readable import Node, Section, other_fields, readable_sections
from maatwerk.web.knowledge.services import switches_initial
from maatwerk.web.knowledge.templatetags.knowledge_labels import content_label
from maatwerk.web.organizations.models import Organization


def collection_label(collection: str) -> str:
    """The readable name of a collection (its id when it has none)."""
    return content_label(collection)


def language() -> str:
    return "en" if get_language() == "en" else "nl"


@dataclass(frozen=True)
class Header:
    """What every page of one collection shows at the top (see ``_nav.html``)."""

    organization: Organization
    content_set: str
    collection: str
    bundled_version: str
    active: KnowledgeRevision | None
    in_use: bool  # the organization's own version is what clinical pages use
    set_aside: list[ShownProblem]

    @property
    def base_revision(self) -> str:
        """The version an editor starts from ("" for the bundled one)."""
        return str(self.active.public_id) if self.active is not None else ""


def header(access: CollectionAccess) -> Header:
    effective = selectors.effective_of(access)
    return Header(
        organization=access.organization,
        content_set=access.content_set,
        collection=access.collection,
        bundled_version=access.bundled.version,
        active=selectors.active_revision(access),
        in_use=(access.content_set, access.collection) in effective.in_use,
        set_aside=shown_all(effective.set_aside),
    )


@dataclass(frozen=True)
class Overview:
    rows: list[selectors.CollectionRow]
    set_aside: list[ShownProblem]


def overview(access: KnowledgeAccess) -> Overview:
    effective = selectors.effective_of(access)
    return Overview(selectors.collection_rows(access), shown_all(effective.set_aside))


@dataclass(frozen=True)
class CollectionPage:
    header: Header
    document_version: str
    sections: list[Section]
    fields: list[Node]
    threshold_form: bool  # the factors: each factor links to its threshold form
    switches_form: bool  # the stepped-care rules: a link to the switches form


def collection_page(access: CollectionAccess) -> CollectionPage:
    document = selectors.document_in_use(access)
    labels = labeller_for(access, language())
    version = document.get("version") if isinstance(document, dict) else ""
    return CollectionPage(
        header=header(access),
        document_version=str(version or ""),
        sections=readable_sections(document, labels),
        fields=other_fields(document, labels),
        threshold_form=(access.content_set, access.collection) == FACTORS,
        switches_form=(access.content_set, access.collection) == STEPPED_CARE,
    )


@dataclass(frozen=True)
class ChangeList:
    """What a version changed compared with the one before, each id with its name."""

    added: list[Label]
    removed: list[Label]
    changed: list[Label]
    fields: list[Label]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.fields)


@dataclass(frozen=True)
class HistoryRow:
    revision: KnowledgeRevision
    changes: ChangeList


@dataclass(frozen=True)
class HistoryPage:
    header: Header
    entries: list[HistoryRow]


def _changed_entry(change: str, labels: Labeller) -> Label:
    """ "links: fear_link" or "fear_of_movement": the entry's name, its id as code."""
    key, _sep, entry_id = change.rpartition(": ")
    if not key:
        return Label(labels.name(entry_id), entry_id)
    return Label(f"{labels.field(key).text}: {labels.name(entry_id)}", entry_id)


def _changed_field(change: str, labels: Labeller) -> Label:
    """ "severity" or "factors (order)": the field's label, its key as code."""
    key, ordered, _rest = change.partition(" (order)")
    label = labels.field(key)
    return Label(f"{label.text} ({_('order')})" if ordered else label.text, key)


def history_page(access: CollectionAccess) -> HistoryPage:
    labels = labeller_for(access, language())
    rows = [
        HistoryRow(
            entry.revision,
            ChangeList(
                added=[_changed_entry(c, labels) for c in entry.changes.added],
                removed=[_changed_entry(c, labels) for c in entry.changes.removed],
                changed=[_changed_entry(c, labels) for c in entry.changes.changed],
                fields=[_changed_field(c, labels) for c in entry.changes.fields],
            ),
        )
        for entry in selectors.revision_history(access)
    ]
    return HistoryPage(header(access), rows)


def editor_text(access: CollectionAccess) -> str:
    """The text the JSON editor starts from."""
    return selectors.current_text(access)


@dataclass(frozen=True)
class MeasureRow:
    """One instrument threshold of a factor, with its form."""

    position: int
    instrument: str  # readable: the questionnaire's name and version, and its scale
    form: ThresholdForm


@dataclass(frozen=True)
class ThresholdsPage:
    header: Header
    factor_id: str
    factor_name: str
    form: FactorThresholdsForm
    rows: list[MeasureRow] = field(default_factory=list)


def thresholds_form(
    opened: FactorAccess, data: QueryDict | None = None
) -> tuple[FactorThresholdsForm, Labeller]:
    """The factor's threshold form: one prefixed form per instrument measure."""
    labels = labeller_for(opened.collection, language())
    stored = opened.factor.get("measures")
    measures = [
        (position, measure)
        for position, measure in enumerate(stored if isinstance(stored, list) else [])
        if isinstance(measure, dict) and measure.get("kind") == "instrument_scale"
    ]
    form = FactorThresholdsForm(
        data,
        measures=measures,
        sources=[(source, labels.citation(source)) for source in labels.source_ids()],
        initial={"base_revision": header(opened.collection).base_revision},
    )
    return form, labels


def thresholds_page(
    opened: FactorAccess, form: FactorThresholdsForm, labels: Labeller
) -> ThresholdsPage:
    rows = [
        MeasureRow(position, labels.measure_instrument(measure), measure_form)
        for position, measure, measure_form in form.measures
    ]
    return ThresholdsPage(
        header=header(opened.collection),
        factor_id=opened.factor_id,
        factor_name=labels.localized(opened.factor.get("name")) or labels.name(opened.factor_id),
        form=form,
        rows=rows,
    )


def switches_form(
    access: CollectionAccess, data: QueryDict | None = None
) -> SteppedCareSwitchesForm:
    """The stepped-care switches form: every care rule (bundled or the organization's)
    with what it says and the care level it advises."""
    labels = labeller_for(access, language())
    current = selectors.document_in_use(access)
    bundled_document = json.loads(access.bundled.text)
    stored = current.get("care_rules") if isinstance(current, dict) else None
    current_rules = [r for r in (stored if isinstance(stored, list) else []) if isinstance(r, dict)]
    known = {r["id"]: r for r in bundled_document.get("care_rules", [])}
    known.update({r["id"]: r for r in current_rules if "id" in r})
    rules = [
        (
            str(rule_id),
            f"{labels.localized(rule.get('text'))} → {labels.name(str(rule.get('care_level')))}"
            + (f" ({_('unverified')})" if rule.get("unverified") is True else ""),
        )
        for rule_id, rule in known.items()
    ]
    initial = switches_initial(current, [str(rule_id) for rule_id in known])
    initial["base_revision"] = header(access).base_revision
    return SteppedCareSwitchesForm(data, initial=initial, rules=rules)
