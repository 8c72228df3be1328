"""Reading the personalized-measure pages: one audited ``read`` event per page."""

from __future__ import annotations

from contextlib import AbstractContextManager

from maatwerk.web.audit.audited import AuditNote, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized import presenters
from maatwerk.web.personalized.forms import GasForm, PskForm, RateForm, TopProblemsForm
from maatwerk.web.personalized.presenters import Language
from maatwerk.web.personalized.selectors import OBJECT_RESULTS, OBJECT_SET, OpenedSet


def _reading(
    actor: Actor, access: PatientAccess, detail: str, object_type: str = OBJECT_SET
) -> AbstractContextManager[AuditNote]:
    return audited(
        actor=actor,
        action="read",
        subject=access.subject(object_type=object_type),
        emergency=access.emergency,
        detail=detail,
    )


def overview_read(
    *, actor: Actor, access: PatientAccess, language: Language
) -> presenters.OverviewPage:
    """The patient's personal measures: what to fill in, and (clinician) what to set up."""
    with _reading(actor, access, "personal measures"):
        return presenters.overview_page(access, language)


def psk_form_read(*, actor: Actor, access: PatientAccess) -> presenters.PskPage:
    with _reading(actor, access, "new psk activities"):
        return presenters.psk_page(access, PskForm())


def top_problems_form_read(*, actor: Actor, access: PatientAccess) -> presenters.TopProblemsPage:
    with _reading(actor, access, "new top problems"):
        return presenters.top_problems_page(access, TopProblemsForm())


def gas_form_read(*, actor: Actor, access: PatientAccess) -> presenters.GasPage:
    with _reading(actor, access, "new gas goals"):
        return presenters.gas_page(access, GasForm())


def rate_read(*, actor: Actor, opened: OpenedSet, language: Language) -> presenters.RatePage:
    """The rating page of one set, with the previous scores."""
    with audited(
        actor=actor, action="read", subject=opened.subject(OBJECT_SET), emergency=opened.emergency
    ):
        return presenters.rate_page(opened, RateForm(opened=opened), language)


def results_read(
    *, actor: Actor, access: PatientAccess, language: Language
) -> presenters.ResultsPage:
    """Per measure a table: values, score and change since the first measurement."""
    with _reading(actor, access, "personal measures", OBJECT_RESULTS):
        return presenters.results_page(access, language)
