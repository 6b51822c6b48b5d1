"""Time importing a register file into the organisation directory (issue #20).

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python benchmarks/import_registers.py [--rows 20000]

The script drops and recreates the database `i2i_bench_registers`, migrates it, writes a
generated ODS GP practices file (`epraccur` layout, no header row, 27 columns) of N fictional
practices ("PRACTICE 00001", codes Z00001…, reserved-looking postcodes), and a CQC care
directory file of N fictional locations, then for each register times, as the upload page and
`manage.py import_registers` run it (`read_register` streaming the file, `registers_import`
writing in batches of 1,000):

1. the first import (every row added),
2. the same file again (every row left unchanged),
3. a file with every address changed (every row updated),

and counts the SQL queries of each, which must grow with batches (N / 1,000), not rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagetiming import fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "i2i_bench_registers"


def setup_django(name: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "i2i.settings"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ods_file(n: int, street: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for i in range(1, n + 1):
        row = [f"Z{i:05d}", f"PRACTICE {i:05d}", "Y99", "Q99", f"{i} {street}", "", ""]
        row += ["EASTMERE", "NORTHSHIRE", f"EM{i % 90 + 1} {i % 9}AB", "20010401", "", "A", "B"]
        row += ["99X", "20130401", "", "01134960000", "", "", "", "", "", "4", "", "4", ""]
        writer.writerow(row)
    return out.getvalue().encode()


def cqc_file(n: int, street: str) -> bytes:
    out = io.StringIO()
    out.write("Fictional CQC care directory for the benchmark\n")
    writer = csv.writer(out)
    writer.writerow(
        [
            "Location ID",
            "Care home?",
            "Location Name",
            "Location Type/Sector",
            "Location Primary Inspection Category",
            "Location Street Address",
            "Location City",
            "Location Postal Code",
        ]
    )
    for i in range(1, n + 1):
        writer.writerow(
            [
                f"1-{900000000 + i}",
                "Y" if i % 2 else "N",
                f"Care Service {i:05d}",
                "Social Care Org",
                "Residential social care",
                f"{i} {street}",
                "Northwold",
                f"NW{i % 90 + 1} {i % 9}CD",
            ]
        )
    return out.getvalue().encode()


def run(register: str, data: bytes) -> tuple[float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants import registers

    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        rows = registers.read_register(register, io.BytesIO(data))
        summary = registers.registers_import(register=register, rows=rows)
        took = time.perf_counter() - began
    return took, len(captured), summary.as_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    fresh_database(DATABASE)
    setup_django(DATABASE)
    from participants import registers

    n = args.rows
    print(f"{n:,} rows a file, batches of {registers.BATCH:,}")
    for register, make in ((registers.ODS_GP_PRACTICES, ods_file), (registers.CQC, cqc_file)):
        first, changed = make(n, "HIGH STREET"), make(n, "LOW STREET")
        print(f"\n{registers.REGISTERS[register]} ({len(first) / 1e6:.1f} MB)")
        for label, data in (
            ("first import", first),
            ("same file again", first),
            ("every address changed", changed),
        ):
            took, queries, text = run(register, data)
            print(f"  {label:<22} {took:6.2f} s  {queries:4d} queries  ({text})")


if __name__ == "__main__":
    main()
