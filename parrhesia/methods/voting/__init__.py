"""Counting votes: PrefLib/CSV readers and the counting rules used by Parrhesia.

Pure functions over :class:`~parrhesia.methods.voting.profile.Profile`; no Django. The rules are
described, with their sources, in ``docs/voting.md``.
"""

from parrhesia.methods.voting.approval import approval, by_scores, plurality
from parrhesia.methods.voting.irv import instant_runoff
from parrhesia.methods.voting.pairwise import pairwise_matrix
from parrhesia.methods.voting.preflib import BallotFileError, read_profile
from parrhesia.methods.voting.profile import Profile
from parrhesia.methods.voting.ranked_pairs import ranked_pairs, ranked_pairs_from_pairwise
from parrhesia.methods.voting.result import TallyResult
from parrhesia.methods.voting.schulze import schulze, schulze_from_pairwise
from parrhesia.methods.voting.status_quo import winner_beats_status_quo
from parrhesia.methods.voting.stv import scottish_stv

__all__ = [
    "BallotFileError",
    "Profile",
    "TallyResult",
    "approval",
    "by_scores",
    "instant_runoff",
    "pairwise_matrix",
    "plurality",
    "ranked_pairs",
    "ranked_pairs_from_pairwise",
    "read_profile",
    "schulze",
    "schulze_from_pairwise",
    "scottish_stv",
    "winner_beats_status_quo",
]
