"""The orientation questionnaires: eligibility at every edge of the brochure, words, pages."""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from associations.models import (
    AcceptedMentorProfile,
    Association,
    AssociationAudience,
    Audience,
    Collective,
    Level,
    MentorProfile,
    Need,
    Venue,
)
from core.vocabularies import AGES, Seeker
from orientation.forms import FORMS as QUESTIONNAIRE_FORMS
from orientation.forms import VolunteerForm, YoungPersonForm
from orientation.questionnaires import Volunteer, YoungPerson

from .factories import AssociationFactory, ContactFactory
from .test_admin import form_data

pytestmark = pytest.mark.django_db

INDEX = reverse("orientation:index")
YOUNG = reverse("orientation:young")
VOLUNTEER = reverse("orientation:volunteer")
NBSP = "\u00a0"

ALL = {
    "afev",
    "anaf",
    "article-1",
    "cpossible",
    "duo-for-a-job",
    "face-mel",
    "la-cle",
    "la-cravate-solidaire",
    "proxite",
    "telemaque",
}


def text(response):
    """The page's visible text, whitespace folded and non-breaking spaces made plain."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace(NBSP, " ")
    return " ".join(html.replace("&#x27;", "'").split())


def plain(words):
    return [word.replace(NBSP, " ") for word in words]


def young_person(age, level, **answers):
    """Match through the rules themselves: edges outside the form's bounds too."""
    questionnaire = YoungPerson(age=age, level=Level.objects.get(slug=level), **answers)
    return questionnaire.evaluate(Association.objects.all())


def volunteer(age, profile, hours=20, months=72, modality=""):
    questionnaire = Volunteer(
        age=age,
        profile=MentorProfile.objects.get(slug=profile),
        hours=hours,
        months=months,
        modality=modality,
    )
    return questionnaire.evaluate(Association.objects.all())


def slugs(outcome):
    return [match.association.slug for match in outcome.matches]


def match_of(outcome, slug):
    return next(match for match in outcome.matches if match.association.slug == slug)


class TestPages:
    @pytest.mark.parametrize("url", [INDEX, YOUNG, VOLUNTEER])
    def test_a_visitor_opens_each_page(self, client, seed, url):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("<h1") == 1
        assert f'<link rel="canonical" href="http://localhost:8000{url}">' in page

    def test_the_index_offers_the_two_questionnaires(self, client, seed):
        page = client.get(INDEX).content.decode()
        assert f'<a href="{YOUNG}"><strong>Je cherche un mentor</strong>' in page
        assert f'<a href="{VOLUNTEER}"><strong>Je veux devenir mentor</strong>' in page

    def test_pages_refuse_post(self, client, seed):
        for url in [INDEX, YOUNG, VOLUNTEER]:
            assert client.post(url).status_code == 405

    @pytest.mark.parametrize("url", [YOUNG, VOLUNTEER])
    def test_without_answers_the_page_shows_only_the_questions(self, client, seed, url):
        for query in ["", "?utm_source=lettre"]:
            response = client.get(url + query)
            page = response.content.decode()
            assert response.context["outcome"] is None
            assert 'class="errorlist"' not in page
            assert 'id="resultats"' not in page
            assert '<meta name="robots"' not in page
            assert 'method="get"' in page
            assert "roubaix@collectifmentorat.fr" in page

    def test_each_question_is_a_fieldset_with_a_legend_and_labelled_controls(self, client, seed):
        page = client.get(YOUNG).content.decode()
        legends = re.findall(r"<legend>([^<]+)</legend>", page)
        assert plain(legends) == [
            "Quel âge a le jeune ?",
            "Où en est le jeune ?",
            "De quoi le jeune a-t-il besoin ?",
            "Comment préférez-vous vous rencontrer ?",
            "Le jeune est-il dans une de ces situations ?",
        ]
        assert page.count("<fieldset") == 5
        for control_id in re.findall(r'<input [^>]*id="([^"]+)"', page):
            assert f'<label for="{control_id}">' in page, control_id
        assert '<label for="id_age">Âge, en années</label>' in page

    def test_the_choices_come_from_the_vocabularies(self, client, seed):
        Need.objects.create(name="Estime de soi", slug="estime", position=99)
        page = client.get(YOUNG).content.decode()
        assert 'value="estime"' in page
        for level in Level.objects.all():
            assert f'value="{level.slug}"' in page
        for audience in Audience.objects.all():
            assert f'value="{audience.slug}"' in page
        volunteer_page = client.get(VOLUNTEER).content.decode()
        for profile in MentorProfile.objects.all():
            assert f'value="{profile.slug}"' in volunteer_page

    def test_a_staff_added_term_works_in_the_questionnaire(self, client, seed):
        level = Level.objects.create(name="Service civique", slug="service-civique", position=99)
        Association.objects.get(slug="face-mel").levels.add(level)
        response = client.get(YOUNG, {"age": 20, "situation": "service-civique"})
        assert slugs(response.context["outcome"]) == ["face-mel"]

    def test_answers_stay_in_the_form_and_results_show_below(self, client, seed):
        response = client.get(
            YOUNG,
            {"age": 12, "situation": "college", "besoins": ["confiance"], "modalite": "distanciel"},
        )
        page = response.content.decode()
        assert 'name="age" value="12"' in page
        assert re.search(r'value="college" id="id_situation_2" required checked', page)
        assert re.search(r'value="confiance" id="id_besoins_1" checked', page)
        assert re.search(r'value="distanciel" id="id_modalite_2" checked', page)
        assert page.index('<form class="filters"') < page.index('id="resultats"')
        assert '<meta name="robots" content="noindex">' in page
        assert 'action="/orientation/jeune/#resultats"' in page

    def test_a_result_shows_reasons_caveats_contact_and_link(self, client, seed):
        response = client.get(YOUNG, {"age": 12, "situation": "college", "modalite": "distanciel"})
        page = response.content.decode()
        assert '<h3 class="match__name"><a href="/associations/afev/">Afev</a></h3>' in page
        assert '<a href="mailto:lille@afev.org">lille@afev.org</a>' in page
        assert '<a href="tel:+33636152643">06 36 15 26 43</a>' in page
        assert '<a href="/associations/proxite/">Tout savoir sur Proxité</a>' in page
        words = text(response)
        assert "Pourquoi elle vous correspond : Accompagne les jeunes de 5 à 18 ans" in words
        assert "À vérifier avec l’association : Âge non précisé par l’association" in words

    def test_the_results_are_an_ordered_list_with_the_ranking_explained(self, client, seed):
        response = client.get(YOUNG, {"age": 12, "situation": "college"})
        page = response.content.decode()
        assert '<ol class="matches">' in page
        assert "4 associations sur 10 correspondent à vos réponses." in text(response)
        assert (
            "Les associations sont classées par points : un point par besoin en commun, un point "
            "si elle propose la façon de se rencontrer que vous préférez et un point par situation "
            "particulière cochée qu’elle accompagne ; à égalité, par ordre alphabétique."
        ) in text(response)
        volunteer_page = text(
            client.get(
                VOLUNTEER, {"age": 30, "situation": "salarie", "heures_par_mois": 10, "mois": 12}
            )
        )
        assert (
            "passent en premier (un point) ; à égalité, par ordre alphabétique." in volunteer_page
        )


