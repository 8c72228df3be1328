"""The personal network's "read with care" notes (issue 12): said in the clinician's
language with the variables' labels, never the estimator's English in the Dutch
interface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils.translation import override

from maatwerk.core.analysis.network_notes import NetworkNote, NoteKind, english_sentence
from maatwerk.core.analysis.network_problems import NetworkDataError, NetworkProblemKind
from maatwerk.web.analysis.models import NetworkEstimate
from maatwerk.web.analysis.notes import note_texts, problem_text
from maatwerk.web.demo.network import simulated_diary_csv
from tests.web.test_analysis_network import base, upload, with_circle
from tests.web.world import World

NOTES = [
    NetworkNote(NoteKind.FEW_OBSERVATIONS, pairs=49, variables=4, parameters=30),
    NetworkNote(NoteKind.NO_VARIATION, names=("pijn_score",)),
    NetworkNote(NoteKind.NOT_CONVERGED),
    NetworkNote(
        NoteKind.UNSTABLE_TEMPORAL_EDGE, names=("pijn_score", "bang"), share=0.4, resamples=200
    ),
    NetworkNote(
        NoteKind.UNSTABLE_CONTEMPORANEOUS_EDGE,
        names=("bang", "pijn_score"),
        share=0.25,
        resamples=200,
    ),
]
LABELS = {"pijn_score": "Pijn", "bang": "Bang"}


def stored(notes: list[NetworkNote]) -> dict[str, object]:
    return {"notes": [note.as_dict() for note in notes]}


def test_every_note_is_said_in_dutch_and_english_with_labels() -> None:
    with override("nl"):
        dutch = note_texts(stored(NOTES), LABELS)
    with override("en"):
        english = note_texts(stored(NOTES), LABELS)
    assert dutch[0].startswith("Weinig metingen: 49 bruikbare paren dagboekmomenten")
    assert dutch[1] == (
        "Geen variatie in de waarde op het vorige moment van “Pijn”: het effect daarvan op "
        "het volgende moment is niet te schatten."
    )
    assert dutch[3] == (
        "Instabiel verband “Pijn” → “Bang” (van het ene moment naar het volgende): "
        "aanwezig in 40% van 200 hersteekproeven."
    )
    assert english[4] == (
        "Unstable link “Bang” — “Pijn” (at the same moment): present in 25% of 200 resamples."
    )
    for sentence in dutch:
        # No variable id, nor the estimator's English, in the Dutch sentences.
        assert "pijn_score" not in sentence
        assert not any(english_sentence(note)[:20] in sentence for note in NOTES)
    assert len(set(dutch) & set(english)) == 0


def test_notes_round_trip_through_the_stored_result() -> None:
    for note in NOTES:
        assert NetworkNote.from_dict(note.as_dict()) == note
    with pytest.raises(ValueError):
        NetworkNote.from_dict({"kind": "made_up"})


def test_an_estimate_stored_with_english_sentences_only_asks_to_estimate_again() -> None:
    legacy = {"warnings": ["few observations: 49 usable beep pairs for 4 variables"]}
    with override("nl"):
        (line,) = note_texts(legacy, LABELS)
    assert line.startswith("Dit netwerk is geschat voordat")
    assert note_texts({"warnings": [], "stability": {"warnings": []}}, LABELS) == []


def test_the_network_page_shows_the_stored_notes_in_dutch(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with_circle(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(world, simulated_diary_csv()).status_code == 302
    estimate = NetworkEstimate.objects.get(patient=world.patient_a)
    assert estimate.result is not None
    # The real estimate keeps its notes as values beside the English sentences.
    assert isinstance(estimate.result["notes"], list)
    assert len(estimate.result["notes"]) == len(estimate.result["warnings"]) + len(
        estimate.result["stability"]["warnings"]
    )
    result = dict(estimate.result)
    result["notes"] = [NetworkNote(NoteKind.NOT_CONVERGED).as_dict()]
    NetworkEstimate.objects.filter(pk=estimate.pk).update(result=result)
    page = world.client_for("clinician_treating").get(base(world)).content.decode()
    assert "Lees met voorzichtigheid" in page
    assert "De schatting kwam binnen 100 rondes niet tot een stabiele uitkomst" in page
    assert "did not converge" not in page


PROBLEMS = [
    NetworkDataError(NetworkProblemKind.WRONG_SHAPE, variables=2, shape="(4, 3)"),
    NetworkDataError(NetworkProblemKind.DUPLICATE_VARIABLE),
    NetworkDataError(NetworkProblemKind.TOO_FEW_VARIABLES),
    NetworkDataError(NetworkProblemKind.MISSING_VALUES, names=("bang",), counts=(2,)),
    NetworkDataError(NetworkProblemKind.NOT_FINITE),
    NetworkDataError(NetworkProblemKind.TOO_FEW_ROWS, rows=2),
    NetworkDataError(NetworkProblemKind.CONSTANT_COLUMNS, names=("pijn_score",)),
    NetworkDataError(NetworkProblemKind.DAY_PER_ROW),
    NetworkDataError(NetworkProblemKind.BEEP_PER_ROW),
    NetworkDataError(NetworkProblemKind.DUPLICATE_BEEP, first=2, second=3),
    NetworkDataError(NetworkProblemKind.TOO_FEW_PAIRS, pairs=3, variables=4, needed=10),
    NetworkDataError(NetworkProblemKind.BAD_GAMMA),
    NetworkDataError(NetworkProblemKind.NO_VARIATION_USED, names=("bang", "pijn_score")),
    NetworkDataError(
        NetworkProblemKind.DEPENDENT_VARIABLES, names=("pijn_score",), others=("bang",)
    ),
    NetworkDataError(NetworkProblemKind.DEPENDENT_VARIABLES, names=(), others=()),
    NetworkDataError(NetworkProblemKind.NO_VALID_MODEL),
    NetworkDataError(NetworkProblemKind.NO_RESAMPLES),
]


def test_every_reason_a_network_fails_is_said_in_dutch_and_english_with_labels() -> None:
    assert {p.kind for p in PROBLEMS} == set(NetworkProblemKind)

    def said(problem: NetworkDataError, language: str) -> str:
        with override(language):
            return problem_text(problem.kind.value, problem.params_as_json(), LABELS)

    for problem in PROBLEMS:
        dutch, english = said(problem, "nl"), said(problem, "en")
        assert dutch and english and dutch != english, problem.kind
        # Neither the variable id nor the estimator's English in the Dutch sentence.
        assert "pijn_score" not in dutch and str(problem)[:20] not in dutch, problem.kind
    assert said(PROBLEMS[6], "nl") == (
        "Deze variabelen variëren niet (steeds hetzelfde antwoord): “Pijn”."
    )
    assert said(PROBLEMS[13], "en") == (
        "“Pijn” and “Bang” are the same up to scale. Leave out one of each pair."
    )
    # An estimate that failed before the reason was kept says only that it failed.
    assert problem_text("", {}, LABELS) == ""
