"""Model building blocks shared by the apps."""

import uuid

from django.db import models


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
