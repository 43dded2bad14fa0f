"""The answers of the JSON API, declared for /openapi.json so that generated clients work.

These models document the contract; the endpoints send the core's data as it is (no
re-validation on the way out: /v1/check stays at the core's speed). tests/test_web_schemas.py
holds every model against real answers (all states on several dates, the case files, the
catalog, the calendar, costs), so a change in the core that breaks the contract fails there.
Fields always present are required; `None` in a type means the value may be null. More
fields may be added: every object allows extra properties.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

#: a value a rule compared (a date as text, a number, a flag, a list of accepted values)
Value = Optional[Union[bool, int, float, str, list[str]]]
Confidence = Optional[str]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Versions(_Out):
    keicar_version: str = Field(description="The keicar release that answered.")
    law_version: str = Field(description="Content hash of the law data used.")


class Error(BaseModel):
    """Bad input (422) or a body over the size limit (413)."""

    field: Optional[str] = Field(description="The request field at fault (`request_body` for the whole body).")
    error: str = Field(description="One line: the field, what was wrong and what is accepted.")


class Health(Versions):
    status: str


# ---------------------------------------------------------------- /v1/check

class Read(_Out):
    """One dated parameter value a step or a variable read."""

    parameter: str
    value: Value
    since: str = Field(description="The day this value took effect, YYYY-MM-DD.")
    citation: Optional[str]
    confidence: Confidence


class Step(_Out):
    """One rule applied: the vehicle's value against a dated, cited limit."""

    rule: str
    label: str
    passed: Optional[bool] = Field(description="null when an input the rule needs is missing.")
    value: Value
    limit: Value
    unit: str
    op: str
    effective: Optional[str] = Field(description="The day the limit used took effect, YYYY-MM-DD.")
    citation: Optional[str]
    citations: list[str]
    confidence: Confidence
    parameter: Optional[str] = Field(description="The law parameter the limit came from.")
    note: Optional[str] = None
    disputed: Optional[list[str]] = None
    excess: Optional[Union[int, float]] = Field(None, description="By how much the value passed the limit.")
    reads: list[Read] = Field([], description="Every dated parameter value the step read; `citation`, "
                                              "`effective` and `confidence` are those of the last one.")


class Info(_Out):
    rule: str
    text: str
    value: Value
    effective: Optional[str]
    citation: Optional[str]
    confidence: Confidence


class Vehicle(_Out):
    built: str
    built_start: str
    built_end: str
    built_precision: str
    body: str
    length_mm: Union[int, float]
    width_mm: Union[int, float]
    height_mm: Union[int, float]
    stroke: int
    cc: Optional[Union[int, float]] = None
    ev_kw: Optional[Union[int, float]] = None
    make: Optional[str] = None
    model: Optional[str] = None
    chassis: Optional[str] = None
    filled_from_catalog: Optional[list[str]] = None
    catalog: Optional[dict] = Field(None, description="With `chassis`: what the catalog filled in.")
    warnings: Optional[list[str]] = Field(None, description="What contradicts the input, e.g. a build date "
                                                            "outside the chassis code's production window.")


class Kei(_Out):
    is_kei: bool = Field(description="Kei under the standard in force when built (false where an input is missing).")
    regime: Optional[str] = Field(description="The kei standard in force when built (its start date).")
    is_kei_today: bool = Field(description="Kei under the standard in force on the date asked.")
    regime_today: Optional[str]
    failed: list[str]
    failed_today: list[str]
    judged_on: str
    checks: list[Step]
    checks_today: list[Step]
    info: list[Info]


class US(_Out):
    nhtsa_eligible_from: Optional[str]
    epa_eligible_from: Optional[str]
    importable: bool
    path: str
    road_legal_import: bool
    month_reading: str
    checks: list[Step]
    notes: list[str]
    nhtsa_eligible_from_month_end: Optional[str] = None
    nhtsa_eligible_from_month_start: Optional[str] = None


class Import(_Out):
    """Another country's import rules (with `country`)."""

    country: str
    name: str
    eligible_from: Optional[str]
    importable: bool
    path: str
    checks: list[Step]
    notes: list[str]
    approval_exempt_from: Optional[str] = None


class Paper(_Out):
    item: str
    step: int
    stage: str
    agency: str
    form: Optional[str]
    description: str
    citation: Optional[str]
    citations: list[str]
    effective: Optional[str]
    confidence: Confidence


class PapersState(_Out):
    """The state status the state steps followed (no road title where the state refuses one)."""

    code: str
    name: str
    status: str
    effective: Optional[str] = Field(description="The day the status value took effect, YYYY-MM-DD.")
    citations: list[str]


class Papers(_Out):
    path: Optional[str]
    path_description: Optional[str]
    mode: str
    items: list[Paper]
    note: Optional[str]
    state: Optional[PapersState] = Field(None, description="With a state: the status its steps followed.")


class Scheduled(_Out):
    date: str
    parameter: str
    value: Value
    citation: Optional[str]


