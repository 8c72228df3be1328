"""An instrument as a FHIR R4 ``Questionnaire``, and a ``Questionnaire`` back as an
instrument.

Size: one mapping in both directions (export and import of the same resource), which must
stay side by side so that a round trip keeps every field.

Export (:func:`instrument_to_questionnaire`):

* ``url`` = ``https://maatwerk.example/fhir/Questionnaire/<code>``, ``version`` = the
  instrument version, ``identifier`` = ``<code>-<version>``; ``status`` active;
  ``title`` the instrument's name in the requested language.
* The instructions, if any, as a display item ``display.instructions``.
* One item per instrument item, ``linkId`` = the item id. Option sets become ``choice``
  items with ``answerOption.valueCoding`` (code = the value, e.g. "2") and the
  ``ordinalValue`` extension carrying the value; numeric sets become ``integer`` (or
  ``decimal``) items with ``minValue``/``maxValue``. ``required`` as declared.
* Applicability (PHQ-15 item 4: women only) as the ``item-applies-to`` extension (the
  rule as Maatwerk reads it back) and as an SDC ``enableWhenExpression`` on the
  ``%patient`` launch context (declared with ``sdc-questionnaire-launchContext``), so that
  an SDC client (LHC-Forms) asks the item in the same cases as Maatwerk: unless the
  patient's gender is the other sex. Plain ``enableWhen`` cannot say it: the sex is not a
  question in the form. Such an item has one more answer option,
  ``data-absent-reason#not-applicable`` ("Dit geldt niet voor mij"), for a patient whose
  sex is not recorded or is neither female nor male; Maatwerk refuses it from a woman.
* An item whose text Maatwerk may not ship gets the text ``[licensed text not shipped]``,
  and an option without a label is displayed as its value. An item text that is an
  unverified translation carries the ``text-unverified`` extension.
* One read-only item ``score.<scale id>`` per scale, with an SDC ``calculatedExpression``
  when FHIRPath can compute the score exactly (:mod:`.expressions`), otherwise the
  ``score-not-calculated`` extension saying why.
* Every text (title, instructions, item, option label, scale name) in ``language``, with
  the other language's own text as a FHIR ``translation`` extension on ``_text``,
  ``_title`` or ``_display``: one canonical ``url|version`` names one content, and a
  response in either language matches it (docs/adr/0006).
* The ``instrument-definition`` extension carries the full definition JSON, so that
  :func:`questionnaire_to_instrument` gives back an equal instrument.

Every export is checked with ``fhir.resources`` before it is returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.common.prose import load_prose
from maatwerk.core.fhir.constants import (
    CALCULATED_EXPRESSION,
    DATA_ABSENT_REASON_SYSTEM,
    ENABLE_WHEN_EXPRESSION,
    EXT_APPLIES_TO,
    EXT_INSTRUMENT_DEFINITION,
    EXT_SCORE_NOT_CALCULATED,
    EXT_TEXT_UNVERIFIED,
    INSTRUCTIONS_LINK_ID,
    INSTRUMENT_IDENTIFIER_SYSTEM,
    LAUNCH_CONTEXT,
    LAUNCH_CONTEXT_SYSTEM,
    LICENSED_TEXT_PLACEHOLDER,
    MAX_VALUE,
    MIN_VALUE,
    NOT_APPLICABLE_CODE,
    ORDINAL_VALUE,
    QUESTIONNAIRE_URL_PREFIX,
    SCORE_LINK_ID_PREFIX,
    TEXT_LANGUAGES,
    TRANSLATION,
    questionnaire_url,
    response_set_system,
    score_link_id,
)
from maatwerk.core.fhir.errors import FhirMappingError, FhirProblem
from maatwerk.core.fhir.expressions import FHIRPATH, scale_expression
from maatwerk.core.fhir.validation import structure_problems, validate_resource
from maatwerk.core.fhir.values import definition_json, is_whole, json_number, number_code
from maatwerk.core.instruments.errors import InstrumentDefinitionError
from maatwerk.core.instruments.loading import load_instrument_json
from maatwerk.core.instruments.model import (
    Instrument,
    Item,
    LocalizedText,
    NumericResponseSet,
    OptionsResponseSet,
    ResolvedText,
    Scale,
    base_language,
)

# The words of the Questionnaire that are not the instrument's are prose in
# ``content/prose/fhir_questionnaire.json``.
PROSE_FILE = "fhir_questionnaire.json"


@cache
def not_applicable_text() -> LocalizedText:
    """The answer a patient whose sex is not recorded gives to an item for one sex only."""
    return LocalizedText.model_validate(load_prose(PROSE_FILE).bilingual("not_applicable"))


SEXES = ("female", "male")


def is_sex_dependent(item: Item) -> bool:
    return item.applies_to is not None and item.applies_to.sex is not None


def enable_when_expression(item: Item) -> str | None:
    """The FHIRPath that enables an item for one sex only exactly when Maatwerk asks it:
    when there is no patient or gender, or the gender is not the other sex (``other`` and
    ``unknown`` ask it, and the patient may answer "Dit geldt niet voor mij")."""
    if item.applies_to is None or item.applies_to.sex is None:
        return None
    others = [sex for sex in SEXES if sex not in item.applies_to.sex]
    if not others:
        return None
    not_other = " and ".join(f"%patient.gender != '{sex}'" for sex in others)
    return f"%patient.gender.empty() or ({not_other})"


def not_applicable_option(language: str) -> JsonObject:
    """The extra answer option of an item for one sex only (not scored)."""
    text = _resolve(not_applicable_text(), language)
    coding: JsonObject = {
        "system": DATA_ABSENT_REASON_SYSTEM,
        "code": NOT_APPLICABLE_CODE,
        "display": text.text if text is not None else NOT_APPLICABLE_CODE,
    }
    _with_translations(coding, "display", not_applicable_text(), language)
    return {"valueCoding": coding}


def _resolve(text: LocalizedText | None, language: str) -> ResolvedText | None:
    """The text in ``language``, else English, else whatever language there is."""
    if text is None:
        return None
    return text.resolve(language, fallback=True) or text.resolve("nl") or text.resolve("en")


def _translations(text: LocalizedText | None, primary: str) -> JsonObject | None:
    """The ``_<element>`` of a text: a translation extension for each other language that
    has its own text, or None when there is none."""
    if text is None:
        return None
    extensions = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": own},
            ],
        }
        for language in TEXT_LANGUAGES
        if language != primary and (own := text.get(language)) is not None
    ]
    return {"extension": extensions} if extensions else None


def _with_translations(
    target: JsonObject, element: str, text: LocalizedText | None, primary: str
) -> None:
    translations = _translations(text, primary)
    if translations is not None:
        target[f"_{element}"] = translations


def _name(code: str) -> str:
    """A computable name (``que-0``: starts with a capital, letters, digits, ``_``)."""
    return "".join(c if c.isalnum() else "_" for c in code.upper())


def _option_item(
    instrument: Instrument, response_set: OptionsResponseSet, language: str
) -> JsonObject:
    system = response_set_system(instrument.code, response_set.id)
    options: list[JsonObject] = []
    for option in response_set.options:
        label = _resolve(option.label, language)
        code = number_code(option.value)
        coding: JsonObject = {
            "system": system,
            "code": code,
            "display": label.text if label is not None else code,
        }
        if label is not None:
            _with_translations(coding, "display", option.label, language)
        options.append(
            {
                "valueCoding": coding,
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": json_number(option.value)}],
            }
        )
    return {"type": "choice", "answerOption": options}


def _numeric_item(response_set: NumericResponseSet) -> JsonObject:
    whole = all(is_whole(v) for v in (response_set.min, response_set.max, response_set.step))
    kind = "Integer" if whole else "Decimal"
    return {
        "type": kind.lower(),
        "extension": [
            {"url": MIN_VALUE, f"value{kind}": json_number(response_set.min)},
            {"url": MAX_VALUE, f"value{kind}": json_number(response_set.max)},
        ],
    }


def _question(instrument: Instrument, item: Item, language: str) -> JsonObject:
    response_set = instrument.response_set(item.response_set)
    if isinstance(response_set, OptionsResponseSet):
        shape = _option_item(instrument, response_set, language)
    else:
        shape = _numeric_item(response_set)
    text = _resolve(item.text, language)
    extensions: list[JsonObject] = list(shape.pop("extension", []))
    if text is not None and text.unverified:
        extensions.append({"url": EXT_TEXT_UNVERIFIED, "valueBoolean": True})
    if item.applies_to is not None and item.applies_to.sex is not None:
        extensions.append(
            {
                "url": EXT_APPLIES_TO,
                "extension": [{"url": "sex", "valueCode": sex} for sex in item.applies_to.sex],
            }
        )
        expression = enable_when_expression(item)
        if expression is not None:
            extensions.append(
                {
                    "url": ENABLE_WHEN_EXPRESSION,
                    "valueExpression": {"language": FHIRPATH, "expression": expression},
                }
            )
            if "answerOption" in shape:
                shape["answerOption"].append(not_applicable_option(language))
    question: JsonObject = {
        "linkId": item.id,
        "text": text.text if text is not None else LICENSED_TEXT_PLACEHOLDER,
        **shape,
    }
    if text is not None:
        _with_translations(question, "text", item.text, language)
    if item.required:
        question["required"] = True
    if extensions:
        question["extension"] = extensions
    return question


def _score_item(instrument: Instrument, scale: Scale, language: str) -> JsonObject:
    found = scale_expression(instrument, scale)
    name = _resolve(scale.name, language)
    item: JsonObject = {
        "linkId": score_link_id(scale.id),
        "text": name.text if name is not None else scale.id,
        "type": "integer" if found.integer else "decimal",
        "readOnly": True,
    }
    if name is not None:
        _with_translations(item, "text", scale.name, language)
    if found.expression is not None:
        extension: JsonObject = {
            "url": CALCULATED_EXPRESSION,
            "valueExpression": {"language": FHIRPATH, "expression": found.expression},
        }
    else:
        extension = {"url": EXT_SCORE_NOT_CALCULATED, "valueString": found.reason}
    item["extension"] = [extension]
    return item


def _launch_context(instrument: Instrument) -> list[JsonObject]:
    """The ``%patient`` an ``enableWhenExpression`` reads (SDC launch context)."""
    if not any(enable_when_expression(item) for item in instrument.items):
        return []
    return [
        {
            "url": LAUNCH_CONTEXT,
            "extension": [
                {
                    "url": "name",
                    "valueCoding": {"system": LAUNCH_CONTEXT_SYSTEM, "code": "patient"},
                },
                {"url": "type", "valueCode": "Patient"},
                {"url": "description", "valueString": "The patient who answers"},
            ],
        }
    ]


def _copyright(instrument: Instrument) -> str:
    licence = instrument.licence
    parts = [licence.statement]
    if licence.credit_line:
        parts.append(licence.credit_line)
    if instrument.licensed_texts is not None:
        parts.append(
            f"Item texts licensed to {instrument.licensed_texts.licence_holder}: "
            f"{instrument.licensed_texts.statement}"
        )
    return "\n\n".join(parts)


def instrument_to_questionnaire(instrument: Instrument, *, language: str) -> JsonObject:
    """The instrument as a FHIR R4 Questionnaire (JSON), texts in ``language``
    ("nl" or "en"; a missing text falls back to English). Checked with fhir.resources."""
    base = base_language(language)
    if base is None:
        raise ValueError(f"no texts in language {language!r}: use 'nl' or 'en'")
    items: list[JsonObject] = []
    instructions = _resolve(instrument.instructions, base)
    if instructions is not None:
        display: JsonObject = {
            "linkId": INSTRUCTIONS_LINK_ID,
            "type": "display",
            "text": instructions.text,
        }
        _with_translations(display, "text", instrument.instructions, base)
        items.append(display)
    items.extend(_question(instrument, item, base) for item in instrument.items)
    items.extend(_score_item(instrument, scale, base) for scale in instrument.scales)
    title = _resolve(instrument.name, base)
    resource: JsonObject = {
        "resourceType": "Questionnaire",
        # A FHIR id allows letters, digits, "-" and ".": a code's "_" becomes "-".
        "id": f"{instrument.code}-{instrument.version}".replace("_", "-"),
        "language": base,
        "extension": [
            {"url": EXT_INSTRUMENT_DEFINITION, "valueString": definition_json(instrument)},
            *_launch_context(instrument),
        ],
        "url": questionnaire_url(instrument.code),
        "identifier": [
            {
                "system": INSTRUMENT_IDENTIFIER_SYSTEM,
                "value": f"{instrument.code}-{instrument.version}",
            }
        ],
        "version": instrument.version,
        "name": _name(instrument.code),
        "title": title.text if title is not None else instrument.short_name,
        **(
            {"_title": translations}
            if title is not None
            and (translations := _translations(instrument.name, base)) is not None
            else {}
        ),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Maatwerk",
        "copyright": _copyright(instrument),
        "item": items,
    }
    validate_resource(resource, "Questionnaire")
    return resource


# --------------------------------------------------------------------------- import


def _items(items: object, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(location, item) for every item, depth first, groups included."""
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            location = f"{path}.item[{index}]"
            yield location, item
            yield from _items(item.get("item"), location)


