"""The demo organization: two teams, clinicians of several disciplines, synthetic patients.

Every person here is invented. Later features add their demo data through
``demo_load`` so that `make demo` always shows the whole platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor, actor_for_user, system_actor
from maatwerk.web.demo.constants import DEMO_PASSWORD, DEMO_TOTP_SECRET
from maatwerk.web.demo.formulation import demo_formulation_load
from maatwerk.web.demo.licensed_texts import demo_licensed_texts_load, demo_pain_battery_load
from maatwerk.web.demo.monitoring import demo_monitoring_load
from maatwerk.web.demo.network import demo_network_load
from maatwerk.web.demo.personalized import demo_personalized_load
from maatwerk.web.demo.planning import demo_planning_load
from maatwerk.web.demo.providers import demo_providers_load
from maatwerk.web.demo.questionnaires import demo_questionnaires_load
from maatwerk.web.demo.safety import demo_safety_load
from maatwerk.web.demo.safety_plan import demo_safety_plan_load
from maatwerk.web.demo.screening import demo_screening_load
from maatwerk.web.demo.treatment import demo_treatment_load
from maatwerk.web.organizations.models import Discipline, Membership, Organization, Team
from maatwerk.web.patients.models import CareEpisode, CareTeamMember, Patient
from maatwerk.web.patients.opening import patient_subject

DEMO_ORGANIZATION = "Gezondheidscentrum De Linde (demo)"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


@dataclass(frozen=True)
class DemoSummary:
    existed: bool
    patients: int
    clinicians: int
    logins: tuple[DemoLogin, ...]


@dataclass(frozen=True)
class _Staff:
    key: str
    name: str
    email: str
    role: str
    discipline: str
    team: str | None
    label: str


STAFF = (
    _Staff(
        "huisarts",
        "Dr. Anna de Vries",
        "huisarts@demo.maatwerk.nl",
        "clinician",
        Discipline.HUISARTS,
        "gp",
        "huisarts",
    ),
    _Staff(
        "poh",
        "Mark Jansen",
        "poh-ggz@demo.maatwerk.nl",
        "clinician",
        Discipline.POH_GGZ,
        "gp",
        "POH-GGZ",
    ),
    _Staff(
        "fysio",
        "Pieter Bakker",
        "fysiotherapeut@demo.maatwerk.nl",
        "clinician",
        Discipline.FYSIOTHERAPEUT,
        "gp",
        "fysiotherapeut",
    ),
    _Staff(
        "gz",
        "Fatima El Amrani",
        "gz-psycholoog@demo.maatwerk.nl",
        "clinician",
        Discipline.GZ_PSYCHOLOOG,
        "ggz",
        "GZ-psycholoog",
    ),
    _Staff(
        "cgt",
        "Thomas Visser",
        "psycholoog@demo.maatwerk.nl",
        "clinician",
        Discipline.PSYCHOLOOG,
        "ggz",
        "psycholoog",
    ),
    _Staff(
        "lead",
        "Sanne de Boer",
        "kwaliteit@demo.maatwerk.nl",
        "team_lead",
        "",
        "ggz",
        "team lead / quality officer",
    ),
    _Staff(
        "research",
        "Dr. Jeroen Smit",
        "onderzoeker@demo.maatwerk.nl",
        "researcher",
        "",
        None,
        "researcher",
    ),
    _Staff(
        "admin",
        "Ellen Mulder",
        "beheer@demo.maatwerk.nl",
        "organization_admin",
        "",
        None,
        "organization admin",
    ),
)


@dataclass(frozen=True)
class _DemoPatient:
    name: str
    email: str
    birth_year: int
    sex: str
    complaint: str
    condition: str
    team: str
    care_team: tuple[str, ...]
    months_in_care: int


# Postcodes in PC4 areas of the demo gazetteer (demo/providers.py), so the referral
# search opened for these patients shows distances straight away.
DEMO_PATIENT_POSTCODES = {
    "Sophie Jansen": "3531KL",
    "Henk Bos": "3553BC",
    "Yasmina Ouali": "3527HM",
    "Kees van Dijk": "3581CD",
}

PATIENTS = (
    _DemoPatient(
        "Sophie Jansen",
        "sophie@demo.maatwerk.nl",
        1979,
        "female",
        "Rugpijn die al twee jaar niet overgaat",
        "chronische lage rugpijn",
        "gp",
        ("huisarts", "poh", "fysio"),
        4,
    ),
    _DemoPatient(
        "Henk Bos",
        "henk@demo.maatwerk.nl",
        1961,
        "male",
        "Altijd moe, ook na een nacht slapen",
        "chronische vermoeidheid (CVS)",
        "ggz",
        ("gz",),
        6,
    ),
    _DemoPatient(
        "Yasmina Ouali",
        "yasmina@demo.maatwerk.nl",
        1994,
        "female",
        "Buikpijn en een opgeblazen gevoel",
        "prikkelbaredarmsyndroom (PDS)",
        "gp",
        ("poh", "huisarts"),
        2,
    ),
    _DemoPatient(
        "Kees van Dijk",
        "kees@demo.maatwerk.nl",
        1956,
        "male",
        "Piepen in mijn oren waardoor ik slecht slaap",
        "tinnitus",
        "ggz",
        ("cgt",),
        3,
    ),
    _DemoPatient(
        "Marieke Hendriks",
        "marieke@demo.maatwerk.nl",
        1972,
        "female",
        "Pijnlijke, stijve gewrichten en somber",
        "reumatoïde artritis",
        "ggz",
        ("gz", "cgt"),
        8,
    ),
    _DemoPatient(
        "Lucas Peters",
        "lucas@demo.maatwerk.nl",
        1988,
        "male",
        "Pijn op de borst, cardioloog vond niets",
        "niet-cardiale pijn op de borst",
        "gp",
        ("huisarts", "poh"),
        1,
    ),
    _DemoPatient(
        "Anouk Willems",
        "anouk@demo.maatwerk.nl",
        1983,
        "female",
        "Pijn overal en slecht slapen",
        "fibromyalgie",
        "ggz",
        ("gz",),
        5,
    ),
    _DemoPatient(
        "Ahmet Yilmaz",
        "ahmet@demo.maatwerk.nl",
        1969,
        "male",
        "Moeite met leven met diabetes, vaak moe",
        "diabetes mellitus type 2",
        "gp",
        ("poh", "huisarts"),
        7,
    ),
    _DemoPatient(
        "Eva de Graaf",
        "eva@demo.maatwerk.nl",
        1990,
        "female",
        "Jeuk en schaamte over mijn huid",
        "psoriasis",
        "ggz",
        ("cgt",),
        3,
    ),
    _DemoPatient(
        "Bram Smits",
        "bram@demo.maatwerk.nl",
        2001,
        "male",
        "Spanningshoofdpijn bijna elke dag",
        "spanningshoofdpijn",
        "gp",
        ("huisarts",),
        2,
    ),
)


def _activate_demo_second_factor(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


@contextmanager
def _mail_kept_in_memory() -> Iterator[None]:
    """The demo data goes through the real services, which notify people by e-mail
    (new homework, messages, safety alerts). Those are fictional people: their mail is
    kept in memory instead of being printed over the demo logins or sent by SMTP."""
    configured = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = configured


def _demo_patient_create(
    *,
    actor: Actor,
    organization: Organization,
    item: _DemoPatient,
    team: Team,
    care_team: list[Membership],
    today: date,
) -> Patient:
    """One demo patient with an account and an episode in care: one audited creation."""
    with audited(actor=actor, action="create", subject=AuditSubject(object_type="patient")) as note:
        user = User.objects.create_user(
            email=item.email, password=DEMO_PASSWORD, full_name=item.name
        )
        patient = Patient.objects.create(
            organization=organization,
            user=user,
            full_name=item.name,
            birth_year=item.birth_year,
            sex=item.sex,
            language="nl",
            presenting_complaint=item.complaint,
            postcode=DEMO_PATIENT_POSTCODES.get(item.name, ""),
        )
        episode = CareEpisode.objects.create(
            patient=patient,
            team=team,
            condition=item.condition,
            start_date=today - timedelta(days=30 * item.months_in_care),
        )
        for position, membership in enumerate(care_team):
            CareTeamMember.objects.create(
                episode=episode, membership=membership, is_coordinator=position == 0
            )
        note.subject = patient_subject(patient)
        return patient


def demo_load() -> DemoSummary:
    """Create the demo organization once; running it again changes nothing."""
    logins = tuple(DemoLogin(s.label, s.email, s.name) for s in STAFF) + tuple(
        DemoLogin("patient", p.email, p.name) for p in PATIENTS[:2]
    )
    clinicians = sum(1 for s in STAFF if s.role == "clinician")
    if Organization.objects.filter(name=DEMO_ORGANIZATION).exists():
        return DemoSummary(True, len(PATIENTS), clinicians, logins)
    actor = system_actor("demo data loader")
    today = timezone.localdate()
    with _mail_kept_in_memory(), transaction.atomic():
        organization = Organization.objects.create(name=DEMO_ORGANIZATION, agb_code="")
        teams = {
            "gp": Team.objects.create(
                organization=organization,
                name="Huisartsenpraktijk De Linde",
                kind=Team.Kind.GP_PRACTICE,
            ),
            "ggz": Team.objects.create(
                organization=organization,
                name="Basis-GGZ De Linde",
                kind=Team.Kind.BASIC_MENTAL_HEALTH,
            ),
        }
        memberships: dict[str, Membership] = {}
        for staff in STAFF:
            user = User.objects.create_user(
                email=staff.email, password=DEMO_PASSWORD, full_name=staff.name
            )
            memberships[staff.key] = Membership.objects.create(
                user=user,
                organization=organization,
                team=teams[staff.team] if staff.team else None,
                role=staff.role,
                discipline=staff.discipline,
            )
            _activate_demo_second_factor(user)
        for item in PATIENTS:
            _demo_patient_create(
                actor=actor,
                organization=organization,
                item=item,
                team=teams[item.team],
                care_team=[memberships[key] for key in item.care_team],
                today=today,
            )
        # One closed episode: its former clinician no longer sees the patient.
        closed = CareEpisode.objects.create(
            patient=Patient.objects.get(full_name="Henk Bos"),
            team=teams["gp"],
            condition="vermoeidheid, verwezen naar basis-GGZ",
            start_date=date(today.year - 1, 1, 15),
            end_date=today - timedelta(days=30 * 6),
            status=CareEpisode.Status.CLOSED,
        )
        CareTeamMember.objects.create(episode=closed, membership=memberships["huisarts"])
        demo_patients = {p.full_name: p for p in Patient.objects.filter(organization=organization)}
        demo_questionnaires_load(actor=actor, patients=demo_patients)
        demo_personalized_load(
            patients=demo_patients,
            clinicians={key: membership.user for key, membership in memberships.items()},
        )
        demo_screening_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        demo_formulation_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        # Sophie's simulated diary and its network, beside her circle (issue 15).
        demo_network_load(
            patients=demo_patients,
            clinician=actor_for_user(memberships["poh"].user, access_point="cli demo"),
        )
        demo_providers_load(
            organization=organization,
            patients=demo_patients,
            clinicians={k: m.user for k, m in memberships.items()},
        )
        demo_treatment_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        demo_planning_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        demo_safety_plan_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        demo_safety_load(patients=demo_patients, memberships=memberships)
        # After the short screenings (which the demo completes without the pain
        # questionnaires): stand-in texts for TSK, PCS and RAND-36, then an open
        # chronic-pain battery that a demo visitor can fill in as the patient.
        demo_licensed_texts_load(organization=organization, admin=memberships["admin"].user)
        demo_pain_battery_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
        # Four weeks of daily-life questions and ROM, with notes on the charts (issue 14).
        demo_monitoring_load(
            patients=demo_patients, clinicians={k: m.user for k, m in memberships.items()}
        )
    return DemoSummary(False, len(PATIENTS), clinicians, logins)
