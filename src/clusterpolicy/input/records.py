"""The procedure's own records: what the bodies of the procedure issue and decide, with their dates.

An application carries :class:`ApplicationRecords` (``application.records``): the two
conclusions on its concept (the authorized body's on the fit with the sector's development
priorities, and the regional-development body's on the fit with the Regional Development
Programme to 2020), the expert council's conclusion with the points scored, the date its
strategy was registered by the authorized body, and the amendments the applicant made. For an
association that did not take part in stage 1, the regional body's conclusion and the expert
council's analysis of its strategy and roadmap are the same two fields at stage 2.

A competition carries :class:`CompetitionRecords` (``competition.records``): the Commission's
decisions at stage 1 (the meeting, its protocol, the deadlines it sets for preparing the
strategies and roadmaps) and at stage 2 (the winners, the recommendation on co-financing).

Which provision asks for each record is the rule pack's business (``records.yaml``,
``procedure.yaml``, ``requirements.yaml``); a field left out means *not stated*.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from .models import Day, Model, Number, Stated, Str, Timestamp, require_unique


class Conclusion(Model):
    """A state body's conclusion on an application: who issued it, its number and date, its finding."""

    body: Str = Field(min_length=1, description="The body that issued it.")
    number: Str | None = Field(None, description="Its outgoing number.")
    date: Day | None = Field(None, description="The day it was issued.")
    request_registered_on: Day | None = Field(None, description="When the body registered the request for it.")
    fits: Stated = Field(None, description="The finding: the application fits the priorities or programme (true) or not (false).")


class ExpertConclusion(Model):
    """The expert council's conclusion (stage 1: with the points scored) or analysis (stage 2)."""

    number: Str | None = None
    date: Day | None = Field(None, description="The day the council adopted it.")
    points: Number | None = Field(None, ge=0, description="The points the concept scored, as the conclusion shows them.")
    summary: Str | None = Field(None, description="Its findings in a few words.")


class Amendment(Model):
    """An amendment the applicant made to its registered application, by written notice."""

    registered_at: Timestamp = Field(description="When the organiser registered the notice; without an offset, Asia/Almaty time.")
    description: Str | None = Field(None, description="What was changed.")


class ApplicationRecords(Model):
    """The records of the procedure that concern one application."""

    sector_conclusion: Conclusion | None = Field(None, description="The authorized body's conclusion on the fit with the sector's priorities.")
    regional_conclusion: Conclusion | None = Field(
        None, description="The regional-development body's conclusion on the fit with the Regional Development Programme."
    )
    expert_conclusion: ExpertConclusion | None = Field(None, description="Stage 1: the expert council's conclusion with the points scored.")
    expert_analysis: ExpertConclusion | None = Field(
        None, description="Stage 2, an association that skipped stage 1: the expert council's analysis of its strategy and roadmap."
    )
    strategy_registered_on: Day | None = Field(None, description="Stage 2: the day the authorized body registered the strategy and roadmap.")
    amendments: list[Amendment] = Field(default_factory=list)

    @property
    def last_amended_at(self) -> dt.datetime | None:
        """When the last amendment was registered; None without amendments."""
        return max((amendment.registered_at for amendment in self.amendments), default=None)


class Stage1Decision(Model):
    """The Commission's decision on the results of stage 1, and its protocol."""

    meeting_on: Day = Field(description="The day of the Commission's meeting.")
    protocol_number: Str | None = None
    protocol_date: Day | None = Field(None, description="The day the protocol was drawn up.")
    strategies_due: Day | None = Field(None, description="The deadline the protocol sets for preparing the strategies.")
    roadmaps_due: Day | None = Field(None, description="The deadline the protocol sets for preparing the roadmaps.")


class Stage2Decision(Model):
    """The Commission's decision on the winners of stage 2, and its protocol."""

    meeting_on: Day = Field(description="The day of the Commission's meeting.")
    protocol_number: Str | None = None
    protocol_date: Day | None = Field(None, description="The day the protocol was drawn up.")
    protocol_sent_on: Day | None = Field(None, description="The day the protocol was sent to the organiser.")
    winners: list[Str] = Field(default_factory=list, description="Ids of the applications the Commission named winners.")
    cofinancing_recommended: list[Str] = Field(
        default_factory=list, description="Ids of the applications recommended for state support co-financing their roadmap's initiatives."
    )

    @field_validator("winners", "cofinancing_recommended")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        require_unique(value, "application ids")
        return value


class CompetitionRecords(Model):
    """The records of the procedure that concern the whole competition."""

    stage1_decision: Stage1Decision | None = None
    stage2_decision: Stage2Decision | None = None


__all__ = [
    "Amendment",
    "ApplicationRecords",
    "CompetitionRecords",
    "Conclusion",
    "ExpertConclusion",
    "Stage1Decision",
    "Stage2Decision",
]
