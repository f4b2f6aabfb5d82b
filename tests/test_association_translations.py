"""The associations' texts and the vocabularies in Arabic and English: what a visitor
reads, what staff edit, what the portal ships, and the French shown, marked, where a
text has no translation yet."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.translation import override

from associations import shipped_translations
from associations.models import Association, Intake, Level

from .factories import AssociationFactory, edit
from .helpers import change_url, form_data, page_text, plain

pytestmark = pytest.mark.django_db

AFEV_AR = shipped_translations.association_texts("afev")["summary"]["ar"]
AFEV_EN = shipped_translations.association_texts("afev")["summary"]["en"]
AFEV_FR = shipped_translations.association_texts("afev")["summary"]["fr"]


def page(client, association, language="fr"):
    """The association's page in `language` (its address says it: /ar/associations/…)."""
    with override(language):
        response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    return response


def cards(client, language="fr"):
    """The directory's cards in `language`."""
    with override(language):
        return client.get(reverse("associations:directory")).content.decode()


class TestAssociationPage:
    def test_the_arabic_page_shows_the_arabic_summary(self, client, seed):
        response = page(client, Association.objects.get(slug="afev"), "ar")
        assert f'<p class="lead">{AFEV_AR}</p>' in response.content.decode()
        assert f'<p class="lead">{AFEV_FR}' not in response.content.decode()

    def test_the_english_page_shows_the_english_summary(self, client, seed):
        response = page(client, Association.objects.get(slug="afev"), "en")
        assert f'<p class="lead">{AFEV_EN}</p>' in response.content.decode()

    def test_a_text_without_translation_is_french_marked_in_arabic(self, client, seed):
        afev = Association.objects.get(slug="afev")
        html = page(client, afev, "ar").content.decode()
        # No Arabic « qui sont les mentors » is shipped: the French, said to be French.
        assert (
            f'<div lang="fr" dir="ltr"><p>{afev.mentor_description_fr}</p></div>'
            '<p class="in-french">(بالفرنسية)</p>'
        ) in html

    def test_a_text_without_translation_is_french_marked_in_english(self, client, seed):
        afev = Association.objects.get(slug="afev")
        html = page(client, afev, "en").content.decode()
        # A left-to-right page: no direction to set.
        assert (
            f'<div lang="fr"><p>{afev.mentor_description_fr}</p></div>'
            '<p class="in-french">(in French)</p>'
        ) in html

    def test_the_french_page_has_no_marker(self, client, seed):
        response = page(client, Association.objects.get(slug="afev"))
        html = response.content.decode()
        assert f'<p class="lead">{AFEV_FR}</p>' in html
        assert '<div lang="fr"' not in html and '<span lang="fr"' not in html
        assert "(en français)" not in html and 'class="in-french"' not in html
        assert "Pour les jeunes de 5 à 18 ans." in page_text(response)
        assert "Niveaux École élémentaire, Collège, Lycée général ou technologique" in (
            page_text(response)
        )

    def test_vocabulary_labels_are_arabic_on_the_arabic_page(self, client, seed):
        text = page_text(page(client, Association.objects.get(slug="afev"), "ar"))
        assert "المستويات المدرسة الابتدائية، المدرسة الإعدادية (collège)" in text
        # « En bref » too, in its Arabic phrase.
        assert "الصفوف أو الأوضاع: المدرسة الابتدائية، المدرسة الإعدادية (collège)" in text
        assert "للشباب من 5 إلى 18 سنة." in text

    def test_a_term_without_translation_is_french_marked(self, client, seed):
        Level.objects.filter(slug="college").update(name_ar="")
        html = page(client, Association.objects.get(slug="afev"), "ar").content.decode()
        assert (
            '<span lang="fr" dir="ltr">Collège</span> <span class="in-french">(بالفرنسية)</span>'
        ) in html

    def test_hostile_texts_are_escaped(self, client, seed):
        hostile = '<script>alert("x")</script>'
        association = AssociationFactory(summary_ar=hostile, mentor_description=hostile)
        html = page(client, association, "ar").content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    def test_queries_are_the_same_in_arabic_and_french(
        self, client, seed, django_assert_num_queries
    ):
        afev = Association.objects.get(slug="afev")
        # The columns of every language come with the row: no join, no query more.
        with django_assert_num_queries(10):
            page(client, afev)
        with django_assert_num_queries(10):
            page(client, afev, "ar")


