"""Demo contact data and a safety plan.

Every demo patient gets a mobile number and a GP; the GP practice patients have the demo
organization's own huisarts. Lucas Peters, who answered PHQ-9 item 9 with 1, has a
complete safety plan (veiligheidsplan): made with his POH-GGZ (version 1), after which he
added a reason to live himself in the portal (version 2). Everything goes through the
services; the numbers, names and words are invented.
"""

from __future__ import annotations

from maatwerk.core.safety_plan import EntryInput, bundled_safety_plan_content
from maatwerk.web.accounts.models import User
from maatwerk.web.clinic.forms import PatientDetailsForm
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.patients.services import patient_details_update
from maatwerk.web.safetyplan.forms import SafetyPlanForm
from maatwerk.web.safetyplan.selectors import OBJECT_SAFETY_PLAN
from maatwerk.web.safetyplan.services import safety_plan_save

SAFETY_PLAN_PATIENT = "Lucas Peters"

# Invented numbers in the formats people write them; the service stores them in E.164.
CONTACT = {
    "Sophie Jansen": ("06-12345601", "030-2345601"),
    "Henk Bos": ("06-12345602", ""),
    "Yasmina Ouali": ("+31 6 1234 5603", ""),
    "Kees van Dijk": ("06 1234 5604", "030-2345604"),
    "Marieke Hendriks": ("06-12345605", ""),
    "Lucas Peters": ("06-12345606", ""),
    "Anouk Willems": ("06-12345607", ""),
    "Ahmet Yilmaz": ("+32 470 12 34 08", ""),
    "Eva de Graaf": ("06-12345609", ""),
    "Bram Smits": ("06-12345610", "030-2345610"),
}
OWN_PRACTICE = ("Dr. Anna de Vries", "Huisartsenpraktijk De Linde", "030-2345600")
# The GP of the patients treated in the GGZ team: a GP outside the demo organization,
# never one of its own clinicians of another profession.
OTHER_PRACTICE = ("Dr. Hanna Kuipers", "Huisartsenpraktijk Oudwijk", "030-2345699")

CLINICIAN_PLAN = {
    "warning_signs": [
        EntryInput("Ik lig 's nachts wakker en pieker over mijn hart"),
        EntryInput("Ik zeg afspraken met vrienden af"),
        EntryInput("Ik denk: het wordt nooit meer beter"),
    ],
    "coping": [
        EntryInput("Een rondje lopen in het park"),
        EntryInput("Een ademhalingsoefening doen"),
        EntryInput("Muziek luisteren met een koptelefoon"),
    ],
    "distraction": [
        EntryInput("Koffie drinken bij mijn buurman Ruud", "06-12345690"),
        EntryInput("De sportschool aan de Amsterdamsestraatweg"),
    ],
    "help_people": [
        EntryInput("Mijn zus Lotte", "06-12345691"),
        EntryInput("Mijn vriend Jeroen", "06-12345692"),
    ],
    "professionals": [
        EntryInput("Mark Jansen, POH-GGZ (werkdagen)", "030-2345600"),
    ],
    "safe_environment": [
        EntryInput("Mijn slaappillen bewaart Lotte voor mij"),
        EntryInput("Geen alcohol in huis"),
    ],
    "reasons_to_live": [
        EntryInput("Mijn dochter Noor"),
    ],
}


def _form(plan: dict[str, list[EntryInput]], *, for_patient: bool = False) -> SafetyPlanForm:
    """The edit form as a person would post it: one row per entry, per section."""
    data: dict[str, str] = {}
    for section, entries in plan.items():
        for index, entry in enumerate(entries):
            data[f"{section}-{index}-text"] = entry.text
            data[f"{section}-{index}-phone"] = entry.phone
    return SafetyPlanForm(data, bundled_safety_plan_content(), for_patient=for_patient)


