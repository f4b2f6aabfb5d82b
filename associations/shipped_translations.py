"""The Arabic and English translations shipped with the portal: the brochure's texts of
the ten associations and the vocabularies' terms (fixtures/brochure_translations.json).

Each text comes with the French it translates. A translation is written only into an
empty column, and only while the French is still that French: a translation staff wrote,
or a French text staff rewrote (its translation would no longer match), is left alone.
What is written is marked « à relire par un locuteur » (models.translation_review).

The migrations `0020_shipped_translations` and `0021_shipped_explanations` (the terms'
explanations, shipped later) apply them to an existing database; loading the brochure
(`seeding.load_brochure`, `manage.py seed`) applies them to the rows it writes, and the
seed's comparison expects them.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

from .models.translation_review import review_field

PATH = Path(settings.BASE_DIR) / "fixtures" / "brochure_translations.json"
SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@cache
def shipped():
    """{"associations": {slug: texts}, "vocabularies": {model name: {slug: texts}}}, where
    texts is {field: {"fr": …, "ar": …, "en": …}}."""
    return json.loads(PATH.read_text(encoding="utf-8"))


def translate(row, texts):
    """Fill `row`'s empty translations from `texts` where its French is still theirs, and
    tick the review box of each language filled; returns the columns it set (unsaved)."""
    changed = []
    for field, versions in texts.items():
        if getattr(row, f"{field}_{SOURCE}") != versions[SOURCE]:
            continue
        for code, text in versions.items():
            column = f"{field}_{code}"
            if code != SOURCE and not getattr(row, column):
                setattr(row, column, text)
                changed.append(column)
                if not getattr(row, review_field(code)):
                    setattr(row, review_field(code), True)
                    changed.append(review_field(code))
    return changed


def association_texts(slug):
    return shipped()["associations"].get(slug, {})


def apply(get_model, vocabularies=True):
    """Translate the rows the file knows of, saved; `get_model(name)` gives a model of
    the associations app (the migration's historical models, or the app's own).

    `vocabularies=False`: the associations only (the brochure, loaded again, does not
    touch the vocabularies).
    """
    association = get_model("Association")
    rows = [(association, slug, texts) for slug, texts in shipped()["associations"].items()]
    for name, terms in shipped()["vocabularies"].items() if vocabularies else ():
        rows += [(get_model(name), slug, texts) for slug, texts in terms.items()]
    for model, slug, texts in rows:
        row = model._base_manager.filter(slug=slug).first()
        if row is not None and (changed := translate(row, texts)):
            model._base_manager.filter(pk=row.pk).update(
                **{column: getattr(row, column) for column in changed}
            )
