"""The associations in data·inclusion's schema (version 1): structures and services.

Our vocabularies are translated through one mapping table (`DATA_INCLUSION_MAPPING`);
what the schema cannot say is said in words. The tests validate every record with the
official package (`data-inclusion-schema`).
"""

import math
from decimal import Decimal

from django.urls import reverse

from associations.models import Audience, Level, Need, ReviewItem
from core.french import NBSP, join_words, lower_first, sentence
from core.vocabularies import Modality

from .records import absolute_url, association_record, labels, verified_on

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
    # The thématiques an association gets unless staff choose its own (in the admin).
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
        # Not "activités sportives et culturelles": a mentor opens horizons, it is not an
        # activity. Staff may choose that thématique for an association that offers one.
        "ouverture-culturelle": {},
        "francais": {"thematiques": ["lecture-ecriture-calcul--maitriser-le-francais"]},
        "autonomie": {"thematiques": ["remobilisation--bien-etre-confiance-en-soi"]},
    },
    # For a programme reserved to this public only: data·inclusion reads `publics` as
    # "eligible if in at least one", so a public that is a priority is said in words.
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


def _mapped(record, key, field, slugs=None):
    """The data·inclusion values of `field` that the record's `key` vocabulary maps to."""
    if slugs is None:
        if key == "modalities":
            # Record keys are the model's field names.
            slugs = [modality.value for modality in Modality if record[modality.field]]
        else:
            slugs = [term["slug"] for term in record[key]]
    table = DATA_INCLUSION_MAPPING[key]
    return {value for slug in slugs for value in table.get(slug, {}).get(field, [])}


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


def _flagged(record, *sections):
    """Whether the public is told that one of these sections is to check."""
    return any(item["section"] in sections for item in record["to_check"])


def _exact_place_in_roubaix(record):
    """Where the association works in Roubaix, only if staff placed it exactly.

    An approximate place (the centre of Roubaix, until staff find the address) would
    give a commune, a postcode and coordinates that look true: nothing is said instead.
    """
    place = next(
        (
            p
            for p in record["locations"]
            if (p["city"] or "").lower() == "roubaix" and not p["is_approximate"]
        ),
        None,
    )
    if place is None:
        return {}
    return {
        "commune": ROUBAIX["commune"],
        "code_postal": place["postcode"],
        "code_insee": ROUBAIX["code_insee"],
        "adresse": place["address"],
        "latitude": place["latitude"],
        "longitude": place["longitude"],
    }


def _location_fields(record):
    fields = dict.fromkeys(
        ["commune", "code_postal", "code_insee", "adresse", "latitude", "longitude"]
    )
    return {**fields, **_exact_place_in_roubaix(record)}


def _confirmed_email(record):
    return None if record["request_email_is_collective"] else record["request_email"]


def data_inclusion_structure(association, collective):
    """The association as a data·inclusion v1 structure.

    Its `courriel` is a confirmed address or none: the structure is the association, and
    the Collectif's address would be read as its own (the service says it in words).
    """
    record = association_record(association, collective)
    return {
        "source": DATA_INCLUSION_SOURCE,
        "id": record["slug"],
        "nom": _name(record["name"]),
        "date_maj": verified_on(record),
        "lien_source": record["url"],
        "description": _bounded(record["description"], 50, 2000),
        "site_web": record["website"],
        "courriel": _confirmed_email(record),
        "telephone": _first(record["contacts"], "phone"),
        **_location_fields(record),
        "reseaux_porteurs": _sorted_or_none(record["data_inclusion_networks"]),
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


def _reserved(record):
    return [audience for audience in record["audiences"] if audience["is_required"]]


def _publics(record):
    """Who is eligible, as data·inclusion reads `publics`: anyone in at least one of them.

    A programme reserved to some publics (refugees, a priority neighbourhood) lists only
    those: adding "jeunes" would make every young person eligible. If the schema has no
    word for the reserved public, `publics` is left out, and `conditions_acces` says it.
    """
    reserved = _reserved(record)
    if reserved:
        slugs = [audience["slug"] for audience in reserved]
        return _sorted_or_none(_mapped(record, "audiences", "publics", slugs))
    defaults = set(DATA_INCLUSION_SERVICE_DEFAULTS["publics"])
    return _sorted_or_none(defaults | _mapped(record, "levels", "publics"))


def thematiques(record):
    """Staff's choice for the association, or those its needs map to."""
    return _sorted_or_none(
        record["data_inclusion_thematiques"] or _mapped(record, "needs", "thematiques")
    )


def _public_precisions(association, record):
    priorities = [a["label"] for a in record["audiences"] if not a["is_required"]]
    return _sentences(
        _labelled("Âge", association.age_range_label),
        _labelled("Niveaux et situations", labels(record["levels"], ", ")),
        _labelled("En priorité", ", ".join(priorities)),
        record["public_description"],
    )


def _access_conditions(record):
    return _sentences(
        _labelled("Réservé aux publics suivants", ", ".join(a["label"] for a in _reserved(record))),
        record["eligibility_notes"],
    )


def _to_check(record):
    """ "Information à vérifier auprès de l’association : modalités, mentors", or ""."""
    sections = dict.fromkeys(lower_first(item["label"]) for item in record["to_check"])
    return _labelled(ReviewItem.PUBLIC_NOTICE, ", ".join(sections))


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
            _sentences(_to_check(record)),
        ]
        if part
    )
    return _bounded(description, 50, 2000)


