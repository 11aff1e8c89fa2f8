"""How often analysts corrected the model, shipped beside gold exported from reviews.

``summarizer review export DIR`` writes ``DIR/corrections.yaml`` next to the gold files; a
dataset loaded from that directory carries it (:attr:`Dataset.corrections`) and the eval
report shows it as a small table: per field, how many of the model's kept events the analysts
changed.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["CORRECTIONS_FILE", "CORRECTION_FIELDS", "Corrections", "load_corrections"]

#: File name of the corrections summary inside an exported gold directory.
CORRECTIONS_FILE = "corrections.yaml"
#: Fields counted, in the order the table lists them (the eval's field names).
CORRECTION_FIELDS = (
    "type",
    "sub_type",
    "place",
    "actors",
    "figures",
    "qualifier",
    "date",
    "attribution",
    "summary",
)


class Corrections(BaseModel):
    """What analysts decided about the model's events in the exported articles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: str = Field(description="The reviewed brief run.")
    articles: int = Field(ge=0, description="Articles exported.")
    model_events: int = Field(ge=0, description="Events the model reported in them.")
    accepted: int = Field(ge=0, description="Kept without change.")
    corrected: int = Field(ge=0, description="Kept with at least one field changed.")
    rejected: int = Field(ge=0, description="Rejected (not an event, duplicate, wrong article).")
    added: int = Field(ge=0, description="Events the model missed, added by analysts.")
    fields: dict[str, int] = Field(
        default_factory=dict, description="Per field: kept model events whose value was changed."
    )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Return (field, corrected, of kept events, rate) rows, then the event totals."""
        kept = self.accepted + self.corrected
        rows = []
        for name in CORRECTION_FIELDS:
            n = self.fields.get(name, 0)
            rate = f"{n / kept:.2f}" if kept else "—"
            rows.append((name, str(n), str(kept), rate))
        total = self.model_events
        for label, n in (("rejected", self.rejected), ("added (missed)", self.added)):
            rows.append((label, str(n), str(total), f"{n / total:.2f}" if total else "—"))
        return rows


def load_corrections(directory: Path) -> Corrections | None:
    """Return the corrections summary of an exported gold directory, if it has one.

    Raises:
        ValueError: the file exists but is not a valid summary (the message names it).
    """
    path = directory / CORRECTIONS_FILE
    if not path.is_file():
        return None
    try:
        return Corrections.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as e:
        raise ValueError(f"{path}: {e}") from e
