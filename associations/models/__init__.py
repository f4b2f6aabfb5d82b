"""The directory of mentoring associations: everything the brochure says of them.

Staff keep this data in the admin; every public page, the map, the
orientation and the exports read it from here and hard-code no fact.
"""

from ..validators import (
    AGE_BOUNDS,
    FIRST_MENTORING_YEAR,
    validate_not_future_date,
    validate_not_future_year,
)
from .association import Association
from .collective import Collective, CollectiveQuerySet, ImpactFigure, Testimonial
from .intake import WAITING_WEEKS, Intake
from .parts import (
    AcceptedMentorProfile,
    AssociationAudience,
    Contact,
    ContactQuerySet,
    Location,
    LocationQuerySet,
    ReviewItem,
    ReviewItemQuerySet,
)
from .querysets import AssociationQuerySet
from .vocabularies import (
    Audience,
    Level,
    MentorProfile,
    Need,
    PartnerType,
    Venue,
    Vocabulary,
    VocabularyQuerySet,
)

__all__ = [
    "Intake",
    "WAITING_WEEKS",
    "AGE_BOUNDS",
    "AcceptedMentorProfile",
    "Association",
    "AssociationAudience",
    "AssociationQuerySet",
    "Audience",
    "Collective",
    "CollectiveQuerySet",
    "Contact",
    "ContactQuerySet",
    "FIRST_MENTORING_YEAR",
    "ImpactFigure",
    "Level",
    "Location",
    "LocationQuerySet",
    "MentorProfile",
    "Need",
    "PartnerType",
    "ReviewItem",
    "ReviewItemQuerySet",
    "Testimonial",
    "Venue",
    "Vocabulary",
    "VocabularyQuerySet",
    "validate_not_future_date",
    "validate_not_future_year",
]