class TestYoungPersonEligibility:
    """Every edge of the brochure's data, through the rules (bounds outside the form too)."""

    # At 18 every stated age range of the brochure matches: only the level decides.
    @pytest.mark.parametrize(
        ("level", "expected"),
        [
            ("maternelle", set()),
            ("ecole", {"afev", "la-cle"}),
            ("college", {"afev", "face-mel", "la-cle", "proxite", "telemaque"}),
            (
                "lycee",
                {"afev", "article-1", "cpossible", "face-mel", "la-cle", "proxite", "telemaque"},
            ),
            ("lycee-pro", ALL - {"duo-for-a-job"}),
            ("apprentissage", {"anaf", "face-mel", "proxite", "telemaque"}),
            ("etudes-superieures", {"article-1", "face-mel", "la-cravate-solidaire", "proxite"}),
            (
                "recherche-emploi",
                {"anaf", "duo-for-a-job", "face-mel", "la-cravate-solidaire", "proxite"},
            ),
            ("sans-activite", {"duo-for-a-job", "face-mel", "la-cravate-solidaire"}),
        ],
    )
    def test_each_level(self, seed, level, expected):
        assert set(slugs(young_person(18, level))) == expected

    @pytest.mark.parametrize(("age", "fits"), [(4, False), (5, True), (18, True), (19, False)])
    def test_afev_from_5_to_18(self, seed, age, fits):
        assert ("afev" in slugs(young_person(age, "ecole"))) is fits

    @pytest.mark.parametrize(("age", "fits"), [(17, False), (18, True), (33, True), (34, False)])
    def test_duo_for_a_job_from_18_to_33(self, seed, age, fits):
        assert ("duo-for-a-job" in slugs(young_person(age, "recherche-emploi"))) is fits

    @pytest.mark.parametrize(("age", "fits"), [(13, False), (14, True), (30, True), (99, True)])
    def test_face_from_14_without_upper_bound(self, seed, age, fits):
        assert ("face-mel" in slugs(young_person(age, "college"))) is fits

    @pytest.mark.parametrize("age", [1, 5, 30, 99])
    def test_an_unstated_age_never_excludes_but_is_flagged(self, seed, age):
        match = match_of(young_person(age, "ecole"), "la-cle")
        assert f"Âge non précisé par l’association{NBSP}: à vérifier" in match.caveats

    def test_reachable_edges_through_the_page(self, client, seed):
        def page_slugs(age, level):
            return slugs(client.get(YOUNG, {"age": age, "situation": level}).context["outcome"])

        assert "afev" in page_slugs(5, "ecole")
        assert "afev" in page_slugs(18, "ecole")
        assert "afev" not in page_slugs(19, "ecole")
        assert "duo-for-a-job" not in page_slugs(17, "sans-activite")
        assert "duo-for-a-job" in page_slugs(18, "sans-activite")
        assert "face-mel" not in page_slugs(13, "college")
        assert "face-mel" in page_slugs(14, "college")

    def test_a_required_audience_does_not_exclude_but_warns(self, seed):
        match = match_of(young_person(25, "recherche-emploi"), "duo-for-a-job")
        assert "Réservé aux jeunes réfugiés ou issus de l’immigration" in match.caveats
        assert match.score == 0
        face = match_of(young_person(25, "recherche-emploi"), "face-mel")
        assert "Réservé aux jeunes habitant un quartier prioritaire (QPV)" in face.caveats

    def test_a_stated_audience_earns_a_point_and_a_reason(self, seed):
        refugee = Audience.objects.get(slug="refugie-immigration")
        outcome = young_person(25, "recherche-emploi", audiences=[refugee])
        assert slugs(outcome)[0] == "duo-for-a-job"
        duo = outcome.matches[0]
        assert duo.score == 1
        assert "Accompagne les jeunes réfugiés ou issus de l’immigration" in duo.reasons
        assert not any(caveat.startswith("Réservé") for caveat in duo.caveats)

    def test_a_priority_audience_earns_a_point(self, seed):
        rep = Audience.objects.get(slug="rep")
        afev = match_of(young_person(12, "college", audiences=[rep]), "afev")
        assert afev.score == 1
        assert "Accompagne en priorité les élèves d’un établissement REP ou REP+" in afev.reasons


