from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devdata.generate import (
    COHORT_SIZE,
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DOMAIN,
    GenerateRefused,
    generate,
)


class Command(BaseCommand):
    help = (
        "Add a fictional region (cohorts, organisations, people, placements, half-days, "
        "reflective accounts, improvement initiatives) for load tests and benchmarks. "
        f"Every email address is at {DOMAIN}; every account signs in with --password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, required=True, help="how many")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}"
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"every generated account's password (default {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--cohort-size", type=int, default=COHORT_SIZE, help=f"default {COHORT_SIZE}"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="add to a database that also holds accounts outside .example domains",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"Generating {options['participants']:,} participants (seed {options['seed']}) "
            f"in the {connection.vendor} database {connection.settings_dict['NAME']}…"
        )
        try:
            summary = generate(
                participants=options["participants"],
                seed=options["seed"],
                password=options["password"],
                cohort_size=options["cohort_size"],
                force=options["force"],
            )
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"Made in {summary.seconds:.1f} s:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {count:>8,} {name}")
        self.stdout.write("Sign in with, for example:")
        self.stdout.write(f"  programme manager  {summary.programme_manager}")
        self.stdout.write(f"  participant        {summary.sample_participant}")
        self.stdout.write(f"  line manager       {summary.sample_line_manager}")
        self.stdout.write(f"  password for every generated account: {options['password']}")
