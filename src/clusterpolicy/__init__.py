"""clusterpolicy: Kazakhstan's competitive selection of territorial clusters as rules-as-code.

The public API is what ``__all__`` lists; each name is imported from its module the first
time it is used (as pydantic does), so ``import clusterpolicy`` stays cheap. Everything else
is reached through its module (docs/architecture.md names them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import _compat
from .core.version import library_version

_compat.install()

__version__ = library_version()

# name -> the module (relative to this package) that defines it
_DYNAMIC_IMPORTS: dict[str, str] = {
    # loading and evaluating
    "load_application": "input.loading",
    "load_competition": "input.loading",
    "Application": "input.models",
    "Competition": "input.models",
    "Participant": "input.models",
    "Applicant": "input.models",
    "ExpertSheet": "input.models",
    "json_schema": "input.models",
    "choose_pack_for": "evaluation",
    "to_json": "checks.results",
    "evaluate": "evaluation",
    "evaluate_competition": "evaluation",
    "ApplicationResult": "checks.results",
    "CompetitionResult": "checks.results",
    "RuleResult": "checks.results",
    "evaluate_lines": "batch",
    "BatchItem": "batch",
    "run_competition": "competition",
    "CompetitionReport": "competition",
    # rule packs
    "RulePack": "packs",
    "available_packs": "packs",
    "load_pack": "packs",
    "load_pack_from": "packs",
    "choose_pack": "packs",
    # official documents
    "OfficialDocument": "output.reports",
    "completeness_protocol": "output.reports",
    "evaluation_protocol": "output.reports",
    "return_notice": "output.reports",
    "return_notices": "output.reports",
    "make_report": "output.reports",
    # notebook views (pandas and matplotlib only when called: the ``notebook`` extra)
    "to_dataframe": "output.notebook",
    "to_html": "core.tables",
    "plot_timeline": "output.notebook",
    "plot_scores": "output.notebook",
    "plot_stability": "output.notebook",
    "save_png": "output.notebook",
    # working days and terms
    "CalendarWarning": "calendar.working_calendar",
    "WorkingCalendar": "calendar.working_calendar",
    "default_calendar": "calendar.working_calendar",
    "add_calendar_days": "calendar.terms",
    "add_months": "calendar.terms",
    "add_working_days": "calendar.terms",
    "is_on_time": "calendar.terms",
    "is_working_day": "calendar.terms",
    "latest_date_before": "calendar.terms",
    "working_days_between": "calendar.terms",
    # the procedure's time limits
    "TimeLimit": "procedure.timeline",
    "Timeline": "procedure.timeline",
    "compute_timeline": "procedure.timeline",
    "read_time_limits": "procedure.timeline",
    # affiliation (criteria 1.1)
    "AffiliationResult": "checks.affiliation",
    "count_unaffiliated_legal_entities": "checks.affiliation",
    # scoring
    "ApplicationScore": "scoring.scores",
    "CompetitionOutcome": "scoring.scores",
    "ScoringConfig": "scoring.scores",
    "rank_competition": "scoring.scores",
    "read_scoring": "scoring.scores",
    "score_application": "scoring.scores",
    "WhatIfResult": "scoring.whatif",
    "what_if_weights": "scoring.whatif",
    "AreaStatistics": "scoring.indicators",
    "ClusterIndicators": "scoring.indicators",
    "cluster_indicators": "scoring.indicators",
    # errors
    "CalendarError": "core.errors",
    "ClusterPolicyError": "core.errors",
    "IdentifierError": "core.errors",
    "InputError": "core.errors",
    "RulePackError": "core.errors",
    "UsageError": "core.errors",
    # identifiers (a subpackage: clusterpolicy.identifiers.bin, .iin)
    "identifiers": "identifiers",
}

__all__ = ["__version__", *sorted(_DYNAMIC_IMPORTS)]


def __getattr__(name: str) -> Any:
    module_name = _DYNAMIC_IMPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(f"{__name__}.{module_name}")
    value = module if name == module_name else getattr(module, name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and IDEs see
    from . import identifiers
    from .batch import BatchItem, evaluate_lines
    from .calendar.terms import (
        add_calendar_days,
        add_months,
        add_working_days,
        is_on_time,
        is_working_day,
        latest_date_before,
        working_days_between,
    )
    from .calendar.working_calendar import CalendarWarning, WorkingCalendar, default_calendar
    from .checks.affiliation import AffiliationResult, count_unaffiliated_legal_entities
    from .checks.results import ApplicationResult, CompetitionResult, RuleResult, to_json
    from .competition import CompetitionReport, run_competition
    from .core.errors import CalendarError, ClusterPolicyError, IdentifierError, InputError, RulePackError, UsageError
    from .evaluation import choose_pack_for, evaluate, evaluate_competition
    from .input.loading import load_application, load_competition
    from .core.tables import to_html
    from .input.models import Applicant, Application, Competition, ExpertSheet, Participant, json_schema
    from .output.notebook import plot_scores, plot_stability, plot_timeline, save_png, to_dataframe
    from .output.reports import (
        OfficialDocument,
        completeness_protocol,
        evaluation_protocol,
        make_report,
        return_notice,
        return_notices,
    )
    from .packs import RulePack, available_packs, choose_pack, load_pack, load_pack_from
    from .procedure.timeline import TimeLimit, Timeline, compute_timeline, read_time_limits
    from .scoring.indicators import AreaStatistics, ClusterIndicators, cluster_indicators
    from .scoring.scores import (
        ApplicationScore,
        CompetitionOutcome,
        ScoringConfig,
        rank_competition,
        read_scoring,
        score_application,
    )
    from .scoring.whatif import WhatIfResult, what_if_weights
