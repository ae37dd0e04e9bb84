"""``workbench conjecture``: safe parsing, bad input, --json, --write round trip."""

import json

import mpmath as mp
import pytest

from workbench import InvalidParameter
from workbench.conjecture import Sequence, parse
from workbench.quantities import escape_rate, loss, mu, plateau_height


@pytest.mark.parametrize("expr, message", [
    ('mu("arccos1", 5', "malformed expression"),
    ("sin(n)", "unknown name 'n'"),
    ('__import__("os").system("true")', "unknown function"),
    ("k.real", "Attribute is not allowed"),
    ("[k for k in range(3)]", "not allowed"),
    ("pi + 1", "does not contain the variable 'k'"),
    ('mu("nope", 5, k)', "unknown kernel 'nope'"),
])
def test_cli_bad_input_one_line_exit_2(run_cli, expr, message):
    r = run_cli("conjecture", expr)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_parse_is_exact_and_whitelisted():
    with mp.workdps(30):
        assert Sequence("1/k", "k")(3) == mp.mpf(1) / 3      # no float division
        assert Sequence("0.1*k", "k")(1) == mp.mpf("0.1")
    with pytest.raises(InvalidParameter):
        parse("k.__class__", "k")
    with pytest.raises(InvalidParameter):
        parse("(lambda: k)()", "k")


def test_cli_json_and_write_round_trip(run_cli, tmp_path):
    out = tmp_path / "conj_mu.py"
    r = run_cli("conjecture", 'mu("arccos1", 5, k)', "--leading", "9/(2*pi)*k**-7", "--json",
                "--write", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"exponent", "log_power", "constant", "closed_form", "digits", "residues", "verdict",
            "evidence"} <= set(data)
    assert data["constant"] == "45/pi" and data["closed_form"] and data["exponent"] == "-7"
    assert data["residues"] == {"k = 0 mod 2": "45/(pi*k**7)", "k = 1 mod 2": "0"}
    assert data["verdict"]["outcome"] == "refuted"
    v = run_cli("verify", "--no-builtin", "--file", str(out))
    assert v.returncode == 0, v.stdout + v.stderr
    assert "verified" in v.stdout and "conjectures/" in v.stdout


def test_quantities_validate_their_input():
    for call in (lambda: mu("arccos1", 1, 3), lambda: mu("arccos1", 3, 1.5),
                 lambda: plateau_height(0), lambda: escape_rate(2, -1), lambda: loss(0, 2, 1)):
        with pytest.raises(InvalidParameter):
            call()
    with mp.workdps(30):   # L(t) ~ (1/2) Gamma(3/2) (2t)^(-1/2) for nu = 2, kappa = 1
        lead = mp.gamma(1.5) / 2 * (2 * mp.mpf(10) ** 6) ** -0.5
        assert abs(loss(10 ** 6, 2, 1) / lead - 1) < 1e-2


def test_loss_correction_tends_to_the_first_correction_constant():
    from workbench.quantities import loss_correction
    with mp.workdps(30):
        # nu = 2, kappa = 1/2: -(1/4) Gamma(7/4)/Gamma(5/4) 2^(-1/2) = -3 pi/(4 Gamma(1/4)^2)
        limit = -3 * mp.pi / (4 * mp.gamma(mp.mpf(1) / 4) ** 2)
        assert abs(loss_correction(10 ** 8, 2, "1/2") / limit - 1) < 1e-3
        assert loss_correction(10 ** 8, 2, "1/2") == loss_correction(10 ** 8, 2, mp.mpf(1) / 2)
    for bad in ("x", -1, None):
        with pytest.raises(InvalidParameter):
            loss_correction(10, 2, bad)


def test_ode_observable_against_the_linear_closed_form_and_its_input_checks():
    """Linear activation: eps_g = (1/2)(sum Q - 2 sum R + sum T), so at alpha -> 0 with
    Q = I/2, R = delta0, T = I (K = M = 2) it is 3/2 - 4 delta0; later the student learns."""
    from workbench.errors import InvalidParameter
    from workbench.quantities import ode_observable
    start = ode_observable(1e-9, 2, 0.5, activation="linear", delta0=0.01)
    assert abs(start - (1.5 - 4 * 0.01)) < 1e-7
    assert ode_observable(1e-9, 2, 0.5, "R", 1, 0, activation="linear", delta0=0.01) == pytest.approx(0.01)
    assert ode_observable(200.0, 2, 0.5, activation="linear", delta0=0.01) < 1e-3 * start
    for bad in [dict(alpha=-1), dict(eta=0), dict(observable="x"), dict(i=5), dict(delta0=0.7)]:
        args = dict(alpha=1.0, K=2, eta=0.5) | bad
        with pytest.raises(InvalidParameter):
            ode_observable(**args)
