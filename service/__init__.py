"""The okrtree web service: the API the add-on calls, the tree page and the nightly task.

`create_app` is imported lazily so that `okrtree` commands which never serve (validate, sync,
tree) do not pay for importing Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from .app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
