"""The questionnaires and their results in Arabic and English, French unchanged.

The questions, the reasons of the results and the error messages are in the language
of the address (/ar/…, /en/…); the values inside a reason (an age, a level) are the
person's and the association's own. The results are cached for each language.
"""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from associations import shipped_translations
from associations.models import Association, Audience, Level, MentorProfile, Need
from core import french
from core.french import NBSP, NNBSP
from core.readability import pages as readability_pages
from core.vocabularies import HoursPer, Modality, Period, Rhythm
from orientation.forms import YoungPersonForm

from .helpers import HOSTILE, VOLUNTEER_HOSTILE, page_text, volunteer_answers, young_answers

pytestmark = pytest.mark.django_db

SENT = {"envoi": "1"}
# The young person's answers that the page and the API share: a parent, a child of 12
# in collège, who needs confidence and would rather meet remotely.
CHILD = young_answers(besoins="confiance", modalite="distanciel")
LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
FRENCH_ERRORS = ("Indiquez", "Choisissez", "Cochez", "Ce choix", "Dites")


def url(name, language):
    with translation.override(language):
        return reverse(name)


def name_in(language, model, slug):
    """A vocabulary term's name as the page in `language` shows it inside a sentence."""
    with translation.override(language):
        return french.lower_first(model.objects.get(slug=slug).name)


def errors_of(response):
    """The text of every error list next to a question."""
    page = response.content.decode()
    lists = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in lists]


def reasons_of(response, association):
    """The reasons listed under `association`'s name on a results page."""
    page = response.content.decode()
    card = page.split(f">{association}</a>", 1)[1].split('class="card match', 1)[0]
    reasons = re.search(r'<ul class="match__reasons">(.*?)</ul>', card, flags=re.S)
    return re.findall(r"<li>(.*?)</li>", reasons.group(1)) if reasons else []


class TestTheTypography:
    def test_french_is_written_as_it_always_was(self):
        with translation.override("fr"):
            assert french.listing(["Collège", "Lycée", "REP+"]) == "collège, lycée et REP+"
            assert french.join_words(["a", "b"], "ou") == "a ou b"
            assert french.join_words(["a", "b"], "ni") == "a ni b"
            assert french.number(Decimal("8.70")) == "8,7"
            assert french.thousands(31125) == f"31{NNBSP}125"
            assert french.sentence("Aide pour", "la confiance") == f"Aide pour{NBSP}: la confiance"
            assert french.age_range(5, 18) == f"de 5 à 18{NBSP}ans"

    def test_arabic_joins_its_and_to_the_last_word_and_keeps_western_digits(self):
        with translation.override("ar"):
            assert french.join_words(["أ", "ب", "ج"]) == "أ، ب وج"
            assert french.join_words(["أ", "ب"], "ou") == "أ أو ب"
            assert french.join_words(["أ", "ب"], "ni") == "أ ولا ب"
            assert french.number(Decimal("8.7")) == "8,7"
            assert french.sentence("الوقت", "2") == "الوقت: 2"
            assert french.age_range(5, 18) == "من 5 إلى 18 سنة"
            assert french.age_range(16, None) == "ابتداءً من 16 سنة"

    def test_english_says_and_with_a_decimal_point(self):
        with translation.override("en"):
            assert french.join_words(["a", "b", "c"]) == "a, b and c"
            assert french.join_words(["a", "b"], "ni") == "a or b"
            assert french.number(Decimal("1.5")) == "1.5"
            assert french.thousands(31125) == "31,125"
            assert french.sentence("Time", "2 h") == "Time: 2 h"
            assert french.age_range(None, 18) == "up to 18 years old"

    def test_the_vocabularies_speak_the_active_language_and_french_without_one(self):
        assert str(Modality.REMOTE.label) == "À distance"
        assert str(Modality.REMOTE.words) == "à distance"
        with translation.override("en"):
            assert str(Modality.REMOTE.words) == "remotely"
            assert str(Rhythm.WEEKLY.label) == "Once a week"
        with translation.override("ar"):
            assert str(Rhythm.WEEKLY.label) == "مرة واحدة في الأسبوع"


