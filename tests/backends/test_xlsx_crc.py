"""`crc32_combine` gives the CRC-32 of two byte strings joined, as `zlib.crc32` does."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from sync.backends.xlsx_crc import crc32_combine


@given(first=st.binary(max_size=3000), second=st.binary(max_size=3000))
def test_combined_crc_is_the_crc_of_the_joined_bytes(first: bytes, second: bytes) -> None:
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


@given(pieces=st.lists(st.binary(max_size=500), max_size=12))
def test_combining_piece_by_piece_gives_the_crc_of_them_all(pieces: list[bytes]) -> None:
    crc = 0
    for piece in pieces:
        crc = crc32_combine(crc, zlib.crc32(piece), len(piece))
    assert crc == zlib.crc32(b"".join(pieces))


@given(crc1=st.integers(0, 2**32 - 1), crc2=st.integers(0, 2**32 - 1))
def test_a_long_second_string_is_combined_by_its_length_alone(crc1: int, crc2: int) -> None:
    # 5 MiB of zeros after bytes of crc1: the same as extending them byte by byte.
    zeros = bytes(5 << 20)
    expected = zlib.crc32(zeros, crc1) ^ zlib.crc32(zeros) ^ crc2
    assert crc32_combine(crc1, crc2, len(zeros)) == expected
