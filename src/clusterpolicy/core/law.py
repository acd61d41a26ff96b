"""The vocabulary of the law shared by every layer: where a value comes from and what it is.

- :class:`Strict`: the one frozen base model of rule-pack content (unknown keys are errors);
- :class:`Citation`: a provision of an act, with the act's own words;
- :class:`Act`: the legal act a pack encodes, and when it was in force;
- :class:`Parameter`: a named value of a pack, with its citation and, where the law is silent,
  the choice made and why;
- :class:`ParamRef` (``{param: name}``): a reference to such a parameter from a rule or limit;
- :class:`StandIn`: what a pack takes from another act in place of an act that is not among its
  sources, declared so that results and documents can say so.
"""

import datetime as dt
from typing import Any, Literal, Union

from pydantic import Field, model_validator

from .base import Strict, new_list
from .i18n import Text


class Citation(Strict):
    """Where a rule, limit or value comes from: a provision of the pack's act."""

    provision: str = Field(min_length=1, description='e.g. "Rules p.6(3)", "Criteria 1.1", "Appendix 2 §3.1".')
    quote: str | None = Field(None, description="The provision's words in the act's own language.")
    act: str | None = Field(None, description="Another act, when the provision is not in the pack's own act.")


class Act(Strict):
    """The legal act a pack encodes, and when it was in force."""

    kind: str
    number: str
    title: Text
    adopted: dt.date | None = Field(None, description="The day it was adopted; None where the act states none (the KIRI methodology).")
    in_force_from: dt.date
    in_force_until: dt.date | None = None
    repealed_by: Text | None = Field(None, description="The act that repealed it, as it is named in kk, ru and en.")
    source_language: Literal["kk", "ru"]
    source: str | None = Field(None, description="Where the official text is published.")
    note: str | None = None


class Reading(Strict):
    """One reading of a choice the law does not make: the value it gives the parameter, and its name."""

    value: Any
    title: Text


class Parameter(Strict):
    """A named value of the pack, with where it comes from and, where the law is silent, why."""

    value: Any
    citation: Citation
    title: Text
    note: Text | str | None = Field(
        None, description="Required where the value is a choice the law does not make; kk/ru/en, or one text."
    )
    choice: bool = Field(False, description="True where the law is silent or contradicts itself.")
    readings: list[Reading] = Field(
        default_factory=new_list,
        description="For a choice: each reading of the text (the pack's ``value`` is usually one of them; a pack "
        "that extends another may set a value of its own); `clusterpolicy sensitivity` evaluates under each other one.",
    )

    @model_validator(mode="after")
    def _readings_of_a_choice(self) -> "Parameter":
        if self.readings:
            if not self.choice:
                raise ValueError("readings are given for a choice the law does not make (choice: true)")
            values = [reading.value for reading in self.readings]
            if any(_same(a, b) for i, a in enumerate(values) for b in values[i + 1 :]):
                raise ValueError("two readings give the same value")
        return self


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class StandIn(Strict):
    """Rules, time limits, parameters and scoring values a pack takes from another act (the act of
    the pack it extends) in place of an act that is not among its sources, and says so.

    The KIRI methodology leaves the order and criteria of selection to the authorized body
    (§3.2.2); its Order No. 1212 is not among the sources, so the methodology's pack takes those
    of Decree 535's Rules as a named stand-in. Every item listed here cites Decree 535, and
    every item of the pack that cites another act than the pack's own is listed in a stand-in
    (``clusterpolicy check``)."""

    source: Text = Field(description="The act the items come from, as it is named (Decree 535's Rules).")
    stands_for: Text = Field(description="The act they stand in for, which is not among the sources (Order No. 1212).")
    reason: Text = Field(description="Why a stand-in is needed, in the pack's own act's words where it has them.")
    citation: Citation = Field(description="Where the pack's own act leaves this to the other act.")
    rules: list[str] = Field(default_factory=new_list, description="Rule ids taken over as stand-ins.")
    time_limits: list[str] = Field(default_factory=new_list, description="Time limit ids taken over as stand-ins.")
    parameters: list[str] = Field(default_factory=new_list, description="Parameter names taken over as stand-ins.")
    scoring: list[str] = Field(default_factory=new_list, description="Keys of scoring.yaml taken over as stand-ins.")
    procedure: list[str] = Field(
        default_factory=new_list, description="Paths of procedure.yaml citing the other act (stages.1.status.returned)."
    )


class ParamRef(Strict):
    """``{param: name}``: the value of the pack's named parameter."""

    param: str


Value = Union[ParamRef, Any]
