"""`manage.py import_registers --ods epraccur.csv --cqc cqc_directory.csv`: the organisation
directory from the official registers (participants/registers.py, docs/registers.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants import registers
from participants.models import Sector

ODS_KINDS = {"gp": registers.ODS_GP_PRACTICES, "trusts": registers.ODS_TRUSTS}


def _ods_kind(path: Path, told: str | None) -> str:
    """GP practices or trusts: as told, or from the published file's name."""
    if told:
        return ODS_KINDS[told]
    name = path.name.lower()
    if "epraccur" in name:
        return registers.ODS_GP_PRACTICES
    if name.startswith("etr") or "trust" in name:
        return registers.ODS_TRUSTS
    raise CommandError(f"Say which ODS file {path.name} is: --ods-kind gp or --ods-kind trusts.")


class Command(BaseCommand):
    help = "Import organisations from the NHS ODS and CQC care directory CSV files."

    def add_arguments(self, parser):
        parser.add_argument("--ods", type=Path, help="an ODS CSV file (epraccur or etr)")
        parser.add_argument("--ods-kind", choices=sorted(ODS_KINDS), help="gp or trusts")
        parser.add_argument(
            "--sector",
            choices=Sector.values,
            help="the sector of organisations new to the directory from the ODS file",
        )
        parser.add_argument("--cqc", type=Path, help="the CQC care directory CSV file")

    def handle(self, *args, ods=None, ods_kind=None, sector=None, cqc=None, **options):
        if not ods and not cqc:
            raise CommandError("Name a file: --ods FILE and/or --cqc FILE.")
        jobs = []
        if ods:
            jobs.append((_ods_kind(ods, ods_kind), ods))
        if cqc:
            jobs.append((registers.CQC, cqc))
        for register, path in jobs:
            try:
                with path.open("rb") as file:
                    rows = registers.read_register(register, file, sector=sector)
                    summary = registers.registers_import(register=register, rows=rows)
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
            except registers.RegisterFileError as error:
                raise CommandError(f"{path.name}: {error}") from error
            self.stdout.write(f"{registers.REGISTERS[register]}: {summary.as_text()}.")
            for skip in summary.skipped:
                self.stdout.write(f"  line {skip.line}: {skip.why}")
            if summary.skipped_count > len(summary.skipped):
                self.stdout.write(f"  … and {summary.skipped_count - len(summary.skipped)} more")