def rhythm(language, low=None, high=None, period=Period.WEEK):
    association = Association(meetings_min=low, meetings_max=high, meetings_period=period)
    with translation.override(language):
        return association.frequency_label


def time(language, hours, per=HoursPer.WEEK):
    association = Association(hours=Decimal(hours), hours_period=per)
    with translation.override(language):
        return association.time_label


class TestTheRhythmOfAnAssociation:
    """How often and how long, said whole in each language, counted in its plurals."""

    def test_french_is_written_as_it_always_was(self):
        assert rhythm("fr", 1, 4, Period.MONTH) == f"1 à 4{NBSP}fois par mois"
        assert rhythm("fr", 1, 1) == f"1{NBSP}fois par semaine"
        assert rhythm("fr", 1, None, Period.MONTH) == f"au moins 1{NBSP}fois par mois"
        assert rhythm("fr", None, 3) == f"jusqu’à 3{NBSP}fois par semaine"
        assert rhythm("fr", None, None) == ""
        assert time("fr", "2") == f"2{NBSP}h par semaine"
        assert time("fr", "1.5", HoursPer.MEETING) == f"1,5{NBSP}h par rencontre"

    def test_english(self):
        assert rhythm("en", 1, 1) == "once a week"
        assert rhythm("en", 2, 2, Period.MONTH) == "2 times a month"
        assert rhythm("en", 1, 4, Period.MONTH) == "1 to 4 times a month"
        assert rhythm("en", 1, None, Period.MONTH) == "at least once a month"
        assert rhythm("en", None, 3) == "up to 3 times a week"
        assert time("en", "1", HoursPer.MONTH) == "1 hour a month"
        assert time("en", "3", HoursPer.MONTH) == "3 hours a month"
        assert time("en", "1.5", HoursPer.MEETING) == "1.5 hours per meeting"

    def test_arabic_counts_in_its_six_forms(self):
        assert rhythm("ar", 1, 1) == "مرة واحدة في الأسبوع"
        assert rhythm("ar", 2, 2, Period.MONTH) == "مرتان في الشهر"
        assert rhythm("ar", 3, 3) == "3 مرات في الأسبوع"
        assert rhythm("ar", 12, 12, Period.MONTH) == "12 مرة في الشهر"
        assert rhythm("ar", 1, 4, Period.MONTH) == "من 1 إلى 4 مرات في الشهر"
        assert rhythm("ar", 1, None, Period.MONTH) == "مرة واحدة على الأقل في الشهر"
        assert rhythm("ar", None, 2) == "مرتان على الأكثر في الأسبوع"
        assert time("ar", "2") == "ساعتان في الأسبوع"
        assert time("ar", "3", HoursPer.MONTH) == "3 ساعات في الشهر"
        assert time("ar", "1.5", HoursPer.MEETING) == "1,5 ساعة في كل لقاء"

    def test_the_volunteers_results_say_it_in_the_pages_language(self, client, seed):
        answers = {**volunteer_answers(), **SENT}
        english = page_text(client.get(url("orientation:volunteer", "en"), answers))
        assert "How often: once a week" in english
        assert "How often: at least once a month" in english
        assert "fois" not in english
        arabic = page_text(client.get(url("orientation:volunteer", "ar"), answers))
        assert "عدد اللقاءات: مرة واحدة في الأسبوع" in arabic
        assert "fois" not in arabic and "au moins" not in arabic
        french_page = client.get(url("orientation:volunteer", "fr"), answers).content.decode()
        assert f"Rythme{NBSP}: 1{NBSP}fois par semaine" in french_page


class TestWhatTheResultsSayToCheck:
    NOTICE = {
        "fr": "Information à vérifier auprès de l’association (détails sur sa fiche)",
        "en": "Information to check with the association (details on its page)",
        "ar": "معلومة يجب التحقق منها لدى الجمعية (التفاصيل في صفحتها)",
    }

    @pytest.mark.parametrize("language", ["fr", "en", "ar"])
    def test_the_notice_is_one_sentence_in_the_pages_language(self, client, seed, language):
        answers = {**volunteer_answers(), **SENT}
        text = page_text(client.get(url("orientation:volunteer", language), answers))
        assert self.NOTICE[language] in text
        if language != "fr":
            assert "à vérifier" not in text

    def test_the_api_says_it_too(self, client, seed):
        response = client.get(url("orientation:api_volunteer", "en"), volunteer_answers())
        caveats = [caveat for result in response.json()["results"] for caveat in result["caveats"]]
        assert self.NOTICE["en"] in caveats