class TestDirectory:
    def test_the_cards_show_the_arabic_summary(self, client, seed):
        html = cards(client, "ar")
        assert AFEV_AR in html
        assert "المدرسة الابتدائية" in html


class TestAdmin:
    def test_staff_save_an_arabic_summary_and_the_arabic_page_shows_it(
        self, client, staff_client, seed
    ):
        afev = Association.objects.get(slug="afev")
        page(client, afev, "ar")  # the cached fragments exist
        data = form_data(staff_client.get(change_url(afev)))
        assert data["summary_ar"] == AFEV_AR
        data["summary_ar"] = "نص عربي جديد كتبه الفريق."
        assert staff_client.post(change_url(afev), data).status_code == 302
        assert "نص عربي جديد كتبه الفريق." in page_text(page(client, afev, "ar"))
        assert "نص عربي جديد كتبه الفريق." in cards(client, "ar")
        # The French page is as it was.
        assert AFEV_FR in page_text(page(client, afev))

    def test_the_form_has_each_language_in_its_direction(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        html = staff_client.get(change_url(afev)).content.decode()
        assert 'name="summary_ar"' in html and 'lang="ar" dir="rtl"' in html
        assert "résumé en une phrase (arabe)" in html.lower()

    def test_a_french_change_asks_for_the_translations_to_be_read_again(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        Association.objects.filter(pk=afev.pk).update(
            translation_to_review_ar=False, translation_to_review_en=False
        )
        data = form_data(staff_client.get(change_url(afev)))
        data["summary_fr"] = "Un résumé réécrit."
        assert staff_client.post(change_url(afev), data).status_code == 302
        afev.refresh_from_db()
        assert afev.translation_to_review_ar and afev.translation_to_review_en

    def test_writing_a_translation_ticks_nothing_by_itself(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        Association.objects.filter(pk=afev.pk).update(translation_to_review_ar=False)
        data = form_data(staff_client.get(change_url(afev)))
        data["summary_ar"] = "ترجمة قرأها متحدث بالعربية."
        assert staff_client.post(change_url(afev), data).status_code == 302
        afev.refresh_from_db()
        assert afev.summary_ar == "ترجمة قرأها متحدث بالعربية."
        assert not afev.translation_to_review_ar

    def test_unticking_in_the_same_save_wins(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        data = form_data(staff_client.get(change_url(afev)))
        data["summary_fr"] = "Un résumé réécrit."
        data.pop("translation_to_review_ar", None)
        assert staff_client.post(change_url(afev), data).status_code == 302
        afev.refresh_from_db()
        assert not afev.translation_to_review_ar and afev.translation_to_review_en

    def test_the_list_filters_the_translations_to_review(self, staff_client, seed):
        Association.objects.exclude(slug="afev").update(translation_to_review_ar=False)
        url = reverse("admin:associations_association_changelist")
        response = staff_client.get(url, {"a_relire": "ar"})
        assert list(response.context["cl"].result_list) == [Association.objects.get(slug="afev")]
        assert "En arabe, à relire par un locuteur" in page_text(staff_client.get(url))


class TestShippedTranslations:
    def test_the_brochure_comes_translated_and_to_review(self, seed):
        afev = Association.objects.get(slug="afev")
        assert afev.summary_fr == AFEV_FR
        assert afev.summary_ar == AFEV_AR and afev.summary_en == AFEV_EN
        assert afev.translation_to_review_ar and afev.translation_to_review_en
        assert Level.objects.get(slug="college").name_ar == "المدرسة الإعدادية (collège)"
        assert Level.objects.get(slug="college").translation_to_review_ar

    def test_a_translation_staff_wrote_is_never_overwritten(self, seed):
        Association.objects.filter(slug="afev").update(summary_ar="ترجمة الفريق")
        shipped_translations.apply(
            lambda name: Association._meta.apps.get_model("associations", name)
        )
        assert Association.objects.get(slug="afev").summary_ar == "ترجمة الفريق"

    def test_a_french_staff_rewrote_gets_no_translation_of_the_old_one(self, seed):
        Association.objects.filter(slug="afev").update(summary_fr="Réécrit.", summary_ar="")
        shipped_translations.apply(
            lambda name: Association._meta.apps.get_model("associations", name)
        )
        assert Association.objects.get(slug="afev").summary_ar == ""

    def test_an_empty_translation_of_the_brochure_s_french_is_filled(self, seed):
        Association.objects.filter(slug="afev").update(
            summary_en=None, translation_to_review_en=False
        )
        shipped_translations.apply(
            lambda name: Association._meta.apps.get_model("associations", name)
        )
        afev = Association.objects.get(slug="afev")
        assert afev.summary_en == AFEV_EN and afev.translation_to_review_en

    def test_every_shipped_french_is_the_brochure_s(self, seed):
        for slug, texts in shipped_translations.shipped()["associations"].items():
            association = Association.objects.get(slug=slug)
            for field, versions in texts.items():
                assert getattr(association, f"{field}_fr") == versions["fr"]
                assert versions["ar"] and versions["en"]

    def test_a_staff_edit_keeps_the_fragment_per_language(self, client, seed):
        afev = Association.objects.get(slug="afev")
        cards(client, "ar")
        edit(afev, summary_ar="ملخص جديد")
        assert "ملخص جديد" in cards(client, "ar")
        assert "ملخص جديد" not in cards(client)


def test_a_card_without_translation_shows_the_french_marked(client, seed):
    Association.objects.filter(slug="afev").update(summary_en="")
    assert (
        f'<p><span lang="fr">{AFEV_FR}</span> <span class="in-french">(in French)</span></p>'
    ) in cards(client, "en")


def figures(client, slug, language):
    """The « Figures » section of an association's page, as a reader sees it."""
    html = page(client, Association.objects.get(slug=slug), language).content.decode()
    section = html.split('id="titre-chiffres"', 1)[1].split("</section>", 1)[0]
    return plain(unescape(re.sub(r"<[^>]+>", " ", section)))


class TestInterfacePhrases:
    """The page's own words around the fiche's figures and places: whole phrases, counted
    in each language's plurals (Arabic has six)."""

    def test_the_figures_in_english(self, client, seed):
        text = figures(client, "article-1", "en")
        assert "Mentoring programme started in 2004" in text
        assert (
            "34,614 young people mentored in 2022, including 842 in the Lille metropolitan area"
        ) in text
        assert (
            "How many young people it can support in the Cité éducative de Roubaix: "
            "200 young people or more"
        ) in text
        assert "créé en" not in text and "jeunes" not in text and "Capacité" not in text

    def test_the_figures_in_arabic(self, client, seed):
        text = figures(client, "article-1", "ar")
        assert "برنامج إرشاد بدأ سنة 2004" in text
        # 34 614: the plural of 11 to 99 (what counts is the last two digits).
        assert ("34 614 شابًا استفادوا من الإرشاد سنة 2022، منهم 842 في منطقة ليل الكبرى") in text
        assert (
            "عدد الشباب الذين يمكن مرافقتهم في المدينة التربوية في روبيه: 200 شاب أو أكثر"
        ) in text
        assert "créé en" not in text and "Capacité" not in text

    def test_the_figures_stay_french_in_french(self, client, seed):
        text = figures(client, "article-1", "fr")
        assert "Programme de mentorat créé en 2004" in text
        assert "34 614 jeunes mentorés en 2022, dont 842 dans la Métropole lilloise" in text
        assert (
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 200 jeunes ou plus"
            in (text)
        )

    @pytest.mark.parametrize(
        "language, one, two",
        [
            ("fr", "1 jeune mentoré en 2022", "2 jeunes"),
            ("en", "1 young person mentored in 2022", "2 young people"),
            ("ar", "1 شاب استفاد من الإرشاد سنة 2022", "2 شابان"),
        ],
    )
    def test_one_and_two_young_people(self, client, seed, language, one, two):
        afev = edit(
            Association.objects.get(slug="afev"),
            mentored_total=1,
            mentored_metropole=None,
            roubaix_capacity=2,
            roubaix_capacity_is_minimum=False,
        )
        text = page_text(page(client, afev, language))
        assert one in text and f"{one}," not in text
        assert two in text

    @pytest.mark.parametrize(
        "language, weeks, said",
        [
            ("fr", 1, "Liste d’attente (environ 1 semaine)"),
            ("en", 1, "Waiting list (about 1 week)"),
            ("en", 6, "Waiting list (about 6 weeks)"),
            ("ar", 2, "قائمة انتظار (حوالي 2 أسبوعان)"),
            ("ar", 6, "قائمة انتظار (حوالي 6 أسابيع)"),
            ("ar", 12, "قائمة انتظار (حوالي 12 أسبوعًا)"),
        ],
    )
    def test_a_waiting_list_in_weeks(self, client, seed, language, weeks, said):
        afev = Association.objects.get(slug="afev")
        afev.set_intake(Intake.WAITING_LIST, weeks=weeks)
        assert said in page_text(page(client, afev, language))
        # The card says it too, in the same words.
        card_text = plain(re.sub(r"<[^>]+>", " ", cards(client, language)))
        assert f"Places {said}" in card_text or f"الأماكن {said}" in card_text

    @pytest.mark.parametrize(
        "language, intake, said",
        [
            ("en", Intake.OPEN, "Taking new young people"),
            ("ar", Intake.OPEN, "تستقبل شبابًا جددًا"),
            ("en", Intake.CLOSED, "Not taking requests at the moment"),
            ("ar", Intake.CLOSED, "لا تقبل طلبات في الوقت الحالي"),
            ("fr", Intake.CLOSED, "Ne prend pas de demande en ce moment"),
        ],
    )
    def test_an_intake_status(self, client, seed, language, intake, said):
        afev = Association.objects.get(slug="afev")
        afev.set_intake(intake)
        html = page(client, afev, language).content.decode()
        # (a status that takes no request reads as one to check)
        assert re.search(f'<p class="places"><strong[^>]*>{said}</strong>', html)

    @pytest.mark.parametrize(
        "language, capacity, places",
        [
            ("fr", "200 jeunes ou plus", "Places disponibles"),
            ("en", "200 young people or more", "Places available"),
            ("ar", "200 شاب أو أكثر", "توجد أماكن متاحة"),
        ],
    )
    def test_the_cards_capacity_and_places(self, client, seed, language, capacity, places):
        html = cards(client, language)
        assert f"<dd>{capacity}</dd>" in html
        assert f"<dd>{places}</dd>" in html

    def test_a_place_s_french_name_is_marked_french(self, client, seed):
        afev = Association.objects.get(slug="afev")
        name = "Afev à Roubaix (lieu à préciser)"
        arabic = page(client, afev, "ar").content.decode()
        assert f'<strong><span lang="fr" dir="ltr">{name}</span></strong>' in arabic
        with override("en"):
            english_map = client.get(reverse("associations:map")).content.decode()
        assert f'<li><span lang="fr">{name}</span>, 59100 Roubaix' in english_map
        # A name, not a text: no « (in French) » after each.
        assert f"{name}</span> <span" not in english_map
        assert f"<li><strong>{name}</strong>" in page(client, afev).content.decode()
