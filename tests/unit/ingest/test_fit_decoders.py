"""The vectorised decoder reads exactly what fitdecode reads, on every real FIT file and
on crafted files for the edge cases the real ones lack."""

from __future__ import annotations

import os

import numpy as np
import pytest
from fitdecode.utils import compute_crc

from backstride.ingest import fit, fit_fast, fit_reference
from backstride.ingest.errors import (
    FitCrcError,
    FitFastPathUnsupportedError,
    FitHeaderError,
    FitStructureError,
    FitTruncatedError,
)
from backstride.ingest.fit_crc import crc16
from backstride.ingest.fit_profile import MESSAGES, FitMessages
from tests.unit.ingest import fitwriter as fw
from tests.unit.ingest.conftest import fit_payload


def assert_same_tables(fast: FitMessages, reference: FitMessages) -> None:
    for spec in MESSAGES:
        ours, theirs = fast[spec.name], reference[spec.name]
        assert ours.size == theirs.size, spec.name
        for field in spec.fields:
            label = f"{spec.name}.{field.name}"
            if field.is_string:
                assert ours.strings(field.name) == theirs.strings(field.name), label
            else:
                np.testing.assert_allclose(
                    ours.column(field.name),
                    theirs.column(field.name),
                    rtol=1e-12,
                    atol=1e-9,
                    equal_nan=True,
                    err_msg=label,
                )


def test_unsupported_constructs_fall_back_to_fitdecode(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> FitMessages:
        raise FitFastPathUnsupportedError("pretend this file needs the full profile")

    monkeypatch.setattr(fit_fast, "decode", refuse)
    data = fit_payload("fitparse_garmin-fenix-5-run.fit")
    messages = fit.decode_messages(data)
    assert messages.decoder == "fitdecode"
    assert "reference decoder" in messages.warnings[-1]
    (activity,) = fit.read_fit(data, "fenix5.fit")
    assert activity.distance_m == pytest.approx(157.56)


def test_a_real_unsupported_construct_is_decoded_by_fitdecode_instead() -> None:
    # compressed_speed_distance is 3 bytes in the profile; a 4-byte one is left to
    # fitdecode's generic component code rather than guessed at.
    writer = fw.FitWriter()
    writer.define(0, fw.FILE_ID, [(0, 1, fw.ENUM)])
    writer.data(0, 4)
    writer.define(1, fw.RECORD, [(253, 4, fw.UINT32), (8, 4, fw.BYTE)])
    for second in range(5):
        packed = (second * 16 * 10) << 12 | 250  # 10 m per second, 2.5 m/s
        writer.data(1, fw.FIT_TIME_2020 + second, packed.to_bytes(4, "little"))
    data = writer.build()
    with pytest.raises(FitFastPathUnsupportedError, match="4 bytes"):
        fit_fast.decode(data)
    messages = fit.decode_messages(data)
    assert messages.decoder == "fitdecode"
    np.testing.assert_allclose(messages["record"].column("distance"), [0, 10, 20, 30, 40])
    (activity,) = fit.read_fit(data, "odd.fit")
    assert activity.distance_m == 40


def test_an_unknown_base_type_in_a_needed_field_goes_to_fitdecode() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32), (3, 1, 0x1F)])
    writer.raw(bytes([0]) + fw.FIT_TIME_2020.to_bytes(4, "little") + b"\x80")
    with pytest.raises(FitFastPathUnsupportedError, match="unknown base type"):
        fit_fast.decode(writer.build())
    assert fit.decode_messages(writer.build())["record"].size == 1


@pytest.mark.parametrize("size", [1, 2, 100, 511, 512, 513, 4097, 100_003])
def test_vectorised_crc_equals_the_byte_by_byte_crc(size: int) -> None:
    data = os.urandom(size)
    assert crc16(data) == compute_crc(data)
    assert crc16(b"ab" + data + b"cd", 2, size + 2) == compute_crc(data)


def test_crc_of_nothing_is_zero() -> None:
    assert crc16(b"") == 0


def decode_both(data: bytes) -> FitMessages:
    fast = fit_fast.decode(data)
    assert_same_tables(fast, fit_reference.decode(data))
    return fast


def test_crafted_little_and_big_endian_files_decode_alike() -> None:
    little = decode_both(fw.simple_run(12).build())
    big = decode_both(fw.simple_run(12, big_endian=True).build())
    for table in ("record", "session", "file_id"):
        for name, column in little[table].columns.items():
            np.testing.assert_array_equal(column, big[table].column(name))
    assert little["record"].column("distance")[-1] == 33.0
    assert little["record"].column("heart_rate")[3] == 123


def test_twelve_byte_header_without_header_crc_is_read() -> None:
    assert decode_both(fw.simple_run(3).build(header_size=12))["record"].size == 3


