"""A worked example, end to end: a patient with low back pain.

The patient says "pijn in mijn onderrug". In the consult the clinician and the patient
find: she is afraid that moving damages her back (fear of movement), so she stops
lifting and walking (avoidance), her muscles get weaker (deconditioning), which makes the
pain worse - the fear-avoidance circle (bmc-msd-2012). The pain also
makes her feel low (negative mood, a gevolgenmodel consequence for mood,
nalk-gevolgenmodel), so she cancels meeting friends, and with nothing else to attend to
the pain gets worse. Cancelling friends also makes her feel lower still: a circle
between mood and friends that does not pass through the pain. She also worries about her
work, which she does not see as keeping the pain going.

Every expected value below is reasoned from the rules in docs/formulation/README.md.
"""

from __future__ import annotations

import dataclasses
import html
import re

from maatwerk.core.formulation.current import circle_only, strongest_circle, with_current_words
from maatwerk.core.formulation.diagram import describe, render_svg, to_dot
from maatwerk.core.formulation.explanation import personal_explanation
from maatwerk.core.formulation.model import (
    CircleGraph,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    Node,
    TaggedFactor,
    elementary_cycles,
    vicious_circles,
)
from maatwerk.core.formulation.views import as_scegs, as_three_p

PAIN = "pijn in mijn onderrug"
FEAR = "Ik ben bang dat bewegen mijn rug beschadigt"
AVOID = "Ik til niets meer en ik wandel niet meer"
DECOND = "Mijn spieren worden slapper"
MOOD = "Ik voel me somber"
FRIENDS = "Ik zeg afspraken met vrienden af"
WORRY = "Ik maak me zorgen over mijn werk"

BACK_PAIN = Formulation(
    complaints=(Complaint("pain", PAIN, "back_neck_pain"),),
    consequences=(
        Consequence("fear", "emotional", FEAR, True, "fear_of_movement"),
        Consequence("avoid", "behavioural", AVOID, True, "avoidance"),
        Consequence("decond", "physical", DECOND, True, "deconditioning"),
        Consequence("mood", "emotional", MOOD, True, "negative_mood"),
        Consequence("friends", "social", FRIENDS, True),
        Consequence("worry", "cognitive", WORRY, False),
    ),
    tagged_factors=(TaggedFactor("lifting", "Tillen op het werk in 2023", "precipitating"),),
    circle=CircleGraph(
        (
            Node("pain", "complaint", PAIN),
            Node("fear", "feeling", FEAR, "fear_of_movement", "fear"),
            Node("avoid", "behaviour", AVOID, "avoidance", "avoid"),
            Node("decond", "physical", DECOND, "deconditioning", "decond"),
            Node("mood", "feeling", MOOD, "negative_mood", "mood"),
            Node("friends", "social", FRIENDS, None, "friends"),
        ),
        (
            Edge("pain", "fear", "leidt tot"),
            Edge("fear", "avoid"),
            Edge("avoid", "decond"),
            Edge("decond", "pain", "maakt erger"),
            Edge("pain", "mood"),
            Edge("mood", "friends"),
            Edge("friends", "mood"),
            Edge("friends", "pain", "maakt erger"),
        ),
    ),
)


def test_vicious_circles_are_the_two_cycles_through_the_pain() -> None:
    # Depth-first from the complaint, following the edges in the order given:
    # pain -> fear -> avoid -> decond -> pain first, then pain -> mood -> friends -> pain.
    assert vicious_circles(BACK_PAIN.circle) == (
        ("pain", "fear", "avoid", "decond"),
        ("pain", "mood", "friends"),
    )
    # mood <-> friends is a cycle too, but it does not pass through the complaint: it is
    # not a vicious circle of the complaint (drawn and described, not told as a story).
    assert elementary_cycles(BACK_PAIN.circle) == (
        ("pain", "fear", "avoid", "decond"),
        ("pain", "mood", "friends"),
        ("mood", "friends"),
    )


