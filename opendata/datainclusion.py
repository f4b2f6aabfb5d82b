"""The associations in data·inclusion's schema (version 1): structures and services.

Our vocabularies are translated through one mapping table (`DATA_INCLUSION_MAPPING`);
what the schema cannot say is said in words.
"""

import math
from decimal import Decimal

from associations.models import Audience, Level, Need
from core.french import NBSP, sentence
from core.vocabularies import Modality

from .records import association_record, labels

DATA_INCLUSION_SOURCE = "mentorat-roubaix"
DATA_INCLUSION_SCHEMA_URL = "https://gip-inclusion.github.io/data-inclusion-schema/latest/"
ROUBAIX = {"commune": "Roubaix", "code_insee": "59512"}

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


def _labelled(label, text):
    """ "Durée : une année scolaire", or nothing when there is nothing to say."""
    return sentence(label, text) if text else ""


def _public_precisions(association, record):
    priorities = [a["label"] for a in record["audiences"] if not a["is_required"]]
    return _sentences(
        _labelled("Âge", association.age_range_label),
        _labelled("Niveaux et situations", labels(record["levels"], ", ")),
        _labelled("En priorité", ", ".join(priorities)),
        record["public_description"],
    )


def _access_conditions(record):
    required = [a["label"] for a in record["audiences"] if a["is_required"]]
    return _sentences(
        _labelled("Réservé aux publics suivants", ", ".join(required)),
        record["eligibility_notes"],
    )


def _service_description(record):
    description = "\n\n".join(
        part
        for part in [
            record["summary"],
            _sentences(
                record["mentor_description"],
                _labelled("Durée", record["duration_text"]),
                _labelled("Fréquence", record["frequency_text"]),
                _labelled("Modalités", record["modality_text"]),
                _labelled("Besoins travaillés", labels(record["needs"], ", ")),
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
        "mobilisation_precisions": sentence(
            f"Contacter l’association par courriel ou par téléphone{NBSP}; sa fiche sur le "
            "portail Mentorat Roubaix",
            record["url"],
        ),
        "volume_horaire_hebdomadaire": _weekly_hours(record),
        "nombre_semaines": _weeks(record),
    }


MAPPED_VOCABULARIES = {"levels": Level, "needs": Need, "audiences": Audience}


def mapping_rows():
    """The mapping table, with the labels staff see, for the /donnees/ page."""
    rows = []
    for key, table in DATA_INCLUSION_MAPPING.items():
        if key == "modalities":
            terms = Modality.choices
            vocabulary = "modalités"
        else:
            model = MAPPED_VOCABULARIES[key]
            terms = [(term.slug, term.name) for term in model.objects.all()]
            vocabulary = model._meta.verbose_name_plural
        for slug, label in terms:
            rows.append(
                {
                    "vocabulary": vocabulary,
                    "slug": slug,
                    "label": label,
                    "mapped": sorted(table.get(slug, {}).items()),
                }
            )
    return rows
