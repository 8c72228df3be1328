"""Forms of the organization admin. Parsing only: the service checks the choice again
inside its transaction."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from maatwerk.web.orgadmin.services import BACKUP_NOT_A_CLINICIAN_OF_TEAM
from maatwerk.web.organizations.models import Membership


class CandidateField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A clinician shown by name and discipline, so two namesakes can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        membership = cast(Membership, obj)
        return f"{membership.user.full_name} ({membership.get_discipline_display()})"


class BackupClinicianForm(forms.Form):
    """The team's backup clinician: one of the team's active clinicians, or none."""

    backup = CandidateField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label=gettext_lazy("No backup clinician"),
        label=gettext_lazy("Backup clinician"),
        error_messages={"invalid_choice": BACKUP_NOT_A_CLINICIAN_OF_TEAM},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CandidateField, self.fields["backup"]).queryset = candidates


class DashboardSearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False)


class EmergencyReviewForm(forms.Form):
    """The admin's note on a reviewed emergency access (optional)."""

    note = forms.CharField(
        label=gettext_lazy("Review note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
