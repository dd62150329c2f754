"""The one gateway to the Sheets and Drive APIs: every request okrtree sends passes here.

Requests go through gspread's own `HTTPClient.request`, so gspread's transport, credentials
and error mapping are used as they are; around each attempt the rate limiter takes a token and
the retry policy decides about failures. Bodies are checked before they leave: no NaN, no
infinity, no numpy scalars (Google rejects the first two and `json` cannot encode the last).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import gspread
from gspread.http_client import HTTPClient
from gspread.urls import (
    DRIVE_FILES_API_V3_URL,
    SPREADSHEET_BATCH_UPDATE_URL,
    SPREADSHEET_URL,
    SPREADSHEET_VALUES_BATCH_URL,
    SPREADSHEETS_API_V4_BASE_URL,
)
from requests.adapters import HTTPAdapter

from ..errors import SourceError
from .credentials import Identity, resolve_credentials
from .endpoint import endpoint_from, redirect
from .ratelimit import Quotas
from .retry import Failure, RetryPolicy, classify

__all__ = ["GoogleApiError", "SheetsApi", "clean_json", "make_api"]

REQUEST_TIMEOUT = (10.0, 120.0)  # connect, read: a hung request becomes a retried timeout


class GoogleApiError(SourceError):
    """A Google API request failed for good (refused, or still failing after retries)."""

    def __init__(self, message: str, failure: Failure, attempts: int) -> None:
        super().__init__(message)
        self.failure = failure
        self.attempts = attempts

    @property
    def status(self) -> int | None:
        return self.failure.status

    @property
    def detail(self) -> str:
        return self.failure.detail

    @property
    def ambiguous(self) -> bool:
        """The request may have been applied although no answer came back."""
        return self.failure.transient and self.failure.executed_maybe


def clean_json(value: Any) -> Any:
    """A copy of a request body holding only JSON types: NaN and infinities become null,
    numpy scalars become Python numbers, tuples lists. Anything else is a bug: TypeError."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):  # np.float64 is a float: made a plain one here
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalars (np.float64, np.int64, np.bool_)
    if callable(item) and not isinstance(value, dt.date):
        plain = item()
        if isinstance(plain, bool | int | float | str):
            return clean_json(plain)
    raise TypeError(f"{type(value).__name__} is not JSON a Google API accepts: {value!r}")


