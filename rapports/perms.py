"""Who may act on a report: transmit it, decide on it, comment, resolve a thread. Reading a report is reading its
exercice (conventions.perms); changing its texts is changing the exercice (`conventions.perms.can_edit`)."""

import rules

from conventions.perms import follows_exercice, is_agent, is_referent, rapport_is_editable


@rules.predicate
def rapport_awaits_decision(user, exercice):
    rapport = exercice.rapport_existant
    return rapport is not None and rapport.awaits_decision()


rules.add_perm("rapports.transmit", is_agent & follows_exercice & rapport_is_editable)
rules.add_perm("rapports.decide", is_referent & follows_exercice & rapport_awaits_decision)
rules.add_perm("rapports.comment", (is_agent | is_referent) & follows_exercice)
rules.add_perm("rapports.resolve", is_referent & follows_exercice)
rules.add_perm("rapports.decide_refaction", is_referent & follows_exercice)


def can_transmit(user, exercice) -> bool:
    return rules.has_perm("rapports.transmit", user, exercice)


def can_decide(user, exercice) -> bool:
    """Send back or accept: a référent who follows the collectivité, on a transmitted report."""
    return rules.has_perm("rapports.decide", user, exercice)


def can_comment(user, exercice) -> bool:
    """Both sides of the review write in the threads, whatever the report's state."""
    return rules.has_perm("rapports.comment", user, exercice)


def can_resolve(user, exercice) -> bool:
    return rules.has_perm("rapports.resolve", user, exercice)


def can_decide_refaction(user, exercice) -> bool:
    """Record the réfaction decided for an exercice: a référent who follows the collectivité (the agents read it)."""
    return rules.has_perm("rapports.decide_refaction", user, exercice)
