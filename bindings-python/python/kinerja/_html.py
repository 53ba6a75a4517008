"""HTML views for notebooks: :class:`Table`, slips, recaps, payrolls and what-ifs.

Jupyter shows an object through its ``_repr_html_``; every view here is Indonesian by
default and English with ``to_html(lang="en")``, the same ``lang`` option as
:meth:`Slip.explain` and :func:`kinerja.format_rupiah`. Amounts are written by the
engine's one money formatter (``Rp 6.500.000`` / ``Rp 6,500,000``), dates by its date
formatter, rule names and the slip's totals by its catalogues; every text is
HTML-escaped. Nothing here computes: the views only lay out what the engine returned.
"""

from __future__ import annotations

import datetime as _dt
import html
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from ._kinerja import Payroll
    from ._table import Table
    from ._types import MonthlyRecap, Slip, WhatIf

__all__ = ["Html", "table_html", "slip_html", "recap_html", "payroll_html", "what_if_html"]

#: Rows shown before a table is cut (the rest is counted, not shown).
MAX_ROWS = 60


class Html(str):
    """HTML text that a notebook displays as HTML (``_repr_html_``); a ``str`` otherwise."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


# Column names -> (Indonesian, English). Amount columns whose name the engine's slip
# catalogue already has (gross, tax, contribution, net) and rule columns are named by
# the engine (see `header`), not here.
_LABELS: Dict[str, Tuple[str, str]] = {
    "nip": ("NIP", "NIP"),
    "name": ("Nama", "Name"),
    "unit": ("Unit kerja", "Work unit"),
    "position": ("Jabatan", "Position"),
    "job_class": ("Kelas jabatan", "Job class"),
    "status": ("Status", "Status"),
    "code": ("Kode", "Code"),
    "reason": ("Alasan", "Reason"),
    "presence": ("Keberadaan", "Presence"),
    "slips": ("Slip", "Slips"),
    "employees": ("Pegawai", "Employees"),
    "content_hash": ("Hash isi", "Content hash"),
    "calendar_working_days": ("Hari kerja kalender", "Calendar working days"),
    "assigned_working_days": ("Hari penugasan", "Assigned working days"),
    "target_days": ("Hari target", "Target days"),
    "daily_minutes": ("Menit per hari", "Minutes per day"),
    "target_minutes": ("Target menit", "Target minutes"),
    "claimed_minutes": ("Menit diklaim", "Claimed minutes"),
    "verified_minutes": ("Menit terverifikasi", "Verified minutes"),
    "achievement_percent": ("Capaian (%)", "Achievement (%)"),
    "mean_achievement_percent": ("Rata-rata capaian (%)", "Mean achievement (%)"),
    "entries_pending": ("Kegiatan menunggu", "Entries pending"),
    "entries_approved": ("Kegiatan disetujui", "Entries approved"),
    "entries_rejected": ("Kegiatan ditolak", "Entries rejected"),
    "entries_returned": ("Kegiatan dikembalikan", "Entries returned"),
    "working_days": ("Hari kerja", "Working days"),
    "days_present": ("Hari hadir", "Days present"),
    "late_days": ("Hari terlambat", "Days late"),
    "early_days": ("Hari pulang cepat", "Days leaving early"),
    "late_count": ("Terlambat", "Late arrivals"),
    "early_count": ("Pulang cepat", "Early leaves"),
    "unexcused_days": ("Tanpa keterangan (hari)", "Unexcused days"),
    "roll_calls_missed": ("Apel tidak diikuti", "Roll calls missed"),
    "roll_calls_missed_daily": ("Apel harian tidak diikuti", "Daily roll calls missed"),
    "missing_check_in": ("Tanpa absen masuk", "Missing check-in"),
    "missing_check_out": ("Tanpa absen pulang", "Missing check-out"),
    "date": ("Tanggal", "Date"),
    "task": ("Tugas", "Task"),
    "quantity": ("Volume", "Quantity"),
    "rule": ("Aturan", "Rule"),
    "amount": ("Jumlah", "Amount"),
    "explanation": ("Penjelasan", "Explanation"),
}

# The engine's catalogue texts for the slip's totals.
_CATALOGUE = {"gross": "slip-gross", "tax": "slip-tax-total", "contribution": "slip-contribution-total", "net": "slip-net"}

_SUFFIXES = {
    "_before": ("sebelum", "before"),
    "_after": ("sesudah", "after"),
    "_delta": ("selisih", "change"),
}


def _lang_index(lang: str) -> int:
    from ._kinerja import format_date

    # The engine decides which languages exist (a ValueError otherwise); "id-ID" is "id".
    format_date(_dt.date(2000, 1, 1), lang)
    return 1 if lang.lower().startswith("en") else 0


def header(column: str, lang: str = "id") -> str:
    """The header of ``column`` for people in ``lang`` (the column name itself when
    there is no better one)."""
    from ._kinerja import _label, rule_name

    i = _lang_index(lang)
    if column in _LABELS:
        return _LABELS[column][i]
    if column in _CATALOGUE:
        return _label(_CATALOGUE[column], lang) or column
    for suffix, words in _SUFFIXES.items():
        if column.endswith(suffix):
            return f"{header(column[: -len(suffix)], lang)} ({words[i]})"
    if column.startswith("delta."):
        word = ("selisih", "change")[i]
        return f"{header(column[len('delta.'):], lang)} ({word})"
    # A rule column (`deduction.late.1`): the engine's name, or the id when it has none.
    return rule_name(column, lang)


def cell(value: Any, lang: str = "id", money: bool = False) -> str:
    """One cell's text (not yet escaped): amounts in rupiah by the engine's formatter,
    dates by its date formatter, ``None`` as an empty cell."""
    from ._kinerja import format_date, format_rupiah

    if value is None:
        return ""
    if money and isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return format_rupiah(value, lang)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return format_date(value, lang)
    if isinstance(value, bool):
        return ("ya", "yes")[_lang_index(lang)] if value else ("tidak", "no")[_lang_index(lang)]
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _grid(
    headers: Sequence[str],
    rows: Iterable[Sequence[Tuple[str, bool]]],
    caption: Optional[str] = None,
    footer: Optional[str] = None,
) -> str:
    """An HTML table; each cell is (text, right-aligned). Escapes every text."""
    out: List[str] = ['<table class="kinerja">']
    if caption:
        out.append(f'<caption style="text-align:left">{html.escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    for row in rows:
        tds = (
            f'<td style="text-align:right">{html.escape(t)}</td>' if right else f"<td>{html.escape(t)}</td>"
            for t, right in row
        )
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    if footer:
        out.append(f"<p>{html.escape(footer)}</p>")
    return "".join(out)


def table_html(table: "Table", lang: str = "id", max_rows: int = MAX_ROWS, caption: Optional[str] = None) -> Html:
    """A :class:`Table` as HTML: headers for people, at most ``max_rows`` rows (the
    rest counted below the table), numbers right-aligned, amounts in rupiah."""
    i = _lang_index(lang)
    columns = table.columns
    money = set(table.money_columns)
    shown = min(len(table), max(0, max_rows))
    rows = (
        [(cell(table[c][r], lang, c in money), _is_number(table[c][r])) for c in columns] for r in range(shown)
    )
    footer = None
    if shown < len(table):
        rest = len(table) - shown
        footer = (f"… {rest} baris lagi ({len(table)} baris)", f"… {rest} more rows ({len(table)} rows)")[i]
    return Html(_grid(_headers(columns, lang), rows, caption, footer))


def _headers(columns: Sequence[str], lang: str) -> List[str]:
    """The headers of ``columns``; two columns that would read the same (the ``tax``
    total and the ``tax.pph21`` rule) are told apart by their column names, as the
    engine's slip text writes a rule: ``PPh 21 [tax.pph21]``."""
    names = [header(c, lang) for c in columns]
    return [f"{n} [{c}]" if names.count(n) > 1 and n != c else n for n, c in zip(names, columns)]


