"""The interface in French, Arabic and English: the switch, the addresses, the choice
remembered, hostile headers and addresses, hreflang, right to left, translated pages."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import linebreaks
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertInHTML

from associations.models import Collective
from mentorat.views import server_error

from .helpers import page_text

pytestmark = pytest.mark.django_db

SWITCH = re.compile(r'<nav class="language-switch"[^>]*>(.*?)</nav>', re.S)
SWITCH_LINK = re.compile(r"<a ([^>]*)>([^<]*)</a>")
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
NAMES = {"fr": "Français", "ar": "العربية", "en": "English"}

# Every kind of page this work translates, by its French address.
PAGES = [
    reverse("associations:home"),
    reverse("associations:presentation"),
    reverse("associations:directory"),
    reverse("associations:map"),
    reverse("pages:contact"),
    reverse("pages:legal"),
    reverse("pages:privacy"),
    reverse("pages:accessibility"),
]


def prefixed(code, path):
    return path if code == "fr" else f"/{code}{path}"


def switch_links(response):
    """[(code, name, href, aria-current)] of the page's language switch."""
    links = []
    for attributes, name in SWITCH_LINK.findall(SWITCH.search(response.content.decode())[1]):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        links.append((values["lang"], name, values["href"], "aria-current" in values))
    return links


def switch_hrefs(response):
    """{code: the switch's link to that language}."""
    return {code: href for code, _, href, _ in switch_links(response)}


def follow_switch(client, href):
    return client.get(href.replace("&amp;", "&"))


class TestSwitch:
    @pytest.mark.parametrize("code", ["fr", "ar", "en"])
    @pytest.mark.parametrize("path", PAGES)
    def test_every_page_has_the_switch_in_each_languages_own_name(self, client, seed, code, path):
        response = client.get(prefixed(code, path))
        assert response.status_code == 200
        links = switch_links(response)
        assert [(link[0], link[1]) for link in links] == list(NAMES.items())
        # Only the page's own language is marked as the current one.
        assert [link[0] for link in links if link[3]] == [code]
        html_lang = re.search(r'<html lang="(\w+)" dir="(\w+)">', response.content.decode())
        assert html_lang.groups() == (code, "rtl" if code == "ar" else "ltr")

    def test_the_switch_remembers_and_leads_to_the_same_page_in_that_language(self, client, seed):
        links = switch_hrefs(client.get("/carte/"))
        response = follow_switch(client, links["ar"])
        assert response.status_code == 302
        assert response["Location"] == "/ar/carte/"
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie.value == "ar" and cookie["max-age"] == 365 * 24 * 60 * 60
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        page = client.get("/ar/carte/")
        assert "خريطة الجمعيات" in page_text(page)

    def test_the_query_comes_along(self, client, seed):
        response = client.get("/associations/?niveau=ecole&tri=nom")
        links = switch_hrefs(response)
        assert follow_switch(client, links["en"])["Location"] == (
            "/en/associations/?niveau=ecole&tri=nom"
        )

    def test_a_remembered_choice_sends_a_french_address_to_its_language(self, client, seed):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
        response = client.get("/associations/?niveau=ecole")
        assert response.status_code == 302
        assert response["Location"] == "/ar/associations/?niveau=ecole"
        # Open data has no Arabic address: it is served, in French.
        response = client.get(reverse("opendata:open_data"))
        assert response.status_code == 200
        assert '<html lang="fr" dir="ltr">' in response.content.decode()

    def test_choosing_french_again_brings_back_the_french_addresses(self, client, seed):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
        links = switch_hrefs(client.get("/ar/associations/"))
        response = follow_switch(client, links["fr"])
        assert response["Location"] == "/associations/"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
        assert client.get("/associations/").status_code == 200

    def test_no_cookie_keeps_french_addresses_french(self, client, seed):
        response = client.get("/associations/", headers={"accept-language": "ar,en;q=0.8"})
        assert response.status_code == 200
        assert '<html lang="fr" dir="ltr">' in response.content.decode()

    @pytest.mark.parametrize("code", ["de", "xx", "AR", "a" * 300, "ar%0d%0a"])
    def test_an_unknown_language_to_choose_is_a_404(self, client, code):
        response = client.get(f"/langue/{code}/")
        assert response.status_code == 404
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies

    def test_the_switch_only_answers_get(self, client):
        assert client.post(reverse("choose_language", args=["ar"])).status_code == 405