def _weekly_hours(record):
    """Hours a week, from hours a month; none when the public is told to check the modalities."""
    hours = record["hours_per_month_min"]
    if not hours or _flagged(record, "modalites"):
        return None
    return round(hours / float(WEEKS_PER_MONTH), 1)


def _weeks(record):
    months = record["duration_min_months"]
    if not months or _flagged(record, "modalites"):
        return None
    return max(1, math.floor(Decimal(str(months)) * WEEKS_PER_MONTH))


def request_form_url(record):
    """The portal's form to be put in touch with the association (a young person, a parent)."""
    return absolute_url(reverse("referrals:young", args=[record["slug"]]))


def _has_phone(record):
    return any(contact["phone"] for contact in record["contacts"])


def _mobilisation_modes(record):
    modes = ["utiliser-lien-mobilisation"]
    if record["request_email"]:
        modes.append("envoyer-un-courriel")
    if _has_phone(record):
        modes.append("telephoner")
    return modes


def _mobilisation_precisions(record, collective):
    """How to ask, in words: only the ways the association really has.

    Without a confirmed address, the `courriel` is the Collectif's: said so, since an
    address still to be confirmed may be another association's.
    """
    by_collective = record["request_email_is_collective"]
    ways = [
        way
        for way, has_it in [
            ("par courriel", record["request_email"] and not by_collective),
            ("par téléphone", _has_phone(record)),
        ]
        if has_it
    ]
    others = [f"la contacter {join_words(ways, 'ou')}"] if ways else []
    if by_collective:
        others.append(f"écrire au {collective.name}, qui transmet")
    ask = (
        "Demander une mise en relation avec l’association par le formulaire du portail "
        "Mentorat Roubaix (lien de mobilisation)"
    )
    if others:
        ask += " ou " + join_words(others, "ou")
    text = f"{ask}{NBSP}; " + sentence("sa fiche sur le portail", record["url"])
    if by_collective:
        text += (
            f". Pas encore d’adresse confirmée pour l’association{NBSP}: le courriel "
            "indiqué est celui du Collectif"
        )
    return text


def data_inclusion_service(association, collective):
    """The association's mentoring programme as a data·inclusion v1 service."""
    record = association_record(association, collective)
    defaults = DATA_INCLUSION_SERVICE_DEFAULTS
    return {
        "source": DATA_INCLUSION_SOURCE,
        "structure_id": record["slug"],
        "id": f"{record['slug']}--mentorat",
        "nom": _name(f"Programme de mentorat – {record['name']}"),
        "description": _service_description(record),
        "lien_source": record["url"],
        "date_maj": verified_on(record),
        "type": defaults["type"],
        "thematiques": thematiques(record),
        "frais": defaults["frais"],
        "publics": _publics(record),
        "publics_precisions": _public_precisions(association, record) or None,
        "conditions_acces": _access_conditions(record) or None,
        "courriel": record["request_email"],
        "telephone": _first(record["contacts"], "phone"),
        "contact_nom_prenom": _first(record["contacts"], "person_name"),
        **_location_fields(record),
        "modes_accueil": _sorted_or_none(_mapped(record, "modalities", "modes_accueil")),
        "zone_eligibilite": defaults["zone_eligibilite"],
        "lien_mobilisation": request_form_url(record),
        "modes_mobilisation": _mobilisation_modes(record),
        "mobilisable_par": defaults["mobilisable_par"],
        "mobilisation_precisions": _mobilisation_precisions(record, collective),
        "volume_horaire_hebdomadaire": _weekly_hours(record),
        "nombre_semaines": _weeks(record),
    }


