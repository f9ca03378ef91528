"""Regenerate ``scheduler_client/models.py`` from the service's OpenAPI document.

    python clients/python/generate_models.py                      # from this checkout, no service
    python clients/python/generate_models.py --url http://127.0.0.1:3000 --output /tmp/models.py

Without ``--url`` the document is the one this checkout serves, rendered in-process with the
test settings (the repository's venv; the admin API, served only with ADMIN_BEARER_TOKEN, is
left out, as ``make run`` and the tests serve it). With ``--url``, the one that service serves.

The document is fetched first and handed to the generator as a file, so the module's header
names no host and carries no time: two runs against the same document write the same bytes
(tests/clients/test_models.py compares the committed module with a fresh one).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent.parent
MODELS = HERE / "scheduler_client" / "models.py"
HEADER = "# Generated from the service's OpenAPI document by clients/python/generate_models.py: do not edit."
# datamodel-code-generator, pinned in the repository's requirements-dev.txt; the options
# docs/api.md shows, plus a fixed header and no timestamp.
OPTIONS = [
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.11",
    "--formatters", "builtin",
    "--disable-timestamp",
    # Annotated[str, Field(pattern=...)] rather than constr(...): types mypy can read.
    "--use-annotated", "--field-constraints", "--set-default-enum-member",
    # base64 fields stay the text sent: pydantic's Base64Str would decode them (a sealed
    # envelope's binary parts do not decode to text) and check the pattern on the result.
    "--type-mappings", "string+byte=string",
    "--custom-file-header", HEADER,
]  # fmt: skip


def generator() -> str:
    """The datamodel-codegen beside this interpreter (a venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "datamodel-codegen"
    found = str(beside) if beside.exists() else shutil.which("datamodel-codegen")
    if not found:
        raise SystemExit("datamodel-codegen not found: pip install -r requirements-dev.txt")
    return found


def generate(base_url: str | None, output: Path) -> None:
    """Write the models generated from ``base_url``'s /api/schema/ (this checkout's, if None)
    to ``output``."""
    document = served(base_url) if base_url else in_process()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "openapi.json"
        source.write_bytes(document)
        subprocess.run(  # noqa: S603 (the generator beside this interpreter, fixed arguments)
            [generator(), "--input", source.name, *OPTIONS, "--output", str(output.resolve())],
            cwd=scratch,
            check=True,
            timeout=300,
        )


def served(base_url: str) -> bytes:
    answer = httpx.get(base_url.rstrip("/") + "/api/schema/", params={"format": "json"}, timeout=60)
    answer.raise_for_status()
    return answer.content


def in_process() -> bytes:
    """The document as this checkout serves it, through Django's test client."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["ADMIN_BEARER_TOKEN"] = ""
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.test import Client

    django.setup()
    answer = Client().get("/api/schema/", {"format": "json"})
    if answer.status_code != 200:
        raise SystemExit(f"/api/schema/ answered {answer.status_code}")
    return answer.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running service (default: this checkout's document, in-process)")
    parser.add_argument("--output", type=Path, default=MODELS, help=f"default: {MODELS.relative_to(HERE)}")
    arguments = parser.parse_args()
    generate(arguments.url, arguments.output)


if __name__ == "__main__":
    main()
