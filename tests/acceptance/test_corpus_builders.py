"""The hostile builders' zip writer makes archives any reader accepts, with the content it says."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.corpus.hostile import Repeated, write_zip


@pytest.mark.parametrize("times", [0, 1, 7, 1000])
def test_write_zip_lays_repeated_blocks_end_to_end_with_true_crcs(
    tmp_path: Path, times: int
) -> None:
    members = {
        "plain.xml": b"<a>plain</a>",
        "big.xml": Repeated(b"<b>", b"<c>block</c>" * 3, times, b"</b>"),
    }
    path = write_zip(tmp_path / "x.zip", members)

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.read("plain.xml") == b"<a>plain</a>"
        assert archive.read("big.xml") == b"<b>" + b"<c>block</c>" * 3 * times + b"</b>"
        assert archive.namelist() == ["plain.xml", "big.xml"]
