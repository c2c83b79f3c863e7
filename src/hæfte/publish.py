"""Publish a finished set of outputs in one atomic step, so that a build killed at any moment
leaves either the old or the new complete set, never a mix.

In:  a complete output folder made by the build in ``_output/.udgaver/<id>/`` (the booklet's
     files and ``.manifest.json``), and the names the previous set published.
Out: that set published under ``_output/`` at the paths users know (``_output/haefte.pdf``,
     ``_output/web/index.html``, …); leftovers of killed builds removed.

On POSIX systems with symbolic links (Linux, macOS), each published name is a link into
``_output/.aktuel``, itself a link to the current version folder: the switch is one rename of
``.aktuel``, atomic on POSIX. ``_output/haefte.pdf`` opens, copies and serves as the PDF
(``cp -L``/``rsync -L`` copy the files rather than the links).

Elsewhere (Windows, where replacing a link is neither atomic nor always allowed) the names are
plain files and the switch is a journal: ``_output/.udgivelse.json`` is written atomically before
the first rename and lists every rename; the next build finds it and rolls the switch forward
before doing anything else. A fault before the journal leaves the old set (the unfinished
version folder is deleted later).
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

from hæfte import faults
from hæfte.cache import write_atomic

VERSIONS = ".udgaver"
POINTER = ".aktuel"
JOURNAL = ".udgivelse.json"
NO_LINKS = "HAEFTE_TEST_NO_SYMLINKS"  # tests: publish as on a system without symbolic links
_TMP_LINK = ".ny-link"


def new_version(output: Path) -> Path:
    """An empty folder for the next set of outputs, on the same file system as ``_output``."""
    folder = output / VERSIONS
    folder.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="bygning-", dir=folder))


_CANNOT_WRITE = (errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT)


@functools.lru_cache(maxsize=None)
def _can_link(output: str) -> bool:
    """Whether ``output`` takes symbolic links, found by making one. Only on POSIX, where renaming a
    link over another is atomic; elsewhere a file is made instead, to learn that the folder can be
    written."""
    probe = Path(output) / f".link-proeve-{os.getpid()}"
    try:
        if os.path.lexists(probe):
            probe.unlink()
        if os.name != "posix":
            probe.write_bytes(b"")
            probe.unlink()
            return False
        os.symlink(VERSIONS, probe, target_is_directory=True)
        probe.unlink()
        return True
    except NotImplementedError:
        return False
    except OSError as exc:
        if exc.errno in _CANNOT_WRITE:  # not a lack of links: the folder cannot be written at all
            raise OSError(exc.errno, exc.strerror, output) from None
        return False  # a file system without links


def links_supported(output: Path) -> bool:
    """Whether the published names can be links; raises ``OSError`` naming ``_output`` if it cannot
    be written at all (a build asks first, so it fails before it works, not after)."""
    return not os.environ.get(NO_LINKS) and _can_link(str(output))


def publish(version: Path, output: Path, previous: set[str] | frozenset[str] = frozenset()) -> None:
    """Make ``version`` the published set; ``previous`` are the names the last set published."""
    names = sorted(p.name for p in version.iterdir())
    drop = sorted(set(previous) - set(names))
    faults.point("udgiv:start")
    if links_supported(output):
        _publish_links(version, output, names, drop)
    else:
        _switch_by_journal(output, version.name, names, drop)
        if os.path.lexists(output / POINTER):  # from a build that could make links: no longer current
            (output / POINTER).unlink()
    faults.point("udgiv:skiftet")
    clean(output)
    faults.point("udgiv:ryddet")


def _link_target(name: str) -> str:
    return f"{POINTER}/{name}"


def _is_our_link(path: Path, name: str) -> bool:
    return path.is_symlink() and os.readlink(path) == _link_target(name)


def _link_atomic(target: str, path: Path, point: str) -> None:
    tmp = path.with_name(path.name + _TMP_LINK)
    if os.path.lexists(tmp):
        tmp.unlink()
    os.symlink(target, tmp)
    faults.point(point)
    os.replace(tmp, path)


def _publish_links(version: Path, output: Path, names: list[str], drop: list[str]) -> None:
    # Every name gets its link before the switch. A new link points into the old version, which
    # lacks that name, so until the switch readers see the old set, after it the new one.
    plain = []
    for name in names:
        path = output / name
        if _is_our_link(path, name):
            continue
        if os.path.lexists(path):
            plain.append(name)  # a plain file from an older hæfte, Quarto or a build without links
            continue
        _link_atomic(_link_target(name), path, f"udgiv:link:{name}")
    plain_drop = [n for n in drop if os.path.lexists(output / n) and not _is_our_link(output / n, n)]
    if plain or plain_drop:
        # plain files give way to links: the switch of the pointer and their renames are one
        # journal, so a fault in between is rolled forward by the next build
        links = Path(tempfile.mkdtemp(prefix="links-", dir=output / VERSIONS))
        for name in plain:
            os.symlink(_link_target(name), links / name)
        _switch_by_journal(output, links.name, plain, plain_drop, pointer=version.name)
    else:
        _point_to(output, version.name)
    for name in drop:
        if _is_our_link(output / name, name):  # dangling since the switch
            (output / name).unlink()
            faults.point(f"udgiv:fjern-link:{name}")


def _point_to(output: Path, version: str) -> None:
    """The one atomic step: ``.aktuel`` names the new version folder."""
    target = f"{VERSIONS}/{version}"
    pointer = output / POINTER
    if pointer.is_symlink() and os.readlink(pointer) == target:
        return
    _link_atomic(target, pointer, "udgiv:peger")
    faults.point("udgiv:peger-skiftet")


def _switch_by_journal(output: Path, new: str, names: list[str], drop: list[str], pointer: str | None = None) -> None:
    journal = {"version": 1, "ny": new, "gammel": f"gammel-{new}", "navne": names, "fjern": drop, "peger": pointer}
    write_atomic(output / JOURNAL, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    faults.point("udgiv:journal")
    roll_forward(output, journal)
    (output / JOURNAL).unlink()
    faults.point("udgiv:journal-slettet")


def roll_forward(output: Path, journal: dict) -> None:
    """Carry out a journal's renames; safe to repeat after a fault at any point of it."""
    versions = output / VERSIONS
    new, old = versions / journal["ny"], versions / journal["gammel"]
    if journal.get("peger"):
        _point_to(output, journal["peger"])
    old.mkdir(parents=True, exist_ok=True)
    for name in [*journal["navne"], *journal["fjern"]]:
        source, target, backup = new / name, output / name, old / name
        incoming = name in journal["navne"]
        if incoming and not os.path.lexists(source):
            continue  # moved before the fault
        if os.path.lexists(target):
            _remove(backup)
            os.rename(target, backup)
            faults.point(f"udgiv:gammel:{name}")
        if incoming:
            os.rename(source, target)
            faults.point(f"udgiv:ny:{name}")


