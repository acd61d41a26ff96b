"""Kazakhstan's 12-digit identification numbers: BIN (legal entities) and IIN (individuals).

Both modules, :mod:`.bin` and :mod:`.iin`, have the same small API in the style of
python-stdnum: ``compact``, ``validate``, ``is_valid``, ``format`` and ``info``. Both numbers
end in the same check digit, computed here.

>>> calc_check_digit("94014000038")
'5'
"""

from __future__ import annotations

from . import bin, iin
from .util import calc_check_digit, clean_digits

__all__ = ["bin", "calc_check_digit", "clean_digits", "iin"]
