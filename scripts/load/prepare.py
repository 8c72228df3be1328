"""Seed a load-test database and write the plan the locust users follow.

Run by ``scripts/load/run.py`` with the environment of the server under test (its
``DATABASE_URL`` and data directory). Creates one organization with ``--clinicians``
clinicians and ``--patients`` patients, each patient with an open PHQ-9 and an open
G-schema module, an EMA schedule with ``--ema-prompts`` open prompts (answered by the
``ema`` scenario: each answer uses up one prompt), and a signed-in session for every
user — staff sessions carry the second-factor record a real TOTP login leaves, so the
load does not measure the password hasher or trip the login throttle.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--clinicians", type=int, default=10)
    parser.add_argument("--ema-prompts", type=int, default=0, help="open EMA prompts per patient")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    from maatwerk.cli.main import _django, _manage

    _django()
    _manage("migrate", "--no-input", verbosity=0)
    plan = _seed(patients=args.patients, clinicians=args.clinicians, ema_prompts=args.ema_prompts)
    args.out.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    print(f"seeded {args.patients} patients and {args.clinicians} clinicians -> {args.out}")
    return 0


EMA_ITEMS = [{"key": "bank:pain"}, {"key": "bank:mood_down"}, {"key": "bank:where"}]


def _seed(*, patients: int, clinicians: int, ema_prompts: int) -> dict[str, object]:
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction
    from django.test import Client, RequestFactory
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from maatwerk.core.instruments.registry import get_instrument
    from maatwerk.core.modules.registry import bundled_catalogue
    from maatwerk.web.accounts.models import User
    from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
    from maatwerk.web.organizations.models import Membership, Organization, Team
    from maatwerk.web.patients.models import CareEpisode, CareTeamMember, Patient
    from maatwerk.web.questionnaires.models import Assignment
    from maatwerk.web.treatment.models import ModuleAssignment

    def session_for(user: User) -> dict[str, str]:
        client = Client()
        client.force_login(user)
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is not None:
            request = RequestFactory().get("/")
            request.session = client.session
            request.user = user
            record_authentication(
                request, user, "mfa", id=authenticator.pk, type=authenticator.type
            )
            request.session.save()
        # Django accepts the unmasked 32-character secret as token when cookie and header
        # carry the same value.
        return {"session": client.cookies["sessionid"].value, "csrf": get_random_string(32)}

    phq9 = get_instrument("phq9")
    g_schema = bundled_catalogue().module("g_schema")
    with transaction.atomic():
        organization = Organization.objects.create(name="Belastingtest")
        team = Team.objects.create(
            organization=organization, name="Huisartsenpraktijk", kind="gp_practice"
        )
        staff = []
        for number in range(clinicians):
            user = User.objects.create_user(
                email=f"poh{number}@load.test", password=None, full_name=f"POH {number}"
            )
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            staff.append(
                Membership.objects.create(
                    user=user,
                    organization=organization,
                    team=team,
                    role="clinician",
                    discipline="poh_ggz",
                )
            )
        seeded = []
        for number in range(patients):
            user = User.objects.create_user(
                email=f"patient{number}@load.test", password=None, full_name=f"Patiënt {number}"
            )
            patient = Patient.objects.create(
                organization=organization,
                user=user,
                full_name=f"Patiënt {number}",
                birth_year=1970 + number % 40,
                sex="female" if number % 2 else "male",
            )
            episode = CareEpisode.objects.create(
                patient=patient, team=team, condition="chronic pain"
            )
            clinician = staff[number % clinicians]
            CareTeamMember.objects.create(episode=episode, membership=clinician)
            questionnaire = Assignment.objects.create(
                patient=patient,
                instrument_code="phq9",
                instrument_version=phq9.version,
                assigned_by=clinician,
            )
            module = ModuleAssignment.objects.create(
                patient=patient,
                module_id="g_schema",
                module_version=g_schema.version,
                assigned_by=clinician,
            )
            seeded.append((patient, clinician, questionnaire, module))
        now = timezone.now()
        prompts_of: dict[int, list[str]] = {}
        for patient, *_rest in seeded if ema_prompts else ():
            schedule = MonitoringSchedule.objects.create(
                patient=patient,
                kind=MonitoringSchedule.Kind.EMA,
                items=EMA_ITEMS,
                channel=Channel.FILE,
                active=False,  # the prompts below exist already; nothing to materialize
            )
            created = Prompt.objects.bulk_create(
                Prompt(
                    schedule=schedule,
                    patient=patient,
                    kind=Prompt.Kind.EMA,
                    key=f"load:{n}",
                    due_at=now - timedelta(minutes=n + 1),
                    expires_at=now + timedelta(days=1),
                    state=PromptState.SENT,
                    channel=Channel.FILE,
                )
                for n in range(ema_prompts)
            )
            prompts_of[patient.pk] = [
                reverse("monitoring:answer", args=[prompt.public_id]) for prompt in created
            ]

    plan_patients = []
    for patient, _clinician, questionnaire, module in seeded:
        plan_patients.append(
            session_for(patient.user)
            | {
                "patient_id": str(patient.public_id),
                "assignment_id": str(questionnaire.public_id),
                "answer": reverse("questionnaires:answer", args=[questionnaire.public_id]),
                "items": [item.id for item in phq9.items],
                "ema_answers": prompts_of.get(patient.pk, []),
                "exercise_save": reverse(
                    "treatment:exercise_save", args=[module.public_id, "g_schema"]
                ),
            }
        )
    plan_clinicians = []
    for membership in staff:
        own = [p for p, c, _, _ in seeded if c == membership]
        plan_clinicians.append(
            session_for(membership.user)
            | {
                "dossiers": [reverse("clinic:patient_detail", args=[p.public_id]) for p in own],
                "results": [reverse("clinic:patient_results", args=[p.public_id]) for p in own],
            }
        )
    return {
        "caseload": reverse("clinic:caseload"),
        "health": reverse("health"),
        "patients": plan_patients,
        "clinicians": plan_clinicians,
    }


if __name__ == "__main__":
    sys.exit(main())
