"""hmip-letter edit in a real browser (Debian's Chromium through playwright).

Run by tests/it/edit.rs: python edit.py ADDRESS FINDINGS SHOTS. ADDRESS is
the address the editor printed (with its token), FINDINGS the file it
edits, SHOTS a folder for screenshots. Prints what it did; exits 1 with
the step that failed.
"""

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

address, findings, shots = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
origin = address.split("/?")[0]
shots.mkdir(parents=True, exist_ok=True)


def step(text):
    print("step:", text, flush=True)


# Waits are for what the page does, not timings: long enough for a
# machine busy with other tests.
def wait_for(what, test, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def ready(page):
    """Waits for the page's script (edit.js, a module: it runs after the
    page is parsed, so a field can be filled before it listens). Called
    after a navigation has been waited for."""
    wait_for("the page's script", lambda: page.evaluate(
        "document.body.classList.contains('govuk-frontend-supported')"))


def file_text():
    return findings.read_text(encoding="utf-8")


def active(page):
    return page.evaluate(
        "() => ({id: document.activeElement.id, name: document.activeElement.name || '',"
        " tag: document.activeElement.tagName, text: document.activeElement.textContent.trim()})"
    )


with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # A letter with errors answers its preview with 422, as it should;
    # anything else the console calls an error is one.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None,
    )

    step("open the printed address: the overview, its token swapped for a cookie")
    page.goto(address)
    assert page.url == origin + "/", page.url
    assert page.locator(".govuk-task-list__item").count() >= 10
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    page.screenshot(path=str(shots / "edit-overview.png"), full_page=True)

    step("edit a commentary paragraph and see the preview change")
    with page.expect_navigation():
        page.click("a[href='/part/area-1']")
    ready(page)
    field = page.locator("#commentary-0--paragraphs-0")
    field.fill("Zanzibar is the word the preview must show, as typed in the form.")
    frame = page.frame_locator("iframe.edit-preview__frame")
    wait_for("the preview", lambda: "Zanzibar is the word" in frame.locator("body").inner_text())
    assert "Zanzibar is the word" in file_text()
    # The preview shows the paragraph where the letter numbers it, 1.1.
    scrolled = "document.querySelector('iframe.edit-preview__frame').contentWindow.scrollY > 0"
    wait_for("the preview at paragraph 1.1", lambda: page.evaluate(scrolled))
    assert page.evaluate("window.scrollY") == 0, "the page itself stays where it was"
    page.screenshot(path=str(shots / "edit-preview.png"))

    step("type TODO: check and see the error summary; its link leads to the field")
    field.fill("TODO: check")
    wait_for("the error summary", lambda: page.locator(".govuk-error-summary").count() == 1)
    summary = page.locator(".govuk-error-summary")
    assert "placeholder text has not been replaced: check" in summary.inner_text(), summary.inner_text()
    assert page.locator("#commentary-0--paragraphs-0-error").count() == 1
    page.screenshot(path=str(shots / "edit-part-with-error.png"))
    summary.locator("a").first.click()
    wait_for("the field focused", lambda: active(page)["id"] == "commentary-0--paragraphs-0")
    field.fill("Zanzibar again, and the error is gone.")
    wait_for("the error gone", lambda: page.locator(".govuk-error-summary").count() == 0)

    step("add, move and remove a paragraph")
    count = page.locator("textarea[name^='f:commentary[0].paragraphs[']").count()
    with page.expect_navigation():
        page.click("button[value='add:commentary[0].paragraphs:%d']" % count)
    ready(page)
    wait_for("the new paragraph", lambda: page.locator("textarea[name^='f:commentary[0].paragraphs[']").count() == count + 1)
    new_id = "commentary-0--paragraphs-%d" % count
    wait_for("the new paragraph focused", lambda: active(page)["id"] == new_id)
    page.keyboard.type("Added with the button, then moved up.")
    wait_for("saved", lambda: "Added with the button, then moved up." in file_text())
    with page.expect_navigation():
        page.click("button[value='up:commentary[0].paragraphs:%d']" % count)
    ready(page)
    moved = "#commentary-0--paragraphs-%d" % (count - 1)
    wait_for("moved up", lambda: page.locator(moved).input_value() == "Added with the button, then moved up.")
    page.click("button[value='remove:commentary[0].paragraphs[%d]']" % (count - 1))
    wait_for("removed", lambda: page.locator("textarea[name^='f:commentary[0].paragraphs[']").count() == count)
    assert "Added with the button" not in file_text()

    step("keyboard only: Tab to a field, type, Tab to Save, Enter")
    page.goto(origin + "/part/lead-inspector")
    ready(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if active(page)["name"] == "f:lead_inspector.name":
            break
    assert active(page)["name"] == "f:lead_inspector.name", active(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Keyboard Person")
    for _ in range(40):
        page.keyboard.press("Tab")
        now = active(page)
        if now["tag"] == "BUTTON" and now["text"] == "Save":
            break
    assert active(page)["text"] == "Save", active(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#lead_inspector-name").input_value() == "Keyboard Person"
    wait_for("saved", lambda: "Keyboard Person" in file_text())

    step("close the tab a moment after typing: the text is in the file")
    tab = context.new_page()
    tab.goto(origin + "/part/summary")
    ready(tab)
    tab.locator("#summary-0").click()
    tab.keyboard.press("Control+A")
    tab.keyboard.type("Written just before the tab was closed.", delay=5)
    time.sleep(0.1)
    tab.close(run_before_unload=True)
    wait_for("the last words in the file", lambda: "Written just before the tab was closed." in file_text())

    step("the page at 320 pixels: form and preview one above the other")
    narrow = browser.new_context(viewport={"width": 320, "height": 800})
    small = narrow.new_page()
    small.goto(address)
    small.goto(origin + "/part/summary")
    form_box = small.locator(".edit-form").bounding_box()
    preview_box = small.locator(".edit-preview").bounding_box()
    assert preview_box["y"] >= form_box["y"] + form_box["height"] - 1, (form_box, preview_box)
    wide_form = page.locator(".edit-form").bounding_box()
    wide_preview = page.locator(".edit-preview").bounding_box()
    assert wide_preview["x"] > wide_form["x"] + wide_form["width"] - 1, (wide_form, wide_preview)
    narrow.close()

    step("without JavaScript: the same edit by form submit")
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    nojs = plain.new_page()
    nojs.goto(address)
    nojs.goto(origin + "/part/inspection")
    nojs.locator("#inspection-team").fill("Barnet Youth Offending Team, without scripts")
    with nojs.expect_navigation():
        nojs.click("button:has-text('Save')")
    assert nojs.locator("#inspection-team").input_value() == "Barnet Youth Offending Team, without scripts"
    assert "without scripts" in file_text()
    plain.close()

    assert not errors, errors
    browser.close()
print("ok")
