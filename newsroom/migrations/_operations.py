"""Operations the migrations share (the loader skips modules named with "_")."""

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
