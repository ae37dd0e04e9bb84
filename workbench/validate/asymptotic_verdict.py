"""From the lattices' runs to the verdict of an asymptotic check: agreement to the requested
digits, refutations that hold across precisions and residue classes, the residue screen,
hints of closed forms, and the evidence record.  Used by :mod:`workbench.validate.asymptotic`.
"""

from __future__ import annotations

import math

import mpmath as mp
import sympy as sp

from ..evidence import Evidence, Measured
from .asymptotic_runs import _Run, _est_record, _fmt, _measure, _short


#: constants tried when identifying a measured value (pi covers sqrt(pi), 1/pi, ...)
IDENTIFY_CONSTANTS = ["pi", "log(2)", "euler"]


def _identify(x, err):
    """A short closed form for ``x`` within its error (e.g. '1/2', '1/sqrt(pi)'), or None.

    A hint for the reader: it never replaces the claimed value."""
    try:
        tol = max(float(err) * 10, 1e-40)
        if tol > 1e-6:
            return None
        found = mp.identify(x, IDENTIFY_CONSTANTS, tol=tol, maxcoeff=200)
        if found is None:
            return None
        form = sp.nsimplify(sp.sympify(found, rational=True))
        # identify works at the ambient precision: keep the form only if it is as close as the bar
        if abs(mp.mpf(sp.N(form, mp.mp.dps + 5)) - x) > max(10 * mp.mpf(err),
                                                          abs(x) * mp.mpf(10) ** (5 - mp.mp.dps)):
            return None
        return str(form)
    except Exception:  # identification is a hint, never a verdict
        return None


def _grid_info(stmt, runs, settings):
    seen = [v for r in runs for v in r.vs]
    info = {"variable": str(stmt.variable), "start": str(settings.grid.start),
            "ratio": str(settings.grid.ratio), "points": [len(r.vs) for r in runs if r.lattice.primary],
            "nodes": [str(x) for x in runs[1].vs],
            "range": [_short(min(seen)), _short(max(seen))],
            "lattices": [{"label": r.lattice.label, "ratio": r.lattice.ratio, "points": len(r.vs),
                          "dps": r.dps, "from": _short(r.vs[0]), "to": _short(r.vs[-1])}
                         for r in runs]}
    if stmt.subsequence:
        info["subsequence"] = list(stmt.subsequence)
    return info


def _measured_law(stmt, run, settings):
    """The law ``C' v^e' (log v)^q`` measured on one lattice (exponent measured when it is off)."""
    with mp.workdps(run.dps):
        best_e = min(run.e_est, key=lambda e: e.error)
        e_off = run.refutation() == "exponent"
        e_val = best_e.value if e_off else run.E
        if e_off:
            _, c_pair, _, _ = _measure(stmt, run.used_v, run.avals[-len(run.used_v):], e_val,
                                       run.dps, settings.safety, run.L)
        else:
            c_pair = run.c_est
        best_c = min(c_pair, key=lambda e: e.error)
        return e_val, best_e, best_c, e_off


def _law_text(stmt, e, c, e_exact):
    v = stmt.variable
    cs = _identify(c.value, c.error)
    if cs is None:
        near = mp.nint(c.value)
        digits = max(12, min(40, int(-mp.log10(c.error / abs(c.value))) + 2)) if (
            c.value != 0 and 0 < c.error < abs(c.value)) else 12
        cs = (str(int(near)) if near != 0 and abs(c.value - near) <= 10 * c.error
              else mp.nstr(c.value, digits))
    es = str(stmt.exponent) if e_exact else (_identify(e, mp.mpf(10) ** -15) or mp.nstr(e, 12))
    return f"{cs} {v}^{es}" + (f" log({v})^{stmt.log_power}" if stmt.log_power else "")


def _residue_laws(stmt, runs, settings):
    """Per-class laws (as text) from the residue lattices, on the smallest modulus that
    explains them."""
    m, groups = _residue_groups(stmt, runs, settings)
    if m is None:
        if not groups:
            return None, {}
        M = next(r.lattice.residue[1] for r in runs if r.lattice.residue)
        return None, {_class_label(stmt, c, M): _law_of(stmt, law) for c, law in groups.items()}
    return m, {_class_label(stmt, rc, m): _law_of(stmt, law) for rc, law in sorted(groups.items())}


