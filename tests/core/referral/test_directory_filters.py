"""The hard filters of the directory search: each filter that is set must pass; an
unset filter lets every provider through."""

from __future__ import annotations

from maatwerk.core.referral import ProviderFacts
from maatwerk.core.referral.directory_filters import DirectoryFilters, passes_filters

EVA = ProviderFacts(
    key="eva",
    name="Drs. Eva Domstad",
    disciplines=("gz_psycholoog",),
    expertise=("act", "cbt_pss"),
    modalities=("online",),
    languages=("nl",),
    waiting_weeks=4,
)
UNKNOWN_WAIT = ProviderFacts(
    key="fysio",
    name="Fysio Eem",
    disciplines=("fysiotherapeut",),
    expertise=(),
    modalities=(),
    languages=(),
)


def test_no_filter_lets_every_provider_through() -> None:
    assert passes_filters(EVA, region="", filters=DirectoryFilters())
    assert passes_filters(UNKNOWN_WAIT, region="", filters=DirectoryFilters())


def test_discipline_and_expertise_must_be_offered() -> None:
    assert passes_filters(EVA, region="", filters=DirectoryFilters(discipline="gz_psycholoog"))
    assert not passes_filters(EVA, region="", filters=DirectoryFilters(discipline="huisarts"))
    assert passes_filters(EVA, region="", filters=DirectoryFilters(expertise="cbt_pss"))
    assert not passes_filters(EVA, region="", filters=DirectoryFilters(expertise="emdr"))


def test_region_is_compared_without_case() -> None:
    filters = DirectoryFilters(region="utrecht")
    assert passes_filters(EVA, region="Utrecht", filters=filters)
    assert not passes_filters(EVA, region="Eemland", filters=filters)


def test_a_maximum_wait_includes_its_limit_and_excludes_an_unknown_wait() -> None:
    assert passes_filters(EVA, region="", filters=DirectoryFilters(max_waiting_weeks=4))
    assert not passes_filters(EVA, region="", filters=DirectoryFilters(max_waiting_weeks=3))
    assert not passes_filters(
        UNKNOWN_WAIT, region="", filters=DirectoryFilters(max_waiting_weeks=52)
    )
