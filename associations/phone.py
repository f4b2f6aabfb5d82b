"""French phone numbers: stored as ten digits, shown as "06 36 15 26 43"."""

import re

from django.core.validators import RegexValidator
from django.db import models

SEPARATORS = re.compile(r"[\s.\-/()]")
FRENCH_NUMBER = re.compile(r"^0[1-9]\d{8}$")

validate_french_phone_number = RegexValidator(
    FRENCH_NUMBER,
    "Saisissez un numéro français à 10 chiffres, par exemple 06 36 15 26 43 ou +33 6 36 15 26 43.",
    code="invalid_phone",
)


def normalize_phone_number(value):
    """'+33 (0)6 36.15-26 43' -> '0636152643'; anything unrecognisable is returned as typed."""
    if not value:
        return ""
    digits = SEPARATORS.sub("", value.strip())
    for prefix in ("+33(0)", "+330", "+33", "0033"):
        if digits.startswith(prefix):
            digits = "0" + digits.removeprefix(prefix)
            break
    digits = digits.replace("(0)", "")
    return digits if FRENCH_NUMBER.match(digits) else value.strip()


def format_phone_number(value):
    """'0636152643' -> '06 36 15 26 43'."""
    if not value or not FRENCH_NUMBER.match(value):
        return value
    return " ".join(value[i : i + 2] for i in range(0, 10, 2))


def phone_number_uri(value):
    """'0636152643' -> 'tel:+33636152643', for a link a phone can dial."""
    return f"tel:+33{value[1:]}" if value and FRENCH_NUMBER.match(value) else ""


class FrenchPhoneNumberField(models.CharField):
    default_validators = [validate_french_phone_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone_number(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalize_phone_number(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
