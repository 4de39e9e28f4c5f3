"""The JSON Schema of ``calendar.yaml`` for editors, built from the declarations in ``keys.py``.

``jadwal schema`` writes it; a calendar whose first line is
``# yaml-language-server: $schema=./calendar.schema.json`` then gets completion, hover text and
errors while it is typed in VS Code's YAML extension (redhat.vscode-yaml). It is draft-07: the
extension has validated draft-07 for years, and drafts 2019-09 and 2020-12 only since its
1.20 release, so an office's older editor still reads it.

Every section allows only its own keys (``additionalProperties: false``, as ``check`` does),
requires what ``check`` requires, and lists the words a choice allows (with what each does).
Each key's description is its meaning from ``docs/calendar.md`` and its default, in Markdown
for the hover text and without the marks for plain-text tools. A pattern comes with the sentence
the extension shows instead of the regular expression (``patternErrorMessage``); patterns are
written so that ECMAScript (the editor) and Python (``jsonschema``, in the tests) read them
alike. The schema checks the shape of each value, not the rest of ``check`` (that a date
exists, a template is there, an account is defined): those stay ``jadwal check``'s.
"""

from __future__ import annotations

import json
from typing import Any

from scheduler.calendar import keys, keyspec
from scheduler.calendar.keyspec import Key, Section, Value

DRAFT = "http://json-schema.org/draft-07/schema#"
TITLE = "jadwal calendar"
ABOUT = (
    "A jadwal publication calendar: accounts, posts, holiday greetings and rules. "
    "Run `jadwal check` for everything the editor cannot see (templates, media, dates)."
)

Schema = dict[str, Any]


def json_schema() -> Schema:
    """The schema of a whole calendar, as JSON data."""
    return {"$schema": DRAFT, "title": TITLE, "description": ABOUT, **_section(keys.TOP)}


def schema_text() -> str:
    """The schema as ``jadwal schema`` prints it and ``calendar.schema.json`` holds it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _section(section: Section) -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": {key.name: _key(key) for key in section.keys},
        "additionalProperties": False,
    }
    required = [key.name for key in section.keys if key.required]
    if required:
        schema["required"] = required
    return schema


def _key(key: Key) -> Schema:
    text = _description(key)
    # The extension shows ``markdownDescription`` on hover as it is, and escapes the marks in
    # a plain ``description`` (so `feed` would show its backticks): give each its own.
    plain = text.replace("`", "").replace("**", "")
    return {"description": plain, "markdownDescription": text, **_value(key.value)}


def _description(key: Key) -> str:
    meaning = key.meaning[:1].upper() + key.meaning[1:]  # a table cell, shown as a sentence
    if key.required:
        return f"{meaning}\n\nRequired."
    if key.default == "—":
        return meaning
    return f"{meaning}\n\nDefault: {key.default}."


def _value(value: Value) -> Schema:
    if isinstance(value, keyspec.Text):
        return _text(value)
    if isinstance(value, keyspec.Whole):
        return _whole(value)
    if isinstance(value, keyspec.Choice):
        return _choice(value)
    if isinstance(value, keyspec.Flag):
        return {"type": "boolean"}
    if isinstance(value, keyspec.OneOrList):
        one = _text(value.item)
        return {"anyOf": [one, {"type": "array", "items": one}]}
    if isinstance(value, keyspec.Variables):
        return {"type": "object"}
    if isinstance(value, keyspec.Nested):
        return _section(value.section)
    if isinstance(value, keyspec.ListOf):
        return {"type": "array", "items": _section(value.section)}
    return _named(value)


def _text(text: keyspec.Text) -> Schema:
    schema: Schema = {"type": ["string", "number"] if text.numbers else "string"}
    if text.pattern:
        schema["pattern"] = text.pattern
        schema["patternErrorMessage"] = text.shape
    if text.examples:
        schema["examples"] = list(text.examples)
    return schema


def _whole(whole: keyspec.Whole) -> Schema:
    if whole.low == whole.high:
        return {"type": "integer", "enum": [whole.low]}
    return {"type": "integer", "minimum": whole.low, "maximum": whole.high}


def _choice(choice: keyspec.Choice) -> Schema:
    schema: Schema = {"type": "string", "enum": list(choice.options)}
    if choice.meanings:
        schema["enumDescriptions"] = list(choice.meanings)
    return schema


def _named(named: keyspec.Named) -> Schema:
    schema: Schema = {"type": "object", "additionalProperties": _section(named.section)}
    if named.name.pattern:  # holiday names are free text
        schema["propertyNames"] = {
            "pattern": named.name.pattern,
            "patternErrorMessage": named.name.shape,
        }
    if named.at_least:
        schema["minProperties"] = named.at_least
    return schema