class Grandfather(_Out):
    registered_before: str
    status: str
    citation: Optional[str]
    registered: Optional[str] = None


class StateRule(_Out):
    """A state's answer for one body class on a date."""

    status: str = Field(description="e.g. allowed, restricted, prohibited, unclear")
    max_posted_speed_mph: Optional[int]
    interstates: Optional[bool]
    registration_class: Optional[str]
    effective: Optional[str]
    confidence: Confidence
    basis: Optional[str]
    citations: list[str]
    sentence: str


class Definition(_Out):
    outside: bool
    missed: list[str]
    checks: list[Step]
    not_checked: list[dict]


class StateBlock(StateRule):
    """The state block of a check (with `state`)."""

    code: str
    name: str
    applies_to: str
    record_confidence: Confidence
    status_from: str
    grandfathered: bool
    road_importable: Optional[bool]
    scheduled: list[Scheduled]
    grandfather: Optional[Grandfather] = None
    definition: Optional[Definition] = None


class CheckAnswer(Versions):
    """The `keicar check --json` contract."""

    on: str
    vehicle: Vehicle
    verdict: str
    kei: Kei
    us: Optional[US] = Field(None, description="The US federal answer (absent with another `country`).")
    papers: Optional[Papers] = None
    state: Optional[StateBlock] = None
    country: Optional[str] = None
    import_: Optional[Import] = Field(None, alias="import")
    variables: dict[str, Value] = Field(
        description="The value of every registry variable (`GET /v1/variables`) whose inputs are given: "
                    "kei.*, us.*, papers.*, ca.*, au.*, uk.*, duty.* (entry on the date asked) and, "
                    "with a state, state.*. Dates are YYYY-MM-DD; `names` are comma-joined.")


# ---------------------------------------------------------------- /v1/states

class StateSummary(StateRule):
    code: str
    name: str
    on: str
    applies_to: str
    record_confidence: Confidence
    next_change: Optional[str] = None
    car: Optional[StateRule] = Field(None, description="Kei cars, where their rule differs from trucks'.")
    grandfather: Optional[Grandfather] = None


class StatesAnswer(Versions):
    on: str
    count: int
    states: list[StateSummary]


class Disputed(_Out):
    claim: str
    reference: list[str]
    value: Value = None
    date: Optional[str] = None


class TimelineEntry(_Out):
    since: str
    value: Value
    confidence: Confidence
    basis: Optional[str]
    citation: Optional[str]
    references: list[str]
    note: Optional[str] = None
    date_precision: Optional[str] = None
    disputed: Optional[list[Disputed]] = None


class HistoryEntry(_Out):
    date: str
    change: str
    reference: list[str]


class Claim(_Out):
    claim: str
    reference: list[str]
    source_date: Optional[Union[int, str]] = None
    assessment: Optional[str] = None


class Source(_Out):
    id: str
    title: str
    href: Optional[str]
    seen: Optional[str]
    kind: str
    citation: Optional[str]


class StateRecord(StateSummary, Versions):
    """One state's record in full (`keicar state XX --json`)."""

    metadata: dict
    parameters: dict[str, list[TimelineEntry]] = Field(description="Every dated value, by parameter.")
    scheduled: list[Scheduled]
    history: list[HistoryEntry]
    claims: list[Claim]
    sources: list[Source]


# ---------------------------------------------------------------- catalog and calendar

class Generation(_Out):
    make: str
    model: str
    generation: str
    chassis_codes: list[str]
    production_start: Optional[str]
    production_end: Optional[str]
    status: Optional[str]
    confidence: Confidence


class LookupAnswer(Versions):
    query: str
    code: str
    prefix_stripped: Optional[str]
    serial_stripped: Optional[str]
    suffix_stripped: Optional[str] = None
    found: bool
    generations: list[Generation]
    suggestions: list[str]
    build_date_note: str


class SearchMatch(_Out):
    make: str
    model: str
    generation: Optional[str]
    label: str = Field(description="Make, model and generation, as people read them.")
    chassis_codes: list[str]
    code: Optional[str] = Field(description="The chassis code the text is, when it is one.")
    production_start: Optional[str]
    production_end: Optional[str]
    body: list[str] = Field(description="keicar bodies: passenger, truck, van.")
    score: float = Field(description="0-100: how well the text matches (100: the code, or every name exact).")
    why: list[str] = Field(description="What matched: the code, the make, the model, the year.")


class SearchAnswer(Versions):
    query: str
    count: int
    matches: list[SearchMatch]


class Builds(_Out):
    built: str
    precision: str
    importable_from: Optional[str]
    nhtsa_eligible_from: Optional[str]
    epa_eligible_from: Optional[str]
    reading: str


class CalendarEntry(_Out):
    make: str
    model: str
    generation: str
    chassis_codes: list[str]
    body: list[str]
    production_start: Optional[str]
    production_end: Optional[str]
    status: Optional[str]
    first_builds: Optional[Builds]
    last_builds: Optional[Builds]
    confidence: Confidence
    unverified_fields: list[str]


