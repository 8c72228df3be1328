"""Pictograms on our own answer scales, for patients with low literacy (issue 12 item 8).

Only the exercises of our own modules get them: the answer scales of licensed or
validated questionnaires are shown as their licence and validation describe, without
additions. The pictogram shows *how much* (bars that fill up), not whether that is good
or bad, because the same 0–10 scale asks for the strength of a complaint and of a
pleasant feeling alike. It carries its own text alternative ("7 of 10"); the number it
stands beside is hidden from assistive technology so it is not read twice.

The tag builds markup from numbers only; it never queries.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

BARS = 5
WIDTH, HEIGHT, GAP = 6, 22, 2


def filled_bars(value: int, low: int, high: int) -> int:
    """How many of the five bars are filled for ``value`` on ``low``…``high``."""
    if high <= low:
        return 0
    share = (min(max(value, low), high) - low) / (high - low)
    return round(share * BARS)


@register.simple_tag
def scale_pictogram(value: object, low: object, high: object) -> SafeString:
    try:
        number, bottom, top = int(str(value)), int(str(low)), int(str(high))
    except ValueError:
        return SafeString("")
    filled = filled_bars(number, bottom, top)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="1" fill="{}" stroke="currentColor"'
        ' stroke-width="1"></rect>',
        (
            (
                1 + index * (WIDTH + GAP),
                HEIGHT - (index + 1) * HEIGHT // BARS + 1,
                WIDTH - 1,
                (index + 1) * HEIGHT // BARS - 1,
                "currentColor" if index < filled else "none",
            )
            for index in range(BARS)
        ),
    )
    label = _("%(value)s of %(high)s") % {"value": number, "high": top}
    return format_html(
        '<span class="scale-pictogram-answer"><svg class="scale-pictogram" role="img"'
        ' aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" focusable="false">{}</svg>'
        '<span aria-hidden="true">{}</span></span>',
        label,
        BARS * (WIDTH + GAP),
        HEIGHT + 2,
        BARS * (WIDTH + GAP),
        HEIGHT + 2,
        bars,
        number,
    )
