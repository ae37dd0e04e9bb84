"""The drawers: each draws one kind of series on the axes :func:`~workbench.plotting.plot_claim`
made for it (see :class:`~workbench.plotting.Plot`).

* :func:`draw_law` -- points (with error bars) against a law, residuals below;
* :func:`draw_digits` -- digits of agreement reached at each point, with the target line;
* :func:`draw_components` -- mean +- SE of each component against the reference, and the
  deviations in standard errors below.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["draw_law", "draw_digits", "draw_components"]


def _text(s) -> str:
    """``s`` for a matplotlib label: kept when its ``$...$`` maths parses as mathtext, else with
    every ``$`` escaped (a title such as ``costs $5 and $\\frac{$`` would fail at draw time)."""
    from matplotlib import cbook
    from matplotlib.mathtext import MathTextParser
    s = str(s)
    if not cbook.is_math_text(s):
        return s
    try:
        MathTextParser("path").parse(s)
        return s
    except Exception:
        return re.sub(r"(?<!\\)\$", r"\\$", s)


def _title(claim, ax):
    title = claim.id + (f"\n{claim.title}" if claim.title and claim.title != claim.id else "")
    ax.set_title(_text(title), fontsize=9)


def _categories(ax, labels):
    """Point labels along the x axis (at most ~25 shown, rotated when long)."""
    pos = np.arange(len(labels))
    step = max(1, len(labels) // 25)
    ax.set_xticks(pos[::step])
    long = max((len(str(x)) for x in labels), default=0) > 6
    ax.set_xticklabels([_text(x) for x in labels[::step]], rotation=45 if long else 0,
                       ha="right" if long else "center", fontsize=7)
    return pos


def draw_law(claim, data, axes):
    """Measured (or computed) points against the law; below, ``measured / law - 1`` (or the
    absolute residuals ``abs_residual``, log scale, for a computed asymptotic sequence)."""
    top, bottom = axes
    x = np.array(data["x"], dtype=float)
    y = np.array(data["y"], dtype=float)
    yerr = None if data.get("yerr") is None else np.array(data["yerr"], dtype=float)
    law = None if data.get("law") is None else np.array(data["law"], dtype=float)
    positive = np.all(y > 0) and (law is None or np.all(law > 0))
    top.set_xscale("log")
    if positive:
        top.set_yscale("log")
    top.errorbar(x, y, yerr=yerr, fmt="o", ms=4, label=_text(data.get("label", "measured")))
    if law is not None:
        top.plot(x, law, "-", label=_text(data.get("law_label", "law")))
        rel = y / law - 1
        err = None if yerr is None else yerr / np.abs(law)
        if data.get("abs_residual") is not None:
            r = np.array(data["abs_residual"], dtype=float)
            keep = r > 0
            bottom.set_yscale("log")
            bottom.plot(x[keep], r[keep], "o-", ms=4)
            bottom.set_ylabel("|a / leading - 1|")
        else:
            bottom.errorbar(x, rel, yerr=err, fmt="o", ms=4)
            bottom.axhline(0, color="k", lw=0.8)
            bottom.set_ylabel("measured / law - 1")
    bottom.set_xlabel(_text(data.get("xlabel", "n")))
    top.set_ylabel(_text(data.get("ylabel", "")))
    _title(claim, top)
    top.legend(fontsize=8)


def draw_digits(claim, data, axes):
    """Digits reached at each point (``data["x"]`` labels, ``data["digits"]``), the target
    ``data["target"]`` as a dashed line; points short of the target are drawn in red."""
    (ax,) = axes
    labels = [str(x) for x in data["x"]]
    digits = np.array(data["digits"], dtype=float)
    if len(digits) != len(labels):
        raise ValueError(f"{len(labels)} points but {len(digits)} digit counts")
    digits = np.clip(np.nan_to_num(digits, nan=0.0, neginf=0.0), 0, None)
    pos = _categories(ax, labels)
    target = data.get("target")
    short = digits < target if target is not None else np.zeros(len(digits), bool)
    ax.plot(pos[~short], digits[~short], "o", ms=5, color="C0", label="digits reached")
    if short.any():
        ax.plot(pos[short], digits[short], "o", ms=5, color="C3", label="short of the target")
    if target is not None:
        ax.axhline(float(target), color="k", ls="--", lw=0.9, label=f"target: {target} digits")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_text(data.get("ylabel", "digits of agreement")))
    ax.set_xlabel(_text(data.get("xlabel", "point")))
    _title(claim, ax)
    ax.legend(fontsize=8)


def draw_components(claim, data, axes):
    """Mean +- SE of each component against the reference; below, ``(mean - reference) / SE``
    (``data["z"]`` when given, else computed) with the band ``+- k`` when ``data["k"]`` is set."""
    top, bottom = axes
    labels = [str(x) for x in data["x"]]
    mean, se, ref = (np.array(data[k], dtype=float) for k in ("mean", "se", "reference"))
    if not len(mean) == len(se) == len(ref) == len(labels):
        raise ValueError("mean, se, reference and labels differ in length")
    pos = np.arange(len(labels))
    top.errorbar(pos, mean, yerr=se, fmt="o", ms=4, capsize=3, label="mean +- SE over seeds")
    top.plot(pos, ref, "_", ms=14, mew=2, color="C1",
             label=_text(f"reference {data.get('reference_label') or ''}".strip()))
    top.set_ylabel(_text(data.get("ylabel", "")))
    if data.get("z") is not None:
        z = np.array(data["z"], dtype=float)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (mean - ref) / se, 0.0)
    bottom.plot(pos, z, "o", ms=4)
    bottom.axhline(0, color="k", lw=0.8)
    k = data.get("k")
    if k is not None:
        for sign in (-1, 1):
            bottom.axhline(sign * float(k), color="k", ls="--", lw=0.8)
    bottom.set_ylabel("(mean - reference) / SE")
    _categories(bottom, labels)
    _title(claim, top)
    top.legend(fontsize=8)
