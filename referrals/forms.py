"""The short request form: who, how to reach them, age, situation, a message, consent.

Every field has a size limit and refuses control characters (line breaks are fine in
the message); a parameter sent twice is refused rather than silently reduced to one
value: core.forms screens what is posted as it screens the orientation's answers. A
hidden field catches robots. Messages are French, said next to the field, and never
repeat what was typed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import prefetch_related_objects

from associations.models import Association, Level, MentorProfile
from core.forms import ScreenedModelForm
from core.french import NBSP, listing, lower_first
from core.phone import phone_e164
from core.vocabularies import AGES, PARENTAL_CONSENT_AGE, Seeker

from .models import Referral

MESSAGE_MAX_LENGTH = 2000
TRAP_FIELD = "telecopie"  # robots fill in a fax number; people never see this field


def too_long(limit):
    return f"Ce texte est trop long\u00a0: {limit}\u00a0caractères au plus."


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
        label="J’accepte que ces informations soient transmises pour être mis en relation.",
        error_messages={"required": "Cochez cette case pour envoyer votre demande."},
    )
    message = forms.CharField(
        required=False, max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    telecopie = forms.CharField(
        label="Télécopie (laissez ce champ vide)",
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
        "email": "Courriel",
        "phone": "Téléphone",
        "message": "Votre message",
        "parent_name": "Nom et prénom du parent",
        "parent_contact": "Courriel ou téléphone du parent",
        "parent_consent": "Je suis le parent (ou le responsable légal) et j’accepte cette demande.",
    }
    # A form's fields, not a questionnaire's questions.
    screening_messages = {
        **ScreenedModelForm.screening_messages,
        "several": "Une seule réponse est possible pour ce champ.",
        "control": "Ce texte contient des caractères non autorisés.",
    }
    help_texts = {
        "phone": "Par exemple 06 12 34 56 78, ou +32 470 12 34 56 pour un numéro belge.",
        "message": "Facultatif. Ce que vous attendez, vos disponibilités, vos questions "
        f"({MESSAGE_MAX_LENGTH} caractères au plus).",
    }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.association = association
        self.instance.kind = self.seeker
        low, high = self.age_bounds()
        out_of_range = f"Indiquez un âge en chiffres, de {low} à {high}\u00a0ans."
        fields = self.fields
        fields["age"] = forms.IntegerField(
            min_value=low,
            max_value=high,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": "Indiquez l’âge.",
                **dict.fromkeys(["invalid", "min_value", "max_value", "step_size"], out_of_range),
            },
        )
        fields["situation"].queryset = self.situation_model.objects.all()
        fields["situation"].empty_label = "Choisissez dans la liste"
        fields["situation"].error_messages = {
            "required": "Choisissez une situation dans la liste.",
            "invalid_choice": "Ce choix n’existe pas\u00a0: choisissez dans la liste.",
        }
        fields["consent"].label = (
            f"J’accepte que ces informations soient transmises à {association.name} et à "
            "l’équipe de la Cité éducative de Roubaix pour être mis en relation."
        )
        fields["first_name"].error_messages["required"] = "Indiquez un prénom."
        fields["email"].error_messages["invalid"] = (
            "Saisissez une adresse de courriel valide, par exemple nom@exemple.fr."
        )
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
                "Votre demande n’a pas pu être envoyée. Réessayez, ou écrivez directement à "
                "l’association.",
                code="trap",
            )
        reachable = cleaned.get("email") or cleaned.get("phone") or cleaned.get("referent_email")
        if not reachable and "email" not in self.errors and "phone" not in self.errors:
            self.add_error(
                "email", "Indiquez un courriel ou un téléphone\u00a0: au moins l’un des deux."
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
        before = f"Avant {PARENTAL_CONSENT_AGE}\u00a0ans"
        if not cleaned.get("parent_name") and "parent_name" not in self.errors:
            self.add_error("parent_name", f"{before}, indiquez le nom d’un parent.")
        if not cleaned.get("parent_contact") and "parent_contact" not in self.errors:
            self.add_error("parent_contact", f"{before}, indiquez comment joindre un parent.")
        if not cleaned.get("parent_consent"):
            self.add_error("parent_consent", f"{before}, un parent doit donner son accord.")

    def clean_parent_contact(self):
        value = self.cleaned_data["parent_contact"].strip()
        if not value:
            return ""
        try:
            return parent_contact(value)
        except ValidationError:
            raise ValidationError(
                "Indiquez un courriel (nom@exemple.fr) ou un numéro de téléphone français ou "
                "belge.",
                code="invalid",
            ) from None


class YoungPersonReferralForm(ReferralForm):
    seeker = Seeker.YOUNG_PERSON
    situation_model = Level
    situation_field = "level"
    labels = {
        "first_name": "Prénom du jeune",
        "age": "Âge du jeune",
        "situation": "Où en est le jeune\u00a0?",
        "referent_structure": "Votre structure",
        "referent_email": "Votre courriel professionnel",
    }

    # A professional who accompanies the young person asks for them: they are the referent.
    is_professional = forms.BooleanField(
        label="Je suis un professionnel qui accompagne ce jeune", required=False
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
        self.fields["referent_structure"].help_text = (
            "Par exemple «\u00a0Centre social Fontaine\u00a0» ou «\u00a0Mission locale de "
            "Roubaix\u00a0»."
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
            "referent_structure": "Indiquez le nom de votre structure.",
            "referent_email": "Indiquez votre courriel professionnel.",
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
                f"{association.name} accompagne les jeunes {association.age_range}{NBSP}: elle "
                "ne pourra pas donner suite à cette demande. Le questionnaire «\u00a0Je cherche un "
                "mentor\u00a0» montre les associations qui conviennent, et le Collectif Mentorat "
                "vous conseille.",
            )


class VolunteerReferralForm(ReferralForm):
    seeker = Seeker.VOLUNTEER
    situation_model = MentorProfile
    situation_field = "mentor_profile"
    labels = {
        "first_name": "Votre prénom",
        "age": "Votre âge",
        "situation": "Votre situation",
    }
    elsewhere = (
        " Le questionnaire «\u00a0Je veux devenir mentor\u00a0» montre les associations qui vous "
        "accueilleraient."
    )

    def check_conditions(self, association, age, situation):
        if situation is None:
            return
        prefetch_related_objects([association], "acceptedmentorprofile_set__profile")
        accepted = [link.profile.name for link in association.acceptedmentorprofile_set.all()]
        if accepted and association.accepted_profile(situation) is None:
            self.add_error(
                "situation",
                f"{association.name} accueille ces mentors{NBSP}: "
                f"{listing(accepted)}.{self.elsewhere}",
            )
        elif (minimum := association.mentor_minimum_age(situation)) and age < minimum:
            self.add_error(
                "age",
                f"{association.name} accueille les mentors ({lower_first(situation.name)}) à "
                f"partir de {minimum}{NBSP}ans.{self.elsewhere}",
            )


FORMS = {form.seeker: form for form in [YoungPersonReferralForm, VolunteerReferralForm]}