def _residue_groups(stmt, runs, settings):
    """Per-class laws from the residue lattices, on the smallest modulus that explains them:
    ``(m, {residue mod m: law})``, or ``(None, {lattice residue: law})`` when none does."""
    res = [r for r in runs if r.lattice.residue and not r.problem]
    if len(res) < 2:
        return None, {}
    laws = {}
    for r in res:
        laws[r.lattice.residue[0]] = "zero" if r.zero else _measured_law(stmt, r, settings)

    def same(x, y):
        if x == "zero" or y == "zero":
            return x == y
        (e1, be1, c1, _), (e2, be2, c2, _) = x, y
        rounding = mp.mpf(10) ** (5 - min(r.dps for r in res))
        tol_e = 10 * (be1.error + be2.error) + rounding
        tol_c = 10 * (c1.error + c2.error) + rounding * abs(c1.value)
        return abs(e1 - e2) <= tol_e and abs(c1.value - c2.value) <= tol_c

    R = len(laws)
    for m in range(1, R + 1):
        groups = {}
        for c, law in laws.items():
            groups.setdefault(c % m, []).append(law)
        if all(all(same(g[0], x) for x in g[1:]) for g in groups.values()):
            return m, {rc: g[0] for rc, g in sorted(groups.items())}
    return None, dict(laws)


def _class_label(stmt, r, m):
    """``"n = r mod m"`` for the grid variable's class, written for ``n`` itself."""
    step, offset = stmt.subsequence or (1, 0)
    return f"{stmt.variable} = {(step * r + offset) % (step * m)} mod {step * m}"


def _n_classes(runs):
    return sum(1 for r in runs if r.lattice.residue)


def _law_of(stmt, law):
    return "0" if law == "zero" else _law_text(stmt, law[0], law[2], not law[3])


def _stable_refutations(stmt, guards, settings, L, evaluate):
    """The guard lattices whose refutation survives a re-run 15 digits more precise.

    A guard lattice may reach beyond the range where a sequence's implementation keeps
    its accuracy (cancellation at huge ``n``); such a bias shrinks when the precision
    rises, a true discrepancy does not."""
    if evaluate is None:
        return guards
    kept = []
    for g in guards:
        dps = g.dps + 15
        vs, avals = evaluate(g.lattice.nodes, dps)
        again = _Run(g.lattice, vs, avals, dps).analyse(stmt, settings, L)
        if again.refutation() == g.refutation():
            if g.zero:
                kept.append(g)
                continue
            what = g.c_est if g.refutation() == "constant" else g.e_est
            what2 = again.c_est if g.refutation() == "constant" else again.e_est
            a, b = min(what, key=lambda e: e.error), min(what2, key=lambda e: e.error)
            if abs(a.value - b.value) <= 3 * (a.error + b.error):
                kept.append(again)
    return kept