def test_scegs_view() -> None:
    view = as_scegs(BACK_PAIN)
    # Complaints and physical consequences are somatic; the rest one to one.
    assert [(e.origin, e.id) for e in view.somatisch] == [
        ("complaint", "pain"),
        ("consequence", "decond"),
    ]
    assert [e.id for e in view.cognitief] == ["worry"]
    assert [e.id for e in view.emotioneel] == ["fear", "mood"]
    assert [e.id for e in view.gedragsmatig] == ["avoid"]
    assert [e.id for e in view.sociaal] == ["friends"]
    assert view.dimension("cognitief")[0].maintaining is False


def test_three_p_view() -> None:
    view = as_three_p(BACK_PAIN)
    # No consequence has a role: the five maintaining ones are perpetuating, the worry
    # (not maintaining) is unplaced; the lifting at work was tagged precipitating.
    assert view.predisposing == ()
    assert [(e.origin, e.id) for e in view.precipitating] == [("tagged", "lifting")]
    assert [e.id for e in view.perpetuating] == ["fear", "avoid", "decond", "mood", "friends"]
    assert [e.id for e in view.unplaced] == ["worry"]


def test_dot_draws_kinds_and_emphasises_the_vicious_circles() -> None:
    dot = to_dot(BACK_PAIN.circle, language="nl")
    lines = dot.splitlines()
    assert lines[0] == "digraph vicious_circle {"
    assert lines[-1] == "}"
    # Labels wrapped at 24 characters, the kind name as the last line.
    assert (
        '  "fear" [label="Ik ben bang dat bewegen\\nmijn rug beschadigt\\n(gevoel)", '
        'shape="ellipse", style="filled", fillcolor="#fef3c7"];'
    ) in lines
    assert (
        '  "pain" [label="pijn in mijn onderrug\\n(klacht)", shape="box", peripheries="2", '
        'style="filled,bold", fillcolor="#fde2e2"];'
    ) in lines
    # Every edge on a vicious circle is thick and red; friends -> mood lies only on the
    # circle that misses the complaint, so it stays thin and grey.
    emphasised = [line for line in lines if 'class="vicious-circle"' in line]
    assert len(emphasised) == 7
    assert '  "friends" -> "mood" [color="#4b5563", penwidth="1.2"];' in lines
    assert (
        '  "decond" -> "pain" [label="maakt erger", color="#b91c1c", penwidth="2.5", '
        'class="vicious-circle"];'
    ) in lines


def svg_text(svg: str) -> str:
    """All text of the SVG's <text> elements, joined by spaces, entities decoded."""
    pieces = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return " ".join(html.unescape(piece) for piece in pieces)


def test_svg_contains_every_label_and_can_be_inlined() -> None:
    svg = render_svg(to_dot(BACK_PAIN.circle, language="nl"))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    text = svg_text(svg)
    for node in BACK_PAIN.circle.nodes:
        assert node.label in text  # wrapped lines rejoin with a space
    assert "(contact met anderen)" in text


def test_text_alternative() -> None:
    assert describe(BACK_PAIN.circle, language="nl") == (
        f"Cirkel 1: {PAIN} → {FEAR} → {AVOID} → {DECOND} → {PAIN}",
        f"Cirkel 2: {PAIN} → {MOOD} → {FRIENDS} → {PAIN}",
        f"Nog een cirkel, niet door een klacht: {MOOD} → {FRIENDS} → {MOOD}",
    )


