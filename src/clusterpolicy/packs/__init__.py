"""Rule packs: one folder per legal act, loaded, validated and chosen by date.

A pack folder holds ``pack.yaml`` (the act's metadata and the pack's named parameters) and
topic files: ``eligibility.yaml``, ``documents.yaml``, ``contents.yaml`` (``rules:`` lists
for the engine), ``time-limits.yaml`` (``time_limits:``, read by :mod:`clusterpolicy.procedure.timeline`),
``scoring.yaml`` (``scoring:``, read by :mod:`clusterpolicy.scoring.config`). A pack may ``extend``
another: it then takes over that pack's rules, parameters, time limits, events and scoring, and
states only what it changes, merged by key (:mod:`.merge`, and
docs/rules.md, "A pack that extends another").

Loading validates everything and fails with the file and line: an unknown key, an unknown
rule kind, a missing translation, a duplicate rule id, a missing citation, a parameter that
is referred to but not defined. Packs are cached after the first load, and the shipped packs
kept on disk, validated, for the next process (:mod:`clusterpolicy.core.cache`).

The package's modules: :mod:`.model` (the pack), :mod:`.folder` (a pack folder's files and
digest), :mod:`.loading` (reading and validating a folder), :mod:`.merge` (the generic merge of
a pack that extends another), :mod:`.finding` (a pack by id or folder, and the pack in force
on a day), :mod:`.reform` (a pack with some parameters changed), :mod:`.cache` (the disk cache). Their public names are found here.
"""

from __future__ import annotations

from ..core.law import Act, Citation, Parameter
from .finding import choose_pack, is_pack_folder, load_pack, load_pack_from, resolve_pack
from .folder import available_packs, packs_root
from .reform import with_parameters
from .model import RULE_FILES, SCORING_FILE, TIME_LIMITS_FILE, VOCABULARY_FILE, PackHeader, RulePack, Vocabulary, Word

__all__ = [
    "RULE_FILES",
    "SCORING_FILE",
    "TIME_LIMITS_FILE",
    "VOCABULARY_FILE",
    "Act",
    "Citation",
    "PackHeader",
    "Parameter",
    "RulePack",
    "Vocabulary",
    "Word",
    "available_packs",
    "choose_pack",
    "is_pack_folder",
    "load_pack",
    "load_pack_from",
    "packs_root",
    "resolve_pack",
    "with_parameters",
]
