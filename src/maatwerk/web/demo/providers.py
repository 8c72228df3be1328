# ruff: noqa: E501  (a data table: one provider per line reads best)
"""Demo provider map ("sociale kaart") of the demo organization: a PC4 gazetteer of the
Utrecht region, 32 fictional providers, and one referral sent with recorded consent.

Every provider, person, address, phone number and e-mail address here is invented (the
e-mail and web addresses use the reserved ``.example`` domain). Waiting times are demo
numbers. The coordinates are APPROXIMATE centres of real towns and districts (public
geography), rounded, for demonstration only: they are not an official dataset such as
the CBS/PDOK PC4 centroids an organization imports for real use.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from maatwerk.core.referral.directory_csv import (
    PostcodeAreaRow,
    ProviderRow,
    write_gazetteer_csv,
    write_providers_csv,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import actor_for_user, system_actor
from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Audience, open_child, open_patient
from maatwerk.web.providers import forms, selectors, services
from maatwerk.web.providers.models import Provider, Referral

# Approximate demo data: town/district centres, not an official dataset.
DEMO_GAZETTEER = (
    PostcodeAreaRow("3511", "Utrecht (Binnenstad)", 52.091, 5.121),
    PostcodeAreaRow("3512", "Utrecht (Binnenstad-oost)", 52.092, 5.125),
    PostcodeAreaRow("3527", "Utrecht (Kanaleneiland)", 52.073, 5.097),
    PostcodeAreaRow("3528", "Utrecht (Papendorp)", 52.078, 5.085),
    PostcodeAreaRow("3531", "Utrecht (Lombok)", 52.092, 5.100),
    PostcodeAreaRow("3553", "Utrecht (Zuilen)", 52.112, 5.098),
    PostcodeAreaRow("3572", "Utrecht (Wittevrouwen)", 52.097, 5.132),
    PostcodeAreaRow("3581", "Utrecht (Oost)", 52.085, 5.135),
    PostcodeAreaRow("3584", "Utrecht (Science Park)", 52.085, 5.175),
    PostcodeAreaRow("3401", "IJsselstein", 52.020, 5.044),
    PostcodeAreaRow("3431", "Nieuwegein", 52.029, 5.081),
    PostcodeAreaRow("3441", "Woerden", 52.086, 4.884),
    PostcodeAreaRow("3451", "Vleuten", 52.108, 5.012),
    PostcodeAreaRow("3601", "Maarssen", 52.137, 5.040),
    PostcodeAreaRow("3605", "Maarssen (Maarssenbroek)", 52.125, 5.030),
    PostcodeAreaRow("3701", "Zeist", 52.089, 5.233),
    PostcodeAreaRow("3704", "Zeist (west)", 52.086, 5.220),
    PostcodeAreaRow("3705", "Zeist (oost)", 52.095, 5.250),
    PostcodeAreaRow("3721", "Bilthoven", 52.129, 5.201),
    PostcodeAreaRow("3722", "Bilthoven (zuid)", 52.131, 5.196),
    PostcodeAreaRow("3762", "Soest", 52.173, 5.292),
    PostcodeAreaRow("3811", "Amersfoort", 52.156, 5.388),
    PostcodeAreaRow("3818", "Amersfoort (zuid)", 52.150, 5.380),
    PostcodeAreaRow("3941", "Doorn", 52.033, 5.343),
    PostcodeAreaRow("3981", "Bunnik", 52.067, 5.198),
    PostcodeAreaRow("3991", "Houten", 52.028, 5.168),
    PostcodeAreaRow("3995", "Houten (zuid)", 52.022, 5.170),
)


def _p(
    name: str,
    practice: str,
    street: str,
    postcode: str,
    place: str,
    disciplines: tuple[str, ...],
    expertise: tuple[str, ...],
    modalities: tuple[str, ...],
    languages: tuple[str, ...],
    waiting_weeks: int | None,
) -> ProviderRow:
    slug = "".join(c for c in practice.lower() if c.isalnum())[:30]
    return ProviderRow(
        name=name,
        practice=practice,
        street=street,
        postcode=postcode,
        place=place,
        region="Utrecht",
        latitude=None,  # looked up from the gazetteer by PC4
        longitude=None,
        disciplines=disciplines,
        expertise=expertise,
        modalities=modalities,
        languages=languages,
        waiting_weeks=waiting_weeks,
        waiting_as_of=None,
        phone="",
        email=f"info@{slug}.example",
        website=f"https://{slug}.example",
        agb_code="",
        notes="Fictieve demo-zorgaanbieder.",
        active=True,
    )


F2F, ONLINE, BLENDED = "face_to_face", "online", "blended"

DEMO_PROVIDERS = (
    # General practice and POH-GGZ
    _p("Huisartsenpraktijk Lindenhof", "Huisartsenpraktijk Lindenhof", "Lindelaan 4", "3511 AA", "Utrecht", ("huisarts",), ("cgt_alk",), (F2F,), ("nl", "en"), 1),
    _p("Huisartsen Kanaalzijde", "Gezondheidscentrum Kanaalzijde", "Kanaalweg 80", "3527 KA", "Utrecht", ("huisarts",), (), (F2F,), ("nl", "ar", "tr"), 1),
    _p("M. (Marloes) Verbeek", "Huisartsenpraktijk Zuilen-Noord", "Amsterdamsestraatweg 900", "3553 AB", "Utrecht", ("poh_ggz",), ("problem_solving_assertiveness", "relaxation_mindfulness"), (F2F, BLENDED), ("nl",), 2),
    _p("S. (Selin) Aydın", "Huisartsenpraktijk De Vaart", "Vaartsche Rijn 12", "3431 AB", "Nieuwegein", ("poh_ggz",), ("problem_solving_assertiveness", "sleep_hygiene_cbt_i"), (F2F, BLENDED), ("nl", "tr"), 2),
    _p("J. (Joost) Mulder", "Huisartsenpraktijk Slotlaan", "Slotlaan 30", "3701 AB", "Zeist", ("poh_ggz",), ("relaxation_mindfulness", "ecoach_mood_anxiety_module"), (F2F, ONLINE, BLENDED), ("nl", "en"), 3),
    # Primary-care (eerstelijns) psychologists
    _p("Drs. Nadia el Idrissi", "Psychologenpraktijk Lombok", "Kanaalstraat 150", "3531 CK", "Utrecht", ("eerstelijnspsycholoog",), ("cognitive_restructuring", "cgt_alk", "behavioural_experiments_exposure"), (F2F, BLENDED), ("nl", "ar", "en"), 5),
    _p("Drs. Pieter van Dam", "Praktijk Van Dam", "Biltstraat 100", "3572 AB", "Utrecht", ("eerstelijnspsycholoog",), ("act", "relaxation_mindfulness"), (F2F, ONLINE), ("nl",), 4),
    _p("Drs. Fleur de Graaf", "Psychologie Houten", "Het Rond 6", "3991 AB", "Houten", ("eerstelijnspsycholoog",), ("cognitive_restructuring", "sleep_hygiene_cbt_i", "cgt_alk"), (F2F, BLENDED), ("nl", "en"), 6),
    # Basis-GGZ practices (GZ-psychologists)
    _p("Drs. Kerem Demir", "Basis-GGZ Praktijk Domstad", "Oudegracht 200", "3511 AZ", "Utrecht", ("gz_psycholoog",), ("cgt_alk", "cognitive_restructuring", "target_fear_and_catastrophizing", "emdr"), (F2F, BLENDED), ("nl", "tr", "en"), 7),
    _p("Drs. Anouk Smits", "Basis-GGZ Nieuwegein", "Stadsplein 3", "3431 CC", "Nieuwegein", ("gz_psycholoog",), ("act", "cgt_alk", "behavioural_experiments_exposure"), (F2F, ONLINE, BLENDED), ("nl",), 8),
    _p("Drs. Youssef Amrani", "Praktijk voor Psychologie Kanaleneiland", "Marshalllaan 20", "3527 TA", "Utrecht", ("gz_psycholoog",), ("cognitive_restructuring", "emdr", "problem_solving_assertiveness"), (F2F,), ("nl", "ar", "fr"), 5),
    _p("Drs. Ilse Brouwer", "GGZ Praktijk IJsselstein", "Benschopperstraat 10", "3401 AA", "IJsselstein", ("gz_psycholoog",), ("act", "ecoach_fatigue_module", "graded_activity"), (F2F, BLENDED), ("nl",), 9),
    _p("Drs. Tom Hendriksen", "Online Basis-GGZ Utrecht", "Vredenburg 40", "3511 BD", "Utrecht", ("gz_psycholoog", "eerstelijnspsycholoog"), ("ecoach_mood_anxiety_module", "ecoach_fatigue_module", "ecoach_social_module", "cgt_alk"), (ONLINE, BLENDED), ("nl", "en", "pl"), 2),
    _p("Drs. Marieke Jonker", "Psychologenpraktijk Woerden", "Rijnstraat 25", "3441 BS", "Woerden", ("gz_psycholoog",), ("cognitive_restructuring", "relaxation_mindfulness", "sleep_hygiene_cbt_i"), (F2F,), ("nl", "de"), 6),
    # Specialised GGZ: psychotherapists and teams
    _p("Dr. Ruben Kalkman", "Psychotherapiepraktijk Wittevrouwen", "Nobelstraat 50", "3512 AA", "Utrecht", ("psychotherapeut",), ("act", "systeemtherapie", "emdr"), (F2F,), ("nl", "en"), 12),
    _p("Dr. Hanna Vos", "Centrum voor Psychotherapie Zeist", "Utrechtseweg 60", "3704 HB", "Zeist", ("psychotherapeut", "gz_psycholoog"), ("cgt_alk", "cognitive_restructuring", "attention_cognitive_exposure_techniques"), (F2F, BLENDED), ("nl",), 14),
    _p("GGZ Stichtse Heuvelrug (S-GGZ)", "GGZ Stichtse Heuvelrug", "Amersfoortseweg 10", "3941 EA", "Doorn", ("gz_psycholoog", "psychiater", "psychomotorisch_therapeut"), ("cgt_alk", "act", "graded_exposure_in_vivo", "emdr"), (F2F, BLENDED), ("nl", "en"), 16),
    _p("Specialistische GGZ Amersfoort", "Psychosomatiek Eemland", "Stationsplein 5", "3811 BE", "Amersfoort", ("psychiater", "gz_psycholoog", "psychotherapeut"), ("cgt_alk", "attention_cognitive_exposure_techniques", "systeemtherapie"), (F2F,), ("nl", "tr"), 18),
    _p("Dr. Omar Haddad", "Psychiatrische Praktijk Maarssen", "Bisonspoor 300", "3605 JA", "Maarssen", ("psychiater",), ("ecoach_mood_anxiety_module",), (F2F, ONLINE), ("nl", "ar", "en"), 10),
    # Psychomotor therapy
    _p("Lotte Scheffer", "PMT Praktijk In Beweging", "Burgemeester Reigerstraat 9", "3581 KJ", "Utrecht", ("psychomotorisch_therapeut",), ("relaxation_mindfulness", "behavioural_experiments_exposure"), (F2F,), ("nl",), 4),
    _p("Bas Verhoef", "Lichaam & Beweging Bilthoven", "Julianalaan 40", "3722 GM", "Bilthoven", ("psychomotorisch_therapeut",), ("relaxation_mindfulness", "l_mbt"), (F2F,), ("nl", "en"), 6),
    # Physiotherapy, including psychosomatic physiotherapy
    _p("Fysiotherapie Zuilen", "Fysiotherapie Zuilen", "Prins Bernhardplein 5", "3553 AA", "Utrecht", ("fysiotherapeut",), ("graded_activity", "physiotherapy"), (F2F,), ("nl", "tr", "ar"), 1),
    _p("E. (Esther) Boom", "Psychosomatische Fysiotherapie Vleuten", "Dorpsstraat 3", "3451 BA", "Vleuten", ("fysiotherapeut",), ("psychosomatische_fysiotherapie", "graded_activity", "relaxation_mindfulness", "graded_exposure_in_vivo"), (F2F,), ("nl",), 3),
    _p("R. (Rik) Koster", "Fysio & Psychosomatiek Soest", "Steenhoffstraat 20", "3762 BL", "Soest", ("fysiotherapeut",), ("psychosomatische_fysiotherapie", "graded_activity", "target_fear_and_catastrophizing"), (F2F, BLENDED), ("nl", "en"), 2),
    _p("Fysiotherapie Bunnik", "Fysiotherapie Bunnik", "Dorpsstraat 50", "3981 EB", "Bunnik", ("fysiotherapeut",), ("graded_activity", "physiotherapy"), (F2F,), ("nl",), 0),
    _p("A. (Ayşe) Yılmaz", "Psychosomatische Fysiotherapie Kanaleneiland", "Churchilllaan 11", "3527 GV", "Utrecht", ("fysiotherapeut",), ("psychosomatische_fysiotherapie", "relaxation_mindfulness", "graded_activity"), (F2F,), ("nl", "tr"), 2),
    _p("Oefentherapie & Fysio Houten", "Fysiotherapie Houten-Zuid", "Onderdoor 20", "3995 DW", "Houten", ("fysiotherapeut",), ("graded_activity", "physiotherapy", "ecoach_fatigue_module"), (F2F, BLENDED), ("nl",), 1),
    # Multidisciplinary rehabilitation (pain, fatigue)
    _p("Pijnrevalidatie Heuvelrug", "Revalidatiecentrum De Heuvelrug", "Bosweg 1", "3705 LA", "Zeist", ("revalidatiearts", "fysiotherapeut", "gz_psycholoog", "psychomotorisch_therapeut"), ("multidisciplinaire_pijnrevalidatie", "graded_activity", "graded_exposure_in_vivo", "target_fear_and_catastrophizing", "act"), (F2F,), ("nl", "en"), 20),
    _p("Vermoeidheidscentrum Utrecht", "Centrum voor Vermoeidheid en Herstel", "Heidelberglaan 100", "3584 CX", "Utrecht", ("revalidatiearts", "gz_psycholoog", "fysiotherapeut"), ("multidisciplinaire_vermoeidheidsrevalidatie", "ecoach_fatigue_module", "graded_activity", "cgt_alk"), (F2F, BLENDED), ("nl", "en"), 14),
    _p("Revalidatie Amersfoort", "Revalidatie Eemland", "Utrechtseweg 160", "3818 ES", "Amersfoort", ("revalidatiearts", "fysiotherapeut", "psychomotorisch_therapeut"), ("multidisciplinaire_pijnrevalidatie", "graded_activity", "physiotherapy"), (F2F,), ("nl",), 11),
    # Hoogspecialistische GGZ / TOPGGZ
    _p("TOPGGZ Centrum voor Psychosomatiek", "Topcentrum Lichaam en Geest", "Universiteitsweg 50", "3584 CG", "Utrecht", ("psychiater", "psychotherapeut", "gz_psycholoog", "psychomotorisch_therapeut"), ("l_mbt", "cgt_alk", "attention_cognitive_exposure_techniques", "systeemtherapie"), (F2F,), ("nl", "en"), 24),
    # Occupational physician
    _p("Dr. Karin Wouters", "Arbodienst Midden-Nederland", "Papendorpseweg 99", "3528 BJ", "Utrecht", ("bedrijfsarts",), ("graded_activity", "problem_solving_assertiveness"), (F2F, ONLINE), ("nl", "en"), 1),
)  # fmt: skip


def demo_providers_load(
    *,
    organization: Organization,
    patients: dict[str, Patient],
    clinicians: dict[str, User],
) -> None:
    """The demo map through the real import services (so the data passes the same
    checks), then one referral by the GP, with consent recorded, sent."""
    loader = system_actor("demo data loader")
    as_of = timezone.localdate() - timedelta(days=14)
    rows = [
        replace(row, waiting_as_of=as_of) if row.waiting_weeks is not None else row
        for row in DEMO_PROVIDERS
    ]
    directory = selectors.DirectoryAccess(organization=organization)
    services.gazetteer_import(
        actor=loader,
        directory=directory,
        form=forms.CsvUploadForm.of_text(write_gazetteer_csv(DEMO_GAZETTEER)),
    )
    services.providers_import(
        actor=loader,
        directory=directory,
        form=forms.CsvUploadForm.of_text(write_providers_csv(rows)),
    )

    sophie = patients["Sophie Jansen"]
    huisarts = actor_for_user(clinicians["huisarts"], access_point="cli demo")
    access = open_patient(
        actor=huisarts,
        patient_id=str(sophie.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_REFERRAL,
    )
    provider = Provider.objects.get(organization=organization, name="E. (Esther) Boom")
    context = selectors.referral_context(access, "nl")
    referral = services.referral_create(
        actor=huisarts,
        access=access,
        form=forms.ReferralCreateForm(
            {
                "provider": str(provider.public_id),
                "care_level": context.care_level if context and context.care_level else "poh_ggz",
                "question": (
                    "Mevrouw Jansen heeft al twee jaar lage rugpijn en vermijdt bewegen uit "
                    "angst dat het erger wordt. Graag psychosomatische fysiotherapie met "
                    "geleidelijke opbouw van activiteit."
                ),
            },
            organization_id=organization.pk,
        ),
        language="nl",
    )
    opened = open_child(
        actor=huisarts,
        model=Referral,
        object_id=str(referral.public_id),
        action="update",
        object_type=selectors.OBJECT_REFERRAL,
        audience=Audience.CARE_TEAM,
    )
    services.referral_consent_record(
        actor=huisarts,
        opened=opened,
        form=forms.ReferralConsentForm({"consent_method": Referral.ConsentMethod.VERBAL}),
    )
    services.referral_send(
        actor=huisarts,
        opened=opened,
        form=forms.ReferralSendForm(
            {"signer": str(clinicians["huisarts"].public_id)}, opened=opened
        ),
    )
