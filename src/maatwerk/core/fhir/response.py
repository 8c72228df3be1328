"""Answers as a FHIR ``QuestionnaireResponse``, and a ``QuestionnaireResponse`` back as
answers.

A QuestionnaireResponse for a Maatwerk instrument:

* ``questionnaire`` = ``https://maatwerk.example/fhir/Questionnaire/<code>|<version>``;
* ``basedOn`` = ``[{"identifier": {"system": "https://maatwerk.example/fhir/assignment",
  "value": "<assignment id>"}}]`` when it answers an assignment (the API needs it);
* ``subject`` = ``{"identifier": {"system": "https://maatwerk.example/fhir/patient",
  "value": "<patient id>"}}`` (an id, never a name);
* one item per answered item, ``linkId`` = item id, with one answer: ``valueCoding``
  (system, code = the value, display, and the ``ordinalValue`` extension) for option
  sets, ``valueInteger`` or ``valueDecimal`` for numeric sets; an item for one sex only
  that the patient marked as not applying has the answer
  ``data-absent-reason#not-applicable`` ("Dit geldt niet voor mij").

Reading (:func:`questionnaire_response_to_answers`) accepts for an option item a
``valueCoding`` identified by its code (or, without a code, by its ``ordinalValue``
extension), or the option's value as ``valueInteger``/``valueDecimal``; for a numeric
item ``valueInteger`` or ``valueDecimal``. Answers to ``score.*`` items (a client's
calculated scores) and display items are ignored. Unknown link ids, values that are not
an option, out of range or off step, and items answered twice are errors, all reported
together. A ``not-applicable`` answer to an item for one sex only is no value:
:func:`questionnaire_response_not_applicable` lists those items, for the core's
``Respondent.declared_not_applicable``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.constants import (
    ASSIGNMENT_IDENTIFIER_SYSTEM,
    DATA_ABSENT_REASON_SYSTEM,
    INSTRUCTIONS_LINK_ID,
    NOT_APPLICABLE_CODE,
    ORDINAL_VALUE,
    PATIENT_IDENTIFIER_SYSTEM,
    QUESTIONNAIRE_URL_PREFIX,
    SCORE_LINK_ID_PREFIX,
    questionnaire_url,
    response_set_system,
)
from maatwerk.core.fhir.errors import FhirMappingError, FhirProblem
from maatwerk.core.fhir.questionnaire import is_sex_dependent, not_applicable_text
from maatwerk.core.fhir.validation import structure_problems, validate_resource
from maatwerk.core.fhir.values import is_whole, json_number, number_code, read_number
from maatwerk.core.instruments.model import (
    Instrument,
    Item,
    LocalizedText,
    NumericResponseSet,
    OptionsResponseSet,
    base_language,
)
from maatwerk.core.instruments.numbers import fmt

ResponseStatus = Literal["in-progress", "completed", "amended", "entered-in-error", "stopped"]


def fhir_datetime(moment: datetime) -> str:
    """A FHIR ``dateTime``/``instant``: ISO 8601 with its UTC offset (required by FHIR)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a FHIR dateTime needs a timezone; pass an aware datetime")
    return moment.isoformat()


def identifier_reference(system: str, value: str) -> JsonObject:
    return {"identifier": {"system": system, "value": value}}


def _text(text: LocalizedText | None, language: str) -> str | None:
    if text is None:
        return None
    return text.get(language, fallback=True) or text.get("nl") or text.get("en")


def _integer_set(response_set: NumericResponseSet) -> bool:
    return all(is_whole(v) for v in (response_set.min, response_set.max, response_set.step))


def _answer(instrument: Instrument, item: Item, value: Fraction, language: str) -> JsonObject:
    response_set = instrument.response_set(item.response_set)
    if isinstance(response_set, OptionsResponseSet):
        for option in response_set.options:
            if Fraction(option.value) == value:
                code = number_code(option.value)
                return {
                    "valueCoding": {
                        "extension": [
                            {"url": ORDINAL_VALUE, "valueDecimal": json_number(option.value)}
                        ],
                        "system": response_set_system(instrument.code, response_set.id),
                        "code": code,
                        "display": _text(option.label, language) or code,
                    }
                }
        raise ValueError(f"{item.id}: {fmt(value)} is not one of the options")
    if _integer_set(response_set):
        if value.denominator != 1:
            raise ValueError(f"{item.id}: {fmt(value)} is not a whole number")
        return {"valueInteger": int(value)}
    return {"valueDecimal": json_number(value)}


