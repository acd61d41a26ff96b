"""``python -m clusterpolicy``: the same as the ``clusterpolicy`` command."""

import sys

from .output.cli import main

sys.exit(main())
