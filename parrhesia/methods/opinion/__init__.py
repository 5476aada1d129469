"""Opinion mapping in the manner of Polis: PCA, two-level k-means, representative statements,
consensus, bridging and routing. Pure: no Django. See ``docs/opinion.md`` for every formula.
"""

from parrhesia.methods.opinion.matrix import VoteMatrix
from parrhesia.methods.opinion.pipeline import ModelState, OpinionResult, analyze
from parrhesia.methods.opinion.polis_io import PolisExport, PolisFormatError, load_polis_export

__all__ = [
    "ModelState",
    "OpinionResult",
    "PolisExport",
    "PolisFormatError",
    "VoteMatrix",
    "analyze",
    "load_polis_export",
]
