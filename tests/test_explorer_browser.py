"""The explorer in a real headless Chromium (Debian's ``chromium`` + ``chromium-driver``,
driven by selenium): the site of the whole built-in graph plus a small user topic, from a
store where only a few cheap claims were verified.

Screenshots of the index and a claim page are checked not to be blank; with
``WORKBENCH_SCREENSHOTS=docs/img`` they are also saved there (the README's images)::

    WORKBENCH_SCREENSHOTS=docs/img python -m pytest -q tests/test_explorer_browser.py

Skipped, with the reason, when chromium, chromedriver or selenium is missing (CI installs
all three: see .ci/run).
"""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOPIC = Path(__file__).parent / "data" / "explorer_topic.py"
CHEAP = ["asymptotics/gamma-ratio-1o2_0", "asymptotics/gamma-ratio-correction-1o2_0", "explore"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium "
                "chromium-driver; .ci/run installs them)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def _cli(store, *args):
    proc = subprocess.run([sys.executable, "-m", "workbench.cli", *args, "--file", str(TOPIC),
                           "--store", str(store)], capture_output=True, text=True, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """``(index path, every claim id of the graph)``: the built-in graph and the test topic."""
    root = tmp_path_factory.mktemp("browser")
    store = root / "store.sqlite"
    _cli(store, "verify", *CHEAP)
    _cli(store, "export", "html", str(root / "site"))
    ids = [c["id"] for c in json.loads(_cli(store, "list", "--json"))["claims"]]
    return root / "site" / "index.html", ids


@pytest.fixture(scope="module")
def browser():
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,860", "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def _requests(driver) -> list[str]:
    """The URLs the browser requested since the last call (Chrome DevTools network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def _not_blank(driver, name: str):
    """A screenshot with real content: many distinct shades and a large spread of values."""
    import numpy as np
    from PIL import Image
    img = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    grey = np.asarray(img.convert("L"), dtype=float)
    assert grey.std() > 10 and len(np.unique(grey)) > 32, f"the {name} screenshot looks blank"
    out = os.environ.get("WORKBENCH_SCREENSHOTS")
    if out and name in ("index", "claim"):
        Path(out).mkdir(parents=True, exist_ok=True)
        img.quantize(colors=64).save(Path(out) / f"explorer-{name}.png", optimize=True)


def test_index_shows_every_claim_and_links_to_its_page(site, browser):
    index, ids = site
    browser.get(index.as_uri())
    nodes = {g.get_attribute("id") for g in browser.find_elements(By.CSS_SELECTOR, "svg g.node")}
    assert nodes == {f"claim:{i}" for i in ids}            # the whole graph, nothing else
    assert len(ids) > 400
    titles = {t.get_attribute("textContent")
              for t in browser.find_elements(By.CSS_SELECTOR, "svg g.node > title")}
    assert "explore/rests-on-false" in titles
    _not_blank(browser, "index")
    # the filter: one topic keeps its rows only
    Select(browser.find_element(By.ID, "topic")).select_by_value("explore")
    rows = [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.claim") if r.is_displayed()]
    assert sorted(r.get_attribute("data-topic") for r in rows) == ["explore"] * 7
    # follow a node's link
    link = browser.find_element(By.CSS_SELECTOR, 'g.node[id="claim:explore/power-law-fit"] a')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", link)
    link.click()
    assert browser.current_url.endswith("/claims/explore/power-law-fit.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "explore/power-law-fit"
    assert all(u.startswith("file://") for u in _requests(browser)), "a request left file://"


@pytest.mark.parametrize("cid, name", [("explore/gamma-ratio", "claim"),
                                       ("explore/rests-on-false", "blocked")])
def test_claim_pages_render_maths_and_make_no_network_request(site, browser, cid, name):
    index, _ = site
    _requests(browser)                                    # forget earlier pages' requests
    browser.get((index.parent / "claims" / f"{cid}.html").as_uri())
    maths = browser.find_elements(By.TAG_NAME, "math")
    assert maths and all(m.size["height"] > 0 and m.size["width"] > 0 for m in maths)
    assert browser.find_element(By.CSS_SELECTOR, "span.status").text in ("verified", "blocked")
    if name == "claim":                                   # its plot, drawn from the store
        img = browser.find_element(By.CSS_SELECTOR, ".plot img")
        assert browser.execute_script("return arguments[0].naturalWidth", img) > 100
    else:                                                 # the chain to the failing premise
        chain = browser.find_element(By.CSS_SELECTOR, "ul.why").text
        assert "explore/false-one" in chain and "returned False" in chain
    _not_blank(browser, name)
    urls = _requests(browser)
    assert urls and all(u.startswith("file://") for u in urls), urls
