"""A small world of two organizations, three teams and one user per role.

Used by the authorization matrix and audit coverage tests, so every role's view of
the same patient is compared on the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client, RequestFactory
from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import IssuedInvitation, invitation_issue
from maatwerk.web.organizations.models import Membership, Organization, Team
from maatwerk.web.patients.models import CareEpisode, CareTeamMember, EmergencyAccess, Patient
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.questionnaires.models import Assignment, SafetyAlert, SafetyAlertEvent

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ROLES = (
    "anonymous",
    "patient_a",
    "patient_b",
    "clinician_treating",
    "clinician_other_team",
    "clinician_other_org",
    "team_lead",
    "researcher",
    "org_admin",
)


@dataclass
class World:
    org_a: Organization
    org_b: Organization
    team_treating: Team
    team_other: Team
    patient_a: Patient
    patient_b: Patient
    users: dict[str, User]
    memberships: dict[str, Membership]
    expired_grant: EmergencyAccess
    invitation: IssuedInvitation
    assignment: Assignment
    alert: SafetyAlert
    psk_set: MeasureSet
    clients: dict[str, Client] = field(default_factory=dict)

    def client_for(self, role: str) -> Client:
        if role not in self.clients:
            client = Client()
            if role != "anonymous":
                sign_in(client, self.users[role])
            self.clients[role] = client
        return self.clients[role]


def sign_in(client: Client, user: User) -> Client:
    """Log ``client`` in as ``user`` had they passed the whole login.

    ``force_login`` skips the password; a user with an authenticator also gets the
    second-factor record allauth writes after a valid TOTP code, because the platform
    refuses sessions without it (see ``test_accounts`` for the real login with a code).
    """
    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
        request.session.save()
    return client


def make_user(email: str, name: str, *, second_factor: bool = False) -> User:
    user = User.objects.create_user(email=email, password="a-long-test-password", full_name=name)
    if second_factor:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_membership(
    user: User,
    organization: Organization,
    role: str,
    team: Team | None = None,
    discipline: str = "",
) -> Membership:
    return Membership.objects.create(
        user=user, organization=organization, team=team, role=role, discipline=discipline
    )


def make_patient(
    organization: Organization, email: str, name: str, *, team: Team, clinicians: list[Membership]
) -> Patient:
    user = User.objects.create_user(email=email, password=None, full_name=name)
    patient = Patient.objects.create(
        organization=organization, user=user, full_name=name, birth_year=1980, sex="female"
    )
    episode = CareEpisode.objects.create(patient=patient, team=team, condition="chronic pain")
    for clinician in clinicians:
        CareTeamMember.objects.create(episode=episode, membership=clinician)
    return patient


def open_item9_alert(
    assignment: Assignment, *, raised_at: datetime, pick_up_deadline: datetime, **evidence: str
) -> SafetyAlert:
    """An open signal from an answer above 0 on PHQ-9 item 9 of ``assignment``, as the
    questionnaire raises it (with its "open" event)."""
    alert = SafetyAlert.objects.create(
        patient=assignment.patient,
        assignment=assignment,
        rule_id="phq9_item9_self_harm",
        severity="urgent",
        message="PHQ-9 item 9 answered above 0",
        raised_at=raised_at,
        pick_up_deadline=pick_up_deadline,
        **evidence,
    )
    SafetyAlertEvent.objects.create(alert=alert, status="open", at=alert.raised_at)
    return alert


def build_world() -> World:
    org_a = Organization.objects.create(name="Organization A")
    org_b = Organization.objects.create(name="Organization B")
    team_treating = Team.objects.create(organization=org_a, name="GP practice", kind="gp_practice")
    team_other = Team.objects.create(organization=org_a, name="Basic GGZ", kind="basis_ggz")
    team_b = Team.objects.create(organization=org_b, name="Elsewhere", kind="gp_practice")

    users = {
        "clinician_treating": make_user(
            "treating@a.test", "Treating Clinician", second_factor=True
        ),
        "clinician_other_team": make_user(
            "other@a.test", "Other-team Clinician", second_factor=True
        ),
        "clinician_other_org": make_user("other@b.test", "Other-org Clinician", second_factor=True),
        "team_lead": make_user("lead@a.test", "Team Lead", second_factor=True),
        "researcher": make_user("research@a.test", "Researcher", second_factor=True),
        "org_admin": make_user("admin@a.test", "Org Admin", second_factor=True),
    }
    memberships = {
        "clinician_treating": make_membership(
            users["clinician_treating"], org_a, "clinician", team_treating, "poh_ggz"
        ),
        "clinician_other_team": make_membership(
            users["clinician_other_team"], org_a, "clinician", team_other, "psycholoog"
        ),
        "clinician_other_org": make_membership(
            users["clinician_other_org"], org_b, "clinician", team_b, "huisarts"
        ),
        "team_lead": make_membership(users["team_lead"], org_a, "team_lead", team_treating),
        "researcher": make_membership(users["researcher"], org_a, "researcher"),
        "org_admin": make_membership(users["org_admin"], org_a, "organization_admin"),
    }
    patient_a = make_patient(
        org_a,
        "patient.a@a.test",
        "Patient Alpha",
        team=team_treating,
        clinicians=[memberships["clinician_treating"]],
    )
    patient_b = make_patient(
        org_a,
        "patient.b@a.test",
        "Patient Bravo",
        team=team_other,
        clinicians=[memberships["clinician_other_team"]],
    )
    assert patient_a.user is not None and patient_b.user is not None
    users["patient_a"] = patient_a.user
    users["patient_b"] = patient_b.user
    now = timezone.now()
    expired_grant = EmergencyAccess.objects.create(
        patient=patient_a,
        membership=memberships["clinician_other_team"],
        reason="Patient called in crisis during the weekend",
        granted_at=now - timedelta(hours=10),
        expires_at=now - timedelta(hours=6),
    )
    invitation = invitation_issue(user=patient_a.user, created_by=users["clinician_treating"])
    assignment = Assignment.objects.create(
        patient=patient_a,
        instrument_code="phq9",
        instrument_version=get_instrument("phq9").version,
        assigned_by=memberships["clinician_treating"],
    )
    earlier = Assignment.objects.create(
        patient=patient_a,
        instrument_code="phq9",
        instrument_version=get_instrument("phq9").version,
        assigned_by=memberships["clinician_treating"],
        status=Assignment.Status.COMPLETED,
        completed_at=now - timedelta(days=14),
    )
    alert = open_item9_alert(
        earlier,
        raised_at=now - timedelta(hours=1),
        pick_up_deadline=now + timedelta(hours=1),
        evidence_item="Gedachten dat je beter dood zou zijn of aan jezelf pijn zou doen",
        evidence_answer="1 – een aantal dagen",
    )
    psk_set = MeasureSet.objects.create(
        patient=patient_a, kind=MeasureSet.Kind.PSK, created_by=users["clinician_treating"]
    )
    for position, name in enumerate(["traplopen", "boodschappen doen", "fietsen"], start=1):
        MeasureItem.objects.create(measure_set=psk_set, position=position, name=name)
    return World(
        org_a=org_a,
        org_b=org_b,
        team_treating=team_treating,
        team_other=team_other,
        patient_a=patient_a,
        patient_b=patient_b,
        users=users,
        memberships=memberships,
        expired_grant=expired_grant,
        invitation=invitation,
        assignment=assignment,
        alert=alert,
        psk_set=psk_set,
    )