class TestWhatStaffWroteInFrench:
    """A note of an association kept in French is marked inside the translated sentence."""

    NOTE = "les différents partenaires sont les prescripteurs de ces accompagnements."

    def caveats_of(self, client, language):
        response = client.get(url("orientation:young", language), {**CHILD, **SENT})
        page = response.content.decode()
        card = page.split(">LA CLÉ</a>", 1)[1].split('class="card match', 1)[0]
        caveats = re.search(r'<ul class="match__caveats">(.*?)</ul>', card, flags=re.S)
        return re.findall(r"<li>(.*?)</li>", caveats.group(1))

    def test_in_english_and_arabic_the_note_is_marked_french(self, client, seed):
        assert (
            f'Good to know: <span lang="fr">{self.NOTE}</span> '
            '<span class="in-french">(in French)</span>'
        ) in self.caveats_of(client, "en")
        assert (
            f'للعلم: <span lang="fr" dir="ltr">{self.NOTE}</span> '
            '<span class="in-french">(بالفرنسية)</span>'
        ) in self.caveats_of(client, "ar")

    def test_in_french_it_reads_as_before(self, client, seed):
        assert f"À savoir{NBSP}: {self.NOTE}" in self.caveats_of(client, "fr")

    def test_the_api_gives_the_text_with_its_mark(self, client, seed):
        response = client.get(url("orientation:api_young", "en"), CHILD)
        (la_cle,) = [r for r in response.json()["results"] if r["name"] == "LA CLÉ"]
        assert f"Good to know: {self.NOTE} (in French)" in la_cle["caveats"]
        response = client.get(url("orientation:api_young", "fr"), CHILD)
        (la_cle,) = [r for r in response.json()["results"] if r["name"] == "LA CLÉ"]
        assert f"À savoir{NBSP}: {self.NOTE}" in la_cle["caveats"]


class TestTheExplanationsOfTheTerms:
    QPV = "Les quartiers prioritaires de la politique de la ville (QPV)"

    def explanation(self, client, language):
        page = client.get(url("orientation:young", language)).content.decode()
        (paragraph,) = re.findall(
            r'<details class="jargon">(?:(?!</details>).)*?QPV(?:(?!</details>).)*</details>',
            page,
            flags=re.S,
        )
        return paragraph

    def test_an_untranslated_one_is_french_and_said_so(self, client, seed):
        Audience.objects.filter(slug="qpv").update(explanation_en=None, explanation_ar="")
        english = self.explanation(client, "en")
        assert re.search(rf'<span lang="fr">{re.escape(self.QPV)}', english)
        assert '<span class="in-french">(in French)</span>' in english
        arabic = self.explanation(client, "ar")
        assert re.search(rf'<span lang="fr" dir="ltr">{re.escape(self.QPV)}', arabic)
        assert '<span class="in-french">(بالفرنسية)</span>' in arabic

    def test_french_has_no_mark(self, client, seed):
        french_one = self.explanation(client, "fr")
        assert self.QPV in french_one
        assert 'lang="fr"' not in french_one and "in-french" not in french_one

    def test_the_shipped_translations_are_shown_as_they_are(self, client, seed):
        english = self.explanation(client, "en")
        assert "<p>Priority neighbourhoods (quartiers prioritaires" in english
        assert "in-french" not in english and self.QPV not in english
        arabic = self.explanation(client, "ar")
        assert "<p>الأحياء ذات الأولوية في سياسة المدينة (QPV)" in arabic
        assert "in-french" not in arabic and self.QPV not in arabic

    def test_every_explanation_is_shipped_for_the_french_it_translates(self, seed):
        shipped = shipped_translations.shipped()["vocabularies"]
        for model in (Level, Need, Audience):
            for term in model.objects.filter(explanation_fr__gt=""):
                versions = shipped[model.__name__][term.slug]["explanation"]
                assert versions["fr"] == term.explanation_fr
                assert term.explanation_ar == versions["ar"] and versions["ar"]
                assert term.explanation_en == versions["en"] and versions["en"]
                assert term.translation_to_review_ar and term.translation_to_review_en