# How each field is filled, for the /donnees/ page; a test keeps it equal to the exports.
PLACE_FIELDS = ["commune", "code_postal", "code_insee", "adresse", "latitude", "longitude"]
PLACE = (
    "Le premier lieu de l’association à Roubaix placé exactement par l’équipe ; rien pour "
    "un emplacement approximatif (le centre de Roubaix, tant que l’adresse n’est pas connue)"
)
STRUCTURE_FIELDS = [
    (["source"], f"Toujours « {DATA_INCLUSION_SOURCE} »"),
    (["id"], "Identifiant stable de l’association (celui de l’adresse de sa page)"),
    (["nom"], "Nom de l’association"),
    (
        ["date_maj"],
        "Date de la dernière vérification de la fiche par l’équipe ou l’association ; à "
        "défaut, de sa dernière modification",
    ),
    (["lien_source"], "Adresse de sa fiche sur le portail"),
    (["description"], "Présentation (coupée sur un mot à 2 000 caractères ; absente sous 50)"),
    (["site_web"], "Site internet"),
    (
        ["courriel"],
        "Le premier courriel confirmé et publiable de ses contacts ; rien tant qu’aucun "
        "ne l’est (une adresse à confirmer peut être celle d’une autre association)",
    ),
    (["telephone"], "Le premier téléphone publiable de ses contacts, au format E.164"),
    (PLACE_FIELDS, PLACE),
    (["reseaux_porteurs"], "Le réseau national de l’association, choisi par l’équipe"),
]
SERVICE_FIELDS = [
    (["source"], f"Toujours « {DATA_INCLUSION_SOURCE} »"),
    (["structure_id"], "Identifiant de la structure (l’association)"),
    (["id"], "Identifiant de l’association suivi de « --mentorat »"),
    (["nom"], "« Programme de mentorat – » et le nom de l’association"),
    (
        ["description"],
        "Résumé, mentors, durée, fréquence, modalités et besoins travaillés, puis les "
        "rubriques à vérifier auprès de l’association, s’il y en a",
    ),
    (["lien_source"], "Adresse de sa fiche sur le portail"),
    (["date_maj"], "Comme pour la structure"),
    (["type", "frais", "zone_eligibilite", "mobilisable_par"], "Valeurs communes (ci-dessous)"),
    (
        ["thematiques"],
        "Celles que l’équipe a choisies pour l’association ; à défaut, celles de ses besoins "
        "(table ci-dessous)",
    ),
    (
        ["publics"],
        "« jeunes » et les publics de ses niveaux (table ci-dessous) ; pour un programme "
        "réservé, seulement le ou les publics réservés ; rien si le schéma n’a pas de mot pour "
        "eux. Un public prioritaire n’y est jamais : data·inclusion y lit une éligibilité",
    ),
    (
        ["publics_precisions"],
        "Âge, niveaux et situations, publics prioritaires, et le public décrit en mots",
    ),
    (["conditions_acces"], "Les publics réservés et les autres conditions d’accès"),
    (
        ["courriel"],
        "Le premier courriel confirmé et publiable de ses contacts ; à défaut, celui du "
        "Collectif Mentorat, qui transmet (dit dans « mobilisation_precisions »)",
    ),
    (["telephone", "contact_nom_prenom"], "Les premiers de ses contacts publiables"),
    (PLACE_FIELDS, PLACE),
    (["modes_accueil"], "En présentiel, à distance (table ci-dessous)"),
    (["lien_mobilisation"], "Le formulaire de mise en relation du portail pour l’association"),
    (
        ["modes_mobilisation"],
        "« utiliser-lien-mobilisation », et « envoyer-un-courriel » ou « telephoner » "
        "s’il y a un « courriel » ou un « telephone »",
    ),
    (
        ["mobilisation_precisions"],
        "Comment demander, en mots (seulement les moyens qu’a l’association), l’adresse de "
        "sa fiche, et « Pas encore d’adresse confirmée pour l’association » quand le "
        "courriel est celui du Collectif",
    ),
    (
        ["volume_horaire_hebdomadaire"],
        "Heures par mois demandées au mentor × 12 / 52 ; rien si les modalités sont à vérifier",
    ),
    (
        ["nombre_semaines"],
        "Durée minimale en semaines (1,5 mois = 6 semaines) ; rien si les modalités sont à "
        "vérifier",
    ),
]

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