def _read_journal(path: Path) -> dict | None:
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        pointer = [journal["peger"]] if journal.get("peger") is not None else []
        if (journal.get("version") == 1 and all(isinstance(journal.get(k), str) for k in ("ny", "gammel"))
                and all(isinstance(journal.get(k), list) for k in ("navne", "fjern"))
                and all(isinstance(n, str) and "/" not in n and "\\" not in n and n not in ("", ".", "..")
                        for n in [journal["ny"], journal["gammel"], *journal["navne"], *journal["fjern"], *pointer])):
            return journal
    except (OSError, ValueError, AttributeError):
        pass
    return None


def recover(output: Path) -> None:
    """Finish a switch a fault interrupted and remove what killed builds left behind. Runs under
    the build lock, before anything else, so no other build's folders are touched."""
    if not output.is_dir():
        return
    journal_path = output / JOURNAL
    if journal_path.exists():
        journal = _read_journal(journal_path)
        if journal is not None:
            roll_forward(output, journal)
        # a journal that cannot be read was never finished writing: the old set is untouched
        journal_path.unlink()
    clean(output)


def current_version(output: Path) -> str | None:
    pointer = output / POINTER
    if not pointer.is_symlink():
        return None
    return Path(os.readlink(pointer)).name


def clean(output: Path) -> None:
    """Delete every version folder but the current one, and half-made links and temporary files."""
    keep = current_version(output)
    versions = output / VERSIONS
    if versions.is_dir():
        for entry in versions.iterdir():
            if entry.name != keep:
                _remove(entry)
    for entry in output.iterdir():
        if entry.name.endswith(_TMP_LINK) or entry.name.startswith((".bygger-", ".gammel-", ".link-proeve-")):
            _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