class TestTheYoungPersonsQuestionnaire:
    def test_in_arabic_the_questions_are_arabic_right_to_left(self, client, seed):
        response = client.get(url("orientation:young", "ar"), {"qui": "parent"})
        page = response.content.decode()
        assert url("orientation:young", "ar") == "/ar/orientation/jeune/"
        assert re.search(r'<html lang="ar" dir="rtl"', page)
        text = page_text(response)
        for words in ["لمن تبحث عن مرشد؟", "كم عمر طفلك؟", "ماذا يحتاج طفلك؟", "لطفلي"]:
            assert words in text
        assert "عرض الجمعيات" in text  # the button
        assert "Quel âge" not in text and "Voir les associations" not in text
        # The other wordings, for the script that rewords the questions, are Arabic too.
        assert 'data-wording-jeune="كم عمرك؟"' in page

    def test_arabic_results_give_arabic_reasons_with_the_values_inside(self, client, seed):
        response = client.get(url("orientation:young", "ar"), {**CHILD, **SENT})
        assert response.status_code == 200
        text = page_text(response)
        assert "4 جمعيات لطفلك" in text
        assert "4 من 10 تتوافق مع إجاباتك." in text
        assert "لماذا تناسب طفلك:" in text
        college = name_in("ar", Level, "college")
        confidence = name_in("ar", Need, "confiance")
        afev = reasons_of(response, "Afev")
        # Afev's own ages (5 to 18), the child's level and need, the preferred way to meet.
        assert "ترافق الشباب من 5 إلى 18 سنة" in afev
        assert f"وضع ترافقه: {college}" in afev
        assert f"تساعد في: {confidence}" in afev
        assert "تقترح لقاءات عن بُعد" in afev
        assert not any(word in text for word in ["Accompagne les jeunes", "Aide pour"])

    def test_english_results_give_english_reasons(self, client, seed):
        response = client.get(url("orientation:young", "en"), {**CHILD, **SENT})
        text = page_text(response)
        assert re.search(r'<html lang="en" dir="ltr"', response.content.decode())
        assert "4 associations for your child" in text
        assert "4 of 10 match your answers." in text
        afev = reasons_of(response, "Afev")
        assert "Supports young people from 5 to 18 years old" in afev
        assert f"Situation it supports: {name_in('en', Level, 'college')}" in afev
        assert "Offers meetings remotely" in afev

    def test_french_is_unchanged(self, client, seed):
        response = client.get(url("orientation:young", "fr"), {**CHILD, **SENT})
        page = response.content.decode()
        assert url("orientation:young", "fr") == "/orientation/jeune/"
        assert re.search(r'<html lang="fr" dir="ltr"', page)
        assert "4 associations pour votre enfant" in page
        afev = reasons_of(response, "Afev")
        assert f"Accompagne les jeunes de 5 à 18{NBSP}ans" in afev
        assert f"Situation accompagnée{NBSP}: collège" in afev
        assert "Propose des rencontres à distance" in afev

    @pytest.mark.parametrize(
        "answers",
        [
            {"age": "abc"},
            {"age": "-5"},
            {"age": str(10**30)},
            {"age": ["12", "13"]},
            {"situation": "niveau-inconnu"},
            {"situation": ["college", "lycee"]},
        ],
    )
    def test_hostile_answers_get_arabic_errors_never_a_500(self, client, seed, answers):
        response = client.get(url("orientation:young", "ar"), {**CHILD, **answers, **SENT})
        assert response.status_code == 200
        errors = errors_of(response)
        assert errors
        assert not any(LATIN.search(error) for error in errors), errors
        text = page_text(response)
        assert "إجابة يجب إكمالها أو تصحيحها:" in text

    def test_an_age_out_of_range_says_the_bounds_in_arabic(self, client, seed):
        response = client.get(url("orientation:young", "ar"), {**CHILD, "age": "-5", **SENT})
        (error,) = errors_of(response)
        assert re.fullmatch(r"اكتب العمر بالأرقام، من 5 إلى \d+ سنة\.", error)

    @pytest.mark.parametrize(("answers", "field"), HOSTILE)
    def test_every_hostile_value_is_refused_in_arabic(self, client, seed, answers, field):
        response = client.get(url("orientation:young", "ar"), {**CHILD, **answers, **SENT})
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in response.content.decode()
        assert not any(LATIN.search(error) for error in errors_of(response))

    @pytest.mark.parametrize(("answers", "field"), HOSTILE[:8])
    def test_hostile_values_are_refused_in_english(self, client, seed, answers, field):
        response = client.get(url("orientation:young", "en"), {**CHILD, **answers, **SENT})
        assert response.status_code == 200
        errors = errors_of(response)
        assert errors
        assert not any(word in error for error in errors for word in FRENCH_ERRORS)


