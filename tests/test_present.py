"""The plain answer (keicar.present.plain) for the vehicles people ask about, and on either
side of the day a truck turns 25; labels never let an identifier through."""

import datetime as dt

import pytest

from keicar.answers.check_input import check_from_input
from keicar.present import labels as L
from keicar.present.plain import TONES, plain

TRUCK = dict(built="1999-05", body="truck", length_mm="3395", width_mm="1475", height_mm="1765", cc="658")
ACTY = dict(chassis="HA7", built="2003-06", height_mm="1765")
COROLLA = dict(built="2001-03", body="passenger", length_mm="4365", width_mm="1695", height_mm="1470", cc="1496")
TODAY = dt.date(2026, 11, 30)


def answer(vehicle, **kw):
    return plain(check_from_input(vehicle, on=kw.pop("on", "2026-11-30"), **kw), today=TODAY)


@pytest.mark.parametrize("vehicle, kw, tone, text", [
    (TRUCK, {"state": "TX"}, "road",
     "You can import it now under the 25-year rule (eligible since 2024-05-31, 25 years after it was built) "
     "and drive it on Texas roads, interstates included."),
    (TRUCK, {"state": "GA"}, "no",
     "You can import it now under the 25-year rule (eligible since 2024-05-31, 25 years after it was built), "
     "but Georgia does not register it for road use."),
    (ACTY, {}, "off_road",
     "Not for road use until 2028-06-30, when it turns 25 (the 25-year rule); before then only as an off-road "
     "vehicle with a 25 mph governor."),
    (TRUCK, {"state": "RI", "registered": "2024-05-31"}, "road_restricted",
     "You can import it now under the 25-year rule (eligible since 2024-05-31, 25 years after it was built) and "
     "drive it in Rhode Island on roads posted 35 mph or less, but not on interstates. Rhode Island keeps its "
     "earlier rule for vehicles first registered there before 2024-06-01, as this one was."),
    (TRUCK, {"country": "CA"}, "road", "You can import it to Canada now under the 15-year rule (eligible since 2014-05-01)."),
])
def test_what_people_read_first(vehicle, kw, tone, text):
    p = answer(vehicle, **kw)
    assert (p.tone, p.text) == (tone, text)
    assert p.tone_label == L.TONE[tone]


def test_a_non_kei_car_is_said_to_be_one_and_the_state_rules_are_not_claimed_for_it():
    p = answer(COROLLA, state="TX")
    assert p.sentences[0] == ("It is not a kei vehicle: its length, width and engine size exceed the kei limits "
                              "of the standard in force when it was built (from 1998-10-01).")
    assert "drive it on Texas roads" not in p.text and p.tone == "road"


def test_the_day_before_and_the_day_a_passenger_kei_turns_25():
    car = dict(built="2001-05-20", body="passenger", length_mm="3395", width_mm="1475", height_mm="1500", cc="658")
    before = answer(car, on="2026-05-19")
    on_day = answer(car, on="2026-05-20")
    assert before.tone == "not_yet" and before.text == ("Not importable to the US until 2026-05-20, when it turns 25 "
                                                        "(the 25-year rule).")
    assert on_day.tone == "road" and on_day.text.startswith("You can import it on 2026-05-20 (the date asked)")


def test_no_identifier_reaches_people():
    for vehicle, kw in [(TRUCK, {"state": s}) for s in ("TX", "GA", "RI", "CO", "WA", "NY")] + [(ACTY, {"state": "TX"})]:
        p = answer(vehicle, **kw)
        assert p.tone in TONES
        assert "_" not in p.text and "None" not in p.text, p.text


def test_citations_lose_their_mirror_asides_only():
    assert L.citation("Jalopnik, Texas (April 2024; quotes TxDMV RTB-001-24; read via the OpenDocCN/x mirror)") == \
        "Jalopnik, Texas (April 2024; quotes TxDMV RTB-001-24)"
    assert L.citation("The Autopian, States banned imports (mirror)") == "The Autopian, States banned imports"
    assert L.citation("Justia copy of 70 FR 48313 (2005-08-17)") == "Justia copy of 70 FR 48313 (2005-08-17)"
    assert L.word(L.APPLIES_TO, "both") == "kei cars and kei trucks/vans alike"
    assert L.word(L.PAPER, "something_new") == "something new"
