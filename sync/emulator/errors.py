"""The API's error answers, raised anywhere in the emulator and rendered once by the app.

Google answers every failure as ``{"error": {"code", "message", "status"}}``; the status names
come from ``google.rpc.Code``. Keeping the exact texts matters: clients and people match them.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "bad_request",
    "grid_limits",
    "not_found",
    "permission_denied",
    "unparsable_range",
]

STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """A request the real API would refuse; carries the code, message and status it would send."""

    def __init__(self, code: int, message: str, status: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = STATUS.get(code, "UNKNOWN") if status is None else status
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON body Google sends with this error."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.status:
            error["status"] = self.status
        return {"error": error | self.extra}


def bad_request(message: str, **extra: Any) -> ApiError:
    """400 INVALID_ARGUMENT with Google's wording."""
    return ApiError(400, message, **extra)


def not_found() -> ApiError:
    """404 for a spreadsheet that does not exist or that the caller may not see."""
    return ApiError(404, "Requested entity was not found.")


def permission_denied() -> ApiError:
    """403 for a spreadsheet the caller may see but not change."""
    return ApiError(403, "The caller does not have permission")


def unparsable_range(text: str) -> ApiError:
    """400 for an A1 range that is malformed or names a missing tab."""
    return ApiError(400, f"Unable to parse range: {text}")


def grid_limits(label: str, rows: int, cols: int) -> ApiError:
    """400 for a range that reaches past the sheet's grid; ``label`` is ``Title!A1:B2``."""
    return ApiError(
        400, f"Range ({label}) exceeds grid limits. Max rows: {rows}, max columns: {cols}"
    )
