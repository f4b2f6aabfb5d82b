"""Phone numbers, French or Belgian: stored in E.164, shown as people write them.

Parsing, validity and formats come from `phonenumbers` (libphonenumber's metadata)
through django-phonenumber-field. This module only says which numbers the portal
accepts and how it shows them; every app uses it, none writes its own rule:

- a number typed without a country code is French (`PHONENUMBER_DEFAULT_REGION`);
  a Belgian one is typed with +32 or 0032, since "0470 12 34 56" is also French;
- only valid French and Belgian numbers are accepted (Roubaix borders Belgium),
  typed with digits and the usual separators, never letters;
- the database stores E.164 ("+33636152643"), or "" when there is no number;
- a French number is shown "06 36 15 26 43", a Belgian one "+32 470 12 34 56",
  and dialled through "tel:+33636152643".
"""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field import formfields, modelfields
from phonenumber_field.phonenumber import PhoneNumber, to_python

ACCEPTED_REGIONS = {"FR", "BE"}
# What a person may type besides digits. Letters would be read as a keypad's
# ("06 12 34 5A BC" dials 06 12 34 52 22) or as an extension, silently.
SEPARATORS = frozenset(" .-/()+")
INPUT_MAX_LENGTH = 30  # as typed; E.164 itself is 16 characters at most
STORED_MAX_LENGTH = 20  # E.164: "+" and 15 digits at most
INVALID_PHONE_NUMBER = (
    "Indiquez un numéro de téléphone français ou belge, par exemple 06 12 34 56 78 "
    "ou +32 470 12 34 56."
)


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _typed_as_a_phone_number(text):
    return all(char.isdecimal() or char.isspace() or char in SEPARATORS for char in text)


def parse_phone_number(value):
    """The accepted number that `value` is (as typed, as stored, or parsed), or None."""
    if is_blank(value):
        return None
    number = to_python(value.strip() if isinstance(value, str) else value)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        return None
    if number.raw_input and not _typed_as_a_phone_number(number.raw_input):
        return None
    if phonenumbers.region_code_for_number(number) not in ACCEPTED_REGIONS:
        return None
    return number


def validate_phone_number(value):
    if not is_blank(value) and parse_phone_number(value) is None:
        raise ValidationError(INVALID_PHONE_NUMBER, code="invalid")


def phone_e164(value):
    """The accepted number as stored ("+33636152643"), or None."""
    number = parse_phone_number(value)
    return number.as_e164 if number else None


def phone_display(value):
    """ "06 36 15 26 43" for a French number, "+32 470 12 34 56" for a Belgian one.

    Anything else is shown as it is: "" for no number.
    """
    if is_blank(value):
        return ""
    number = parse_phone_number(value)
    if number is None:
        return str(value)
    if phonenumbers.region_code_for_number(number) == "FR":
        return number.as_national
    return number.as_international


def phone_uri(value):
    """ "tel:+33636152643", for a link a phone can dial; "" without an accepted number."""
    number = phone_e164(value)
    return f"tel:{number}" if number else ""


class PhoneNumberInput(forms.TextInput):
    """A `tel` input: an accepted number shown as `phone_display` does, anything else as typed."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "tel", **(attrs or {})})

    def format_value(self, value):
        number = parse_phone_number(value)
        if number is not None:
            return phone_display(number)
        if isinstance(value, PhoneNumber):
            return value.raw_input
        return super().format_value(value)


class PhoneNumberFormField(formfields.PhoneNumberField):
    """A French or Belgian number, refused with the portal's French message."""

    default_error_messages = {"invalid": INVALID_PHONE_NUMBER}
    default_validators = [validate_phone_number]
    widget = PhoneNumberInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", INPUT_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class PhoneNumberField(modelfields.PhoneNumberField):
    """A French or Belgian number in E.164; "" when blank, so that `~Q(phone="")` holds."""

    default_validators = [validate_phone_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", STORED_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": PhoneNumberFormField, "max_length": INPUT_MAX_LENGTH, **kwargs}
        )
