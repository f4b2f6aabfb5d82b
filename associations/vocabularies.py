"""The vocabularies the portal starts with: (slug, label) pairs, in display order.

Staff may add terms in the admin. The orientation forms and the public API
take these slugs as parameter values, so a published slug is never renamed.
"""

LEVELS = [
    ("maternelle", "École maternelle"),
    ("ecole", "École élémentaire"),
    ("college", "Collège"),
    ("lycee", "Lycée général ou technologique"),
    ("lycee-pro", "Lycée professionnel"),
    ("apprentissage", "Apprentissage"),
    ("etudes-superieures", "Études supérieures"),
    ("recherche-emploi", "En recherche d’emploi ou de formation"),
    ("sans-activite", "Ni en études ni en emploi"),
]

NEEDS = [
    ("reussite-scolaire", "Réussite scolaire"),
    ("confiance", "Confiance en soi"),
    ("orientation", "Orientation"),
    ("insertion-pro", "Insertion professionnelle, recherche d’emploi"),
    ("ouverture-culturelle", "Ouverture culturelle"),
    ("francais", "Français langue de scolarisation"),
    ("autonomie", "Motivation et autonomie"),
]

AUDIENCES = [
    ("refugie-immigration", "Jeunes réfugiés ou issus de l’immigration"),
    ("qpv", "Jeunes habitant un quartier prioritaire (QPV)"),
    ("rep", "Élèves d’un établissement REP ou REP+"),
]

MENTOR_PROFILES = [
    ("etudiant", "Étudiant ou étudiante"),
    ("apprenti", "Alternant ou apprenti"),
    ("salarie", "Salarié ou salariée"),
    ("agent-public", "Agent public"),
    ("retraite", "Retraité ou retraitée"),
    ("recherche-emploi", "En recherche d’emploi"),
    ("lyceen", "Lycéen ou lycéenne"),
]

VENUES = [
    ("domicile", "Au domicile du jeune"),
    ("etablissement-scolaire", "Dans l’établissement scolaire"),
    ("entreprise", "En entreprise"),
    ("locaux-association", "Dans les locaux de l’association"),
    ("lieu-tiers", "Dans un lieu tiers"),
]

PARTNER_TYPES = [
    ("ecoles", "Écoles élémentaires"),
    ("colleges", "Collèges"),
    ("lycees", "Lycées"),
    ("lycees-professionnels", "Lycées professionnels et technologiques"),
    ("etablissements-rep", "Établissements scolaires REP et REP+"),
    ("enseignement-superieur", "Établissements d’enseignement supérieur"),
    ("missions-locales", "Missions locales"),
    ("maisons-emploi", "Maisons de l’emploi"),
    ("france-travail", "France Travail (ex-Pôle emploi)"),
    ("centres-sociaux", "Centres sociaux"),
    ("associations", "Associations"),
    ("aide-sociale-enfance", "Aide sociale à l’enfance"),
]

VOCABULARIES = {
    "Level": LEVELS,
    "Need": NEEDS,
    "Audience": AUDIENCES,
    "MentorProfile": MENTOR_PROFILES,
    "Venue": VENUES,
    "PartnerType": PARTNER_TYPES,
}
