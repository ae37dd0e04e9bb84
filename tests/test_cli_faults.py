"""CLI and export faults: topics and globs where one claim was expected, unknown ids, plot
errors, names with a trailing newline, rich markup in titles, LaTeX specials in free text."""

import io
import subprocess

import pytest

from conftest import HAS_PDFLATEX

# every character that means something to LaTeX or to rich, and a paragraph break
EVIL = "] [ $ % # & _ { } ~ ^ \\ < > | \n\n next [red] [/] :smile: end\\"

CHECKS = '''
from workbench import Derivation
D = Derivation("t")
D.add("a_b", "first", title="[red]not red[/] [/] :smile:", check=lambda: True)
D.add("a-b", "second", uses=["a_b"], check=lambda: False)
D.add("c", "third", uses=["a-b"], check=lambda: True)
'''

PLOTS = '''
import mpmath as mp, sympy as sp
from workbench import Derivation
D = Derivation("p")
n = sp.Symbol("n", positive=True, integer=True)

def breaks(n):
    if n > 20:
        raise ZeroDivisionError("no value\\nat this n")
    return mp.sqrt(n)

D.asymptotic("raises", sequence=breaks, variable=n, leading=sp.sqrt(n))

@D.claim("check-raises", statement="a check that raises")
def check_raises():
    raise RuntimeError("kaboom")
'''

ADVERSARIAL = f'''
from workbench import Derivation, Evidence
EVIL = {EVIL!r}
D = Derivation("adv_1", title=EVIL, source=EVIL)

@D.claim("base.a-b_c", title="T " + EVIL, statement="S " + EVIL + " with $x_1^{{2}}$ maths",
         source="Src " + EVIL)
def base():
    return Evidence("verified", "summary " + EVIL)

@D.claim("maths", title="$\\\\alpha]$ and $a}}$ and $50%$ $", uses=["base.a-b_c"],
         statement="$$ x $$ costs $5")
def maths():
    raise RuntimeError("kaboom " + EVIL)

D.add("a_b", "x", title="[red]r[/red] [/]", check=lambda: True)
D.add("a-b", "x", title="had the same label as a_b", uses=["a_b"], check=lambda: True)
'''


def _file(tmp_path, name, body):
    f = tmp_path / name
    f.write_text(body)
    return ("--no-builtin", "--file", str(f))


def _one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    hits = [l for l in lines if all(f in l for f in fragments)]
    assert hits, proc.stderr


# -- ids, topics, globs ---------------------------------------------------------

@pytest.mark.parametrize("command", ["show", "why", "history"])
@pytest.mark.parametrize("pattern", ["t", "t/a*"])
def test_topic_or_glob_gives_one_section_per_claim(run_cli, tmp_path, command, pattern):
    args = _file(tmp_path, "t.py", CHECKS)
    run_cli("verify", *args)
    proc = run_cli(command, pattern, *args)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    expected = ["t/a-b", "t/a_b"] + (["t/c"] if pattern == "t" else [])
    sections = proc.stdout.strip().split("\n\n")
    assert [s.split()[0] for s in sections] == expected
    if command == "why":
        assert "t/a-b is failed." in proc.stdout
        assert "t/a_b is verified" in proc.stdout
    if command == "history":
        assert all("verified" in s or "failed" in s for s in sections)


@pytest.mark.parametrize("command", ["verify", "list", "show", "why", "history", "plot"])
def test_an_id_matching_nothing_is_a_one_line_error(run_cli, tmp_path, command):
    extra = ("-o", str(tmp_path / "x.png")) if command == "plot" else ()
    proc = run_cli(command, "t/nope", *extra, *_file(tmp_path, "t.py", CHECKS))
    _one_line_error(proc, "no claim matches 't/nope'")


def test_plot_of_a_topic_names_the_matches(run_cli, tmp_path):
    proc = run_cli("plot", "t", "-o", str(tmp_path / "x.png"), *_file(tmp_path, "t.py", CHECKS))
    _one_line_error(proc, "'t' matches 3", "t/a-b, t/a_b, t/c", "name one")


# -- plot -------------------------------------------------------------------------

@pytest.mark.parametrize("name, problem", [("x.xyz", "extension .xyz"), ("x", "no extension")])
def test_plot_refuses_an_unsupported_format_before_loading_anything(run_cli, tmp_path, name,
                                                                      problem):
    marker = tmp_path / "loaded"
    args = _file(tmp_path, "m.py", f"open({str(marker)!r}, 'w').close()\n" + CHECKS)
    proc = run_cli("plot", "t/a_b", "-o", str(tmp_path / name), *args)
    _one_line_error(proc, problem, ".png", ".pdf", ".svg")
    assert not marker.exists()                 # the claim file was never loaded


def test_plot_into_a_missing_folder_is_refused(run_cli, tmp_path):
    proc = run_cli("plot", "t/a_b", "-o", str(tmp_path / "no" / "x.png"),
                   *_file(tmp_path, "t.py", CHECKS))
    _one_line_error(proc, "does not exist")


@pytest.mark.parametrize("claim, message", [
    ("p/raises", "cannot plot p/raises: the sequence raised ZeroDivisionError: "
                 "no value at this n at n = "),
    ("p/check-raises", "cannot plot p/check-raises: its check ended in error "
                       "(RuntimeError: kaboom)"),
])
def test_plot_of_a_sequence_or_check_that_raises_names_claim_and_exception(run_cli, tmp_path,
                                                                           claim, message):
    out = tmp_path / "x.png"
    proc = run_cli("plot", claim, "-o", str(out), *_file(tmp_path, "p.py", PLOTS))
    _one_line_error(proc, message)
    assert not out.exists()


