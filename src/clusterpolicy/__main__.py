"""``python -m clusterpolicy``: the same as the ``clusterpolicy`` command."""

import gc

gc.disable()  # the command line's own imports too run with the collector paused (main() decides after)
from .output.cli import run  # noqa: E402

gc.enable()
run()
