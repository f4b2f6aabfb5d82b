"""Open data and print: the associations as JSON, CSV and data·inclusion records.

Everything starts from one record per association (`association_record`), built from
the database in a fixed number of queries (`exported_associations`). The CSV flattens
that record, the data·inclusion exports translate it through one mapping table
(`DATA_INCLUSION_MAPPING`), and the brochure draws QR codes and small maps for it.
"""

import csv
import io
import json
import math
from decimal import Decimal
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.validators import slug_re
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from associations.models import Association
from core.vocabularies import Modality

LICENCE = {
    "name": "Licence Ouverte 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
ROUBAIX = {"commune": "Roubaix", "code_insee": "59512"}
# Until the orientation pages answer at `orientation:young`, flyers point at their
# agreed address.
ORIENTATION_SEARCH_PATH = "/orientation/jeune/"


def absolute_url(path):
    return settings.SITE_URL + path


def short_url(url):
    """An address as people type it: `mentorat-roubaix.fr/associations/afev/`."""
    return url.split("://", 1)[-1].removeprefix("www.")


def is_slug(value):
    """Whether `value` can be an identifier at all (anything else is not looked up)."""
    return len(value) <= Association._meta.get_field("slug").max_length and bool(
        slug_re.match(value)
    )


def orientation_search_url(level):
    """The orientation search, filtered on a school level or situation, as an absolute URL."""
    try:
        path = reverse("orientation:young")
    except NoReverseMatch:
        path = ORIENTATION_SEARCH_PATH
    return absolute_url(f"{path}?situation={level.slug}")


# --- One record per association ----------------------------------------------------------


def exported_associations():
    """Every association with all it publishes: 10 queries, whatever their number."""
    return Association.objects.with_details()


def _blank_to_none(value):
    return value if value not in ("", None) else None


def _number(value):
    """Decimals as JSON numbers (8.7, not "8.7"); whole values as integers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _term(term):
    return {"slug": term.slug, "label": term.name}


def association_record(association):
    """Every public field of an association, with its vocabularies, places and contacts.

    `association` comes from `exported_associations()`. Blank values are `None`.
    """
    return {
        "slug": association.slug,
        "name": association.name,
        "url": absolute_url(association.get_absolute_url()),
        "summary": association.summary,
        "description": association.description,
        "website": _blank_to_none(association.website),
        "logo": absolute_url(association.logo.url) if association.logo else None,
        "programme_created_year": association.programme_created_year,
        "mentored_year": association.mentored_year,
        "mentored_total": association.mentored_total,
        "mentored_metropole": association.mentored_metropole,
        "roubaix_capacity": association.roubaix_capacity,
        "roubaix_capacity_is_minimum": association.roubaix_capacity_is_minimum,
        "age_min": association.age_min,
        "age_max": association.age_max,
        "public_description": _blank_to_none(association.public_description),
        "levels": [_term(level) for level in association.levels.all()],
        "needs": [_term(need) for need in association.needs.all()],
        "audiences": [
            {**_term(link.audience), "is_required": link.is_required}
            for link in association.associationaudience_set.all()
        ],
        "eligibility_notes": _blank_to_none(association.eligibility_notes),
        "mentor_description": _blank_to_none(association.mentor_description),
        "mentor_profiles": [
            {
                **_term(accepted.profile),
                "min_age": accepted.min_age,
                "requirements": _blank_to_none(accepted.requirements),
            }
            for accepted in association.acceptedmentorprofile_set.all()
        ],
        "mentor_min_age": association.mentor_min_age,
        "mentor_training": _blank_to_none(association.mentor_training),
        "duration_min_months": _number(association.duration_min_months),
        "duration_max_months": _number(association.duration_max_months),
        "duration_text": _blank_to_none(association.duration_text),
        "meetings_per_month_min": _number(association.meetings_per_month_min),
        "meetings_per_month_max": _number(association.meetings_per_month_max),
        "hours_per_month_min": _number(association.hours_per_month_min),
        "frequency_text": _blank_to_none(association.frequency_text),
        "in_person": association.in_person,
        "remote": association.remote,
        "modality_text": _blank_to_none(association.modality_text),
        "venues": [_term(venue) for venue in association.venues.all()],
        "modalities_details": _blank_to_none(association.modalities_details),
        "partner_types": [_term(partner) for partner in association.partner_types.all()],
        "partners_text": _blank_to_none(association.partners_text),
        "contacts": [
            {
                "person_name": _blank_to_none(contact.person_name),
                "role": _blank_to_none(contact.role),
                "email": _blank_to_none(contact.email),
                # E.164, as dialled from anywhere; `phone_display` as printed in France.
                "phone": _blank_to_none(contact.phone_uri.removeprefix("tel:") or contact.phone),
                "phone_display": _blank_to_none(contact.phone_display),
            }
            for contact in association.contacts.all()
        ],
        "locations": [
            {
                "label": location.label,
                "address": _blank_to_none(location.address),
                "postcode": _blank_to_none(location.postcode),
                "city": _blank_to_none(location.city),
                "latitude": _number(location.latitude),
                "longitude": _number(location.longitude),
                "is_approximate": location.is_approximate,
            }
            for location in association.locations.all()
        ],
        "to_check": [
            {"section": item.section, "label": item.get_section_display(), "note": item.note}
            for item in association.public_review_items
        ],
        "updated_at": timezone.localtime(association.updated_at).isoformat(),
    }


def last_update(records):
    return max((record["updated_at"] for record in records), default=None)


def to_json(data):
    """Stable bytes for a JSON body: the ETag is their hash."""
    return json.dumps(data, ensure_ascii=False).encode()


# --- CSV ---------------------------------------------------------------------------------

LIST_SEPARATOR = " | "


def _labels(terms, separator=LIST_SEPARATOR):
    return separator.join(term["label"] for term in terms)


def _places(locations):
    return LIST_SEPARATOR.join(
        ", ".join(part for part in [place["label"], place["address"], place["city"]] if part)
        for place in locations
    )


def _audiences(audiences):
    return LIST_SEPARATOR.join(
        f"{audience['label']} ({'réservé' if audience['is_required'] else 'prioritaire'})"
        for audience in audiences
    )


def _mentor_profiles(profiles):
    described = []
    for profile in profiles:
        details = [f"{profile['min_age']} ans minimum"] if profile["min_age"] else []
        details += [profile["requirements"]] if profile["requirements"] else []
        described.append(profile["label"] + (f" ({', '.join(details)})" if details else ""))
    return LIST_SEPARATOR.join(described)


def _contacts(key):
    return lambda record: LIST_SEPARATOR.join(
        contact[key] for contact in record["contacts"] if contact[key]
    )


def _field(key):
    return lambda record: record[key]


# (column, what it holds, how to read it from the record): the CSV and the /donnees/ page.
CSV_COLUMNS = [
    ("nom", "Nom de l’association", _field("name")),
    (
        "identifiant",
        "Identifiant stable (celui de l’adresse de la page et de l’API)",
        _field("slug"),
    ),
    ("page", "Page de l’association sur le portail", _field("url")),
    ("resume", "Résumé en une phrase", _field("summary")),
    ("presentation", "Présentation", _field("description")),
    ("site_internet", "Site internet", _field("website")),
    (
        "programme_cree_en",
        "Année de création du programme de mentorat",
        _field("programme_created_year"),
    ),
    ("annee_des_chiffres", "Année des chiffres de jeunes mentorés", _field("mentored_year")),
    ("jeunes_mentores", "Jeunes mentorés dans l’année (total)", _field("mentored_total")),
    ("dont_metropole_lilloise", "Dont dans la Métropole lilloise", _field("mentored_metropole")),
    (
        "capacite_roubaix",
        "Capacité d’accompagnement dans la Cité éducative (jeunes)",
        _field("roubaix_capacity"),
    ),
    (
        "capacite_est_un_minimum",
        "« oui » si la capacité est un minimum",
        _field("roubaix_capacity_is_minimum"),
    ),
    ("age_min", "Âge minimum des jeunes", _field("age_min")),
    ("age_max", "Âge maximum des jeunes", _field("age_max")),
    ("public", "À qui s’adresse l’accompagnement, en mots", _field("public_description")),
    ("niveaux", "Niveaux et situations accompagnés", lambda r: _labels(r["levels"])),
    ("besoins", "Besoins travaillés", lambda r: _labels(r["needs"])),
    (
        "publics_particuliers",
        "Publics particuliers (réservé ou prioritaire)",
        lambda r: _audiences(r["audiences"]),
    ),
    ("autres_conditions", "Autres conditions d’accès", _field("eligibility_notes")),
    ("mentors", "Qui sont les mentors, en mots", _field("mentor_description")),
    (
        "profils_de_mentors",
        "Profils de mentors acceptés",
        lambda r: _mentor_profiles(r["mentor_profiles"]),
    ),
    ("age_min_mentors", "Âge minimum des mentors", _field("mentor_min_age")),
    ("formation_des_mentors", "Formation des mentors", _field("mentor_training")),
    ("duree_min_mois", "Durée minimale (mois)", _field("duration_min_months")),
    ("duree_max_mois", "Durée maximale (mois)", _field("duration_max_months")),
    ("duree", "Durée, en mots", _field("duration_text")),
    ("rencontres_par_mois_min", "Rencontres par mois (minimum)", _field("meetings_per_month_min")),
    ("rencontres_par_mois_max", "Rencontres par mois (maximum)", _field("meetings_per_month_max")),
    (
        "heures_par_mois_min",
        "Heures par mois demandées au mentor (minimum)",
        _field("hours_per_month_min"),
    ),
    ("frequence", "Fréquence, en mots", _field("frequency_text")),
    ("presentiel", "« oui » si l’accompagnement se fait en présentiel", _field("in_person")),
    ("a_distance", "« oui » si l’accompagnement se fait à distance", _field("remote")),
    ("modalites", "Modalités, en mots", _field("modality_text")),
    ("lieux_de_rencontre", "Lieux de rencontre", lambda r: _labels(r["venues"])),
    ("autres_modalites", "Autres modalités", _field("modalities_details")),
    ("types_de_partenaires", "Types de partenaires", lambda r: _labels(r["partner_types"])),
    ("partenaires", "Partenaires, en mots", _field("partners_text")),
    ("courriels", "Courriels de contact", _contacts("email")),
    ("telephones", "Téléphones de contact", _contacts("phone_display")),
    ("lieux", "Lieux où l’association intervient", lambda r: _places(r["locations"])),
    ("mis_a_jour_le", "Date et heure de la dernière mise à jour de la fiche", _field("updated_at")),
]

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    """What a French spreadsheet reads back as the value: oui/non, 8,7, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def associations_csv(records):
    """UTF-8 with a byte-order mark, `;`-separated, one header row, one row per association."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(column for column, _, _ in CSV_COLUMNS)
    for record in records:
        writer.writerow(_csv_cell(read(record)) for _, _, read in CSV_COLUMNS)
    return buffer.getvalue().encode("utf-8-sig")


# --- data·inclusion, schema version 1 -------------------------------------------------------

DATA_INCLUSION_SOURCE = "mentorat-roubaix"
DATA_INCLUSION_SCHEMA_URL = "https://gip-inclusion.github.io/data-inclusion-schema/latest/"

# Our vocabularies in data·inclusion's words: the one table that the exports, the
# /donnees/ page and the tests read. Record field -> our slug -> data·inclusion field ->
# values. A term mapped to nothing (the schema has no such value) is still listed, and
# is said in words in `publics_precisions` or the description.
DATA_INCLUSION_MAPPING = {
    "levels": {
        "maternelle": {"publics": ["familles"]},
        "ecole": {"publics": ["familles"]},
        "college": {"publics": ["familles"]},
        "lycee": {},
        "lycee-pro": {},
        "apprentissage": {},
        "etudes-superieures": {"publics": ["etudiants"]},
        "recherche-emploi": {"publics": ["demandeurs-emploi"]},
        "sans-activite": {},
    },
    "needs": {
        "reussite-scolaire": {},
        "confiance": {"thematiques": ["remobilisation--bien-etre-confiance-en-soi"]},
        "orientation": {
            "thematiques": [
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
            ]
        },
        "insertion-pro": {
            "thematiques": [
                "preparer-sa-candidature--developper-son-reseau",
                "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
            ]
        },
        "ouverture-culturelle": {
            "thematiques": ["remobilisation--activites-sportives-et-culturelles"]
        },
        "francais": {"thematiques": ["lecture-ecriture-calcul--maitriser-le-francais"]},
        "autonomie": {"thematiques": ["remobilisation--bien-etre-confiance-en-soi"]},
    },
    "audiences": {
        "refugie-immigration": {"publics": ["personnes-exilees"]},
        "qpv": {"publics": ["residents-qpv-frr"]},
        "rep": {},
    },
    # Values of core.vocabularies.Modality.
    "modalities": {
        "presentiel": {"modes_accueil": ["en-presentiel"]},
        "distanciel": {"modes_accueil": ["a-distance"]},
    },
}

# What holds for every association of the Collectif: free mentoring of young people by a
# volunteer, in Roubaix, that families and professionals (schools, missions locales…) ask for.
DATA_INCLUSION_SERVICE_DEFAULTS = {
    "type": "accompagnement",
    "frais": "gratuit",
    "publics": ["jeunes"],
    "zone_eligibilite": [ROUBAIX["code_insee"]],
    "mobilisable_par": ["professionnels", "usagers"],
}
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def _mapped(record, field):
    """The data·inclusion values of `field` that the record's vocabularies map to."""
    values = set()
    for key, table in DATA_INCLUSION_MAPPING.items():
        if key == "modalities":
            # Record keys are the model's field names.
            slugs = [modality.value for modality in Modality if record[modality.field]]
        else:
            slugs = [term["slug"] for term in record[key]]
        for slug in slugs:
            values.update(table.get(slug, {}).get(field, []))
    return values


def _sorted_or_none(values):
    return sorted(values) or None


def _bounded(text, min_length, max_length):
    """Text within the schema's length bounds: cut on a word, or `None` when too short."""
    text = text.strip()
    if len(text) < min_length:
        return None
    if len(text) > max_length:
        text = text[: max_length - 1].rsplit(" ", 1)[0] + "…"
    return text


def _name(text):
    """A data·inclusion `nom`: 3 to 150 characters, not ending with a full stop."""
    name = text[:150].rstrip(". ")
    return name if len(name) >= 3 else f"Association {name}"


def _first(items, key):
    return next((item[key] for item in items if item[key]), None)


def _place_in_roubaix(record):
    """Where the association works in Roubaix; coordinates only when exact."""
    place = next(
        (p for p in record["locations"] if (p["city"] or "").lower() == "roubaix"),
        None,
    )
    if place is None:
        return {}
    exact = not place["is_approximate"]
    return {
        "commune": ROUBAIX["commune"],
        "code_postal": place["postcode"],
        "code_insee": ROUBAIX["code_insee"],
        "adresse": place["address"],
        "latitude": place["latitude"] if exact else None,
        "longitude": place["longitude"] if exact else None,
    }


def _location_fields(record):
    fields = dict.fromkeys(
        ["commune", "code_postal", "code_insee", "adresse", "latitude", "longitude"]
    )
    return {**fields, **_place_in_roubaix(record)}


def _contact_fields(record):
    return {
        "courriel": _first(record["contacts"], "email"),
        "telephone": _first(record["contacts"], "phone"),
    }


def data_inclusion_structure(association):
    """The association as a data·inclusion v1 structure."""
    record = association_record(association)
    return {
        "source": DATA_INCLUSION_SOURCE,
        "id": record["slug"],
        "nom": _name(record["name"]),
        "date_maj": record["updated_at"][:10],
        "description": _bounded(record["description"], 50, 2000),
        "site_web": record["website"],
        **_contact_fields(record),
        **_location_fields(record),
    }


def _sentences(*parts):
    """Parts joined as sentences, each ending with one full stop (or its own mark)."""
    return " ".join(
        part.strip() + ("" if part.strip().endswith((".", "!", "?", "…")) else ".")
        for part in parts
        if part and part.strip()
    )


def _public_precisions(association, record):
    priorities = [a["label"] for a in record["audiences"] if not a["is_required"]]
    return _sentences(
        f"Âge : {association.age_range_label}" if association.age_range_label else "",
        f"Niveaux et situations : {_labels(record['levels'], ', ')}" if record["levels"] else "",
        f"En priorité : {', '.join(priorities)}" if priorities else "",
        record["public_description"],
    )


def _access_conditions(record):
    required = [a["label"] for a in record["audiences"] if a["is_required"]]
    return _sentences(
        f"Réservé aux publics suivants : {', '.join(required)}" if required else "",
        record["eligibility_notes"],
    )


def _service_description(record):
    description = "\n\n".join(
        part
        for part in [
            record["summary"],
            _sentences(
                record["mentor_description"],
                f"Durée : {record['duration_text']}" if record["duration_text"] else "",
                f"Fréquence : {record['frequency_text']}" if record["frequency_text"] else "",
                f"Modalités : {record['modality_text']}" if record["modality_text"] else "",
                f"Besoins travaillés : {_labels(record['needs'], ', ')}" if record["needs"] else "",
            ),
            f"Accompagnement gratuit par un mentor bénévole, encadré par {record['name']}.",
        ]
        if part
    )
    return _bounded(description, 50, 2000)


def _weekly_hours(record):
    hours = record["hours_per_month_min"]
    return round(hours / float(WEEKS_PER_MONTH), 1) if hours else None


def _weeks(record):
    months = record["duration_min_months"]
    if not months:
        return None
    return max(1, math.floor(Decimal(str(months)) * WEEKS_PER_MONTH))


def _mobilisation_modes(record):
    modes = []
    if any(contact["email"] for contact in record["contacts"]):
        modes.append("envoyer-un-courriel")
    if any(contact["phone"] for contact in record["contacts"]):
        modes.append("telephoner")
    return modes or None


def data_inclusion_service(association):
    """The association's mentoring programme as a data·inclusion v1 service."""
    record = association_record(association)
    defaults = DATA_INCLUSION_SERVICE_DEFAULTS
    return {
        "source": DATA_INCLUSION_SOURCE,
        "structure_id": record["slug"],
        "id": f"{record['slug']}--mentorat",
        "nom": _name(f"Programme de mentorat – {record['name']}"),
        "description": _service_description(record),
        "date_maj": record["updated_at"][:10],
        "type": defaults["type"],
        "thematiques": _sorted_or_none(_mapped(record, "thematiques")),
        "frais": defaults["frais"],
        "publics": _sorted_or_none(set(defaults["publics"]) | _mapped(record, "publics")),
        "publics_precisions": _public_precisions(association, record) or None,
        "conditions_acces": _access_conditions(record) or None,
        **_contact_fields(record),
        "contact_nom_prenom": _first(record["contacts"], "person_name"),
        **_location_fields(record),
        "modes_accueil": _sorted_or_none(_mapped(record, "modes_accueil")),
        "zone_eligibilite": defaults["zone_eligibilite"],
        "modes_mobilisation": _mobilisation_modes(record),
        "mobilisable_par": defaults["mobilisable_par"],
        "mobilisation_precisions": (
            "Contacter l’association par courriel ou par téléphone ; sa fiche sur le portail "
            f"Mentorat Roubaix : {record['url']}"
        ),
        "volume_horaire_hebdomadaire": _weekly_hours(record),
        "nombre_semaines": _weeks(record),
    }


# --- Print: QR codes and small maps -------------------------------------------------------


def qr_code(url):
    """The URL as an inline SVG QR code (decorative: the address is printed beside it)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr-code", lineclass="qr-code__modules"
    )
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


COMMUNE_OUTLINE = "data/roubaix-commune.geojson"
MAP_WIDTH = 200


@cache
def _commune_ring():
    """The outline of Roubaix as (longitude, latitude) pairs, or [] if the file is missing."""
    path = finders.find(COMMUNE_OUTLINE)
    if not path:
        return []
    geometry = json.loads(Path(path).read_text())["features"][0]["geometry"]
    return [tuple(point) for point in geometry["coordinates"][0]]


def places_map(locations):
    """A small static map: Roubaix's outline and the places that have coordinates.

    Tiles can neither load here nor print well; an SVG drawn in the page needs nothing
    else. Points are numbered as in the list of all places printed under the map.
    """
    ring = _commune_ring()
    located = [
        (number, place) for number, place in enumerate(locations, 1) if place.latitude is not None
    ]
    everything = ring + [(float(place.longitude), float(place.latitude)) for _, place in located]
    if not everything:
        return None
    west, east = min(x for x, _ in everything), max(x for x, _ in everything)
    south, north = min(y for _, y in everything), max(y for _, y in everything)
    # Equirectangular projection around the middle latitude, with a margin.
    shrink = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * shrink, 0.01)
    span_y = max(north - south, 0.01 / shrink)
    margin = 0.08 * max(span_x, span_y)
    scale = MAP_WIDTH / (span_x + 2 * margin)

    def project(longitude, latitude):
        x = ((float(longitude) - west) * shrink + margin) * scale
        y = ((north - float(latitude)) + margin) * scale
        return round(x, 1), round(y, 1)

    def point(number, place):
        x, y = project(place.longitude, place.latitude)
        return {"number": number, "place": place, "x": x, "y": y}

    return {
        "width": MAP_WIDTH,
        "height": round((span_y + 2 * margin) * scale),
        "outline": "M" + " L".join("{},{}".format(*project(*xy)) for xy in ring) + " Z"
        if ring
        else "",
        "points": [point(number, place) for number, place in located],
    }
