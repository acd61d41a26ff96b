"""clusterpolicy: Kazakhstan's competitive selection of territorial clusters as rules-as-code.

The public API is what this module exports; everything else is private to the package.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import identifiers
from .affiliation import AffiliationResult, count_unaffiliated_legal_entities
from .errors import (
    CalendarError,
    ClusterPolicyError,
    IdentifierError,
    InputError,
    RulePackError,
    UsageError,
)

try:
    __version__ = _version("clusterpolicy")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "AffiliationResult",
    "CalendarError",
    "ClusterPolicyError",
    "IdentifierError",
    "InputError",
    "RulePackError",
    "UsageError",
    "__version__",
    "count_unaffiliated_legal_entities",
    "identifiers",
]
