"""Canonical URLs, identifier systems and link ids of Maatwerk's FHIR mapping.

These URLs are identifiers, not addresses: they must stay stable, because exported
resources and the systems that stored them refer to them. They are documented in
docs/adr/0005-fhir-r4b-models.md.
"""

from __future__ import annotations

from typing import Final

BASE: Final = "https://maatwerk.example/fhir"
"""Root of every Maatwerk canonical URL and identifier system."""

QUESTIONNAIRE_URL_PREFIX: Final = f"{BASE}/Questionnaire/"
"""``Questionnaire.url`` is this prefix + the instrument code; ``Questionnaire.version``
is the instrument version, so the canonical reference is ``<url>|<version>``."""

INSTRUMENT_IDENTIFIER_SYSTEM: Final = f"{BASE}/instrument"
"""``Questionnaire.identifier``: value ``<code>-<version>`` (the data file's name)."""

ASSIGNMENT_IDENTIFIER_SYSTEM: Final = f"{BASE}/assignment"
"""``QuestionnaireResponse.basedOn[].identifier``: the Maatwerk assignment id (a UUID)."""

PATIENT_IDENTIFIER_SYSTEM: Final = f"{BASE}/patient"
"""``subject.identifier``: the Maatwerk patient id (a UUID, never a name)."""

SCALE_CODE_SYSTEM: Final = f"{BASE}/CodeSystem/instrument-scale"
"""``Observation.code.coding``: code ``<instrument code>.<scale id>``."""

RESPONSE_SET_SYSTEM_PREFIX: Final = f"{BASE}/CodeSystem/"
"""Answer codes: system ``<prefix><instrument code>/<response set id>``, code = the
option's value as canonical decimal text ("0", "2", "2.5")."""

STRUCTURE_DEFINITION: Final = f"{BASE}/StructureDefinition/"

EXT_INSTRUMENT_DEFINITION: Final = STRUCTURE_DEFINITION + "instrument-definition"
"""On the Questionnaire: ``valueString`` = the full instrument definition JSON (the same
format as ``maatwerk/content/instruments/*.json``), so that an import is exact."""

EXT_APPLIES_TO: Final = STRUCTURE_DEFINITION + "item-applies-to"
"""On an item: who it applies to; sub-extensions ``sex`` (``valueCode`` female/male).
Maatwerk's own record of the rule; other SDC clients read ``ENABLE_WHEN_EXPRESSION``
(the respondent's sex is not a question, so plain ``enableWhen`` cannot say it)."""

ENABLE_WHEN_EXPRESSION: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
"""On an item for one sex only (PHQ-15 item 4): a FHIRPath on the ``%patient`` launch
context that enables it exactly when Maatwerk asks it: unless the patient's gender is
the other sex; a gender ``other`` or ``unknown``, or no patient, asks it too."""

LAUNCH_CONTEXT: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext"
)
LAUNCH_CONTEXT_SYSTEM: Final = "http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext"

DATA_ABSENT_REASON_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
NOT_APPLICABLE_CODE: Final = "not-applicable"
"""An item for one sex only carries one more ``answerOption``: this code ("Dit geldt niet
voor mij"). As the answer in a QuestionnaireResponse it marks the item as not applying
(left out of the score); Maatwerk accepts it only when the patient's sex is not recorded
or is neither female nor male."""

EXT_SCORE_NOT_CALCULATED: Final = STRUCTURE_DEFINITION + "score-not-calculated"
"""On a score item without ``calculatedExpression``: ``valueString`` says why (reverse
keying, recodes, proration, ...); Maatwerk's scoring engine computes that score."""

EXT_TEXT_UNVERIFIED: Final = STRUCTURE_DEFINITION + "text-unverified"
"""On an item: ``valueBoolean`` true when its text is an unverified translation."""

TRANSLATION: Final = "http://hl7.org/fhir/StructureDefinition/translation"
"""On a string's ``_<element>``: the text in another language (sub-extensions ``lang``
and ``content``). A Questionnaire carries every text in both languages, so that one
canonical ``url|version`` names one content and a response in either language matches
it (docs/adr/0006-one-canonical-questionnaire-with-translations.md)."""

TEXT_LANGUAGES: Final = ("nl", "en")
"""The languages Maatwerk holds texts in."""

ORDINAL_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/maxValue"
CALCULATED_EXPRESSION: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
OBSERVATION_CATEGORY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM: Final = "http://unitsofmeasure.org"

INSTRUCTIONS_LINK_ID: Final = "display.instructions"
"""The display item with the instructions. Item ids cannot contain a dot, so the link
ids of Maatwerk's own display and score items never collide with an item id."""

SCORE_LINK_ID_PREFIX: Final = "score."
"""Score items are ``score.<scale id>``; answers to them in a QuestionnaireResponse (a
client's calculated values) are ignored: Maatwerk scores the answers itself."""

LICENSED_TEXT_PLACEHOLDER: Final = "[licensed text not shipped]"
"""Text of an item whose licensed text Maatwerk may not ship (TSK, PCS, 4DSQ, ...)."""


def questionnaire_url(code: str) -> str:
    return QUESTIONNAIRE_URL_PREFIX + code


def response_set_system(instrument_code: str, response_set_id: str) -> str:
    return f"{RESPONSE_SET_SYSTEM_PREFIX}{instrument_code}/{response_set_id}"


def score_link_id(scale_id: str) -> str:
    return SCORE_LINK_ID_PREFIX + scale_id
