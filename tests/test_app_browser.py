"""End to end: ``zhize app`` serving the explorer on 127.0.0.1, loaded in headless Chromium.

Checks what a person would: the 谁负责 page shows a result with its evidence
highlighted, and the 网络 page draws the graph (Cytoscape's canvases inside the
component's frame).  Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from app_data import CORPUS, corpus_store, handmade_batch, write_store

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"headless Chromium not installed ({', '.join(missing)} missing): "
                    "apt-get install -y chromium chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("selenium is not installed (pip install selenium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    if CORPUS.is_dir():
        db = corpus_store(tmp_path_factory.mktemp("corpus-browser"))
        query = "反拐"
    else:   # still end to end, on our own sentences
        db = write_store(tmp_path_factory.mktemp("hand-browser") / "graph.sqlite", handmade_batch())
        query = "拐卖"
    port = _free_port()
    env = {**os.environ, "ZHIZE_DB": str(db), "ZHIZE_APP_GRAPH": "on"}
    env.pop("NEO4J_URI", None)
    log = tempfile.TemporaryFile()
    # as a user starts it from an install: the zhize command, in a folder that is not the checkout
    zhize = Path(sys.executable).with_name("zhize")
    proc = subprocess.Popen([str(zhize), "app", "--headless", "--port", str(port), "--db", str(db)],
                            cwd=tmp_path_factory.mktemp("elsewhere"), env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read().decode(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base, query
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # stopping zhize app stops the Streamlit server it started: nothing answers on the port after it
    assert not _answers(f"{base}/_stcore/health", within=10), "zhize app left its Streamlit server running"


def _answers(url: str, within: float) -> bool:
    """Does the URL still answer at the end of ``within`` seconds (a server given time to stop)?"""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
        except OSError:
            return False
        time.sleep(0.3)
    return True


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="zhize-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1100",
                 "--lang=zh-CN"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait_text(driver, text: str, timeout: float = 60) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element("tag name", "body").text)


def _shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


def test_owners_page_shows_a_result_with_highlighted_evidence(server, browser):
    base, query = server
    browser.get(f"{base}/?view=owners&q={quote(query)}")
    from selenium.webdriver.support.ui import WebDriverWait

    _wait_text(browser, "项任务")
    marks = WebDriverWait(browser, 60).until(lambda d: d.find_elements("css selector", "mark.zz-unit"))
    _wait_text(browser, "本页链接")
    body = browser.find_element("tag name", "body").text
    assert "省公安厅" in body
    assert any("省公安厅" in m.text for m in marks)
    assert "本页链接" in body and "view=owners" in body
    assert _shot(browser, "app-owners.png").stat().st_size > 10_000


def test_network_page_draws_the_graph(server, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = server
    browser.get(f"{base}/?view=network&jur={quote('云南省')}")
    _wait_text(browser, "中心度")
    frame = WebDriverWait(browser, 60).until(
        lambda d: next((f for f in d.find_elements("tag name", "iframe")
                        if "zhize_network" in (f.get_attribute("title") or "") + (f.get_attribute("src") or "")),
                       None))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", frame)
    browser.switch_to.frame(frame)
    try:
        canvases = WebDriverWait(browser, 60).until(lambda d: d.find_elements("tag name", "canvas"))
        assert canvases and max(c.size["width"] for c in canvases) > 200
        time.sleep(2)            # let the force layout settle for the picture
    finally:
        browser.switch_to.default_content()
    assert _shot(browser, "app-network.png").stat().st_size > 10_000


def _network_frame(browser):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 60).until(
        lambda d: next((f for f in d.find_elements("tag name", "iframe")
                        if "zhize_network" in (f.get_attribute("title") or "") + (f.get_attribute("src") or "")),
                       None))


def test_clicking_a_unit_in_the_network_opens_its_page(server, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = server
    browser.get(f"{base}/?view=network")
    _wait_text(browser, "中心度")
    frame = _network_frame(browser)
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, 60).until(lambda d: d.find_elements("tag name", "canvas"))
        panel = browser.find_element("id", "infopanel").text
        assert "点击单位" in panel and "No selected" not in panel            # the component speaks Chinese
        unit = WebDriverWait(browser, 30).until(lambda d: d.execute_script(
            "const reg = document.getElementById('cy')._cyreg; if (!reg || !reg.cy.nodes().length) return null;"
            "const n = reg.cy.nodes()[0]; n.emit('tap'); return n.id();"))
    finally:
        browser.switch_to.default_content()
    WebDriverWait(browser, 60).until(lambda d: "view=unit" in d.current_url)
    _wait_text(browser, "沿革与基本信息")
    assert quote(unit, safe="") in browser.current_url or unit in browser.current_url
    _shot(browser, "app-network-click.png")


def test_every_view_renders_in_chinese_with_no_deploy_button(server, browser):
    from zhize.explorer import views as vw

    base, query = server
    extra = {"owners": f"&q={quote(query)}", "group": f"&group_q={quote('联席会议')}",
             "unit": f"&unit_q={quote('公安')}", "person": f"&person_q={quote('王')}"}
    for view, name in vw.VIEWS.items():
        browser.get(f"{base}/?view={view}{extra.get(view, '')}")
        _wait_text(browser, "本页链接")
        time.sleep(1.5)
        body = browser.find_element("tag name", "body").text
        assert name in body and "Deploy" not in body and "None" not in body.split("本页链接")[0], view
        assert _shot(browser, f"app-view-{view}.png").stat().st_size > 10_000