def test_personal_explanation_in_dutch_line_by_line() -> None:
    explanation = personal_explanation(BACK_PAIN, language="nl")
    assert [p.heading for p in explanation.paragraphs] == [
        "Zo blijven je klachten bestaan",
        "Wat betekent dit voor je behandeling?",
        "Je klachten zijn echt",
    ]
    assert explanation.lines() == (
        # 1. one personal circle: circle 1 holds three maintaining consequences, circle 2
        #    two, so circle 1 is read first; one sentence per box by its kind
        "Zo blijven je klachten bestaan",
        'Het begint met je klacht: "pijn in mijn onderrug".',
        f'Dan voel je: "{FEAR}".',  # feeling
        f'Dan doe je dit: "{AVOID}".',  # behaviour
        f'Dan merk je in je lichaam: "{DECOND}".',  # physical
        'Daardoor wordt "pijn in mijn onderrug" erger, of het blijft. Zo is de cirkel rond.',
        # 2. treatment: every step after the complaint is a maintaining consequence, so
        #    they are not listed a second time
        "Wat betekent dit voor je behandeling?",
        "In de behandeling gaan we deze cirkel doorbreken. We werken aan elke stap na je klacht.",
        "Als één stap in de cirkel verandert, kan de hele cirkel anders gaan. "
        "Dan krijgen je klachten de ruimte om minder te worden.",
        # 3. the complaints are real
        "Je klachten zijn echt",
        "Je klachten zijn echt. Je beeldt je niets in.",
        "De cirkel laat zien waarom ze blijven. Daar kunnen we samen iets aan doen.",
    )
    # The other circle is there on request.
    assert [(p.heading, p.lines) for p in explanation.more] == [
        ("Andere cirkels die we samen vonden", ()),
        (
            "Cirkel 2",
            (
                'Het begint met je klacht: "pijn in mijn onderrug".',
                f'Dan voel je: "{MOOD}".',
                f'Dan merk je in je contact met anderen: "{FRIENDS}".',  # social
                'Daardoor wordt "pijn in mijn onderrug" erger, of het blijft. '
                "Zo is de cirkel rond.",
            ),
        ),
    ]


def test_what_the_patient_reads_first_stays_short() -> None:
    # Issue 12: one circle in the patient's own words, at most about 150 words.
    for language in ("nl", "en"):
        assert personal_explanation(BACK_PAIN, language=language).word_count() <= 150


def test_personal_explanation_in_english_keeps_the_patients_words() -> None:
    lines = personal_explanation(BACK_PAIN, language="en").lines()
    assert lines[:2] == (
        "How your symptoms keep going",
        'It starts with your symptom: "pijn in mijn onderrug".',
    )
    assert f'Then you feel: "{FEAR}".' in lines
    assert lines[-3:] == (
        "Your symptoms are real",
        "Your symptoms are real. You are not imagining them.",
        "The circle shows why they keep going. Together we can do something about that.",
    )


def test_explanation_of_an_empty_draft_says_what_is_still_missing() -> None:
    # Nothing written down yet: each part says so instead of being left out, and the
    # treatment part falls back to choosing together.
    assert personal_explanation(Formulation(), language="nl").lines() == (
        "Je klachten",
        "We hebben je klachten nog niet opgeschreven.",
        "Waardoor je klachten blijven",
        "We hebben nog geen gevolgen gevonden die je klachten laten blijven.",
        "De cirkels bij je klachten",
        "We hebben nog geen cirkel gevonden. Dat zoeken we samen verder uit.",
        "Wat betekent dit voor je behandeling?",
        "We kiezen samen waar we beginnen.",
        "Als één stap in de cirkel verandert, kan de hele cirkel anders gaan. "
        "Dan krijgen je klachten de ruimte om minder te worden.",
        "Je klachten zijn echt",
        "Je klachten zijn echt. Je beeldt je niets in.",
        "De cirkel laat zien waarom ze blijven. Daar kunnen we samen iets aan doen.",
    )


def test_treatment_targets_only_maintaining_consequences_on_a_circle() -> None:
    # Drop the edge friends -> pain: circle 2 disappears, so "mood" and "friends" are no
    # longer on a vicious circle (mood <-> friends misses the complaint) and treatment
    # names only fear, avoidance and deconditioning; the own words end without a
    # doubled full stop.
    edges = tuple(e for e in BACK_PAIN.circle.edges if (e.source, e.target) != ("friends", "pain"))
    smaller = Formulation(
        complaints=(Complaint("pain", "pijn in mijn onderrug."),),
        consequences=BACK_PAIN.consequences,
        circle=CircleGraph(BACK_PAIN.circle.nodes, edges),
    )
    lines = personal_explanation(smaller, language="nl").lines()
    start = lines.index("Wat betekent dit voor je behandeling?")
    # The three are every step after the complaint on the one circle: said, not listed.
    assert lines[start + 1].startswith("In de behandeling gaan we deze cirkel doorbreken.")
    assert f'"{MOOD}"' not in lines and f'"{FRIENDS}"' not in lines
    assert lines[start + 2].startswith("Als één stap")
    assert lines[1] == 'Het begint met je klacht: "pijn in mijn onderrug".'


