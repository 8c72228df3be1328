"""Demo stand-in texts for the structure-only questionnaires (TSK, PCS, RAND-36, GSE).

Maatwerk ships only the structure and scoring of these questionnaires: the reference
material holds none of their item wording and no licence term that allows shipping it.
So that the chronic-pain battery can be tried end to end in the demo, the demo
organization's admin imports texts written for the demo through the same import as any
organization's licensed texts (``licensed_texts_import``). Every item, every answer label
and the instructions carry the stand-in mark, so no clinician or patient can mistake them
for the official wording. A real organization imports its licensed texts the same way,
in the organization admin's "Questionnaires" page.
"""

from __future__ import annotations

import json
from decimal import Decimal

from maatwerk.core.common.codec import JsonValue
from maatwerk.core.instruments.model import Instrument, OptionsResponseSet
from maatwerk.core.instruments.numbers import fmt
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.questionnaires.instruments import licensed_texts_import
from maatwerk.web.screening import services as screening_services
from maatwerk.web.screening.forms import assign_form

# The structure-only questionnaires of the chronic-pain battery, and the self-efficacy
# scale (GSE) that a clinician can assign as a self-management outcome.
PAIN_BATTERY_STAND_INS = ("tsk", "pcs", "rand36")
STAND_IN_INSTRUMENTS = (*PAIN_BATTERY_STAND_INS, "gse")

STAND_IN_MARK = {
    "nl": "[Demotekst — geen officiële vraagtekst]",
    "en": "[Demo text — not the official question wording]",
}
STAND_IN_HOLDER = "Gezondheidscentrum De Linde (demo) — geen licentie, vervangende demoteksten"
STAND_IN_STATEMENT = (
    "Demo stand-in texts written for the Maatwerk demo. They are NOT the licensed wording of "
    "the questionnaire and must never be used with patients. An organization imports the "
    "texts it is licensed to use in the same way."
)

# The patient chooses answers but their meaning is unknown here: only the stand-in number.
_INSTRUCTIONS: dict[str, JsonValue] = {
    "nl": (
        f"{STAND_IN_MARK['nl']} Dit is een demonstratie. De vragen hieronder zijn niet de "
        "echte vragen van deze vragenlijst, maar vervangende teksten. Je antwoorden zeggen "
        "daarom niets over jou. Kies bij elke vraag een antwoord om de vragenlijst uit te "
        "proberen."
    ),
    "en": (
        f"{STAND_IN_MARK['en']} This is a demonstration. The questions below are not the real "
        "questions of this questionnaire but stand-in texts, so your answers say nothing about "
        "you. Choose an answer to each question to try the questionnaire."
    ),
}


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def stand_in_text_set(instrument: Instrument) -> dict[str, JsonValue]:
    """A licensed-text document for ``instrument`` whose every text is a marked stand-in."""
    items: list[JsonValue] = [
        {
            "id": item.id,
            "text": {
                "nl": (
                    f"{STAND_IN_MARK['nl']} {instrument.short_name}, vraag {number}: hier staat "
                    "in een echte organisatie de vraagtekst waarvoor zij een licentie heeft."
                ),
                "en": (
                    f"{STAND_IN_MARK['en']} {instrument.short_name}, question {number}: a real "
                    "organization shows the question text it is licensed to use here."
                ),
            },
        }
        for number, item in enumerate(instrument.items, start=1)
    ]
    option_labels: list[JsonValue] = [
        {
            "response_set": response_set.id,
            "value": _json_number(option.value),
            "label": {
                "nl": f"[Demo] antwoord {fmt(option.value)}",
                "en": f"[Demo] answer {fmt(option.value)}",
            },
        }
        for response_set in instrument.response_sets
        if isinstance(response_set, OptionsResponseSet)
        for option in response_set.options
    ]
    return {
        "format": 1,
        "instrument": instrument.code,
        "version": instrument.version,
        "licence_holder": STAND_IN_HOLDER,
        "statement": STAND_IN_STATEMENT,
        "instructions": _INSTRUCTIONS,
        "items": items,
        "option_labels": option_labels,
    }


def demo_licensed_texts_load(*, organization: Organization, admin: User) -> int:
    """The demo organization's admin imports the stand-in texts; returns how many sets."""
    actor = actor_for_user(admin, access_point="cli demo")
    for code in STAND_IN_INSTRUMENTS:
        instrument = get_instrument(code)
        licensed_texts_import(
            actor=actor,
            organization=organization,
            content=json.dumps(stand_in_text_set(instrument), ensure_ascii=False).encode(),
            filename=f"demo-stand-in-{instrument.code}-{instrument.version}.json",
        )
    return len(STAND_IN_INSTRUMENTS)


PAIN_BATTERY_PATIENT = "Sophie Jansen"


def demo_pain_battery_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> None:
    """Sophie's GP follows the short screening with the chronic-pain battery; Sophie has
    not filled it in yet, so a demo visitor can complete it as her."""
    patient = patients[PAIN_BATTERY_PATIENT]
    actor = actor_for_user(clinicians["huisarts"], access_point="cli demo")
    access = open_patient(actor=actor, patient_id=str(patient.public_id), action="create")
    screening_services.screening_assign(
        actor=actor, access=access, form=assign_form(patient.organization_id, "chronic_pain")
    )