def test_compressed_timestamps_roll_over_every_32_seconds() -> None:
    start = fw.FIT_TIME_2020 + 30  # low five bits 30: the next offsets wrap quickly
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32), (3, 1, fw.UINT8)])
    writer.data(0, start, 100)
    writer.define(1, fw.RECORD, [(3, 1, fw.UINT8)])
    for step in range(1, 80):
        writer.data(1, 100 + step % 50, time_offset=(start + step) & 0x1F)
    messages = decode_both(writer.build())
    stamps = messages["record"].column("timestamp")
    np.testing.assert_array_equal(stamps, start + np.arange(80))


def test_developer_fields_are_skipped_byte_exactly() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32), (3, 1, fw.UINT8)], [(0, 5, 0), (1, 2, 0)])
    for second in range(20):
        writer.data(0, fw.FIT_TIME_2020 + second, 90 + second)
    messages = decode_both(writer.build())
    np.testing.assert_array_equal(messages["record"].column("heart_rate"), 90 + np.arange(20))


def test_invalid_values_become_nan() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32), (3, 1, fw.UINT8), (0, 4, fw.SINT32)])
    writer.data(0, fw.FIT_TIME_2020, 0xFF, 0x7FFFFFFF)
    writer.data(0, fw.FIT_TIME_2020 + 1, 150, 123456)
    record = decode_both(writer.build())["record"]
    assert np.isnan(record.column("heart_rate")[0])
    assert record.column("heart_rate")[1] == 150
    assert np.isnan(record.column("position_lat")[0])


def test_misaligned_field_sizes_are_skipped_without_losing_alignment() -> None:
    # A COROS firmware declares a 1-byte uint32: no value, but the bytes must be skipped.
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32), (5, 3, fw.UINT32), (3, 1, fw.UINT8)])
    writer.data(0, fw.FIT_TIME_2020, b"\x01\x02\x03", 140)
    record = decode_both(writer.build())["record"]
    assert np.isnan(record.column("distance")[0])
    assert record.column("heart_rate")[0] == 140


def test_chained_fit_files_are_read_one_after_the_other() -> None:
    first = fw.simple_run(5).build()
    second = fw.simple_run(7, start=fw.FIT_TIME_2020 + 3600).build()
    messages = decode_both(first + second)
    assert messages["record"].size == 12
    assert messages["session"].size == 2
    activities = fit.read_fit(first + second, "chained.fit")
    assert [len(a.streams) for a in activities] == [5, 7]


def test_strings_are_read_up_to_their_terminator() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.FILE_ID, [(0, 1, fw.ENUM), (1, 2, fw.UINT16), (8, 12, fw.STRING)])
    writer.data(0, 4, 294, b"PACE 2\0junk")
    assert decode_both(writer.build())["file_id"].strings("product_name") == ["PACE 2"]


def test_a_fit_file_that_is_not_an_activity_is_refused() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.FILE_ID, [(0, 1, fw.ENUM), (1, 2, fw.UINT16)])
    writer.data(0, 2, 1)  # type 2: settings
    with pytest.raises(Exception, match="settings file, not an activity"):
        fit.read_fit(writer.build(), "settings.fit")


@pytest.mark.parametrize(
    ("mutate", "error", "message"),
    [
        (lambda data: data[:-1], FitTruncatedError, "truncated"),
        (lambda data: data[: len(data) // 2], FitTruncatedError, "truncated"),
        (lambda data: data[:11], FitHeaderError, "12-byte header"),
        (lambda data: data[:8] + b".FIX" + data[12:], FitHeaderError, "signature"),
        (lambda data: data[:30] + bytes([data[30] ^ 0x40]) + data[31:], FitCrcError, "CRC"),
        (lambda data: data[:12] + bytes([data[12] ^ 1]) + data[13:], FitCrcError, "header CRC"),
    ],
)
def test_damaged_files_raise_typed_errors(mutate: object, error: type, message: str) -> None:
    data = fw.simple_run(20).build()
    assert callable(mutate)
    with pytest.raises(error, match=message):
        fit_fast.decode(mutate(data))


def test_undefined_local_message_type_is_a_structure_error() -> None:
    data = fw.FitWriter().raw(bytes([0x05, 1, 2, 3])).build()
    with pytest.raises(FitStructureError, match="never defined"):
        fit_fast.decode(data)


def test_message_running_past_the_data_is_a_structure_error() -> None:
    writer = fw.FitWriter()
    writer.define(0, fw.RECORD, [(253, 4, fw.UINT32)])
    writer.raw(bytes([0, 1, 2]))  # a 4-byte body cut to 2
    with pytest.raises(FitStructureError, match="past the end"):
        fit_fast.decode(writer.build())


def test_reference_decoder_errors_are_typed_too() -> None:
    data = fw.simple_run(20).build(corrupt_crc=True)
    with pytest.raises(FitCrcError):
        fit_reference.decode(data)
    with pytest.raises(FitTruncatedError):
        fit_reference.decode(fw.simple_run(20).build()[:-7])
