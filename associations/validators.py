"""Validators shared by the directory's models: bounds that no real value crosses."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from core.vocabularies import PLAUSIBLE_AGES

# Bounds that no real value crosses: they catch typing mistakes.
AGE_BOUNDS = [MinValueValidator(PLAUSIBLE_AGES[0]), MaxValueValidator(PLAUSIBLE_AGES[1])]


FIRST_MENTORING_YEAR = 1900


def validate_not_future_year(year):
    if year is not None and year > timezone.localdate().year:
        raise ValidationError(
            "L’année %(year)s est dans le futur.", code="future_year", params={"year": year}
        )


def validate_not_future_date(day):
    if day is not None and day > timezone.localdate():
        raise ValidationError("Cette date est dans le futur.", code="future_date")