class TestTheVolunteersQuestionnaire:
    def test_in_arabic(self, client, seed):
        response = client.get(url("orientation:volunteer", "ar"))
        text = page_text(response)
        for words in ["كم عمرك؟", "كم مرة يمكنك أن تلتقي بشاب؟", "مرة واحدة في الأسبوع"]:
            assert words in text
        assert "من 14 إلى 100 سنة." in text  # the age's hint

    def test_arabic_results_give_arabic_reasons(self, client, seed):
        response = client.get(url("orientation:volunteer", "ar"), {**volunteer_answers(), **SENT})
        text = page_text(response)
        assert "لماذا تناسبك:" in text
        employee = name_in("ar", MentorProfile, "salarie")
        assert f"مصمّمة من أجل: {employee}" in text
        assert re.search(r"الالتزام: ", text)
        assert "Faite pour" not in text and "Engagement" not in text

    def test_english_results(self, client, seed):
        response = client.get(url("orientation:volunteer", "en"), {**volunteer_answers(), **SENT})
        text = page_text(response)
        assert "Why it suits you:" in text
        assert f"Made for: {name_in('en', MentorProfile, 'salarie')}" in text

    def test_hours_out_of_range_in_each_language(self, client, seed):
        wrong = {**volunteer_answers(heures="41"), **SENT}
        messages = {
            "ar": "اكتب عدد الساعات بالأرقام، من 0,5 إلى 40.",
            "en": "Enter a number of hours in figures, from 0.5 to 40.",
            "fr": "Indiquez un nombre d’heures en chiffres, de 0,5 à 40.",
        }
        for language, message in messages.items():
            response = client.get(url("orientation:volunteer", language), wrong)
            assert errors_of(response) == [message]

    @pytest.mark.parametrize(("answers", "field"), VOLUNTEER_HOSTILE)
    def test_hostile_values_are_refused_in_arabic(self, client, seed, answers, field):
        query = {**volunteer_answers(), **answers, **SENT}
        response = client.get(url("orientation:volunteer", "ar"), query)
        assert response.status_code == 200
        errors = errors_of(response)
        assert errors
        assert not any(LATIN.search(error) for error in errors), errors