class TestVolunteerEligibility:
    # At 60, with 20 hours a month for 6 years, only the situation decides.
    @pytest.mark.parametrize(
        ("profile", "expected"),
        [
            ("etudiant", {"afev", "la-cle"}),
            ("apprenti", {"afev", "anaf"}),
            ("salarie", ALL - {"afev"}),
            ("agent-public", {"anaf", "duo-for-a-job", "la-cle", "proxite", "telemaque"}),
            ("retraite", {"cpossible", "duo-for-a-job", "face-mel", "la-cle"}),
            ("recherche-emploi", {"duo-for-a-job"}),
            ("lyceen", set()),
        ],
    )
    def test_each_mentor_profile(self, seed, profile, expected):
        assert set(slugs(volunteer(60, profile))) == expected

    @pytest.mark.parametrize(("age", "fits"), [(49, False), (50, True)])
    def test_duo_for_a_job_takes_mentors_from_50(self, seed, age, fits):
        assert ("duo-for-a-job" in slugs(volunteer(age, "salarie"))) is fits

    @pytest.mark.parametrize(("age", "fits"), [(20, False), (21, True)])
    def test_anaf_takes_apprentices_from_21(self, seed, age, fits):
        assert ("anaf" in slugs(volunteer(age, "apprenti"))) is fits

    def test_anafs_age_for_apprentices_does_not_apply_to_employees(self, seed):
        assert "anaf" in slugs(volunteer(20, "salarie"))

    @pytest.mark.parametrize(("months", "fits"), [(71, False), (72, True)])
    def test_telemaque_asks_72_months(self, seed, months, fits):
        assert ("telemaque" in slugs(volunteer(40, "salarie", months=months))) is fits

    @pytest.mark.parametrize(
        ("hours", "months", "fits"), [(8, 9, False), (9, 9, True), (9, 8, False), (9, 12, True)]
    )
    def test_afev_asks_8_7_hours_a_month_for_9_months(self, seed, hours, months, fits):
        outcome = volunteer(20, "etudiant", hours=hours, months=months)
        assert ("afev" in slugs(outcome)) is fits

    @pytest.mark.parametrize(("hours", "fits"), [(2, False), (3, True)])
    def test_anaf_and_article_1_ask_3_hours_a_month(self, seed, hours, fits):
        outcome = volunteer(40, "salarie", hours=hours, months=6)
        assert ("anaf" in slugs(outcome)) is fits
        assert ("article-1" in slugs(outcome)) is fits

    @pytest.mark.parametrize(("hours", "fits"), [(8, False), (9, True)])
    def test_duo_for_a_job_asks_2_hours_a_week(self, seed, hours, fits):
        assert ("duo-for-a-job" in slugs(volunteer(55, "retraite", hours=hours))) is fits

    @pytest.mark.parametrize(("months", "fits"), [(1, False), (2, True)])
    def test_la_cravate_solidaire_asks_six_weeks(self, seed, months, fits):
        assert ("la-cravate-solidaire" in slugs(volunteer(40, "salarie", months=months))) is fits

    def test_no_minimum_duration_nor_hours_excludes_nobody(self, seed):
        outcome = volunteer(40, "salarie", hours=1, months=1)
        assert set(slugs(outcome)) == {"face-mel"}
        face = outcome.matches[0]
        assert f"Temps par mois non précisé par l’association{NBSP}: à vérifier" in face.caveats
        assert f"Engagement{NBSP}: pas d’engagement minimum" in face.reasons

    def test_reachable_edges_through_the_page(self, client, seed):
        def page_slugs(**answers):
            answers = {"heures_par_mois": 20, "mois": 72, **answers}
            return slugs(client.get(VOLUNTEER, answers).context["outcome"])

        assert "duo-for-a-job" not in page_slugs(age=49, situation="salarie")
        assert "duo-for-a-job" in page_slugs(age=50, situation="salarie")
        assert "anaf" not in page_slugs(age=20, situation="apprenti")
        assert "anaf" in page_slugs(age=21, situation="apprenti")
        assert "telemaque" not in page_slugs(age=40, situation="salarie", mois=71)
        assert "afev" not in page_slugs(age=20, situation="etudiant", heures_par_mois=8)
        assert "afev" in page_slugs(age=20, situation="etudiant", heures_par_mois=9)


