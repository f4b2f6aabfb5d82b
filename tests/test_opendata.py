"""Open data: the JSON API, the CSV, the data·inclusion exports and the /donnees/ page."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pydantic
import pytest
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from associations import vocabularies
from associations.geojson import FEATURE_PROPERTIES
from associations.models import (
    Association,
    AssociationAudience,
    Audience,
    Collective,
    Contact,
    Level,
)
from core import datainclusion as core_datainclusion
from core.french import NBSP
from core.vocabularies import Modality
from opendata import datainclusion, records

from .factories import AssociationFactory, ContactFactory, LocationFactory, ReviewItemFactory, edit
from .helpers import change_url, form_data, page_text

pytestmark = pytest.mark.django_db


API_LIST = reverse("opendata:association_list")
CSV_URL = reverse("opendata:associations_csv")
STRUCTURES = reverse("opendata:data_inclusion_structures")
SERVICES = reverse("opendata:data_inclusion_services")
OPEN_DATA_PAGE = reverse("opendata:open_data")
GEOJSON = reverse("associations:locations_geojson")


def api_detail(slug):
    return reverse("opendata:association_detail", args=[slug])


# Each export reads the associations once with their vocabularies, places and contacts:
# 10 queries (see opendata.records.exported_associations), whatever their number, and the
# Collectif's record (its address stands in for an association's unconfirmed one).
EXPORTS = [API_LIST, api_detail("afev"), CSV_URL, STRUCTURES, SERVICES]


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_each_export_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, url, fixture
):
    request.getfixturevalue(fixture)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_the_open_data_page_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, fixture
):
    request.getfixturevalue(fixture)
    # Count and last update, an example identifier, the three mapped vocabularies, the
    # Collectif (its address, for associations without a confirmed one).
    with django_assert_num_queries(6):
        assert client.get(OPEN_DATA_PAGE).status_code == 200


class TestApi:
    def test_the_list_holds_every_association_with_the_licence(self, client, seed):
        response = client.get(API_LIST)
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert data["count"] == 10
        assert data["licence"] == {
            "name": "Licence Ouverte 2.0",
            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
        assert data["documentation"] == "http://localhost:8000/donnees/"
        assert [record["slug"] for record in data["results"]] == list(
            Association.objects.values_list("slug", flat=True)
        )
        assert data["updated_at"] == max(record["updated_at"] for record in data["results"])

    def test_a_record_has_every_public_field(self, client, seed):
        record = client.get(api_detail("afev")).json()
        assert record["name"] == "Afev"
        assert record["url"] == "http://localhost:8000/associations/afev/"
        assert record["website"] == "https://afev.org/"
        assert record["logo"] is None
        assert record["mentored_total"] == 31125
        assert record["roubaix_capacity"] == 90
        assert (record["age_min"], record["age_max"]) == (5, 18)
        # Decimals are JSON numbers, whole ones integers.
        assert record["hours_per_month_min"] == 8.7
        assert record["duration_min_months"] == 9
        assert record["duration_max_months"] is None
        assert record["in_person"] is True and record["remote"] is True
        assert record["levels"] == [
            {"slug": "ecole", "label": "École élémentaire"},
            {"slug": "college", "label": "Collège"},
            {"slug": "lycee", "label": "Lycée général ou technologique"},
            {"slug": "lycee-pro", "label": "Lycée professionnel"},
        ]
        assert record["audiences"] == [
            {"slug": "rep", "label": "Élèves d’un établissement REP ou REP+", "is_required": False}
        ]
        assert {"slug": "domicile", "label": "Au domicile du jeune"} in record["venues"]
        assert {"slug": "ecoles", "label": "Écoles élémentaires"} in record["partner_types"]
        # A generic address, published; not confirmed yet, and said so.
        assert record["contacts"] == [
            {
                "person_name": None,
                "role": None,
                "email": "lille@afev.org",
                "email_confirmed": False,
                "phone": None,
                "phone_display": None,
            }
        ]
        assert record["request_email"] == "roubaix@collectifmentorat.fr"
        assert record["request_email_is_collective"] is True
        assert record["locations"] == [
            {
                "label": "Afev à Roubaix (lieu à préciser)",
                "address": None,
                "postcode": "59100",
                "city": "Roubaix",
                "latitude": 50.6884,
                "longitude": 3.1821,
                "is_approximate": True,
            }
        ]
        # Every field of the model that the public sees is in the record.
        # Open data stays French: a text's columns per language (summary_ar…) are not
        # fields of their own, the text is (its French).
        model_fields = {
            field.name
            for field in Association._meta.get_fields()
            if (field.concrete or field.many_to_many) and not hasattr(field, "translated_field")
        }
        # places_adjustment: staff's count of places taken outside the portal (issue 6).
        # fiche_check_sent_on: when the monthly check link last left (issue 12).
        # translation_to_review_*: staff's reminder that a speaker should read them.
        internal = {
            "id",
            "show_review_items_publicly",
            "places_adjustment",
            "places_taken",
            "fiche_check_sent_on",
            "translation_to_review_ar",
            "translation_to_review_en",
        }
        assert model_fields - internal <= set(record)
        assert not internal & set(record)

    def test_required_audiences_mentor_profiles_and_phones(self, client, seed):
        duo = client.get(api_detail("duo-for-a-job")).json()
        assert duo["audiences"] == [
            {
                "slug": "refugie-immigration",
                "label": "Jeunes réfugiés ou issus de l’immigration",
                "is_required": True,
            }
        ]
        # A mobile number is not published until staff have asked and ticked it.
        assert duo["contacts"][0]["phone"] is None
        duo_contact = Contact.objects.get(association__slug="duo-for-a-job")
        duo_contact.phone_publishable = True
        duo_contact.save()
        duo = client.get(api_detail("duo-for-a-job")).json()
        assert duo["contacts"][0]["phone"] == "+33616798822"
        assert duo["contacts"][0]["phone_display"] == "06 16 79 88 22"
        anaf = client.get(api_detail("anaf")).json()
        assert {"slug", "label", "min_age", "requirements"} == set(anaf["mentor_profiles"][0])

    def test_the_brochures_suspected_errors_are_published(self, client, seed):
        anaf = client.get(api_detail("anaf")).json()
        assert anaf["to_check"] == [
            {
                "section": "contacts",
                "label": "Contacts",
                "note": "Le courriel lille@afev.org est celui de l’Afev dans la brochure : "
                "à confirmer auprès de l’ANAF.",
            }
        ]
        assert anaf["verified_on"] == "2026-11-26"
        assert [
            item["section"] for item in client.get(api_detail("article-1")).json()["to_check"]
        ] == [
            "mentors",
            "modalites",
        ]
        # Staff-only notes (the approximate places) stay in the admin.
        assert all(item["section"] != "lieux" for item in anaf["to_check"])

    def test_review_items_are_published_only_when_the_association_allows_it(self, client, seed):
        afev = Association.objects.get(slug="afev")
        ReviewItemFactory(association=afev, note="Le lieu exact reste à trouver.", is_public=True)
        ReviewItemFactory(association=afev, note="Note interne.", is_public=False)
        assert client.get(api_detail("afev")).json()["to_check"] == []
        afev.show_review_items_publicly = True
        afev.save()
        to_check = client.get(api_detail("afev")).json()["to_check"]
        assert {
            "section": "contacts",
            "label": "Contacts",
            "note": "Le lieu exact reste à trouver.",
        } in to_check
        assert all(item["note"] != "Note interne." for item in to_check)

    def test_the_detail_is_the_lists_record(self, client, seed):
        listed = client.get(API_LIST).json()["results"]
        assert client.get(api_detail("telemaque")).json() == next(
            record for record in listed if record["slug"] == "telemaque"
        )

    @pytest.mark.parametrize(
        "slug",
        [
            "inconnue",
            "AFEV",
            "a" * 500,
            "é-è",
            "afev%00",
            "%2e%2e",
            "' OR 1=1 --",
            "<script>",
            "afev.json",
        ],
    )
    def test_an_unknown_identifier_is_a_french_json_404(self, client, seed, slug):
        response = client.get(f"/api/associations/{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["erreur"] == "Association introuvable."
        assert "http://localhost:8000/api/associations/" in response.json()["detail"]
        # Another site's script reads the error too.
        assert response["Access-Control-Allow-Origin"] == "*"

    def test_an_empty_directory_is_an_empty_list(self, client, db):
        data = client.get(API_LIST).json()
        assert (data["count"], data["results"], data["updated_at"]) == (0, [], None)

    def test_open_to_other_sites_and_cacheable(self, client, seed):
        response = client.get(API_LIST)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    @pytest.mark.parametrize("url", EXPORTS)
    def test_read_only(self, client, seed, url):
        assert client.head(url).status_code == 200
        for method in (client.post, client.put, client.delete):
            assert method(url).status_code == 405


class TestConditionalGet:
    @pytest.mark.parametrize("url", EXPORTS)
    def test_a_client_that_has_this_version_gets_a_304(self, client, seed, url):
        first = client.get(url)
        etag = first["ETag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag

    def test_an_edit_changes_the_etag(self, client, seed):
        etag = client.get(API_LIST)["ETag"]
        afev = Association.objects.get(slug="afev")
        afev.roubaix_capacity = 95
        afev.save()
        response = client.get(API_LIST, headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert response["ETag"] != etag

    def test_a_vocabulary_renamed_changes_the_etag(self, client, seed):
        """The ETag hashes the body: a label edited in the admin is a new version."""
        etag = client.get(api_detail("afev"))["ETag"]
        edit(Level.objects.get(slug="college"), name="Collège (6e à 3e)")
        assert client.get(api_detail("afev"), headers={"If-None-Match": etag}).status_code == 200

    @pytest.mark.parametrize(
        "header", ['"nope"', "garbage", 'W/"x", "y"', '"' + "f" * 5000 + '"', ",,,", ""]
    )
    def test_other_or_absurd_etags_get_the_data(self, client, seed, header):
        response = client.get(API_LIST, headers={"If-None-Match": header})
        assert response.status_code == 200
        assert response.json()["count"] == 10

    def test_a_weak_comparison_still_matches(self, client, seed):
        etag = client.get(API_LIST)["ETag"]
        assert client.get(API_LIST, headers={"If-None-Match": "W/" + etag}).status_code == 304


@pytest.mark.parametrize(
    "query", ["?page=-1", "?format=xml&limit=999999999999", "?slug=%00", "?" + "a=1&" * 500]
)
@pytest.mark.parametrize("url", [API_LIST, CSV_URL, STRUCTURES, SERVICES, OPEN_DATA_PAGE])
def test_query_strings_are_ignored(client, seed, url, query):
    response = client.get(url + query)
    assert response.status_code == 200


# The CSV's first line, spelled out: reusers' spreadsheets and scripts read the columns
# by name, so renaming, removing or moving one must fail a test (and be announced).
CSV_HEADER = (
    "nom;identifiant;page;resume;presentation;site_internet;programme_cree_en;"
    "annee_des_chiffres;jeunes_mentores;dont_metropole_lilloise;capacite_roubaix;"
    "capacite_est_un_minimum;age_min;age_max;public;niveaux;besoins;publics_particuliers;"
    "autres_conditions;mentors;profils_de_mentors;age_min_mentors;formation_des_mentors;"
    "duree_min_mois;duree_max_mois;duree;rencontres_par_mois_min;rencontres_par_mois_max;"
    "heures_par_mois_min;frequence;presentiel;a_distance;modalites;lieux_de_rencontre;"
    "autres_modalites;types_de_partenaires;partenaires;courriel_pour_ecrire;courriels;"
    "courriels_a_confirmer;telephones;lieux;"
    "mis_a_jour_le;fiche_verifiee_le;a_verifier"
)


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


class TestCsv:
    def test_excel_ready_utf8_with_bom_semicolons_and_a_header(self, client, seed):
        response = client.get(CSV_URL)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="associations-mentorat-roubaix.csv"'
        )
        assert response.content.startswith(b"\xef\xbb\xbf" + CSV_HEADER.encode() + b"\r\n")
        rows = read_csv(response)
        assert rows[0] == CSV_HEADER.split(";")
        assert len(rows) == 1 + 10
        assert {len(row) for row in rows} == {45}

    def test_a_row_reads_as_a_french_spreadsheet_expects(self, client, seed):
        rows = read_csv(client.get(CSV_URL))
        afev = dict(zip(rows[0], rows[1], strict=True))
        assert afev["nom"] == "Afev"
        assert afev["page"] == "http://localhost:8000/associations/afev/"
        assert afev["jeunes_mentores"] == "31125"
        assert afev["heures_par_mois_min"] == "8,7"
        assert afev["duree_min_mois"] == "9"
        assert (afev["presentiel"], afev["a_distance"], afev["capacite_est_un_minimum"]) == (
            "oui",
            "oui",
            "non",
        )
        assert afev["niveaux"] == (
            "École élémentaire | Collège | Lycée général ou technologique | Lycée professionnel"
        )
        assert afev["publics_particuliers"] == "Élèves d’un établissement REP ou REP+ (prioritaire)"
        # Not confirmed yet: not in "courriels", and the Collectif's address to write to.
        assert afev["courriels"] == ""
        assert afev["courriels_a_confirmer"] == "lille@afev.org"
        assert afev["courriel_pour_ecrire"] == "roubaix@collectifmentorat.fr"
        assert afev["age_min_mentors"] == ""
        # Line breaks inside a cell survive (the cell is quoted).
        assert afev["partenaires"].splitlines() == [
            "Écoles élémentaires REP REP +",
            "Collèges REP REP+",
            "Lycées REP REP+",
        ]
        assert afev["fiche_verifiee_le"] == "2026-11-26"
        assert afev["a_verifier"] == ""
        proxite = dict(zip(rows[0], next(r for r in rows if r[1] == "proxite"), strict=True))
        # Named people's addresses and mobiles: on the public page, not in open data.
        assert (proxite["courriels_a_confirmer"], proxite["telephones"]) == ("", "")
        for contact in Contact.objects.filter(association__slug="proxite"):
            edit(contact, phone_publishable=True, email_publishable=True)  # staff tick them
        rows = read_csv(client.get(CSV_URL))
        proxite = dict(zip(rows[0], next(r for r in rows if r[1] == "proxite"), strict=True))
        assert proxite["telephones"] == "06 36 15 26 43 | 07 66 26 82 18"
        assert proxite["courriels_a_confirmer"] == "s.hannou@proxite.com | a.defretin@proxite.com"
        anaf = dict(zip(rows[0], next(r for r in rows if r[1] == "anaf"), strict=True))
        assert anaf["profils_de_mentors"] == (
            f"Alternant ou apprenti (21{NBSP}ans minimum, au moins 2 ans d’expérience) | "
            "Salarié ou salariée (mentors expérimentés / séniors) | "
            "Agent public (mentors expérimentés / séniors)"
        )

    def test_what_is_to_check_has_its_column(self, client, seed):
        """The brochure's suspected errors, as the public sees them on the fiche."""
        rows = read_csv(client.get(CSV_URL))
        by_slug = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        assert by_slug["anaf"]["a_verifier"] == (
            f"Contacts{NBSP}: Le courriel lille@afev.org est celui de l’Afev dans la "
            "brochure : à confirmer auprès de l’ANAF."
        )
        article_1 = by_slug["article-1"]["a_verifier"].split(" | ")
        assert [item.split(NBSP)[0] for item in article_1] == ["Mentors", "Modalités"]
        # Staff untick "signaler au public" once checked: the column is empty again.
        edit(Association.objects.get(slug="anaf"), show_review_items_publicly=False)
        rows = read_csv(client.get(CSV_URL))
        assert dict(zip(rows[0], rows[2], strict=True))["a_verifier"] == ""

    def test_no_cell_is_run_as_a_formula(self, client, seed):
        AssociationFactory(name='=HYPERLINK("http://x")', summary="@SUM(A1)", description="-2+3")
        rows = read_csv(client.get(CSV_URL))
        row = dict(zip(rows[0], next(r for r in rows if "HYPERLINK" in r[0]), strict=True))
        assert row["nom"] == '\'=HYPERLINK("http://x")'
        assert row["resume"] == "'@SUM(A1)"
        assert row["presentation"] == "'-2+3"