class CalendarAnswer(Versions):
    month: str
    reading: str
    first_builds_importable: list[CalendarEntry]
    last_builds_importable: list[CalendarEntry]
    note: str


# ---------------------------------------------------------------- /v1/cost

class CostSource(_Out):
    parameter: str
    value: Value
    effective: Optional[str]
    citation: Optional[str]
    confidence: Confidence


class CostLine(_Out):
    item: str
    label: str
    amount_usd: float
    citation: Optional[str]
    effective: Optional[str]
    confidence: Confidence = None
    sources: list[CostSource] = []
    rate_percent: Optional[float] = None
    heading: Optional[str] = None
    basis: Optional[str] = None
    source: Optional[str] = None


class CostInput(_Out):
    body: str
    built: str
    built_precision: str
    mode: str = Field(description="ocean or air")
    price_usd: float
    price_jpy: Optional[float]
    fx_jpy_per_usd: Optional[float]


class CustomsValue(CostLine):
    includes: list[str]
    excludes: list[str]


class Transport(_Out):
    freight_usd: float
    insurance_usd: float


class Duty(_Out):
    hts: str
    hts_subheading: str
    rate_percent: float
    column1_rate_percent: float
    additional_rate_percent: float
    additional_heading: Optional[str]
    section_232_excluded_25_calendar_years: Optional[bool]
    dutiable_value_usd: float
    amount_usd: float
    citation: Optional[str]
    effective: Optional[str]
    lines: list[CostLine]


class CostAnswer(Versions):
    """The `keicar cost --json` contract: every line with its dated, cited parameter."""

    entry_date: str
    input: CostInput
    customs_value: CustomsValue
    transport: Transport
    duty: Duty
    fees: list[CostLine]
    unclear: list[dict]
    import_path_on_entry: str
    total_usd: float
    notes: list[str]


# ---------------------------------------------------------------- the registry and the law

class Provision(_Out):
    parameter: str = Field(description="The law parameter whose citation is the provision implemented.")
    citation: str
    href: Optional[str]


class VariableInfo(_Out):
    """One answer keicar computes (`keicar variables`)."""

    name: str = Field(description="Dotted name in the law's words, e.g. us.nhtsa_eligible_from.")
    label: str
    type: str = Field(description="bool, date, number, enum, text or names (a comma-joined list).")
    column: str = Field(description="Its column in a screened table.")
    unit: Optional[str]
    values_allowed: Optional[list[str]]
    needs: list[str] = Field(description="Inputs beyond the vehicle without which it is not computed.")
    provision: Optional[Provision]


class VariablesAnswer(Versions):
    on: str
    count: int
    variables: list[VariableInfo]


class Reference(_Out):
    title: str
    href: Optional[str]
    citation: Optional[str]
    seen: Optional[str]


class ParameterValue(_Out):
    since: str = Field(description="The day this value took effect, YYYY-MM-DD.")
    value: Value
    confidence: str
    references: list[Reference]
    basis: Optional[str] = None
    note: Optional[str] = None


class ParameterAnswer(Versions):
    path: str
    description: str
    unit: str
    values_allowed: Optional[list[str]]
    values: list[ParameterValue]


class ChangeItem(_Out):
    parameter: str
    description: str
    to: Value
    unit: str
    confidence: str
    citations: list[str]
    sources: list[dict]


class Change(_Out):
    date: str
    jurisdiction: str
    code: Optional[str]
    title: str
    scheduled: bool = Field(description="Takes effect after today.")
    changes: list[ChangeItem]


class ChangesAnswer(Versions):
    since: Optional[str]
    until: Optional[str]
    state: Optional[str]
    count: int
    changes: list[Change]


# ---------------------------------------------------------------- /v1/screen

class ScreenCounts(_Out):
    read: int = Field(description="Rows in the file.")
    written: int = Field(description="Rows screened (in `rows`).")
    rejected: int = Field(description="Rows refused (in `rejects`); read = written + rejected.")


class RejectReason(_Out):
    field: str = Field(description="The column at fault.")
    reason: str = Field(description="What was wrong, as in `rejects`.")
    count: int = Field(description="Rows rejected for it.")


class ScreenAnswer(Versions):
    """A small listing file screened as `keicar screen` screens it."""

    counts: ScreenCounts
    columns: list[str] = Field(description="The columns of `rows`, in order: the file's, then the variables'.")
    rows: list[dict[str, Any]] = Field(description="The screened rows: the file's columns and one column per "
                                                   "variable (`keicar variables`), `row` the row number read.")
    rejects: list[dict[str, Any]] = Field(description="The rejected rows: `row`, `field`, `reason`, then the file's columns.")
    reasons: list[RejectReason] = Field(description="Each reason with how many rows it rejected, most first.")