class TestExplanations:
    def test_a_young_persons_reasons_in_plain_words(self, seed):
        confidence = Need.objects.get(slug="confiance")
        outcome = young_person(12, "college", needs=[confidence], modality="distanciel")
        afev = match_of(outcome, "afev")
        assert plain(afev.reasons) == [
            "Accompagne les jeunes de 5 à 18 ans",
            "Situation accompagnée : collège",
            "Aide pour : confiance en soi",
            "Propose des rencontres à distance",
            "Au domicile du jeune ou dans un lieu tiers, 2 h par semaine",
        ]
        assert afev.caveats == []
        assert afev.score == 2

    def test_an_open_ended_age_range(self, seed):
        face = match_of(young_person(15, "college"), "face-mel")
        assert plain(face.reasons)[0] == "Accompagne les jeunes à partir de 14 ans"

    def test_caveats_of_a_young_persons_match(self, seed):
        needs = list(Need.objects.filter(slug="francais"))
        proxite = match_of(
            young_person(12, "college", needs=needs, modality="distanciel"), "proxite"
        )
        assert plain(proxite.caveats) == [
            "Âge non précisé par l’association : à vérifier",
            "Ne cite aucun des besoins choisis",
            "Propose seulement des rencontres en présentiel",
            "À savoir : jeunes en difficulté (risque de décrochage ou décrocheurs, résidant "
            "principalement dans des QPV et/ou orientés par des structures socio-éducatives)",
        ]
        assert proxite.score == 0

    def test_several_shared_needs_are_listed(self, seed):
        needs = list(Need.objects.filter(slug__in=["francais", "confiance", "orientation"]))
        la_cle = match_of(young_person(12, "college", needs=needs), "la-cle")
        assert (
            f"Aide pour{NBSP}: confiance en soi, orientation et français langue de scolarisation"
            in (la_cle.reasons)
        )
        assert la_cle.score == 3

    def test_a_volunteers_reasons_say_the_commitment(self, seed):
        duo = match_of(
            volunteer(55, "retraite", hours=10, months=6, modality="presentiel"), "duo-for-a-job"
        )
        assert plain(duo.reasons) == [
            "Accepte les mentors : retraité ou retraitée",
            "Mentors à partir de 50 ans",
            "Engagement : 6 mois",
            "Temps demandé : au moins 8,7 h par mois",
            "Rythme : chaque semaine (2 h minimum)",
            "Propose des rencontres en présentiel",
        ]
        assert duo.caveats == []
        assert duo.score == 1

    def test_a_volunteers_caveats(self, seed):
        anaf = match_of(volunteer(22, "apprenti", hours=10, months=6), "anaf")
        assert "Mentors à partir de 21\u00a0ans" in anaf.reasons
        assert f"Condition pour votre situation{NBSP}: au moins 2 ans d’expérience" in anaf.caveats
        la_cle = match_of(volunteer(40, "etudiant", hours=10, months=9), "la-cle")
        assert f"Lieux{NBSP}:" not in " ".join(la_cle.reasons)
        assert "Dans les locaux de l’association ou dans un lieu tiers" in la_cle.reasons
        assert f"Temps par mois non précisé par l’association{NBSP}: à vérifier" in la_cle.caveats

    def test_a_young_volunteer_is_told_to_check_the_minimum_age(self, seed):
        la_cle = match_of(volunteer(16, "etudiant", hours=10, months=9), "la-cle")
        assert f"Âge minimum des mentors non précisé{NBSP}: à vérifier" in la_cle.caveats
        adult = match_of(volunteer(19, "etudiant", hours=10, months=9), "la-cle")
        assert not any(caveat.startswith("Âge minimum") for caveat in adult.caveats)


class TestRanking:
    def test_shared_needs_rank_first_then_names(self, seed):
        needs = list(
            Need.objects.filter(slug__in=["confiance", "ouverture-culturelle", "francais"])
        )
        outcome = young_person(12, "college", needs=needs)
        assert [(m.association.slug, m.score) for m in outcome.matches] == [
            ("la-cle", 3),
            ("afev", 2),
            ("telemaque", 2),
            ("proxite", 0),
        ]

    def test_the_other_modality_ranks_lower_but_stays(self, seed):
        outcome = volunteer(40, "salarie", hours=20, months=12, modality="distanciel")
        assert slugs(outcome)[-1] == "proxite"
        proxite = outcome.matches[-1]
        assert proxite.score == 0
        assert "Propose seulement des rencontres en présentiel" in proxite.caveats
        assert all(match.score == 1 for match in outcome.matches[:-1])

    def test_ties_are_alphabetical_whatever_the_case_and_accents(self, seed):
        assert slugs(volunteer(60, "salarie")) == [
            "anaf",
            "article-1",
            "cpossible",
            "duo-for-a-job",
            "face-mel",
            "la-cle",
            "la-cravate-solidaire",
            "proxite",
            "telemaque",
        ]


