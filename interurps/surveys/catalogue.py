"""The questionnaires shipped with the application, to start a survey from.

- `snp`: the handling of unscheduled care (soins non programmés) by liberal professionals,
  rewritten from the subject of the questionnaire the SAS officer wrote with a partner
  association in 2021 (annual activity report, seed 003): whether and how professionals
  take unscheduled requests, their organisation, what they know of the SAS and what
  would make them take part.
- `satisfaction`: satisfaction after an event (seminar, webinar, regional day).
- `cpts_needs`: the needs of the professionals of a territory before or while a CPTS is
  created.
"""


def _choices(*pairs: tuple[str, str]) -> list[dict]:
    return [{"value": value, "label": label} for value, label in pairs]


YES_NO = _choices(("oui", "Oui"), ("non", "Non"))

SNP = {
    "sections": [
        {
            "key": "profil",
            "title": "Votre exercice",
            "questions": [
                {
                    "key": "profession",
                    "type": "profession",
                    "label": "Votre profession",
                    "required": True,
                },
                {
                    "key": "commune",
                    "type": "commune",
                    "label": "Commune de votre lieu d'exercice principal",
                    "help": "Son nom ou son code INSEE.",
                },
                {
                    "key": "mode",
                    "type": "single",
                    "label": "Vous exercez",
                    "required": True,
                    "choices": _choices(
                        ("seul", "Seul·e en cabinet"),
                        ("groupe", "En cabinet de groupe"),
                        ("msp", "En maison de santé pluriprofessionnelle (MSP)"),
                        ("centre", "En centre de santé"),
                    ),
                },
                {
                    "key": "cpts",
                    "type": "single",
                    "label": "Êtes-vous membre d'une CPTS ?",
                    "choices": _choices(("oui", "Oui"), ("non", "Non"), ("nsp", "Je ne sais pas")),
                },
            ],
        },
        {
            "key": "demandes",
            "title": "Les demandes de soins non programmés",
            "description": "Une demande de soins non programmés (SNP) est une demande de "
            "soins dans les 24 à 48 heures, hors urgence vitale.",
            "questions": [
                {
                    "key": "recoit_snp",
                    "type": "single",
                    "required": True,
                    "label": "Recevez-vous des demandes de soins non programmés ?",
                    "choices": YES_NO,
                },
                {
                    "key": "volume",
                    "type": "number",
                    "min": 0,
                    "max": 500,
                    "label": "Combien de demandes par semaine, environ ?",
                    "condition": {"question": "recoit_snp", "operator": "equals", "value": "oui"},
                },
                {
                    "key": "reponse",
                    "type": "multiple",
                    "label": "Comment y répondez-vous ?",
                    "condition": {"question": "recoit_snp", "operator": "equals", "value": "oui"},
                    "choices": _choices(
                        ("creneaux", "Des créneaux réservés chaque jour"),
                        ("surplus", "En plus de mes rendez-vous"),
                        ("confrere", "J'oriente vers un·e confrère ou consœur"),
                        ("urgences", "J'oriente vers les urgences"),
                        ("refus", "Je ne peux pas y répondre"),
                    ),
                },
                {
                    "key": "difficulte",
                    "type": "scale",
                    "min": 1,
                    "max": 5,
                    "min_label": "Très facile",
                    "max_label": "Très difficile",
                    "label": "Répondre à ces demandes est pour vous…",
                    "condition": {"question": "recoit_snp", "operator": "equals", "value": "oui"},
                },
            ],
        },
        {
            "key": "sas",
            "title": "Le service d'accès aux soins (SAS)",
            "questions": [
                {
                    "key": "connait_sas",
                    "type": "single",
                    "required": True,
                    "label": "Connaissez-vous le service d'accès aux soins (SAS) ?",
                    "choices": _choices(
                        ("bien", "Oui, je sais comment il fonctionne"),
                        ("nom", "J'en ai entendu parler"),
                        ("non", "Non"),
                    ),
                },
                {
                    "key": "participe",
                    "type": "single",
                    "label": "Participez-vous ou souhaitez-vous participer au SAS ?",
                    "condition": {
                        "question": "connait_sas",
                        "operator": "not_equals",
                        "value": "non",
                    },
                    "choices": _choices(
                        ("deja", "J'y participe déjà"),
                        ("souhaite", "Je souhaite y participer"),
                        ("non", "Non"),
                    ),
                },
                {
                    "key": "freins",
                    "type": "multiple",
                    "label": "Qu'est-ce qui vous freine ?",
                    "condition": {"question": "participe", "operator": "equals", "value": "non"},
                    "choices": _choices(
                        ("temps", "Le manque de temps"),
                        ("agenda", "Mon agenda n'est pas compatible avec la plateforme"),
                        ("remuneration", "La rémunération"),
                        ("information", "Le manque d'information"),
                        ("autre", "Autre raison"),
                    ),
                },
                {
                    "key": "leviers",
                    "type": "long_text",
                    "label": "Qu'est-ce qui faciliterait votre participation aux soins non "
                    "programmés ou au SAS ?",
                },
            ],
        },
    ]
}