class TestHostileInput:
    @pytest.mark.parametrize(
        "header",
        [
            "garbage",
            "ar;q=abc",
            "*",
            "zz-ZZ, tlh;q=0.9",
            "ar;q=0.5," * 2000,
            "x" * 20000,
            ";;;,,,=",
            "ar-\x00",
            "en;q=2, ar;q=-1",
        ],
    )
    def test_any_accept_language_gets_the_french_page(self, client, seed, header):
        response = client.get("/", headers={"accept-language": header})
        assert response.status_code == 200
        assert '<html lang="fr" dir="ltr">' in response.content.decode()

    @pytest.mark.parametrize(
        "path",
        [
            "/de/",
            "/AR/",
            "/ar-XX/",
            "/ar-xx/associations/",
            "/ar/../",
            "/ar/%2e%2e/",
            "/%00/",
            "/ar/%00",
            "/ar/associations/%00/",
            "/ar//associations/",
            "/" + "ar/" * 2000,
            "/en/ar/",
            "/fr/",
        ],
    )
    def test_any_language_prefix_is_a_page_or_a_404_never_a_500(self, client, seed, path):
        response = client.get(path)
        assert response.status_code in (200, 301, 302, 404)
        if response.status_code == 404:
            assert "site-header" in response.content.decode()

    @pytest.mark.parametrize(
        "suivant",
        [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/carte/\r\nSet-Cookie: x=1",
            "/carte/%0d%0aLocation:%20https://evil.example",
            "http:evil.example",
            " //evil.example",
            "",
            "x" * 10000,
        ],
    )
    def test_the_page_to_come_back_to_never_leaves_the_site(self, client, seed, suivant):
        response = client.get(reverse("choose_language", args=["ar"]), {"suivant": suivant})
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
        assert not urlsplit(location).scheme and not urlsplit(location).netloc
        assert "\r" not in location and "\n" not in location
        assert client.get(location).status_code in (200, 302, 404)


class TestAlternates:
    def test_a_page_names_itself_in_each_language(self, client, seed):
        page = client.get("/ar/associations/afev/").content.decode()
        assert HREFLANG.findall(page) == [
            ("fr", "http://localhost:8000/associations/afev/"),
            ("x-default", "http://localhost:8000/associations/afev/"),
            ("ar", "http://localhost:8000/ar/associations/afev/"),
            ("en", "http://localhost:8000/en/associations/afev/"),
        ]

    def test_a_french_only_page_names_no_other_language_but_keeps_the_switch(self, client, seed):
        response = client.get(reverse("opendata:open_data"))
        assert [code for code, _ in HREFLANG.findall(response.content.decode())] == [
            "fr",
            "x-default",
        ]
        assert [link[0] for link in switch_links(response)] == ["fr", "ar", "en"]
        assert client.get("/ar" + reverse("opendata:open_data")).status_code == 404
        assert client.get("/en" + reverse("opendata:brochure")).status_code == 404

    def test_the_footer_says_open_data_is_in_french(self, client, seed):
        page = page_text(client.get("/en/"))
        assert "Open data (in French)" in page and "Printable brochure (in French)" in page
        assertInHTML(
            '<a href="/donnees/" hreflang="fr">البيانات المفتوحة (بالفرنسية)</a>',
            client.get("/ar/").content.decode(),
        )


