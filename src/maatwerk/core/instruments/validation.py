"""Semantic checks of an instrument definition, beyond what the schema can say.

``validate_instrument`` returns every problem (empty when the definition is sound):
references resolve, ids are unique, scales agree with their documented range, bands
cover that range without gaps or overlaps, every number has a known source or is marked
unverified, licence rules on shipped texts hold, and missing-data rules fit the method.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.instruments.model import (
    Instrument,
    NumericResponseSet,
    OptionsResponseSet,
    Scale,
    Sourced,
)
from maatwerk.core.instruments.numbers import fmt
from maatwerk.core.instruments.transforms import (
    is_integer_valued,
    possible_answers,
    score_bounds,
    transform,
)

MAX_NUMERIC_STEPS = 10_000


class _Problems:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.found: list[DefinitionProblem] = []

    def add(self, path: str, message: str) -> None:
        self.found.append(DefinitionProblem(self.origin, path, message))


def validate_instrument(
    instrument: Instrument, *, origin: str = "<instrument>"
) -> tuple[DefinitionProblem, ...]:
    """Every semantic problem of ``instrument``; an empty tuple means it is consistent."""
    problems = _Problems(origin)
    _check_unique_ids(instrument, problems)
    _check_sources(instrument, problems)
    _check_licence(instrument, problems)
    _check_response_sets(instrument, problems)
    _check_items(instrument, problems)
    for index, scale in enumerate(instrument.scales):
        _check_scale(instrument, scale, f"$.scales[{index}]", problems)
    _check_safety_rules(instrument, problems)
    return tuple(problems.found)


def _duplicates(ids: Iterable[str], path: str, what: str, problems: _Problems) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            problems.add(f"{path}[{index}].id", f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_unique_ids(instrument: Instrument, problems: _Problems) -> None:
    _duplicates((s.id for s in instrument.sources), "$.sources", "source", problems)
    _duplicates(
        (r.id for r in instrument.response_sets), "$.response_sets", "response set", problems
    )
    _duplicates((i.id for i in instrument.items), "$.items", "item", problems)
    _duplicates((s.id for s in instrument.scales), "$.scales", "scale", problems)
    _duplicates((r.id for r in instrument.safety_rules), "$.safety_rules", "safety rule", problems)
    for index, scale in enumerate(instrument.scales):
        path = f"$.scales[{index}].cutoffs"
        _duplicates((c.id for c in scale.cutoffs), path, "cut-off", problems)


def _sourced_values(instrument: Instrument) -> Iterator[tuple[str, Sourced]]:
    yield "$.licence", instrument.licence
    for index, response_set in enumerate(instrument.response_sets):
        yield f"$.response_sets[{index}]", response_set
    for index, scale in enumerate(instrument.scales):
        path = f"$.scales[{index}]"
        yield path, scale
        yield f"{path}.missing", scale.missing
        if scale.utility is not None:
            yield f"{path}.utility", scale.utility
        for name in ("bands", "cutoffs", "reliability", "norms"):
            for position, value in enumerate(getattr(scale, name)):
                yield f"{path}.{name}[{position}]", value
    for index, rule in enumerate(instrument.safety_rules):
        yield f"$.safety_rules[{index}]", rule


def _check_sources(instrument: Instrument, problems: _Problems) -> None:
    for path, value in _sourced_values(instrument):
        if value.source is None and not value.unverified:
            problems.add(path, "no source; give a source id or mark it unverified: true")
        elif value.source is not None and not instrument.has_source(value.source):
            problems.add(f"{path}.source", f"unknown source {value.source!r}")


def _check_licence(instrument: Instrument, problems: _Problems) -> None:
    licence = instrument.licence
    if licence.kind == "free_with_credit" and not licence.credit_line:
        problems.add("$.licence.credit_line", "a free_with_credit licence needs a credit line")
    shipped = licence.item_texts_shipped
    if licence.kind == "licensed" and shipped:
        problems.add("$.licence.item_texts_shipped", "a licensed instrument cannot ship item texts")
    imported = instrument.licensed_texts is not None
    if shipped and imported:
        problems.add("$.licensed_texts", "the instrument already ships its texts")
    has_texts = shipped or imported
    missing = (
        "item texts are shipped, but this item has none"
        if shipped
        else "licensed texts are imported, but this item has none"
    )
    if not has_texts and instrument.instructions is not None:
        problems.add("$.instructions", "the licence does not allow shipping the instructions")
    for index, item in enumerate(instrument.items):
        if has_texts and item.text is None:
            problems.add(f"$.items[{index}].text", missing)
        if not has_texts and item.text is not None:
            problems.add(f"$.items[{index}].text", "the licence does not allow shipping item texts")
    for index, response_set in enumerate(instrument.response_sets):
        if not isinstance(response_set, OptionsResponseSet):
            anchored = response_set.min_label is not None or response_set.max_label is not None
            if not has_texts and anchored:
                problems.add(
                    f"$.response_sets[{index}]",
                    "the licence does not allow shipping the words at the ends of a rating",
                )
            continue
        for position, option in enumerate(response_set.options):
            path = f"$.response_sets[{index}].options[{position}].label"
            if has_texts and option.label is None:
                what = "shipped" if shipped else "imported"
                problems.add(path, f"option labels are {what}, but this has none")
            if not has_texts and option.label is not None:
                problems.add(path, "the licence does not allow shipping option labels")


def _check_response_sets(instrument: Instrument, problems: _Problems) -> None:
    for index, response_set in enumerate(instrument.response_sets):
        path = f"$.response_sets[{index}]"
        if isinstance(response_set, NumericResponseSet):
            _check_numeric(response_set, path, problems)
            continue
        seen: set[Fraction] = set()
        for position, option in enumerate(response_set.options):
            value = Fraction(option.value)
            if value in seen:
                problems.add(
                    f"{path}.options[{position}].value", f"duplicate option value {fmt(value)}"
                )
            seen.add(value)


def _check_numeric(response_set: NumericResponseSet, path: str, problems: _Problems) -> None:
    low, high, step = (Fraction(v) for v in (response_set.min, response_set.max, response_set.step))
    if step <= 0:
        problems.add(f"{path}.step", "step must be above 0")
    elif high <= low:
        problems.add(f"{path}.max", "max must be above min")
    elif ((high - low) / step).denominator != 1:
        problems.add(f"{path}.step", "(max - min) must be a whole number of steps")
    elif (high - low) / step > MAX_NUMERIC_STEPS:
        problems.add(f"{path}.step", f"more than {MAX_NUMERIC_STEPS} steps")


def _valid_response_set(instrument: Instrument, set_id: str) -> bool:
    """The response set exists and its values can be listed (so ranges can be computed)."""
    for response_set in instrument.response_sets:
        if response_set.id == set_id:
            if isinstance(response_set, OptionsResponseSet):
                return True
            broken = _Problems("")
            _check_numeric(response_set, "", broken)
            return not broken.found
    return False


def _check_items(instrument: Instrument, problems: _Problems) -> None:
    in_scales = {item_id for scale in instrument.scales for item_id in scale.items}
    known_sets = {response_set.id for response_set in instrument.response_sets}
    for index, item in enumerate(instrument.items):
        if item.response_set not in known_sets:
            problems.add(
                f"$.items[{index}].response_set", f"unknown response set {item.response_set!r}"
            )
        if item.applies_to is not None and item.applies_to.sex == ():
            problems.add(f"$.items[{index}].applies_to.sex", "lists no one; leave it out")
        if item.scored and item.id not in in_scales:
            problems.add(
                f"$.items[{index}]", f"scored item {item.id!r} is in no scale (set scored: false)"
            )


def _scale_items_usable(
    instrument: Instrument, scale: Scale, path: str, problems: _Problems
) -> bool:
    usable = True
    seen: set[str] = set()
    for position, item_id in enumerate(scale.items):
        item_path = f"{path}.items[{position}]"
        if item_id in seen:
            problems.add(item_path, f"item {item_id!r} is listed twice")
        seen.add(item_id)
        if not instrument.has_item(item_id):
            problems.add(item_path, f"unknown item {item_id!r}")
            usable = False
            continue
        item = instrument.item(item_id)
        if not item.scored:
            problems.add(item_path, f"item {item_id!r} is marked scored: false")
        if not _valid_response_set(instrument, item.response_set):
            usable = False
    return usable


def _check_scale(instrument: Instrument, scale: Scale, path: str, problems: _Problems) -> None:
    usable = _scale_items_usable(instrument, scale, path, problems)
    usable = _check_recodes(instrument, scale, path, problems) and usable
    _check_missing_rule(scale, path, problems)
    if not usable:
        return
    if not _check_reverse(instrument, scale, path, problems):
        return
    if not _check_utility(instrument, scale, path, problems):
        return
    low, high = score_bounds(instrument, scale, scale.items)
    documented = (Fraction(scale.range.min), Fraction(scale.range.max))
    if documented != (low, high):
        problems.add(
            f"{path}.range",
            f"documented range {fmt(documented[0])}-{fmt(documented[1])} "
            f"but the items give {fmt(low)}-{fmt(high)}",
        )
    _check_bands(scale, is_integer_valued(instrument, scale), path, problems)
    for index, cutoff in enumerate(scale.cutoffs):
        value = Fraction(cutoff.value)
        if not documented[0] <= value <= documented[1]:
            problems.add(
                f"{path}.cutoffs[{index}].value",
                f"{fmt(value)} is outside the range {fmt(documented[0])}-{fmt(documented[1])}",
            )
        for name in ("sensitivity_percent", "specificity_percent"):
            percent = getattr(cutoff, name)
            if percent is not None and not 0 <= percent <= 100:
                problems.add(f"{path}.cutoffs[{index}].{name}", "must be between 0 and 100")
    for index, reliability in enumerate(scale.reliability):
        if not 0 < reliability.value <= 1:
            problems.add(
                f"{path}.reliability[{index}].value", "a reliability must be above 0 and at most 1"
            )
    for index, norm in enumerate(scale.norms):
        if norm.sd <= 0:
            problems.add(f"{path}.norms[{index}].sd", "an SD must be above 0")
        if norm.n is not None and norm.n < 1:
            problems.add(f"{path}.norms[{index}].n", "n must be at least 1")


def _answers(instrument: Instrument, item_id: str) -> tuple[Fraction, ...]:
    return possible_answers(instrument.response_set(instrument.item(item_id).response_set))


def _check_recodes(instrument: Instrument, scale: Scale, path: str, problems: _Problems) -> bool:
    ok = True
    valid_items = [
        item_id
        for item_id in scale.items
        if instrument.has_item(item_id)
        and _valid_response_set(instrument, instrument.item(item_id).response_set)
    ]
    for index, recode in enumerate(scale.item_recodes):
        recode_path = f"{path}.item_recodes[{index}]"
        if recode.item not in valid_items:
            problems.add(f"{recode_path}.item", f"{recode.item!r} is not an item of this scale")
            ok = False
            continue
        possible = set(_answers(instrument, recode.item))
        mapped = [Fraction(step.answer) for step in recode.map]
        for position, answer in enumerate(mapped):
            if answer not in possible:
                problems.add(
                    f"{recode_path}.map[{position}].answer",
                    f"{fmt(answer)} is not a possible answer",
                )
                ok = False
        uncovered = sorted(possible - set(mapped))
        if uncovered:
            listed = ", ".join(fmt(value) for value in uncovered)
            problems.add(f"{recode_path}.map", f"no score for answer(s) {listed}")
            ok = False
    possible_any = {value for item_id in valid_items for value in _answers(instrument, item_id)}
    for index, step in enumerate(scale.value_recode):
        if Fraction(step.answer) not in possible_any:
            problems.add(
                f"{path}.value_recode[{index}].answer",
                f"{fmt(step.answer)} is not a possible answer",
            )
    return ok


def _check_reverse(instrument: Instrument, scale: Scale, path: str, problems: _Problems) -> bool:
    if scale.reverse is None:
        return True
    ok = True
    constant = Fraction(scale.reverse.constant)
    for position, item_id in enumerate(scale.reverse.items):
        if item_id not in scale.items:
            problems.add(
                f"{path}.reverse.items[{position}]", f"{item_id!r} is not an item of this scale"
            )
            ok = False
            continue
        answers = _answers(instrument, item_id)
        before = [transform(scale, item_id, a, reverse=False).used for a in answers]
        low, high = min(before), max(before)
        for value in before:
            if not low <= constant - value <= high:
                problems.add(
                    f"{path}.reverse.constant",
                    f"reversing {item_id!r} gives {fmt(constant)} - {fmt(value)} = "
                    f"{fmt(constant - value)}, outside its values {fmt(low)}-{fmt(high)}",
                )
                ok = False
                break
    return ok


def _check_utility(instrument: Instrument, scale: Scale, path: str, problems: _Problems) -> bool:
    """A value set belongs to a ``utility`` scale, which has nothing else that changes an
    answer, and gives exactly one decrement to every answer above an item's lowest."""
    tariff = scale.utility
    if scale.method != "utility":
        if tariff is not None:
            problems.add(f"{path}.utility", "a value set needs method 'utility'")
        return True
    if tariff is None:
        problems.add(f"{path}.utility", "method 'utility' needs a value set (utility)")
        return False
    ok = True
    for name in ("item_recodes", "value_recode"):
        if getattr(scale, name):
            problems.add(f"{path}.{name}", "a utility scale takes the answers as they are")
            ok = False
    if scale.reverse is not None:
        problems.add(f"{path}.reverse", "a utility scale takes the answers as they are")
        ok = False
    seen: set[tuple[str, Fraction]] = set()
    for index, step in enumerate(tariff.decrements):
        where = f"{path}.utility.decrements[{index}]"
        key = (step.item, Fraction(step.answer))
        if step.item not in scale.items:
            problems.add(f"{where}.item", f"{step.item!r} is not an item of this scale")
            ok = False
            continue
        answers = _answers(instrument, step.item)
        if key[1] not in answers:
            problems.add(f"{where}.answer", f"{fmt(step.answer)} is not a possible answer")
            ok = False
        elif key[1] == min(answers):
            problems.add(f"{where}.answer", "the lowest answer (full health) has no decrement")
            ok = False
        if key in seen:
            problems.add(where, f"a second decrement for {step.item!r} {fmt(step.answer)}")
            ok = False
        seen.add(key)
    for item_id in scale.items:
        answers = _answers(instrument, item_id)
        uncovered = [a for a in answers if a != min(answers) and (item_id, a) not in seen]
        if uncovered:
            listed = ", ".join(fmt(value) for value in uncovered)
            problems.add(f"{path}.utility.decrements", f"no decrement for {item_id!r} {listed}")
            ok = False
    return ok


