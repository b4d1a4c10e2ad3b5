"""Adding to sums stored per key, as concurrent writers each add their own
difference: the listing's counts (``ListedCount``) and the tracker's totals
(``FigureTotal``)."""

from django.db import connection

BATCH = 500


def add_to_stored(model, keys, sums, rows):
    """Add ``rows`` (key values, then the differences of ``sums``) to ``model``'s
    table, whose unique constraint is on ``keys``: one upsert per batch, in the
    syntax PostgreSQL and SQLite share."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys, sums = [quote(name) for name in keys], [quote(name) for name in sums]
    columns = ", ".join([*keys, *sums])
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in sums)
    mark = f"({', '.join(['%s'] * (len(keys) + len(sums)))})"
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                f"{', '.join([mark] * len(batch))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}",
                [value for row in batch for value in row],
            )
