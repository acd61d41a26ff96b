"""The shipped packs kept on disk, validated (clusterpolicy.packs.cache): a pack read from the
cache is the pack read from its files, any change of a pack's file is seen, and a cache that
cannot be used is passed over."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from clusterpolicy import evaluate
from clusterpolicy.input.decree535_form import Application
from clusterpolicy.packs import cache, finding, folder
from clusterpolicy.testing import application_data

from conftest import DECREE, METHODOLOGY, RULES


def _forget() -> None:
    """Empty the caches of this process: the next load reads the disk cache or the files."""
    for cached in (finding.load_pack, finding.shipped_key, finding._shipped_headers, folder._shipped_ids,
                   folder.shipped_digest, folder.shipped_contents, folder.shipped_header, folder.shipped_identity):
        cached.cache_clear()


@pytest.fixture()
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped packs standing in for them, and an empty cache folder of the test's own."""
    root = tmp_path / "rules"
    for pack_id in (DECREE, METHODOLOGY):
        shutil.copytree(RULES / pack_id, root / pack_id)
    monkeypatch.setattr(folder, "packs_root", lambda: root)
    monkeypatch.setattr(finding, "packs_root", lambda: root)
    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path / "cache"))
    _forget()
    yield root
    _forget()


def _kept(tmp_path: Path) -> list[str]:
    folder_ = tmp_path / "cache"
    return sorted(path.name for path in folder_.glob("*.pickle")) if folder_.exists() else []


def _same(first, second) -> None:
    assert first.header.model_dump() == second.header.model_dump()
    assert [rule.model_dump() for rule in first.rules] == [rule.model_dump() for rule in second.rules]
    assert [rule.model_dump() for rule in first.raw_rules] == [rule.model_dump() for rule in second.raw_rules]
    assert first.gates == second.gates and first.lines == second.lines
    assert [limit.model_dump() for limit in first.time_limits] == [limit.model_dump() for limit in second.time_limits]
    assert {k: v.model_dump() for k, v in first.time_limit_events.items()} == {k: v.model_dump() for k, v in second.time_limit_events.items()}
    assert (first.scoring and first.scoring.model_dump()) == (second.scoring and second.scoring.model_dump())
    assert {f: {k: w.model_dump() for k, w in words.items()} for f, words in first.vocabulary.items()} == {
        f: {k: w.model_dump() for k, w in words.items()} for f, words in second.vocabulary.items()
    }
    assert (first.procedure and first.procedure.model_dump()) == (second.procedure and second.procedure.model_dump())
    assert first.digest == second.digest and first.origin == second.origin and first.version == second.version
    assert str(first.folder) == str(second.folder)


@pytest.mark.parametrize("pack_id", [DECREE, METHODOLOGY])
def test_a_pack_from_the_cache_is_the_pack_from_its_files(shipped: Path, tmp_path: Path, pack_id: str) -> None:
    fresh = finding.load_pack(pack_id)  # read from the files, and kept
    assert f"pack-{pack_id}-" in " ".join(_kept(tmp_path))
    _forget()
    kept = finding.load_pack(pack_id)
    assert kept is not fresh and isinstance(kept.sources, cache.Deferred)  # read from the cache
    _same(kept, fresh)
    # the sources (a pack extending it, --set) are read from the files when asked for
    assert set(kept.sources) == set(fresh.sources)
    assert kept.sources["pack.yaml"].data == fresh.sources["pack.yaml"].data
    assert kept.sources["pack.yaml"].lines == fresh.sources["pack.yaml"].lines


def test_evaluating_under_a_cached_pack_writes_the_same_bytes(shipped: Path) -> None:
    application = Application.model_validate(application_data(1))
    fresh = finding.load_pack(METHODOLOGY)
    _forget()
    kept = finding.load_pack(METHODOLOGY)
    assert isinstance(kept.sources, cache.Deferred)
    for lang in ("kk", "ru", "en"):
        assert evaluate(application, pack=kept, lang=lang).to_json() == evaluate(application, pack=fresh, lang=lang).to_json()
    from clusterpolicy.packs import with_parameters

    name = next(iter(fresh.parameters))
    value = fresh.parameter(name)
    assert with_parameters(kept, {name: value}) is kept  # the same value: the pack itself


