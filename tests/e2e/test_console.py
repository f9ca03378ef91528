"""The operators' console in a real browser (Debian's chromium, as the CORS test drives it)
against the whole stack: web, a deliveries worker, a sweeps worker and beat. One scenario
on one started stack: log in through the admin, see the Now charts with what was just
delivered, find a timer and its attempts, pause, resume and run a job, and replay two
failed timers until the receiver has them. A screenshot of each page is kept under
var/test-artifacts/console/."""

import os
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect, sync_playwright

from scheduler_project.testing.servers import eventually
from tests.conftest import ROOT, exactly
from tests.e2e.conftest import Stack
from timers.models import Timer, TimerStatus
from timers.receiver import Reply

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "var" / "test-artifacts" / "console"
PASSWORD = "console-password-0123456789"
WAIT_MS = 30_000


def soon(seconds: float = 1.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def snap(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_operator_watches_finds_runs_and_replays_in_the_console(processes, receiver):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stack = Stack(processes, {}, settings.API_KEY).start()
    get_user_model().objects.create_superuser("operator", "operator@example.com", PASSWORD)
    receiver.script("/fail", Reply(status=500), Reply(status=500))
    ok = {"execute_at": soon(), "callback_url": receiver.url("/ok")}
    delivered = [stack.post("/timers", ok).json()["data"] for _ in range(3)]
    for _ in range(2):
        body = {"execute_at": soon(), "callback_url": receiver.url("/fail"), "max_attempts": 1}
        assert stack.post("/timers", body).status_code == 201
    later = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    assert (
        stack.post("/timers", {"execute_at": later, "callback_url": receiver.url("/later")}).status_code
        == 201
    )
    job = stack.post("/jobs", {"schedule_type": "interval", "interval_secs": 3600, "name": "hourly report",
                               "callback_url": receiver.url("/job")}).json()["data"]  # fmt: skip
    exactly(receiver, 3, path="/ok", quiet=0)
    eventually(lambda: Timer.objects.filter(status=TimerStatus.FAILED).count() == 2, timeout=30)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page = context.new_page()
            page.goto(stack.base_url + "/console/")
            # Not logged in: the admin's login, which sends the operator back.
            page.fill("#id_username", "operator")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(stack.base_url + "/console/")
            deliveries = page.locator('figure[data-chart^="Deliveries"]')
            expect(deliveries.locator("rect").first).to_be_visible()
            expect(page.locator('figure[data-chart^="Firing lateness, default"] polyline')).to_have_count(2)
            due = page.locator('figure[data-chart^="Due, next hour"] rect title')
            expect(due.filter(has_text=" timers")).to_have_count(1)  # the one due in ten minutes
            expect(page.locator("#workers")).to_contain_text("sweeper")
            snap(page, "now")
            # The Now page stays open in its tab and refreshes itself meanwhile.
            polls: list[str] = []
            page.on(
                "response",
                lambda answer: polls.append(answer.url) if "/console/now/live" in answer.url else None,
            )

            work = context.new_page()
            work.goto(stack.base_url + "/console/")
            work.fill("header input[name=q]", delivered[0]["id"])
            work.press("header input[name=q]", "Enter")
            expect(work.locator("#found-summary")).to_contain_text("1 found by id")
            snap(work, "find")
            work.click(f"a[href='/console/timers/{delivered[0]['id']}']")
            expect(work.locator("#attempts li.outcome-success")).to_contain_text("HTTP 200")
            expect(work.locator("#attempts")).to_contain_text("webhook-id")
            snap(work, "timer")

            work.goto(stack.base_url + "/console/jobs")
            snap(work, "jobs")
            work.click("text=hourly report")
            expect(work.locator("#runs time")).not_to_have_count(0)
            work.click("button[name=pause]")
            expect(work.locator("#job-status")).to_have_text("paused")
            work.click("button[name=resume]")
            expect(work.locator("#job-status")).to_have_text("active")
            work.click("button[name=run]")
            expect(work.locator(".messages")).to_contain_text("created, due now")
            expect(work.locator("#tasks tbody tr")).to_have_count(1)
            snap(work, "job")
            exactly(receiver, 1, path="/job", quiet=0)

            work.goto(stack.base_url + "/console/dead-letters")
            expect(work.locator("#failed-timers tbody tr")).to_have_count(2)
            work.fill("input[name=rate]", "20")
            work.click("button[value=dry_run]")
            expect(work.locator("#dry-run")).to_contain_text("2 failed timers match")
            snap(work, "dead-letters-dry-run")
            work.click("button[value=replay]")
            expect(work.locator(".messages")).to_contain_text("replaying 2")
            exactly(receiver, 4, path="/fail", quiet=0)  # two failures, then the two replays
            work.reload()
            expect(work.locator("#failed-timers tbody tr")).to_have_text(["no failed timers"])
            snap(work, "dead-letters")

            if not polls:
                page.wait_for_event("response", lambda answer: "/console/now/live" in answer.url)
            work.set_viewport_size({"width": 390, "height": 844})  # a phone
            work.goto(stack.base_url + "/console/")
            snap(work, "now-phone")
        finally:
            browser.close()
    assert Timer.objects.filter(job_id=job["id"], status=TimerStatus.COMPLETED).count() == 1
