"""Forms of the organization admin. Parsing only: the service checks the choice again
inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from maatwerk.web.orgadmin.services import BACKUP_NOT_A_CLINICIAN_OF_TEAM
from maatwerk.web.organizations.models import Membership

if TYPE_CHECKING:
    MembershipChoiceField = forms.ModelChoiceField[Membership]
else:  # Django's field is not subscriptable at run time
    MembershipChoiceField = forms.ModelChoiceField


class CandidateField(MembershipChoiceField):
    """A clinician shown by name and discipline, so two namesakes can be told apart."""

    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.get_discipline_display()})"


class BackupClinicianForm(forms.Form):
    """The team's backup clinician: one of the team's active clinicians, or none."""

    backup = CandidateField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label=gettext_lazy("No backup clinician"),
        label=gettext_lazy("Backup clinician"),
        error_messages={"invalid_choice": BACKUP_NOT_A_CLINICIAN_OF_TEAM},
    )

    def __init__(
        self,
        data: QueryDict | None,
        *,
        candidates: QuerySet[Membership],
        initial: dict[str, object] | None = None,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, initial=initial, auto_id=auto_id)
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


class InstrumentUploadForm(forms.Form):
    """One of the two uploads of the instruments page: licensed texts (``texts``) or,
    with ``form=questionnaire``, a FHIR Questionnaire (``questionnaire``)."""

    form = forms.ChoiceField(
        choices=[("texts", "texts"), ("questionnaire", "questionnaire")], required=False
    )
    texts = forms.FileField(label=gettext_lazy("JSON file with the licensed texts"), required=False)
    questionnaire = forms.FileField(label=gettext_lazy("FHIR Questionnaire (JSON)"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["form"] = data.get("form") or "texts"
        if data["form"] == "questionnaire" and data.get("questionnaire") is None:
            self.add_error(
                "questionnaire", gettext_lazy("Choose a file with a FHIR Questionnaire.")
            )
        elif data["form"] == "texts" and data.get("texts") is None:
            self.add_error("texts", gettext_lazy("Choose a file with licensed texts."))
        return data

    def is_questionnaire(self) -> bool:
        """Which section of the page the upload (and its errors) belongs to."""
        return str(self["form"].value()) == "questionnaire"
