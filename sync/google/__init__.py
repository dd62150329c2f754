"""Talking to Google: credentials, endpoint, quotas, retries and the Sheets/Drive gateway.

The Google backend (`sync.backends.gsheets`) and provisioning (`provision`) send every request
through `api.SheetsApi`, so the rate limiter, the retry policy and the JSON checks apply to all
of them in one place.
"""

__all__: list[str] = []  # the modules are the public surface: api, credentials, ...
