"""The exceptions okrtree raises; the CLI and the service translate them at the edges."""

from __future__ import annotations

__all__ = ["ConfigError", "OkrError", "SourceError"]


class OkrError(Exception):
    """Root of every okrtree error."""


class SourceError(OkrError):
    """The workspace or hub cannot be used at all (missing folder, tab, column or setting)."""


class ConfigError(OkrError):
    """An option or credential is missing or malformed."""