def test_a_changed_pack_file_is_seen(shipped: Path, tmp_path: Path) -> None:
    before = finding.load_pack(DECREE)
    title = before.rules[0].title.en
    _forget()
    assert isinstance(finding.load_pack(DECREE).sources, cache.Deferred)  # kept
    eligibility = shipped / DECREE / "eligibility.yaml"
    text = eligibility.read_text("utf-8")
    assert text.count(title) >= 1
    eligibility.write_text(text.replace(title, title + " (changed)", 1), "utf-8")
    _forget()
    after = finding.load_pack(DECREE)
    assert not isinstance(after.sources, cache.Deferred)  # another key: read from the files
    assert after.rules[0].title.en == title + " (changed)"
    assert after.digest != before.digest
    _forget()
    again = finding.load_pack(DECREE)
    assert isinstance(again.sources, cache.Deferred) and again.rules[0].title.en == title + " (changed)"


def test_a_changed_file_beside_the_rules_is_seen_too(shipped: Path) -> None:
    """Any file of any shipped pack is in the key: the methodology's cached copy is not read
    after a file of the pack it extends changed."""
    finding.load_pack(METHODOLOGY)
    _forget()
    assert isinstance(finding.load_pack(METHODOLOGY).sources, cache.Deferred)
    readme = shipped / DECREE / "NOTES.md"
    readme.write_text("a note\n", "utf-8")
    _forget()
    assert not isinstance(finding.load_pack(METHODOLOGY).sources, cache.Deferred)


def test_a_cache_that_cannot_be_written_is_passed_over(shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENVIRONMENT, str(blocker / "cache"))
    pack = finding.load_pack(DECREE)
    assert pack.rules and not isinstance(pack.sources, cache.Deferred)
    monkeypatch.setenv(cache.ENVIRONMENT, "")  # empty: no cache at all
    _forget()
    assert cache.cache_dir() is None and finding.shipped_key() is None
    assert finding.load_pack(DECREE).rules


def test_a_damaged_or_foreign_cache_file_is_not_read(shipped: Path, tmp_path: Path) -> None:
    finding.load_pack(DECREE)
    [name] = [name for name in _kept(tmp_path) if name.startswith(f"pack-{DECREE}-")]
    path = tmp_path / "cache" / name
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    _forget()
    pack = finding.load_pack(DECREE)
    assert not isinstance(pack.sources, cache.Deferred) and pack.rules  # read from the files, and kept again
    _forget()
    assert isinstance(finding.load_pack(DECREE).sources, cache.Deferred)
    if hasattr(os, "geteuid"):
        path.chmod(0o666)  # writable by others: never read
        _forget()
        assert not isinstance(finding.load_pack(DECREE).sources, cache.Deferred)


def test_the_shipped_headers_are_kept_with_the_packs(shipped: Path, tmp_path: Path) -> None:
    import datetime as dt

    chosen, _ = finding.choose_pack(dt.date(2017, 4, 10))
    assert chosen.id == METHODOLOGY
    assert any(name.startswith("headers-") for name in _kept(tmp_path))
    _forget()
    again, _ = finding.choose_pack(dt.date(2017, 4, 10))
    assert again.id == METHODOLOGY and isinstance(again.sources, cache.Deferred)


def test_a_catalogue_from_the_cache_is_the_catalogue_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterpolicy.core import cache as core_cache
    from clusterpolicy.core import i18n

    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path / "cache"))
    read = i18n._catalogue.__wrapped__
    first = read("kk")  # read from the file, and kept
    assert any(path.name.startswith("catalogue-kk-") for path in (tmp_path / "cache").iterdir())
    calls = []
    monkeypatch.setattr("clusterpolicy.core.sources.parse_yaml", lambda *a, **k: calls.append(a))
    assert read("kk") == first and not calls  # from the cache: nothing parsed
    monkeypatch.setattr(core_cache, "code_stamp", lambda: "another version of the library's files")
    with pytest.raises(AttributeError):  # another key: the file is read again (here by the stand-in above)
        read("kk")
    assert calls


def test_the_code_stamp_is_the_walk_of_the_librarys_files() -> None:
    """core.cache.code_stamp lists the files with os.scandir: the same stamp as os.walk's listing
    with each file's path relative to the package's folder, its size and modification time."""
    import hashlib
    import os

    from clusterpolicy.core import cache as core_cache

    root = Path(core_cache.__file__).resolve().parents[1]
    hasher = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            status = os.stat(os.path.join(folder, name))
            hasher.update(f"{os.path.relpath(os.path.join(folder, name), root)}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    core_cache.code_stamp.cache_clear()
    assert core_cache.code_stamp() == hasher.hexdigest()
