"""The decisions' notices to an item's followers and voters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from parrhesia.notifications.notices import notice_register

notice_register("ballot_closed", gettext_lazy("The vote “%(ballot)s” has closed: see the result."))
notice_register(
    "minority_report",
    gettext_lazy("A minority report was filed on the vote “%(ballot)s”: “%(title)s”."),
)
