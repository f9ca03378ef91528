"""Key files written once: created with 0600 under a temporary name and linked into place.

Two processes starting together both generate a key, but only the first link
wins and both then read the same file, so no one ever reads half a key.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def write_once(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to ``path`` unless it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def read_or_create(path: Path, create: Callable[[], bytes], *, mode: int) -> bytes:
    """The contents of ``path``, writing ``create()`` there first if it is missing."""
    if not path.exists():
        write_once(path, create(), mode=mode)
    return path.read_bytes()
