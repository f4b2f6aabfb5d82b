"""The seed fixture holds the brochure: checked against it figure by figure."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from associations.models import (
    AcceptedMentorProfile,
    Association,
    AssociationAudience,
    Collective,
    Contact,
    Location,
    ReviewItem,
)

FIXTURE_DIR = Path(django_settings.BASE_DIR) / "fixtures"
UPDATED_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
# A contact copied from Afev's page, modalities copied from ANAF's, two that contradict.
SUSPECTED_ERRORS = {"anaf", "article-1", "face-mel"}
# data·inclusion's reseaux_porteurs: DUO for a JOB, the Fondation FACE, La Cravate Solidaire.
NETWORKS = {
    "duo-for-a-job": ["duo-for-a-job"],
    "face-mel": ["face"],
    "la-cravate-solidaire": ["la-cravate-solidaire"],
}
D = Decimal


@pytest.fixture
def brochure(db, settings):
    """The brochure, loaded with `loaddata brochure` as staff would, in an empty directory.

    The figures are checked on `seed`: the same fixture, loaded once for the session and
    followed by its shipped translations, which fill only the Arabic and English
    columns (conftest). The tests that ask for `brochure` check what `loaddata` alone
    gives: the associations in order, each one's French figures, and a second load
    that changes nothing.
    """
    dirs = [Path(d).resolve() for d in settings.FIXTURE_DIRS]
    if FIXTURE_DIR.resolve() not in dirs:
        settings.FIXTURE_DIRS = [*settings.FIXTURE_DIRS, FIXTURE_DIR]
    call_command("loaddata", "brochure", verbosity=0)


# One row per association, in the brochure's order (pk 1..10).
EXPECTED = [
    {
        "pk": 1,
        "slug": "afev",
        "name": "Afev",
        "created": 1992,
        "total": 31125,
        "metropole": 120,
        "capacity": 90,
        "is_minimum": False,
        "website": "https://afev.org/",
        "contacts": [("lille@afev.org", "")],
        "ages": (5, 18),
        "levels": {"ecole", "college", "lycee", "lycee-pro"},
        "needs": {"reussite-scolaire", "confiance", "ouverture-culturelle", "autonomie"},
        "mentors": {"etudiant", "apprenti"},
        "durations": (D("9"), None),
        "meetings": (None, None, ""),
        "hours": (D("2"), "semaine"),
        "modalities": (True, True),
    },
    {
        "pk": 2,
        "slug": "anaf",
        "name": "ANAF",
        "created": 2021,
        "total": 765,
        "metropole": 130,
        "capacity": 30,
        "is_minimum": False,
        "website": "https://www.mentorat-apprentissage.fr/",
        "contacts": [("lille@afev.org", "")],
        "ages": (None, None),
        "levels": {"apprentissage", "lycee-pro", "recherche-emploi"},
        "needs": {"insertion-pro", "orientation"},
        "mentors": {"apprenti", "salarie", "agent-public"},
        "durations": (D("6"), D("6")),
        "meetings": (None, None, ""),
        "hours": (D("3"), "mois"),
        "modalities": (True, True),
    },
    {
        "pk": 3,
        "slug": "article-1",
        "name": "Article 1",
        "created": 2004,
        "total": 34614,
        "metropole": 842,
        "capacity": 200,
        "is_minimum": True,
        "website": "http://article-1.eu",
        "contacts": [("laurie-anne.gauche@article-1.eu", "")],
        "ages": (None, None),
        "levels": {"lycee", "lycee-pro", "etudes-superieures"},
        "needs": {"orientation", "insertion-pro", "confiance", "reussite-scolaire"},
        "mentors": {"salarie"},
        "durations": (D("6"), D("6")),
        "meetings": (None, None, ""),
        "hours": (D("3"), "mois"),
        "modalities": (True, True),
    },
    {
        "pk": 4,
        "slug": "proxite",
        "name": "Proxité",
        "created": 2002,
        "total": 2100,
        "metropole": 118,
        "capacity": 30,
        "is_minimum": False,
        "website": "http://proxite.com",
        "contacts": [
            ("s.hannou@proxite.com", "0636152643"),
            ("a.defretin@proxite.com", "0766268218"),
        ],
        "ages": (None, None),
        "levels": {
            "college",
            "lycee",
            "lycee-pro",
            "apprentissage",
            "etudes-superieures",
            "recherche-emploi",
        },
        "needs": {"reussite-scolaire", "orientation", "insertion-pro"},
        "mentors": {"salarie", "agent-public"},
        "durations": (D("12"), None),
        "meetings": (1, 4, "mois"),
        "hours": (None, ""),
        "modalities": (True, False),
    },
    {
        "pk": 5,
        "slug": "cpossible",
        "name": "C’Possible",
        "created": 2008,
        "total": 381,
        "metropole": 20,
        "capacity": 20,
        "is_minimum": False,
        "website": "http://cpossible-asso.fr",
        "contacts": [("mentorat@cpossible-asso.fr", "")],
        "ages": (None, None),
        "levels": {"lycee", "lycee-pro"},
        "needs": {"reussite-scolaire", "confiance", "orientation", "autonomie"},
        "mentors": {"salarie", "retraite"},
        "durations": (D("9"), None),
        "meetings": (1, 1, "semaine"),
        "hours": (None, ""),
        "modalities": (True, True),
    },
    {
        "pk": 6,
        "slug": "duo-for-a-job",
        "name": "DUO for a JOB",
        "created": 2019,
        "total": 369,
        "metropole": 52,
        "capacity": 10,
        "is_minimum": False,
        "website": "http://duoforajob.fr",
        "contacts": [("lille@duoforajob.fr", "0616798822")],
        "ages": (18, 33),
        "levels": {"recherche-emploi", "sans-activite"},
        "needs": {"insertion-pro"},
        "mentors": {"salarie", "agent-public", "retraite", "recherche-emploi"},
        "durations": (D("6"), D("6")),
        "meetings": (1, 1, "semaine"),
        "hours": (D("2"), "semaine"),
        "modalities": (True, True),
    },
    {
        "pk": 7,
        "slug": "face-mel",
        "name": "FACE MEL",
        "created": 2022,
        "total": 59,
        "metropole": 59,
        "capacity": 20,
        "is_minimum": False,
        "website": "http://www.face-mel.fr",
        "contacts": [("face.lillemetropole@fondationface.org", "")],
        "ages": (14, None),
        "levels": {
            "college",
            "lycee",
            "lycee-pro",
            "apprentissage",
            "etudes-superieures",
            "recherche-emploi",
            "sans-activite",
        },
        "needs": {"reussite-scolaire", "orientation", "insertion-pro"},
        "mentors": {"salarie", "retraite"},
        "durations": (None, None),
        "meetings": (1, None, "mois"),
        "hours": (None, ""),
        "modalities": (True, True),
    },
    {
        "pk": 8,
        "slug": "la-cle",
        "name": "LA CLÉ",
        "created": 1985,
        "total": None,
        "metropole": 239,
        "capacity": 10,
        "is_minimum": False,
        "website": "http://associationlacle.org",
        "contacts": [("lacle@associationlacle.org", "")],
        "ages": (None, None),
        "levels": {"ecole", "college", "lycee", "lycee-pro"},
        "needs": {
            "reussite-scolaire",
            "confiance",
            "autonomie",
            "ouverture-culturelle",
            "orientation",
            "francais",
        },
        "mentors": {"salarie", "agent-public", "etudiant", "retraite"},
        "durations": (D("9"), None),
        "meetings": (1, 2, "semaine"),
        "hours": (None, ""),
        "modalities": (True, True),
    },
    {
        "pk": 9,
        "slug": "la-cravate-solidaire",
        "name": "La Cravate Solidaire",
        "created": 2015,
        "total": 35,
        "metropole": 25,
        "capacity": 10,
        "is_minimum": False,
        "website": "https://lacravatesolidaire.org/lille/actions",
        "contacts": [("mentorat.lille@lacravatesolidaire.org", "")],
        "ages": (None, None),
        "levels": {"lycee-pro", "etudes-superieures", "recherche-emploi", "sans-activite"},
        "needs": {"insertion-pro", "confiance"},
        "mentors": {"salarie"},
        "durations": (D("1.5"), D("6")),
        "meetings": (2, 2, "mois"),
        "hours": (None, ""),
        "modalities": (True, True),
    },
    {
        "pk": 10,
        "slug": "telemaque",
        "name": "Télémaque",
        "created": 2005,
        "total": 1642,
        "metropole": 82,
        "capacity": 12,
        "is_minimum": False,
        "website": "http://telemaque.org",
        "contacts": [("jerome.vieillard@telemaque.org", "")],
        "ages": (None, None),
        "levels": {"college", "lycee", "lycee-pro", "apprentissage"},
        "needs": {"ouverture-culturelle", "orientation", "confiance", "reussite-scolaire"},
        "mentors": {"salarie", "agent-public"},
        "durations": (D("72"), D("72")),
        "meetings": (1, 1, "mois"),
        "hours": (None, ""),
        "modalities": (True, True),
    },
]


def slugs(related):
    return {term.slug for term in related.all()}


def test_the_brochure_has_ten_associations_in_order(brochure):
    assert list(Association.objects.order_by("pk").values_list("slug", flat=True)) == [
        row["slug"] for row in EXPECTED
    ]
    for row in EXPECTED:
        association = Association.objects.get(pk=row["pk"])
        assert (association.name, association.website) == (row["name"], row["website"])
        assert (association.roubaix_capacity, association.roubaix_capacity_is_minimum) == (
            row["capacity"],
            row["is_minimum"],
        )
        assert (association.age_min, association.age_max) == row["ages"]
        assert slugs(association.levels) == row["levels"]
        # loaddata alone: no shipped translation yet.
        assert association.summary_ar in (None, "")


@pytest.mark.parametrize("row", EXPECTED, ids=[row["slug"] for row in EXPECTED])
class TestAssociationFigures:
    @pytest.fixture
    def association(self, seed, row):
        return Association.objects.get(pk=row["pk"])

    def test_identity(self, association, row):
        assert association.slug == row["slug"]
        assert association.name == row["name"]
        assert association.website == row["website"]
        assert association.summary and len(association.summary) <= 240
        assert association.description
        assert association.public_description
        # The brochure's suspected errors are shown to the public until staff check them.
        assert association.show_review_items_publicly is (row["slug"] in SUSPECTED_ERRORS)
        assert association.updated_at == UPDATED_AT
        # Transcribed (verified against the brochure) the day the seed was made.
        assert association.verified_on == UPDATED_AT.date()
        # The schema's networks, where it has the association's; its thématiques by default.
        assert association.data_inclusion_networks == NETWORKS.get(row["slug"], [])
        assert association.data_inclusion_thematiques == []
        association.full_clean()

    def test_figures(self, association, row):
        assert association.programme_created_year == row["created"]
        assert association.mentored_year == 2022
        assert association.mentored_total == row["total"]
        assert association.mentored_metropole == row["metropole"]
        assert association.roubaix_capacity == row["capacity"]
        assert association.roubaix_capacity_is_minimum is row["is_minimum"]

    def test_contacts(self, association, row):
        assert [(c.email, c.phone) for c in association.contacts.all()] == row["contacts"]
        assert all(c.person_name == "" for c in association.contacts.all())

    def test_public(self, association, row):
        assert (association.age_min, association.age_max) == row["ages"]
        assert slugs(association.levels) == row["levels"]
        assert slugs(association.needs) == row["needs"]

    def test_mentors(self, association, row):
        assert slugs(association.mentor_profiles) == row["mentors"]
        assert association.mentor_description

    def test_how(self, association, row):
        assert (association.duration_min_months, association.duration_max_months) == row[
            "durations"
        ]
        # Frequency and time as the brochure says them ("1 à 2 fois par semaine", "2 h par
        # semaine"), numbers and a period.
        meetings = (association.meetings_min, association.meetings_max, association.meetings_period)
        assert meetings == row["meetings"]
        assert (association.hours, association.hours_period) == row["hours"]
        assert (association.in_person, association.remote) == row["modalities"]
        assert association.duration_text
        assert association.modality_text

    def test_partners(self, association, row):
        assert association.partner_types.exists()
        assert association.partners_text

    def test_one_approximate_location_in_roubaix(self, association, row):
        (location,) = association.locations.all()
        assert location.label == f"{row['name']} à Roubaix (lieu à préciser)"
        assert location.is_approximate is True
        assert (location.postcode, location.city) == ("59100", "Roubaix")
        assert (location.latitude, location.longitude) == (D("50.688400"), D("3.182100"))
        assert association.review_items.filter(section=ReviewItem.Section.LOCATIONS).count() == 1


def test_capacities_total_432(seed):
    totals = Association.objects.totals()
    assert (totals["associations"], totals["capacity"]) == (10, 432)
    # Article 1: "200 jeunes ou plus".
    assert totals["capacity_label"] == "au moins 432\u00a0places"


def test_texts_in_the_brochure_words(seed):
    article_1 = Association.objects.get(slug="article-1")
    assert article_1.public_description == "Jeunes du Bac-3 au Bac+5, issus de milieux populaires"
    proxite = Association.objects.get(slug="proxite")
    assert "dès l’entrée en 6e et jusqu’aux premiers temps de l’insertion professionnelle" in (
        proxite.public_description
    )
    assert "du CP à la terminale" in Association.objects.get(slug="la-cle").public_description
    assert Association.objects.get(slug="afev").frequency_text == "2 h par semaine"
    assert Association.objects.get(slug="face-mel").duration_text == "Pas d’engagement minimum"
    assert Association.objects.get(slug="telemaque").duration_text.startswith("6 ans")
    # Typographic apostrophes throughout, never the typewriter one.
    for association in Association.objects.all():
        for field in ("name", "summary", "description", "public_description", "partners_text"):
            assert "'" not in getattr(association, field), (association.slug, field)


def test_audiences(seed):
    audiences = {
        (a.association.slug, a.audience.slug): a.is_required
        for a in AssociationAudience.objects.select_related("association", "audience")
    }
    assert audiences == {
        ("duo-for-a-job", "refugie-immigration"): True,
        ("face-mel", "qpv"): True,
        ("proxite", "qpv"): False,
        ("telemaque", "rep"): False,
        ("afev", "rep"): False,
    }
    duo = Association.objects.get(slug="duo-for-a-job")
    assert duo.eligibility_notes == "Jeunes de 18 à 33 ans, réfugiés ou issus de l’immigration"
    assert Association.objects.get(slug="face-mel").eligibility_notes.startswith(
        "Jeunes issus de QPV, à partir de 14 ans"
    )


def test_mentor_details(seed):
    apprenti = AcceptedMentorProfile.objects.get(association__slug="anaf", profile__slug="apprenti")
    assert apprenti.min_age == 21
    assert apprenti.requirements == "au moins 2 ans d’expérience"
    duo = Association.objects.get(slug="duo-for-a-job")
    assert duo.mentor_min_age == 50
    assert duo.mentor_training == "Mentors formés par l’association"
    la_cle = Association.objects.get(slug="la-cle")
    assert la_cle.mentor_training == (
        "Bénévoles formés et outillés (supports pédagogiques, ludiques)"
    )
    assert (
        "ressources humaines"
        in Association.objects.get(slug="la-cravate-solidaire").mentor_description
    )


def test_venues(seed):
    venues = {a.slug: slugs(a.venues) for a in Association.objects.all()}
    assert venues["afev"] == {"domicile", "lieu-tiers"}
    assert venues["proxite"] == {"entreprise"}
    assert venues["cpossible"] == {"etablissement-scolaire"}
    assert venues["la-cle"] == {"locaux-association", "lieu-tiers"}


def test_review_items(seed):
    def sections(slug):
        return sorted(
            ReviewItem.objects.filter(association__slug=slug).values_list("section", flat=True)
        )

    assert sections("anaf") == ["contacts", "lieux"]
    anaf_contacts = ReviewItem.objects.get(association__slug="anaf", section="contacts")
    assert "lille@afev.org" in anaf_contacts.note
    assert sections("article-1") == ["lieux", "mentors", "modalites"]
    assert sections("face-mel") == ["lieux", "modalites"]
    assert sections("la-cle") == ["chiffres", "lieux"]
    assert sections("duo-for-a-job") == ["lieux", "public"]
    for slug in ("afev", "proxite", "cpossible", "la-cravate-solidaire", "telemaque"):
        assert sections(slug) == ["lieux"]
    assert ReviewItem.objects.count() == 16


def test_every_location_is_approximate_and_flagged(seed):
    assert Location.objects.count() == 10
    assert not Location.objects.filter(is_approximate=False).exists()
    flagged = set(
        ReviewItem.objects.filter(section="lieux").values_list("association__slug", flat=True)
    )
    assert flagged == set(Location.objects.values_list("association__slug", flat=True))


def test_collective(seed):
    collective = Collective.objects.get()
    assert collective.pk == 1
    assert collective.name == "Collectif Mentorat"
    assert collective.contact_email == "roubaix@collectifmentorat.fr"
    assert "150 000 jeunes" in collective.national_figure
    assert collective.national_plan_url == "https://www.1jeune1mentor.fr/"
    assert collective.cite_priorities_intro.startswith("En cohérence avec les grands objectifs")
    assert collective.territory_presentation.startswith(
        "Les associations du Collectif Mentorat interviennent sur le territoire de Roubaix"
    )
    assert collective.mission_list == [
        "Porter un plaidoyer pour un droit au mentorat",
        "Faire grandir et représenter l’écosystème du mentorat en France",
        "Accompagner nos organisations membres vers un mentorat de qualité",
    ]
    assert [title for title, _ in collective.cite_priority_list] == [
        "La coopération entre acteurs éducatifs",
        "La lutte contre les déterminismes",
        "Le développement de l’ambition des enfants et des jeunes",
    ]
    assert collective.mentor_profile_list == [
        "Salariés",
        "Agents publics",
        "Étudiants",
        "Lycéens",
        "Retraités",
    ]
    assert collective.mentor_quality_list == [
        "Écoute",
        "Transmission",
        "Rencontre",
        "Soutien",
        "Bienveillance",
    ]
    assert collective.who_can_be_mentored.startswith(
        "Le mentorat s’adresse aux jeunes de 5 à 30 ans."
    )
    assert len(collective.mentoring_definition.split("\n\n")) == 3
    assert [(f.percentage, f.position) for f in collective.impact_figures.all()] == [
        (84, 10),
        (89, 20),
        (72, 30),
        (86, 40),
    ]
    testimonials = list(collective.testimonials.all())
    assert [(t.author, t.author_description) for t in testimonials] == [
        ("Angèle", "Lycéenne, 17 ans"),
        ("Pierre", "Père d’un collégien en classe de 5e"),
    ]
    assert len(testimonials[0].quote.split("\n\n")) == 2
    assert "j’ai l’ai vu s’ouvrir" in testimonials[1].quote


def test_the_seed_passes_model_validation(seed):
    for model in (Association, Contact, Location):
        for instance in model.objects.all():
            instance.full_clean()


def test_loading_twice_changes_nothing(brochure):
    counts = {
        model: model.objects.count()
        for model in (Association, Contact, Location, ReviewItem, AssociationAudience)
    }
    call_command("loaddata", "brochure", verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