def _definition_text(resource: Mapping[str, Any]) -> tuple[str, str]:
    """(location, JSON text) of the instrument-definition extension."""
    extensions = resource.get("extension") or []
    found = [
        (index, extension)
        for index, extension in enumerate(extensions)
        if isinstance(extension, Mapping) and extension.get("url") == EXT_INSTRUMENT_DEFINITION
    ]
    what = "cannot import this Questionnaire as a Maatwerk instrument"
    if not found:
        raise FhirMappingError(
            what,
            (
                FhirProblem(
                    "Questionnaire.extension",
                    f"the extension {EXT_INSTRUMENT_DEFINITION} is missing. It must hold "
                    "the instrument definition (scales, scoring, bands, sources) as JSON in "
                    "valueString; Maatwerk does not guess scoring from the items",
                    "required",
                ),
            ),
        )
    if len(found) > 1:
        raise FhirMappingError(
            what,
            (
                FhirProblem(
                    "Questionnaire.extension",
                    f"the extension {EXT_INSTRUMENT_DEFINITION} occurs {len(found)} times; "
                    "exactly one is allowed",
                    "invalid",
                ),
            ),
        )
    index, extension = found[0]
    location = f"Questionnaire.extension[{index}]"
    text = extension.get("valueString")
    if not isinstance(text, str):
        raise FhirMappingError(
            what,
            (
                FhirProblem(
                    f"{location}.valueString",
                    "the instrument definition must be JSON text in valueString",
                    "required",
                ),
            ),
        )
    return f"{location}.valueString", text


