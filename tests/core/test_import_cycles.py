"""No two modules of the floor import each other, directly or through others, at import
time or inside a function: a cycle there hides a layer that is not real (import-linter's
contracts in pyproject.toml keep the layers between packages)."""

import grimp


def test_the_modules_of_core_import_each_other_without_cycles():
    graph = grimp.build_graph("scheduler_project")
    core = sorted(m for m in graph.modules if m.startswith("scheduler_project.core"))
    cycles = {
        tuple(sorted((module, imported)))
        for module in core
        for imported in graph.find_modules_directly_imported_by(module)
        if imported in core and graph.chain_exists(importer=imported, imported=module)
    }
    assert not cycles