class TestTranslatedPages:
    def test_the_home_page_in_arabic_right_to_left(self, client, seed):
        response = client.get("/ar/")
        page = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        text = page_text(response)
        assert "مرشد لكل شاب في روبيه" in text
        # Ten associations (Arabic's plural for 3 to 10), at least 432 places (the form for
        # a number ending in 11 to 99), in Western digits.
        assert "10 جمعيات للإرشاد، و432 مكانًا على الأقل في المدينة التربوية في روبيه" in text
        assert "لي أو لطفلي، من 5 إلى 30 سنة" in text
        assertInHTML('<a class="skip-link" href="#contenu">الانتقال إلى المحتوى</a>', page)
        assert "Un mentor pour chaque jeune" not in text

    def test_the_home_page_in_english(self, client, seed):
        text = page_text(client.get("/en/"))
        assert "A mentor for every young person in Roubaix" in text
        assert "10 mentoring associations, at least 432 places in the Cité éducative" in text
        assert "Un mentor pour chaque jeune" not in text

    def test_the_directory_filters_and_counts_in_arabic(self, client, seed):
        response = client.get("/ar/associations/", {"niveau": "ecole"})
        text = page_text(response)
        assert "المستوى الدراسي أو وضع الشاب" in text  # the filter's label
        assert "2 جمعيتان من أصل 10 تناسب اختياراتك" in text
        assert "الصفحة" not in text  # one page: no pagination

    def test_french_keeps_zero_in_the_singular(self, client, seed):
        text = page_text(client.get("/associations/", {"niveau": "maternelle"}))
        assert "0 association sur 10 correspond à vos critères, 0 place dans la Cité" in text

    def test_the_map_list_in_english(self, client, seed):
        response = client.get("/en/carte/", {"niveau": "ecole"}, headers={"X-Partial": "liste"})
        assert page_text(response).startswith("2 places, 2 associations.")
        page = client.get("/en/carte/").content.decode()
        assert 'data-approximate-text="Approximate location"' in page
        assert 'data-geojson-url="/en/api/lieux.geojson"' in page

    def test_an_e_mail_address_reads_left_to_right_in_arabic(self, client, seed):
        page = client.get("/ar/contact/").content.decode()
        assertInHTML(
            '<a href="mailto:roubaix@collectifmentorat.fr" dir="ltr">'
            "roubaix@collectifmentorat.fr</a>",
            page,
        )

    @pytest.mark.parametrize("name", ["home", "directory"])
    def test_a_page_costs_the_same_queries_in_every_language(self, client, seed, name):
        counts = {}
        for code in ["fr", "ar", "en"]:
            with translation.override(code):
                url = reverse(f"associations:{name}")
            client.get(url)  # the directory's figures and fragments, cached per language
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[code] = len(queries)
        assert counts["ar"] == counts["fr"] == counts["en"], counts


