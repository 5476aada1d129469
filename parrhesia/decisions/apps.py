from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """Decisions: ballots, counts anyone can redo, minority reports."""

    name = "parrhesia.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from parrhesia.decisions.services.leavers import membership_hand_overs_end
        from parrhesia.kernel.membership_hooks import membership_end_listener_register

        # orgs and the tribunal sit below this app: they end a membership through the kernel's
        # registry, and a departed member's delegations and proxies end in that transaction.
        membership_end_listener_register(membership_hand_overs_end)
