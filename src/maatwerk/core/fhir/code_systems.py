"""Maatwerk's own codes as FHIR R4 ``CodeSystem`` resources, generated from the content.

Every coding that Maatwerk exports with a ``https://maatwerk.example/fhir/CodeSystem/…``
system has its CodeSystem here, so that a receiver can check a code:

* answer codes: one CodeSystem per option response set of an instrument
  (``…/CodeSystem/<instrument>/<response set>``, code = the option's value, display =
  its label, the English label as a designation);
* scales: ``…/CodeSystem/instrument-scale`` (code ``<instrument>.<scale>``);
* care levels (``…/CodeSystem/care-level``), modules (``…/CodeSystem/module``) and
  interventions (``…/CodeSystem/intervention``) from the knowledge base and the module
  catalogue;
* ``…/CodeSystem/gas`` (``attainment-level``, the GAS measure of a Goal).

Texts are Dutch (``language`` nl) with the English text as a ``designation``; an option
without a shipped label (a licensed text) is displayed as its value. The resource id is
the part of the URL after ``CodeSystem/`` (with the instrument version after the
instrument code for answer codes), ``/`` and ``_`` as ``-``; the API serves
each at ``/api/v1/fhir/CodeSystem/<id>``. Each resource is checked with fhir.resources.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Final

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.care_plan import GAS_MEASURE_SYSTEM, INTERVENTION_SYSTEM, MODULE_SYSTEM
from maatwerk.core.fhir.constants import BASE, SCALE_CODE_SYSTEM, response_set_system
from maatwerk.core.fhir.service_request import CARE_LEVEL_SYSTEM
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.fhir.values import number_code
from maatwerk.core.instruments.model import Instrument, LocalizedText, OptionsResponseSet
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.model import ModuleCatalogue

__all__ = [
    "CODE_SYSTEM_PREFIX",
    "bundled_code_systems",
    "code_system_id",
    "instrument_code_systems",
    "maatwerk_code_systems",
    "questionnaire_package",
]

CODE_SYSTEM_PREFIX: Final = f"{BASE}/CodeSystem/"


def code_system_id(url: str, version: str | None = None) -> str:
    """The resource id of a Maatwerk CodeSystem: its URL after ``CodeSystem/`` (and the
    version, for answer codes, whose URL is shared by the versions of an instrument), with
    ``/`` and ``_`` as ``-`` (a FHIR id allows ``[A-Za-z0-9-.]``)."""
    if not url.startswith(CODE_SYSTEM_PREFIX):
        raise ValueError(f"{url!r} is not a Maatwerk CodeSystem URL")
    path = url.removeprefix(CODE_SYSTEM_PREFIX)
    if version is not None:
        head, _, tail = path.partition("/")
        path = f"{head}-{version}/{tail}"
    return path.replace("/", "-").replace("_", "-")


def _name(identifier: str) -> str:
    """A computable name (cnl-0: starts with a capital; letters, digits and ``_``)."""
    return "Maatwerk_" + "".join(c if c.isalnum() else "_" for c in identifier)


def _concept(code: str, text: LocalizedText | None, default: str) -> JsonObject:
    dutch = text.get("nl", fallback=True) if text is not None else None
    concept: JsonObject = {"code": code, "display": dutch or default}
    english = text.get("en") if text is not None else None
    if english is not None and english != concept["display"]:
        concept["designation"] = [{"language": "en", "value": english}]
    return concept


def _code_system(
    url: str,
    title: str,
    description: str,
    concepts: Sequence[JsonObject],
    version: str | None,
    *,
    versioned_id: bool = False,
) -> JsonObject:
    resource_id = code_system_id(url, version if versioned_id else None)
    resource: JsonObject = {
        "resourceType": "CodeSystem",
        "id": resource_id,
        "language": "nl",
        "url": url,
    }
    if version is not None:
        resource["version"] = version
    resource |= {
        "name": _name(resource_id),
        "title": title,
        "status": "active",
        "publisher": "Maatwerk",
        "description": description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": list(concepts),
    }
    validate_resource(resource, "CodeSystem")
    return resource


def _response_set_code_system(
    instrument: Instrument, response_set: OptionsResponseSet
) -> JsonObject:
    url = response_set_system(instrument.code, response_set.id)
    concepts = [
        _concept(number_code(option.value), option.label, number_code(option.value))
        for option in response_set.options
    ]
    return _code_system(
        url,
        f"{instrument.short_name}: {response_set.id}",
        f"The answer codes of {instrument.short_name} {instrument.version} (response set "
        f"{response_set.id}): each code is the option's value.",
        concepts,
        instrument.version,
        versioned_id=True,
    )


def maatwerk_code_systems(
    instruments: Iterable[Instrument], knowledge: KnowledgeBase, catalogue: ModuleCatalogue
) -> list[JsonObject]:
    """Every Maatwerk CodeSystem for these instruments, knowledge base and modules."""
    instruments = tuple(instruments)
    resources: list[JsonObject] = []
    for instrument in instruments:
        resources.extend(instrument_code_systems(instrument))
    scales = {
        f"{instrument.code}.{scale.id}": _concept(
            f"{instrument.code}.{scale.id}", scale.name, scale.id
        )
        for instrument in instruments
        for scale in instrument.scales
    }
    for concept in scales.values():
        short = next(i.short_name for i in instruments if concept["code"].startswith(f"{i.code}."))
        concept["display"] = f"{short} - {concept['display']}"
        for designation in concept.get("designation", []):
            designation["value"] = f"{short} - {designation['value']}"
    resources.append(
        _code_system(
            SCALE_CODE_SYSTEM,
            "Maatwerk instrument scales",
            "The scales of the bundled instruments (Observation.code): <instrument>.<scale>.",
            list(scales.values()),
            None,
        )
    )
    resources.append(
        _code_system(
            CARE_LEVEL_SYSTEM,
            "Maatwerk care levels",
            "The stepped-care levels of the knowledge base.",
            [
                _concept(level.id, level.name, level.id)
                for level in knowledge.care_levels.care_levels
            ],
            knowledge.care_levels.version,
        )
    )
    resources.append(
        _code_system(
            MODULE_SYSTEM,
            "Maatwerk modules",
            "The treatment modules of the module catalogue (CarePlan.activity.detail.code).",
            [_concept(module.id, module.name, module.id) for module in catalogue.modules],
            catalogue.version,
        )
    )
    resources.append(
        _code_system(
            INTERVENTION_SYSTEM,
            "Maatwerk interventions",
            "The interventions of the knowledge base (multidisciplinary parts of a plan).",
            [
                _concept(intervention.id, intervention.name, intervention.id)
                for intervention in knowledge.interventions.interventions
            ],
            knowledge.interventions.version,
        )
    )
    resources.append(
        _code_system(
            GAS_MEASURE_SYSTEM,
            "Maatwerk Goal Attainment Scaling",
            "Goal.target.measure of a GAS goal: the attainment level, -2 to +2.",
            [
                {
                    "code": "attainment-level",
                    "display": "GAS-doelbereik",
                    "designation": [{"language": "en", "value": "GAS attainment level"}],
                }
            ],
            None,
        )
    )
    return resources


@cache
def bundled_code_systems() -> tuple[JsonObject, ...]:
    """The CodeSystems of the bundled instruments, knowledge base and module catalogue
    (what the API serves; an organization's own content is not published)."""
    from maatwerk.core.instruments.registry import bundled_instruments
    from maatwerk.core.knowledge.registry import bundled_knowledge
    from maatwerk.core.modules.registry import bundled_catalogue

    return tuple(
        maatwerk_code_systems(bundled_instruments(), bundled_knowledge(), bundled_catalogue())
    )


def instrument_code_systems(instrument: Instrument) -> list[JsonObject]:
    """The answer-code CodeSystems of one instrument (exported with its Questionnaire)."""
    return [
        _response_set_code_system(instrument, response_set)
        for response_set in instrument.response_sets
        if isinstance(response_set, OptionsResponseSet)
    ]


def questionnaire_package(instrument: Instrument, *, language: str) -> JsonObject:
    """The instrument's Questionnaire with the CodeSystems of its answer codes, as a
    ``collection`` Bundle (fullUrls: name-based ``urn:uuid:`` of each ``url|version``)."""
    from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire

    resources = [
        instrument_to_questionnaire(instrument, language=language),
        *instrument_code_systems(instrument),
    ]
    bundle: JsonObject = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:"
                + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{resource['url']}|{resource['version']}")),
                "resource": resource,
            }
            for resource in resources
        ],
    }
    validate_resource(bundle, "Bundle")
    return bundle
