"""Write docs/law.html, law.kk.html, law.ru.html and law.md: the decree's Kazakh text beside what encodes it.

Each paragraph, criterion and appendix item of Decree 535 (rules/kz-2015-decree-535/source/kk.txt,
cut into units by the pack's law.yaml) with the requirements, rules, time limits, parameters,
scoring entries and tests of the pack that encode it, or the reason nothing does
(clusterpolicy.authoring.lawdoc). Run it after changing the pack, its requirements or its cases::

    python docs/generate_law.py          # rewrite docs/law.html (en), law.kk.html, law.ru.html and law.md
    python docs/generate_law.py --check  # exit 1 if any is stale (used by the tests)

The HTML pages carry the commentary (headings, titles, notes, requirements where worded so) in
English, Kazakh and Russian; ``clusterpolicy law DIR`` makes the same page for a pack folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from clusterpolicy.authoring.lawdoc import generate

ROOT = Path(__file__).resolve().parents[1]
PACK = "kz-2015-decree-535"


def main(argv: list[str]) -> int:
    files = generate(PACK, ROOT)
    if "--check" in argv:
        stale = [str(path.relative_to(ROOT)) for path, text in files.items() if not path.is_file() or path.read_text("utf-8") != text]
        if stale:
            print(f"stale: {', '.join(stale)}; run python docs/generate_law.py", file=sys.stderr)
            return 1
        return 0
    for path, text in files.items():
        path.write_bytes(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
