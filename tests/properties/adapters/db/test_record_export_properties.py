"""Properties of the record archive (adapters/db/record_export.py, ADR 13).

* Every column's value survives the JSON: ``decode(json(encode(v))) == v`` for every
  kind of column of every table of the record (NaN and infinities included).
* Reading an archive never fails with anything but ``RestoreRefused``, whatever the
  rows hold: values of any JSON type, unknown columns, rows missing columns.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.adapters.db.record_export import (
    CODECS,
    DOCUMENT,
    TABLES,
    known_revisions,
    read_archive,
)
from backstride.services.export import FORMAT, VERSION, RestoreRefused

COLUMNS = [(table, codec) for table in TABLES for codec in CODECS[table].values()]

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def values_for(codec: Any) -> st.SearchStrategy[Any]:
    """Values the column can hold (what the database hands the export)."""
    kind = codec.kind
    column = codec.column
    if kind == "int":
        bits = 63 if type(column.type).__name__ == "BigInteger" else 31
        return st.integers(min_value=-(2**bits), max_value=2**bits - 1)
    if kind == "float":
        return st.floats(allow_nan=True, allow_infinity=True)
    if kind == "bool":
        return st.booleans()
    if kind == "text":
        length = getattr(column.type, "length", None) or 2000
        return st.text(st.characters(exclude_characters="\x00"), max_size=min(length, 300))
    if kind == "date":
        return st.dates()
    if kind == "datetime":
        # hypothesis takes naive bounds and adds the zones itself
        return st.datetimes(
            min_value=dt.datetime(1900, 1, 2),  # noqa: DTZ001
            max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
            timezones=st.just(dt.UTC) | st.timezones(),
        ).map(lambda moment: moment.astimezone(dt.UTC))
    if kind == "bytes":
        return st.binary(max_size=200)
    if kind == "json":
        # A document is never JSON null (None is the column's SQL NULL) nor holds U+0000.
        documents = JSON_VALUES.filter(lambda v: v is not None and "\x00" not in json.dumps(v))
        return documents | st.none() if column.nullable else documents
    return st.text(max_size=50)  # a file's path in the archive


@st.composite
def column_values(draw: st.DrawFn) -> tuple[Any, Any]:
    _, codec = draw(st.sampled_from(COLUMNS))
    values = values_for(codec)
    if codec.column.nullable and codec.kind != "json":
        values = values | st.none()
    return codec, draw(values)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@given(column_values())
def test_every_column_value_survives_the_json(drawn: tuple[Any, Any]) -> None:
    codec, value = drawn
    text = json.dumps(codec.encode(value), allow_nan=False, sort_keys=True)
    assert same(codec.decode(json.loads(text)), value)


def archive_of(tables: dict[str, Any]) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": max(known_revisions()),
        "exported_at": "2026-04-01T12:00:00+00:00",
        "backstride": "0",
        "account": {"username": "local", "display_name": "You", "role": "runner"},
        "clinicians": [],
        "tables": tables,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(DOCUMENT, json.dumps(document))
    return out.getvalue()


@st.composite
def hostile_tables(draw: st.DrawFn) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in draw(st.lists(st.sampled_from(TABLES), max_size=3, unique=True)):
        columns = [*CODECS[table], "owner_id", "extra"]
        rows = st.dictionaries(st.sampled_from(columns), JSON_VALUES, max_size=len(columns))
        tables[table] = draw(st.lists(rows, max_size=3) | JSON_VALUES)
    return tables


@given(hostile_tables())
def test_reading_any_rows_refuses_or_succeeds_and_never_crashes(tables: dict[str, Any]) -> None:
    problems: tuple[str, ...] = ("read",)
    try:
        read_archive(archive_of(tables))
    except RestoreRefused as refused:
        problems = refused.problems
    assert problems
    assert all(isinstance(p, str) and p for p in problems)


def test_an_archive_with_no_rows_reads() -> None:
    checked = read_archive(archive_of({}))
    assert all(rows == [] for rows in checked.rows.values())


@pytest.mark.parametrize("table", TABLES)
def test_each_table_has_a_codec_for_every_column_but_the_owner(table: str) -> None:
    from backstride.adapters.db.base import Base

    columns = {c.name for c in Base.metadata.tables[table].columns} - {"owner_id"}
    assert set(CODECS[table]) == columns