def test_treatment_lists_the_targets_when_the_circle_has_other_steps() -> None:
    # The deconditioning box no longer stands for a consequence: treatment names the two
    # maintaining consequences on the circle.
    nodes = tuple(
        dataclasses.replace(node, consequence_id=None) if node.id == "decond" else node
        for node in BACK_PAIN.circle.nodes
    )
    changed = dataclasses.replace(BACK_PAIN, circle=CircleGraph(nodes, BACK_PAIN.circle.edges))
    lines = personal_explanation(changed, language="nl").lines()
    start = lines.index("Wat betekent dit voor je behandeling?")
    assert lines[start + 1 : start + 4] == (
        "In de behandeling gaan we de cirkel doorbreken. We werken aan deze gevolgen:",
        f'"{FEAR}"',
        f'"{AVOID}"',
    )


def test_the_circle_speaks_the_current_words_of_steps_1_and_2() -> None:
    # Issue 12, one truth: a box that stands for a complaint or a consequence shows what
    # step 1 or 2 says now, not the words it was drawn with.
    edited = dataclasses.replace(
        BACK_PAIN,
        complaints=(Complaint("pain", "Als ik buk denk ik dat er iets kapot gaat"),),
        consequences=tuple(
            dataclasses.replace(c, words="Ik durf niet te bukken") if c.id == "avoid" else c
            for c in BACK_PAIN.consequences
        ),
    )
    current = with_current_words(edited)
    assert current.circle.node("pain").label == "Als ik buk denk ik dat er iets kapot gaat"
    assert current.circle.node("avoid").label == "Ik durf niet te bukken"
    assert current.circle.node("fear").label == BACK_PAIN.circle.node("fear").label
    text = personal_explanation(edited, language="nl").as_text()
    assert "Als ik buk denk ik dat er iets kapot gaat" in text
    assert "Ik durf niet te bukken" in text
    assert "pijn in mijn onderrug" not in text
    assert describe(current.circle, language="nl")[0].startswith("Cirkel 1: Als ik buk")


def test_the_strongest_circle_has_the_most_maintaining_consequences() -> None:
    first = strongest_circle(BACK_PAIN)
    assert (
        first is not None
        and first[0] == "pain"
        and set(first)
        == {
            "pain",
            "fear",
            "avoid",
            "decond",
        }
    )
    assert strongest_circle(Formulation()) is None
    only = circle_only(BACK_PAIN.circle, first)
    assert {n.id for n in only.nodes} == set(first) and len(only.edges) == 4


def test_an_activity_plan_links_to_the_goals_of_step_3() -> None:
    # Step 4: activities in the patient's words, each for a goal of step 3.
    from maatwerk.core.formulation import Activity, FormulationError, Goal

    with_goal = dataclasses.replace(BACK_PAIN, goals=(Goal("walk", "Weer wandelen"),))
    planned = dataclasses.replace(
        with_goal, activities=(Activity("a1", "Tien minuten wandelen", "na het ontbijt", "walk"),)
    )
    assert planned.activities[0].goal_id == "walk"
    try:
        dataclasses.replace(with_goal, activities=(Activity("a1", "Fietsen", "", "swim"),))
    except FormulationError as error:
        assert [(p.code, p.path) for p in error.problems] == [
            ("unknown_goal", "activities[0].goal_id")
        ]
    else:  # pragma: no cover - the formulation must refuse
        raise AssertionError("an activity for an unknown goal was accepted")


def test_the_short_explanation_for_low_literacy_keeps_the_circle_and_shortens_the_rest() -> None:
    full = personal_explanation(BACK_PAIN, language="nl")
    short = personal_explanation(BACK_PAIN, language="nl", short=True)
    # The circle in the patient's own words is the same; the rest is one sentence each.
    assert short.paragraphs[0] == full.paragraphs[0]
    assert [p.lines for p in short.paragraphs[1:]] == [
        ("Samen gaan we deze cirkel doorbreken.",),
        ("Je klachten zijn echt. Je beeldt je niets in.",),
    ]
    assert short.word_count() < full.word_count()
    assert short.more == full.more  # the other circles stay there on request
    english = personal_explanation(BACK_PAIN, language="en", short=True)
    assert english.paragraphs[1].lines == ("Together we will break this circle.",)