class SheetsApi:
    """Sheets v4 and Drive v3 calls with limits and retries; thread-safe (parallel reads).

    `account` is the e-mail spreadsheets must be shared with, when known, for messages.
    """

    def __init__(
        self,
        http: HTTPClient,
        quotas: Quotas | None = None,
        retry: RetryPolicy | None = None,
        account: str | None = None,
    ) -> None:
        self.http = http
        self.quotas = quotas or Quotas.build()
        self.retry = retry or RetryPolicy()
        self.account = account

    # -- the one place requests leave ----------------------------------------------------------

    def call(
        self,
        method: str,
        url: str,
        *,
        write: bool,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        what: str = "",
    ) -> dict[str, Any]:
        """Send one request (retrying as the policy says); its JSON answer, `{}` when empty."""
        payload = clean_json(body) if body is not None else None
        limiter = self.quotas.writes if write else self.quotas.reads
        attempt = 0
        while True:
            attempt += 1
            limiter.acquire()
            try:
                response = self.http.request(
                    method, url, params=dict(params) if params else None, json=payload
                )
            except Exception as err:  # noqa: BLE001 - classified just below; others re-raised
                failure = classify(err)
                if failure is None:
                    raise
                if self.retry.should_retry(failure, attempt, idempotent):
                    self.retry.sleep(self.retry.delay(attempt, failure.retry_after))
                    continue
                message = _message(what or f"{method.upper()} {url}", failure, attempt)
                raise GoogleApiError(message, failure, attempt) from err
            return response.json() if response.content else {}

    # -- Sheets ----------------------------------------------------------------------------

    def get_spreadsheet(
        self, key: str, *, fields: str, ranges: Sequence[str] = (), grid_data: bool = False
    ) -> dict[str, Any]:
        """`spreadsheets.get` with a field mask (and the cells of `ranges`, if any)."""
        params: dict[str, Any] = {"fields": fields}
        if ranges:
            params["ranges"] = list(ranges)
        if grid_data:
            params["includeGridData"] = "true"
        return self.call("get", SPREADSHEET_URL % quote(key, safe=""), write=False, params=params)

    def values_batch_get(self, key: str, ranges: Sequence[str]) -> list[list[list[Any]]]:
        """`values.batchGet`, unformatted values with date serials; one grid per range."""
        params = {
            "ranges": list(ranges),
            "valueRenderOption": "UNFORMATTED_VALUE",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
        }
        answer = self.call(
            "get", SPREADSHEET_VALUES_BATCH_URL % quote(key, safe=""), write=False, params=params
        )
        found = answer.get("valueRanges") or []
        return [list(r.get("values") or []) for r in found] + [[]] * (len(ranges) - len(found))

    def batch_update(
        self, key: str, requests: list[dict[str, Any]], *, idempotent: bool = True
    ) -> dict[str, Any]:
        """`spreadsheets.batchUpdate`: all the requests apply together or none does."""
        return self.call(
            "post",
            SPREADSHEET_BATCH_UPDATE_URL % quote(key, safe=""),
            write=True,
            body={"requests": requests},
            idempotent=idempotent,
        )

    def create_spreadsheet(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """`spreadsheets.create`; not retried after an ambiguous failure (it would duplicate)."""
        return self.call(
            "post", SPREADSHEETS_API_V4_BASE_URL, write=True, body=body, idempotent=False
        )

    # -- Drive -----------------------------------------------------------------------------

    def list_files(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """One page of Drive `files.list` (`q`, `fields`, `pageSize`, `pageToken`)."""
        return self.call(
            "get", DRIVE_FILES_API_V3_URL, write=False, params=params, what="listing Drive files"
        )

    def share(self, file_id: str, email: str, role: str = "writer") -> dict[str, Any]:
        """Give `email` access to a file (Drive `permissions.create`)."""
        return self.call(
            "post",
            f"{DRIVE_FILES_API_V3_URL}/{quote(file_id, safe='')}/permissions",
            write=True,
            params={"sendNotificationEmail": "true", "supportsAllDrives": "true"},
            body={"type": "user", "role": role, "emailAddress": email},
            what=f"sharing {file_id} with {email}",
        )


def _message(what: str, failure: Failure, attempts: int) -> str:
    status = f"HTTP {failure.status}" if failure.status is not None else "no answer"
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    detail = f": {failure.detail}" if failure.detail else ""
    return f"{what} failed ({status}{tries}){detail}"


def make_api(
    credentials: str | None = None,
    *,
    endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
    reads_per_minute: int | None = None,
    writes_per_minute: int | None = None,
    pool_size: int = 16,
) -> SheetsApi:
    """Build the gateway the CLI and the service use: credentials resolved (see
    `credentials.resolve_credentials`), traffic sent to `endpoint` / `OKRTREE_SHEETS_ENDPOINT`
    when set, quotas from options or the environment. Google counts requests per account, so
    a process makes one and passes it to every backend it opens (`create_app` does)."""
    identity: Identity = resolve_credentials(credentials, env)
    http = gspread.http_client.HTTPClient(identity.credentials)
    http.set_timeout(REQUEST_TIMEOUT)
    pooled = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
    http.session.mount("https://", pooled)
    base = endpoint_from(endpoint, env)
    if base is not None:
        redirect(http.session, base, pool_size)
    quotas = Quotas.build(reads_per_minute, writes_per_minute, env)
    return SheetsApi(http, quotas, RetryPolicy(), identity.account)
