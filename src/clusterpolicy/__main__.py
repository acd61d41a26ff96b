"""``python -m clusterpolicy``: the same as the ``clusterpolicy`` command."""

import gc
import sys

gc.disable()  # the command line's own imports too run with the collector paused (main() decides after)
from .output.cli import main  # noqa: E402

gc.enable()
sys.exit(main())
