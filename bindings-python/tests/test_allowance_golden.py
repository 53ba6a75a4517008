"""The golden allowance (TPP) cases, run from Python.

Every ``cases/allowance/*.json`` at the repository root holds a slip computed by hand
(format: ``cases/allowance/README.md``). For each case this runner builds the policy
(the national baseline plus the case's TOML layers, in order), computes the slip from
Python and compares every line (rule id and amount, in order) and the four totals with
the expected ones as exact :class:`~decimal.Decimal` values.

It also checks that Python and the Rust engine agree bit for bit: the slip computed
through the Python conversions equals the slip the engine computes from the JSON text
(``compute_slip_json``: explanations, parameters and hashes included), and the three
hashes are the SHA-256 of the canonical JSON texts of docs/allowance.md section 4.1,
rebuilt here from the input's JSON, the policy values in force and the slip's amounts.
Every case's slip verifies against its own input and policy.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import kinerja

CASES = Path(__file__).resolve().parents[2] / "cases" / "allowance"
FILES = sorted(CASES.glob("*.json"))


def load(path: Path) -> Dict[str, Any]:
    # Decimals in the files are strings; parse_float would turn a stray float into an
    # exact Decimal rather than a binary approximation (none is expected).
    case: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return case


def policy_of(path: Path, case: Dict[str, Any]) -> kinerja.Policy:
    policy = kinerja.Policy.national()
    for i, text in enumerate(case["policy"]):
        policy = policy.with_layer(kinerja.PolicyLayer.from_toml(f"{path.name}#policy[{i}]", text))
    return policy


def expected_lines(case: Dict[str, Any]) -> List[Tuple[str, Decimal]]:
    return [(line["rule"], Decimal(line["amount"])) for line in case["expected"]["lines"]]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def canonical_hashes(slip_input: kinerja.AllowanceInput, policy: kinerja.Policy, slip: kinerja.Slip) -> Tuple[str, str, str]:
    """docs/allowance.md section 4.1: the input hash, the policy hash and the seal."""
    input_hash = sha256(slip_input.to_json())
    values = [
        {"key": p.key, "value": p.value, "from": p.effective_from.isoformat(), "layer": p.layer, "reference": p.reference}
        for p in kinerja.allowance_parameters(policy, slip_input.month)
    ]
    policy_hash = sha256(compact(values))
    sealed = {
        "schema_version": kinerja.SLIP_SCHEMA_VERSION,
        "employee": slip.employee,
        "month": slip.month,
        "input_hash": input_hash,
        "policy_hash": policy_hash,
        "lines": [{"rule": line.rule, "amount": str(line.amount)} for line in slip.lines],
        "gross": str(slip.gross),
        "tax": str(slip.tax),
        "contribution": str(slip.contribution),
        "net": str(slip.net),
    }
    return input_hash, policy_hash, sha256(compact(sealed))


def test_the_cases_are_there() -> None:
    # An empty or misplaced directory must not pass silently.
    assert len(FILES) >= 44, f"expected the 44 golden cases in {CASES}, found {len(FILES)}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_case(path: Path) -> None:
    case = load(path)
    policy = policy_of(path, case)
    expected = case["expected"]

    slip_input = kinerja.AllowanceInput.from_dict(case["input"])
    slip = kinerja.compute_slip(slip_input, policy)

    got = [(line.rule, line.amount) for line in slip.lines]
    want = expected_lines(case)
    assert got == want, "\n" + slip.explain()
    assert slip.gross == Decimal(expected["gross"])
    assert slip.tax == Decimal(expected["tax"])
    assert slip.contribution == Decimal(expected["contribution"])
    assert slip.net == Decimal(expected["net"])
    # Every amount is an exact Decimal, and the lines add up.
    assert all(type(line.amount) is Decimal for line in slip.lines)
    before_tax = [l.amount for l in slip.lines if l.rule not in ("tax.pph21", "contribution.bpjs")]
    assert sum(before_tax, Decimal(0)) == slip.gross
    assert sum((l.amount for l in slip.lines), Decimal(0)) == slip.net == slip.gross + slip.tax + slip.contribution
    assert slip.employee == case["input"]["employee"] and slip.month == case["input"]["month"]
    assert slip.schema_version == kinerja.SLIP_SCHEMA_VERSION


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_python_and_rust_agree(path: Path) -> None:
    case = load(path)
    policy = policy_of(path, case)
    text = json.dumps(case["input"], default=str)

    from_dict = kinerja.AllowanceInput.from_dict(case["input"])
    from_json = kinerja.AllowanceInput.from_json(text)
    by_keywords = kinerja.AllowanceInput(**case["input"])
    assert from_dict == from_json == by_keywords
    assert kinerja.AllowanceInput.from_dict(from_dict.to_dict()) == from_dict

    slip = kinerja.compute_slip(from_dict, policy)
    # The engine on its own, JSON in and JSON out: the very same slip.
    rust_json = kinerja.compute_slip_json(text, policy)
    rust = kinerja.Slip.from_json(rust_json)
    assert rust == slip
    assert slip.to_json() == rust_json
    # Same inputs, same hash: whichever way the input was built...
    assert kinerja.compute_slip(by_keywords, policy).content_hash == slip.content_hash
    assert kinerja.compute_slip(case["input"], policy).content_hash == slip.content_hash
    # ...and the hashes are those of the canonical JSON texts the specification defines.
    assert (slip.input_hash, slip.policy_hash, slip.content_hash) == canonical_hashes(from_dict, policy, slip)
    assert kinerja.SLIP_SCHEMA_VERSION == 2
    # The stored slip (its JSON read back) verifies against its input and policy.
    assert kinerja.verify_slip(kinerja.Slip.from_json(rust_json), from_dict, policy).holds
