"""Response models of the endpoints the page reads for people: the plain answer and the
label tables (``keicar.present``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .schemas import Versions


class PlainAnswer(Versions):
    """One or two sentences a non-lawyer understands (`keicar.present.plain`)."""

    tone: Literal["road", "road_restricted", "off_road", "not_yet", "no", "unclear"] = Field(
        description="What the owner may do: road, road_restricted, off_road, not_yet, no, or unclear "
                    "(the state's rule is unclear).")
    tone_label: str = Field(description="The tone in words, e.g. 'Road use, with limits'.")
    sentences: list[str]
    text: str = Field(description="The sentences joined.")
    on: str = Field(description="The date asked.")


class Basis(BaseModel):
    name: str
    meaning: str
    weak: bool = Field(description="True where the map hatches the reading (reports, not the state's text).")


class LabelsAnswer(Versions):
    """Words for the identifiers answers hold (`keicar.present.labels`)."""

    path: dict[str, str]
    status: dict[str, str]
    applies_to: dict[str, str]
    status_from: dict[str, str]
    confidence: dict[str, str]
    basis: dict[str, Basis]
    rule: dict[str, str]
    state_field: dict[str, str] = Field(description="A state's parameters, as scheduled changes name them.")
    paper: dict[str, str]
    stage: dict[str, str]
    month_reading: dict[str, str]
    tone: dict[str, str]
    citation_asides: str = Field(description="A regular expression: asides about mirrors to drop from a "
                                             "source's title before showing it.")
