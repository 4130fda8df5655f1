"""A student's view: JupyterLab from the project's environment, driven by Chromium.

JupyterLab is started from this environment on the repository, with throw-away
user settings and runtime folders (the environment's own settings,
jupyter/overrides.json, turn the news pop-up off). In headless Chromium the
tests then

* open a chapter as a student finds it in the repository (``notebooks/``) and
  a class notebook of the teacher edition (``make class``), run every cell and
  find no error output, no raw MyST markup in the rendered prose and no news
  pop-up;
* move the slider of chapter 4's α figure and see the figure redrawn;
* open and save a chapter source and a class notebook without editing them and
  find the files unchanged (the committed metadata is what JupyterLab writes).

JupyterLab renders only the cells in view by default; the tests' user settings
render all of them, so the whole notebook can be read from the page. Waiting
is done on JupyterLab's own model (the kernel's status and every code cell's
execution count), not on the toolbar. Screenshots go to _build/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "_build" / "screenshots"
WORK = ROOT / "_build" / "labtest"
RAW_MYST = ["{glue", "{footcite", "{doc}", "{numref}", "```{", ":::{", "{exercise}", "{solution}"]
RUN_TIMEOUT_MS = 240_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not (ROOT / "_build" / "class" / "teacher").is_dir():
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_class.py"), "--kit-only"],
                       cwd=ROOT, check=True)
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.is_file(), "make venv installs jupyter/overrides.json into the environment"
    home = tmp_path_factory.mktemp("lab")
    settings = home / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    env.pop("ACTLAB_STATIC", None)  # a student's kernel: sliders are live
    jupyter = Path(sys.executable).parent / "jupyter"
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ServerApp.token=",
         "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={ROOT}", "--LabApp.news_url=", "--ServerApp.ip=127.0.0.1",
         "--LabApp.expose_app_in_browser=True", "--allow-root"],  # (CI runs as root)
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/api", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"JupyterLab did not start within 120 s:\n{(home / 'lab.log').read_text()}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def lab_page(browser, lab):
    """A JupyterLab page, its application started and its news pop-up checked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # ?reset: a fresh workspace, so an earlier test's notebook is not restored
    # (and does not take the focus) when this page loads
    page.goto(f"{lab}/lab?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started",
                           timeout=120_000)
    page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored;"
                  " await window.jupyterapp.commands.execute('application:close-all'); }")
    yield page
    context.close()


OPEN = """async (path) => {
    const app = window.jupyterapp;
    const panel = await app.commands.execute('docmanager:open',
        {path, factory: 'Notebook', kernel: {name: 'python3'}});
    await panel.context.ready;
    await panel.sessionContext.ready;
    app.shell.activateById(panel.id);
    window.__panel = panel;
    return panel.sessionContext.session !== null;
}"""

RUN_ALL = """async (ms) => {
    const app = window.jupyterapp;
    app.shell.activateById(window.__panel.id);
    const timeout = new Promise(resolve => setTimeout(() => resolve('timeout'), ms));
    return await Promise.race([app.commands.execute('notebook:run-all-cells'), timeout]);
}"""

STATE = """async () => {
    const panel = window.__panel;
    const state = {code: 0, counted: 0, errors: [], markdown: [],
                   status: panel.sessionContext.session?.kernel?.status ?? 'none'};
    for (const widget of panel.content.widgets) {
        const cell = widget.model;
        if (cell.type === 'markdown') {
            // JupyterLab renders a Markdown cell when it first comes into view
            widget.node.scrollIntoView();
            for (let i = 0; i < 200 && !widget.node.querySelector('.jp-MarkdownOutput')
                                           ?.textContent.trim(); i++)
                await new Promise(resolve => setTimeout(resolve, 25));
            state.markdown.push(widget.node.querySelector('.jp-MarkdownOutput')?.textContent ?? '');
        }
        if (cell.type !== 'code' || !cell.sharedModel.getSource().trim()) continue;
        state.code += 1;  // (JupyterLab does not run an empty cell)
        if (cell.executionCount !== null && cell.executionCount !== undefined) state.counted += 1;
        for (const out of cell.outputs.toJSON()) {
            if (out.output_type === 'error') state.errors.push(`${out.ename}: ${out.evalue}`);
            if (out.output_type === 'stream' && out.name === 'stderr')
                state.errors.push([].concat(out.text).join('').slice(0, 200));
        }
    }
    return state;
}"""


DONE = """() => {
    const panel = window.__panel;
    if (panel.sessionContext.session?.kernel?.status !== 'idle') return false;
    for (const widget of panel.content.widgets) {
        const cell = widget.model;
        if (cell.type === 'code' && cell.sharedModel.getSource().trim()
            && (cell.executionCount === null || cell.executionCount === undefined)) return false;
    }
    return true;
}"""


def open_notebook(page, path: str) -> None:
    assert page.evaluate(OPEN, path), f"{path}: JupyterLab started no kernel"


