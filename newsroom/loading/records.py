"""Reading and checking import records: JSON Lines or a JSON array, each record
with its line number, and the checks every kind of record shares."""

import codecs
import datetime
import json
import re

from django.core.exceptions import ValidationError

PATH_SEPARATOR = ">"


MAX_TEXT = 100_000


class RecordError(Exception):
    """A record that cannot be imported; the message is shown to the importer."""

    def __init__(self, message, line_number=1):
        super().__init__(message)
        self.line_number = line_number  # within the file, where the reader knows it


def describe(error):
    """A RecordError or a model's ValidationError in one line for the importer."""
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def read_records(stream):
    """Yield ``(line_number, record or RecordError)`` from JSON Lines or a JSON array.

    For an array the number is the record's position, counted from 1. JSON Lines
    are split at "\n" only and decoded line by line: a record may hold U+2028 or
    U+0085 (where ``str.splitlines`` would cut it), and one line that is not UTF-8
    costs that record alone.
    """
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield 1, RecordError("the file is UTF-16 text, not UTF-8: save it as UTF-8")
        return
    data = data.removeprefix(codecs.BOM_UTF8)
    if data.lstrip().startswith(b"["):
        yield from _read_array(data)
        return
    for line_number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield line_number, _read_line(line)


def _read_line(line):
    try:
        return _parse_json(line.decode("utf-8"), "invalid JSON")
    except UnicodeDecodeError as error:
        return RecordError(_not_utf8(line, error))
    except RecordError as error:
        return error


def _read_array(data):
    try:
        records = _parse_json(data.decode("utf-8"), "invalid JSON array")
    except UnicodeDecodeError as error:
        yield data.count(b"\n", 0, error.start) + 1, RecordError(_not_utf8(data, error))
    except RecordError as error:
        yield error.line_number, error
    else:
        yield from enumerate(records, start=1)


def _not_utf8(data, error):
    line_start = data.rfind(b"\n", 0, error.start) + 1
    column = error.start - line_start + 1
    return f"not UTF-8 text: byte {data[error.start]:#04x} at column {column}"


def _parse_json(text, problem):
    """``json.loads``, with each way it refuses a text as a RecordError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(f"{problem}: {error.msg}", error.lineno) from error
    except RecursionError as error:
        raise RecordError(f"{problem}: nested too deeply") from error
    except ValueError as error:  # an integer of more than 4,300 digits
        raise RecordError(f"{problem}: {str(error).split(':')[0]}") from error


def count_records(path):
    with open(path, "rb") as stream:
        head = stream.read(64).lstrip()
        if head.startswith(b"["):
            return None
        stream.seek(0)
        return sum(1 for line in stream if line.strip())


# Dropped from every text, as XML 1.0 (the feeds) and HTML cannot carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value, key):
    """``value`` without control characters; refused if it is not Unicode text."""
    value = CONTROL_CHARACTERS.sub("", value).strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        # A lone surrogate ("\ud83d"), as a string cut in the middle of an emoji
        # escapes to: no database takes it.
        raise RecordError(
            f"'{key}' is not valid Unicode text: {value[error.start]!r}"
        ) from error
    return value


def shown(value, quoted=True, limit=60):
    """A value from the file for a message to a terminal: escaped where it is not
    printable (no control sequences reach the importer's screen), and cut."""
    shown = repr(value) if quoted or not value.isprintable() else value
    return shown if len(shown) <= limit else f"{shown[:limit]}…"


def check_fields(record, allowed):
    """Refuse what is not a JSON object, or names a field not in ``allowed``."""
    if not isinstance(record, dict):
        raise RecordError("each record must be a JSON object")
    refuse_unknown(record, allowed)


def refuse_unknown(record, allowed):
    unknown = sorted(set(record) - allowed)
    if unknown:
        listed = ", ".join(shown(name, quoted=False) for name in unknown)
        raise RecordError(f"unknown field(s): {listed}")


def text_of(record, key, required=False, max_length=None):
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise RecordError(f"'{key}' is required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be a string, not {type(value).__name__}")
    value = clean_text(value, key)
    limit = max_length or MAX_TEXT
    if len(value) > limit:
        raise RecordError(f"'{key}' is longer than {limit} characters")
    if required and not value:
        raise RecordError(f"'{key}' is required")
    return value


def date_of(record, key, required=False):
    value = record.get(key)
    if value in (None, ""):
        if required:
            raise RecordError(f"'{key}' is required")
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO date string like 2024-09-27")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise RecordError(f"'{key}' is not a valid date: {shown(value)}") from error


def names_of(record, key, model):
    """A list of names, each short enough for ``model.name`` (per level of a path)."""
    value = record.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"'{key}' must be a list of names")
    names = [clean_text(v, key) for v in value]
    limit = model._meta.get_field("name").max_length
    for name in names:
        levels = name.split(PATH_SEPARATOR) if hasattr(model, "path") else [name]
        if not name or any(len(level.strip()) > limit for level in levels):
            raise RecordError(
                f"'{key}' has an empty name or one longer than {limit} characters"
            )
        if hasattr(model, "path"):
            deepest = model._meta.get_field("path").max_length // model.steplen
            if len(levels) > deepest:
                raise RecordError(
                    f"'{key}' has a path of {len(levels)} levels; at most {deepest}"
                )
    return list(dict.fromkeys(names))


def flag_of(record, key, default):
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise RecordError(f"'{key}' must be true or false")
    return value