def _not_applicable_answer(item: Item, language: str) -> JsonObject:
    if not is_sex_dependent(item):
        raise ValueError(
            f"{item.id}: applies to every respondent, cannot be marked as not applying"
        )
    return {
        "valueCoding": {
            "system": DATA_ABSENT_REASON_SYSTEM,
            "code": NOT_APPLICABLE_CODE,
            "display": _text(not_applicable_text(), language) or NOT_APPLICABLE_CODE,
        }
    }


def _is_not_applicable(answer: Mapping[str, Any]) -> bool:
    coding = answer.get("valueCoding")
    return (
        isinstance(coding, Mapping)
        and coding.get("system") == DATA_ABSENT_REASON_SYSTEM
        and coding.get("code") == NOT_APPLICABLE_CODE
    )


def questionnaire_response_not_applicable(
    resource: Mapping[str, Any], instrument: Instrument
) -> frozenset[str]:
    """The items of ``instrument`` answered ``data-absent-reason#not-applicable``: marked
    as not applying (for the core's ``Respondent.declared_not_applicable``). Whether the
    mark is allowed for this respondent is the core's check."""
    return frozenset(
        str(item.get("linkId"))
        for _, item in _walk(resource.get("item"), "QuestionnaireResponse")
        if instrument.has_item(str(item.get("linkId")))
        and any(
            isinstance(answer, Mapping) and _is_not_applicable(answer)
            for answer in item.get("answer") or []
        )
    )


def response_to_questionnaire_response(
    instrument: Instrument,
    answers: Mapping[str, Decimal | Fraction | int | None],
    *,
    status: ResponseStatus = "completed",
    resource_id: str | None = None,
    assignment_id: str | None = None,
    subject_id: str | None = None,
    authored: datetime | None = None,
    language: str = "nl",
    not_applicable: Collection[str] = (),
) -> JsonObject:
    """The answers (item id -> value; ``None`` = unanswered) as a QuestionnaireResponse;
    ``not_applicable`` are the items marked "Dit geldt niet voor mij".

    Items follow the instrument's order; unanswered items are left out. Raises
    ``ValueError`` for an unknown item or a value that is not an answer of its item.
    """
    base = base_language(language) or "nl"
    unknown = sorted(
        item_id for item_id in {*answers, *not_applicable} if not instrument.has_item(item_id)
    )
    if unknown:
        raise ValueError(f"not items of {instrument.code} {instrument.version}: {unknown}")
    items: list[JsonObject] = []
    for item in instrument.items:
        raw = answers.get(item.id)
        marked = item.id in not_applicable
        if raw is None and not marked:
            continue
        if raw is not None and marked:
            raise ValueError(f"{item.id}: answered, but also marked as not applying")
        entry: JsonObject = {"linkId": item.id}
        text = _text(item.text, base)
        if text is not None:
            entry["text"] = text
        if raw is None:
            entry["answer"] = [_not_applicable_answer(item, base)]
        else:
            entry["answer"] = [_answer(instrument, item, Fraction(raw), base)]
        items.append(entry)
    resource: JsonObject = {"resourceType": "QuestionnaireResponse"}
    if resource_id is not None:
        resource["id"] = resource_id
    resource["language"] = base
    if assignment_id is not None:
        resource["basedOn"] = [identifier_reference(ASSIGNMENT_IDENTIFIER_SYSTEM, assignment_id)]
    resource["questionnaire"] = f"{questionnaire_url(instrument.code)}|{instrument.version}"
    resource["status"] = status
    if subject_id is not None:
        resource["subject"] = identifier_reference(PATIENT_IDENTIFIER_SYSTEM, subject_id)
    if authored is not None:
        resource["authored"] = fhir_datetime(authored)
    if items:
        resource["item"] = items
    validate_resource(resource, "QuestionnaireResponse")
    return resource


# --------------------------------------------------------------------------- reading