def run_all(page, path: str) -> dict:
    """Run every cell; return the notebook's state once the kernel is idle again."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    started = time.monotonic()
    outcome = page.evaluate(RUN_ALL, RUN_TIMEOUT_MS)
    # done when the kernel is idle and every non-empty code cell has its count (the
    # execute replies and the idle status come on different channels)
    try:
        page.wait_for_function(DONE, timeout=120_000, polling=500)
    except PlaywrightTimeout:
        state = page.evaluate(STATE)
        pytest.fail(f"{path}: cells left unrun after Run All: "
                    f"{ {k: v for k, v in state.items() if k != 'markdown'} }")
    state = page.evaluate(STATE)
    state["seconds"] = time.monotonic() - started
    assert outcome != "timeout", f"{path}: not done after {RUN_TIMEOUT_MS // 1000} s: {state}"
    return state


@pytest.mark.parametrize("path", ["notebooks/05_dying_relu.ipynb",
                                  "_build/class/teacher/01_sigmoid.ipynb"])
def test_a_chapter_runs_and_reads_right_in_jupyterlab(lab_page, path):
    page = lab_page
    open_notebook(page, path)
    state = run_all(page, path)
    news = page.locator("text=Would you like to get notified about official Jupyter news").count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{Path(path).parent.name}-{Path(path).stem}.png"))
    print(f"{path}: {state['code']} code cells ran in {state['seconds']:.1f} s")
    assert state["counted"] == state["code"] > 0, f"{path}: cells left unrun: {state}"
    assert not state["errors"], f"{path}: error output in JupyterLab: {state['errors'][:3]}"
    assert news == 0, "JupyterLab asks about its news feed (jupyter/overrides.json not applied)"
    markdown = state["markdown"]
    raw = sorted({m for m in RAW_MYST for text in markdown if m in text})
    empty = sum(not text.strip() for text in markdown)
    assert len(markdown) > 10 and not empty, f"{path}: {empty} Markdown cells not rendered"
    assert not raw, f"{path}: raw MyST markup shown: {raw}"


def test_moving_the_alpha_slider_redraws_the_figure(lab_page):
    page = lab_page
    path = "notebooks/04_leaky_relu.ipynb"
    open_notebook(page, path)
    state = run_all(page, path)
    assert not state["errors"], state["errors"][:3]
    page.wait_for_selector(".jp-OutputArea .widget-slider", state="attached", timeout=90_000)
    box = page.locator(".jp-OutputArea .widget-vbox").filter(has_text="alpha").first
    box.scroll_into_view_if_needed(timeout=60_000)
    figure = box.locator(".widget-output")
    page.wait_for_function("el => el.querySelector('img, svg') !== null", arg=figure.element_handle(),
                           timeout=30_000)
    before = figure.inner_html()
    readout = box.locator(".widget-readout").first.inner_text()
    handle = box.locator(".noUi-handle").first
    handle.focus()
    moved = time.monotonic()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.innerHTML !== old && el.querySelector('img, svg')",
                           arg=[figure.element_handle(), before], timeout=30_000)
    seconds = time.monotonic() - moved
    # each key press is a change: wait until the last redraw is in, for the screenshot
    page.wait_for_function(
        """([el]) => {
            const now = el.innerHTML;
            if (now !== window.__lastFigure) { window.__lastFigure = now; window.__since = Date.now(); }
            return Date.now() - window.__since > 1500 && el.querySelector('img, svg');
        }""", arg=[figure.element_handle()], timeout=30_000, polling=250)
    after = box.locator(".widget-readout").first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(SCREENSHOTS / "jupyterlab-slider-moved.png"))
    print(f"alpha {readout} -> {after}: figure redrawn {seconds:.2f} s after the key presses")
    assert float(after) > float(readout), f"the slider did not move: {readout} -> {after}"


@pytest.mark.parametrize("source", ["chapters/01_sigmoid.ipynb", "notebooks/01_sigmoid.ipynb"])
def test_opening_and_saving_a_notebook_changes_no_byte(lab_page, source):
    """What `git diff` would show after a student opens a notebook (JupyterLab
    saves on its own every two minutes): nothing."""
    page = lab_page
    copy = WORK / Path(source).parent.name / Path(source).name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / source, copy)
    if source.startswith("chapters/"):  # the kernel runs beside the chapter's data
        data = ROOT / "chapters" / "data"
        if data.is_dir() and not (copy.parent / "data").exists():
            shutil.copytree(data, copy.parent / "data")
    open_notebook(page, copy.relative_to(ROOT).as_posix())
    page.wait_for_function(
        "() => window.__panel.sessionContext.session?.kernel?.status === 'idle'", timeout=60_000)
    page.wait_for_timeout(1000)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.__panel.context.model.dirty", timeout=30_000)
    page.wait_for_timeout(500)
    assert copy.read_bytes() == (ROOT / source).read_bytes(), \
        f"saving {source} unedited in JupyterLab changed it: normalise its metadata " \
        "(tools/refresh_outputs.py, tools/make_class.py)"
