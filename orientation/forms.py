"""The two questionnaires' forms: GET parameters in, a questionnaire to match out.

The field names are the public parameters of the pages and of the API (`age`,
`situation`, `besoins`…), declared here once: the request form, the statistics and
the links read them from these forms. The choices come from the vocabularies, so
staff can add terms. Hostile values are refused by core.forms before any field
reads them; the messages never repeat what was sent.
"""

from django import forms
from django.utils.text import capfirst

from associations.models import Audience, Level, MentorProfile, Need
from core.forms import ScreenedForm
from core.french import NBSP, age_range, listing, sentence
from core.vocabularies import AGES, Modality, Seeker

from .questionnaires import Volunteer, YoungPerson

HOURS_PER_MONTH = (1, 200)
MONTHS = (1, 120)
NOT_IN_THE_LIST = f"Ce choix n’existe pas{NBSP}: choisissez dans la liste."


def between(bounds):
    """(1, 200) → "de 1 à 200"."""
    low, high = bounds
    return f"de {low} à {high}"


def choice_errors(missing):
    # Django's own messages repeat the value sent; these never do.
    return {
        "required": missing,
        "invalid_choice": NOT_IN_THE_LIST,
        "invalid_pk_value": NOT_IN_THE_LIST,
        "invalid_list": "Choisissez dans la liste.",
    }


def number_errors(missing, out_of_range):
    return {
        "required": missing,
        **dict.fromkeys(["invalid", "min_value", "max_value", "step_size"], out_of_range),
    }


# Each question has a short label too: its name in the staff's statistics tables.


def number_question(label, help_text, bounds, *, missing, out_of_range, short_label):
    low, high = bounds
    field = forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        error_messages=number_errors(missing, out_of_range),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    field.short_label = short_label
    return field


def age_question(label, seeker, *, missing, intro=""):
    """An age within the bounds of core.vocabularies.AGES, which the messages say."""
    ages = age_range(*AGES[seeker])
    bounds = f"{capfirst(ages)}."
    return number_question(
        label,
        f"{intro} {bounds}" if intro else bounds,
        AGES[seeker],
        missing=missing,
        out_of_range=f"Indiquez un âge en chiffres, {ages}.",
        short_label="Âge",
    )


def one_choice(label, queryset, *, missing, short_label):
    field = forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="slug",
        widget=forms.RadioSelect,
        error_messages=choice_errors(missing),
    )
    field.short_label = short_label
    return field


def several_choices(label, queryset, *, help_text, short_label):
    field = forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        queryset=queryset,
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_errors(""),
    )
    field.short_label = short_label
    return field