class TestCollectiveTexts:
    """The Collectif's own texts (its figures, testimonials, presentation) exist in French
    only: on a page of another language they are French, said so, once per block."""

    def test_the_home_page_s_figures_and_testimonials_in_arabic(self, client, seed):
        collective = Collective.objects.load()
        page = client.get("/ar/").content.decode()
        assert '<ul class="figure-list" lang="fr" dir="ltr">' in page
        assert f'<h2 id="titre-impact" lang="fr" dir="ltr">{collective.impact_title}</h2>' in page
        assert (
            f'<p class="source">المصدر: <span lang="fr" dir="ltr">{collective.impact_source}'
            '</span> <span class="in-french">(بالفرنسية)</span></p>'
        ) in page
        assert page.count('<figure class="card" lang="fr" dir="ltr">') == (
            collective.testimonials.count()
        )
        assert '</figure>\n      \n    </div><p class="in-french">(بالفرنسية)</p>' in page
        # Once per block: the figures' source and the testimonials.
        assert page.count('class="in-french"') == 2

    def test_the_home_page_s_figures_in_english(self, client, seed):
        page = client.get("/en/").content.decode()
        assert '<ul class="figure-list" lang="fr">' in page
        assert '<span class="in-french">(in French)</span></p>' in page

    def test_a_title_staff_left_empty_is_the_page_s_own(self, client, seed):
        Collective.objects.filter(pk=1).update(impact_title="")
        page = client.get("/en/").content.decode()
        assert '<h2 id="titre-impact">The impact of mentoring</h2>' in page

    def test_the_presentation_in_english(self, client, seed):
        collective = Collective.objects.load()
        page = client.get("/en/presentation/").content.decode()
        assert (
            f'<div lang="fr">{linebreaks(collective.mentoring_definition)}</div>'
            '<p class="in-french">(in French)</p>'
        ) in page
        assert '<ul class="tags" aria-label="Mentor profiles" lang="fr"><li>Salariés</li>' in page
        assert f'<ul lang="fr"><li>{collective.mission_list[0]}</li>' in page
        text = page_text(client.get("/en/presentation/"))
        assert (
            "What matters: Écoute, Transmission, Rencontre, Soutien, Bienveillance (in French)."
            in text
        )

    def test_the_presentation_in_arabic_left_to_right_inside(self, client, seed):
        collective = Collective.objects.load()
        page = client.get("/ar/presentation/").content.decode()
        assert (
            f'<div lang="fr" dir="ltr">{linebreaks(collective.mentoring_definition)}</div>'
            '<p class="in-french">(بالفرنسية)</p>'
        ) in page
        assert f'<p lang="fr" dir="ltr">{collective.cite_priorities_intro}</p>' in page

    def test_the_french_pages_are_as_they_were(self, client, seed):
        collective = Collective.objects.load()
        home = client.get("/").content.decode()
        presentation = client.get("/presentation/").content.decode()
        for page in (home, presentation):
            assert '<div lang="fr"' not in page and '<p lang="fr"' not in page
            assert '<ul lang="fr"' not in page and '" lang="fr"><li>' not in page
            assert 'class="in-french"' not in page and "(en français)" not in page
        assert '<ul class="figure-list">' in home and '<figure class="card">' in home
        assert '<h2 id="titre-impact">' in home
        assert (
            f'<h2 id="titre-definition">Le mentorat, c’est quoi&nbsp;?</h2>\n    '
            f"{linebreaks(collective.mentoring_definition)}\n"
        ) in presentation


class TestErrorPages:
    def test_an_unknown_arabic_page_is_an_arabic_404(self, client, seed):
        response = client.get("/ar/nexiste-pas/")
        assert response.status_code == 404
        page = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        assertInHTML("<h1>هذه الصفحة غير موجودة</h1>", page)
        assertInHTML('<a href="/ar/">العودة إلى الصفحة الرئيسية</a>', page)

    def test_the_500_page_follows_the_language_without_the_database(self, db):
        request = RequestFactory().get("/ar/")
        with translation.override("ar"), CaptureQueriesContext(connection) as queries:
            response = server_error(request)
        assert len(queries) == 0
        page = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        assertInHTML("<h1>يواجه الموقع مشكلة</h1>", page)
        assertInHTML('<a href="/ar/">العودة إلى الصفحة الرئيسية</a>', page)

    def test_an_expired_arabic_form_says_so_in_arabic(self, seed):
        client = Client(enforce_csrf_checks=True)
        with translation.override("ar"):
            url = reverse("referrals:young", args=["afev"])
        response = client.post(url, {"first_name": "Lina"})
        assert response.status_code == 403
        assertInHTML("<h1>انتهت صلاحية الاستمارة</h1>", response.content.decode())

    def test_a_french_404_stays_french(self, client, seed):
        response = client.get("/nexiste-pas/", headers={"accept-language": "ar"})
        assertInHTML("<h1>Cette page n’existe pas</h1>", response.content.decode())
