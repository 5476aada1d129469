"""Deliberation pages. Views turn requests into service calls (``kernel.forms.form_submit`` for
a form, ``service_said`` for a button) and service errors into form errors or messages; every
page works without JavaScript, htmx only swaps fragments in place. What a page offers it asks
of rules.py through ``has_perm``, as the services do.

One module per part: ``agenda`` (index, search, policy), ``items``, ``motions`` (with their
suggestions), ``arguments`` (the map, challenges), ``questions``; ``_shared`` holds what they
share. urls.py names the views through this package.
"""

from parrhesia.agenda.views.agenda import agenda_index, agenda_search, policy_edit
from parrhesia.agenda.views.arguments import (
    argument_challenge,
    argument_detail,
    argument_endorse,
    argument_map,
    argument_reply,
    argument_revise,
    argument_withdraw,
    challenge_answer,
)
from parrhesia.agenda.views.items import (
    item_alternative,
    item_detail,
    item_follow,
    item_follow_up,
    item_open,
    item_phase,
)
from parrhesia.agenda.views.motions import (
    motion_detail,
    motion_diff,
    motion_revise,
    motion_support,
    motion_withdraw,
    suggestion_decide,
    suggestion_new,
    suggestion_rate,
    suggestion_withdraw,
)
from parrhesia.agenda.views.questions import (
    question_detail,
    question_link,
    question_new,
    question_register,
    question_status,
    question_withdraw,
)

__all__ = [
    "agenda_index",
    "agenda_search",
    "argument_challenge",
    "argument_detail",
    "argument_endorse",
    "argument_map",
    "argument_reply",
    "argument_revise",
    "argument_withdraw",
    "challenge_answer",
    "item_alternative",
    "item_detail",
    "item_follow",
    "item_follow_up",
    "item_open",
    "item_phase",
    "motion_detail",
    "motion_diff",
    "motion_revise",
    "motion_support",
    "motion_withdraw",
    "policy_edit",
    "question_detail",
    "question_link",
    "question_new",
    "question_register",
    "question_status",
    "question_withdraw",
    "suggestion_decide",
    "suggestion_new",
    "suggestion_rate",
    "suggestion_withdraw",
]
