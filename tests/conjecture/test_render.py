"""A conjecture in a notebook: LaTeX/HTML with its law, closed form and digits, and the plot of
the sequence against the law with the residual |a/law - 1| (through workbench.plotting)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

from workbench.conjecture import conjecture  # noqa: E402
from workbench.plotting import PlotError  # noqa: E402


def seq(k):
    k = mp.mpf(k)
    return 3 / (mp.pi * k ** 2) * (1 + 1 / k)


@pytest.fixture(scope="module")
def c():
    return conjecture(seq, "k")


def test_latex_and_html_show_law_closed_form_and_digits(c):
    tex = c._repr_latex_()
    assert r"\frac{3}{\pi k^{2}}" in tex and "supported" in tex and "closed form" in tex
    assert f"{c.digits:g}" in tex
    html = c._repr_html_()
    assert r"<td>law</td><td>$\frac{3}{\pi k^{2}}$" in html
    assert r"$\frac{3}{\pi}$ (closed form)" in html
    assert "data:image/png;base64," in html and f"{c.digits:g} digits" in html


def test_html_of_a_measured_constant_shows_15_digits_and_escapes():
    c = conjecture(lambda k: mp.e ** (mp.mpf(1) / 3) / mp.mpf(k) ** 2, "k", text="e**(1/3)/k**2<b>")
    html = c._repr_html_()
    assert r"<td>law</td><td>$\frac{1.39561242508609}{k^{2}}$</td>" in html   # 15 digits shown
    assert "&lt;b&gt;" in html and "<b>Conjecture</b>" in html


def test_plot_is_the_sequence_against_the_law_with_its_residual(c):
    fig = c.plot()
    top, bottom = fig.axes
    (law_line,) = top.get_lines()[-1:]
    resid = bottom.get_lines()[0].get_ydata()
    k = np.asarray(bottom.get_lines()[0].get_xdata())
    assert np.allclose(resid, 1 / k, rtol=1e-6)          # |a/law - 1| = 1/k here
    assert np.allclose(law_line.get_ydata(), 3 / (np.pi * np.asarray(law_line.get_xdata()) ** 2))
    plt.close(fig)
    fig = c.plot(leading=4 / (sp.pi * c.variable ** 2))   # a wrong guess: the residual -> 1/4
    assert abs(fig.axes[1].get_lines()[0].get_ydata()[-1] - 0.25) < 1e-5
    plt.close(fig)


def test_plot_without_a_law_says_why():
    c = conjecture(lambda k: mp.sin(k), "k")
    with pytest.raises(PlotError, match="no law"):
        c.plot()
    assert "data:image" not in c._repr_html_()
