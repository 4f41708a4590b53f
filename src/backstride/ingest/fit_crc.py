"""The FIT file CRC (CRC-16 with the reflected 0x8005 polynomial, initial value 0).

A byte-at-a-time Python loop costs about as much as decoding a whole file with numpy,
so the CRC is computed in parallel: the bytes are cut into equal chunks, every chunk's
CRC is advanced one byte column at a time across all chunks at once, and the chunk CRCs
are folded together pairwise. Folding works because this CRC is linear over GF(2) with a
zero start value: crc(A + B) == shift(crc(A), len(B)) XOR crc(B), where shift(x, n) is
the CRC state x advanced over n zero bytes, itself linear and so a pair of 256-entry
lookup tables.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

_POLYNOMIAL: Final = 0xA001  # 0x8005 bit-reversed
_CHUNK: Final = 64  # bytes per parallel lane; short lanes keep the column loop short
_SMALL: Final = 512  # below this the plain loop is quicker than setting up the lanes

U32Array = npt.NDArray[np.uint32]


def _byte_table() -> U32Array:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ _POLYNOMIAL, table >> 1).astype(np.uint32)
    return table


_TABLE: Final = _byte_table()
_TABLE_LIST: Final = _TABLE.tolist()


def crc16(data: bytes | memoryview, start: int = 0, end: int | None = None) -> int:
    """CRC of data[start:end] as the FIT protocol defines it."""
    view = memoryview(data)[start:end]
    if len(view) < _SMALL:
        crc = 0
        table = _TABLE_LIST
        for byte in view.tobytes():
            crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
        return crc
    return _crc16_parallel(np.frombuffer(view, dtype=np.uint8))


def _crc16_parallel(data: npt.NDArray[np.uint8]) -> int:
    lanes = 1 << max(0, int(np.ceil(np.log2(-(-data.size // _CHUNK)))))
    width = -(-data.size // lanes)
    # Leading zero bytes leave a zero CRC state unchanged, so padding in front is free.
    padded = np.zeros(lanes * width, dtype=np.uint8)
    padded[padded.size - data.size :] = data
    columns = padded.reshape(lanes, width).T.astype(np.uint32)

    # Shift tables ride along as 512 extra lanes fed zero bytes: lane i starts in state
    # i (low byte) or i << 8 (high byte) and ends as the state advanced by `width` zeros.
    basis = np.concatenate([np.arange(256, dtype=np.uint32), np.arange(256, dtype=np.uint32) << 8])
    state = np.concatenate([np.zeros(lanes, dtype=np.uint32), basis])
    zeros = np.zeros(512, dtype=np.uint32)
    for column in columns:
        feed = np.concatenate([column, zeros])
        state = (state >> 8) ^ _TABLE[(state ^ feed) & 0xFF]
    crcs = state[:lanes]
    low, high = state[lanes : lanes + 256], state[lanes + 256 :]

    while crcs.size > 1:
        crcs = low[crcs[0::2] & 0xFF] ^ high[crcs[0::2] >> 8] ^ crcs[1::2]
        # Tables for twice the block length: apply the current shift to themselves.
        low, high = low[low & 0xFF] ^ high[low >> 8], low[high & 0xFF] ^ high[high >> 8]
    return int(crcs[0])