# --- data·inclusion, schema version 1, checked by the official package -----------------
# data-inclusion-schema's pydantic models (data_inclusion.schema.v1), with the schema's
# warnings ("avertissements") raised as errors, and no field the models do not know.


def schema_errors(record, model):
    """What data·inclusion's own models refuse in one exported record (empty when valid)."""
    errors = [
        f"{name} : champ inconnu du schéma"
        for name in sorted(set(record) - set(model.model_fields))
    ]
    try:
        model.model_validate_json(json.dumps(record), context={"ignore_warnings": False})
    except pydantic.ValidationError as error:
        errors += [f"{'.'.join(map(str, e['loc']))} : {e['msg']}" for e in error.errors()]
    return errors


def values(enum):
    return {member.value for member in enum}


@pytest.fixture
def edge_cases(seed):
    """Associations that push the exports: no contact, no place, a long name, exact places."""
    AssociationFactory(
        name="X" * 119 + ".",
        description="Court.",
        summary="Court.",
        website="",
        age_min=None,
        age_max=None,
        hours=None,
        duration_min_months=Decimal("0.1"),
    )
    exact = AssociationFactory(remote=True, in_person=False, levels=Level.objects.all())
    LocationFactory(association=exact, is_approximate=False, city="Roubaix")
    LocationFactory(association=exact, city="Lille", postcode="59000")
    # A named person's number: published because staff asked her and ticked it.
    ContactFactory(
        association=exact,
        email="",
        phone="0320000000",
        person_name="Camille Dupont",
        phone_publishable=True,
    )
    AssociationFactory(name="AB", summary="Un résumé qui finit par une question ?")
    elsewhere = AssociationFactory(description="D" * 3000)
    LocationFactory(association=elsewhere, city="Tourcoing", postcode="59200")
    # Reserved to a public the schema has no word for; staff's own thématiques and network.
    reserved = AssociationFactory(
        data_inclusion_thematiques=["famille--soutien-a-la-parentalite-et-a-leducation"],
        data_inclusion_networks=["apprentis-dauteuil"],
    )
    AssociationAudience.objects.create(
        association=reserved, audience=Audience.objects.get(slug="rep"), is_required=True
    )
    ReviewItemFactory(association=reserved, section="modalites", note="À confirmer.")
    Association.objects.filter(pk=reserved.pk).update(show_review_items_publicly=True)


