"""The NEN 7513 audit hash chain: canonical form, golden hash and chain verification."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.audit import (
    GENESIS_HASH,
    AuditRecord,
    ChainBreak,
    chain_hash,
    verify_chain,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CET = timezone(timedelta(hours=1))
FIELD_NAMES = tuple(field.name for field in dataclasses.fields(AuditRecord))


def make_record(sequence: int = 1, **changes: object) -> AuditRecord:
    values: dict[str, object] = {
        "sequence": sequence,
        "occurred_at": datetime(2025, 3, 14, 10, 30, tzinfo=CET),
        "user_ref": "user:17",
        "user_display": "Dr. A. de Vries",
        "role": "clinician",
        "on_behalf_of": "",
        "organization_ref": "org:3",
        "patient_ref": "patient:42",
        "object_type": "questionnaire_response",
        "object_ref": "qr:901",
        "action": "read",
        "outcome": "success",
        "access_point": "web:10.0.0.5",
        "emergency": False,
        "detail": "PHQ-9 geopend \N{EN DASH} dossier",
    }
    values.update(changes)
    return AuditRecord(**values)  # type: ignore[arg-type]


def build_chain(
    records: list[AuditRecord], start: str = GENESIS_HASH
) -> list[tuple[AuditRecord, str, str]]:
    """Store records the way the writer does: (record, previous hash, own hash)."""
    stored = []
    previous = start
    for record in records:
        current = chain_hash(previous, record)
        stored.append((record, previous, current))
        previous = current
    return stored


def fifty_records() -> list[AuditRecord]:
    start = datetime(2025, 1, 6, 8, 0, tzinfo=AMSTERDAM)
    return [
        make_record(
            sequence,
            occurred_at=start + timedelta(minutes=7 * sequence),
            object_ref=f"qr:{sequence}",
            action=("read", "update", "export")[sequence % 3],
            emergency=sequence % 10 == 0,
        )
        for sequence in range(1, 51)
    ]


# --- canonical form -------------------------------------------------------------------


def test_genesis_hash_is_sixty_four_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


def test_canonical_is_deterministic() -> None:
    record = make_record()

    assert record.canonical() == record.canonical()
    assert record.canonical() == make_record().canonical()


def test_canonical_hashes_every_field_of_the_record() -> None:
    # A field added to AuditRecord but left out of canonical() would not be protected.
    payload = json.loads(make_record().canonical())

    assert set(payload) == set(FIELD_NAMES)


@pytest.mark.parametrize(
    "occurred_at",
    [
        pytest.param(datetime(2025, 3, 14, 9, 30, tzinfo=UTC), id="utc"),
        pytest.param(datetime(2025, 3, 14, 10, 30, tzinfo=CET), id="fixed-plus-one"),
        pytest.param(datetime(2025, 3, 14, 10, 30, tzinfo=AMSTERDAM), id="amsterdam-winter"),
        pytest.param(
            datetime(2025, 3, 14, 4, 30, tzinfo=timezone(timedelta(hours=-5))), id="minus-five"
        ),
    ],
)
def test_same_instant_in_any_timezone_gives_the_same_canonical_form_and_hash(
    occurred_at: datetime,
) -> None:
    reference = make_record(occurred_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC))
    record = make_record(occurred_at=occurred_at)

    assert record.canonical() == reference.canonical()
    assert chain_hash(GENESIS_HASH, record) == chain_hash(GENESIS_HASH, reference)
    assert json.loads(record.canonical())["occurred_at"] == "2025-03-14T09:30:00.000000Z"


def test_canonical_time_keeps_microseconds() -> None:
    record = make_record(occurred_at=datetime(2025, 3, 14, 9, 30, 5, 120, tzinfo=UTC))

    assert json.loads(record.canonical())["occurred_at"] == "2025-03-14T09:30:05.000120Z"


def test_the_repeated_hour_at_the_end_of_summer_time_gives_two_distinct_instants() -> None:
    # 27 Oct 2024 02:30 happened twice in Amsterdam: first at +02:00, then at +01:00.
    first = make_record(occurred_at=datetime(2024, 10, 27, 2, 30, tzinfo=AMSTERDAM, fold=0))
    second = make_record(occurred_at=datetime(2024, 10, 27, 2, 30, tzinfo=AMSTERDAM, fold=1))

    assert json.loads(first.canonical())["occurred_at"] == "2024-10-27T00:30:00.000000Z"
    assert json.loads(second.canonical())["occurred_at"] == "2024-10-27T01:30:00.000000Z"


def test_naive_time_is_refused() -> None:
    record = make_record(occurred_at=datetime(2025, 3, 14, 9, 30))  # noqa: DTZ001

    with pytest.raises(ValueError, match="timezone-aware"):
        record.canonical()


# --- golden value ---------------------------------------------------------------------


def test_canonical_bytes_and_chain_hash_match_the_documented_layout() -> None:
    # Sorted keys, compact separators, ASCII-escaped JSON; time in UTC with a Z suffix.
    expected_json = (
        b'{"access_point":"web:10.0.0.5","action":"read",'
        b'"detail":"PHQ-9 geopend \\u2013 dossier","emergency":false,'
        b'"object_ref":"qr:901","object_type":"questionnaire_response",'
        b'"occurred_at":"2025-03-14T09:30:00.000000Z","on_behalf_of":"",'
        b'"organization_ref":"org:3","outcome":"success","patient_ref":"patient:42",'
        b'"role":"clinician","sequence":1,"user_display":"Dr. A. de Vries",'
        b'"user_ref":"user:17"}'
    )
    expected_hash = hashlib.sha256(b"0" * 64 + b"\n" + expected_json).hexdigest()
    record = make_record()

    assert record.canonical() == expected_json
    assert chain_hash("0" * 64, record) == expected_hash
    # Pinned: every stored audit trail depends on this value never changing.
    assert expected_hash == "f9ae14d9522b8787ed070c810652b70da3dc7713cc18322f286e3d0b94ecb4da"


def test_chain_hash_depends_on_the_previous_hash() -> None:
    record = make_record()

    assert chain_hash("0" * 64, record) != chain_hash("1" + "0" * 63, record)


# --- verify_chain ---------------------------------------------------------------------


def test_empty_chain_is_intact() -> None:
    result = verify_chain([])

    assert result.ok
    assert result.events_checked == 0


def test_intact_chain_of_fifty_events_verifies() -> None:
    result = verify_chain(build_chain(fifty_records()))

    assert result.ok
    assert result.breaks == ()
    assert result.events_checked == 50


MUTATIONS = {
    "occurred_at": lambda record: record.occurred_at + timedelta(microseconds=1),
    "user_ref": lambda _: "user:18",
    "user_display": lambda _: "Dr. B. Jansen",
    "role": lambda _: "team_lead",
    "on_behalf_of": lambda _: "user:99",
    "organization_ref": lambda _: "org:4",
    "patient_ref": lambda _: "patient:43",
    "object_type": lambda _: "formulation",
    "object_ref": lambda _: "qr:902",
    "action": lambda _: "delete",
    "outcome": lambda _: "denied",
    "access_point": lambda _: "web:10.0.0.6",
    "emergency": lambda record: not record.emergency,
    "detail": lambda record: record.detail + " ",
}


def test_mutations_cover_every_field_but_sequence() -> None:
    assert set(MUTATIONS) == set(FIELD_NAMES) - {"sequence"}


@pytest.mark.parametrize("field", sorted(MUTATIONS))
def test_altered_field_in_the_middle_is_reported_at_that_event(field: str) -> None:
    stored = build_chain(fifty_records())
    record, previous, stored_hash = stored[24]
    altered = dataclasses.replace(record, **{field: MUTATIONS[field](record)})
    stored[24] = (altered, previous, stored_hash)

    result = verify_chain(stored)

    assert not result.ok
    assert result.breaks == (ChainBreak(25, "content does not match its hash"),)
    assert result.events_checked == 50


def test_renumbered_event_is_reported() -> None:
    stored = build_chain(fifty_records())
    record, previous, stored_hash = stored[24]
    stored[24] = (dataclasses.replace(record, sequence=26), previous, stored_hash)

    result = verify_chain(stored)

    assert not result.ok
    assert ChainBreak(26, "content does not match its hash") in result.breaks


def test_removed_event_is_reported_as_a_gap_and_a_broken_link() -> None:
    stored = build_chain(fifty_records())
    del stored[24]  # sequence 25

    result = verify_chain(stored)

    assert not result.ok
    assert result.breaks == (
        ChainBreak(26, "sequence gap: expected 25, found 26"),
        ChainBreak(26, "previous hash does not link"),
    )
    assert result.events_checked == 49


def test_removed_event_with_renumbered_successors_is_still_reported() -> None:
    # Renumbering the records after a deletion hides the gap but not the broken link.
    stored = build_chain(fifty_records())
    del stored[24]
    stored = [
        (dataclasses.replace(record, sequence=index), previous, current)
        for index, (record, previous, current) in enumerate(stored, start=1)
    ]

    result = verify_chain(stored)

    assert not result.ok
    assert result.breaks[0].sequence == 25


def test_swapped_events_are_reported_where_the_order_changes() -> None:
    stored = build_chain(fifty_records())
    stored[9], stored[10] = stored[10], stored[9]  # sequences 10 and 11

    result = verify_chain(stored)

    assert not result.ok
    assert result.breaks[0] == ChainBreak(11, "sequence gap: expected 10, found 11")
    assert {item.sequence for item in result.breaks} <= {10, 11, 12}


def test_chain_starting_from_a_forged_previous_hash_is_reported_at_the_first_event() -> None:
    # The whole trail was rewritten and rehashed consistently, but not from genesis.
    stored = build_chain(fifty_records(), start="f" * 64)

    result = verify_chain(stored)

    assert not result.ok
    assert result.breaks == (ChainBreak(1, "previous hash does not link"),)


def test_tampered_stored_hash_is_reported() -> None:
    stored = build_chain(fifty_records())
    record, previous, _ = stored[49]
    stored[49] = (record, previous, "e" * 64)

    result = verify_chain(stored)

    assert result.breaks == (ChainBreak(50, "content does not match its hash"),)


# --- properties -----------------------------------------------------------------------

texts = st.text(max_size=20)
aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.timezones(),
)


@st.composite
def audit_records(draw: st.DrawFn) -> list[AuditRecord]:
    count = draw(st.integers(min_value=1, max_value=12))
    return [
        AuditRecord(
            sequence=sequence,
            occurred_at=draw(aware_times),
            user_ref=draw(texts),
            user_display=draw(texts),
            role=draw(texts),
            on_behalf_of=draw(texts),
            organization_ref=draw(texts),
            patient_ref=draw(texts),
            object_type=draw(texts),
            object_ref=draw(texts),
            action=draw(texts),
            outcome=draw(texts),
            access_point=draw(texts),
            emergency=draw(st.booleans()),
            detail=draw(texts),
        )
        for sequence in range(1, count + 1)
    ]


def different_value(draw: st.DrawFn, record: AuditRecord, field: str) -> object:
    old = getattr(record, field)
    if field == "sequence":
        return draw(st.integers(min_value=-5, max_value=100).filter(lambda v: v != old))
    if field == "emergency":
        return not old
    if field == "occurred_at":
        # A different instant; the same instant in another zone is not a change.
        delta = draw(st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)))
        shift = delta if delta else timedelta(microseconds=1)
        return old.astimezone(UTC) + shift
    return draw(texts.filter(lambda v: v != old))


@given(records=audit_records())
def test_any_chain_built_by_chain_hash_verifies(records: list[AuditRecord]) -> None:
    result = verify_chain(build_chain(records))

    assert result.ok
    assert result.events_checked == len(records)


@given(records=audit_records(), data=st.data())
def test_changing_any_field_of_any_record_breaks_verification(
    records: list[AuditRecord], data: st.DataObject
) -> None:
    stored = build_chain(records)
    index = data.draw(st.integers(min_value=0, max_value=len(records) - 1), label="index")
    field = data.draw(st.sampled_from(FIELD_NAMES), label="field")
    record, previous, current = stored[index]
    new_value = different_value(data.draw, record, field)
    stored[index] = (dataclasses.replace(record, **{field: new_value}), previous, current)

    result = verify_chain(stored)

    assert not result.ok
    if field != "sequence":
        assert result.breaks == (ChainBreak(index + 1, "content does not match its hash"),)
