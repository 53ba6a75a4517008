"""Notebook views (`_repr_html_`, `to_html`): Indonesian by default, English on request,
rupiah written by the engine's formatter, every text escaped; and the NIP column named
`nip` in every table the API returns."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Dict

import kinerja
from conftest import HEAD, MONTH, STAFF, at

ROOT = Path(__file__).resolve().parents[2]


def empty_month(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> kinerja.Payroll:
    """Nobody works in October 2026 (the hand-computed month of test_payroll): STAFF's
    net is 287,640; the city's gross 1,326,000 and net 1,175,040."""
    ledger = kinerja.Ledger(ctx)
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    return kinerja.pay_city(ctx, ledger.recap(), policy, allow_unverified=True)


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def headers(html: str) -> list[str]:
    return re.findall(r"<th>(.*?)</th>", html)


def test_table_html_escapes_and_formats_rupiah() -> None:
    t = kinerja.Table(
        {"nip": ["198503152010011002"], "name": ["<b>Siti & Budi</b>"], "net": [Decimal("6500000")], "job_class": [9]},
        money=["net"],
    )
    assert t.money_columns == frozenset({"net"})
    html = t._repr_html_()
    assert "<b>Siti" not in html and "&lt;b&gt;Siti &amp; Budi&lt;/b&gt;" in html
    assert cells(html) == ["198503152010011002", "&lt;b&gt;Siti &amp; Budi&lt;/b&gt;", "Rp 6.500.000", "9"]
    assert headers(html) == ["NIP", "Nama", "Neto", "Kelas jabatan"]
    en = t.to_html(lang="en")
    assert isinstance(en, kinerja.Html) and en._repr_html_() == str(en)
    assert headers(en) == ["NIP", "Name", "Net", "Job class"]
    assert "Rp 6,500,000" in cells(en)
    # Numbers are right-aligned, text is not.
    assert '<td style="text-align:right">9</td>' in html and "<td>198503152010011002</td>" in html


def test_long_tables_are_cut_and_counted() -> None:
    t = kinerja.Table({"unit": [f"U{i}" for i in range(70)]})
    html = t.to_html(max_rows=60)
    assert len(cells(html)) == 60 and "… 10 baris lagi (70 baris)" in html
    assert "… 10 more rows (70 rows)" in t.to_html("en", max_rows=60)


def test_payroll_html(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    payroll = empty_month(ctx, policy)
    html = payroll._repr_html_()
    assert "TPP 2026-10: 3 dibayar, 0 gagal, 0 tidak dibayar; bruto Rp 1.326.000, neto Rp 1.175.040" in html
    en = payroll.to_html("en")
    assert "TPP 2026-10: 3 paid, 0 failed, 0 not paid; gross Rp 1,326,000, net Rp 1,175,040" in en
    assert headers(html)[:3] == ["Unit kerja", "Nama", "Slip"] and headers(en)[:3] == ["Work unit", "Name", "Slips"]
    slips = payroll.slips.to_html()
    assert {"gross", "net", "ceiling", "deduction.unexcused"} <= payroll.slips.money_columns
    # Rule columns are named by the engine's catalogue, amounts by its formatter.
    assert kinerja.rule_name("deduction.unexcused") in headers(slips)
    # The tax total and the tax rule read alike: the headers tell them apart.
    assert {"PPh 21 [tax]", "PPh 21 [tax.pph21]", "Neto"} <= set(headers(slips))
    assert "Rp 287.640" in cells(slips)  # STAFF's net
    assert "Rp 287,640" in cells(payroll.slips.to_html("en"))
    # The employees table: amounts of the paid in rupiah, too.
    assert {"gross", "tax", "contribution", "net"} <= payroll.employees.money_columns


def test_slip_html(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    slip = empty_month(ctx, policy).slip(STAFF)
    html = slip._repr_html_()
    assert f"Slip TPP — {STAFF} — {MONTH}" in html
    assert headers(html) == ["Aturan", "Jumlah", "Penjelasan"]
    rows = cells(html)
    # ceiling, the lines..., then the four totals: G = 306,000; tax -15,300; BPJS -3,060; N = 287,640.
    assert rows[-12:] == [
        "Bruto", "Rp 306.000", "",
        "PPh 21", "-Rp 15.300", "",
        "Iuran BPJS Kesehatan", "-Rp 3.060", "",
        "Neto", "Rp 287.640", "",
    ]  # fmt: skip
    assert rows[:2] == [kinerja.rule_name("ceiling"), "Rp 2.250.000"]
    en = slip.to_html("en")
    assert headers(en) == ["Rule", "Amount", "Explanation"] and "Rp 2,250,000" in cells(en)
    assert slip.lines[0].render("en") in en.replace("&#x27;", "'")


def test_recap_and_what_if_html(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    ledger = kinerja.Ledger(ctx)
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    recap = ledger.recap()  # as of 7 November: the day after the verification deadline (6 November)
    html = recap._repr_html_()
    assert "Rekap 2026-10 per 7 November 2026: 3 pegawai, 1 unit kerja" in html
    assert "Recap 2026-10 as of 7 November 2026: 3 employees, 1 work units" in recap.to_html("en")
    proposed = policy.with_layer(kinerja.PolicyLayer.from_file(ROOT / "policy" / "proposed-70-30.toml"))
    w = kinerja.what_if(ctx, recap, policy, proposed)
    assert w._repr_html_().startswith('<table class="kinerja"><caption style="text-align:left">Simulasi 2026-10: neto Rp')
    assert "Neto (selisih)" in headers(w.to_html()) and "Net (change)" in headers(w.to_html("en"))


def test_every_table_names_the_nip_column_nip(
    ctx: kinerja.MonthContext, city: kinerja.City, policy: kinerja.Policy, simulated: kinerja.Ledger
) -> None:
    recap = simulated.recap()
    payroll = empty_month(ctx, policy)
    proposed = policy.with_layer(kinerja.PolicyLayer.from_file(ROOT / "policy" / "proposed-70-30.toml"))
    tables: Dict[str, kinerja.Table] = {
        "recap.employees": recap.employees,
        "ledger.entries": simulated.entries(),
        "city.yearly_targets": city.yearly_targets(policy, 2026, dt.date(2026, 10, 5)),
        "payroll.slips": payroll.slips,
        "payroll.employees": payroll.employees,
        "what_if.employees": kinerja.what_if(ctx, ledger_of(ctx).recap(), policy, proposed).employees,
    }
    for name, table in tables.items():
        assert table.columns[0 if name != "ledger.entries" else 1] == "nip", name
        assert "employee" not in table.columns, name
        assert len(table) > 0, name


def ledger_of(ctx: kinerja.MonthContext) -> kinerja.Ledger:
    ledger = kinerja.Ledger(ctx)
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    return ledger
