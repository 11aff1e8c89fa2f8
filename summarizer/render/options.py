"""What a renderer may be told besides the briefing: included reports and a user template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["RenderOptions"]


@dataclass(frozen=True)
class RenderOptions:
    """Options shared by the renderers (each ignores what does not apply to it)."""

    include_unverified: bool = False
    """ACLED CSV and GeoJSON: also export events no report of which is grounded, tagged."""
    template: Path | None = None
    """HTML: a Jinja2 template file used instead of the packaged ``briefing.html.j2``."""
