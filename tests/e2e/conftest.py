"""Browser tests: Debian's headless Chromium driving the app served by ``live_server``.

Every test gets a fresh browser context with a phone viewport and a Dutch browser
locale (most patients use the platform on a Dutch phone). Test data is made with the
ORM; the browser only does what a person would do.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses
# ORM calls from a thread with a running loop unless told that this is intended.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Never let Playwright fetch a browser: we use the distribution's Chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "nl-NL",
    "timezone_id": "Europe/Amsterdam",
}
DEFAULT_TIMEOUT_MS = 10_000

E2E_PASSWORD = "e2e-Wachtwoord-2026"
E2E_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# --- database ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the browser tests use a database *file*, as the demo and production do.

    The default in-memory test database is one connection shared by every thread of the
    live server, so two requests at once (an autosave still on its way when "Hand in"
    is pressed) would share one transaction state. With a file each thread has its own
    connection and SQLite's locking (IMMEDIATE transactions) serializes them, as in use.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("e2e-database") / "maatwerk-e2e.sqlite3"
        )


# --- browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; run 'make install' (Debian package chromium)."
        )
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(
    browser: Browser, live_server: Any, e2e_db: None
) -> Iterator[Callable[..., BrowserContext]]:
    """Open fresh browser contexts (separate cookies: a separate person) on a phone."""
    contexts: list[BrowserContext] = []

    def open_context(*, csp_enforced: bool = False) -> BrowserContext:
        # The app sends "Content-Security-Policy: script-src 'self'", under which the
        # browser refuses the axe-core script we inject (it is not served by the app).
        # bypass_csp=True lifts the policy in the contexts that run axe, instead of
        # weakening the app's policy for tests. Such a context would not notice a CSP
        # violation by the app itself, so test_session_and_access.py also drives a
        # context that enforces the policy (csp_enforced=True) and checks for none.
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=not csp_enforced, **PHONE
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


# --- accessibility ----------------------------------------------------------------------

_axe_source: str | None = None


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        if not AXE_PATH.exists():
            pytest.fail(
                f"axe-core is missing: {AXE_PATH} does not exist. Run 'make install' "
                "(it vendors axe-core from node_modules with scripts/vendor_assets.sh).",
                pytrace=False,
            )
        _axe_source = AXE_PATH.read_text(encoding="utf-8")
    return _axe_source


def assert_accessible(page: Page, label: str) -> None:
    """Run axe-core on the page and fail on every serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    problems = [
        f"  [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"      at {', '.join(map(str, node['target']))}" for node in v["nodes"])
        for v in results["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    if problems:
        pytest.fail(
            f"Accessibility violations on {label} ({page.url}):\n" + "\n".join(problems),
            pytrace=False,
        )


# --- test data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    full_name: str
    totp_secret: str = ""


_AUDIT_TRIGGERS = "maatwerk.web.audit.migrations.0002_append_only_triggers"


def _audit_triggers(connection: Any, *, present: bool) -> None:
    """Create or drop the append-only triggers of the audit table (audit migration 0002)."""
    triggers = importlib.import_module(_AUDIT_TRIGGERS)
    vendor = connection.vendor.upper()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'audit_event_no_%'"
            )
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_event_no_%'")
        exists = bool(cursor.fetchone()[0])
        if present and not exists:
            statements = getattr(triggers, f"{vendor}_FORWARD")
        elif not present:
            statements = getattr(triggers, f"{vendor}_BACKWARD")
        else:
            statements = []
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="module", autouse=True)
def _audit_triggers_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the audit triggers back when this module's tests are done (see below), so that
    later tests in the same run see the database exactly as the migrations made it."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        _audit_triggers(connection, present=True)


@pytest.fixture
def e2e_db(transactional_db: None) -> Iterator[None]:
    """The live server needs committed data, so the test database is emptied after each
    test by deleting every row. The audit table is append-only by database triggers,
    which would refuse that clean-up: they are in force during the test and lifted just
    before the clean-up."""
    from django.db import connection

    _audit_triggers(connection, present=True)
    yield
    _audit_triggers(connection, present=False)


