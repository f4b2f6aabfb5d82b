"""What people searched for in the orientation forms: criteria only, counted per ISO week.

No person, no address, no time finer than the week: a row says "in the week of
24 November, 3 searches for a 12-year-old at collège who wants help with
confidence found nothing". These counts show staff the unmet needs of the Cité
éducative; nothing in them can be traced back to anyone.
"""

import json
from datetime import timedelta

from django.db import connections, models, transaction
from django.utils import timezone

from core.vocabularies import Seeker


def week_of(day):
    """The Monday that starts the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


def iso_week(day):
    """2026-S48: the ISO week of `day`, as French calendars number it."""
    year, week, _ = day.isocalendar()
    return f"{year}-S{week:02d}"


def criteria_key(criteria):
    """The answers as one canonical text: same answers, same key, whatever their order."""
    canonical = {
        name: sorted(value) if isinstance(value, list | tuple) else value
        for name, value in criteria.items()
        if value not in (None, "", [], ())
    }
    return json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class WeeklySearchQuerySet(models.QuerySet):
    def record(self, seeker, criteria, *, found, found_with_places):
        """Count one search: `found` associations fit, `found_with_places` of them have places.

        One statement whatever happens (insert the week's row or add to it), so that two
        searches at the same moment never lose a count nor fail on the unique key.
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        without_result = int(found == 0)
        only_full = int(found > 0 and found_with_places == 0)
        columns = ["week", "seeker", "criteria", "searches", "without_result", "only_full"]
        # ON CONFLICT … DO UPDATE: PostgreSQL 9.5+ and SQLite 3.24+ alike.
        sql = (
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
            "VALUES (%s, %s, %s, 1, %s, %s) "
            f"ON CONFLICT ({', '.join(map(quote, columns[:3]))}) DO UPDATE SET "
            + ", ".join(
                f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}"
                for column in columns[3:]
            )
        )
        week = week_of(timezone.localdate())
        parameters = [week, seeker, criteria_key(criteria), without_result, only_full]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(sql, parameters)
            return
        # A count for the statistics, not a person's request: the visitor does not wait
        # for the disk (no fsync at the commit). A crash of the database server in the
        # following second may lose it; nothing else is written without waiting.
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(sql, parameters)

    def since(self, week):
        return self.filter(week__gte=week)

    def count_unmet(self):
        """Searches that found no association, or only associations with no place left."""
        total = self.aggregate(total=models.Sum(models.F("without_result") + models.F("only_full")))
        return total["total"] or 0


class WeeklySearch(models.Model):
    week = models.DateField("semaine du")
    seeker = models.CharField("questionnaire", max_length=10, choices=Seeker)
    criteria = models.TextField("critères")
    searches = models.PositiveIntegerField("recherches", default=0)
    without_result = models.PositiveIntegerField("sans résultat", default=0)
    only_full = models.PositiveIntegerField("seulement des associations complètes", default=0)

    objects = WeeklySearchQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "seeker", "criteria"]
        verbose_name = "recherche d’orientation (par semaine)"
        verbose_name_plural = "recherches d’orientation (par semaine)"
        constraints = [
            models.UniqueConstraint(
                fields=["week", "seeker", "criteria"], name="unique_weekly_search"
            )
        ]

    def __str__(self):
        return f"{self.get_seeker_display()}, semaine du {self.week:%d/%m/%Y}"

    @property
    def answers(self):
        """The criteria as a dictionary of parameter names and slugs (or numbers)."""
        return json.loads(self.criteria)

    @property
    def iso_week(self):
        return iso_week(self.week)