def _judge(stmt, runs, settings, L=None, retry=False, evaluate=None) -> Evidence | None:
    """The verdict from all lattices.  With ``retry`` (a second correction model tried
    on the same values) only a verification is returned, else ``None``."""
    L = stmt.log_corrections if L is None else L
    if retry:   # the confirming primary run first: most models fail there, cheaply
        hi = runs[1].analyse(stmt, settings, L)
        if hi.problem or hi.zero or min(
                [e.digits(hi.E, hi.e_scale) for e in hi.e_est]
                + [c.digits(hi.C, abs(hi.C)) for c in hi.c_est]) < settings.digits:
            return None
    for r in runs:
        r.analyse(stmt, settings, L)
    methods = ["richardson", "wynn-epsilon"] if L == 0 else ["richardson", "least-squares"]
    precisions = sorted({r.dps for r in runs})
    grid_info = _grid_info(stmt, runs, settings)
    details = {"correction_step_assumed": str(stmt.corrections), "log_power": str(stmt.log_power),
               "log_corrections_model": L}
    common = dict(methods=methods, grid=grid_info, precisions=precisions, details=details)
    hi = runs[1]
    if not hi.problem and not hi.zero:
        details["correction_seen"] = hi.correction_seen

    # 0. the sequence's own accuracy: the two primary runs share their nodes
    lost = _digits_lost(runs[0], hi)
    if lost is not None:
        details["sequence_accuracy"] = lost
        if (lost["digits"] < runs[0].dps - SEQUENCE_SLACK_DIGITS
                and lost["digits"] < settings.digits + VALUE_MARGIN_DIGITS):
            return Evidence("failed", f"inconclusive: the sequence is accurate to only "
                            f"{lost['digits']:.1f} digits at dps {runs[0].dps} (against dps {hi.dps} on "
                            f"the same nodes, worst at {stmt.variable} = {lost['at']}): its "
                            "implementation loses digits, which extrapolation turns into a biased "
                            "limit; fix it or raise dps", outcome="inconclusive", digits=0.0, **common)
    # a lattice that is zero at every node refutes only if no lattice reaching further is not
    _zero_lattices(stmt, runs)
    # 1. a clean contradiction on the primary lattice, or on a guard lattice
    if hi.refutation() == "zero":
        return Evidence("failed", f"refuted: a({stmt.variable}) = 0 at every node "
                        f"({stmt.variable} = {_short(hi.vs[0])}..{_short(hi.vs[-1])}), claimed "
                        f"{_expr_text(stmt.leading)}", outcome="refuted", **common)
    if hi.refutation() and _stable_across_precisions(runs[0], hi):
        return _refuted_primary(stmt, hi, settings, common)
    guards = [r for r in runs if not r.lattice.primary and r.refutation()]
    guards = _stable_refutations(stmt, guards[:3], settings, L, evaluate) if guards else []
    if guards:
        return _refuted_guard(stmt, runs, guards, settings, common)
    # 2. no extrapolation can be trusted where the sequence is not asymptotic
    problems = [r for r in runs if r.problem]
    if problems:
        details["not_asymptotic"] = [r.problem for r in problems]
        return Evidence("failed", f"inconclusive: {problems[0].problem}", outcome="inconclusive",
                        digits=0.0, **common)
    # 3. agreement to the requested digits everywhere
    measured, digit_list = {}, []
    for r in runs:
        for est in r.e_est:
            m = _est_record(est, r.E, r.e_scale, r.dps)
            measured[f"exponent[{est.method},{r.tag()}]"] = m
            digit_list.append(m.digits)
        for est in r.c_est:
            m = _est_record(est, r.C, abs(r.C), r.dps)
            measured[f"constant[{est.method},{r.tag()}]"] = m
            digit_list.append(m.digits)
    common["measured"] = measured
    confirmed = min(digit_list)
    confirmed_r = max(0.0, math.floor(confirmed * 10) / 10) if math.isfinite(confirmed) else 0.0
    rng = grid_info["range"]
    where = f"{stmt.variable} = {rng[0]}..{rng[1]}, {len(runs)} lattices"
    scan = _class_scan(stmt, settings, evaluate) if confirmed >= settings.digits else None
    if scan:
        details["not_asymptotic"] = [scan]
        return Evidence("failed", f"inconclusive: {scan}", outcome="inconclusive", digits=0.0,
                        **common)
    if confirmed >= settings.digits:
        summary = (f"exponent {stmt.exponent} and constant {_expr_text(stmt.constant)} confirmed to "
                   f"{confirmed_r:g} digits (2 methods x dps {precisions[0]}/{precisions[-1]}; {where})")
        return Evidence("verified", summary, outcome="supported", digits=confirmed_r, **common)
    worst = min(measured, key=lambda k: measured[k].digits)
    summary = (f"inconclusive: consistent with the claim but confirmed to only {confirmed_r:g} "
               f"digits, {settings.digits} requested (weakest: {worst}){_hint(stmt, hi)}")
    return Evidence("failed", summary, outcome="inconclusive", digits=confirmed_r, **common)


def _zero_lattices(stmt, runs):
    """A lattice that is exactly zero refutes only when no non-zero lattice reaches further
    (``floor(n/10^8) ~ n/10^8`` is zero on the primary grid, not on the guards)."""
    nonzero_top = max((mp.mpf(r.vs[-1]) for r in runs if not r.zero), default=None)
    for r in runs:
        r.zero_refutes = r.zero and (nonzero_top is None or 2 * mp.mpf(r.vs[-1]) >= nonzero_top)
        if r.zero and not r.zero_refutes:
            r.problem = (f"not asymptotic on this grid: a({stmt.variable}) = 0 at every node of the "
                         f"{r.lattice.label} lattice ({stmt.variable} <= {_short(r.vs[-1])}) but not "
                         "on lattices reaching further")