def _check_missing_rule(scale: Scale, path: str, problems: _Problems) -> None:
    missing = scale.missing
    where = f"{path}.missing"
    if missing.rule == "complete_only":
        if missing.min_answered is not None:
            problems.add(f"{where}.min_answered", "complete_only takes no min_answered")
    elif missing.min_answered is None:
        problems.add(f"{where}.min_answered", f"{missing.rule} needs min_answered")
    elif missing.min_answered < 1:
        problems.add(f"{where}.min_answered", "min_answered must be at least 1")
    elif missing.min_answered > len(scale.items):
        problems.add(
            f"{where}.min_answered",
            f"min_answered {missing.min_answered} exceeds the {len(scale.items)} items",
        )
    if scale.method in ("sum", "linear_0_100") and missing.rule == "mean_of_answered":
        problems.add(f"{where}.rule", "mean_of_answered averages; use prorate_min_k for sums")
    if scale.method == "utility" and missing.rule != "complete_only":
        problems.add(f"{where}.rule", "a value set needs every answer: use complete_only")
    if scale.method == "mean" and missing.rule == "prorate_min_k":
        problems.add(
            f"{where}.rule", "prorating a mean changes nothing; use mean_of_answered for means"
        )


def _check_bands(scale: Scale, integer_valued: bool, path: str, problems: _Problems) -> None:
    if not scale.bands:
        return
    bands = scale.bands
    for index, band in enumerate(bands):
        if band.min > band.max:
            problems.add(
                f"{path}.bands[{index}]", f"min {fmt(band.min)} is above max {fmt(band.max)}"
            )
    if bands[0].min != scale.range.min:
        problems.add(
            f"{path}.bands[0].min",
            f"first band starts at {fmt(bands[0].min)}, range at {fmt(scale.range.min)}",
        )
    last = len(bands) - 1
    if bands[last].max != scale.range.max:
        problems.add(
            f"{path}.bands[{last}].max",
            f"last band ends at {fmt(bands[last].max)}, range at {fmt(scale.range.max)}",
        )
    for index in range(1, len(bands)):
        before, band = bands[index - 1], bands[index]
        where = f"{path}.bands[{index}].min"
        if band.min <= before.max:
            problems.add(where, "overlaps the band before it")
        elif integer_valued and band.min != before.max + 1:
            problems.add(where, f"gap: {fmt(before.max + 1)} is in no band")
        elif not integer_valued and band.min - before.max > 1:
            problems.add(where, f"gap between {fmt(before.max)} and {fmt(band.min)}")


def _check_safety_rules(instrument: Instrument, problems: _Problems) -> None:
    for index, rule in enumerate(instrument.safety_rules):
        if not instrument.has_item(rule.item):
            problems.add(f"$.safety_rules[{index}].item", f"unknown item {rule.item!r}")
            continue
        item = instrument.item(rule.item)
        if not _valid_response_set(instrument, item.response_set):
            continue
        answers = _answers(instrument, rule.item)
        if not min(answers) <= Fraction(rule.value) <= max(answers):
            problems.add(
                f"$.safety_rules[{index}].value",
                f"{fmt(rule.value)} is outside the answers {fmt(min(answers))}-{fmt(max(answers))}",
            )