def _details(
    patient: Patient, mobile: str, landline: str, gp: tuple[str, str, str]
) -> PatientDetailsForm:
    return PatientDetailsForm(
        {
            "full_name": patient.full_name,
            "birth_year": str(patient.birth_year),
            "sex": patient.sex,
            "language": patient.language,
            "presenting_complaint": patient.presenting_complaint,
            "postcode": patient.postcode,
            "phone_mobile": mobile,
            "phone_landline": landline,
            "gp_name": gp[0],
            "gp_practice": gp[1],
            "gp_phone": gp[2],
        }
    )


# Marieke Hendriks: made with her CGT therapist in the consult in which she told of passive
# death wishes (the closed safety signal of the safety demo records that follow-up).
FOLLOW_UP_PLAN_PATIENT = "Marieke Hendriks"
FOLLOW_UP_PLAN = {
    "warning_signs": [
        EntryInput("Ik trek me terug en zeg afspraken af"),
        EntryInput("Ik denk: was ik er maar niet meer"),
    ],
    "coping": [
        EntryInput("Een stuk wandelen, ook als het kort is"),
        EntryInput("Een warme douche en daarna thee"),
    ],
    "distraction": [
        EntryInput("Bij mijn zus langsgaan"),
        EntryInput("Met mijn kleinzoon naar de speeltuin"),
    ],
    "help_people": [
        EntryInput("Mijn zus Ans", "06-12345693"),
    ],
    "professionals": [
        EntryInput("Mijn cognitief gedragstherapeut (werkdagen)", "030-2345600"),
    ],
    "safe_environment": [
        EntryInput("Mijn medicijnen bewaart mijn zus voor mij"),
    ],
    "reasons_to_live": [
        EntryInput("Mijn kinderen en mijn kleinzoon"),
        EntryInput("Weer gaan wandelen in de duinen"),
    ],
}


def demo_safety_plan_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> int:
    """Contact data for every demo patient and Lucas's safety plan; returns how many
    safety-plan versions were saved."""
    for name, (mobile, landline) in CONTACT.items():
        patient = patients.get(name)
        episode = patient.episodes.filter(status="active").first() if patient else None
        if patient is None or episode is None:
            continue
        coordinator = episode.care_team.get(is_coordinator=True).membership.user
        actor = actor_for_user(coordinator, access_point="cli demo")
        access = open_patient(actor=actor, patient_id=str(patient.public_id), action="update")
        gp = OWN_PRACTICE if episode.team.kind == "gp_practice" else OTHER_PRACTICE
        patient_details_update(
            actor=actor, access=access, form=_details(patient, mobile, landline, gp)
        )
    saved = 0
    marieke = patients.get(FOLLOW_UP_PLAN_PATIENT)
    if marieke is not None and "cgt" in clinicians:
        therapist = actor_for_user(clinicians["cgt"], access_point="cli demo")
        access = open_patient(
            actor=therapist,
            patient_id=str(marieke.public_id),
            action="update",
            object_type=OBJECT_SAFETY_PLAN,
        )
        if safety_plan_save(actor=therapist, access=access, form=_form(FOLLOW_UP_PLAN)):
            saved += 1
    lucas = patients.get(SAFETY_PLAN_PATIENT)
    if lucas is None or lucas.user is None:
        return saved
    clinician = actor_for_user(clinicians["poh"], access_point="cli demo")
    access = open_patient(
        actor=clinician,
        patient_id=str(lucas.public_id),
        action="update",
        object_type=OBJECT_SAFETY_PLAN,
    )
    if safety_plan_save(actor=clinician, access=access, form=_form(CLINICIAN_PLAN)):
        saved += 1
    patient_actor = actor_for_user(lucas.user, access_point="cli demo")
    own = open_patient(
        actor=patient_actor,
        patient_id=str(lucas.public_id),
        action="update",
        object_type=OBJECT_SAFETY_PLAN,
    )
    edited = {key: value for key, value in CLINICIAN_PLAN.items() if key != "professionals"}
    edited["reasons_to_live"] = [
        *CLINICIAN_PLAN["reasons_to_live"],
        EntryInput("Ooit weer met Noor naar de zee"),
    ]
    if safety_plan_save(actor=patient_actor, access=own, form=_form(edited, for_patient=True)):
        saved += 1
    return saved