def _consistency_problems(resource: Mapping[str, Any], instrument: Instrument) -> list[FhirProblem]:
    """The Questionnaire's own elements must agree with the definition it carries."""
    problems: list[FhirProblem] = []
    url = resource.get("url")
    if (
        isinstance(url, str)
        and url.startswith(QUESTIONNAIRE_URL_PREFIX)
        and url != questionnaire_url(instrument.code)
    ):
        problems.append(
            FhirProblem(
                "Questionnaire.url",
                f"{url!r} does not name the instrument {instrument.code!r} of the definition",
                "value",
            )
        )
    version = resource.get("version")
    if version is not None and version != instrument.version:
        problems.append(
            FhirProblem(
                "Questionnaire.version",
                f"{version!r} differs from the definition's version {instrument.version!r}",
                "value",
            )
        )
    seen: set[str] = set()
    for location, item in _items(resource.get("item"), "Questionnaire"):
        link_id = item.get("linkId")
        if not isinstance(link_id, str) or item.get("type") in ("display", "group"):
            continue
        if link_id.startswith(SCORE_LINK_ID_PREFIX):
            continue
        if not instrument.has_item(link_id):
            problems.append(
                FhirProblem(
                    f"{location}.linkId",
                    f"{link_id!r} is not an item of the instrument definition",
                    "value",
                )
            )
            continue
        seen.add(link_id)
        response_set = instrument.response_set(instrument.item(link_id).response_set)
        codes = [
            option.get("valueCoding", {}).get("code")
            for option in item.get("answerOption") or []
            if isinstance(option, Mapping)
            # "Dit geldt niet voor mij" is no value of the response set.
            and option.get("valueCoding", {}).get("system") != DATA_ABSENT_REASON_SYSTEM
        ]
        if isinstance(response_set, OptionsResponseSet) and codes:
            expected = [number_code(value) for value in response_set.values()]
            if codes != expected:
                problems.append(
                    FhirProblem(
                        f"{location}.answerOption",
                        f"answer codes {codes} differ from the definition's values {expected}",
                        "value",
                    )
                )
    problems.extend(
        FhirProblem(
            "Questionnaire.item", f"the definition's item {item.id!r} has no item", "required"
        )
        for item in instrument.items
        if item.id not in seen
    )
    return problems


def questionnaire_to_instrument(resource: Mapping[str, Any]) -> Instrument:
    """Import a FHIR Questionnaire as an instrument.

    The scoring must come with it, in the ``instrument-definition`` extension that
    :func:`instrument_to_questionnaire` writes; the Questionnaire's items, url and
    version must agree with that definition. Texts come from the definition (import an
    organization's licensed texts with ``apply_licensed_texts``). Raises
    ``FhirMappingError`` naming every problem (a missing extension, an invalid
    definition with its JSON paths, an item that does not match).
    """
    problems = structure_problems(resource, "Questionnaire")
    if problems:
        raise FhirMappingError("invalid FHIR Questionnaire", problems)
    location, text = _definition_text(resource)
    try:
        instrument = load_instrument_json(text, origin=location)
    except InstrumentDefinitionError as error:
        raise FhirMappingError(
            "the instrument definition in the Questionnaire is invalid",
            tuple(
                FhirProblem(f"{location} {problem.path}", problem.message, "invalid")
                for problem in error.problems
            ),
        ) from None
    mismatches = _consistency_problems(resource, instrument)
    if mismatches:
        raise FhirMappingError(
            "the Questionnaire does not match the instrument definition it carries",
            tuple(mismatches),
        )
    return instrument
