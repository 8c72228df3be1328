"""Golden tests for the PHQ-9, GAD-7 and PHQ-15, worked out by hand.

Rules: PHQ-9 sum of items 1-9 (0-27), item 10 not scored, bands at 5/10/15/20, cut-off
>= 10 (kroenke-2001); GAD-7 sum 0-21, bands 5/10/15, cut-off >= 10 (spitzer-2006); PHQ-15
items 0-2, item 4 women only (men max 28), bands 5/10/15 low/medium/high (kroenke-2002),
>= 3 items scored 2 (kroenke-2010). All three: complete_only (camcops-phq9, camcops-gad7,
camcops-phq15).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.core.instruments.errors import InvalidResponse
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, ScaleScore, score_response

WOMAN = Respondent(sex="female")
MAN = Respondent(sex="male")


def items(prefix: str, *values: int | None) -> dict[str, int | None]:
    return {f"{prefix}_{n}": value for n, value in enumerate(values, start=1)}


def spread(total: int, n_items: int, item_max: int) -> list[int]:
    """``n_items`` answers summing to ``total``, filled from the first (11 -> 3, 3, 3, 2, 0...)."""
    answers = []
    for _ in range(n_items):
        answers.append(min(item_max, total))
        total -= answers[-1]
    assert total == 0
    return answers


def band_en(score: ScaleScore) -> str | None:
    return score.band_label("en")


class TestPhq9:
    def test_all_minimum(self) -> None:
        result = score_response(get_instrument("phq9"), items("phq9", *[0] * 9), respondent=WOMAN)
        total = result.scale("total")
        assert total.value == 0  # 9 x 0
        assert band_en(total) == "minimal"
        assert total.band is not None and total.band.unverified  # the word: a form copy
        assert total.band_label("nl") == "minimaal"
        assert total.cutoffs_met == ()
        assert result.safety_flags == ()

    def test_versions_before_1_2_label_0_to_4_none_and_keep_it(self) -> None:
        # Stored results keep their version: 1.0 and 1.1 still say CamCOPS's "none".
        for version in ("1.0", "1.1"):
            result = score_response(
                get_instrument("phq9", version), items("phq9", *[0] * 9), respondent=WOMAN
            )
            assert band_en(result.scale("total")) == "none"

    def test_all_maximum(self) -> None:
        answers = items("phq9", *[3] * 9) | {"phq9_10": 3}
        result = score_response(get_instrument("phq9"), answers, respondent=MAN)
        total = result.scale("total")
        assert total.value == 27  # 9 x 3; item 10 is not scored
        assert band_en(total) == "severe"
        assert [c.id for c in total.cutoffs_met] == ["major_depression"]
        assert [flag.rule_id for flag in result.safety_flags] == ["phq9_item9_self_harm"]

    def test_realistic_mixed_case(self) -> None:
        answers = items("phq9", 2, 1, 3, 2, 0, 1, 2, 0, 0) | {"phq9_10": 1}
        result = score_response(get_instrument("phq9"), answers, respondent=WOMAN)
        total = result.scale("total")
        assert total.value == 11  # 2 + 1 + 3 + 2 + 0 + 1 + 2 + 0 + 0
        assert band_en(total) == "moderate"  # 10-14
        assert total.band is not None and total.band.source == "kroenke-2001"
        assert [c.id for c in total.cutoffs_met] == ["major_depression"]  # 11 >= 10
        assert result.safety_flags == ()  # item 9 = 0
        assert total.explanation.text_en.startswith(
            "PHQ-9 total score: The sum of 9 items is 11 (possible range 0–27)."
        )
        assert "Categorie: matig (10–14)" in total.explanation.text_nl
        assert "Cut-off met: ≥ 10, possible major depression" in total.explanation.text_en

    @pytest.mark.parametrize(
        ("total", "band"),
        [
            (4, "minimal"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "moderately severe"),
            (19, "moderately severe"),
            (20, "severe"),
        ],
    )
    def test_band_edges(self, total: int, band: str) -> None:
        answers = items("phq9", *spread(total, 8, 3), 0)
        scale = score_response(get_instrument("phq9"), answers, respondent=WOMAN).scale("total")
        assert scale.value == total
        assert band_en(scale) == band
        assert bool(scale.cutoffs_met) == (total >= 10)

    def test_item_10_does_not_change_the_total(self) -> None:
        instrument = get_instrument("phq9")
        base = items("phq9", 1, 1, 1, 1, 1, 1, 1, 1, 0)
        for difficulty in (None, 0, 3):
            result = score_response(instrument, base | {"phq9_10": difficulty}, respondent=MAN)
            assert result.scale("total").value == 8

    def test_one_missing_item_means_no_total(self) -> None:
        answers = items("phq9", 2, 1, None, 2, 0, 1, 2, 0, 0)
        result = score_response(get_instrument("phq9"), answers, respondent=WOMAN)
        total = result.scale("total")
        assert total.value is None
        assert total.explanation.items_missing == ("phq9_3",)
        assert result.safety_flags == ()

    @pytest.mark.parametrize("item9", [1, 2, 3])
    def test_item_9_above_zero_raises_an_urgent_flag(self, item9: int) -> None:
        answers = items("phq9", 0, 0, 0, 0, 0, 0, 0, 0, item9)
        result = score_response(get_instrument("phq9"), answers, respondent=WOMAN)
        [flag] = result.safety_flags
        assert (flag.item_id, flag.answer, flag.severity) == ("phq9_9", item9, "urgent")
        patient_nl = flag.patient_message.get("nl") or ""
        assert "0800-0113" in patient_nl
        assert "112" in patient_nl
        assert "huisarts" in patient_nl

    def test_unanswered_item_9_is_reported(self) -> None:
        answers = items("phq9", 0, 0, 0, 0, 0, 0, 0, 0, None)
        result = score_response(get_instrument("phq9"), answers, respondent=WOMAN)
        assert result.safety_rules_not_evaluated == ("phq9_item9_self_harm",)

    def test_invalid_answers_are_all_reported(self) -> None:
        answers = items("phq9", 4, True, "1") | {"phq9_11": 0}
        with pytest.raises(InvalidResponse) as caught:
            score_response(get_instrument("phq9"), answers, respondent=WOMAN)
        found = [(p.item_id, p.code) for p in caught.value.problems]
        assert found == [
            ("phq9_1", "not_an_option"),
            ("phq9_2", "wrong_type"),
            ("phq9_3", "wrong_type"),
            ("phq9_11", "unknown_item"),
        ]

    def test_reliability_has_its_source(self) -> None:
        [alpha, _retest] = get_instrument("phq9").scale("total").reliability
        assert (alpha.kind, alpha.value, alpha.source) == (
            "cronbach_alpha",
            Decimal("0.89"),
            "kroenke-2001",
        )


class TestGad7:
    def test_all_minimum(self) -> None:
        total = score_response(
            get_instrument("gad7"), items("gad7", *[0] * 7), respondent=MAN
        ).scale("total")
        assert total.value == 0
        assert band_en(total) == "none"

    def test_all_maximum(self) -> None:
        total = score_response(
            get_instrument("gad7"), items("gad7", *[3] * 7), respondent=MAN
        ).scale("total")
        assert total.value == 21  # 7 x 3
        assert band_en(total) == "severe"
        assert [c.id for c in total.cutoffs_met] == ["generalized_anxiety_disorder"]

    def test_realistic_mixed_case(self) -> None:
        answers = items("gad7", 1, 2, 1, 0, 3, 2, 1)
        total = score_response(get_instrument("gad7"), answers, respondent=WOMAN).scale("total")
        assert total.value == 10  # 1 + 2 + 1 + 0 + 3 + 2 + 1
        assert band_en(total) == "moderate"
        assert [c.id for c in total.cutoffs_met] == ["generalized_anxiety_disorder"]

    @pytest.mark.parametrize(
        ("total", "band"), [(4, "none"), (5, "mild"), (9, "mild"), (14, "moderate"), (15, "severe")]
    )
    def test_band_edges(self, total: int, band: str) -> None:
        answers = items("gad7", *spread(total, 7, 3))
        scale = score_response(get_instrument("gad7"), answers, respondent=WOMAN).scale("total")
        assert band_en(scale) == band

    def test_lowest_anchor_is_not_at_all(self) -> None:
        # "Not at all", never "Not at all sure" (camcops-gad7-docs, after Zorowitz et al. 2021).
        instrument = get_instrument("gad7")
        response_set = instrument.response_set(instrument.item("gad7_1").response_set)
        assert response_set.kind == "options"
        first = response_set.options[0]
        assert first.value == 0
        assert first.label is not None and first.label.get("en") == "Not at all"

    def test_norms_and_reliability_from_loewe_2008(self) -> None:
        scale = get_instrument("gad7", "1.0").scale("total")
        assert [(r.kind, r.value) for r in scale.reliability] == [
            ("cronbach_alpha", Decimal("0.89"))
        ]
        norms = {norm.sex: (norm.mean, norm.sd, norm.source) for norm in scale.norms}
        assert norms == {
            "female": (Decimal("3.2"), Decimal("3.5"), "loewe-2008"),
            "male": (Decimal("2.7"), Decimal("3.2"), "loewe-2008"),
        }

    def test_version_1_1_has_one_norm_for_everyone_with_the_larger_sd(self) -> None:
        # Löwe 2008: women 3.2 (3.5), men 2.7 (3.2); 1.1 keeps only SD 3.5, for everyone.
        scale = get_instrument("gad7", "1.1").scale("total")
        assert [(n.sex, n.sd, n.source) for n in scale.norms] == [
            (None, Decimal("3.5"), "loewe-2008")
        ]
        assert scale.reliability[0].value == Decimal("0.89")

    def test_version_1_1_scores_as_1_0(self) -> None:
        answers = items("gad7", 3, 2, 1, 0, 3, 2, 1)
        old = score_response(get_instrument("gad7", "1.0"), answers, respondent=MAN)
        new = score_response(get_instrument("gad7", "1.1"), answers, respondent=MAN)
        assert old.scale("total").value == new.scale("total").value == 12


class TestPhq15:
    def test_all_minimum(self) -> None:
        total = score_response(get_instrument("phq15"), items("phq15", *[0] * 15), respondent=WOMAN)
        assert total.scale("total").value == 0
        assert band_en(total.scale("total")) == "none"

    def test_all_maximum_for_a_woman_is_30(self) -> None:
        result = score_response(
            get_instrument("phq15"), items("phq15", *[2] * 15), respondent=WOMAN
        )
        total = result.scale("total")
        assert total.value == 30  # 15 x 2
        assert (total.range_min, total.range_max) == (0, 30)
        assert band_en(total) == "high"
        assert result.scale("items_scored_2").value == 15

    def test_all_maximum_for_a_man_is_28(self) -> None:
        answers = items("phq15", *[2] * 15) | {"phq15_4": None}
        result = score_response(get_instrument("phq15"), answers, respondent=MAN)
        total = result.scale("total")
        assert total.value == 28  # 14 x 2: item 4 does not apply to men
        assert (total.range_min, total.range_max) == (0, 28)
        assert total.explanation.items_not_applicable == ("phq15_4",)
        assert "possible range becomes 0–28" in total.explanation.text_en
        assert result.scale("items_scored_2").range_max == 14

    def test_realistic_mixed_case_for_a_woman(self) -> None:
        answers = items("phq15", 1, 0, 2, 1, 2, 0, 1, 0, 0, 1, 0, 2, 1, 2, 2)
        result = score_response(get_instrument("phq15"), answers, respondent=WOMAN)
        # 1+0+2+1+2+0+1+0+0+1+0+2+1+2+2 = 15 -> "high" (15-30)
        assert result.scale("total").value == 15
        assert band_en(result.scale("total")) == "high"
        # scored 2: items 3, 5, 12, 14, 15 -> 5 >= 3
        count = result.scale("items_scored_2")
        assert count.value == 5
        assert [c.id for c in count.cutoffs_met] == ["somatoform_disorder"]
        steps = {t.item_id: (t.answer, t.used) for t in count.explanation.transformations}
        assert steps["phq15_3"] == (2, 1)
        assert steps["phq15_1"] == (1, 0)

    def test_same_answers_for_a_man(self) -> None:
        answers = items("phq15", 1, 0, 2, None, 2, 0, 1, 0, 0, 1, 0, 2, 1, 2, 2)
        result = score_response(get_instrument("phq15"), answers, respondent=MAN)
        assert result.scale("total").value == 14  # 15 - item 4 (1) -> "medium" (10-14)
        assert band_en(result.scale("total")) == "medium"

    def test_a_man_cannot_answer_item_4(self) -> None:
        answers = items("phq15", *[0] * 15)
        with pytest.raises(InvalidResponse) as caught:
            score_response(get_instrument("phq15"), answers, respondent=MAN)
        assert [(p.item_id, p.code) for p in caught.value.problems] == [
            ("phq15_4", "not_applicable")
        ]

    def test_sex_unknown_and_item_4_answered_counts_with_the_womens_range(self) -> None:
        # Sex not recorded (or neither female nor male): item 4 is asked; an answer means the
        # respondent says it applies, so it counts and the range is 0-30 (15 x 2).
        answers = items("phq15", *[1] * 15)
        total = score_response(get_instrument("phq15"), answers, respondent=Respondent())
        scale = total.scale("total")
        assert (scale.value, scale.range_min, scale.range_max) == (15, 0, 30)
        assert "phq15_4 (asked of one sex only) was answered, so it counts" in (
            scale.explanation.text_en
        )
        assert scale.explanation_dict()["items_decided_by_respondent"] == ["phq15_4"]

    def test_sex_unknown_and_item_4_marked_not_applying_scores_as_for_men(self) -> None:
        # 14 x 1 = 14, range 0-28 (item 4 left out), band "medium" (10-14).
        answers = items("phq15", *[1] * 15) | {"phq15_4": None}
        respondent = Respondent(declared_not_applicable=frozenset({"phq15_4"}))
        scale = score_response(get_instrument("phq15"), answers, respondent=respondent).scale(
            "total"
        )
        assert (scale.value, scale.range_min, scale.range_max) == (14, 0, 28)
        assert band_en(scale) == "medium"
        assert scale.explanation.items_not_applicable == ("phq15_4",)
        assert "was marked as not applying, so it is left out" in scale.explanation.text_en
        assert "niet van toepassing en weggelaten" in scale.explanation.text_nl

    def test_sex_unknown_and_item_4_neither_answered_nor_marked_is_missing(self) -> None:
        answers = items("phq15", *[1] * 15) | {"phq15_4": None}
        scale = score_response(get_instrument("phq15"), answers, respondent=Respondent()).scale(
            "total"
        )
        assert scale.value is None
        assert scale.explanation.items_missing == ("phq15_4",)
        assert "answer it, or mark it as not applying" in scale.explanation.text_en

    def test_the_sex_decides_when_it_is_known(self) -> None:
        answers = items("phq15", *[1] * 15) | {"phq15_4": None}
        marked = frozenset({"phq15_4"})
        with pytest.raises(InvalidResponse) as caught:
            score_response(
                get_instrument("phq15"),
                answers,
                respondent=Respondent(sex="female", declared_not_applicable=marked),
            )
        assert [(p.item_id, p.code) for p in caught.value.problems] == [
            ("phq15_4", "not_applicable")
        ]
        man = Respondent(sex="male", declared_not_applicable=marked)
        assert (
            score_response(get_instrument("phq15"), answers, respondent=man).scale("total").value
            == 14
        )

    def test_an_item_for_everyone_cannot_be_marked_not_applying(self) -> None:
        respondent = Respondent(declared_not_applicable=frozenset({"phq15_1"}))
        with pytest.raises(InvalidResponse, match="it applies to every respondent"):
            score_response(
                get_instrument("phq15"), items("phq15", *[1] * 15), respondent=respondent
            )

    def test_answered_and_marked_not_applying_is_a_contradiction(self) -> None:
        respondent = Respondent(declared_not_applicable=frozenset({"phq15_4"}))
        with pytest.raises(InvalidResponse, match="answered, but also marked as not applying"):
            score_response(
                get_instrument("phq15"), items("phq15", *[1] * 15), respondent=respondent
            )

    def test_a_woman_missing_item_4_gets_no_total(self) -> None:
        answers = items("phq15", *[1] * 15) | {"phq15_4": None}
        total = score_response(get_instrument("phq15"), answers, respondent=WOMAN).scale("total")
        assert total.value is None
        assert total.explanation.items_missing == ("phq15_4",)


# The Dutch PHQ-9 of awell-score (MIT; src/scores/phq_9/definition/phq_9_inputs.ts, commit
# 9482b1e), transcribed here independently of the data file, without the stem "Hoe vaak
# hebt u in de afgelopen 2 weken last gehad van" and without awell's stray "." in item 5.
AWELL_PHQ9_NL = {
    "phq9_1": "weinig interesse of plezier in activiteiten",
    "phq9_2": "u neerslachtig, depressief of wanhopig voelen",
    "phq9_3": "moeilijk inslapen, moeilijk doorslapen of te veel slapen",
    "phq9_4": "u moe voelen of gebrek aan energie hebben",
    "phq9_5": "weinig eetlust of overmatig eten",
    "phq9_6": "een slecht gevoel hebben over uzelf, het gevoel hebben dat u een mislukkeling "
    "bent of dat u zichzelf of uw familie teleurgesteld hebt",
    "phq9_7": "problemen om u te concentreren, bijvoorbeeld om de krant te lezen of om tv te "
    "kijken",
    "phq9_8": "zo traag bewegen of zo langzaam spreken dat andere mensen dit opgemerkt hebben? "
    "Of het tegenovergestelde: zo zenuwachtig of rusteloos zijn dat u veel meer bewoog dan "
    "gebruikelijk",
    "phq9_9": "de gedachte dat u beter dood zou kunnen zijn of de gedachte uzelf op een "
    "bepaalde manier pijn te doen",
}
AWELL_LABELS_NL = [
    "Helemaal niet",
    "Meerdere dagen",
    "Meer dan de helft van de dagen",
    "Bijna elke dag",
]


class TestPhq9DutchTexts:
    def test_items_1_to_9_are_the_published_dutch_text_with_its_provenance(self) -> None:
        instrument = get_instrument("phq9", "1.2")
        assert instrument.has_source("awell-phq9-nl")
        for item_id, published in AWELL_PHQ9_NL.items():
            text = instrument.item(item_id).text
            assert text is not None
            resolved = text.resolve("nl")
            assert resolved is not None and not resolved.unverified, item_id
            assert resolved.text == published[0].upper() + published[1:], item_id

    def test_the_answer_labels_are_the_published_ones(self) -> None:
        instrument = get_instrument("phq9", "1.2")
        options = instrument.response_set("frequency_0_3")
        assert options.kind == "options"
        labels = [option.label.resolve("nl") for option in options.options if option.label]
        assert [(label.text, label.unverified) for label in labels if label] == [
            (text, False) for text in AWELL_LABELS_NL
        ]

    def test_only_our_own_translation_keeps_the_unverified_mark(self) -> None:
        instrument = get_instrument("phq9", "1.2")
        item_10 = instrument.item("phq9_10").text
        assert item_10 is not None
        resolved = item_10.resolve("nl")
        assert resolved is not None and resolved.unverified  # no published Dutch item 10 read
        difficulty = instrument.response_set("difficulty_0_3")
        assert difficulty.kind == "options"
        assert all(
            (label := option.label) is not None
            and (nl := label.resolve("nl")) is not None
            and nl.unverified
            for option in difficulty.options
        )

    def test_earlier_versions_keep_their_texts(self) -> None:
        old = get_instrument("phq9", "1.1").item("phq9_2").text
        assert old is not None
        resolved = old.resolve("nl")
        assert resolved is not None and resolved.unverified
        assert resolved.text == "Je neerslachtig, depressief of hopeloos voelen"