def services_by_structure(client):
    return {service["structure_id"]: service for service in client.get(SERVICES).json()}


def structures_by_id(client):
    return {structure["id"]: structure for structure in client.get(STRUCTURES).json()}


class TestDataInclusion:
    def test_every_structure_is_valid(self, client, edge_cases):
        structures = client.get(STRUCTURES).json()
        assert len(structures) == Association.objects.count()
        for structure in structures:
            assert schema_errors(structure, v1.Structure) == [], structure

    def test_every_service_is_valid_and_belongs_to_a_structure(self, client, edge_cases):
        structures = client.get(STRUCTURES).json()
        services = client.get(SERVICES).json()
        assert len(services) == len(structures)
        for service in services:
            assert schema_errors(service, v1.Service) == [], service
        assert [s["structure_id"] for s in services] == [s["id"] for s in structures]
        assert len({s["id"] for s in services}) == len(services)
        assert len({s["id"] for s in structures}) == len(structures)

    def test_the_check_catches_what_the_schema_forbids(self):
        record = {
            "source": "mentorat-roubaix",
            "id": "x",
            "nom": "Abc.",
            "date_maj": "2020-01-01",
            "code_insee": "5951",
            "reseaux_porteurs": ["collectif-mentorat"],
            "champ": 1,
        }
        assert [error.split(" : ")[0] for error in schema_errors(record, v1.Structure)] == [
            "champ",
            # A warning of the schema (a name ending with a full stop) counts as an error.
            "nom",
            "code_insee",
            "reseaux_porteurs.0",
        ]
        service = {
            "source": "mentorat-roubaix",
            "structure_id": "x",
            "id": "x--mentorat",
            "nom": "Mentorat",
            "description": "Un programme.",
            "date_maj": "2999-01-01",
            "publics": ["jeunes", "tous-publics"],
        }
        assert [error.split(" : ")[0] for error in schema_errors(service, v1.Service)] == [
            "date_maj",
            "publics",
        ]

    def test_a_structure_says_what_we_know(self, client, seed):
        afev = structures_by_id(client)["afev"]
        assert afev["source"] == "mentorat-roubaix"
        assert afev["nom"] == "Afev"
        # The day the brochure was transcribed, until the fiche is verified again.
        assert afev["date_maj"] == "2026-11-26"
        assert afev["lien_source"] == "http://localhost:8000/associations/afev/"
        assert afev["site_web"] == "https://afev.org/"
        # Its address is not confirmed yet: none rather than one that may be wrong.
        assert afev["courriel"] is None
        assert afev["reseaux_porteurs"] is None

    def test_an_approximate_place_gives_no_address(self, client, seed):
        """The seed's places are the centre of Roubaix, until staff find the address."""
        for record in [structures_by_id(client)["afev"], services_by_structure(client)["afev"]]:
            for field in [
                "commune",
                "code_postal",
                "code_insee",
                "adresse",
                "latitude",
                "longitude",
            ]:
                assert record[field] is None, field

    def test_an_exact_place_in_roubaix_gives_the_address(self, client, edge_cases):
        association = Association.objects.get(in_person=False)
        service = services_by_structure(client)[association.slug]
        assert (service["latitude"], service["longitude"]) == (50.69, 3.18)
        assert (service["commune"], service["code_postal"], service["code_insee"]) == (
            "Roubaix",
            "59100",
            "59512",
        )
        assert service["adresse"] == "24 place de la Liberté"
        assert service["contact_nom_prenom"] == "Camille Dupont"
        assert service["modes_accueil"] == ["a-distance"]
        assert "etudiants" in service["publics"] and "demandeurs-emploi" in service["publics"]
        # A place outside Roubaix, even exact, is not where the service is given here.
        elsewhere = Association.objects.get(description__startswith="DDD")
        assert services_by_structure(client)[elsewhere.slug]["commune"] is None

    def test_networks_are_those_of_the_schema(self, client, seed):
        structures = structures_by_id(client)
        assert structures["duo-for-a-job"]["reseaux_porteurs"] == ["duo-for-a-job"]
        assert structures["face-mel"]["reseaux_porteurs"] == ["face"]
        assert structures["la-cravate-solidaire"]["reseaux_porteurs"] == ["la-cravate-solidaire"]

    def test_a_service_translates_our_vocabularies(self, client, seed):
        services = services_by_structure(client)
        afev = services["afev"]
        assert afev["id"] == "afev--mentorat"
        assert afev["nom"] == "Programme de mentorat – Afev"
        assert (afev["type"], afev["frais"]) == ("accompagnement", "gratuit")
        assert afev["zone_eligibilite"] == ["59512"]
        assert afev["modes_accueil"] == ["a-distance", "en-presentiel"]
        assert afev["publics"] == ["familles", "jeunes"]
        # Confidence and autonomy; "ouverture culturelle" is not a sports-and-culture activity.
        assert afev["thematiques"] == ["remobilisation--bien-etre-confiance-en-soi"]
        assert afev["mobilisable_par"] == ["professionnels", "usagers"]
        # 8.7 h a month is 2 h a week; nine months are 39 weeks.
        assert (afev["volume_horaire_hebdomadaire"], afev["nombre_semaines"]) == (2.0, 39)
        # What the schema cannot say is said in words.
        assert afev["publics_precisions"].startswith(
            f"Âge{NBSP}: 5 à 18{NBSP}ans. Niveaux et situations{NBSP}: École élémentaire, Collège"
        )
        assert (
            f"En priorité{NBSP}: Élèves d’un établissement REP ou REP+"
            in afev["publics_precisions"]
        )
        assert afev["conditions_acces"] is None
        assert afev["description"].startswith("L’Afev propose à des étudiants")
        assert afev["date_maj"] == "2026-11-26"
        assert afev["lien_source"] == "http://localhost:8000/associations/afev/"
        assert "lecture-ecriture-calcul--maitriser-le-francais" in services["la-cle"]["thematiques"]
        assert services["proxite"]["modes_accueil"] == ["en-presentiel"]
        # A priority is not eligibility: Proxité's QPV priority is said in words only.
        assert services["proxite"]["publics"] == [
            "demandeurs-emploi",
            "etudiants",
            "familles",
            "jeunes",
        ]
        assert (
            f"En priorité{NBSP}: Jeunes habitant un quartier prioritaire"
            in (services["proxite"]["publics_precisions"])
        )
        # Six weeks (1.5 months) are six weeks, not seven.
        assert services["la-cravate-solidaire"]["nombre_semaines"] == 6
        assert services["telemaque"]["nombre_semaines"] == 312

    def test_a_reserved_programme_lists_only_its_reserved_public(self, client, seed):
        """data·inclusion reads `publics` as "eligible if in at least one of them"."""
        services = services_by_structure(client)
        duo = services["duo-for-a-job"]
        assert duo["publics"] == ["personnes-exilees"]
        assert duo["conditions_acces"] == (
            f"Réservé aux publics suivants{NBSP}: Jeunes réfugiés ou issus de l’immigration. "
            "Jeunes de 18 à 33 ans, réfugiés ou issus de l’immigration."
        )
        # The rest is said in words.
        assert duo["publics_precisions"].startswith(
            f"Âge{NBSP}: 18 à 33{NBSP}ans. Niveaux et situations{NBSP}: "
            "En recherche d’emploi ou de formation, Ni en études ni en emploi."
        )
        assert services["face-mel"]["publics"] == ["residents-qpv-frr"]

    def test_a_reserved_public_the_schema_cannot_name_leaves_publics_out(self, client, edge_cases):
        reserved = Association.objects.get(data_inclusion_networks=["apprentis-dauteuil"])
        service = services_by_structure(client)[reserved.slug]
        # "jeunes" would make every young person eligible to a programme for REP pupils.
        assert service["publics"] is None
        assert service["conditions_acces"].startswith(
            f"Réservé aux publics suivants{NBSP}: Élèves d’un établissement REP ou REP+"
        )

    def test_staff_choose_the_thematiques_of_an_association(self, client, edge_cases):
        reserved = Association.objects.get(data_inclusion_networks=["apprentis-dauteuil"])
        service = services_by_structure(client)[reserved.slug]
        assert service["thematiques"] == ["famille--soutien-a-la-parentalite-et-a-leducation"]
        assert structures_by_id(client)[reserved.slug]["reseaux_porteurs"] == ["apprentis-dauteuil"]
        # The JSON API says what staff chose (nothing: the needs' defaults).
        assert client.get(api_detail(reserved.slug)).json()["data_inclusion_thematiques"] == [
            "famille--soutien-a-la-parentalite-et-a-leducation"
        ]
        assert client.get(api_detail("afev")).json()["data_inclusion_thematiques"] == []

    def test_the_request_form_is_the_way_to_ask(self, client, seed):
        services = services_by_structure(client)
        afev = services["afev"]
        assert afev["lien_mobilisation"] == (
            "http://localhost:8000/associations/afev/mise-en-relation/"
        )
        assert client.get(afev["lien_mobilisation"]).status_code == 200
        assert afev["modes_mobilisation"] == ["utiliser-lien-mobilisation", "envoyer-un-courriel"]

    def test_an_unconfirmed_address_is_never_the_way_to_reach_an_association(self, client, seed):
        """ANAF's brochure address was Afev's: until staff confirm one, write to the Collectif."""
        services = services_by_structure(client)
        for slug in ["afev", "anaf", "duo-for-a-job"]:
            assert services[slug]["courriel"] == "roubaix@collectifmentorat.fr", slug
            assert structures_by_id(client)[slug]["courriel"] is None
        # No phone (DUO's mobile is not published), no "par téléphone".
        assert services["duo-for-a-job"]["telephone"] is None
        assert services["anaf"]["mobilisation_precisions"] == (
            "Demander une mise en relation avec l’association par le formulaire du portail "
            "Mentorat Roubaix (lien de mobilisation) ou écrire au Collectif Mentorat, qui "
            f"transmet{NBSP}; sa fiche sur le portail{NBSP}: "
            "http://localhost:8000/associations/anaf/. Pas encore d’adresse confirmée pour "
            f"l’association{NBSP}: le courriel indiqué est celui du Collectif"
        )
        assert all("lille@afev.org" not in json.dumps(s) for s in services.values())

    def test_a_confirmed_address_is_the_associations_own(self, client, seed, staff_member):
        contact = Contact.objects.get(association__slug="duo-for-a-job")
        contact.confirm_email(by=staff_member)
        contact.phone_publishable = True
        contact.save()
        duo = services_by_structure(client)["duo-for-a-job"]
        assert duo["courriel"] == "lille@duoforajob.fr"
        assert structures_by_id(client)["duo-for-a-job"]["courriel"] == "lille@duoforajob.fr"
        assert duo["telephone"] == "+33616798822"
        assert duo["modes_mobilisation"] == [
            "utiliser-lien-mobilisation",
            "envoyer-un-courriel",
            "telephoner",
        ]
        assert duo["mobilisation_precisions"] == (
            "Demander une mise en relation avec l’association par le formulaire du portail "
            "Mentorat Roubaix (lien de mobilisation) ou la contacter par courriel ou par "
            f"téléphone{NBSP}; sa fiche sur le portail{NBSP}: "
            "http://localhost:8000/associations/duo-for-a-job/"
        )
        record = client.get(api_detail("duo-for-a-job")).json()
        assert record["contacts"][0]["email_confirmed"] is True
        assert record["request_email_is_collective"] is False
        assert schema_errors(duo, v1.Service) == []

    def test_a_withheld_address_is_in_no_export(self, client, seed):
        """ANAF's address (Afev's, withheld from the public page) is not published."""
        assert client.get(api_detail("anaf")).json()["contacts"] == []
        listed = {r["slug"]: r for r in client.get(API_LIST).json()["results"]}
        assert listed["anaf"]["contacts"] == []
        rows = read_csv(client.get(CSV_URL))
        anaf = dict(zip(rows[0], next(r for r in rows if r[1] == "anaf"), strict=True))
        assert (anaf["courriels"], anaf["courriels_a_confirmer"]) == ("", "")
        assert anaf["courriel_pour_ecrire"] == "roubaix@collectifmentorat.fr"

    def test_without_the_collectifs_address_no_courriel_at_all(self, client, seed):
        Collective.objects.update(contact_email="")
        afev = services_by_structure(client)["afev"]
        assert afev["courriel"] is None
        assert afev["modes_mobilisation"] == ["utiliser-lien-mobilisation"]
        assert "courriel" not in afev["mobilisation_precisions"]
        assert schema_errors(afev, v1.Service) == []

    def test_a_phone_only_contact_is_said_as_it_is(self, client, edge_cases):
        association = Association.objects.get(in_person=False)
        service = services_by_structure(client)[association.slug]
        assert service["telephone"] == "+33320000000"
        assert service["courriel"] == "roubaix@collectifmentorat.fr"
        assert service["modes_mobilisation"] == [
            "utiliser-lien-mobilisation",
            "envoyer-un-courriel",
            "telephoner",
        ]
        assert (
            "ou la contacter par téléphone ou écrire au Collectif Mentorat, qui transmet"
            in service["mobilisation_precisions"]
        )
        assert "par courriel" not in service["mobilisation_precisions"]
        nobody = Association.objects.get(name="AB")
        precisions = services_by_structure(client)[nobody.slug]["mobilisation_precisions"]
        assert precisions.startswith(
            "Demander une mise en relation avec l’association par le formulaire du portail "
            f"Mentorat Roubaix (lien de mobilisation) ou écrire au Collectif Mentorat, qui "
            f"transmet{NBSP}; sa fiche"
        )
        assert "téléphone" not in precisions

    def test_what_is_to_check_is_said_and_not_turned_into_figures(self, client, seed):
        """Article 1's modalities repeat ANAF's: no hours nor weeks are exported from them."""
        services = services_by_structure(client)
        article_1 = services["article-1"]
        assert article_1["description"].endswith(
            f"Information à vérifier auprès de l’association{NBSP}: mentors, modalités."
        )
        assert article_1["volume_horaire_hebdomadaire"] is None
        assert article_1["nombre_semaines"] is None
        assert services["anaf"]["description"].endswith(
            f"Information à vérifier auprès de l’association{NBSP}: contacts."
        )
        # ANAF's own modalities are not in doubt: its hours stay.
        assert services["anaf"]["volume_horaire_hebdomadaire"] == 0.7
        # Once staff have checked and unticked "signaler au public", the figures come back.
        edit(Association.objects.get(slug="article-1"), show_review_items_publicly=False)
        article_1 = services_by_structure(client)["article-1"]
        assert "à vérifier" not in article_1["description"]
        assert article_1["nombre_semaines"] == 26

    def test_date_maj_is_the_last_verification(self, client, seed):
        association = Association.objects.get(slug="telemaque")
        association.roubaix_capacity = 14
        association.save()
        # An edit is not a verification: the seed's date stands.
        assert structures_by_id(client)["telemaque"]["date_maj"] == "2026-11-26"
        edit(Association.objects.get(slug="telemaque"), verified_on=date(2026, 11, 30))
        assert services_by_structure(client)["telemaque"]["date_maj"] == "2026-11-30"
        # Never verified (created in the admin): the day of its last edit.
        new = AssociationFactory()
        assert structures_by_id(client)[new.slug]["date_maj"] == (
            timezone.localdate(new.updated_at).isoformat()
        )

    def test_texts_are_cut_to_the_schemas_bounds(self, client, edge_cases):
        structures = structures_by_id(client)
        long_name = structures[Association.objects.get(name__startswith="XXX").slug]
        assert long_name["nom"] == "X" * 119
        assert long_name["description"] is None
        assert structures[Association.objects.get(name="AB").slug]["nom"] == "Association AB"
        long_text = structures[Association.objects.get(description__startswith="DDD").slug]
        assert len(long_text["description"]) <= 2000
        assert long_text["description"].endswith("…")