SATISFACTION = {
    "sections": [
        {
            "key": "avis",
            "title": "Votre avis sur l'événement",
            "questions": [
                {
                    "key": "satisfaction",
                    "type": "scale",
                    "min": 1,
                    "max": 5,
                    "required": True,
                    "min_label": "Pas du tout satisfait·e",
                    "max_label": "Très satisfait·e",
                    "label": "Dans l'ensemble, êtes-vous satisfait·e de l'événement ?",
                },
                {
                    "key": "contenu",
                    "type": "scale",
                    "min": 1,
                    "max": 5,
                    "min_label": "Pas du tout",
                    "max_label": "Tout à fait",
                    "label": "Le contenu répondait-il à vos attentes ?",
                },
                {
                    "key": "organisation",
                    "type": "scale",
                    "min": 1,
                    "max": 5,
                    "min_label": "Très mauvaise",
                    "max_label": "Très bonne",
                    "label": "Comment jugez-vous l'organisation (horaires, lieu, accueil) ?",
                },
                {
                    "key": "recommande",
                    "type": "single",
                    "required": True,
                    "label": "Recommanderiez-vous cet événement à un·e collègue ?",
                    "choices": YES_NO,
                },
                {
                    "key": "pourquoi",
                    "type": "long_text",
                    "label": "Qu'est-ce qui vous a manqué ?",
                    "condition": {"question": "satisfaction", "operator": "lte", "value": 2},
                },
                {
                    "key": "themes",
                    "type": "short_text",
                    "label": "Quels thèmes aimeriez-vous voir traités lors d'un prochain "
                    "événement ?",
                },
            ],
        },
        {
            "key": "vous",
            "title": "Vous",
            "questions": [
                {"key": "profession", "type": "profession", "label": "Votre profession"},
            ],
        },
    ]
}

CPTS_NEEDS = {
    "sections": [
        {
            "key": "profil",
            "title": "Votre exercice",
            "questions": [
                {
                    "key": "profession",
                    "type": "profession",
                    "label": "Votre profession",
                    "required": True,
                },
                {
                    "key": "commune",
                    "type": "commune",
                    "label": "Commune de votre lieu d'exercice principal",
                    "required": True,
                },
                {
                    "key": "installation",
                    "type": "number",
                    "min": 1950,
                    "max": 2100,
                    "label": "Année d'installation dans le territoire",
                },
            ],
        },
        {
            "key": "besoins",
            "title": "Les besoins du territoire",
            "questions": [
                {
                    "key": "priorites",
                    "type": "multiple",
                    "required": True,
                    "label": "Quelles missions devraient être prioritaires pour la CPTS ?",
                    "choices": _choices(
                        ("acces_mt", "Accès à un médecin traitant"),
                        ("snp", "Soins non programmés"),
                        ("parcours", "Parcours de soins (personnes âgées, chroniques…)"),
                        ("prevention", "Prévention"),
                        ("crise", "Réponse aux crises sanitaires"),
                        ("attractivite", "Attractivité pour les professionnels"),
                    ),
                },
                {
                    "key": "isolement",
                    "type": "scale",
                    "min": 1,
                    "max": 5,
                    "min_label": "Pas du tout",
                    "max_label": "Très isolé·e",
                    "label": "Vous sentez-vous isolé·e dans votre exercice ?",
                },
                {
                    "key": "connait_cpts",
                    "type": "single",
                    "required": True,
                    "label": "Une CPTS existe-t-elle déjà sur votre territoire ?",
                    "choices": _choices(("oui", "Oui"), ("non", "Non"), ("nsp", "Je ne sais pas")),
                },
                {
                    "key": "implication",
                    "type": "single",
                    "label": "Souhaitez-vous vous impliquer dans le projet ?",
                    "choices": _choices(
                        ("pilotage", "Oui, dans le pilotage"),
                        ("groupe", "Oui, dans un groupe de travail"),
                        ("info", "Être tenu·e informé·e"),
                        ("non", "Non"),
                    ),
                },
                {
                    "key": "disponibilite",
                    "type": "single",
                    "label": "Quels moments vous conviennent pour des réunions ?",
                    "condition": {
                        "question": "implication",
                        "operator": "in",
                        "value": ["pilotage", "groupe"],
                    },
                    "choices": _choices(
                        ("midi", "Le midi"), ("soir", "Le soir"), ("samedi", "Le samedi matin")
                    ),
                },
                {
                    "key": "attentes",
                    "type": "long_text",
                    "label": "Vos attentes ou propositions pour la CPTS",
                },
            ],
        },
    ]
}

TEMPLATES = {
    "snp": ("Prise en charge des soins non programmés", SNP),
    "satisfaction": ("Satisfaction après un événement", SATISFACTION),
    "cpts_needs": ("Besoins des professionnels pour une CPTS", CPTS_NEEDS),
}