def slip_html(slip: "Slip", lang: str = "id") -> Html:
    """A slip as HTML: one row per line (rule name, amount, the arithmetic in words),
    then the totals, as :meth:`Slip.explain` words them."""
    from ._kinerja import _label, format_rupiah, rule_name

    heading = f"Slip TPP — {slip.employee} — {slip.month}"
    rows: List[List[Tuple[str, bool]]] = [
        [(rule_name(l.rule, lang), False), (format_rupiah(l.amount, lang), True), (l.render(lang), False)]
        for l in slip.lines
    ]
    for name in ("gross", "tax", "contribution", "net"):
        label = _label(_CATALOGUE[name], lang) or name
        rows.append([(label, False), (format_rupiah(getattr(slip, name), lang), True), ("", False)])
    return Html(_grid([header("rule", lang), header("amount", lang), header("explanation", lang)], rows, heading))


def recap_html(recap: "MonthlyRecap", lang: str = "id") -> Html:
    """A recap as HTML: the month and its date, then the table per work unit
    (``recap.employees.to_html()`` shows the employees)."""
    from ._kinerja import format_date

    i = _lang_index(lang)
    caption = (
        f"Rekap {recap.month} per {format_date(recap.as_of, lang)}: {len(recap.employees)} pegawai, "
        f"{len(recap.units)} unit kerja",
        f"Recap {recap.month} as of {format_date(recap.as_of, lang)}: {len(recap.employees)} employees, "
        f"{len(recap.units)} work units",
    )[i]
    return table_html(recap.units, lang, caption=caption)


def payroll_html(payroll: "Payroll", lang: str = "id") -> Html:
    """A payroll as HTML: the month, who was paid, the city's totals, then the table
    per work unit (``payroll.slips.to_html()`` shows every slip)."""
    from ._kinerja import format_rupiah

    i = _lang_index(lang)
    s = payroll.summary
    gross, net = format_rupiah(s.gross, lang), format_rupiah(s.net, lang)
    caption = (
        f"TPP {payroll.month}: {s.paid} dibayar, {s.failed} gagal, {s.not_paid} tidak dibayar; "
        f"bruto {gross}, neto {net}",
        f"TPP {payroll.month}: {s.paid} paid, {s.failed} failed, {s.not_paid} not paid; gross {gross}, net {net}",
    )[i]
    return table_html(payroll.units, lang, caption=caption)


def what_if_html(w: "WhatIf", lang: str = "id") -> Html:
    """A what-if as HTML: the city's change of the net, then the table per work unit."""
    from ._kinerja import format_rupiah

    i = _lang_index(lang)
    d = w.city.net
    before, after, delta = (format_rupiah(x, lang) for x in (d.before, d.after, d.delta))
    caption = (
        f"Simulasi {w.month}: neto {before} → {after} (selisih {delta})",
        f"What-if {w.month}: net {before} → {after} (change {delta})",
    )[i]
    return table_html(w.units, lang, caption=caption)
