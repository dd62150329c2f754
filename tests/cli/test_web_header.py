"""The tree page's header says when the cycle has ended, as the terminal does."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.app import create_app


@pytest.mark.parametrize(
    ("as_of", "says", "not_said"),
    [
        ("2027-01-15", "the cycle ended on 2026-12-31", "of the cycle elapsed"),
        ("2026-11-21", "56% of the cycle elapsed", "the cycle ended"),
    ],
)
def test_the_page_header_says_where_the_cycle_stands(
    org: Path, as_of: str, says: str, not_said: str
) -> None:
    # A fresh organisation each time: the page shows the last run saved in its state.
    app = create_app({"SOURCE": str(org), "AS_OF": as_of, "AUTH_MODE": "none"})
    html = app.test_client().get("/tree").text
    header = html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert says in header and not_said not in header
