"""Request bodies of the JSON API. Field names are the CLI's option names in snake_case.

Values are taken as given (text or numbers) and validated by ``keicar.inputs.vehicle`` — the one
place every interface shares — so the API and the CLI answer bad input with the same words.
Pydantic only refuses what is not a value at all (a list, an object) and unknown fields.
"""

from __future__ import annotations

import math
from typing import Annotated, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

Text = Optional[str]


def finite(value: Union[int, float, str]) -> Union[int, float, str]:
    """Refuse NaN, Infinity and numbers beyond a float's range (JSON `1e999`, text "inf",
    an integer of thousands of digits): the core reads every number as a float."""
    try:
        as_float = float(value)
    except OverflowError:
        as_float = math.inf
    except ValueError:  # text that holds no number: keicar.inputs.vehicle says what it accepts
        return value
    if not math.isfinite(as_float):
        raise PydanticCustomError("not_finite", "not a finite number")
    return value


#: a number, or text holding one ("3395"); keicar.inputs.vehicle checks it and its range
Number = Optional[Annotated[Union[int, float, str], AfterValidator(finite)]]

_SHORT = dict(max_length=64)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CheckRequest(_Body):
    """One vehicle and the date asked, as `keicar check` takes them."""

    built: str = Field(description="Build date: YYYY-MM-DD, or YYYY-MM when only the month is known.",
                       examples=["1999-05"], **_SHORT)
    body: Text = Field(None, description="passenger | truck | van", examples=["truck"], **_SHORT)
    length_mm: Number = Field(None, description="Overall length in mm.", examples=[3395])
    width_mm: Number = Field(None, description="Overall width in mm.", examples=[1475])
    height_mm: Number = Field(None, description="Overall height in mm.", examples=[1765])
    cc: Number = Field(None, description="Engine displacement in cc.", examples=[658])
    stroke: Number = Field(None, description="Engine cycle: 2 or 4 (default 4).")
    ev_kw: Number = Field(None, description="Electric motor rated output in kW.")
    make: Text = Field(None, description="Make, e.g. Suzuki.", **_SHORT)
    model: Text = Field(None, description="Model, e.g. Carry.", **_SHORT)
    chassis: Text = Field(None, description="Chassis (model) code, e.g. DA63T; fills missing specs from the catalog.",
                          **_SHORT)
    state: Text = Field(None, description="US state or DC, two letters: adds the state's rule.", **_SHORT)
    registered: Text = Field(None, description="With state: when the vehicle was first registered there, "
                             "YYYY-MM-DD (for grandfathering).", **_SHORT)
    country: Text = Field(None, description="Country whose import rules to apply: US (default), CA, AU, UK.", **_SHORT)
    on: Text = Field(None, description="The date asked, YYYY-MM-DD (default: today).", **_SHORT)
    month_reading: Text = Field(None, description="For a month-only build date: end (default) or start.", **_SHORT)

    def vehicle_fields(self) -> dict:
        return self.model_dump(include={"built", "body", "length_mm", "width_mm", "height_mm", "cc",
                                        "stroke", "ev_kw", "make", "model", "chassis"})


class CostRequest(_Body):
    """What `keicar cost` takes: the price, your exchange rate, freight and insurance, the
    vehicle's body and build date, the entry date, ocean or air (`--ocean/--air`: send
    `"air": true` or `"ocean": false`), and your own fees."""

    body: str = Field(description="passenger | truck | van", examples=["truck"], **_SHORT)
    built: str = Field(description="Build date: YYYY-MM-DD or YYYY-MM.", examples=["1999-05"], **_SHORT)
    price_usd: Number = Field(None, description="Price paid for the vehicle, USD.", examples=[4000])
    price_jpy: Number = Field(None, description="Price paid for the vehicle, yen (needs fx_jpy_per_usd).")
    fx_jpy_per_usd: Number = Field(None, description="Yen per US dollar (your rate; no network).")
    freight_usd: Number = Field(None, description="International freight, USD.", examples=[1500])
    insurance_usd: Number = Field(None, description="Marine insurance, USD.")
    entry_date: Text = Field(None, description="Date of entry, YYYY-MM-DD (default today).", **_SHORT)
    ocean: Optional[bool] = Field(None, description="true (default): ocean shipment, HMF due (`--ocean`).")
    air: Optional[bool] = Field(None, description="true: air shipment, no HMF (`--air`).")
    broker_usd: Number = Field(None, description="Customs broker fee, USD.")
    port_usd: Number = Field(None, description="Port and terminal charges, USD.")
    state_fees_usd: Number = Field(None, description="State title, registration and tax, USD.")

    def mode(self) -> str:
        """ocean or air, from `ocean` and `air` (the CLI's --ocean/--air)."""
        from keicar.inputs.vehicle import InputError

        if self.air is not None and self.ocean is not None and self.air == self.ocean:
            raise InputError("air", "contradicts ocean; send one of them")
        return "air" if self.air or self.ocean is False else "ocean"

    def cost_fields(self) -> dict:
        return self.model_dump(exclude_none=True, exclude={"ocean", "air"})