class TestNoMatch:
    def test_no_association_takes_high_school_mentors(self, client, seed):
        response = client.get(
            VOLUNTEER, {"age": 17, "situation": "lyceen", "heures_par_mois": 4, "mois": 9}
        )
        outcome = response.context["outcome"]
        assert outcome.matches == []
        assert outcome.main_exclusion.criterion == Volunteer.PROFILE
        assert outcome.main_exclusion.count == 10
        words = text(response)
        assert "Aucune association ne correspond à toutes vos réponses" in words
        assert "Ce qui écarte le plus d’associations : votre situation (10 sur 10)." in words
        assert "Sans tenir compte de votre situation" in words
        assert "Mentors acceptés : salarié ou salariée et retraité ou retraitée" in words
        assert '<a href="mailto:roubaix@collectifmentorat.fr">' in response.content.decode()
        nearest = outcome.relaxations[0]
        assert nearest.criterion == Volunteer.PROFILE
        # Nearest: those whose age, duration and hours fit (not DUO, Proxité, Télémaque, Afev).
        assert {m.association.slug for m in nearest.matches} == {
            "anaf",
            "article-1",
            "cpossible",
            "face-mel",
            "la-cle",
            "la-cravate-solidaire",
        }
        la_cle = match_of(nearest, "la-cle")
        assert plain(la_cle.gaps) == [
            "Mentors acceptés : étudiant ou étudiante, salarié ou salariée, agent public "
            "et retraité ou retraitée"
        ]

    def test_nobody_serves_nursery_school(self, client, seed):
        response = client.get(YOUNG, {"age": 5, "situation": "maternelle"})
        outcome = response.context["outcome"]
        assert outcome.matches == []
        assert outcome.main_exclusion.criterion == YoungPerson.LEVEL
        words = text(response)
        assert "Ce qui écarte le plus d’associations : la situation (10 sur 10)." in words
        assert "Sans tenir compte de la situation" in words
        assert "Situations accompagnées : école élémentaire, collège" in words
        # Afev serves 5-year-olds, from primary school: the nearest option says so.
        afev = match_of(outcome.relaxations[0], "afev")
        assert plain(afev.reasons)[0] == "Accompagne les jeunes de 5 à 18 ans"
        assert "duo-for-a-job" not in [m.association.slug for m in outcome.relaxations[0].matches]

    def test_each_criterion_is_relaxed_in_turn(self, seed):
        Association.objects.all().delete()
        college = Level.objects.get(slug="college")
        AssociationFactory(name="Aînés", age_min=15, age_max=20, levels=[college])
        AssociationFactory(
            name="Lycéens", age_min=10, age_max=12, levels=[Level.objects.get(slug="lycee")]
        )
        AssociationFactory(name="Loin", age_min=20, age_max=25, levels=[])
        outcome = young_person(11, "college")
        assert outcome.matches == []
        assert [(e.criterion.name, e.count) for e in outcome.exclusions] == [
            ("age", 2),
            ("situation", 2),
        ]
        assert [r.criterion.relaxed for r in outcome.relaxations] == [
            "Sans tenir compte de l’âge",
            "Sans tenir compte de la situation",
        ]
        age_relaxed, level_relaxed = outcome.relaxations
        assert [m.association.name for m in age_relaxed.matches] == ["Aînés"]
        assert plain(age_relaxed.matches[0].gaps) == ["Accompagne les jeunes de 15 à 20 ans"]
        assert plain(level_relaxed.matches[0].gaps) == [
            "Situations accompagnées : lycée général ou technologique"
        ]

    def test_when_even_one_change_is_not_enough_the_collectif_is_there(self, client, db):
        response = client.get(YOUNG, {"age": 12, "situation": "college"})
        assert response.context["outcome"].relaxations == []
        words = text(response)
        assert "Même en changeant une seule réponse, aucune association ne correspond." in words
        assert "demandez conseil au Collectif Mentorat" in words
        # The Collectif has not given its e-mail yet: the contact page stands in.
        assert (
            f'<a href="{reverse("pages:contact")}">contactez-nous</a>' in response.content.decode()
        )

    def test_the_collectifs_contact_comes_from_the_admin(self, client, seed):
        collective = Collective.objects.load()
        collective.contact_email = "orientation@example.org"
        collective.save()
        page = client.get(YOUNG).content.decode()
        assert '<a href="mailto:orientation@example.org">orientation@example.org</a>' in page


def change_url(association):
    return reverse("admin:associations_association_change", args=[association.pk])


class TestStaffEditsChangeResults:
    def edit(self, staff_client, slug, **changes):
        association = Association.objects.get(slug=slug)
        data = form_data(staff_client.get(change_url(association)))
        data.update(changes)
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 302, response.context["errors"] if response.context else ""

    def test_widening_an_age_range_in_the_admin(self, client, staff_client, seed):
        answers = {"age": 19, "situation": "ecole"}
        assert "afev" not in slugs(client.get(YOUNG, answers).context["outcome"])
        self.edit(staff_client, "afev", age_max="19")
        assert "afev" in slugs(client.get(YOUNG, answers).context["outcome"])

    def test_removing_a_level_in_the_admin(self, client, staff_client, seed):
        answers = {"age": 12, "situation": "college"}
        assert "telemaque" in slugs(client.get(YOUNG, answers).context["outcome"])
        levels = [
            str(pk)
            for pk in Level.objects.filter(slug__in=["lycee", "lycee-pro"]).values_list(
                "pk", flat=True
            )
        ]
        self.edit(staff_client, "telemaque", levels=levels)
        assert "telemaque" not in slugs(client.get(YOUNG, answers).context["outcome"])

    def test_changing_a_mentor_profiles_age_in_the_admin(self, client, staff_client, seed):
        answers = {"age": 20, "situation": "apprenti", "heures_par_mois": 5, "mois": 6}
        assert "anaf" not in slugs(client.get(VOLUNTEER, answers).context["outcome"])
        data = form_data(staff_client.get(change_url(Association.objects.get(slug="anaf"))))
        index = next(
            key.split("-")[1]
            for key, value in data.items()
            if key.startswith("acceptedmentorprofile_set-")
            and key.endswith("-min_age")
            and value == "21"
        )
        self.edit(staff_client, "anaf", **{f"acceptedmentorprofile_set-{index}-min_age": "18"})
        assert "anaf" in slugs(client.get(VOLUNTEER, answers).context["outcome"])

    def test_stating_hours_in_the_admin(self, client, staff_client, seed):
        answers = {"age": 40, "situation": "salarie", "heures_par_mois": 2, "mois": 12}
        assert "proxite" in slugs(client.get(VOLUNTEER, answers).context["outcome"])
        self.edit(staff_client, "proxite", hours_per_month_min="4")
        assert "proxite" not in slugs(client.get(VOLUNTEER, answers).context["outcome"])


