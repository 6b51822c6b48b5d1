"""`manage.py commitments`: the rules' report for support staff and scripts, in the same words
as the pages."""

import io
import json

from django.core.management import call_command


def test_it_prints_the_overall_status_and_each_commitment(placement):
    out = io.StringIO()
    call_command("commitments", placement.participant.user.email, stdout=out)
    text = out.getvalue()
    assert f"{placement.participant.user} – {placement.participant.cohort}" in text
    assert text.splitlines()[0].endswith(": On track")
    assert "Three placements with different organisations" not in text  # codes, not titles
    assert "placements" in text and "half_days" in text


def test_its_json_carries_the_overall_status(placement):
    out = io.StringIO()
    call_command(
        "commitments", placement.participant.user.email, "--on", "2027-02-01", "--json", stdout=out
    )
    [report] = json.loads(out.getvalue())
    assert report["overall"] in {"not_started", "on_track", "at_risk", "missed", "complete"}
    assert report["on"] == "2027-02-01"
    assert len(report["commitments"]) == 8
