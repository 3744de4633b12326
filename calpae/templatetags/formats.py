"""French display of amounts and dates: `{{ montant|euros }}` -> 1 125 000,00 €; `{{ date|date_fr }}` -> 31/03/2020."""

from django import template

from calpae.money import format_euros

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)


@register.filter
def date_fr(value):
    return value.strftime("%d/%m/%Y") if value else ""