HOSTILE = [
    ({"age": "douze"}, "age"),
    ({"age": "-5"}, "age"),
    ({"age": str(10**100)}, "age"),
    ({"age": "1e3"}, "age"),
    ({"age": "4"}, "age"),
    ({"age": "31"}, "age"),
    ({"age": "1" * 10_000}, "age"),
    ({"age": ["12", "13"]}, "age"),
    ({"age": "12\x00"}, "age"),
    ({"age": "１２\u202e"}, "age"),
    ({"situation": "inconnue"}, "situation"),
    ({"situation": ["college", "lycee"]}, "situation"),
    ({"situation": "college\x00"}, "situation"),
    ({"situation": "x" * 10_000}, "situation"),
    ({"situation": "collège"}, "situation"),
    ({"besoins": ["confiance"] * 300}, "besoins"),
    ({"besoins": ["confiance", "inconnu"]}, "besoins"),
    ({"modalite": "les-deux"}, "modalite"),
    ({"modalite": ["presentiel", "distanciel"]}, "modalite"),
    ({"situations_particulieres": "autre"}, "situations_particulieres"),
]
PAYLOAD = '<script>alert("mentorat")</script>'


def young_query(changes):
    return {"age": "12", "situation": "college", **changes}


class TestHostileInputsOnPages:
    @pytest.mark.parametrize(("changes", "field"), HOSTILE)
    def test_the_young_persons_form_comes_back_with_the_message_next_to_the_field(
        self, client, seed, changes, field
    ):
        response = client.get(YOUNG, young_query(changes))
        assert response.status_code == 200
        assert response.context["outcome"] is None
        form = response.context["form"]
        assert list(form.errors) == [field]
        page = response.content.decode()
        assert f'<ul class="errorlist" id="id_{field}_error">' in page
        assert "<title>Erreur : " in page
        assert f'href="#id_{field}' in page  # the summary links to the question
        assert 'id="resultats"' not in page

    @pytest.mark.parametrize("field", ["age", "situation", "heures_par_mois", "mois", "modalite"])
    def test_the_volunteers_form_refuses_script_payloads_without_echo(self, client, seed, field):
        answers = {"age": "30", "situation": "salarie", "heures_par_mois": "5", "mois": "6"}
        response = client.get(VOLUNTEER, {**answers, field: PAYLOAD})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
        assert PAYLOAD not in response.content.decode()
        assert "<script>alert" not in response.content.decode()

    def test_a_number_field_shows_what_was_typed_escaped(self, client, seed):
        response = client.get(YOUNG, young_query({"age": PAYLOAD}))
        page = response.content.decode()
        assert PAYLOAD not in page
        assert "&lt;script&gt;" in page
        assert 'aria-describedby="id_age_helptext id_age_error"' in page
        assert 'aria-invalid="true"' in page

    def test_missing_answers_are_said_next_to_each_question(self, client, seed):
        response = client.get(VOLUNTEER, {"modalite": ""})
        errors = response.context["form"].errors
        assert errors == {
            "age": ["Indiquez votre âge."],
            "situation": ["Choisissez votre situation."],
            "heures_par_mois": ["Indiquez combien d’heures par mois vous pouvez donner."],
            "mois": ["Indiquez pendant combien de mois vous pouvez vous engager."],
        }
        assert "4 réponses à compléter ou à corriger" in text(response)
        page = response.content.decode()
        assert 'aria-describedby="id_situation_error"' in page  # on the fieldset

    def test_undecodable_bytes_are_an_unknown_choice(self, client, seed):
        response = client.get(f"{YOUNG}?age=12&situation=%ED%A0%80%FF")
        assert list(response.context["form"].errors) == ["situation"]

    def test_repeated_needs_within_reason_are_accepted(self, client, seed):
        response = client.get(YOUNG, young_query({"besoins": ["confiance"] * 20}))
        assert match_of(response.context["outcome"], "afev").score == 1

    def test_too_many_parameters_is_a_bad_request_not_an_error(self, client, seed):
        response = client.get(YOUNG, young_query({"besoins": ["confiance"] * 1_500}))
        assert response.status_code == 400


def large_directory(count):
    """`count` more associations, each with all that a result card shows."""
    levels, needs = list(Level.objects.all()), list(Need.objects.all())
    profiles, venues = list(MentorProfile.objects.all()), list(Venue.objects.all())
    audiences = list(Audience.objects.all())
    for index in range(count):
        association = AssociationFactory(
            age_min=5,
            age_max=30,
            hours_per_month_min=Decimal("2"),
            duration_min_months=Decimal("3"),
            levels=levels,
            needs=needs[: index % len(needs) + 1],
            mentor_profiles=profiles,
        )
        association.venues.set(venues[: index % 3 + 1])
        AssociationAudience.objects.create(
            association=association,
            audience=audiences[index % len(audiences)],
            is_required=bool(index % 2),
        )
        AcceptedMentorProfile.objects.filter(association=association).update(min_age=18)
        ContactFactory(association=association)
        ContactFactory(association=association, phone="")


