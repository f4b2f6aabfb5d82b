"""The orientation questionnaires: eligibility at every edge of the brochure, words, pages."""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from pytest_django.asserts import assertInHTML

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
from core.french import NBSP
from core.vocabularies import AGES, Respondent, Seeker
from orientation.forms import FORMS as QUESTIONNAIRE_FORMS
from orientation.forms import UNKNOWN, VolunteerForm, YoungPersonForm
from orientation.questionnaires import NEAR, Volunteer, YoungPerson, within_reach

from .factories import AssociationFactory, ContactFactory
from .helpers import (
    HOSTILE,
    PAYLOAD,
    VOLUNTEER_HOSTILE,
    form_data,
    page_text,
    volunteer_answers,
    young_answers,
    young_query,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("orientation:index")
YOUNG = reverse("orientation:young")
VOLUNTEER = reverse("orientation:volunteer")
SENT = {"envoi": "1"}  # the questionnaire's button

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


def plain(words):
    return [word.replace(NBSP, " ") for word in words]


def young_person(age, level, **answers):
    """Match through the rules themselves: edges outside the form's bounds too."""
    questionnaire = YoungPerson(age=age, level=Level.objects.get(slug=level), **answers)
    return questionnaire.evaluate(Association.objects.all())


def volunteer(
    age,
    profile,
    rhythm="plus",
    hours=20,
    commitment="plusieurs-annees",
    hours_per="",
    modality="",
):
    questionnaire = Volunteer(
        age=age,
        profile=MentorProfile.objects.get(slug=profile),
        rhythm=rhythm,
        hours=Decimal(str(hours)),
        hours_per=hours_per,
        commitment=commitment,
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
        assertInHTML(f'<link rel="canonical" href="http://localhost:8000{url}">', page)

    def test_the_index_asks_who_answers_from_the_start(self, client, seed):
        page = client.get(INDEX).content.decode()
        for respondent in Respondent:
            link = f'<a href="{YOUNG}?qui={respondent.value}"><strong>{respondent.label}</strong>'
            assert link in page
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
            assert 'id="deja-choisi"' not in page
            assert '<meta name="robots"' not in page
            assert 'method="get"' in page
            assert '<button class="button" type="submit" name="envoi" value="1">' in page
            assert "roubaix@collectifmentorat.fr" in page

    def test_each_question_is_a_fieldset_with_a_legend_and_labelled_controls(self, client, seed):
        page = client.get(YOUNG).content.decode()
        legends = re.findall(r"<legend[^>]*>([^<]+)</legend>", page)
        assert plain(legends) == [
            "Pour qui cherchez-vous un mentor ?",
            "Quel âge a le jeune ?",
            "Où en est le jeune ?",
            "De quoi le jeune a-t-il besoin ?",
            "Comment préférez-vous vous rencontrer ?",
            "Le jeune est-il dans une de ces situations ?",
        ]
        assert page.count("<fieldset") == 6
        for control_id in re.findall(r'<input [^>]*id="([^"]+)"', page):
            assert f'<label for="{control_id}">' in page, control_id
        assertInHTML('<label for="id_age">Âge, en années</label>', page)
        volunteer_page = client.get(VOLUNTEER).content.decode()
        assert plain(re.findall(r"<legend[^>]*>([^<]+)</legend>", volunteer_page)) == [
            "Quel âge avez-vous ?",
            "Quelle est votre situation ?",
            "À quel rythme pouvez-vous voir un jeune ?",
            "Combien d’heures pouvez-vous donner ?",
            "Ces heures, c’est…",
            "Pendant combien de temps pouvez-vous vous engager ?",
            "Comment préférez-vous vous rencontrer ?",
        ]

    def test_the_choices_come_from_the_vocabularies(self, client, seed):
        Need.objects.create(name="Estime de soi", slug="estime", position=99)
        page = client.get(YOUNG).content.decode()
        assert 'value="estime"' in page
        for level in Level.objects.all():
            assert f'value="{level.slug}"' in page
        for audience in Audience.objects.all():
            assert f'value="{audience.slug}"' in page
        assert 'value="je-ne-sais-pas"' in page
        volunteer_page = client.get(VOLUNTEER).content.decode()
        for profile in MentorProfile.objects.all():
            assert f'value="{profile.slug}"' in volunteer_page

    def test_a_staff_added_term_works_in_the_questionnaire(self, client, seed):
        level = Level.objects.create(name="Service civique", slug="service-civique", position=99)
        Association.objects.get(slug="face-mel").levels.add(level)
        response = client.get(YOUNG, young_answers(age=20, situation="service-civique"))
        assert slugs(response.context["outcome"]) == ["face-mel"]

    def test_answers_stay_in_the_form_and_results_show_below(self, client, seed):
        response = client.get(
            YOUNG, young_answers(besoins=["confiance"], modalite="distanciel", **SENT)
        )
        page = response.content.decode()
        assert 'name="age" value="12"' in page
        assert re.search(r'value="parent" id="id_qui_1" required checked', page)
        assert re.search(r'value="college" id="id_situation_2" required checked', page)
        assert re.search(r'value="confiance" id="id_besoins_1" checked', page)
        assert re.search(r'value="distanciel" id="id_modalite_2" checked', page)
        assert page.index('<form class="filters"') < page.index('id="resultats"')
        assertInHTML('<meta name="robots" content="noindex">', page)
        assert 'action="/orientation/jeune/#resultats"' in page

    def test_a_result_says_why_then_offers_the_request_then_the_details(self, client, seed):
        response = client.get(YOUNG, young_answers(besoins=["confiance"], modalite="distanciel"))
        page = response.content.decode()
        afev = page[page.index('<a href="/associations/afev/">Afev</a></h3>') :]
        why = afev.index(f'<p class="match__why">Aide pour{NBSP}: confiance en soi</p>')
        button = afev.index('<a class="button" href="/associations/afev/mise-en-relation/?')
        details = afev.index("Pourquoi elle correspond à votre enfant")
        assert why < button < details
        assertInHTML('<a href="mailto:lille@afev.org">lille@afev.org</a>', page)
        assertInHTML('<a href="tel:+33636152643">06 36 15 26 43</a>', page)
        assertInHTML('<a href="/associations/proxite/">Tout savoir sur Proxité</a>', page)

    def test_no_points_and_one_short_sentence_on_the_order(self, client, seed):
        response = client.get(YOUNG, young_answers())
        words = page_text(response)
        assert "point" not in words
        assert "4 associations pour votre enfant" in words
        assert (
            "4 sur 10 correspondent à vos réponses. D’abord les associations faites pour la "
            "situation de votre enfant, puis celles qui répondent au plus grand nombre de ses "
            "besoins, puis celles qui proposent les rencontres que vous préférez ; les listes "
            "d’attente en dernier."
        ) in words
        volunteer_words = page_text(client.get(VOLUNTEER, volunteer_answers()))
        assert "point" not in volunteer_words
        assert (
            "D’abord les associations faites pour votre situation, puis celles qui ne demandent "
            "pas plus de temps que vous n’en proposez, puis celles qui proposent les rencontres "
            "que vous préférez."
        ) in volunteer_words

    def test_the_radio_buttons_keep_their_size_when_a_label_wraps(self, client, seed):
        css = client.get("/static/css/orientation.css")
        stylesheet = b"".join(css.streaming_content).decode()
        assert ".question .checkbox-list input { flex: none; }" in stylesheet


class TestWhoAnswers:
    """The questions and the results speak to the person who answers."""

    WORDS = {
        "jeune": (
            "Quel âge avez-vous ?",
            "Où en êtes-vous ?",
            "3 associations pour vous",
            "Pourquoi elle vous correspond",
        ),
        "parent": (
            "Quel âge a votre enfant ?",
            "Où en est votre enfant ?",
            "3 associations pour votre enfant",
            "Pourquoi elle correspond à votre enfant",
        ),
        "professionnel": (
            "Quel âge a le jeune ?",
            "Où en est le jeune ?",
            "3 associations pour ce jeune",
            "Pourquoi elle correspond à ce jeune",
        ),
    }

    @pytest.mark.parametrize("respondent", WORDS)
    def test_questions_and_results_address_the_person(self, client, seed, respondent):
        age, situation, heading, why = self.WORDS[respondent]
        response = client.get(YOUNG, {"qui": respondent, "age": "19", "situation": "sans-activite"})
        words = page_text(response)
        assert f"{age} Âge, en années" in words
        assert situation in words
        assert heading in words
        assert why in words

    def test_a_questionnaire_opened_for_someone_speaks_to_them_before_any_answer(
        self, client, seed
    ):
        response = client.get(YOUNG, {"qui": "jeune"})
        assert response.context["outcome"] is None
        assert 'class="errorlist"' not in response.content.decode()
        assert "Quel âge avez-vous ?" in page_text(response)

    def test_each_question_carries_its_words_for_everyone_for_the_script(self, client, seed):
        page = client.get(YOUNG).content.decode()
        assert (
            f'<legend data-wording-jeune="Quel âge avez-vous{NBSP}?" '
            f'data-wording-parent="Quel âge a votre enfant{NBSP}?" '
            f'data-wording-professionnel="Quel âge a le jeune{NBSP}?">'
        ) in page
        assert '<script src="/static/js/questionnaire.js">' in page

    def test_the_missing_age_is_asked_of_the_person(self, client, seed):
        response = client.get(YOUNG, {"qui": "jeune", "situation": "college", **SENT})
        assert response.context["form"].errors == {"age": ["Indiquez votre âge."]}
        response = client.get(YOUNG, {"qui": "parent", **SENT})
        assert response.context["form"].errors["age"] == ["Indiquez l’âge de votre enfant."]
        assert response.context["form"].errors["situation"] == [
            "Choisissez la classe ou la situation de votre enfant."
        ]


class TestPrefilled:
    """An address with some answers (a flyer's QR code) opens the form with them chosen."""

    def test_a_level_alone_is_chosen_without_any_error_nor_result(self, client, seed):
        response = client.get(YOUNG, {"situation": "lycee-pro"})
        assert response.status_code == 200
        page = response.content.decode()
        assert re.search(r'value="lycee-pro" id="id_situation_4" required checked', page)
        assert 'class="errorlist"' not in page and 'class="error-summary"' not in page
        assert "<title>Erreur" not in page
        assert response.context["outcome"] is None
        assert 'id="deja-choisi"' in page
        assert "Répondez aux autres questions" in page_text(response)

    def test_the_flyers_printed_address_opens_the_questionnaire_ready(self, client, seed):
        """From each level flyer's printed address (opendata.printing builds it)."""
        for level in Level.objects.filter(associations__isnull=False).distinct():
            flyer = client.get(reverse("opendata:level_flyer", args=[level.slug]))
            (printed,) = re.findall(
                r'<a class="url" href="([^"]+/orientation/[^"]+)"', flyer.content.decode()
            )
            path = printed.replace("&amp;", "&").removeprefix("http://localhost:8000")
            response = client.get(path)
            assert response.status_code == 200, level.slug
            assert response.context["form"]["situation"].value() == level.slug
            page = response.content.decode()
            assert f'value="{level.slug}" id="id_situation_' in page
            assert re.search(rf'value="{level.slug}" id="id_situation_\d+" required checked', page)
            assert 'class="errorlist"' not in page, level.slug
            assert response.context["outcome"] is None

    def test_sent_with_missing_answers_the_form_says_what_to_complete(self, client, seed):
        response = client.get(YOUNG, {"situation": "lycee-pro", **SENT})
        assert set(response.context["form"].errors) == {"qui", "age"}
        assert "2 réponses à compléter ou à corriger" in page_text(response)

    def test_every_required_answer_without_the_button_is_a_search(self, client, seed):
        """A saved address of results (a bookmark, a link sent to a parent)."""
        response = client.get(YOUNG, young_answers())
        assert response.context["outcome"].count == 4

    def test_an_invalid_answer_in_a_partial_address_is_left_out(self, client, seed):
        response = client.get(YOUNG, {"situation": "lycee-pro", "age": "douze"})
        assert 'class="errorlist"' not in response.content.decode()
        form = response.context["form"]
        assert form["age"].value() is None and form["qui"].value() is None
        assert form["situation"].value() == "lycee-pro"

    def test_a_volunteer_address_with_a_rhythm_only(self, client, seed):
        response = client.get(VOLUNTEER, {"rythme": "1-par-mois"})
        page = response.content.decode()
        assert re.search(r'value="1-par-mois" id="id_rythme_0" required checked', page)
        assert 'class="errorlist"' not in page


class TestAgeBounds:
    """The ages a young person's form accepts come from the associations' stated ranges."""

    def test_the_brochures_range_widened_to_every_stated_range(
        self, seed, django_assert_num_queries
    ):
        with django_assert_num_queries(1):  # one aggregate
            assert Association.objects.young_age_bounds() == (5, 33)  # DUO for a JOB: 18-33

    def test_the_directory_moves_the_bounds(self, seed):
        AssociationFactory(age_min=3, age_max=35)
        assert Association.objects.young_age_bounds() == (3, 35)
        Association.objects.all().delete()
        assert Association.objects.young_age_bounds() == AGES[Seeker.YOUNG_PERSON]

    def test_the_form_says_the_brochures_words_and_accepts_the_directorys_ages(self, client, seed):
        form = YoungPersonForm()
        age = form.fields["age"]
        assert (age.min_value, age.max_value) == (5, 33)
        assert age.help_text == (
            f"Le mentorat s’adresse aux jeunes de 5 à 30{NBSP}ans{NBSP}; certaines associations "
            f"accompagnent jusqu’à 33{NBSP}ans."
        )
        response = client.get(YOUNG, young_answers(age="33", situation="recherche-emploi"))
        assert "duo-for-a-job" in slugs(response.context["outcome"])
        response = client.get(YOUNG, young_answers(age="34", situation="recherche-emploi"))
        assert response.context["form"].errors == {
            "age": [f"Indiquez un âge en chiffres, de 5 à 33{NBSP}ans."]
        }

    def test_the_volunteers_ages_are_the_portals(self):
        age = VolunteerForm.base_fields["age"]
        assert (age.min_value, age.max_value) == AGES[Seeker.VOLUNTEER]


class TestYoungPersonEligibility:
    """Every edge of the brochure's data, through the rules (bounds outside the form too)."""

    # At 18 every stated age range of the brochure matches: the level decides, and Afev,
    # whose levels come from its partner schools and who states 5 to 18, is never left out.
    @pytest.mark.parametrize(
        ("level", "expected"),
        [
            ("maternelle", set()),
            ("ecole", {"la-cle"}),
            ("college", {"face-mel", "la-cle", "proxite", "telemaque"}),
            ("lycee", {"article-1", "cpossible", "face-mel", "la-cle", "proxite", "telemaque"}),
            ("lycee-pro", ALL - {"duo-for-a-job", "afev"}),
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
        assert set(slugs(young_person(18, level))) == expected | {"afev"}

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
    def test_an_unstated_age_never_excludes_nor_clutters(self, seed, age):
        match = match_of(young_person(age, "ecole"), "la-cle")
        assert not any("Âge" in line for line in match.caveats + match.reasons)

    def test_reachable_edges_through_the_page(self, client, seed):
        def page_slugs(age, level):
            answers = young_answers(age=age, situation=level)
            return slugs(client.get(YOUNG, answers).context["outcome"])

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
        face = match_of(young_person(25, "recherche-emploi"), "face-mel")
        assert "Réservé aux jeunes habitant un quartier prioritaire (QPV)" in face.caveats

    def test_a_stated_audience_ranks_first_with_its_reason(self, seed):
        refugee = Audience.objects.get(slug="refugie-immigration")
        outcome = young_person(25, "recherche-emploi", audiences=[refugee])
        assert slugs(outcome)[0] == "duo-for-a-job"
        duo = outcome.matches[0]
        assert duo.why == "Accompagne les jeunes réfugiés ou issus de l’immigration"
        assert not any(caveat.startswith("Réservé") for caveat in duo.caveats)

    def test_a_priority_audience_is_said(self, seed):
        rep = Audience.objects.get(slug="rep")
        afev = match_of(young_person(12, "college", audiences=[rep]), "afev")
        assert "Accompagne en priorité les élèves d’un établissement REP ou REP+" in afev.reasons


class TestStatedFactsFirst:
    """A stated age range beats levels inferred from partner schools: the maternelle path."""

    def test_a_5_year_old_in_maternelle_finds_afev_to_check(self, client, seed):
        response = client.get(YOUNG, young_answers(age="5", situation="maternelle"))
        outcome = response.context["outcome"]
        assert slugs(outcome) == ["afev"]
        (afev,) = outcome.matches
        assert plain(afev.reasons)[0] == "Accompagne les jeunes de 5 à 18 ans"
        assert plain(afev.caveats) == [
            "École maternelle : ses niveaux viennent de ses partenaires (écoles élémentaires, "
            "collèges, lycées et établissements scolaires REP et REP+), mais elle accompagne les "
            "jeunes de 5 à 18 ans"
        ]
        page = response.content.decode()
        assert '<a class="button" href="/associations/afev/mise-en-relation/?' in page
        assert "1 association pour votre enfant" in page_text(response)

    def test_a_level_the_association_states_itself_still_decides(self, seed):
        # DUO for a JOB states both its ages and its public (job seekers): a 20-year-old
        # student is not offered it.
        assert "duo-for-a-job" not in slugs(young_person(20, "etudes-superieures"))

    def test_the_inferred_level_ranks_after_the_confirmed_ones(self, seed):
        assert slugs(young_person(17, "apprentissage"))[-1] == "afev"

    def test_without_the_flag_the_levels_decide_and_nothing_fits(self, client, seed):
        Association.objects.filter(slug="afev").update(levels_from_partners=False)
        response = client.get(YOUNG, young_answers(age="5", situation="maternelle"))
        assert response.context["outcome"].count == 0


class TestNoMatch:
    def nursery_school(self, client):
        Association.objects.filter(slug="afev").update(levels_from_partners=False)
        return client.get(YOUNG, young_answers(age="5", situation="maternelle"))

    def test_the_collectif_comes_first_then_at_most_three_nearest(self, client, seed):
        collective = Collective.objects.load()
        collective.contact_phone = "0320000000"
        collective.save()
        response = self.nursery_school(client)
        outcome = response.context["outcome"]
        assert outcome.matches == [] and len(outcome.nearest) <= 3
        page = response.content.decode()
        collectif = page.index('<p class="help help--first">')
        assert collectif < page.index('<a href="mailto:roubaix@collectifmentorat.fr">')
        assert page.index('<a href="tel:+33320000000">03 20 00 00 00</a>') < page.index(
            'id="titre-proches"'
        )
        words = page_text(response)
        assert "Aucune association ne correspond à toutes vos réponses" in words
        assert "Ce qui écarte le plus d’associations : la situation (10 sur 10)." in words
        assert "Les plus proches de vos réponses" in words

    def test_the_nearest_never_include_an_association_whose_ages_exclude(self, client, seed):
        nearest = self.nursery_school(client).context["outcome"].nearest
        assert [m.association.slug for m in nearest] == ["afev", "anaf", "article-1"]
        for match in nearest:
            assert match.association.serves_age(5)
            assert match.differences and match.differences[0].startswith("Situations accompagnées")
        assert plain(nearest[0].differences) == [
            "Situations accompagnées : école élémentaire, collège, lycée général ou technologique "
            "et lycée professionnel"
        ]

    def test_the_nearest_have_no_request_button(self, client, seed):
        page = self.nursery_school(client).content.decode()
        assert '<a class="button"' not in page[page.index('id="titre-proches"') :]
        assert "Ce qui ne correspond pas à vos réponses" in page

    def test_no_association_takes_high_school_mentors(self, client, seed):
        response = client.get(VOLUNTEER, volunteer_answers(age="17", situation="lyceen"))
        outcome = response.context["outcome"]
        assert outcome.matches == []
        assert outcome.main_exclusion.criterion == Volunteer.PROFILE
        assert outcome.main_exclusion.count == 10
        words = page_text(response)
        assert "Ce qui écarte le plus d’associations : votre situation (10 sur 10)." in words
        assert [m.association.slug for m in outcome.nearest] == ["afev", "article-1", "cpossible"]
        # Never one whose age condition excludes a 17-year-old (DUO for a JOB: 50).
        assert plain(outcome.nearest[0].differences) == [
            "Mentors acceptés : étudiant ou étudiante et alternant ou apprenti"
        ]

    def test_only_relaxable_criteria_are_relaxed(self, seed):
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
        assert [m.association.name for m in outcome.nearest] == ["Lycéens"]
        assert plain(outcome.nearest[0].differences) == [
            "Situations accompagnées : lycée général ou technologique"
        ]

    def test_when_even_one_change_is_not_enough_the_collectif_is_there(self, client, db):
        response = client.get(YOUNG, young_answers())
        assert response.context["outcome"].nearest == []
        words = page_text(response)
        assert "Même en changeant une seule réponse, aucune association ne correspond." in words
        assert "connaît toutes les associations" in words
        # The Collectif has not given its e-mail yet: the contact page stands in.
        assert (
            f'<a href="{reverse("pages:contact")}">contactez-nous</a>' in response.content.decode()
        )

    def test_the_collectifs_contact_comes_from_the_admin(self, client, seed):
        collective = Collective.objects.load()
        collective.contact_email = "orientation@example.org"
        collective.save()
        page = client.get(YOUNG).content.decode()
        assertInHTML('<a href="mailto:orientation@example.org">orientation@example.org</a>', page)


class TestRanking:
    def test_an_association_made_for_the_level_ranks_above_those_that_accept_it(self, seed):
        """ "Made for": fewer levels than the directory's associations have on average."""
        links = Association.levels.through.objects.count()
        average = links / Association.objects.count()
        outcome = young_person(17, "lycee-pro")
        made_for = [m for m in outcome.matches if m.association.levels.count() < average]
        assert {m.association.slug for m in made_for} == {"anaf", "article-1", "cpossible"}
        assert outcome.matches[: len(made_for)] == made_for
        assert plain(made_for[0].reasons)[0] == (
            "Accompagne seulement : lycée professionnel, apprentissage et en recherche d’emploi "
            "ou de formation"
        )
        assert made_for[0].why == f"Faite pour{NBSP}: lycée professionnel"  # one line

    def test_an_apprentice_sees_the_apprentices_programme_first(self, seed):
        assert slugs(young_person(17, "apprentissage"))[0] == "anaf"

    def test_specificity_is_computed_from_the_data_not_the_names(self, seed):
        assert slugs(young_person(16, "lycee"))[:2] == ["article-1", "cpossible"]
        # C'Possible now accepts every level: it is no longer made for the lycée, and the
        # directory's average moves with it (Afev's four levels are now fewer).
        Association.objects.get(slug="cpossible").levels.set(Level.objects.all())
        outcome = young_person(16, "lycee")
        fits = {m.association.slug: m.association.fit for m in outcome.matches}
        assert fits["cpossible"] == 1 and fits["article-1"] == fits["afev"] == 2
        made_for = [slug for slug in slugs(outcome) if fits[slug] == 2]
        assert slugs(outcome)[: len(made_for)] == made_for

    def test_a_programme_reserved_to_an_unticked_public_is_not_made_for_the_person(self, seed):
        outcome = young_person(25, "recherche-emploi")
        assert slugs(outcome)[0] == "anaf"
        refugee = Audience.objects.get(slug="refugie-immigration")
        assert slugs(young_person(25, "recherche-emploi", audiences=[refugee]))[0] == (
            "duo-for-a-job"
        )

    def test_then_shared_needs_then_the_modality_then_names(self, seed):
        needs = list(
            Need.objects.filter(slug__in=["confiance", "ouverture-culturelle", "francais"])
        )
        assert slugs(young_person(12, "college", needs=needs)) == [
            "la-cle",  # 3 needs
            "afev",  # 2
            "telemaque",  # 2
            "proxite",  # 0
        ]
        outcome = young_person(12, "college", needs=needs[:1], modality="distanciel")
        assert slugs(outcome)[-1] == "proxite"
        assert "Propose seulement des rencontres en présentiel" in outcome.matches[-1].differences

    def test_a_need_the_association_does_not_cite_is_a_difference_not_a_caveat(self, seed):
        needs = list(Need.objects.filter(slug="francais"))
        proxite = match_of(young_person(12, "college", needs=needs), "proxite")
        assert plain(proxite.differences) == ["Ne cite pas : français langue de scolarisation"]
        assert not any("besoin" in caveat for caveat in proxite.caveats)

    def test_waiting_lists_last_for_a_young_person(self, seed):
        first = young_person(12, "college").matches[0].association
        Association.objects.filter(pk=first.pk).update(
            places_adjustment=1000, roubaix_capacity_is_minimum=False
        )
        outcome = young_person(12, "college")
        assert outcome.matches[-1].association == first and outcome.matches[-1].waiting_list

    def test_a_volunteers_situation_made_for_ranks_first(self, seed):
        assert slugs(volunteer(20, "etudiant")) == ["afev", "la-cle"]
        afev = volunteer(20, "etudiant").matches[0]
        assert afev.why == f"Faite pour{NBSP}: étudiant ou étudiante"
        assert afev.reasons[0] == (
            f"Accepte seulement les mentors{NBSP}: étudiant ou étudiante et alternant ou apprenti"
        )

    def test_ties_are_alphabetical_whatever_the_case_and_accents(self, seed):
        assert slugs(volunteer(60, "salarie")) == [
            "article-1",
            "cpossible",
            "face-mel",
            "la-cravate-solidaire",
            "proxite",
            "telemaque",
            "anaf",
            "duo-for-a-job",
            "la-cle",
        ]


class TestVolunteerTime:
    """Rhythm, time per meeting or per week, commitment; a near miss stays."""

    def test_near_is_defined_once(self):
        assert Decimal("0.75") == NEAR
        assert within_reach(Decimal("96")) == Decimal("128")

    @pytest.mark.parametrize(
        ("rhythm", "hours", "per", "expected"),
        [
            ("1-par-semaine", "2", "", "fits"),  # 2 h a week: what Afev asks
            ("1-par-mois", "2", "semaine", "fits"),
            ("2-par-mois", "4", "", "near"),  # 8 h a month against 8,7
            ("1-par-semaine", "1.5", "", "near"),  # 78 h a year against 104: 3/4
            ("1-par-semaine", "1", "", "out"),  # 1 h a week: half
            ("1-par-mois", "1", "", "out"),
        ],
    )
    def test_afev_asks_two_hours_a_week(self, seed, rhythm, hours, per, expected):
        outcome = volunteer(20, "etudiant", rhythm=rhythm, hours=hours, hours_per=per)
        if expected == "out":
            assert "afev" not in slugs(outcome)
            return
        afev = match_of(outcome, "afev")
        asks_more = f"Demande un peu plus de temps{NBSP}: 2{NBSP}h par semaine"
        assert (asks_more in afev.differences) is (expected == "near")
        assert (f"Temps{NBSP}: 2{NBSP}h par semaine" in afev.reasons) is (expected == "fits")

    def test_a_retiree_giving_two_hours_a_week_finds_duo_for_a_job(self, client, seed):
        answers = volunteer_answers(
            age="66", situation="retraite", heures="2", heures_par="semaine"
        )
        outcome = client.get(VOLUNTEER, answers).context["outcome"]
        duo = match_of(outcome, "duo-for-a-job")
        assert duo.differences == []
        assert f"Temps{NBSP}: 2{NBSP}h par semaine" in duo.reasons

    def test_a_near_miss_comes_after_those_that_fit(self, seed):
        outcome = volunteer(66, "retraite", rhythm="1-par-semaine", hours="1.5")
        assert slugs(outcome)[-1] == "duo-for-a-job"

    def test_one_meeting_a_month_can_be_given_and_weekly_programmes_are_left_out(self, seed):
        outcome = volunteer(40, "salarie", rhythm="1-par-mois", hours=3)
        assert {"cpossible", "la-cle", "duo-for-a-job"}.isdisjoint(slugs(outcome))
        assert {"anaf", "face-mel", "proxite", "telemaque"} <= set(slugs(outcome))
        telemaque = match_of(outcome, "telemaque")
        assert f"Rythme{NBSP}: 1{NBSP}fois par mois" in telemaque.reasons

    @pytest.mark.parametrize(
        ("rhythm", "hours", "expected"),
        [("1-par-mois", "3", "fits"), ("1-par-mois", "2.5", "near"), ("1-par-mois", "2", "out")],
    )
    def test_anaf_asks_3_hours_a_month(self, seed, rhythm, hours, expected):
        outcome = volunteer(40, "salarie", rhythm=rhythm, hours=hours)
        if expected == "out":
            assert "anaf" not in slugs(outcome)
        else:
            differences = match_of(outcome, "anaf").differences
            assert bool(differences) is (expected == "near")

    def test_la_cravate_solidaire_asks_two_meetings_a_month(self, seed):
        assert "la-cravate-solidaire" not in slugs(volunteer(40, "salarie", rhythm="1-par-mois"))
        assert "la-cravate-solidaire" in slugs(volunteer(40, "salarie", rhythm="2-par-mois"))

    @pytest.mark.parametrize(
        ("commitment", "expected"),
        [
            ("quelques-semaines", {"face-mel", "la-cravate-solidaire"}),
            ("6-mois", {"anaf", "article-1", "duo-for-a-job", "face-mel", "la-cravate-solidaire"}),
            ("annee-scolaire", ALL - {"afev", "telemaque"}),  # Proxité's "1 an" is in
            ("plusieurs-annees", ALL - {"afev"}),  # Télémaque asks 6 years
        ],
    )
    def test_the_commitment(self, seed, commitment, expected):
        assert set(slugs(volunteer(60, "salarie", commitment=commitment))) == expected

    @pytest.mark.parametrize(("age", "fits"), [(49, False), (50, True)])
    def test_duo_for_a_job_takes_mentors_from_50(self, seed, age, fits):
        assert ("duo-for-a-job" in slugs(volunteer(age, "salarie"))) is fits

    @pytest.mark.parametrize(("age", "fits"), [(20, False), (21, True)])
    def test_anaf_takes_apprentices_from_21(self, seed, age, fits):
        assert ("anaf" in slugs(volunteer(age, "apprenti"))) is fits

    def test_anafs_age_for_apprentices_does_not_apply_to_employees(self, seed):
        assert "anaf" in slugs(volunteer(20, "salarie"))

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

    def test_a_volunteers_reasons_in_plain_words(self, seed):
        outcome = volunteer(
            55,
            "retraite",
            rhythm="1-par-semaine",
            hours=2,
            commitment="6-mois",
            modality="presentiel",
        )
        duo = match_of(outcome, "duo-for-a-job")
        assert plain(duo.reasons) == [
            "Accepte les mentors : retraité ou retraitée",
            "Mentors à partir de 50 ans",
            "Engagement : 6 mois",
            "Rythme : 1 fois par semaine",
            "Temps : 2 h par semaine",
            "Propose des rencontres en présentiel",
        ]
        assert duo.caveats == [] and duo.differences == []
        assert duo.why == f"Temps{NBSP}: 2{NBSP}h par semaine"

    def test_a_volunteers_caveats(self, seed):
        anaf = match_of(
            volunteer(22, "apprenti", rhythm="1-par-mois", hours=3, commitment="6-mois"), "anaf"
        )
        assert "Mentors à partir de 21\u00a0ans" in anaf.reasons
        assert f"Condition pour votre situation{NBSP}: au moins 2 ans d’expérience" in anaf.caveats
        la_cle = match_of(volunteer(40, "etudiant", rhythm="1-par-semaine"), "la-cle")
        assert "Dans les locaux de l’association ou dans un lieu tiers" in la_cle.reasons
        assert not any("non précisé" in caveat for caveat in la_cle.caveats)

    def test_a_young_volunteer_is_told_to_ask_the_minimum_age(self, seed):
        la_cle = match_of(volunteer(16, "etudiant"), "la-cle")
        assert f"Âge minimum des mentors{NBSP}: à demander à l’association" in la_cle.caveats
        adult = match_of(volunteer(19, "etudiant"), "la-cle")
        assert not any(caveat.startswith("Âge minimum") for caveat in adult.caveats)

    def test_the_associations_time_from_the_brochures_words(self, seed):
        words = {a.slug: (a.frequency_label, a.time_label) for a in Association.objects.all()}
        assert plain(words["la-cle"]) == ["1 à 2 fois par semaine", ""]
        assert plain(words["proxite"]) == ["1 à 4 fois par mois", ""]
        assert plain(words["face-mel"]) == ["au moins 1 fois par mois", ""]
        assert plain(words["duo-for-a-job"]) == ["1 fois par semaine", "2 h par semaine"]
        assert plain(words["anaf"]) == ["", "3 h par mois"]

    def test_python_and_sql_count_the_same_time(self, seed):
        AssociationFactory(
            meetings_min=2, meetings_period="mois", hours=Decimal("1.5"), hours_period="rencontre"
        )
        for association in Association.objects.with_yearly_time():
            assert association.meetings_asked == association.yearly_meetings
            assert association.hours_asked == association.yearly_hours
        assert Association.objects.get(slug="duo-for-a-job").yearly_hours == 104


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
        answers = young_answers(age=19, situation="ecole")
        assert "afev" not in slugs(client.get(YOUNG, answers).context["outcome"])
        self.edit(staff_client, "afev", age_max="19")
        assert "afev" in slugs(client.get(YOUNG, answers).context["outcome"])

    def test_removing_a_level_in_the_admin(self, client, staff_client, seed):
        answers = young_answers()
        assert "telemaque" in slugs(client.get(YOUNG, answers).context["outcome"])
        levels = [
            str(pk)
            for pk in Level.objects.filter(slug__in=["lycee", "lycee-pro"]).values_list(
                "pk", flat=True
            )
        ]
        self.edit(staff_client, "telemaque", levels=levels)
        assert "telemaque" not in slugs(client.get(YOUNG, answers).context["outcome"])

    def test_the_levels_from_partners_box_in_the_admin(self, client, staff_client, seed):
        answers = young_answers(age="5", situation="maternelle")
        assert slugs(client.get(YOUNG, answers).context["outcome"]) == ["afev"]
        data = form_data(staff_client.get(change_url(Association.objects.get(slug="afev"))))
        assert data["levels_from_partners"] == "on"
        del data["levels_from_partners"]
        staff_client.post(change_url(Association.objects.get(slug="afev")), data)
        assert client.get(YOUNG, answers).context["outcome"].count == 0

    def test_changing_a_mentor_profiles_age_in_the_admin(self, client, staff_client, seed):
        answers = volunteer_answers(age="20", situation="apprenti", rythme="1-par-mois", heures="3")
        answers["engagement"] = "6-mois"
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

    def test_stating_frequency_and_hours_in_the_admin(self, client, staff_client, seed):
        answers = volunteer_answers(rythme="1-par-mois", heures="2")
        assert "proxite" in slugs(client.get(VOLUNTEER, answers).context["outcome"])
        self.edit(staff_client, "proxite", hours="2", hours_period="semaine")
        assert "proxite" not in slugs(client.get(VOLUNTEER, answers).context["outcome"])
        self.edit(staff_client, "proxite", hours="", hours_period="", meetings_min="2")
        assert "proxite" not in slugs(client.get(VOLUNTEER, answers).context["outcome"])

    def test_a_number_without_its_period_is_refused_in_the_admin(self, staff_client, seed):
        association = Association.objects.get(slug="afev")
        data = form_data(staff_client.get(change_url(association)))
        data.update(hours="2", hours_period="")
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 200
        assert "Dites si les heures sont comptées par rencontre, par semaine ou par mois." in (
            page_text(response)
        )

    def test_a_jargon_explanation_written_by_staff_is_shown(self, client, seed):
        qpv = Audience.objects.get(slug="qpv")
        assert "Une grande partie de Roubaix en fait partie." in qpv.explanation
        qpv.explanation = "Un quartier où la ville agit davantage."
        qpv.save()
        page = client.get(YOUNG).content.decode()
        assert (
            '<details class="jargon">\n        <summary>Qu’est-ce que c’est&nbsp;?'
            '<span class="visually-hidden"> (Jeunes habitant un quartier prioritaire (QPV))'
            "</span></summary>\n        <p>Un quartier où la ville agit davantage.</p>"
        ) in page
        assert page.count('<details class="jargon">') >= 4  # QPV, REP, refugees, French


class TestDoNotKnow:
    def test_je_ne_sais_pas_is_an_answer_that_leaves_nothing_out(self, client, seed):
        unsure = client.get(YOUNG, young_answers(situations_particulieres="je-ne-sais-pas"))
        blank = client.get(YOUNG, young_answers())
        assert slugs(unsure.context["outcome"]) == slugs(blank.context["outcome"])
        form = unsure.context["form"]
        assert form.cleaned_data["situations_particulieres"] == [UNKNOWN]
        assert re.search(
            r'value="je-ne-sais-pas" id="id_situations_particulieres_3" checked',
            unsure.content.decode(),
        )

    def test_je_ne_sais_pas_goes_alone(self, client, seed):
        answers = young_answers(situations_particulieres=["qpv", "je-ne-sais-pas"])
        response = client.get(YOUNG, answers)
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "situations_particulieres": [
                f"Cochez «{NBSP}Je ne sais pas{NBSP}» seul, ou les situations qui correspondent."
            ]
        }

    def test_it_is_said_in_the_request_and_counted(self, seed):
        form = YoungPersonForm(
            QueryDict("qui=parent&age=12&situation=college&situations_particulieres=je-ne-sais-pas")
        )
        assert form.summary() == (
            f"Je fais cette demande pour mon enfant.\nSituation particulière{NBSP}: je ne sais pas."
        )


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

    @pytest.mark.parametrize(("changes", "field"), VOLUNTEER_HOSTILE)
    def test_the_volunteers_new_questions_come_back_with_their_message(
        self, client, seed, changes, field
    ):
        response = client.get(VOLUNTEER, volunteer_answers(**changes))
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
        assert f'<ul class="errorlist" id="id_{field}_error">' in response.content.decode()

    @pytest.mark.parametrize(
        "field", ["age", "situation", "rythme", "heures", "heures_par", "engagement", "modalite"]
    )
    def test_the_volunteers_form_refuses_script_payloads_without_echo(self, client, seed, field):
        response = client.get(VOLUNTEER, {**volunteer_answers(), field: PAYLOAD})
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
        response = client.get(VOLUNTEER, {"modalite": "", **SENT})
        errors = response.context["form"].errors
        assert errors == {
            "age": ["Indiquez votre âge."],
            "situation": ["Choisissez votre situation."],
            "rythme": ["Choisissez à quel rythme vous pouvez voir un jeune."],
            "heures": ["Indiquez combien d’heures vous pouvez donner."],
            "engagement": ["Choisissez pendant combien de temps vous pouvez vous engager."],
        }
        assert "5 réponses à compléter ou à corriger" in page_text(response)
        page = response.content.decode()
        assert 'aria-describedby="id_situation_error"' in page  # on the fieldset

    def test_hours_are_written_the_french_way(self, client, seed):
        response = client.get(VOLUNTEER, volunteer_answers(heures="1,5"))
        assert response.context["form"].cleaned_data["heures"] == Decimal("1.5")
        assert 'name="heures" value="1,5"' in response.content.decode()

    def test_undecodable_bytes_are_an_unknown_choice(self, client, seed):
        response = client.get(f"{YOUNG}?qui=parent&age=12&situation=%ED%A0%80%FF")
        assert list(response.context["form"].errors) == ["situation"]

    def test_repeated_needs_within_reason_are_accepted(self, client, seed):
        response = client.get(YOUNG, young_query({"besoins": ["confiance"] * 20}))
        assert "Aide pour : confiance en soi" in plain(
            match_of(response.context["outcome"], "afev").reasons
        )

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
            hours=Decimal("2"),
            hours_period="mois",
            meetings_min=1,
            meetings_period="mois",
            duration_min_months=Decimal("3"),
            levels=levels[: index % len(levels) + 1],
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
    "qui": "parent",
    "age": 12,
    "situation": "college",
    "besoins": ["confiance", "orientation"],
    "modalite": "distanciel",
    "situations_particulieres": ["rep", "qpv"],
}
VOLUNTEER_ANSWERS = {
    "age": 40,
    "situation": "salarie",
    "rythme": "1-par-semaine",
    "heures": "2",
    "engagement": "annee-scolaire",
}
LYCEEN = {**VOLUNTEER_ANSWERS, "age": 17, "situation": "lyceen"}


class TestQueryCount:
    """A results page costs the same number of queries for 10 associations or for 41.

    Young person's page, 17 queries: the directory's age bounds (1, one aggregate); the
    level, the needs and the audiences answered (3, form validation); one aggregate
    counting the associations, the matches and those each criterion leaves out (1); the
    page of matches, filtered, ranked in SQL (1); their contacts, levels, needs, venues,
    partner types and audiences (6 prefetches); the Collectif (1); the three lists of
    choices drawn in the form (3); the search counted for the statistics (1, one
    INSERT … ON CONFLICT). Volunteer's page, 9 queries: the profile (1); the aggregate
    (1); the page of associations (1); contacts, venues and accepted profiles (3); the
    Collectif (1); the choices of profiles (1); the search counted (1). Without result,
    the same: the nearest options are one query of associations (1) with their
    prefetches, in place of the page of matches.
    The API costs the same without the Collectif, the drawing of the form and the count
    (only the forms' searches are counted). The places left of each association
    (`with_places`), the averages of the ranking and the time asked (`with_yearly_time`)
    are expressions of the associations' query: no query more.
    """

    @pytest.mark.parametrize("extra", [0, 31])
    @pytest.mark.parametrize(
        ("url", "answers", "queries"),
        [
            (YOUNG, YOUNG_ANSWERS, 17),
            (VOLUNTEER, VOLUNTEER_ANSWERS, 9),
            (VOLUNTEER, LYCEEN, 9),
            (reverse("orientation:api_young"), YOUNG_ANSWERS, 12),
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
    """The results come 20 to a page, ranked by the database."""

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
        # The database ranks as the rules say: waiting lists, fit, needs, modality, names.
        keys = [
            (
                m.waiting_list,
                -m.association.fit,
                -m.association.shared_needs,
                -m.association.modality_fit,
                m.association.name.lower(),
            )
            for m in whole.matches
        ]
        assert keys == sorted(keys)
        ranking = [m.association.name for m in whole.matches]
        assert whole.count == len(ranking) > 20

        first = client.get(YOUNG, YOUNG_ANSWERS)
        outcome = first.context["outcome"]
        page = outcome.page
        assert (page.number, page.paginator.num_pages, outcome.count) == (1, 2, len(ranking))
        assert [m.association.name for m in outcome.matches] == ranking[:20]
        words = page_text(first)
        assert f"{len(ranking)} associations pour votre enfant" in words
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
        assertInHTML(f'<li aria-current="page">Page {shown} sur 2</li>', html)
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
        assert response.context["outcome"].nearest  # LYCEEN: no result, nearest options


class TestForms:
    """The questionnaires are plain forms: their fields are the public parameters."""

    def test_the_questions_are_the_public_parameters(self):
        assert list(YoungPersonForm.base_fields) == [
            "qui",
            "age",
            "situation",
            "besoins",
            "modalite",
            "situations_particulieres",
        ]
        assert list(VolunteerForm.base_fields) == [
            "age",
            "situation",
            "rythme",
            "heures",
            "heures_par",
            "engagement",
            "modalite",
        ]
        assert {
            Seeker.YOUNG_PERSON: YoungPersonForm,
            Seeker.VOLUNTEER: VolunteerForm,
        } == QUESTIONNAIRE_FORMS

    def test_a_valid_form_gives_the_questionnaire_of_its_answers(self, seed):
        form = YoungPersonForm(
            QueryDict("qui=jeune&age=19&situation=sans-activite&besoins=confiance")
        )
        assert form.is_valid()
        young = form.questionnaire()
        assert isinstance(young, YoungPerson)
        assert (young.age, young.level.slug, young.modality, young.respondent) == (
            19,
            "sans-activite",
            "",
            "jeune",
        )
        assert [need.slug for need in young.needs] == ["confiance"]
        form = VolunteerForm(
            QueryDict("age=40&situation=salarie&rythme=2-par-mois&heures=1,5&engagement=6-mois")
        )
        assert form.is_valid()
        mentor = form.questionnaire()
        assert isinstance(mentor, Volunteer)
        assert (mentor.yearly_meetings, mentor.yearly_hours, mentor.commitment.months) == (
            24,
            36,
            6,
        )
        per_week = VolunteerForm(
            QueryDict(
                "age=40&situation=salarie&rythme=1-par-mois&heures=2&heures_par=semaine&engagement=6-mois"
            )
        )
        assert per_week.is_valid() and per_week.questionnaire().yearly_hours == 104

    def test_the_summary_says_the_valid_answers_in_words(self, seed):
        form = YoungPersonForm(
            QueryDict("qui=professionnel&age=douze&besoins=confiance&modalite=presentiel")
        )
        assert not form.is_valid()
        assert set(form.answered()) == {"qui", "besoins", "modalite"}
        assert form.summary() == (
            "Je suis un professionnel qui accompagne ce jeune.\n"
            f"Besoins{NBSP}: confiance en soi.\nRencontres de préférence en présentiel."
        )
        volunteer_form = VolunteerForm(
            QueryDict("rythme=1-par-semaine&heures=2&engagement=annee-scolaire&modalite=distanciel")
        )
        assert volunteer_form.summary() == (
            f"Je peux voir un jeune 1 fois par semaine, 2{NBSP}h par rencontre, pendant une "
            "année scolaire.\nRencontres de préférence à distance."
        )
        assert YoungPersonForm().answered() == {} and YoungPersonForm().summary() == ""

    def test_the_volunteers_age_bounds_and_messages_come_from_the_vocabularies(self):
        low, high = AGES[Seeker.VOLUNTEER]
        age = VolunteerForm.base_fields["age"]
        said = f"de {low} à {high}{NBSP}ans"
        assert age.help_text == f"{said[0].upper()}{said[1:]}."
        for error in ["invalid", "min_value", "max_value"]:
            assert age.error_messages[error] == f"Indiquez un âge en chiffres, {said}."

    def test_every_question_has_a_short_label_for_the_statistics(self):
        for form_class in QUESTIONNAIRE_FORMS.values():
            for name, field in form_class.base_fields.items():
                assert field.short_label, name
        assert [field.short_label for field in VolunteerForm.base_fields.values()] == [
            "Âge",
            "Situation",
            "Rythme",
            "Heures",
            "Heures par",
            "Engagement",
            "Rencontres",
        ]


class TestStatistics:
    """The searches are counted with the new answers: criteria only."""

    def test_a_volunteers_search_is_counted_with_its_rhythm_time_and_commitment(self, client, seed):
        from orientation.models import WeeklySearch
        from orientation.statistics import Words

        client.get(VOLUNTEER, volunteer_answers(heures="1,5", heures_par="semaine"))
        (row,) = WeeklySearch.objects.all()
        assert row.answers == {
            "age": 40,
            "engagement": "annee-scolaire",
            "heures": 1.5,
            "heures_par": "semaine",
            "rythme": "1-par-semaine",
            "situation": "salarie",
        }
        assert Words().describe(row.seeker, row.answers) == (
            f"Âge{NBSP}: 40 · Situation{NBSP}: Salarié ou salariée · Rythme{NBSP}: 1 fois par "
            f"semaine · Heures{NBSP}: 1,5 · Heures par{NBSP}: Par semaine, en tout · "
            f"Engagement{NBSP}: Une année scolaire"
        )

    def test_who_answers_and_je_ne_sais_pas_are_counted_in_words(self, client, seed):
        from orientation.models import WeeklySearch
        from orientation.statistics import Words

        client.get(YOUNG, young_answers(situations_particulieres="je-ne-sais-pas"))
        (row,) = WeeklySearch.objects.all()
        assert row.answers["qui"] == "parent"
        assert row.answers["situations_particulieres"] == ["je-ne-sais-pas"]
        described = Words().describe(row.seeker, row.answers)
        assert described.startswith(f"Pour qui{NBSP}: C’est pour mon enfant · Âge{NBSP}: 12")
        assert described.endswith(f"Situations particulières{NBSP}: Je ne sais pas")

    def test_a_prefilled_page_is_not_a_search(self, client, seed):
        from orientation.models import WeeklySearch

        client.get(YOUNG, {"situation": "lycee-pro"})
        assert not WeeklySearch.objects.exists()
