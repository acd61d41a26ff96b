"""clusterpolicy: Kazakhstan's competitive selection of territorial clusters as rules-as-code.

The public API is what this module exports; everything else is private to the package.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import identifiers
from .affiliation import AffiliationResult, count_unaffiliated_legal_entities
from .competition import CompetitionReport, run_competition
from .errors import (
    CalendarError,
    ClusterPolicyError,
    IdentifierError,
    InputError,
    RulePackError,
    UsageError,
)
from .indicators import AreaStatistics, ClusterIndicators, cluster_indicators
from .reports import OfficialDocument, completeness_protocol, evaluation_protocol, return_notice, return_notices
from .scoring import (
    ApplicationScore,
    CompetitionOutcome,
    ScoringConfig,
    rank_competition,
    read_scoring,
    score_application,
)
from .terms import (
    add_calendar_days,
    add_months,
    add_working_days,
    is_on_time,
    is_working_day,
    latest_date_before,
    working_days_between,
)
from .timeline import Timeline, TimeLimit, compute_timeline, read_time_limits
from .whatif import WhatIfResult, what_if_weights
from .working_calendar import CalendarWarning, WorkingCalendar, default_calendar

try:
    __version__ = _version("clusterpolicy")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "CompetitionReport",
    "OfficialDocument",
    "completeness_protocol",
    "evaluation_protocol",
    "return_notice",
    "return_notices",
    "run_competition",
    "AffiliationResult",
    "CalendarError",
    "ClusterPolicyError",
    "IdentifierError",
    "InputError",
    "RulePackError",
    "UsageError",
    "__version__",
    "CalendarWarning",
    "TimeLimit",
    "Timeline",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "compute_timeline",
    "default_calendar",
    "is_on_time",
    "is_working_day",
    "latest_date_before",
    "read_time_limits",
    "working_days_between",
    "count_unaffiliated_legal_entities",
    "identifiers",
    "ApplicationScore",
    "AreaStatistics",
    "ClusterIndicators",
    "CompetitionOutcome",
    "ScoringConfig",
    "WhatIfResult",
    "cluster_indicators",
    "rank_competition",
    "read_scoring",
    "score_application",
    "what_if_weights",
]
