"""The CSV of the associations: its columns, each read from the association's record.

core.csv writes the file (semicolons, byte-order mark, cells a spreadsheet never runs).
"""

from core.french import NBSP, sentence

from .records import labels, verified_on

LIST_SEPARATOR = " | "


def _labels(terms):
    return labels(terms, LIST_SEPARATOR)


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
        details = [f"{profile['min_age']}{NBSP}ans minimum"] if profile["min_age"] else []
        details += [profile["requirements"]] if profile["requirements"] else []
        described.append(profile["label"] + (f" ({', '.join(details)})" if details else ""))
    return LIST_SEPARATOR.join(described)


def _to_check(items):
    return LIST_SEPARATOR.join(sentence(item["label"], item["note"]) for item in items)


def _contacts(key, **expected):
    """One field of the record's contacts (those open data may publish), joined."""
    return lambda record: LIST_SEPARATOR.join(
        contact[key]
        for contact in record["contacts"]
        if contact[key] and all(contact[k] == v for k, v in expected.items())
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
    (
        "courriel_pour_ecrire",
        "Le courriel où écrire : le premier confirmé de l’association, sinon celui du "
        "Collectif Mentorat, qui transmet",
        _field("request_email"),
    ),
    (
        "courriels",
        "Courriels de contact confirmés auprès de l’association (publiables)",
        _contacts("email", email_confirmed=True),
    ),
    (
        "courriels_a_confirmer",
        "Courriels de contact pas encore confirmés : ils peuvent être faux et ne reçoivent "
        "pas les demandes",
        _contacts("email", email_confirmed=False),
    ),
    ("telephones", "Téléphones de contact (publiables)", _contacts("phone_display")),
    ("lieux", "Lieux où l’association intervient", lambda r: _places(r["locations"])),
    ("mis_a_jour_le", "Date et heure de la dernière mise à jour de la fiche", _field("updated_at")),
    (
        "fiche_verifiee_le",
        "Date de la dernière vérification de la fiche par l’équipe ou l’association "
        "(à défaut, de sa dernière mise à jour)",
        verified_on,
    ),
    (
        "a_verifier",
        "Informations à vérifier auprès de l’association, par rubrique (vide s’il n’y en a pas)",
        lambda r: _to_check(r["to_check"]),
    ),
]

HEADER = [column for column, _, _ in CSV_COLUMNS]


def rows(records):
    """One row per association, in the columns' order; core.csv writes the cells."""
    return ([read(record) for _, _, read in CSV_COLUMNS] for record in records)
