"""The plain-language wording of intake fields, and findings described for people."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from backstride.content.loader import ContentError, content_root


class FieldText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    question: str
    options: dict[str, str] = {}
    no_label: str | None = None


class Questions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regions: dict[str, str]
    fields: dict[str, FieldText]

    def field(self, path: str) -> FieldText:
        return self.fields[path]

    def option(self, path: str, value: str) -> str:
        if path.endswith(("regions", "numbness", "tingling", "weakness")):
            return self.regions.get(value, value)
        return self.fields[path].options.get(value, value) if path in self.fields else value

    def describe(self, finding: str) -> str:
        """'pain.aggravated_by=sitting' -> 'Made worse by: sitting'."""
        path, _, raw = finding.partition("=")
        text = self.fields.get(path)
        if text is None:
            return finding
        if not raw:
            return text.label
        if raw == "false":
            return text.no_label or f"{text.label}: no"
        return f"{text.label}: {self.option(path, raw)}"


@cache
def load_questions() -> Questions:
    raw: Any = yaml.safe_load(content_root().joinpath("questions.yaml").read_text("utf-8"))
    try:
        return Questions.model_validate(raw)
    except Exception as error:
        raise ContentError(f"content/questions.yaml is invalid: {error}") from error
