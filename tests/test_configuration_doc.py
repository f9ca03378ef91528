"""The docs say what the code does: docs/configuration.md lists exactly the environment
variables the project reads, and every relative link in the docs leads to a file.

Variables are found in:

- the Python of ``scheduler_project``, ``timers``, ``withdrawals`` and ``tee`` (migrations
  aside, and the readers themselves in ``scheduler_project/env.py``), parsed with ``ast``:
  calls of the ``env_*`` readers of ``scheduler_project/env.py`` (with their ``aliases=``),
  ``os.environ.get``, ``os.getenv``, ``os.environ[...]`` and ``... in os.environ``. A read
  whose name is neither a string literal nor a module-level string constant fails the test,
  since it could not be checked. ``os.environ.setdefault`` (Django's settings module) is a
  write, not a setting;
- the ``Procfile``, the ``Makefile`` and ``docker/compose.yml``: shell expansions
  (``${NAME:-default}``, ``$NAME``); in the ``Makefile`` also the variables it lets the
  environment override (``NAME ?= …``, ``ifdef NAME``); in compose the variables passed
  through by name (``NAME:`` with no value).

Left out: names the launchers set for their own children (``INTERNAL`` below), variables
libraries read on their own (Celery's, Django's ``DJANGO_SETTINGS_MODULE``), and the tests'
and the benchmark's variables (``bench/README.md`` lists ``BENCH_*``).
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "configuration.md"
PACKAGES = ("scheduler_project", "timers", "withdrawals", "tee")
READERS_MODULE = ROOT / "scheduler_project" / "env.py"
SHELL_FILES = ("Procfile", "Makefile", "docker/compose.yml")
# Set by the project's launchers for the processes they start, not by an operator.
INTERNAL = {
    "PATH": "the shell's",
    "PWD": "the shell's",
    "HONCHO_PROCESS_NAME": "honcho names each process it starts",
    "WEB_PROMETHEUS_DIR": "the Makefile hands the web server's metrics directory to the Procfile",
    "SCHEDULER_WEB_SERVER_PID": "the web server's launcher tells its workers who their server is",
}
# Read by a library the project runs, named here because operators set them.
READ_BY_LIBRARIES = {
    "FLOWER_BASIC_AUTH": "Flower reads its options from FLOWER_* variables",
    "CELERY_SKIP_CHECKS": "Celery's Django fixup reads it at each worker start",
}
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def reader_names() -> set[str]:
    tree = ast.parse(READERS_MODULE.read_text())
    functions = (node for node in tree.body if isinstance(node, ast.FunctionDef))
    return {node.name for node in functions if node.name.startswith("env_")}


def python_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and path != READERS_MODULE:
                yield path


def _is_environ(node: ast.expr) -> bool:
    """``os.environ`` or a bare ``environ``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "environ"


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def python_reads(path: Path, readers: set[str]) -> tuple[set[str], list[str]]:
    """Names read in ``path``, and the reads whose name could not be told."""
    tree = ast.parse(path.read_text(), filename=str(path))
    assignments = (node for node in tree.body if isinstance(node, ast.Assign))
    constants = {
        target.id: node.value.value
        for node in assignments
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: set[str] = set()
    unknown: list[str] = []

    def name_of(expr: ast.expr) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            found.add(expr.value)
        elif isinstance(expr, ast.Name) and expr.id in constants:
            found.add(constants[expr.id])
        else:
            unknown.append(f"{path.relative_to(ROOT)}:{expr.lineno}: {ast.unparse(expr)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = _called(node)
            is_reader = called in readers
            is_get = called == "get" and isinstance(node.func, ast.Attribute) and _is_environ(node.func.value)
            is_getenv = called == "getenv" and isinstance(node.func, ast.Attribute)
            if (is_reader or is_get or is_getenv) and node.args:
                name_of(node.args[0])
            if is_reader:
                for keyword in node.keywords:
                    if keyword.arg == "aliases" and isinstance(keyword.value, ast.Tuple | ast.List):
                        for alias in keyword.value.elts:
                            name_of(alias)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            name_of(node.slice)
        elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
            if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                name_of(node.left)
    return found, unknown


def shell_reads(path: Path) -> set[str]:
    text = path.read_text()
    names = set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", text))
    if path.name == "Makefile":
        names |= set(re.findall(r"^([A-Z_][A-Z0-9_]*)\s*\?=", text, re.MULTILINE))
        names |= set(re.findall(r"^ifn?def\s+([A-Z_][A-Z0-9_]*)", text, re.MULTILINE))
    if path.suffix == ".yml":
        names |= set(re.findall(r"^\s+([A-Z_][A-Z0-9_]*):\s*$", text, re.MULTILINE))
    return names


def read_by_the_project() -> dict[str, str]:
    """Each variable read, with one place that reads it."""
    readers = reader_names()
    assert {"env_str", "env_int", "env_bool"} <= readers, "the env readers moved: update this test"
    where: dict[str, str] = {}
    unknown: list[str] = []
    for path in python_files():
        names, unclear = python_reads(path, readers)
        unknown += unclear
        for name in names:
            where.setdefault(name, str(path.relative_to(ROOT)))
    assert not unknown, f"environment reads whose name this test cannot tell: {unknown}"
    for relative in SHELL_FILES:
        for name in shell_reads(ROOT / relative):
            where.setdefault(name, relative)
    for name in INTERNAL:
        where.pop(name, None)
    where.update(dict.fromkeys(READ_BY_LIBRARIES, "a library"))
    return where


def listed_on_the_page() -> list[str]:
    """Names in the first column of the page's tables whose first header is ``variable``."""
    names: list[str] = []
    in_table = False
    for line in PAGE.read_text().splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        first = line.strip("|").split("|")[0].strip()
        if first == "variable":
            in_table = True
        elif in_table and not set(first) <= set("-: "):
            names += [name for name in re.findall(r"`([^`]+)`", first) if NAME.match(name)]
    return names


def test_the_configuration_page_lists_every_variable_the_project_reads() -> None:
    listed = set(listed_on_the_page())
    missing = {name: place for name, place in read_by_the_project().items() if name not in listed}
    assert not missing, f"read but not listed in docs/configuration.md: {missing}"


def test_the_configuration_page_lists_only_variables_something_reads() -> None:
    read = read_by_the_project()
    stale = sorted(name for name in set(listed_on_the_page()) if name not in read)
    assert not stale, f"listed in docs/configuration.md but read nowhere: {stale}"


def test_the_configuration_page_lists_each_variable_once() -> None:
    names = listed_on_the_page()
    assert len(names) > 50
    assert sorted({n for n in names if names.count(n) > 1}) == []


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "bench" / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def relative_links(path: Path) -> Iterator[str]:
    fenced = False
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", line)):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#"):
                yield target


def test_every_relative_link_in_the_docs_leads_to_a_file_of_the_repository() -> None:
    broken = []
    for path in markdown_files():
        for target in relative_links(path):
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            if not resolved.exists() or not resolved.is_relative_to(ROOT):
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, f"links to nothing: {broken}"