@pytest.fixture
def make_clinician(e2e_db: None) -> Callable[..., Person]:
    """A clinician in a GP practice; with ``totp=True`` their authenticator is active."""
    from allauth.mfa.totp.internal.auth import TOTP

    from maatwerk.web.accounts.models import User
    from maatwerk.web.organizations.models import Discipline, Membership, Organization, Team

    def make(
        *,
        email: str = "huisarts@e2e.example",
        full_name: str = "Dr. Iris Vermeulen",
        totp: bool = True,
    ) -> Person:
        organization = Organization.objects.create(name=f"Praktijk {full_name}")
        team = Team.objects.create(
            organization=organization, name="Huisartsenpraktijk De Es", kind=Team.Kind.GP_PRACTICE
        )
        user = User.objects.create_user(email=email, password=E2E_PASSWORD, full_name=full_name)
        Membership.objects.create(
            user=user,
            organization=organization,
            team=team,
            role=Membership.RoleChoice.CLINICIAN,
            discipline=Discipline.HUISARTS,
        )
        if totp:
            TOTP.activate(user, E2E_TOTP_SECRET)
        return Person(email, E2E_PASSWORD, full_name, E2E_TOTP_SECRET if totp else "")

    return make


@pytest.fixture
def make_patient(e2e_db: None) -> Callable[..., Person]:
    """A patient who has already set a password (the invitation journey is tested in
    test_onboarding.py)."""
    from maatwerk.web.accounts.models import User
    from maatwerk.web.organizations.models import Organization
    from maatwerk.web.patients.models import Patient

    def make(*, email: str = "patient@e2e.example", full_name: str = "Noor Bakker") -> Person:
        organization = Organization.objects.create(name="Praktijk voor patiënten")
        user = User.objects.create_user(email=email, password=E2E_PASSWORD, full_name=full_name)
        Patient.objects.create(
            organization=organization,
            user=user,
            full_name=full_name,
            birth_year=1985,
            language="nl",
        )
        return Person(email, E2E_PASSWORD, full_name)

    return make


@pytest.fixture
def make_patient_in_care(e2e_db: None) -> Callable[..., Person]:
    """A patient (password already set) of a clinician made by ``make_clinician``: in the
    clinician's organization, with an active care episode in the clinician's team on which
    the clinician coordinates, as ``patient_register`` leaves it."""
    from maatwerk.web.accounts.models import User
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import CareEpisode, CareTeamMember, Patient

    def make(
        clinician: Person,
        *,
        email: str = "sanne.jansen@e2e.example",
        full_name: str = "Sanne Jansen",
        sex: str = "female",
    ) -> Person:
        membership = Membership.objects.select_related("organization", "team").get(
            user__email=clinician.email
        )
        user = User.objects.create_user(
            email=email, password=E2E_PASSWORD, full_name=full_name, language="nl"
        )
        patient = Patient.objects.create(
            organization=membership.organization,
            user=user,
            full_name=full_name,
            birth_year=1979,
            sex=sex,
            language="nl",
            presenting_complaint="Somber en moe",
        )
        episode = CareEpisode.objects.create(
            patient=patient, team=membership.team, condition="depressieve klachten"
        )
        CareTeamMember.objects.create(episode=episode, membership=membership, is_coordinator=True)
        return Person(email, E2E_PASSWORD, full_name)

    return make


# --- browser steps ----------------------------------------------------------------------


def fresh_totp(secret: str) -> str:
    """The current code, waiting for the next 30-second window if this one is nearly over
    (the server accepts only the current window)."""
    from maatwerk.core.totp import totp_now

    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_now(secret)


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def enter_totp(page: Page, secret: str) -> None:
    page.fill("input[name=code]", fresh_totp(secret))
    page.click("form[action$='/2fa/authenticate/'] button[type=submit]")
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.click("header form[action$='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state()


def record_phq9_course(
    actor: Any, patient: Any, membership: Any, course: tuple[tuple[int, int], ...]
) -> Any:
    """Completed PHQ-9s for ``patient``: one per (answer to items 1-8, days ago); item 9
    is answered 0. Returns the last assignment."""
    from datetime import timedelta

    from django.utils import timezone

    from maatwerk.core.instruments.registry import get_instrument
    from maatwerk.web.questionnaires.models import Assignment
    from maatwerk.web.questionnaires.services import assignment_record_completed

    assignment = None
    for per_item, days_ago in course:
        assignment = Assignment.objects.create(
            patient=patient,
            instrument_code="phq9",
            instrument_version=get_instrument("phq9").version,
            assigned_by=membership,
        )
        assignment_record_completed(
            actor=actor,
            assignment=assignment,
            answers={f"phq9_{n}": per_item if n != 9 else 0 for n in range(1, 10)},
            completed_at=timezone.now() - timedelta(days=days_ago),
        )
    return assignment
