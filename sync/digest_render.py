"""The digest as text for a terminal, Markdown for e-mail, chat markup for a webhook, or JSON.

Chat markup is what Slack and Google Chat incoming webhooks both read: `*bold*` and
`<https://url|text>` links. Local links (`file.xlsx#'OKRs'!A5`) are shown as text, not links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .digest import STATUS_ORDER, Digest, Line
from .model import STATUS_LABELS

__all__ = ["FORMATS", "digest_json", "render"]

FORMATS = ("text", "markdown", "json", "chat")


def digest_json(digest: Digest) -> dict[str, Any]:
    def line(entry: Line) -> dict[str, Any]:
        return {
            "id": entry.id or None,
            "title": entry.title,
            "team": entry.team,
            "owner": entry.owner,
            "status": entry.status.value,
            "link": entry.link or None,
        }

    return {
        "as_of": digest.as_of.isoformat(),
        "since": digest.since.isoformat(),
        "cycle": digest.cycle,
        "changes": [
            {**line(c.line), "before": c.before.value, "worse": c.worse} for c in digest.changes
        ],
        "stale": [
            {
                "owner": owner or None,
                "key_results": [{**line(s), "last_check_in": s.detail} for s in lines],
            }
            for owner, lines in digest.stale.items()
        ],
        "confidence_gaps": [{**line(g), "confidence": g.detail or None} for g in digest.gaps],
        "errors": [
            {"team": team or None, "findings": [{**line(e), "message": e.detail} for e in lines]}
            for team, lines in digest.errors.items()
        ],
        "counts": {
            "then": {s.value: digest.counts_then.get(s, 0) for s in STATUS_ORDER},
            "now": {s.value: digest.counts_now.get(s, 0) for s in STATUS_ORDER},
        },
        "check_ins": digest.check_ins,
    }


def _web(link: str) -> bool:
    return link.startswith(("https://", "http://"))


class _Style:
    """How one output format writes a heading, a bold word and a link."""

    def __init__(
        self,
        heading: Callable[[str], str],
        bold: Callable[[str], str],
        link: Callable[[str, str], str],
        bullet: str,
    ) -> None:
        self.heading, self.bold, self.link, self.bullet = heading, bold, link, bullet


_STYLES = {
    "text": _Style(lambda t: f"{t}\n" + "-" * len(t), lambda t: t, lambda t, _u: t, "-"),
    "markdown": _Style(
        lambda t: f"### {t}",
        lambda t: f"**{t}**",
        lambda t, u: f"[{t}]({u})" if _web(u) else t,
        "-",
    ),
    "chat": _Style(
        lambda t: f"*{t}*", lambda t: f"*{t}*", lambda t, u: f"<{u}|{t}>" if _web(u) else t, "•"
    ),
}


def render(digest: Digest, style_name: str) -> str:
    """The digest in `text`, `markdown` or `chat` form."""
    style = _STYLES[style_name]
    b = style.bullet
    cycle = f" of {digest.cycle}" if digest.cycle else ""
    out = [
        style.bold(f"OKR digest{cycle}: {digest.since} to {digest.as_of}"),
        "",
        style.heading("Status changes"),
    ]

    def name(entry: Line) -> str:
        shown = f"{entry.id} {entry.title}".strip()
        return style.link(shown, entry.link)

    worse = [c for c in digest.changes if c.worse]
    better = [c for c in digest.changes if not c.worse]
    for label, changes in (("Worse", worse), ("Better", better)):
        for change in changes:
            before, now = STATUS_LABELS[change.before], STATUS_LABELS[change.line.status]
            out.append(f"{b} {label}: {name(change.line)} ({change.line.team}): {before} → {now}")
    if not digest.changes:
        out.append(f"{b} No status changed since {digest.since}.")
    out += ["", style.heading("Whom to ask for an update (stale key results)")]
    for owner, lines in digest.stale.items():
        items = ", ".join(f"{name(s)} (last check-in {s.detail})" for s in lines)
        out.append(f"{b} {style.bold(owner or 'No owner')}: {items}")
    if not digest.stale:
        out.append(f"{b} Every key result was checked in recently.")
    if digest.gaps:
        out += ["", style.heading("Confidence and status disagree")]
        for gap in digest.gaps:
            status = STATUS_LABELS[gap.status]
            out.append(
                f"{b} {name(gap)} ({gap.owner or gap.team}): confidence {gap.detail or '?'} "
                f"but {status}"
            )
    out += ["", style.heading("Errors still open")]
    for team, lines in digest.errors.items():
        out.append(f"{b} {style.bold(team or 'Organisation')}: {len(lines)}")
        out += [f"  {b} {e.detail}" for e in lines[:5]]
        if len(lines) > 5:
            out.append(f"  {b} and {len(lines) - 5} more")
    if not digest.errors:
        out.append(f"{b} None.")
    out += ["", style.heading("Status counts")]
    for status in STATUS_ORDER:
        earlier, latest = digest.counts_then.get(status, 0), digest.counts_now.get(status, 0)
        out.append(f"{b} {STATUS_LABELS[status]}: {earlier} → {latest}")
    if digest.check_ins:
        total = sum(digest.check_ins.values())
        teams = ", ".join(f"{team} {n}" for team, n in sorted(digest.check_ins.items()))
        out += ["", f"{total} check-ins since {digest.since} ({teams})."]
    return "\n".join(out) + "\n"