YOUNG_ANSWERS = {
    "age": 12,
    "situation": "college",
    "besoins": ["confiance", "orientation"],
    "modalite": "distanciel",
    "situations_particulieres": ["rep", "qpv"],
}
VOLUNTEER_ANSWERS = {"age": 40, "situation": "salarie", "heures_par_mois": 9, "mois": 12}
LYCEEN = {"age": 17, "situation": "lyceen", "heures_par_mois": 9, "mois": 12}


class TestQueryCount:
    """A results page costs the same number of queries for 10 associations or for 41.

    Young person's page, 15 queries: the level, the needs and the audiences answered
    (3, form validation); one aggregate counting the associations, the matches and
    those each criterion leaves out (1, issue 5); the page of matches, filtered,
    scored and ranked in SQL (1); their contacts, levels, needs, venues and audiences
    (5 prefetches); the Collectif (1); the three lists of choices drawn in the form
    (3); the search counted for the statistics (1, issue 6: one INSERT … ON CONFLICT).
    Volunteer's page, 9 queries: the profile (1); the aggregate (1); the page of
    associations (1); contacts, venues and accepted profiles (3); the Collectif (1);
    the choices of profiles (1); the search counted (1). Without result, 10: the
    nearest options of every relaxed criterion are ranked in one query of keys (1)
    before the few shown are loaded (1) with their prefetches.
    The API costs the same without the Collectif, the drawing of the form and the count
    (only the forms' searches are counted). The places left of each association
    (`with_places`) are a subquery of the associations' query: no query more.
    """

    @pytest.mark.parametrize("extra", [0, 31])
    @pytest.mark.parametrize(
        ("url", "answers", "queries"),
        [
            # Issue 5: one more query (the SQL counts) for a page of results instead of
            # every association; two more without result (counts, nearest options' keys).
            (YOUNG, YOUNG_ANSWERS, 15),
            (VOLUNTEER, VOLUNTEER_ANSWERS, 9),
            (VOLUNTEER, LYCEEN, 10),  # no result: a fixed cost for the nearest options
            (reverse("orientation:api_young"), YOUNG_ANSWERS, 10),
            (reverse("orientation:api_volunteer"), VOLUNTEER_ANSWERS, 6),
        ],
    )
    def test_a_results_page_costs_fixed_queries(
        self, client, seed, django_assert_num_queries, extra, url, answers, queries
    ):
        large_directory(extra)
        Collective.objects.load()
        assert Association.objects.count() == 10 + extra
        with django_assert_num_queries(queries):
            response = client.get(url, answers)
        assert response.status_code == 200


class TestPagination:
    """Issue 5: the results come 20 to a page, ranked by the database."""

    def test_a_long_result_list_is_paginated_and_page_2_shows_the_next_results(self, client, seed):
        large_directory(31)
        questionnaire = YoungPerson(
            age=12,
            level=Level.objects.get(slug="college"),
            needs=list(Need.objects.filter(slug__in=YOUNG_ANSWERS["besoins"])),
            modality="distanciel",
            audiences=list(Audience.objects.filter(slug__in=["rep", "qpv"])),
        )
        whole = questionnaire.evaluate(Association.objects.all(), 1, 100)
        # The database ranks as the rules do: points first, then names.
        keys = [(m.waiting_list, -m.score, m.association.name.lower()) for m in whole.matches]
        assert keys == sorted(keys)
        ranking = [m.association.name for m in whole.matches]
        assert whole.count == len(ranking) > 20

        first = client.get(YOUNG, YOUNG_ANSWERS)
        outcome = first.context["outcome"]
        page = outcome.page
        assert (page.number, page.paginator.num_pages, outcome.count) == (1, 2, len(ranking))
        assert [m.association.name for m in outcome.matches] == ranking[:20]
        words = text(first)
        assert f"{len(ranking)} associations pour vous" in words
        assert "Page 1 sur 2" in words
        html = first.content.decode()
        next_link = re.search(r'href="\?([^"]*page=2)#resultats" rel="next"', html)
        assert next_link and "besoins=confiance" in next_link[1]

        second = client.get(f"{YOUNG}?{next_link[1].replace('&amp;', '&')}")
        outcome = second.context["outcome"]
        assert outcome.page.number == 2
        assert [m.association.name for m in outcome.matches] == ranking[20:]
        assert '<ol class="matches" start="21">' in second.content.decode()
        assert 'rel="prev"' in second.content.decode()
        # The referral links carry the answers, not the page.
        assert "page=" not in second.context["answers_query"]

    def test_the_api_is_paginated_with_the_total_count(self, client, seed):
        large_directory(31)
        api = reverse("orientation:api_young")
        body = client.get(api, YOUNG_ANSWERS).json()
        assert (body["page"], body["pages"], body["previous"]) == (1, 2, None)
        assert body["count"] > 20 and len(body["results"]) == 20
        second = client.get(body["next"]).json()
        assert second["page"] == 2 and second["next"] is None
        assert len(second["results"]) == body["count"] - 20
        assert second["previous"].endswith("page=1")
        names = [r["name"] for r in body["results"] + second["results"]]
        assert len(set(names)) == body["count"]
        # A page out of range shows the last one; a malformed one, the first.
        assert client.get(api, {**YOUNG_ANSWERS, "page": 99}).json()["page"] == 2
        assert client.get(api, {**YOUNG_ANSWERS, "page": "x"}).json()["page"] == 1

    # Whatever is sent as `page`: Paginator.get_page() shows the first page for anything
    # that is not a number (² and ① are digits to str.isdigit(), not to int()), the
    # last one for a number below 1 or past the end. Never a server error.
    HOSTILE_PAGES = [
        ("²", 1),
        ("①", 1),
        ("-1", 2),
        ("0", 2),
        ("99999999999", 2),
        ("\x00", 1),  # page=%00
        ("9" * 5_000, 1),  # more digits than int() reads
        ("1.5", 1),
        ("２", 2),  # a full-width digit is a number
    ]

    @pytest.mark.parametrize(("page", "shown"), HOSTILE_PAGES)
    def test_a_hostile_page_number_shows_a_real_page(self, client, seed, page, shown):
        large_directory(31)
        response = client.get(YOUNG, {**YOUNG_ANSWERS, "page": page})
        assert response.status_code == 200
        assert response.context["outcome"].page.number == shown
        html = response.content.decode()
        assert f'<li aria-current="page">Page {shown} sur 2</li>' in html
        assert ('<ol class="matches" start="21">' in html) is (shown == 2)
        api = client.get(reverse("orientation:api_young"), {**YOUNG_ANSWERS, "page": page})
        assert api.status_code == 200
        body = api.json()
        assert (body["page"], body["pages"], len(body["results"])) == (
            shown,
            2,
            20 if shown == 1 else body["count"] - 20,
        )

    @pytest.mark.parametrize("page", [page for page, _ in HOSTILE_PAGES])
    def test_a_hostile_page_number_on_a_single_page_or_without_result(self, client, seed, page):
        for answers in [VOLUNTEER_ANSWERS, LYCEEN]:
            response = client.get(VOLUNTEER, {**answers, "page": page})
            assert response.status_code == 200
            assert 'class="pagination"' not in response.content.decode()
            body = client.get(reverse("orientation:api_volunteer"), {**answers, "page": page})
            assert body.status_code == 200
            assert (body.json()["page"], body.json()["pages"]) == (1, 1)
        assert response.context["outcome"].relaxations  # LYCEEN: no result, nearest options