def test_plot_titles_and_labels_with_broken_mathtext_still_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from workbench import Derivation, Evidence
    from workbench.plotting import plot_claim, series
    D = Derivation("plot_faults")
    c = D.add("s", "a series", title=r"$\frac{$ and $x$", check=lambda: True)
    ev = Evidence("verified", "ok", details={"plot": series(
        [1, 2, 4], [1.0, 0.5, 0.25], law=[1.0, 0.5, 0.25], law_label=r"law $\bad{$",
        xlabel="$n$")})
    fig = plot_claim(c, ev)
    fig.savefig(io.BytesIO(), format="png")    # mathtext is parsed here: it raised before
    assert fig.axes[0].get_title() == "plot_faults/s\n" + r"\$\frac{\$ and \$x\$"
    assert fig.axes[1].get_xlabel() == "$n$"   # maths that parses is kept
    plt.close(fig)


def test_plot_of_a_malformed_series_names_the_claim():
    from workbench import Derivation, Evidence
    from workbench.plotting import PlotError, plot_claim
    D = Derivation("plot_faults")
    c = D.add("s", "a series", check=lambda: True)
    ev = Evidence("verified", "ok", details={"plot": {"x": [1, 2, 3], "y": [1, 2]}})
    with pytest.raises(PlotError, match="cannot plot plot_faults/s: drawing its series raised"):
        plot_claim(c, ev)


# -- names ------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["a\n", "a\r\n", "a\nb", " a", "a/b", ""])
def test_topic_and_claim_names_must_be_whole_words(bad):
    from workbench import Derivation
    from workbench.errors import MalformedStatement
    with pytest.raises(MalformedStatement, match="must be a word"):
        Derivation(bad)
    with pytest.raises(MalformedStatement, match="must be a word"):
        Derivation("fine").add(bad, "s", check=lambda: True)


def test_a_claim_file_with_a_newline_in_a_name_is_refused(run_cli, tmp_path):
    body = "from workbench import Derivation\nD = Derivation('t')\nD.add('a\\n', 's', check=lambda: True)\n"
    _one_line_error(run_cli("list", *_file(tmp_path, "n.py", body)), "claim name 'a\\n'")


# -- rich markup --------------------------------------------------------------------

@pytest.mark.parametrize("command", ["show", "list"])
def test_titles_print_literally_not_as_rich_markup(run_cli, tmp_path, command):
    proc = run_cli(command, "t/a_b", *_file(tmp_path, "t.py", CHECKS))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "[red]not red[/] [/] :smile:" in proc.stdout


def test_evidence_with_markup_prints_literally_in_why_and_history(run_cli, tmp_path):
    body = ("from workbench import Derivation, Evidence\nD = Derivation('t')\n"
            "D.add('a', 's', check=lambda: Evidence('failed', 'bad [/] [bold]x'))\n")
    args = _file(tmp_path, "e.py", body)
    run_cli("verify", *args)
    for command in ("why", "history"):
        proc = run_cli(command, "t/a", *args)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert "bad [/] [bold]x" in proc.stdout


# -- LaTeX ------------------------------------------------------------------------

def test_latex_text_escapes_every_special_outside_maths():
    from workbench.printing import latex_text
    out = latex_text(EVIL)
    assert "\n" not in out
    for c in "$%#&_{}":
        assert out.count("\\" + c) == EVIL.count(c)
    assert out.count(r"\textbackslash{}") == 2
    assert r"\textasciitilde{}" in out and r"\textasciicircum{}" in out
    assert latex_text("costs $5 and $x_1$") == r"costs \$5 and $x_1$"
    assert latex_text("$a}$ and $50%$") == r"\$a\}\$ and $50\%$"     # unbalanced: literal
    assert latex_text("$x$", math=False) == r"\$x\$"


def test_labels_are_one_to_one():
    from workbench.export.latex import label_of
    ids = ["t/a_b", "t/a-b", "t-a/b", "t_a/b", "t/a.b", "t/a b", "t/a+20+b"]
    assert len({label_of(i) for i in ids}) == len(ids)


def _adversarial_tex(run_cli, tmp_path):
    args = _file(tmp_path, "adv.py", ADVERSARIAL)
    run_cli("verify", *args)
    out = tmp_path / "doc" / "adv.tex"
    proc = run_cli("export", "latex", "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out


def test_latex_export_braces_titles_in_optional_arguments(run_cli, tmp_path):
    tex = _adversarial_tex(run_cli, tmp_path).read_text()
    assert r"\begin{lemma}[{T ] [ \$ \% \# \& \_ \{ \}" in tex
    assert r"\begin{lemma}[{$\alpha]$ and \$a\}\$ and $50\%$ \$}]" in tex
    assert r"\section{\texorpdfstring{\texttt{adv\_1}}{adv\_1}}" in tex


@pytest.mark.latex
@pytest.mark.skipif(not HAS_PDFLATEX, reason="pdflatex not installed")
def test_latex_export_of_adversarial_text_compiles(run_cli, tmp_path):
    out = _adversarial_tex(run_cli, tmp_path)
    for _ in range(2):
        res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", out.name],
                             cwd=out.parent, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stdout[-3000:]
    log = (out.parent / "adv.log").read_text()
    assert "undefined" not in log.lower(), [l for l in log.splitlines() if "ndefined" in l]
    assert "multiply defined" not in log                       # t/a_b and t/a-b shared a label
    assert "Token not allowed in a PDF string" not in log
    assert (out.parent / "adv.pdf").stat().st_size > 10_000