#: digits of the working precision a sequence may lose inside its own computation (rounding,
#: mild cancellation) before its values are judged unreliable for extrapolation ...
SEQUENCE_SLACK_DIGITS = 8
#: ... unless they still carry this many digits beyond the requested ones: an inherent
#: cancellation such as ``n (Gamma(n)/Gamma(n+b) n^b - 1)`` loses ~13 of 45 digits and is
#: fine for a 20-digit claim, while a smooth bias of 1e-12 in the values was seen to move an
#: extrapolated constant by 2e-4 (8 digits of amplification)
VALUE_MARGIN_DIGITS = 10


def _digits_lost(lo, hi):
    """``{"digits": d, "at": node}``: the fewest significant digits on which the working-precision
    values agree with the confirming-precision values at the nodes both runs share (``None``
    when they share none).  A sequence evaluated correctly agrees to about the working
    precision; one whose implementation loses accuracy (a quadrature with an absolute
    tolerance, cancellation at huge ``n``) agrees to fewer digits, and its error is smooth in
    ``n``, so the extrapolation would take it for a correction and return a biased limit."""
    values = dict(zip(map(str, hi.vs), hi.avals))
    worst = None
    with mp.workdps(hi.dps):
        for v, a in zip(lo.vs, lo.avals):
            b = values.get(str(v))
            if b is None:
                continue
            if b == 0:
                d = mp.inf if a == 0 else mp.mpf(0)
            elif a == b:
                d = mp.inf
            else:
                d = -mp.log10(abs(a - b) / abs(b))
            if worst is None or d < worst[0]:
                worst = (d, v)
    if worst is None:
        return None
    return {"digits": float(min(worst[0], hi.dps)), "at": _short(worst[1])}


def _stable_across_precisions(lo, hi):
    """A refutation by the confirming run stands only if the lower-precision run measured the
    same value (within its bars): a bias of the sequence's implementation that shrinks as the
    precision rises (``n (1 + 10^(8-dps))``) is not a property of the claim."""
    kind = hi.refutation()
    if lo.zero or not hasattr(lo, "e_est"):
        return True
    pair_lo, pair_hi = (lo.c_est, hi.c_est) if kind == "constant" else (lo.e_est, hi.e_est)
    a = min(pair_lo, key=lambda e: e.error)
    b = min(pair_hi, key=lambda e: e.error)
    return not mp.isfinite(a.error) or abs(a.value - b.value) <= 3 * (a.error + b.error)


#: consecutive integers scanned at two magnitudes (every class mod m <= SCAN is in each window)
SCAN = 128