def modality_question(help_text):
    field = forms.ChoiceField(
        label=f"Comment préférez-vous vous rencontrer{NBSP}?",
        help_text=help_text,
        choices=[("", "Peu importe"), *Modality.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages=choice_errors(""),
    )
    field.short_label = "Rencontres"
    return field


def is_answer(value):
    """A number, a choice, or choices: not None, "" nor an empty list of choices."""
    return isinstance(value, int) or bool(value)


def preferred_modality(answers):
    """The line of a request's message that says the preferred way to meet, if any."""
    if modality := answers.get("modalite"):
        return [f"Rencontres de préférence {Modality(modality).words}."]
    return []


class QuestionnaireForm(ScreenedForm):
    """A questionnaire's questions. Subclasses say who answers and build their questionnaire."""

    seeker: Seeker

    def questionnaire(self):
        """The valid answers, as the questionnaire that matches them with the associations."""
        raise NotImplementedError

    def answered(self):
        """{parameter: value} of the valid answers given, even when others are not valid."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if is_answer(value)}

    def summary(self):
        """The valid answers that the request form has no field for, in words (its message)."""
        return "\n".join(self.summary_lines(self.answered()))

    def summary_lines(self, answers):
        return []


class YoungPersonForm(QuestionnaireForm):
    seeker = Seeker.YOUNG_PERSON

    age = age_question(
        f"Quel âge a le jeune{NBSP}?",
        Seeker.YOUNG_PERSON,
        intro="Le jeune, c’est vous ou votre enfant.",
        missing="Indiquez l’âge du jeune.",
    )
    situation = one_choice(
        f"Où en est le jeune{NBSP}?",
        Level.objects.all(),
        missing="Choisissez la classe ou la situation du jeune.",
        short_label="Situation",
    )
    besoins = several_choices(
        f"De quoi le jeune a-t-il besoin{NBSP}?",
        Need.objects.all(),
        help_text="Cochez tout ce qui compte pour lui ou pour elle. Vous pouvez ne rien cocher.",
        short_label="Besoins",
    )
    modalite = modality_question(
        "En présentiel, on se voit en vrai. À distance, on se parle par téléphone ou en visio."
    )
    situations_particulieres = several_choices(
        f"Le jeune est-il dans une de ces situations{NBSP}?",
        Audience.objects.all(),
        help_text="Facultatif. Certaines associations sont réservées à ces jeunes, "
        "ou les accueillent en priorité.",
        short_label="Situations particulières",
    )

    def questionnaire(self):
        answers = self.cleaned_data
        return YoungPerson(
            age=answers["age"],
            level=answers["situation"],
            needs=answers["besoins"],
            modality=answers["modalite"],
            audiences=answers["situations_particulieres"],
        )

    def summary_lines(self, answers):
        lines = []
        if needs := answers.get("besoins"):
            lines.append(sentence("Besoins", listing(need.name for need in needs)) + ".")
        lines += preferred_modality(answers)
        if audiences := answers.get("situations_particulieres"):
            names = listing(audience.name for audience in audiences)
            lines.append(sentence("Situation particulière", names) + ".")
        return lines


class VolunteerForm(QuestionnaireForm):
    seeker = Seeker.VOLUNTEER

    age = age_question(
        f"Quel âge avez-vous{NBSP}?",
        Seeker.VOLUNTEER,
        missing="Indiquez votre âge.",
    )
    situation = one_choice(
        f"Quelle est votre situation{NBSP}?",
        MentorProfile.objects.all(),
        missing="Choisissez votre situation.",
        short_label="Situation",
    )
    heures_par_mois = number_question(
        f"Combien d’heures par mois pouvez-vous donner{NBSP}?",
        f"En heures, {between(HOURS_PER_MONTH)}. Deux heures par semaine, c’est environ "
        f"9{NBSP}heures par mois.",
        HOURS_PER_MONTH,
        missing="Indiquez combien d’heures par mois vous pouvez donner.",
        out_of_range=f"Indiquez un nombre d’heures en chiffres, {between(HOURS_PER_MONTH)}.",
        short_label="Heures par mois",
    )
    mois = number_question(
        f"Pendant combien de mois pouvez-vous vous engager{NBSP}?",
        f"En mois, {between(MONTHS)}. Une année scolaire, c’est environ 9{NBSP}mois.",
        MONTHS,
        missing="Indiquez pendant combien de mois vous pouvez vous engager.",
        out_of_range=f"Indiquez un nombre de mois en chiffres, {between(MONTHS)}.",
        short_label="Mois d’engagement",
    )
    modalite = modality_question(
        "En présentiel, vous voyez le jeune en vrai. À distance, vous lui parlez par téléphone "
        "ou en visio."
    )

    def questionnaire(self):
        answers = self.cleaned_data
        return Volunteer(
            age=answers["age"],
            profile=answers["situation"],
            hours=answers["heures_par_mois"],
            months=answers["mois"],
            modality=answers["modalite"],
        )

    def summary_lines(self, answers):
        lines = []
        if "heures_par_mois" in answers and "mois" in answers:
            lines.append(
                f"Je peux donner {answers['heures_par_mois']}{NBSP}heures par mois pendant "
                f"{answers['mois']}{NBSP}mois."
            )
        return lines + preferred_modality(answers)


FORMS = {form.seeker: form for form in [YoungPersonForm, VolunteerForm]}
