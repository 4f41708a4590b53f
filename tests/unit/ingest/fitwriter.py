"""A tiny FIT encoder for crafting test files the real fixtures do not cover.

It writes exactly what the tests ask for (big-endian definitions, compressed-timestamp
headers, developer fields, chained files, broken CRCs), so each edge case of the
decoders can be checked against fitdecode on bytes built in the test itself.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from backstride.ingest.fit_crc import crc16

# base type bytes as they appear in definitions
ENUM, UINT8, SINT32, UINT16, UINT32, STRING, BYTE = 0x00, 0x02, 0x85, 0x84, 0x86, 0x07, 0x0D
_FORMATS = {ENUM: "B", UINT8: "B", SINT32: "i", UINT16: "H", UINT32: "I", BYTE: "B"}

FILE_ID, SESSION, RECORD, ACTIVITY = 0, 18, 20, 34
FIT_TIME_2020 = 946_684_800  # 2020-01-01T00:00:00Z in FIT epoch seconds


@dataclass
class FitWriter:
    big_endian: bool = False
    body: bytearray = field(default_factory=bytearray)
    _layouts: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    _developer_size: int = 0  # bytes of developer data appended to each data message

    def define(
        self,
        local: int,
        global_number: int,
        fields: list[tuple[int, int, int]],
        developer_fields: list[tuple[int, int, int]] | None = None,
    ) -> FitWriter:
        """fields: (field number, size, base type); developer: (number, size, index)."""
        header = 0x40 | local | (0x20 if developer_fields else 0)
        order = ">" if self.big_endian else "<"
        self.body += bytes([header, 0, 1 if self.big_endian else 0])
        self.body += struct.pack(order + "H", global_number) + bytes([len(fields)])
        for number, size, base in fields:
            self.body += bytes([number, size, base])
        if developer_fields:
            self.body += bytes([len(developer_fields)])
            for number, size, index in developer_fields:
                self.body += bytes([number, size, index])
        self._layouts[local] = fields
        self._developer_size = sum(size for _, size, _ in developer_fields or [])
        return self

    def data(self, local: int, *values: int | bytes, time_offset: int | None = None) -> FitWriter:
        """A data message; `time_offset` writes a compressed-timestamp header instead."""
        if time_offset is None:
            self.body.append(local)
        else:
            self.body.append(0x80 | (local << 5) | (time_offset & 0x1F))
        order = ">" if self.big_endian else "<"
        for (_, size, base), value in zip(self._layouts[local], values, strict=True):
            if isinstance(value, bytes):
                self.body += value.ljust(size, b"\0")[:size]
            else:
                self.body += struct.pack(order + _FORMATS[base], value)
        self.body += b"\xaa" * self._developer_size
        return self

    def raw(self, data: bytes) -> FitWriter:
        self.body += data
        return self

    def build(self, *, header_size: int = 14, corrupt_crc: bool = False) -> bytes:
        header = struct.pack("<BBHI4s", header_size, 0x20, 2132, len(self.body), b".FIT")
        if header_size == 14:
            header += struct.pack("<H", crc16(header))
        crc = crc16(header + bytes(self.body)) ^ (0xFFFF if corrupt_crc else 0)
        return header + bytes(self.body) + struct.pack("<H", crc)


def simple_run(
    records: int = 10, *, big_endian: bool = False, start: int = FIT_TIME_2020
) -> FitWriter:
    """An activity file: file_id, `records` 1 Hz records (HR, distance), one session."""
    writer = FitWriter(big_endian=big_endian)
    writer.define(0, FILE_ID, [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16), (4, 4, UINT32)])
    writer.data(0, 4, 1, 3113, start)
    writer.define(1, RECORD, [(253, 4, UINT32), (3, 1, UINT8), (5, 4, UINT32), (4, 1, UINT8)])
    for second in range(records):
        writer.data(1, start + second, 120 + second, second * 300, 85)
    writer.define(
        2,
        SESSION,
        [(253, 4, UINT32), (2, 4, UINT32), (5, 1, ENUM), (7, 4, UINT32), (9, 4, UINT32)],
    )
    writer.data(2, start + records, start, 1, (records - 1) * 1000, (records - 1) * 300)
    return writer
