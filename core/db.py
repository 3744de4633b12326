"""Model building blocks shared by the apps."""

import uuid

from django.db import models

# The most a text typed in a form may hold: a report's or a fiche's text (the longest of the seed documents is under
# 4 000 characters), and a short one (a label, a budget's sentence, an indicator value as written). The forms and
# the admin refuse more with a French message next to the field; pages, PDFs and workbooks stay fast.
TEXTE_LONG = 20_000
TEXTE_COURT = 2_000


class PublicIdModel(models.Model):
    """URLs carry a random public id, never the sequential primary key."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


def MoneyField(verbose_name, **kwargs):  # noqa: N802 - reads like a field class
    """Euros with cents, stored exactly (numeric on PostgreSQL; quantize aggregates on SQLite)."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


@models.IntegerField.register_lookup
class IntegerFieldIn(models.lookups.In):
    """`pk__in=[…]` with a number no column can hold matches nothing, as Django's own `pk=…` does (its integer
    lookups drop such a value, `in` does not): without it a submitted 10³⁰ is an OverflowError on SQLite, a full
    table scan on PostgreSQL. Registered on IntegerField, so every auto, big and small integer field has it."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            minimum, maximum = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                valeur
                for valeur in self.rhs
                if not isinstance(valeur, int)
                or ((minimum is None or valeur >= minimum) and (maximum is None or valeur <= maximum))
            ]
        return super().process_rhs(compiler, connection)
