"""Ballot pages. Views turn requests into service calls (through ``kernel.forms.form_submit``)
and service errors into form errors or messages; what a page offers, it asks ``rules``.

One module per page family: ``opening`` (the list, a new ballot, an agenda item's ballot, the
defaults), ``quick`` (a quick proposal or poll), ``ballot`` (a ballot's page, voting, closing,
answering blocks), ``minority`` (minority reports), ``downloads`` (the files to recount from),
``receipts`` (a secret vote's receipt, the tracker search), ``proxies`` (a ballot's proxies),
``delegations`` (topic delegation, its graph and rules, mandates); ``urls.py`` uses this
package.
"""

from parrhesia.decisions.views.ballot import ballot_close, ballot_detail, ballot_vote, block_answer
from parrhesia.decisions.views.delegations import (
    delegation_graph,
    delegation_renew,
    delegation_revoke,
    delegation_settings,
    delegations_mine,
    mandates,
)
from parrhesia.decisions.views.downloads import ballot_json, ballots_csv, ballots_preflib
from parrhesia.decisions.views.minority import minority_report_cosign, minority_report_new
from parrhesia.decisions.views.opening import (
    agenda_item_ballot,
    ballot_list,
    ballot_new,
    policy_edit,
)
from parrhesia.decisions.views.proxies import proxy_give, proxy_revoke
from parrhesia.decisions.views.quick import quick_ballot_new
from parrhesia.decisions.views.receipts import receipt_download, tracker_search

__all__ = [
    "agenda_item_ballot",
    "ballot_close",
    "ballot_detail",
    "ballot_json",
    "ballot_list",
    "ballot_new",
    "ballot_vote",
    "ballots_csv",
    "ballots_preflib",
    "block_answer",
    "delegation_graph",
    "delegation_renew",
    "delegation_revoke",
    "delegation_settings",
    "delegations_mine",
    "mandates",
    "minority_report_cosign",
    "minority_report_new",
    "policy_edit",
    "proxy_give",
    "proxy_revoke",
    "quick_ballot_new",
    "receipt_download",
    "tracker_search",
]
