"""clusterpolicy: Kazakhstan's competitive selection of territorial clusters as rules-as-code.

The public API is what ``__all__`` lists; each name is imported from its module the first
time it is used (as pydantic does), so ``import clusterpolicy`` stays cheap. Everything else
is reached through its module (docs/architecture.md names them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# name -> the module (relative to this package) that defines it
_DYNAMIC_IMPORTS: dict[str, str] = {
    # loading and evaluating
    "load_application": "input.loading",
    "load_competition": "input.loading",
    "parse_application": "input.loading",
    "parse_competition": "input.loading",
    "Application": "input.decree535_form",
    "Competition": "input.decree535_form",
    "Participant": "input.decree535_form",
    "Applicant": "input.decree535_form",
    "ExpertSheet": "input.decree535_form",
    "json_schema": "input.decree535_form",
    "choose_pack_for": "evaluation",
    "to_json": "checks.results",
    "evaluate": "evaluation",
    "evaluate_competition": "evaluation",
    "ApplicationResult": "checks.results",
    "CompetitionResult": "checks.results",
    "RuleResult": "checks.results",
    "ResultWarning": "checks.results",
    "result_schema": "output.schemas",
    "TimelineResult": "output.schemas",
    "timeline_result": "output.schemas",
    "evaluate_lines": "batch",
    "BatchItem": "batch",
    "run_competition": "competition",
    "CompetitionReport": "competition",
    # what would change the verdicts (docs/remedies.md)
    "compare": "comparison",
    "Comparison": "comparison",
    "sensitivity": "comparison",
    "Sensitivity": "comparison",
    "Remedy": "checks.results",
    "apply_patch": "checks.patch",
    "with_parameters": "packs",
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
    "review_protocol": "output.reports",
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
    "ApplicationScore": "scoring.marks",
    "CompetitionOutcome": "scoring.ranking",
    "ScoringConfig": "scoring.config",
    "rank_competition": "scoring.ranking",
    "read_scoring": "scoring.config",
    "score_application": "scoring.marks",
    "WhatIfResult": "scoring.whatif",
    "what_if_weights": "scoring.whatif",
    "WeightedRanking": "scoring.whatif",
    "rank_with_weights": "scoring.whatif",
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
    if name == "__version__":  # read from the installed metadata when first asked for
        from .core.version import library_version

        globals()[name] = library_version()
        return globals()[name]
    module_name = _DYNAMIC_IMPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(f"{__name__}.{module_name}")
    value = module if name == module_name else getattr(module, name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and IDEs see (``x as x``: an explicit re-export for mypy --strict)
    __version__: str
    from . import identifiers as identifiers
    from .batch import BatchItem as BatchItem, evaluate_lines as evaluate_lines
    from .calendar.terms import (
        add_calendar_days as add_calendar_days,
        add_months as add_months,
        add_working_days as add_working_days,
        is_on_time as is_on_time,
        is_working_day as is_working_day,
        latest_date_before as latest_date_before,
        working_days_between as working_days_between,
    )
    from .calendar.working_calendar import CalendarWarning as CalendarWarning, WorkingCalendar as WorkingCalendar, default_calendar as default_calendar
    from .checks.affiliation import AffiliationResult as AffiliationResult, count_unaffiliated_legal_entities as count_unaffiliated_legal_entities
    from .checks.results import ApplicationResult as ApplicationResult, CompetitionResult as CompetitionResult, ResultWarning as ResultWarning, RuleResult as RuleResult, to_json as to_json
    from .competition import CompetitionReport as CompetitionReport, run_competition as run_competition
    from .core.errors import CalendarError as CalendarError, ClusterPolicyError as ClusterPolicyError, IdentifierError as IdentifierError, InputError as InputError, RulePackError as RulePackError, UsageError as UsageError
    from .evaluation import choose_pack_for as choose_pack_for, evaluate as evaluate, evaluate_competition as evaluate_competition
    from .input.loading import load_application as load_application, load_competition as load_competition, parse_application as parse_application, parse_competition as parse_competition
    from .core.tables import to_html as to_html
    from .input.decree535_form import Applicant as Applicant, Application as Application, Competition as Competition, ExpertSheet as ExpertSheet, Participant as Participant, json_schema as json_schema
    from .output.notebook import plot_scores as plot_scores, plot_stability as plot_stability, plot_timeline as plot_timeline, save_png as save_png, to_dataframe as to_dataframe
    from .output.reports import (
        OfficialDocument as OfficialDocument,
        completeness_protocol as completeness_protocol,
        evaluation_protocol as evaluation_protocol,
        make_report as make_report,
        return_notice as return_notice,
        return_notices as return_notices,
        review_protocol as review_protocol,
    )
    from .output.schemas import TimelineResult as TimelineResult, result_schema as result_schema, timeline_result as timeline_result
    from .packs import RulePack as RulePack, available_packs as available_packs, choose_pack as choose_pack, load_pack as load_pack, load_pack_from as load_pack_from
    from .procedure.timeline import TimeLimit as TimeLimit, Timeline as Timeline, compute_timeline as compute_timeline, read_time_limits as read_time_limits
    from .scoring.indicators import AreaStatistics as AreaStatistics, ClusterIndicators as ClusterIndicators, cluster_indicators as cluster_indicators
    from .scoring.config import ScoringConfig as ScoringConfig, read_scoring as read_scoring
    from .scoring.marks import ApplicationScore as ApplicationScore, score_application as score_application
    from .scoring.ranking import CompetitionOutcome as CompetitionOutcome, rank_competition as rank_competition
    from .scoring.whatif import WeightedRanking as WeightedRanking, WhatIfResult as WhatIfResult, rank_with_weights as rank_with_weights, what_if_weights as what_if_weights
