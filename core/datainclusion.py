"""data·inclusion's vocabularies (schema v1) that staff choose from for an association.

Copied from the official package `data-inclusion-schema` 1.0.10
(`data_inclusion.schema.v1`), values and labels; tests/test_opendata.py checks that
they are still the package's. The exports read them through the association's fields
(`data_inclusion_thematiques`, `data_inclusion_networks`); the package itself is only
a dependency of the tests.
"""

# Thématiques, grouped by their category as the schema groups them: (category, choices).
THEMATIQUES = [
    (
        "Choisir un métier",
        [
            ("choisir-un-metier--confirmer-son-choix-de-metier", "Confirmer son choix de métier"),
            (
                "choisir-un-metier--connaitre-les-opportunites-demploi",
                "Connaître les opportunités d’emploi",
            ),
            (
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "Découvrir un métier ou un secteur d’activité",
            ),
            (
                "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
                "Identifier ses points forts et ses compétences",
            ),
        ],
    ),
    (
        "Créer une entreprise",
        [
            (
                "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
                "Définir son projet de création d’entreprise",
            ),
            ("creer-une-entreprise--developper-son-entreprise", "Développer son entreprise"),
            (
                "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
                "Structurer son projet de création d’entreprise",
            ),
        ],
    ),
    (
        "Difficultés administratives ou juridiques",
        [
            (
                "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
                "Accompagnement aux démarches administratives",
            ),
            (
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
                "Accompagnement pour l’accès à la citoyenneté",
            ),
            (
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                "Accompagnement pour l’accès aux droits",
            ),
            (
                "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
                "Bénéficier d’une mesure d’accompagnement adapté",
            ),
            (
                "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
                "Connaître ses droits face à une discrimination",
            ),
            (
                "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
                "Prendre en compte une problématique judiciaire",
            ),
        ],
    ),
    (
        "Difficultés financières",
        [
            (
                "difficultes-financieres--acquerir-une-autonomie-budgetaire",
                "Acquérir une autonomie budgétaire",
            ),
            (
                "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
                "Améliorer sa gestion budgétaire",
            ),
            (
                "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere",
                "Mettre en place une mesure de protection financière",
            ),
            (
                "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
                "Prévenir une dégradation de la situation financière",
            ),
            (
                "difficultes-financieres--situation-dendettement-surendettement",
                "Situation d’endettement ou de surendettement",
            ),
        ],
    ),
    (
        "Équipement et alimentation",
        [
            ("equipement-et-alimentation--aide-menagere", "Aide ménagère"),
            ("equipement-et-alimentation--alimentation", "Alimentation"),
            ("equipement-et-alimentation--electromenager", "Électroménager"),
            ("equipement-et-alimentation--habillement", "Habillement"),
        ],
    ),
    (
        "Famille",
        [
            ("famille--garde-denfants", "Garde d’enfants"),
            (
                "famille--prise-en-charge-personne-dependante",
                "Prise en charge d’une personne dépendante",
            ),
            (
                "famille--soutien-a-la-parentalite-et-a-leducation",
                "Soutien à la parentalité et à l’éducation",
            ),
            ("famille--soutien-aidants", "Soutien aux aidants"),
            (
                "famille--surmonter-conflits-separation-violence",
                "Surmonter les conflits liés à la séparation ou à la violence",
            ),
        ],
    ),
    (
        "Lecture, écriture et calcul",
        [
            ("lecture-ecriture-calcul--maitriser-le-calcul", "Maîtriser le calcul"),
            ("lecture-ecriture-calcul--maitriser-le-francais", "Maîtriser le français"),
        ],
    ),
    (
        "Logement et hébergement",
        [
            ("logement-hebergement--acheter-un-logement", "Acheter un logement"),
            ("logement-hebergement--changer-de-logement", "Changer de logement"),
            ("logement-hebergement--louer-un-logement", "Louer un logement"),
            (
                "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
                "Rechercher une solution d’hébergement temporaire",
            ),
            ("logement-hebergement--reduire-les-impayes-de-loyer", "Réduire les impayés de loyer"),
            (
                "logement-hebergement--se-maintenir-dans-le-logement",
                "Se maintenir dans le logement",
            ),
            (
                "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
                "S’informer sur les démarches liées à l’accès au logement",
            ),
        ],
    ),
    (
        "Mobilité",
        [
            ("mobilite--acceder-a-un-vehicule", "Accéder à un véhicule"),
            ("mobilite--entretenir-reparer-son-vehicule", "Entretenir et réparer son véhicule"),
            (
                "mobilite--etre-accompagne-dans-son-parcours-mobilite",
                "Être accompagné dans son parcours mobilité",
            ),
            ("mobilite--financer-ma-mobilite", "Financer ma mobilité"),
            ("mobilite--preparer-un-permis", "Préparer un permis"),
            (
                "mobilite--mobilite-douce-partagee-collective",
                "Utiliser des services de mobilité douce, partagée ou collective",
            ),
        ],
    ),
    (
        "Numérique",
        [
            ("numerique--acceder-a-des-services-en-ligne", "Accéder à des services en ligne"),
            ("numerique--acceder-a-une-connexion-internet", "Accéder à une connexion Internet"),
            ("numerique--acquerir-un-equipement", "Acquérir un équipement"),
            (
                "numerique--maitriser-les-fondamentaux-du-numerique",
                "Maîtriser les fondamentaux du numérique",
            ),
        ],
    ),
    (
        "Préparer sa candidature",
        [
            ("preparer-sa-candidature--developper-son-reseau", "Développer son réseau"),
            (
                "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
                "Organiser ses démarches de recherche d’emploi",
            ),
            (
                "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
                "Réaliser un CV et/ou une lettre de motivation",
            ),
            ("preparer-sa-candidature--valoriser-ses-competences", "Valoriser ses compétences"),
        ],
    ),
    (
        "Remobilisation",
        [
            (
                "remobilisation--activites-sportives-et-culturelles",
                "Activités sportives et culturelles",
            ),
            ("remobilisation--benevolat-action-citoyenne", "Bénévolat et action citoyenne"),
            ("remobilisation--bien-etre-confiance-en-soi", "Bien-être et confiance en soi"),
            ("remobilisation--lien-social", "Lien social"),
        ],
    ),
    (
        "Santé",
        [
            ("sante--acces-aux-soins", "Accès aux soins"),
            ("sante--addictions", "Addictions"),
            (
                "sante--constituer-un-dossier-mdph-invalidite",
                "Constituer un dossier MDPH pour invalidité",
            ),
            ("sante--sante-mentale", "Santé mentale"),
            ("sante--sante-sexuelle", "Santé sexuelle"),
        ],
    ),
    (
        "Se former",
        [
            ("se-former--monter-son-dossier-de-formation", "Monter son dossier de formation"),
            ("se-former--trouver-sa-formation", "Trouver sa formation"),
        ],
    ),
    (
        "S’ouvrir à l’international",
        [
            (
                "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
                "Connaître les opportunités d’emploi à l’étranger",
            ),
            (
                "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
                "S’informer sur les aides pour travailler à l’étranger",
            ),
            (
                "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france",
                "S’organiser suite à son retour en France",
            ),
        ],
    ),
    (
        "Trouver un emploi",
        [
            (
                "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
                "Convaincre un recruteur en entretien",
            ),
            (
                "trouver-un-emploi--faire-des-candidatures-spontanees",
                "Faire des candidatures spontanées",
            ),
            ("trouver-un-emploi--maintien-dans-lemploi", "Maintien dans l’emploi"),
            ("trouver-un-emploi--repondre-a-des-offres-demploi", "Répondre à des offres d’emploi"),
            (
                "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
                "Suivre ses candidatures et relancer les employeurs",
            ),
        ],
    ),
]