def questionnaire_reference(resource: Mapping[str, Any]) -> tuple[str, str | None] | None:
    """(instrument code, version or None) named by ``QuestionnaireResponse.questionnaire``,
    or None when it is absent or not a Maatwerk Questionnaire."""
    canonical = resource.get("questionnaire")
    if not isinstance(canonical, str) or not canonical.startswith(QUESTIONNAIRE_URL_PREFIX):
        return None
    url, _, version = canonical.partition("|")
    code = url.removeprefix(QUESTIONNAIRE_URL_PREFIX)
    if not code or "/" in code:
        return None
    return code, version or None


def _identifiers(references: object, system: str) -> list[str]:
    values: list[str] = []
    for reference in references if isinstance(references, list) else [references]:
        if not isinstance(reference, Mapping):
            continue
        identifier = reference.get("identifier")
        if isinstance(identifier, Mapping) and identifier.get("system") == system:
            value = identifier.get("value")
            if isinstance(value, str):
                values.append(value)
    return values


def assignment_ids(resource: Mapping[str, Any]) -> list[str]:
    """The Maatwerk assignment ids in ``basedOn[].identifier`` (normally exactly one)."""
    return _identifiers(resource.get("basedOn"), ASSIGNMENT_IDENTIFIER_SYSTEM)


def subject_patient_ids(resource: Mapping[str, Any]) -> list[str]:
    """The Maatwerk patient id in ``subject.identifier``, if the subject is given that way."""
    return _identifiers(resource.get("subject"), PATIENT_IDENTIFIER_SYSTEM)


