import dataclasses
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from participants.models import Participant
from programme.progress import commitment_report, with_progress


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Print one participant's I2I commitments report, for support staff and scripts."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the participant's email address")
        parser.add_argument("--on", type=_date, help="evaluate as on this date (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args, email, on=None, json=False, **options):
        on = on or timezone.localdate()
        participations = list(
            with_progress(
                Participant.objects.with_people().filter(user__email__iexact=email.strip())
            ).order_by("-cohort__programme_start")
        )
        if not participations:
            raise CommandError(f"No participant has the email address {email}.")
        reports = [(p, commitment_report(p, on)) for p in participations]
        if json:
            self.stdout.write(_as_json(reports))
            return
        for participant, report in reports:
            self.stdout.write(
                f"{participant.user} – {participant.cohort} (as on {on:%Y-%m-%d}): "
                f"{report.overall.label}"
            )
            self.stdout.write(
                f"Window {report.window_start:%Y-%m-%d} to {report.window_end:%Y-%m-%d} "
                f"(inclusive), {report.weeks_left} weeks left; {report.placements_counted} of "
                f"{report.placements_required} placements and {report.half_days_counted} of "
                f"{report.half_days_required} half-days counted."
            )
            for c in report.commitments:
                line = f"  [{c.status.label:<16}] {c.code:<16} {c.sentence}"
                if c.to_do:
                    line += f" To do: {c.to_do}" + (f" by {c.due:%Y-%m-%d}" if c.due else "") + "."
                self.stdout.write(line)
            for note in report.guidance:
                self.stdout.write(f"  Suggestion: {note}")


def _as_json(reports) -> str:
    def encode(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    return json.dumps(
        [
            {
                "email": participant.user.email,
                "cohort": participant.cohort.name,
                **{
                    f.name: getattr(report, f.name)
                    for f in dataclasses.fields(report)
                    if f.name[0] != "_"
                },
                "commitments": [c._asdict() for c in report.commitments],
                # Worked out when read, so not among the dataclass's fields.
                "placements": [p._asdict() for p in report.placements],
                "guidance": list(report.guidance),
                "met_count": report.met_count,
                "at_risk": report.at_risk,
                "overall": report.overall.value,
            }
            for participant, report in reports
        ],
        default=encode,
        indent=2,
    )
