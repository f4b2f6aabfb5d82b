"""Open data: the JSON API, the CSV, the data·inclusion exports and the /donnees/ page."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.validators import URLValidator, validate_email
from django.urls import reverse

from associations import vocabularies
from associations.models import Association, Audience, Level
from core.vocabularies import Modality
from opendata import datainclusion

from .factories import AssociationFactory, ContactFactory, LocationFactory, ReviewItemFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"  # French puts one before « : » and « ; », and between a number and its unit

API_LIST = reverse("opendata:association_list")
CSV_URL = reverse("opendata:associations_csv")
STRUCTURES = reverse("opendata:data_inclusion_structures")
SERVICES = reverse("opendata:data_inclusion_services")
OPEN_DATA_PAGE = reverse("opendata:open_data")


def api_detail(slug):
    return reverse("opendata:association_detail", args=[slug])


# Each export reads the associations once with their vocabularies, places and contacts:
# 10 queries (see opendata.records.exported_associations), whatever their number.
EXPORTS = [API_LIST, api_detail("afev"), CSV_URL, STRUCTURES, SERVICES]


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_each_export_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, url, fixture
):
    request.getfixturevalue(fixture)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_the_open_data_page_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, fixture
):
    request.getfixturevalue(fixture)
    # Count and last update, an example identifier, the three mapped vocabularies.
    with django_assert_num_queries(5):
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
        assert record["contacts"] == [
            {
                "person_name": None,
                "role": None,
                "email": "lille@afev.org",
                "phone": None,
                "phone_display": None,
            }
        ]
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
        model_fields = {
            field.name
            for field in Association._meta.get_fields()
            if field.concrete or field.many_to_many
        }
        # places_adjustment: staff's count of places taken outside the portal (issue 6).
        internal = {"id", "show_review_items_publicly", "places_adjustment", "places_taken"}
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
        assert duo["contacts"][0]["phone"] == "+33616798822"
        assert duo["contacts"][0]["phone_display"] == "06 16 79 88 22"
        anaf = client.get(api_detail("anaf")).json()
        assert {"slug", "label", "min_age", "requirements"} == set(anaf["mentor_profiles"][0])

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
        Level.objects.filter(slug="college").update(name="Collège (6e à 3e)")
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
    "autres_modalites;types_de_partenaires;partenaires;courriels;telephones;lieux;"
    "mis_a_jour_le"
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
        assert {len(row) for row in rows} == {41}

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
        assert afev["courriels"] == "lille@afev.org"
        assert afev["age_min_mentors"] == ""
        # Line breaks inside a cell survive (the cell is quoted).
        assert afev["partenaires"].splitlines() == [
            "Écoles élémentaires REP REP +",
            "Collèges REP REP+",
            "Lycées REP REP+",
        ]
        proxite = dict(zip(rows[0], next(r for r in rows if r[1] == "proxite"), strict=True))
        assert proxite["telephones"] == "06 36 15 26 43 | 07 66 26 82 18"
        anaf = dict(zip(rows[0], next(r for r in rows if r[1] == "anaf"), strict=True))
        assert anaf["profils_de_mentors"] == (
            f"Alternant ou apprenti (21{NBSP}ans minimum, au moins 2 ans d’expérience) | "
            "Salarié ou salariée (mentors expérimentés / séniors) | "
            "Agent public (mentors expérimentés / séniors)"
        )

    def test_no_cell_is_run_as_a_formula(self, client, seed):
        AssociationFactory(name='=HYPERLINK("http://x")', summary="@SUM(A1)", description="-2+3")
        rows = read_csv(client.get(CSV_URL))
        row = dict(zip(rows[0], next(r for r in rows if "HYPERLINK" in r[0]), strict=True))
        assert row["nom"] == '\'=HYPERLINK("http://x")'
        assert row["resume"] == "'@SUM(A1)"
        assert row["presentation"] == "'-2+3"


# --- data·inclusion, schema version 1: the rules, kept here as data ----------------------
# From gip-inclusion/data-inclusion-schema, src/data_inclusion/schema/v1/.

STRUCTURE_REQUIRED = {"source", "id", "nom", "date_maj"}
STRUCTURE_FIELDS = STRUCTURE_REQUIRED | {
    "siret", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
    "longitude", "latitude", "telephone", "courriel", "site_web", "description",
    "horaires_accueil", "accessibilite_lieu", "reseaux_porteurs",
}  # fmt: skip
SERVICE_REQUIRED = {"source", "structure_id", "id", "nom", "description", "date_maj"}
SERVICE_FIELDS = SERVICE_REQUIRED | {
    "type", "thematiques", "frais", "frais_precisions", "publics", "publics_precisions",
    "conditions_acces", "commune", "code_postal", "code_insee", "adresse",
    "complement_adresse", "longitude", "latitude", "telephone", "courriel", "modes_accueil",
    "zone_eligibilite", "contact_nom_prenom", "lien_mobilisation", "modes_mobilisation",
    "mobilisable_par", "mobilisation_precisions", "volume_horaire_hebdomadaire",
    "nombre_semaines", "horaires_accueil",
}  # fmt: skip
ALLOWED = {
    "type": {
        "accompagnement",
        "aide-financiere",
        "aide-materielle",
        "atelier",
        "formation",
        "information",
    },
    "frais": {"gratuit", "payant"},
    "modes_accueil": {"a-distance", "en-presentiel"},
    "modes_mobilisation": {
        "envoyer-un-courriel",
        "se-presenter",
        "telephoner",
        "utiliser-lien-mobilisation",
    },
    "mobilisable_par": {"usagers", "professionnels"},
    "publics": {
        "actifs",
        "beneficiaires-des-minimas-sociaux",
        "demandeurs-emploi",
        "etudiants",
        "familles",
        "femmes",
        "jeunes",
        "personnes-en-situation-de-handicap",
        "personnes-en-situation-durgence",
        "personnes-en-situation-juridique-specifique",
        "personnes-exilees",
        "residents-qpv-frr",
        "seniors",
    },
    # The thématiques that mentoring can mean (the schema has many more).
    "thematiques": {
        "choisir-un-metier--confirmer-son-choix-de-metier",
        "choisir-un-metier--connaitre-les-opportunites-demploi",
        "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
        "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "lecture-ecriture-calcul--maitriser-le-calcul",
        "lecture-ecriture-calcul--maitriser-le-francais",
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "preparer-sa-candidature--developper-son-reseau",
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
        "preparer-sa-candidature--valoriser-ses-competences",
        "remobilisation--activites-sportives-et-culturelles",
        "remobilisation--benevolat-action-citoyenne",
        "remobilisation--bien-etre-confiance-en-soi",
        "remobilisation--lien-social",
        "se-former--monter-son-dossier-de-formation",
        "se-former--trouver-sa-formation",
        "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
    },
}
LIST_FIELDS = {"thematiques", "publics", "modes_accueil", "modes_mobilisation", "mobilisable_par"}
CODE_POSTAL = re.compile(r"^\d{5}$")
CODE_COMMUNE = re.compile(r"^\w{5}$")
# A zone: a commune, département, EPCI, région or pays code, or "france".
ZONE = re.compile(r"^(\w{5}|\w{2,3}|\d{9}|\d{2}|99[0-5]\d{2}|france)$")
E164 = re.compile(r"^\+\d{8,15}$")


def schema_errors(record, required, fields):
    """What data·inclusion v1 would reject in one record (empty when it is valid)."""
    errors = [f"{name} manquant" for name in sorted(required) if record.get(name) in (None, "")]
    errors += [f"{name} inconnu du schéma" for name in sorted(set(record) - fields)]

    def check(name, ok):
        if record.get(name) is not None and not ok(record[name]):
            errors.append(f"{name} invalide : {record[name]!r}")

    for name in ["source", "id", "structure_id"]:
        check(name, lambda value: isinstance(value, str) and value.strip() != "")
    check("nom", lambda v: 3 <= len(v) <= 150 and not v.endswith("."))
    check("description", lambda v: 50 <= len(v) <= 2000)
    check("date_maj", lambda v: date.fromisoformat(v) <= date.today())
    check("code_postal", CODE_POSTAL.match)
    check("code_insee", CODE_COMMUNE.match)
    check("telephone", E164.match)
    check("courriel", lambda v: validate_email(v) is None)
    check("site_web", lambda v: URLValidator()(v) is None)
    check("latitude", lambda v: isinstance(v, float) and -90 <= v <= 90)
    check("longitude", lambda v: isinstance(v, float) and -180 <= v <= 180)
    check("volume_horaire_hebdomadaire", lambda v: isinstance(v, int | float) and v >= 0)
    check("nombre_semaines", lambda v: isinstance(v, int) and v >= 1)
    check("zone_eligibilite", lambda v: v and all(ZONE.match(code) for code in v))
    for name, allowed in ALLOWED.items():
        if name in LIST_FIELDS:
            check(
                name, lambda v, allowed=allowed: v and set(v) <= allowed and len(set(v)) == len(v)
            )
        else:
            check(name, lambda v, allowed=allowed: v in allowed)
    return errors


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
    ContactFactory(association=exact, email="", phone="0320000000", person_name="Camille Dupont")
    AssociationFactory(name="AB", summary="Un résumé qui finit par une question ?")
    elsewhere = AssociationFactory(description="D" * 3000)
    LocationFactory(association=elsewhere, city="Tourcoing", postcode="59200")


class TestDataInclusion:
    def test_every_structure_is_valid(self, client, edge_cases):
        structures = client.get(STRUCTURES).json()
        assert len(structures) == Association.objects.count()
        for structure in structures:
            assert schema_errors(structure, STRUCTURE_REQUIRED, STRUCTURE_FIELDS) == [], structure

    def test_every_service_is_valid_and_belongs_to_a_structure(self, client, edge_cases):
        structures = client.get(STRUCTURES).json()
        services = client.get(SERVICES).json()
        assert len(services) == len(structures)
        for service in services:
            assert schema_errors(service, SERVICE_REQUIRED, SERVICE_FIELDS) == [], service
        assert [s["structure_id"] for s in services] == [s["id"] for s in structures]
        assert len({s["id"] for s in services}) == len(services)
        assert len({s["id"] for s in structures}) == len(structures)

    def test_the_validator_catches_what_the_schema_forbids(self):
        record = {
            "source": "mentorat-roubaix",
            "id": "x",
            "nom": "Ab.",
            "date_maj": "2020-01-01",
            "code_insee": "5951",
            "publics": ["jeunes", "enfants"],
            "frais": "libre",
            "champ": 1,
        }
        assert schema_errors(record, STRUCTURE_REQUIRED, STRUCTURE_FIELDS | set(ALLOWED)) == [
            "champ inconnu du schéma",
            "nom invalide : 'Ab.'",
            "code_insee invalide : '5951'",
            "frais invalide : 'libre'",
            "publics invalide : ['jeunes', 'enfants']",
        ]

    def test_a_structure_says_what_we_know(self, client, seed):
        afev = next(s for s in client.get(STRUCTURES).json() if s["id"] == "afev")
        assert afev["source"] == "mentorat-roubaix"
        assert afev["nom"] == "Afev"
        assert afev["date_maj"] == "2026-11-26"
        assert afev["site_web"] == "https://afev.org/"
        assert afev["courriel"] == "lille@afev.org"
        assert (afev["commune"], afev["code_postal"], afev["code_insee"]) == (
            "Roubaix",
            "59100",
            "59512",
        )
        # The seed's places are approximate: no coordinates that would mislead.
        assert afev["latitude"] is None and afev["longitude"] is None

    def test_a_service_translates_our_vocabularies(self, client, seed):
        services = {s["structure_id"]: s for s in client.get(SERVICES).json()}
        afev = services["afev"]
        assert afev["id"] == "afev--mentorat"
        assert afev["nom"] == "Programme de mentorat – Afev"
        assert (afev["type"], afev["frais"]) == ("accompagnement", "gratuit")
        assert afev["zone_eligibilite"] == ["59512"]
        assert afev["modes_accueil"] == ["a-distance", "en-presentiel"]
        assert afev["publics"] == ["familles", "jeunes"]
        assert afev["thematiques"] == [
            "remobilisation--activites-sportives-et-culturelles",
            "remobilisation--bien-etre-confiance-en-soi",
        ]
        assert afev["modes_mobilisation"] == ["envoyer-un-courriel"]
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
        assert afev["mobilisation_precisions"] == (
            f"Contacter l’association par courriel ou par téléphone{NBSP}; sa fiche sur le "
            f"portail Mentorat Roubaix{NBSP}: http://localhost:8000/associations/afev/"
        )
        assert afev["description"].startswith("L’Afev propose à des étudiants")

        duo = services["duo-for-a-job"]
        assert "personnes-exilees" in duo["publics"]
        assert "demandeurs-emploi" in duo["publics"]
        assert duo["conditions_acces"] == (
            f"Réservé aux publics suivants{NBSP}: Jeunes réfugiés ou issus de l’immigration. "
            "Jeunes de 18 à 33 ans, réfugiés ou issus de l’immigration."
        )
        assert duo["modes_mobilisation"] == ["envoyer-un-courriel", "telephoner"]
        assert duo["telephone"] == "+33616798822"
        assert "residents-qpv-frr" in services["face-mel"]["publics"]
        assert "lecture-ecriture-calcul--maitriser-le-francais" in services["la-cle"]["thematiques"]
        assert services["proxite"]["modes_accueil"] == ["en-presentiel"]
        # Six weeks (1.5 months) are six weeks, not seven.
        assert services["la-cravate-solidaire"]["nombre_semaines"] == 6
        assert services["telemaque"]["nombre_semaines"] == 312

    def test_exact_places_give_coordinates_and_the_roubaix_place_is_chosen(
        self, client, edge_cases
    ):
        association = Association.objects.get(in_person=False)
        service = next(
            s for s in client.get(SERVICES).json() if s["structure_id"] == association.slug
        )
        assert (service["latitude"], service["longitude"]) == (50.69, 3.18)
        assert service["contact_nom_prenom"] == "Camille Dupont"
        assert service["modes_accueil"] == ["a-distance"]
        assert "etudiants" in service["publics"] and "demandeurs-emploi" in service["publics"]

    def test_texts_are_cut_to_the_schemas_bounds(self, client, edge_cases):
        structures = {s["id"]: s for s in client.get(STRUCTURES).json()}
        long_name = structures[Association.objects.get(name__startswith="XXX").slug]
        assert long_name["nom"] == "X" * 119
        assert long_name["description"] is None
        assert structures[Association.objects.get(name="AB").slug]["nom"] == "Association AB"
        long_text = structures[Association.objects.get(description__startswith="DDD").slug]
        assert len(long_text["description"]) <= 2000
        assert long_text["description"].endswith("…")


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

    def test_every_mapped_value_is_allowed_by_the_schema(self):
        for table in datainclusion.DATA_INCLUSION_MAPPING.values():
            for mapped in table.values():
                for field, values in mapped.items():
                    assert set(values) <= ALLOWED[field], (field, values)
        defaults = datainclusion.DATA_INCLUSION_SERVICE_DEFAULTS
        assert defaults["type"] in ALLOWED["type"]
        assert defaults["frais"] in ALLOWED["frais"]
        assert set(defaults["publics"]) <= ALLOWED["publics"]
        assert set(defaults["mobilisable_par"]) <= ALLOWED["mobilisable_par"]

    def test_a_term_staff_add_maps_to_nothing(self, client, seed):
        level = Level.objects.create(name="Service civique", slug="service-civique")
        association = Association.objects.get(slug="proxite")
        association.levels.set([level])
        service = next(s for s in client.get(SERVICES).json() if s["structure_id"] == "proxite")
        assert service["publics"] == ["jeunes", "residents-qpv-frr"]
        assert f"Niveaux et situations{NBSP}: Service civique" in service["publics_precisions"]


class TestOpenDataPage:
    def test_explains_the_exports_their_licence_and_the_last_update(self, client, seed):
        response = client.get(OPEN_DATA_PAGE)
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("<h1") == 1
        for url in [API_LIST, api_detail("afev"), CSV_URL, STRUCTURES, SERVICES]:
            assert f'href="{url}"' in page
        assert (
            '<dt>Licence</dt><dd><a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">'
            "Licence Ouverte 2.0</a></dd>"
        ) in page
        assert "<dt>Mise à jour</dt><dd>le 26 novembre 2026" in page
        assert "10 associations" in page

    def test_documents_every_csv_column_and_the_mapping_table(self, client, seed):
        response = client.get(OPEN_DATA_PAGE)
        page = response.content.decode()
        for column in CSV_HEADER.split(";"):
            assert f"<code>{column}</code>" in page
        assert len(response.context["mapping_rows"]) == (
            Level.objects.count() + 7 + Audience.objects.count() + 2
        )
        assert re.search(
            r"Jeunes réfugiés ou issus de l’immigration \(<code>refugie-immigration</code>\)"
            r"</th>\s*<td><code>publics</code>&nbsp;: <code>personnes-exilees</code>",
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