class TestPersonalData:
    """Licence Ouverte lets anyone copy open data: a named person's address or mobile is
    published only once staff have asked and ticked it; the public page shows it anyway."""

    @pytest.mark.parametrize(
        ("email", "person_name", "publishable"),
        [
            ("lille@afev.org", "", True),
            ("mentorat.lille@lacravatesolidaire.org", "", True),
            ("face.lillemetropole@fondationface.org", "", True),
            ("lacle@associationlacle.org", "", True),
            ("contact2@example.org", "", True),
            ("laurie-anne.gauche@article-1.eu", "", False),
            ("s.hannou@proxite.com", "", False),
            ("jdupont@example.org", "", False),
            ("contact@example.org", "Camille Dupont", False),
            ("", "", False),
        ],
    )
    def test_a_generic_address_is_publishable_a_persons_is_not(
        self, email, person_name, publishable
    ):
        contact = Contact(email=email, person_name=person_name)
        contact.apply_publication_rule()
        assert contact.email_publishable is publishable

    @pytest.mark.parametrize(
        ("phone", "person_name", "publishable"),
        [
            ("03 20 00 00 00", "", True),
            ("+32 2 345 67 89", "", True),
            ("06 16 79 88 22", "", False),
            ("+32 470 12 34 56", "", False),
            ("03 20 00 00 00", "Camille Dupont", False),
            ("", "", False),
        ],
    )
    def test_a_landline_is_publishable_a_mobile_is_not(self, phone, person_name, publishable):
        contact = Contact(phone=phone, person_name=person_name)
        contact.apply_publication_rule()
        assert contact.phone_publishable is publishable

    def test_the_brochures_contacts_follow_the_rule(self, seed):
        published = {
            c.email: (c.email_publishable, c.phone_publishable)
            for c in Contact.objects.filter(association__slug__in=["proxite", "duo-for-a-job"])
        }
        assert published == {
            "s.hannou@proxite.com": (False, False),
            "a.defretin@proxite.com": (False, False),
            "lille@duoforajob.fr": (True, False),
        }
        for contact in Contact.objects.all():
            expected = (contact.email_publishable, contact.phone_publishable)
            contact.apply_publication_rule()
            assert (contact.email_publishable, contact.phone_publishable) == expected, contact

    def test_a_new_contact_gets_the_rule_and_keeps_what_staff_ticked(self, db):
        association = AssociationFactory()
        generic = ContactFactory(association=association, email="contact@x.org", phone="")
        named = ContactFactory(association=association, email="j.dupont@x.org", phone="")
        asked = ContactFactory(
            association=association,
            email="j.martin@x.org",
            phone="0612345678",
            email_publishable=True,
            phone_publishable=True,
        )
        assert generic.email_publishable and not named.email_publishable
        assert asked.email_publishable and asked.phone_publishable
        # Afterwards, staff's choice prevails.
        generic.email_publishable = False
        generic.save()
        generic.refresh_from_db()
        assert not generic.email_publishable

    def test_exports_leave_out_what_is_not_publishable(self, client, seed):
        """Proxité's two addresses and mobiles are its coordinators': in no export."""
        assert client.get(api_detail("proxite")).json()["contacts"] == []
        service = services_by_structure(client)["proxite"]
        structure = structures_by_id(client)["proxite"]
        for data in [service, structure]:
            assert data["telephone"] is None
        exports = b"".join(client.get(url).content for url in EXPORTS + [GEOJSON])
        for personal in [b"s.hannou", b"a.defretin", b"laurie-anne.gauche", b"jerome.vieillard"]:
            assert personal not in exports
        for personal in [b"+33636152643", b"06 36 15 26 43", b"+33616798822", b"0636152643"]:
            assert personal not in exports
        # The public page still shows them.
        page = page_text(client.get(reverse("associations:detail", args=["proxite"])))
        assert "s.hannou@proxite.com" in page and "06 36 15 26 43" in page

    def test_a_named_contact_staff_ticked_is_published_with_the_name(self, client, seed):
        association = Association.objects.get(slug="telemaque")
        ContactFactory(
            association=association,
            person_name="Jérôme Vieillard",
            role="Coordinateur",
            email="j.vieillard@example.org",
            phone="0320000000",
            email_publishable=True,
        )
        contacts = client.get(api_detail("telemaque")).json()["contacts"]
        assert contacts == [
            {
                "person_name": "Jérôme Vieillard",
                "role": "Coordinateur",
                "email": "j.vieillard@example.org",
                "email_confirmed": False,
                "phone": None,
                "phone_display": None,
            }
        ]

    def test_staff_see_and_tick_the_boxes_in_the_contact_inline(self, staff_client, seed):

        proxite = Association.objects.get(slug="proxite")
        page = staff_client.get(change_url(proxite))
        html = page.content.decode()
        assert "Courriel publiable en données ouvertes" in html
        assert "Téléphone publiable en données ouvertes" in html
        assert "Coché d’office pour une adresse générique" in html
        data = form_data(page)
        data["contacts-0-email_publishable"] = "on"
        data["contacts-0-phone_publishable"] = "on"
        assert staff_client.post(change_url(proxite), data).status_code == 302
        first = proxite.contacts.first()
        assert (first.email_publishable, first.phone_publishable) == (True, True)
        assert client_contacts(staff_client, "proxite")[0]["phone_display"] == "06 36 15 26 43"

    def test_the_open_data_page_says_it(self, client, seed):
        page = page_text(client.get(OPEN_DATA_PAGE))
        assert (
            "Seuls les contacts publiables en données ouvertes sont dans les fichiers : "
            "l’adresse générique d’une association ( contact@ , lille@ …) et sa ligne fixe le "
            "sont d’office ; l’adresse d’une personne nommée ou un numéro de portable ne le "
            "sont que si la personne l’a accepté."
        ) in page
        assert (
            "écrivez plutôt au Collectif Mentorat (roubaix@collectifmentorat.fr), qui transmet"
        ) in page


