"""The site's local assets: one stylesheet (with pygments' colours) and one small script.

Nothing is fetched from a network: pages link ``assets/site.css`` and ``assets/filter.js``
by relative paths, so the site works from ``file://`` offline.
"""

from __future__ import annotations

from ...printing.style import STATUS

__all__ = ["assets", "stylesheet", "FILTER_JS"]

_BASE_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.2em 2em; color: #1f2328; max-width: 75em; }
a { color: #0550ae; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
header.top { display: flex; gap: 1.5em; align-items: baseline; flex-wrap: wrap; }
.status { font-weight: bold; padding: 0 0.35em; border-radius: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.formula { font-size: 1.25em; overflow-x: auto; padding: 0.4em 0; }
.sentence { font-size: 1.1em; }
.chain { margin: 0.2em 0; }
.graph { overflow: auto; border: 1px solid #d0d7de; max-height: 80vh; }
.graph svg { display: block; }
.filters { margin: 0.6em 0; display: flex; gap: 1.2em; flex-wrap: wrap; align-items: center; }
.dimmed { opacity: 0.12; }
tr.hidden { display: none; }
.plot img { max-width: 100%; border: 1px solid #d0d7de; }
.highlight { background: #f6f8fa; padding: 0.5em; overflow-x: auto; }
"""

FILTER_JS = """// Filter the graph and the claim list by topic and status (no network, no library).
(function () {
  function apply() {
    var topic = document.getElementById('topic').value;
    var shown = {};
    document.querySelectorAll('input.status-filter').forEach(function (box) {
      shown[box.value] = box.checked;
    });
    function keep(el) {
      var t = el.getAttribute('data-topic'), s = el.getAttribute('data-status');
      return (topic === '' || t === topic) && shown[s];
    }
    document.querySelectorAll('svg g.node').forEach(function (g) {
      var row = document.getElementById('row-' + g.id);
      var ok = row ? keep(row) : true;
      g.classList.toggle('dimmed', !ok);
    });
    document.querySelectorAll('tr.claim').forEach(function (tr) {
      tr.classList.toggle('hidden', !keep(tr));
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.filters select, .filters input').forEach(function (el) {
      el.addEventListener('change', apply);
    });
    apply();
  });
})();
"""


def stylesheet() -> str:
    """The site's CSS: the base rules, a colour per status, and pygments' highlighting."""
    from pygments.formatters import HtmlFormatter
    colours = "".join(f".status-{name} {{ background: {s.fill}; color: {s.html}; }}\n"
                      for name, s in STATUS.items())
    return _BASE_CSS + colours + HtmlFormatter(style="default").get_style_defs(".highlight")


def assets() -> dict[str, str]:
    """Relative path -> content of every asset file."""
    return {"assets/site.css": stylesheet(), "assets/filter.js": FILTER_JS}
