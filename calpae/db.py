"""Model building blocks shared by the apps."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.db.models.functions import Coalesce

from calpae.money import quantize_cents


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


def sum_cents(queryset, field):
    """Sum of a money column, quantized to cents: SQLite's REAL storage adds float noise."""
    total = queryset.aggregate(total=Coalesce(Sum(field), Decimal("0")))["total"]
    return quantize_cents(total)