def client_contacts(client, slug):
    return client.get(api_detail(slug)).json()["contacts"]


class TestMappingTable:
    def test_every_term_of_our_vocabularies_has_a_row(self):
        """A term added to vocabularies.py must be mapped (to nothing, if need be)."""
        for key, vocabulary in [
            ("levels", vocabularies.LEVELS),
            ("needs", vocabularies.NEEDS),
            ("audiences", vocabularies.AUDIENCES),
        ]:
            assert set(datainclusion.DATA_INCLUSION_MAPPING[key]) == {
                slug for slug, _ in vocabulary
            }
        assert set(datainclusion.DATA_INCLUSION_MAPPING["modalities"]) == set(Modality.values)

    def test_every_mapped_value_is_the_schemas(self):
        allowed = {
            "publics": values(v1.Public),
            "thematiques": values(v1.Thematique),
            "modes_accueil": values(v1.ModeAccueil),
        }
        for table in datainclusion.DATA_INCLUSION_MAPPING.values():
            for mapped in table.values():
                for field, mapped_values in mapped.items():
                    assert set(mapped_values) <= allowed[field], (field, mapped_values)
        defaults = datainclusion.DATA_INCLUSION_SERVICE_DEFAULTS
        assert defaults["type"] in values(v1.TypeService)
        assert defaults["frais"] in values(v1.Frais)
        assert set(defaults["publics"]) <= values(v1.Public)
        assert set(defaults["mobilisable_par"]) <= values(v1.PersonneMobilisatrice)

    def test_the_admins_choices_are_the_schemas(self):
        """core.datainclusion copies the package's thématiques and networks, labels included."""
        thematiques = [choice for _, group in core_datainclusion.THEMATIQUES for choice in group]
        assert thematiques == [(member.value, member.label) for member in v1.Thematique]
        categories = {member.value: member.label for member in v1.Categorie}
        for category, group in core_datainclusion.THEMATIQUES:
            assert {categories[value.split("--")[0]] for value, _ in group} == {category}
        networks = [(member.value, member.label) for member in v1.ReseauPorteur]
        assert networks == core_datainclusion.NETWORKS

    def test_a_term_staff_add_maps_to_nothing(self, client, seed):
        level = Level.objects.create(name="Service civique", slug="service-civique")
        association = Association.objects.get(slug="proxite")
        association.levels.set([level])
        service = services_by_structure(client)["proxite"]
        assert service["publics"] == ["jeunes"]
        assert f"Niveaux et situations{NBSP}: Service civique" in service["publics_precisions"]

    def test_staff_tick_thematiques_and_networks_in_the_admin(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        page = staff_client.get(reverse("admin:associations_association_change", args=[afev.pk]))
        html = page.content.decode()
        assert "Données ouvertes (data·inclusion)" in html
        assert (
            '<input type="checkbox" name="data_inclusion_thematiques" '
            'value="remobilisation--lien-social"'
        ) in html
        assert '<input type="checkbox" name="data_inclusion_networks" value="face"' in html
        assert "<label>Remobilisation</label>" in html  # thématiques grouped by category
        assert 'name="verified_on" value="26/11/2026"' in html
        form_class = modelform_factory(
            Association, fields=["data_inclusion_thematiques", "data_inclusion_networks"]
        )
        form = form_class(
            {"data_inclusion_thematiques": ["remobilisation--lien-social"]}, instance=afev
        )
        assert form.is_valid(), form.errors
        form.save()
        afev.refresh_from_db()
        assert afev.data_inclusion_thematiques == ["remobilisation--lien-social"]
        assert afev.data_inclusion_networks == []
        refused = form_class({"data_inclusion_networks": ["afev"]}, instance=afev)
        assert not refused.is_valid()

    def test_staff_cannot_store_a_value_the_schema_does_not_have(self, seed):
        association = Association.objects.get(slug="afev")
        association.data_inclusion_thematiques = ["mentorat"]
        association.data_inclusion_networks = ["afev"]
        with pytest.raises(ValidationError) as raised:
            association.full_clean()
        assert set(raised.value.message_dict) == {
            "data_inclusion_thematiques",
            "data_inclusion_networks",
        }


class TestOpenDataPage:
    def test_explains_the_exports_their_licence_and_the_last_update(self, client, seed):
        response = client.get(OPEN_DATA_PAGE)
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("<h1") == 1
        for url in [API_LIST, api_detail("afev"), CSV_URL, STRUCTURES, SERVICES, GEOJSON]:
            assert f'href="{url}"' in page
        assert "Les fichiers, tous sous Licence Ouverte 2.0" in page
        assert (
            '<dt>Licence</dt><dd><a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">'
            "Licence Ouverte 2.0</a>, pour tous les fichiers</dd>"
        ) in page
        assert "<dt>Mise à jour</dt><dd>le 26 novembre 2026" in page
        assert "10 associations" in page
        # date_maj is the seed's date: the page says so.
        assert "<dt>Vérification</dt><dd>fiches vérifiées le 26 novembre 2026&nbsp;:" in page
        assert "c’est le jour où la brochure a été transcrite" in page

    def test_the_verification_dates_as_they_are(self, client, seed):
        Association.objects.filter(slug="afev").update(verified_on=date(2026, 12, 1))
        AssociationFactory()
        page = page_text(client.get(OPEN_DATA_PAGE))
        assert (
            "fiches vérifiées entre le 26 novembre 2026 et le 1er décembre 2026 (1 jamais "
            "vérifiée depuis sa création)" in page
        )

    def test_documents_every_field_of_every_file(self, client, edge_cases):
        page = client.get(OPEN_DATA_PAGE).content.decode()
        record = client.get(api_detail("afev")).json()
        assert [field for field, _ in records.RECORD_FIELDS] == list(record)
        feature = client.get(GEOJSON).json()["features"][0]
        assert [name for name, _ in FEATURE_PROPERTIES] == list(feature["properties"])
        for documented, url in [
            (datainclusion.STRUCTURE_FIELDS, STRUCTURES),
            (datainclusion.SERVICE_FIELDS, SERVICES),
        ]:
            fields = [field for names, _ in documented for field in names]
            assert len(fields) == len(set(fields))
            for exported in client.get(url).json():
                assert set(fields) == set(exported)
        for name in [field for field, _ in records.RECORD_FIELDS] + [
            name for name, _ in FEATURE_PROPERTIES
        ]:
            assertInHTML(f"<code>{name}</code>", page)
        assertInHTML("<code>lien_mobilisation</code>", page)
        assertInHTML("<code>reseaux_porteurs</code>", page)

    def test_documents_every_csv_column_and_the_mapping_table(self, client, seed):
        response = client.get(OPEN_DATA_PAGE)
        page = response.content.decode()
        for column in CSV_HEADER.split(";"):
            assertInHTML(f"<code>{column}</code>", page)
        assert len(response.context["mapping_rows"]) == (
            Level.objects.count() + 7 + Audience.objects.count() + 2
        )
        assert re.search(
            r"Jeunes réfugiés ou issus de l’immigration \(<code>refugie-immigration</code>\)"
            r'</th>\s*<td data-label="data·inclusion"><code>publics</code>&nbsp;: '
            r"<code>personnes-exilees</code>",
            page,
        )
        assert "aucune correspondance" in page

    def test_an_empty_directory(self, client, db):
        page = client.get(OPEN_DATA_PAGE).content.decode()
        assert "aucune donnée pour l’instant" in page
        assert "<dt>Contenu</dt><dd>0 association, avec" in page  # French: 0 is singular


def test_the_admin_links_to_the_brochure_and_the_open_data(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    for name in ["brochure", "flyers", "open_data"]:
        assert f'href="{reverse(f"opendata:{name}")}"' in page
    assert "Publications générées depuis ces données" in page
