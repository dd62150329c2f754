"""The CRC-32 of two byte strings joined, from the CRC-32 of each and the second one's length.

A sheet part compressed in chunks (`xlsx_chunks`) needs the CRC-32 of the whole part for its
zip entry; when one chunk changes, the others' CRCs are combined instead of reading them all
again. This is zlib's `crc32_combine` (crc32.c, from version 1.2.12), which the standard
library does not offer: multiplying the first CRC by x^(8 * len2) modulo the CRC polynomial.

>>> import zlib
>>> crc32_combine(zlib.crc32(b"okr"), zlib.crc32(b"tree"), 4) == zlib.crc32(b"okrtree")
True
"""

from __future__ import annotations

__all__ = ["crc32_combine"]

_POLYNOMIAL = 0xEDB88320  # reflected, as zlib's CRC-32
_ONE = 1 << 31  # the polynomial 1 in this reflected form


def _multiply(a: int, b: int) -> int:
    """a * b modulo the CRC polynomial (both reflected)."""
    product = 0
    mask = _ONE
    while mask:
        if a & mask:
            product ^= b
            if not a & (mask - 1):
                break
        mask >>= 1
        b = (b >> 1) ^ _POLYNOMIAL if b & 1 else b >> 1
    return product


def _powers() -> list[int]:
    """x^(2^n) modulo the polynomial, for n in 0..31."""
    power = _ONE >> 1  # x^1
    table = []
    for _ in range(32):
        table.append(power)
        power = _multiply(power, power)
    return table


_X_TO_2_TO_N = _powers()


def _x_to_n_bytes(length: int) -> int:
    """x^(8 * length) modulo the polynomial."""
    power = _ONE
    k = 3  # 8 bits a byte: start at x^(2^3)
    while length:
        if length & 1:
            power = _multiply(_X_TO_2_TO_N[k & 31], power)
        length >>= 1
        k += 1
    return power


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of `a + b` from `crc1` of `a`, `crc2` of `b` and `length2 = len(b)`."""
    return _multiply(_x_to_n_bytes(length2), crc1) ^ crc2
