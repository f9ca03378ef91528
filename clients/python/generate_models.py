"""Regenerate ``scheduler_client/models.py`` from a running service's OpenAPI document.

    python clients/python/generate_models.py                      # make run's service
    python clients/python/generate_models.py --url http://host:3000 --output /tmp/models.py

The document is fetched first and handed to the generator as a file, so the module's header
names no host and carries no time: two runs against the same document write the same bytes
(tests/clients/test_models.py compares the committed module with a fresh one).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
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


def generate(base_url: str, output: Path) -> None:
    """Fetch ``base_url``'s /api/schema/ and write the models generated from it to ``output``."""
    answer = httpx.get(base_url.rstrip("/") + "/api/schema/", params={"format": "json"}, timeout=60)
    answer.raise_for_status()
    with tempfile.TemporaryDirectory() as scratch:
        document = Path(scratch) / "openapi.json"
        document.write_bytes(answer.content)
        subprocess.run(  # noqa: S603 (the generator beside this interpreter, fixed arguments)
            [generator(), "--input", document.name, *OPTIONS, "--output", str(output.resolve())],
            cwd=scratch, check=True, timeout=300,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3000", help="the service (default: make run's)")
    parser.add_argument("--output", type=Path, default=MODELS, help=f"default: {MODELS.relative_to(HERE)}")
    arguments = parser.parse_args()
    generate(arguments.url, arguments.output)


if __name__ == "__main__":
    main()