class TestForms:
    """The questionnaires are plain forms: their fields are the public parameters."""

    def test_the_questions_are_the_public_parameters(self):
        assert list(YoungPersonForm.base_fields) == [
            "age",
            "situation",
            "besoins",
            "modalite",
            "situations_particulieres",
        ]
        assert list(VolunteerForm.base_fields) == [
            "age",
            "situation",
            "heures_par_mois",
            "mois",
            "modalite",
        ]
        assert {
            Seeker.YOUNG_PERSON: YoungPersonForm,
            Seeker.VOLUNTEER: VolunteerForm,
        } == QUESTIONNAIRE_FORMS

    def test_a_valid_form_gives_the_questionnaire_of_its_answers(self, seed):
        form = YoungPersonForm(
            QueryDict("age=12&situation=college&besoins=confiance&modalite=distanciel")
        )
        assert form.is_valid()
        young = form.questionnaire()
        assert isinstance(young, YoungPerson)
        assert (young.age, young.level.slug, young.modality, young.audiences) == (
            12,
            "college",
            "distanciel",
            [],
        )
        assert [need.slug for need in young.needs] == ["confiance"]
        form = VolunteerForm(QueryDict("age=40&situation=salarie&heures_par_mois=9&mois=12"))
        assert form.is_valid()
        mentor = form.questionnaire()
        assert isinstance(mentor, Volunteer)
        assert (mentor.age, mentor.profile.slug, mentor.hours, mentor.months, mentor.modality) == (
            40,
            "salarie",
            9,
            12,
            "",
        )

    def test_the_summary_says_the_valid_answers_in_words(self, seed):
        form = YoungPersonForm(QueryDict("age=douze&besoins=confiance&modalite=presentiel"))
        assert not form.is_valid()
        assert set(form.answered()) == {"besoins", "modalite"}
        assert form.summary() == (
            f"Besoins{NBSP}: confiance en soi.\nRencontres de préférence en présentiel."
        )
        volunteer_form = VolunteerForm(QueryDict("heures_par_mois=9&mois=12&modalite=distanciel"))
        assert volunteer_form.summary() == (
            f"Je peux donner 9{NBSP}heures par mois pendant 12{NBSP}mois.\n"
            "Rencontres de préférence à distance."
        )
        assert YoungPersonForm().answered() == {} and YoungPersonForm().summary() == ""

    @pytest.mark.parametrize("form_class", [YoungPersonForm, VolunteerForm])
    def test_the_age_bounds_and_their_messages_come_from_the_vocabularies(self, form_class):
        low, high = AGES[form_class.seeker]
        age = form_class.base_fields["age"]
        assert (age.min_value, age.max_value) == (low, high)
        said = f"de {low} à {high}{NBSP}ans"
        assert age.help_text.endswith(f"{said[0].upper()}{said[1:]}.")
        for error in ["invalid", "min_value", "max_value"]:
            assert age.error_messages[error] == f"Indiquez un âge en chiffres, {said}."

    def test_every_question_has_a_short_label_for_the_statistics(self):
        for form_class in QUESTIONNAIRE_FORMS.values():
            for name, field in form_class.base_fields.items():
                assert field.short_label, name
        assert [field.short_label for field in YoungPersonForm.base_fields.values()] == [
            "Âge",
            "Situation",
            "Besoins",
            "Rencontres",
            "Situations particulières",
        ]
