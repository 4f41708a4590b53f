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
_LANE_WORDS: Final = 32  # 16-bit words per parallel lane; short lanes keep the loop short
_SMALL: Final = 512  # below this the plain loop is quicker than setting up the lanes

U32Array = npt.NDArray[np.uint32]


def _byte_table() -> U32Array:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ _POLYNOMIAL, table >> 1).astype(np.uint32)
    return table


def _word_table(byte_table: U32Array) -> U32Array:
    """State after two zero bytes, for every 16-bit state.

    Feeding bytes b0, b1 to state s ends in the same state as feeding two zero bytes to
    s ^ (b0 | b1 << 8), so one lookup in this table consumes a little-endian word.
    """
    state = np.arange(1 << 16, dtype=np.uint32)
    for _ in range(2):
        state = (state >> 8) ^ byte_table[state & 0xFF]
    return state


_TABLE: Final = _byte_table()
_TABLE_LIST: Final = _TABLE.tolist()
_WORD_TABLE: Final = _word_table(_TABLE)


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
    words = -(-data.size // 2)
    lanes = 1 << max(0, int(np.ceil(np.log2(-(-words // _LANE_WORDS)))))
    width = -(-words // lanes)
    # Leading zero bytes leave a zero CRC state unchanged, so padding in front is free.
    padded = np.zeros(2 * lanes * width, dtype=np.uint8)
    padded[padded.size - data.size :] = data
    columns = padded.view("<u2").reshape(lanes, width).T.astype(np.uint32)

    # The shift tables ride along as 512 extra lanes fed zero words: lane i starts in
    # state i (low byte) or i << 8 (high byte) and ends as that state advanced over the
    # lane's length of zeros, which is exactly the table the fold below needs.
    feed = np.zeros(lanes + 512, dtype=np.uint32)
    state = np.concatenate(
        [
            np.zeros(lanes, dtype=np.uint32),
            np.arange(256, dtype=np.uint32),
            np.arange(256, dtype=np.uint32) << 8,
        ]
    )
    for column in columns:
        feed[:lanes] = column
        state = _WORD_TABLE[state ^ feed]
    crcs = state[:lanes]
    low, high = state[lanes : lanes + 256], state[lanes + 256 :]

    while crcs.size > 1:
        crcs = low[crcs[0::2] & 0xFF] ^ high[crcs[0::2] >> 8] ^ crcs[1::2]
        # Tables for twice the block length: apply the current shift to themselves.
        low, high = low[low & 0xFF] ^ high[low >> 8], low[high & 0xFF] ^ high[high >> 8]
    return int(crcs[0])
