"""Numbers pasted as people write them: a decimal comma or a thousands separator is read
only where it cannot be misread; otherwise the row is named and the person is asked."""

import datetime as dt
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from improvements import services
from improvements.models import DataPoint
from tests.factories import MeasureFactory

LONDON_NOON_AFTER = dt.datetime(2027, 9, 1, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    """A day after every date the tests enter: a data point may not be dated after today."""
    with time_machine.travel(LONDON_NOON_AFTER, tick=False):
        yield


# (row as pasted, value saved)
READ = [
    ("03/03/2027\t12,5", Decimal("12.5")),  # a decimal comma
    ("03/03/2027;12,5", Decimal("12.5")),  # a European spreadsheet: semicolons, decimal comma
    ("03/03/2027\t0,25", Decimal("0.25")),
    ("03/03/2027\t1.250,75", Decimal("1250.75")),  # both: the last is the decimal
    ("03/03/2027\t1,250.75", Decimal("1250.75")),
    ("03/03/2027\t1,250,000", Decimal("1250000")),  # two commas can only be thousands
    ("03/03/2027\t1.250.000", Decimal("1250000")),
    ('03/03/2027,"1,250.75"', Decimal("1250.75")),  # a quoted cell in a comma-separated row
    ("03/03/2027\t12.5", Decimal("12.5")),
    ("03/03/2027\t85%", Decimal("85")),
    ("03/03/2027,9", Decimal("9")),
    ("03/03/2027\t999999999", Decimal("999999999")),
    ("03/03/2027\t-4,5", Decimal("-4.5")),
]

# (row as pasted, the start of the message naming the row)
ASKED = [
    ("03/03/2027\t1,250", "Line 1: “1,250” could be 1250 or 1.25"),
    ("03/03/2027;1,250", "Line 1: “1,250” could be 1250 or 1.25"),
    ("03/03/2027;1.250", "Line 1: “1.250” could be 1250 or 1.25"),  # where commas are decimal
    ('03/03/2027,"1,250"', "Line 1: “1,250” could be 1250 or 1.25"),
    ("03/03/2027,1,250", "Line 1: “1,250” is unclear in a row separated by commas"),
    ("03/03/2027,12,5", "Line 1: “12,5” is unclear in a row separated by commas"),
    ("03/03/2027\t1.2,3", "Line 1: “1.2,3” is not a number"),
    ("03/03/2027\t1,25,0", "Line 1: “1,25,0” is not a number"),
    ("03/03/2027\t--5", "Line 1: “--5” is not a number"),
    ("03/03/2027\t1e5", "Line 1: “1e5” is not a number"),
    ("03/03/2027\tNaN", "Line 1: “NaN” is not a number"),
    ("03/03/2027\t1000000000", "Line 1: 1000000000 is too large; the largest value is 999,999,999"),
    ("03/03/2027\t-1000000000", "Line 1: -1000000000 is too large"),
]


@pytest.mark.parametrize(("row", "value"), READ)
def test_it_reads_a_number_that_cannot_be_misread(world, row, value):
    measure = MeasureFactory(initiative__participant=world.participant)
    services.data_points_paste(measure=measure, by=world.participant.user, text=row)
    assert measure.points.get().value == value


@pytest.mark.parametrize(("row", "message"), ASKED)
def test_it_names_the_row_and_asks_when_a_number_could_be_misread(world, row, message):
    measure = MeasureFactory(initiative__participant=world.participant)
    with pytest.raises(ValidationError) as error:
        services.data_points_paste(
            measure=measure, by=world.participant.user, text=f"{row}\n04/03/2027\t5"
        )
    [said] = error.value.message_dict["data"]
    assert said.startswith(message), said
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize(("row", "value"), READ[:8])
def test_the_page_saves_what_it_reads(client, world, row, value):
    measure = MeasureFactory(initiative__participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("measure_data", args=[world.participant.pk, measure.pk]),
        {"action": "paste", "data": row},
    )
    assert response.status_code == 302
    assert measure.points.get().value == value


@pytest.mark.parametrize(("row", "message"), ASKED)
def test_the_page_names_the_row_and_keeps_the_paste(client, world, row, message):
    measure = MeasureFactory(initiative__participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("measure_data", args=[world.participant.pk, measure.pk]),
        {"action": "paste", "data": row},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in unescape(html)
    assert row in unescape(html)  # what was pasted is still in the box
    assert not DataPoint.objects.exists()