class TestQueriesAndCache:
    def queries(self, client, address, query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address, query)
        assert response.status_code == 200
        return len(captured), response

    @pytest.mark.parametrize(
        ("name", "answers"),
        [("orientation:young", CHILD), ("orientation:volunteer", volunteer_answers())],
    )
    def test_arabic_costs_the_queries_french_costs(self, client, seed, name, answers):
        query = {**answers, **SENT}
        french_count, _ = self.queries(client, url(name, "fr"), query)
        arabic_count, _ = self.queries(client, url(name, "ar"), query)
        english_count, _ = self.queries(client, url(name, "en"), query)
        assert arabic_count == french_count == english_count

    def test_the_cached_results_are_kept_for_each_language(self, client, seed):
        query = {**CHILD, **SENT}
        french_page = client.get(url("orientation:young", "fr"), query)
        assert "4 associations pour votre enfant" in page_text(french_page)
        # The same answers in Arabic: drawn anew, in Arabic, not the French fragment.
        arabic = client.get(url("orientation:young", "ar"), query)
        assert "orientation/_results.html" in [t.name for t in arabic.templates]
        assert "ترافق الشباب من 5 إلى 18 سنة" in reasons_of(arabic, "Afev")
        # Asked again in each language: from the cache, each in its own language.
        again = client.get(url("orientation:young", "ar"), query)
        assert "orientation/_results.html" not in [t.name for t in again.templates]
        assert reasons_of(again, "Afev") == reasons_of(arabic, "Afev")
        french_again = client.get(url("orientation:young", "fr"), query)
        assert "orientation/_results.html" not in [t.name for t in french_again.templates]
        assert f"Accompagne les jeunes de 5 à 18{NBSP}ans" in reasons_of(french_again, "Afev")
        assert "ترافق" not in french_again.content.decode()

    def test_the_cached_outcome_is_kept_for_each_language(self, client, seed):
        # The API reads the outcome cache (core.cache.directory_cached) without a fragment.
        french_api = client.get(url("orientation:api_young", "fr"), CHILD).json()
        arabic_count, arabic = self.queries(client, url("orientation:api_young", "ar"), CHILD)
        cached_count, cached = self.queries(client, url("orientation:api_young", "ar"), CHILD)
        assert cached_count < arabic_count  # the second one came from the cache
        assert cached.json() == arabic.json()
        assert arabic.json()["ranking"].startswith("أولًا الجمعيات")
        assert french_api["ranking"].startswith("D’abord les associations")
        again = client.get(url("orientation:api_young", "fr"), CHILD).json()
        assert again["ranking"] == french_api["ranking"]


class TestTheApi:
    def results(self, client, language, answers=CHILD):
        response = client.get(url("orientation:api_young", language), answers)
        return response, json.loads(response.content)

    def test_it_answers_in_the_language_of_its_address(self, client, seed):
        assert url("orientation:api_young", "ar") == "/ar/api/orientation/jeune/"
        _, arabic = self.results(client, "ar")
        afev = next(result for result in arabic["results"] if result["slug"] == "afev")
        assert "ترافق الشباب من 5 إلى 18 سنة" in afev["reasons"]
        assert afev["url"].endswith("/ar/associations/afev/")
        _, english = self.results(client, "en")
        afev = next(result for result in english["results"] if result["slug"] == "afev")
        assert "Supports young people from 5 to 18 years old" in afev["reasons"]
        _, french_body = self.results(client, "fr")
        afev = next(result for result in french_body["results"] if result["slug"] == "afev")
        assert f"Accompagne les jeunes de 5 à 18{NBSP}ans" in afev["reasons"]
        assert arabic["count"] == english["count"] == french_body["count"] == 4

    def test_its_errors_are_in_the_language_of_its_address(self, client, seed):
        response, body = self.results(client, "ar", {**CHILD, "age": "abc"})
        assert response.status_code == 400
        (error,) = body["errors"]["age"]
        assert re.fullmatch(r"اكتب العمر بالأرقام، من 5 إلى \d+ سنة\.", error)
        response, body = self.results(client, "en", {**CHILD, "situation": "nowhere"})
        assert response.status_code == 400
        assert body["errors"]["situation"] == ["This choice does not exist: choose from the list."]

    def test_the_volunteers_api_in_arabic(self, client, seed):
        response = client.get(url("orientation:api_volunteer", "ar"), volunteer_answers())
        body = response.json()
        assert body["ranking"].startswith("أولًا الجمعيات المصمّمة لوضعك")
        reasons = [reason for result in body["results"] for reason in result["reasons"]]
        assert any(reason.startswith("تقبل فقط المرشدين: ") for reason in reasons)
        assert not any(reason.startswith(("Accepte", "Engagement")) for reason in reasons)


class TestWhatStaysFrench:
    def test_a_requests_message_stays_french_for_the_association(self, client, seed):
        with translation.override("ar"):
            form = YoungPersonForm({**CHILD, "besoins": ["confiance"]})
            assert form.is_valid()
            summary = form.summary()
        assert summary.startswith("Je fais cette demande pour mon enfant.")
        assert "Rencontres de préférence à distance." in summary
        assert f"Besoins{NBSP}: confiance en soi." in summary

    def test_the_readability_measure_reads_the_french_pages(self):
        with translation.override("ar"):
            addresses = [address for _, address in readability_pages()]
        assert all(not address.startswith(("/ar/", "/en/")) for address in addresses)
