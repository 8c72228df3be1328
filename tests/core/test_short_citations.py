"""Source ids shown to people as short readable citations, and scales by their names."""

from __future__ import annotations

from maatwerk.core.bibliography import citations, short_citation
from maatwerk.core.instruments.registry import scale_label


def test_a_publication_is_cited_by_its_first_author_and_year() -> None:
    # "Olde Hartman TC, Blankenstein AH, ..." (NHG M102, 2013) and "Hoedeman. ..." (2014)
    assert short_citation("nhg-m102") == "Olde Hartman et al. (2013)"
    assert short_citation("hoedeman-2014") == "Hoedeman (2014)"
    assert short_citation("kroenke-2001") == "Kroenke et al. (2001)"


def test_a_source_without_authors_is_cited_by_its_opening_words() -> None:
    assert (
        short_citation("samenwerkingsafspraken-2016") == "Netwerk Kwaliteitsontwikkeling GGz (2016)"
    )
    long = short_citation("worldsupporter-nhg")
    assert long.endswith("…") and len(long) <= 61 and "worldsupporter-nhg" not in long


def test_citations_keep_order_and_drop_repeats() -> None:
    assert citations(["hoedeman-2014", "nhg-m102", "hoedeman-2014"]) == (
        "Hoedeman (2014); Olde Hartman et al. (2013)"
    )


def test_an_unknown_id_is_shown_as_it_is() -> None:
    assert short_citation("no-such-source") == "no-such-source"


def test_a_scale_is_named_never_shown_by_its_id() -> None:
    assert scale_label("phq15", "1.0", "items_scored_2", "nl") == (
        "PHQ-15 Aantal klachten met veel last (score 2)"
    )
    assert scale_label("phq9", "1.2", "total", "nl") == "PHQ-9 totaalscore"
    assert scale_label("nope", None, "total", "en") == "NOPE total"
