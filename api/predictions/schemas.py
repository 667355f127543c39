"""Request bodies of the prediction routes as the documents send them, turned into tool inputs.

Document 000 sends `parameters: {timeRange, granularity: "daily", confidenceLevel: 0.95}`; the
tools take snake_case fields with a granularity name and a confidence in percent.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from tools.predictions.schemas import CreatePredictionInput, PredictionList, SourceId, TemplateList
from tools.predictions.windows import granularity_of_words
from tools.schemas import ToolModel


class PredictionParameters(ToolModel):
    time_range: str | None = Field(
        None,
        max_length=40,
        description="next_30_days, next_week, next_month, next_quarter, next_6_months, next_year...",
    )
    granularity: str | None = Field(None, max_length=20, description="daily, weekly, monthly or quarterly")
    confidence_level: float | None = Field(None, gt=0, lt=100, description="0.95 or 95")
    horizon: int | None = Field(None, ge=1, le=731, description="Periods ahead, instead of timeRange")

    @field_validator("confidence_level")
    @classmethod
    def _as_ratio(cls, value: float | None) -> float | None:
        if value is None:
            return None
        ratio = value / 100 if value > 1 else value
        if not 0.5 <= ratio <= 0.99:
            raise ValueError("between 0.5 and 0.99 (or 50 to 99)")
        return ratio


class CreatePredictionBody(ToolModel):
    """POST /api/modules/predictive-analytics/predictions."""

    template_id: str = Field(..., min_length=1, max_length=60)
    parameters: PredictionParameters = Field(default_factory=PredictionParameters)
    data_source_ids: list[SourceId] = Field(default_factory=list, max_length=20)
    name: str | None = Field(None, max_length=200)

    def tool_input(self) -> CreatePredictionInput:
        p = self.parameters
        args: dict[str, Any] = {
            "template_id": self.template_id,
            "data_source_ids": self.data_source_ids,
            "name": self.name,
            "horizon": p.horizon,
            "time_range": p.time_range,
            "granularity": granularity_of_words(p.granularity),
        }
        if p.confidence_level is not None:
            args["confidence"] = round(p.confidence_level * 100)
        return CreatePredictionInput.model_validate(args)


class TemplatePage(TemplateList):
    """A page of templates with its pagination block."""


class PredictionPage(PredictionList):
    """A page of predictions with its pagination block."""
