from django.core.management.base import BaseCommand

from participants.models import User
from participants.personal_data import expired_people, person_erase


class Command(BaseCommand):
    help = "Anonymise people whose every cohort ended longer ago than RETENTION_YEARS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")

    def handle(self, *args, dry_run=False, **options):
        people = list(expired_people())
        operator = User.objects.filter(is_programme_manager=True, is_active=True).first()
        for person in people:
            self.stdout.write(f"{'Would anonymise' if dry_run else 'Anonymising'} user {person.pk}")
            if not dry_run:
                person_erase(user=person, by=operator)
        self.stdout.write(self.style.SUCCESS(f"{len(people)} past the retention period."))
