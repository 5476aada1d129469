"""The decisions' notices to an item's followers and voters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from parrhesia.notifications.notices import notice_register

notice_register("ballot_closed", gettext_lazy("The vote “%(ballot)s” has closed: see the result."))
# To the voter alone (notices are private, never on the record). It carries no tracker and no
# receipt code: a stored notice naming its recipient would link them to their ballot.
notice_register(
    "ballot_participated",
    gettext_lazy(
        "You took part in the secret vote “%(ballot)s”. Keep the receipt you were shown or"
        " downloaded: after the close, enter its tracker on the vote's page to see your ballot"
        " counted."
    ),
)
notice_register(
    "minority_report",
    gettext_lazy("A minority report was filed on the vote “%(ballot)s”: “%(title)s”."),
)