def _walk(items: object, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(location, item) of every item, nested ones (``item.item``, ``answer.item``) too."""
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        location = f"{path}.item[{index}]"
        yield location, item
        yield from _walk(item.get("item"), location)
        answers = item.get("answer")
        for answer_index, answer in enumerate(answers if isinstance(answers, list) else []):
            if isinstance(answer, Mapping):
                yield from _walk(answer.get("item"), f"{location}.answer[{answer_index}]")


class _Problem(Exception):
    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message


def _value_key(answer: Mapping[str, Any], location: str) -> str:
    keys = [key for key in answer if key.startswith("value")]
    if len(keys) != 1:
        raise _Problem(location, "an answer needs exactly one value[x]")
    return keys[0]


def _ordinal(coding: Mapping[str, Any], location: str) -> Decimal | None:
    for index, extension in enumerate(coding.get("extension") or []):
        if isinstance(extension, Mapping) and extension.get("url") == ORDINAL_VALUE:
            number = read_number(extension.get("valueDecimal"))
            if number is None:
                raise _Problem(
                    f"{location}.extension[{index}]", "ordinalValue needs a valueDecimal number"
                )
            return number
    return None


def _option_value(
    instrument: Instrument, response_set: OptionsResponseSet, answer: Mapping[str, Any], at: str
) -> Decimal:
    key = _value_key(answer, at)
    listed = ", ".join(number_code(v) for v in response_set.values())
    if key in ("valueInteger", "valueDecimal"):
        number = read_number(answer[key])
        if number is None or Fraction(number) not in response_set.exact_values:
            raise _Problem(f"{at}.{key}", f"{answer[key]!r} is not one of the options {listed}")
        return number
    if key != "valueCoding":
        raise _Problem(f"{at}.{key}", "expected valueCoding (or the option's value as a number)")
    coding = answer[key]
    location = f"{at}.valueCoding"
    system = coding.get("system")
    expected_system = response_set_system(instrument.code, response_set.id)
    if system is not None and system != expected_system:
        raise _Problem(f"{location}.system", f"{system!r} is not {expected_system!r}")
    code = coding.get("code")
    ordinal = _ordinal(coding, location)
    by_code = {number_code(v): v for v in response_set.values()}
    if code is not None:
        if code not in by_code:
            raise _Problem(f"{location}.code", f"{code!r} is not one of the options {listed}")
        value = by_code[code]
        if ordinal is not None and Fraction(ordinal) != Fraction(value):
            raise _Problem(
                f"{location}.extension",
                f"ordinalValue {number_code(ordinal)} contradicts the code {code!r}",
            )
        return value
    if ordinal is None:
        raise _Problem(location, "the Coding needs a code (or an ordinalValue extension)")
    if Fraction(ordinal) not in response_set.exact_values:
        raise _Problem(
            f"{location}.extension",
            f"ordinalValue {number_code(ordinal)} is not one of the options {listed}",
        )
    return ordinal


def _numeric_value(response_set: NumericResponseSet, answer: Mapping[str, Any], at: str) -> Decimal:
    key = _value_key(answer, at)
    if key not in ("valueInteger", "valueDecimal"):
        raise _Problem(f"{at}.{key}", "expected valueInteger or valueDecimal")
    number = read_number(answer[key])
    if number is None:
        raise _Problem(f"{at}.{key}", f"{answer[key]!r} is not a number")
    low, high, step = (Fraction(v) for v in (response_set.min, response_set.max, response_set.step))
    value = Fraction(number)
    if not low <= value <= high:
        raise _Problem(f"{at}.{key}", f"{fmt(value)} is outside {fmt(low)}-{fmt(high)}")
    if ((value - low) / step).denominator != 1:
        raise _Problem(
            f"{at}.{key}",
            f"{fmt(value)} is not {fmt(low)} plus a whole number of {fmt(step)} steps",
        )
    return number


def questionnaire_response_to_answers(
    resource: Mapping[str, Any], instrument: Instrument
) -> dict[str, Decimal]:
    """The answers in a QuestionnaireResponse to ``instrument``: item id -> exact value.

    Items without an answer are left out. Raises ``FhirMappingError`` listing every
    problem: invalid FHIR, a ``questionnaire`` naming another instrument or version,
    unknown link ids, items answered twice or with two answers, values that are no
    answer of their item.
    """
    problems = structure_problems(resource, "QuestionnaireResponse")
    if problems:
        raise FhirMappingError("invalid FHIR QuestionnaireResponse", problems)
    found: list[FhirProblem] = []
    named = questionnaire_reference(resource)
    if resource.get("questionnaire") is not None:
        if named is None or named[0] != instrument.code:
            found.append(
                FhirProblem(
                    "QuestionnaireResponse.questionnaire",
                    f"{resource.get('questionnaire')!r} is not the Questionnaire of "
                    f"{instrument.code} ({questionnaire_url(instrument.code)})",
                    "value",
                )
            )
        elif named[1] is not None and named[1] != instrument.version:
            found.append(
                FhirProblem(
                    "QuestionnaireResponse.questionnaire",
                    f"version {named[1]!r} is not {instrument.code}'s version {instrument.version}",
                    "value",
                )
            )
    values: dict[str, Decimal] = {}
    seen: dict[str, str] = {}
    for location, item in _walk(resource.get("item"), "QuestionnaireResponse"):
        link_id = str(item.get("linkId"))
        if link_id == INSTRUCTIONS_LINK_ID or link_id.startswith(SCORE_LINK_ID_PREFIX):
            continue
        if not instrument.has_item(link_id):
            found.append(
                FhirProblem(
                    f"{location}.linkId",
                    f"{link_id!r} is not an item of {instrument.code} {instrument.version}",
                    "value",
                )
            )
            continue
        if link_id in seen:
            found.append(
                FhirProblem(
                    f"{location}.linkId", f"{link_id!r} occurs twice (also at {seen[link_id]})"
                )
            )
            continue
        seen[link_id] = location
        answers = [a for a in item.get("answer") or [] if isinstance(a, Mapping)]
        if not answers:
            continue
        if len(answers) > 1:
            found.append(FhirProblem(f"{location}.answer", "one answer expected per item"))
            continue
        response_set = instrument.response_set(instrument.item(link_id).response_set)
        at = f"{location}.answer[0]"
        if _is_not_applicable(answers[0]):
            if not is_sex_dependent(instrument.item(link_id)):
                found.append(
                    FhirProblem(
                        f"{at}.valueCoding",
                        f"{link_id!r} applies to every respondent; it cannot be marked as "
                        "not applying",
                        "value",
                    )
                )
            continue  # no value: listed by questionnaire_response_not_applicable
        try:
            if isinstance(response_set, OptionsResponseSet):
                values[link_id] = _option_value(instrument, response_set, answers[0], at)
            else:
                values[link_id] = _numeric_value(response_set, answers[0], at)
        except _Problem as problem:
            found.append(FhirProblem(problem.location, problem.message, "value"))
    if found:
        raise FhirMappingError(
            f"cannot read the answers to {instrument.code} {instrument.version}", tuple(found)
        )
    return values
