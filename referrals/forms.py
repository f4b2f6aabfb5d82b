"""The short request form: who, how to reach them, age, situation, a message, consent.

Every field has a size limit and refuses control characters (line breaks are fine in
the message); a parameter sent twice is refused rather than silently reduced to one
value: core.forms screens what is posted as it screens the orientation's answers. A
hidden field catches robots. Messages are in the visitor's language (French source
texts, translated), said next to the field, and never repeat what was typed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from associations.models import Association, Level, MentorProfile
from core.forms import ScreenedModelForm
from core.french import age_range, listing, lower_first
from core.phone import phone_e164
from core.vocabularies import AGES, PARENTAL_CONSENT_AGE, Seeker

from .models import Referral

MESSAGE_MAX_LENGTH = 2000
TRAP_FIELD = "telecopie"  # robots fill in a fax number; people never see this field


def too_long(limit):
    return ngettext(
        "Ce texte est trop long : %(limit)s caractère au plus.",
        "Ce texte est trop long : %(limit)s caractères au plus.",
        limit,
    ) % {"limit": limit}


def parent_contact(value):
    """A parent's e-mail address, or French or Belgian phone number in E.164, as stored."""
    if "@" in value:
        validate_email(value)
        return value
    number = phone_e164(value)
    if number is None:
        raise ValidationError("Not a phone number.", code="invalid")
    return number


