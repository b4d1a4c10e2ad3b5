"""The house rules of docs/architecture.md, checked: imports run one way, and
every channel's list of kinds comes from the registry (newsroom/kinds.py)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import kinds

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "newsroom"
# Lowest first: a module may import its own layer and those before it.
LAYERS = [
    "chunks",
    "citations",
    "kinds",
    "models",
    "finder",
    "channels",
    "alerts",
    "editorial",
    "loading",
]
# Imports inside functions that are there on purpose, each with its reason
# beside it in the code: the newsroom's routes and the page cache hand a request
# over to the channels above the models, and app start-up wires the signals.
DEFERRED_IMPORTS = {
    ("newsroom/models/pages.py", "newsroom.channels"),
    ("newsroom/models/caching.py", "newsroom.channels.page_cache"),
    ("newsroom/apps.py", "newsroom.signal_handlers"),
}
MAX_LINES = 500


def layer_of(module):
    parts = module.split(".")
    if parts[0] != "newsroom" or len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else len(LAYERS)


def project_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        yield relative.as_posix(), module, ast.parse(path.read_text())


def imports_of(tree):
    """(line, imported module, inside a function) for the project's imports."""
    parents = {
        child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "newsroom":
                targets = [f"newsroom.{alias.name}" for alias in node.names]
            else:
                targets = [node.module]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        inside, parent = False, parents.get(node)
        while parent is not None:
            inside |= isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef)
            parent = parents.get(parent)
        for target in targets:
            if target == "newsroom" or target.startswith("newsroom."):
                yield node.lineno, target, inside


def test_imports_run_one_way():
    upward = []
    for path, module, tree in project_modules():
        own = layer_of(module)
        for line, target, _inside in imports_of(tree):
            deferred = (path, target) in DEFERRED_IMPORTS
            if own is not None and (layer_of(target) or 0) > own and not deferred:
                upward.append(f"{path}:{line} imports {target}")
    assert upward == []


def test_imports_inside_functions_are_the_deferred_hand_offs_only():
    inside = [
        f"{path}:{line} imports {target}"
        for path, _module, tree in project_modules()
        for line, target, in_function in imports_of(tree)
        if in_function and (path, target) not in DEFERRED_IMPORTS
    ]
    assert inside == []


def test_no_module_is_over_500_lines():
    long = {
        path: len((ROOT / path).read_text().splitlines())
        for path, _module, _tree in project_modules()
    }
    assert {path: n for path, n in long.items() if n > MAX_LINES} == {}


def test_the_models_load_nothing_above_them():
    """In a fresh interpreter, importing the models (with the app configs
    registered, as Django does before it imports any app's models) imports only
    the layers below them (the registry of kinds, the citation parser) and the
    models."""
    script = """
import sys
from django.apps import AppConfig, apps
from django.conf import settings
for entry in settings.INSTALLED_APPS:
    config = AppConfig.create(entry)
    config.apps = apps
    apps.app_configs[config.label] = config
apps.apps_ready = True
import newsroom.models
print("\\n".join(sorted(m for m in sys.modules if m.startswith("newsroom."))))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom_site.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    loaded = result.stdout.split()
    assert "newsroom.models.pages" in loaded
    above = [
        module
        for module in loaded
        if layer_of(module) is None
        or layer_of(module) > LAYERS.index("models")
        and not module.startswith("newsroom.apps")
    ]
    assert above == []


# --- the registry ----------------------------------------------------------------


def test_every_kind_resolves_its_models_and_fields():
    for kind in kinds.KINDS:
        assert kind.model.__name__ == kind.model_name
        link = kind.link_model._meta
        assert link.get_field(kind.link_field).related_model is kind.model
        assert link.get_field(kind.page_field.removesuffix("_id"))
        assert kind.translation_model._meta.get_field("entity").related_model is (
            kind.model
        )
        for field in kind.text_fields:
            kind.model._meta.get_field(field)
            kind.translation_model._meta.get_field(field)
        assert kind.tree == hasattr(kind.model, "path")
        assert kinds.of(kind.model) is kind
        assert kinds.by_segment(kind.segment) is kind


def test_every_kind_has_a_listing_table_column_and_a_hub():
    from newsroom.models import RESERVED_SLUGS, ListedRelease

    columns = {field.name for field in ListedRelease._meta.get_fields()}
    for kind in kinds.KINDS:
        assert kind.segment in columns
        assert kind.segment in RESERVED_SLUGS


def test_entities_link_to_their_hubs(db):
    from tests.factories import OfficialFactory, SectorFactory

    assert OfficialFactory(slug="eko").get_absolute_url() == "/news/officials/eko/"
    assert SectorFactory(slug="steel").get_absolute_url() == "/news/sectors/steel/"


def test_of_refuses_what_is_not_an_entity():
    from newsroom.models import PressReleasePage

    with pytest.raises(LookupError):
        kinds.of(PressReleasePage)
    ref = kinds.EntityRef("region", 1, "Jakarta", "jakarta")
    assert kinds.of(ref) is kinds.get("region")
