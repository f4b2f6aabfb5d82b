"""Other associations that fit the same answers, for a family whose request was declined
or went unanswered: the orientation's own matching, the declining association left out.

A request keeps the orientation's answers it came with (`orientation_answers`, a
query string of valid answers only, nothing typed freely): the same query sent to
another association's form fills it in again, as a result's link does. A request
made without the orientation is matched on its age and situation, when that is a
complete set of answers (a young person's).
"""

from django.http import QueryDict
from django.urls import reverse

from associations.models import Association
from core.vocabularies import Respondent, Seeker
from orientation.forms import FORMS as QUESTIONNAIRE_FORMS
from orientation.views import REFERRAL_LINKS

# Associations proposed in one message.
PROPOSED = 3
# The parameter that marks a request sent again from the family's message.
RESENT_PARAMETER = "suite"
# No stored answer is longer: anything longer is not the orientation's.
MAX_QUERY_LENGTH = 1000


def orientation_query(seeker, query):
    """The valid orientation answers of `query` (a QueryDict), as a query string."""
    return valid_query(QUESTIONNAIRE_FORMS[seeker](query), query)


def valid_query(form, query):
    """The answers of `query` that the bound questionnaire `form` finds valid."""
    answered = form.answered()
    kept = QueryDict(mutable=True)
    for name in form.fields:
        if name in answered:
            kept.setlist(name, query.getlist(name))
    return kept.urlencode()


def stored_query(seeker, text):
    """What a request form posted back as its orientation answers, checked again."""
    if not text or not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
        return ""  # nothing to check: no question is read
    return orientation_query(seeker, QueryDict(text))


def answers_of(referral):
    """The request's orientation answers, or its age and situation as answers."""
    query = QueryDict(referral.orientation_answers, mutable=True)
    if referral.age and "age" not in query:
        query["age"] = str(referral.age)
    if referral.situation and "situation" not in query:
        query["situation"] = referral.situation.slug
    if referral.kind == Seeker.YOUNG_PERSON and "qui" not in query:
        query["qui"] = respondent_of(referral)
    return query


def respondent_of(referral):
    if referral.is_professional:
        return Respondent.PROFESSIONAL.value
    return Respondent.PARENT.value if referral.needs_parent else Respondent.YOUNG_PERSON.value


def alternatives(referral, limit=PROPOSED):
    """[(association, link to send the same request to it)], best first; [] if none fits."""
    form = QUESTIONNAIRE_FORMS[referral.kind](answers_of(referral))
    if not form.is_valid():
        return []
    outcome = form.questionnaire().evaluate(
        Association.objects.exclude(pk=referral.association_id), per_page=limit
    )
    matches = list(outcome.matches) or outcome.nearest
    query = orientation_query(referral.kind, answers_of(referral))
    url_name = REFERRAL_LINKS[referral.kind][0]
    return [
        (
            match.association,
            f"{reverse(url_name, args=[match.association.slug])}?{query}&{RESENT_PARAMETER}=1",
        )
        for match in matches[:limit]
    ]