# Networks (réseaux porteurs) a structure may belong to.
NETWORKS = [
    ("60000-rebonds", "60 000 Rebonds"),
    ("action-logement", "Action Logement"),
    ("adie", "Association pour le Droit à l’Initiative Économique"),
    ("afpa", "Agence Nationale pour la Formation Professionnelle des Adultes"),
    ("agefiph", "Agefiph"),
    ("ai", "Associations Intermédiaires"),
    ("aidants-connect", "Aidants Connect"),
    ("alliance-villes-emploi", "Alliance Villes Emploi"),
    ("anlci", "Agence Nationale de Lutte Contre l’Illettrisme"),
    ("apprentis-dauteuil", "Apprentis d’Auteuil"),
    ("ase", "Aide Sociale à l’Enfance"),
    ("banques-alimentaires", "Banques Alimentaires"),
    (
        "caarud",
        "Centres d’Accueil et d’Accompagnement à la Réduction de Risques pour Usagers de Drogues",
    ),
    ("cada", "Centres d’Accueil de Demandeurs d’Asile"),
    ("caf", "Caisse d’Allocations Familiales"),
    ("campus-connecte", "Campus Connecté"),
    ("cap-emploi-reseau-cheops", "CAP Emploi - Réseau CHEOPS"),
    ("cava", "Centres d’Adaptation à la Vie Active"),
    (
        "ccas-cias",
        "Les Centres Communaux d’Action Sociale et les Centres Intercommunaux d’Action Sociale",
    ),
    ("chambres-consulaires", "Chambres Consulaires"),
    ("chantier-ecole", "Réseau Chantier École"),
    ("chrs", "Centres d’Hébergement et de Réinsertion Sociale"),
    ("chu", "Centres d’Hébergement d’Urgence"),
    ("cidff", "Centres d’Information sur les Droits des Femmes et des Familles"),
    ("cmp", "Centres Médico-Psychologiques"),
    ("cms", "Centres Médico-Sociaux"),
    ("cnam", "Conservatoire National des Arts et Métiers"),
    ("collectif-emploi", "Collectif Emploi"),
    ("communes", "Communes, mairies, communautés de communes, etc."),
    ("coorace", "Fédération COORACE"),
    ("conseillers-numeriques", "Conseillers Numériques"),
    ("cpam", "Caisses Primaires d’Assurance Maladie"),
    ("cph", "Centres Provisoires d’Hébergement"),
    ("creches-avip", "Crèches à Vocation d’Insertion Professionnelle"),
    ("crepi", "CREPI"),
    ("cresus", "Fédération Française des Associations CRÉSUS"),
    ("croix-rouge", "Croix-Rouge"),
    ("csapa", "Centres de Soins, d’Accompagnement et de Prévention en Addictologie"),
    ("delegataire-conseil-departemental", "Organisation délégataire d’un Conseil Départemental"),
    ("departements", "Départements et Services Départementaux"),
    ("duo-for-a-job", "DUO for a JOB"),
    ("ecoles-de-la-deuxieme-chance", "Écoles de la 2ᵉ Chance"),
    ("ea", "Entreprises Adaptées"),
    ("eatt", "Entreprises Adaptées de Travail Temporaire"),
    ("egee", "Association EGEE"),
    ("emmaus", "Emmaüs"),
    ("epide", "EPIDE"),
    ("esat", "Établissement et Service d’Accompagnement par le Travail"),
    ("espaces-publics-numeriques", "Espaces Publics Numériques"),
    ("etcld", "Expérimentation Territoriale contre le Chômage de Longue Durée"),
    ("fabrique-de-territoire", "Fabrique de Territoire"),
    ("face", "Fondation FACE"),
    ("fcsf", "Fédération des Centres Sociaux et Socioculturels de France"),
    ("federation-professionnelle-femmes", "Fédération Professionnelle pour les Femmes"),
    ("federation-des-acteurs-de-la-solidarite", "Fédération des Acteurs de la Solidarité"),
    ("france-active", "France Active"),
    ("france-service", "France Service"),
    ("france-travail", "France Travail"),
    ("french-tech", "French Tech"),
    ("geiq", "GEIQ"),
    ("grandes-ecoles-du-numerique", "Grandes Écoles du Numérique"),
    ("huda", "Hébergement d’Urgence pour Demandeurs d’Asile"),
    ("hup", "Association H’UP"),
    ("inae", "INAÉ Nouvelle Aquitaine"),
    ("initiative-france", "Initiative France"),
    ("konexio", "Association Konexio"),
    ("la-cravate-solidaire", "La Cravate Solidaire"),
    ("la-poste", "La Poste"),
    ("les-premieres", "Les Premières"),
    ("maisons-de-l-emploi", "Maisons de l’Emploi"),
    ("maison-departementale-de-lautonomie", "Maisons Départementales de l’Autonomie"),
    ("maisons-des-solidarites", "Maisons Départementales des Solidarités (MDS)"),
    ("mdph", "Maisons Départementales pour les Personnes Handicapées (MDPH)"),
    ("mission-locale", "Mission Locale"),
    ("mjc", "Maisons des Jeunes et de la Culture"),
    ("mobin", "Mob’In"),
    ("msap", "Maisons de Services Au Public"),
    ("mutualite-sociale-agricole", "Mutualité Sociale Agricole"),
    ("nqt", "Association NQT"),
    ("pimms-mediation", "Point Information Médiation Multi Services"),
    ("pjj", "Protection Judiciaire de la Jeunesse"),
    ("plie", "Plans Locaux pour l’Insertion et l’Emploi"),
    ("points-conseil-budget", "Points Conseil Budget"),
    ("points-justice", "Points Justice"),
    ("positive-planet", "Positive Planet"),
    ("regions", "Régions, Préfectures et services régionaux"),
    ("reseau-app", "Réseau APP"),
    ("reseau-bge", "Réseau BGE"),
    ("reseau-entreprendre", "Réseau Entreprendre"),
    ("reseau-information-jeunesse", "Réseau Information Jeunesse"),
    ("residences-fjt", "Résidences - Foyers Jeunes Travailleurs"),
    ("ressourceries", "Ressourceries"),
    ("restos-du-coeur", "Restos du Coeur"),
    ("secours-populaire", "Secours Populaire"),
    ("ei", "Structures d’Insertion par l’Activité Économique - Entreprises d’Insertion"),
    ("aci", "Structures d’Insertion par l’Activité Économique - Ateliers et Chantiers d’Insertion"),
    (
        "etti",
        "Structures d’Insertion par l’Activité Économique - Entreprises de Travail Temporaire "
        "d’Insertion",
    ),
    (
        "eiti",
        "Structures d’Insertion par l’Activité Économique - Entreprises d’Insertion par le "
        "Travail Indépendant",
    ),
    ("siao", "Services Intégrés d’Accueil et d’Orientation"),
    ("simplon", "Simplon"),
    ("singa", "Association SINGA"),
    ("snc", "Solidarité Nouvelle Face au Chômage"),
    ("spip", "Services Pénitentiaires d’Insertion et de Probation"),
    ("tous-tes-possibles", "Tous Tes Possibles"),
    ("unaf", "Union Nationale de l’Aide aux Familles"),
    ("unea", "Union Nationale des Entreprises Adaptées"),
    ("unis-cite", "UnisCité"),
    ("wimoov", "Wimoov"),
]
