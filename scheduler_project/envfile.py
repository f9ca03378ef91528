"""Run a command with a ``.env`` file filling in what the environment leaves unset.

``python -m scheduler_project.envfile .env -- COMMAND [ARGS...]`` is how ``make run``,
``make migrate`` and ``make superuser`` start their processes: a variable set in the
environment always wins over the file (as with Docker Compose and python-dotenv's
default), and an empty value counts as unset, as it does for every setting.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values


def layered(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the file's values for the names it leaves unset or empty."""
    merged = dict(environ)
    for name, value in dotenv_values(path).items():
        if value is not None and not merged.get(name):
            merged[name] = value
    return merged


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m scheduler_project.envfile ENV_FILE -- COMMAND [ARGS...]")
    path, command = Path(argv[0]), argv[2:]
    os.execvpe(command[0], command, layered(path, os.environ))  # noqa: S606 (the command given)


if __name__ == "__main__":
    main(sys.argv[1:])