def _class_scan(stmt, settings, evaluate):
    """The residue screen: ``|a/law - 1|`` over ``SCAN`` consecutive integers near the top of the
    grid, and over as many ``256`` (or ``16``) times lower.  Every class modulo any ``m <= SCAN`` is
    in both windows; if the largest deviation does not shrink between them, some class does not
    follow the law (or the corrections are slower than any power): a problem, never a
    verification.  ``None`` when it shrinks, or for real variables and ``residues=1``."""
    if not stmt.is_integer or settings.residues <= 1 or evaluate is None:
        return None
    top = settings.grid.nodes(True, settings.extra_points)[-1]
    factor = next((f for f in (256, 16) if top // f >= 2 * SCAN), None)
    if factor is None:
        return None
    dps = settings.dps
    worst = []
    with mp.workdps(dps):
        C = mp.mpf(sp.N(stmt.constant, dps + 5))
        E = mp.mpf(sp.N(stmt.exponent, dps + 5))
        q = mp.mpf(sp.N(stmt.log_power, dps + 5))
        for m_end in (top // factor, top):
            vs, avals = evaluate(range(m_end - SCAN + 1, m_end + 1), dps)
            dev = [(abs(x / (mp.mpf(v) ** E * (mp.log(v) ** q if q else 1)) / C - 1), v)
                   for v, x in zip(vs, avals)]
            worst.append(max(dev))
        (d1, v1), (d2, v2) = worst
        if d2 > mp.mpf(10) ** -settings.digits and d2 >= d1 / 2:
            return (f"not every residue class follows the law: |a/law - 1| = {mp.nstr(d2, 3)} at "
                    f"{stmt.variable} = {_short(v2)} and {mp.nstr(d1, 3)} at {_short(v1)} ({SCAN} "
                    f"consecutive {stmt.variable} at each place): it does not shrink")
    return None


def _expr_text(expr):
    """A sympy number as short text (huge integers and long forms in scientific notation)."""
    try:
        text = str(expr)
    except ValueError:        # beyond Python's int-to-str limit
        text = ""
    if text and len(text) <= 60:
        return text
    if getattr(expr, "free_symbols", None):     # a leading term C v^e: numeric constant, symbolic power
        return str(sp.N(expr, 15))
    return mp.nstr(mp.mpf(sp.N(expr, 20)), 15)


def _hint(stmt, hi):
    seen = getattr(hi, "correction_seen", None)
    w = float(stmt.corrections)
    if seen is not None and seen > 0.25 and abs(seen / w - round(seen / w)) > 0.1:
        return (f"; corrections look like {stmt.variable}^-{seen:.2f}, declared step "
                f"{stmt.corrections}: declare corrections= to match")
    if seen is not None and seen <= 0.25:
        return (f"; corrections decay like {stmt.variable}^-{max(seen, 0):.2f} or slower "
                "(logarithmic?)")
    return ""


def _refuted_primary(stmt, hi, settings, common):
    measured, details = {}, common["details"]
    e_val, best_e, best_c, e_off = _measured_law(stmt, hi, settings)
    with mp.workdps(hi.dps):
        if e_off:
            ident_e = _identify(e_val, best_e.error)
            measured["exponent"] = Measured(_fmt(e_val), mp.nstr(best_e.error, 3), _fmt(hi.E), None)
            if mp.isfinite(best_c.error):
                measured["constant"] = Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                                _fmt(hi.C), None)
            summary = (f"refuted: measured exponent {_fmt(e_val, 20)} (+- {mp.nstr(best_e.error, 2)}"
                       f"{', = ' + ident_e if ident_e else ''}), claimed {stmt.exponent}")
            if mp.isfinite(best_c.error):
                summary += f"; constant with the measured exponent {mp.nstr(best_c.value, 15)}"
            details.update({"identified_exponent": ident_e,
                            "exponent_digits_measured": best_e.digits()})
        else:
            ident_c = _identify(best_c.value, best_c.error)
            e_digits = min(e.digits(hi.E, hi.e_scale) for e in hi.e_est)
            summary = (f"refuted: exponent {stmt.exponent} confirmed to {e_digits:.0f} digits but the "
                       f"constant is {_fmt(best_c.value, 20)} (+- {mp.nstr(best_c.error, 2)}"
                       f"{', = ' + ident_c if ident_c else ''}), claimed {_expr_text(stmt.constant)}")
            details["identified_constant"] = ident_c
            measured["constant"] = Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                            _fmt(hi.C), None)
    return Evidence("failed", summary, outcome="refuted", measured=measured, **common)


def _refuted_guard(stmt, runs, guards, settings, common):
    details = common["details"]
    g = guards[0]
    measured = {}
    if g.zero:
        law = "0"
    else:
        e_val, best_e, best_c, e_off = _measured_law(stmt, g, settings)
        with mp.workdps(g.dps):
            measured = {"exponent": Measured(_fmt(e_val), mp.nstr(best_e.error, 3), _fmt(g.E), None),
                        "constant": Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                             _fmt(g.C), None)}
        law = _law_text(stmt, e_val, best_c, not e_off)
    m, laws = _residue_laws(stmt, runs, settings) if g.lattice.residue else (None, {})
    if g.lattice.residue and m != 1:   # m = 1: every class agrees, the lattice itself differs
        details["residue_laws"] = laws
        details["residue_modulus"] = m
        M = g.lattice.residue[1]
        per_class = "; ".join(f"{k}: {v}" for k, v in laws.items())
        summary = (f"refuted: the limit depends on the residue class of {stmt.variable} "
                   f"(sampled on {stmt.variable} = c mod {M}, c = 0..{_n_classes(runs) - 1}; "
                   f"the simplest pattern they fit: "
                   f"{per_class}); claimed {_expr_text(stmt.leading)}")
    else:
        summary = (f"refuted: on the {g.lattice.label} lattice ({stmt.variable} = "
                   f"{_short(g.vs[0])}..{_short(g.vs[-1])}) {stmt.variable} follows {law}, "
                   f"claimed {_expr_text(stmt.leading)}")
    return Evidence("failed", summary, outcome="refuted", measured=measured, **common)
