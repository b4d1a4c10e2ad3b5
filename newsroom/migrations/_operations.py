"""Operations the migrations share (the loader skips modules named with "_")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.migrations.operations.base import Operation


class PostgresIndex(Operation):
    """``CREATE INDEX name definition`` on PostgreSQL, dropped when reversed; on
    other databases nothing (for an index on a table of another app, such as
    Wagtail's search entries, or one SQLite cannot build)."""

    reversible = True

    def __init__(self, name, definition):
        self.name = name
        self.definition = definition

    def deconstruct(self):
        return (
            f"{__name__}.{type(self).__qualname__}",
            [],
            {"name": self.name, "definition": self.definition},
        )

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.name} {self.definition}"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {self.name}")

    def describe(self):
        return f"Create index {self.name} on PostgreSQL"


def add_permissions(apps, codenames_by_group):
    """Gives each press office group named in ``codenames_by_group`` those
    newsroom permissions. Django creates permissions only after the last
    migration, so the app's are created here first."""
    app_config = apps.get_app_config("newsroom")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=codenames_by_group):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="newsroom",
                codename__in=codenames_by_group[group.name],
            )
        )


def grant_press_office(model):
    """RunPython: the press office's groups get the codenames that
    newsroom/editorial/press_office.py lists for ``model`` (a model name in lower
    case), as they were granted the kinds before it."""

    def grant(apps, schema_editor):
        from newsroom.editorial.press_office import MODEL_PERMISSIONS

        add_permissions(
            apps,
            {
                name: [c for c in by_app["newsroom"] if c.endswith(f"_{model}")]
                for name, by_app in MODEL_PERMISSIONS.items()
            },
        )

    return migrations.RunPython(grant, migrations.RunPython.noop)
