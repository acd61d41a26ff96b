"""Rule packs shipped with clusterpolicy: one folder per legal act (see README.md beside this file)."""
