"""A competition folder: an application id repeated across its files is a located error (the
competition is validated again with its applications as they are, never dumped and read again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterpolicy.core.errors import InputError
from clusterpolicy.input import loading

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"


def test_an_application_id_repeated_across_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "competition"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(folder / "01-karaganda-construction.yaml", folder / "99-copy.yaml")
    with pytest.raises(InputError) as caught:
        loading.load_competition(folder)
    assert caught.value.location.file == str(folder) and caught.value.location.path == ("applications",)
    assert "application ids must be unique; repeated: 01-karaganda-construction" in caught.value.message
