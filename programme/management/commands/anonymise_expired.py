from django.core.management.base import BaseCommand

from programme.personal_data import expired_people, person_erase


class Command(BaseCommand):
    help = "Anonymise people whose every cohort ended longer ago than RETENTION_YEARS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")

    def handle(self, *args, dry_run=False, **options):
        people = list(expired_people())
        for person in people:
            self.stdout.write(f"{'Would anonymise' if dry_run else 'Anonymising'} user {person.pk}")
            if dry_run:
                continue
            # The retention schedule erases (recorded as such in the audit trail), so it runs
            # whether or not a programme manager account exists.
            for removed in person_erase(user=person, by=None):
                what = removed["what"] + (f": {removed['title']}" if removed["title"] else "")
                self.stdout.write(f"  removed {what}, made {removed['made']}")
        self.stdout.write(self.style.SUCCESS(f"{len(people)} past the retention period."))