class ReferralForm(ScreenedModelForm):
    seeker = None
    situation_model = None
    situation_field = ""  # the model field that stores the situation
    labels = {}

    situation = forms.ModelChoiceField(queryset=Level.objects.none(), to_field_name="slug")
    consent = forms.BooleanField(
        label=gettext_lazy(
            "J’accepte que ces informations soient transmises pour être mis en relation."
        ),
        error_messages={"required": gettext_lazy("Cochez cette case pour envoyer votre demande.")},
    )
    message = forms.CharField(
        required=False, max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    telecopie = forms.CharField(
        label=gettext_lazy("Télécopie (laissez ce champ vide)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Referral
        fields = [
            "first_name",
            "age",
            "email",
            "phone",
            "message",
            "parent_name",
            "parent_contact",
            "parent_consent",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    common_labels = {
        "email": gettext_lazy("Courriel"),
        "phone": gettext_lazy("Téléphone"),
        "message": gettext_lazy("Votre message"),
        "parent_name": gettext_lazy("Nom et prénom du parent"),
        "parent_contact": gettext_lazy("Courriel ou téléphone du parent"),
        "parent_consent": gettext_lazy(
            "Je suis le parent (ou le responsable légal) et j’accepte cette demande."
        ),
    }
    # A form's fields, not a questionnaire's questions; in the visitor's language.
    screening_messages = {
        **ScreenedModelForm.screening_messages,
        "several": gettext_lazy("Une seule réponse est possible pour ce champ."),
        "too_many": gettext_lazy("Trop de réponses : {max_values} au plus."),
        "too_long": gettext_lazy("Cette réponse est trop longue."),
        "control": gettext_lazy("Ce texte contient des caractères non autorisés."),
    }
    help_texts = {
        "phone": gettext_lazy(
            "Par exemple 06 12 34 56 78, ou +32 470 12 34 56 pour un numéro belge."
        ),
    }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.association = association
        self.instance.kind = self.seeker
        low, high = self.age_bounds()
        out_of_range = _("Indiquez un âge en chiffres, de %(low)s à %(high)s ans.") % {
            "low": low,
            "high": high,
        }
        fields = self.fields
        fields["age"] = forms.IntegerField(
            min_value=low,
            max_value=high,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": _("Indiquez l’âge."),
                **dict.fromkeys(["invalid", "min_value", "max_value", "step_size"], out_of_range),
            },
        )
        fields["situation"].queryset = self.situation_model.objects.all()
        fields["situation"].empty_label = _("Choisissez dans la liste")
        fields["situation"].error_messages = {
            "required": _("Choisissez une situation dans la liste."),
            "invalid_choice": _("Ce choix n’existe pas : choisissez dans la liste."),
        }
        fields["consent"].label = _(
            "J’accepte que ces informations soient transmises à %(association)s et à "
            "l’équipe de la Cité éducative de Roubaix pour être mis en relation."
        ) % {"association": association.name}
        fields["first_name"].error_messages["required"] = _("Indiquez un prénom.")
        fields["email"].error_messages["invalid"] = _(
            "Saisissez une adresse de courriel valide, par exemple nom@exemple.fr."
        )
        fields["message"].help_text = _(
            "Facultatif. Ce que vous attendez, vos disponibilités, vos questions "
            "(%(limit)s caractères au plus)."
        ) % {"limit": MESSAGE_MAX_LENGTH}
        for name, label in {**self.common_labels, **self.labels}.items():
            fields[name].label = label
        for name, field in fields.items():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = too_long(field.max_length)
            if name in self.help_texts:
                field.help_text = self.help_texts[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(TRAP_FIELD):
            raise ValidationError(
                _(
                    "Votre demande n’a pas pu être envoyée. Réessayez, ou écrivez directement "
                    "à l’association."
                ),
                code="trap",
            )
        reachable = cleaned.get("email") or cleaned.get("phone") or cleaned.get("referent_email")
        if not reachable and "email" not in self.errors and "phone" not in self.errors:
            self.add_error(
                "email", _("Indiquez un courriel ou un téléphone : au moins l’un des deux.")
            )
        age = cleaned.get("age")
        if age is not None and age < PARENTAL_CONSENT_AGE:
            self.require_a_parent(cleaned)
        if age is not None:
            self.check_conditions(self.instance.association, age, cleaned.get("situation"))
        setattr(self.instance, self.situation_field, cleaned.get("situation"))
        return cleaned

    def age_bounds(self):
        return AGES[self.seeker]

    def check_conditions(self, association, age, situation):
        """Refuse, saying why, a request that the association's stated conditions exclude."""

    def require_a_parent(self, cleaned):
        age = {"age": PARENTAL_CONSENT_AGE}
        if not cleaned.get("parent_name") and "parent_name" not in self.errors:
            self.add_error(
                "parent_name", _("Avant %(age)s ans, indiquez le nom d’un parent.") % age
            )
        if not cleaned.get("parent_contact") and "parent_contact" not in self.errors:
            self.add_error(
                "parent_contact",
                _("Avant %(age)s ans, indiquez comment joindre un parent.") % age,
            )
        if not cleaned.get("parent_consent"):
            self.add_error(
                "parent_consent",
                _("Avant %(age)s ans, un parent doit donner son accord.") % age,
            )

    def clean_parent_contact(self):
        value = self.cleaned_data["parent_contact"].strip()
        if not value:
            return ""
        try:
            return parent_contact(value)
        except ValidationError:
            raise ValidationError(
                _(
                    "Indiquez un courriel (nom@exemple.fr) ou un numéro de téléphone français "
                    "ou belge."
                ),
                code="invalid",
            ) from None


class YoungPersonReferralForm(ReferralForm):
    seeker = Seeker.YOUNG_PERSON
    situation_model = Level
    situation_field = "level"
    labels = {
        "first_name": gettext_lazy("Prénom du jeune"),
        "age": gettext_lazy("Âge du jeune"),
        "situation": gettext_lazy("Où en est le jeune ?"),
        "referent_structure": gettext_lazy("Votre structure"),
        "referent_email": gettext_lazy("Votre courriel professionnel"),
    }

    # A professional who accompanies the young person asks for them: they are the referent.
    is_professional = forms.BooleanField(
        label=gettext_lazy("Je suis un professionnel qui accompagne ce jeune"), required=False
    )

    class Meta(ReferralForm.Meta):
        fields = [*ReferralForm.Meta.fields, "referent_structure", "referent_email"]
        widgets = {
            **ReferralForm.Meta.widgets,
            "referent_structure": forms.TextInput(attrs={"autocomplete": "organization"}),
            "referent_email": forms.EmailInput(attrs={"autocomplete": "work email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent_structure"].help_text = _(
            "Par exemple « Centre social Fontaine » ou « Mission locale de Roubaix »."
        )
        self.fields["referent_email"].error_messages["invalid"] = self.fields[
            "email"
        ].error_messages["invalid"]

    def clean(self):
        if not self.cleaned_data.get("is_professional"):
            # Not a professional: what was typed in their fields makes no referent.
            for name in ["referent_structure", "referent_email"]:
                self.errors.pop(name, None)
                self.cleaned_data[name] = ""
            return super().clean()
        cleaned = super().clean()
        for name, missing in {
            "referent_structure": _("Indiquez le nom de votre structure."),
            "referent_email": _("Indiquez votre courriel professionnel."),
        }.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, missing)
        return cleaned

    def age_bounds(self):
        """The ages the associations of the directory state (the orientation's too)."""
        return Association.objects.young_age_bounds()

    def check_conditions(self, association, age, situation):
        if not association.serves_age(age):
            self.add_error(
                "age",
                _(
                    "%(association)s accompagne les jeunes %(ages)s : elle ne pourra pas "
                    "donner suite à cette demande. Le questionnaire « Je cherche un "
                    "mentor » montre les associations qui conviennent, et le Collectif "
                    "Mentorat vous conseille."
                )
                % {
                    "association": association.name,
                    "ages": age_range(association.age_min, association.age_max),
                },
            )


class VolunteerReferralForm(ReferralForm):
    seeker = Seeker.VOLUNTEER
    situation_model = MentorProfile
    situation_field = "mentor_profile"
    labels = {
        "first_name": gettext_lazy("Votre prénom"),
        "age": gettext_lazy("Votre âge"),
        "situation": gettext_lazy("Votre situation"),
    }

    def check_conditions(self, association, age, situation):
        if situation is None:
            return
        prefetch_related_objects([association], "acceptedmentorprofile_set__profile")
        accepted = [link.profile.name for link in association.acceptedmentorprofile_set.all()]
        if accepted and association.accepted_profile(situation) is None:
            self.add_error(
                "situation",
                _(
                    "%(association)s accueille ces mentors : %(profiles)s. Le "
                    "questionnaire « Je veux devenir mentor » montre les associations "
                    "qui vous accueilleraient."
                )
                % {"association": association.name, "profiles": listing(accepted)},
            )
        elif (minimum := association.mentor_minimum_age(situation)) and age < minimum:
            self.add_error(
                "age",
                _(
                    "%(association)s accueille les mentors (%(profile)s) à partir de "
                    "%(age)s ans. Le questionnaire « Je veux devenir mentor » "
                    "montre les associations qui vous accueilleraient."
                )
                % {
                    "association": association.name,
                    "profile": lower_first(situation.name),
                    "age": minimum,
                },
            )


FORMS = {form.seeker: form for form in [YoungPersonReferralForm, VolunteerReferralForm]}
