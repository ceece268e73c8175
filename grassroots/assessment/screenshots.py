"""Screenshots of the assessment pages (desk 1440×900) into docs/screenshots/, from a running server.

    .venv/bin/python -m grassroots.assessment.screenshots --base-url http://127.0.0.1:8000 \\
        --username centre --password Demo@2026 --period 2025-06 --area 330421

Chromium comes from Debian (/usr/bin/chromium or $CHROMIUM), as for the end-to-end tests. The server needs data
for the period: the demo database, or the district-year of bench/bench_assessment.py.
"""

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "docs" / "screenshots"
DESK: Any = {"width": 1440, "height": 900}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="centre")
    parser.add_argument("--password", default="Demo@2026")
    parser.add_argument("--period", default="2025-06")
    parser.add_argument("--area", default="")
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    OUT.mkdir(parents=True, exist_ok=True)
    area = f"&area={args.area}" if args.area else ""
    pages = [
        ("assessment-dashboard", f"/assessment/dashboard/?period={args.period}{area}", ".map-legend strong"),
        ("assessment-indicators", f"/assessment/?period={args.period}{area}", "table.figures"),
        (
            "assessment-indicators-units",
            f"/assessment/?period={args.period}{area}&subject=unit",
            "table.figures",
        ),
        (
            "assessment-drill",
            f"/assessment/indicator/on_time_handling/?period={args.period}{area}&show=miss",
            "table.figures",
        ),
        ("assessment-schemes", f"/assessment/schemes/?period={args.period}", ".scheme-card"),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--lang=zh-CN"]
        )
        context = browser.new_context(viewport=DESK, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(args.base_url + "/login/")
        page.fill("#id_username", args.username)
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for name, url, ready in pages:
            shoot(page, args.base_url + url, ready, name, full=args.full_page)
        # A scheme's results, a raters' page and a report (built in the background, then printed).
        page.goto(args.base_url + f"/assessment/schemes/?period={args.period}")
        href = page.get_attribute(".scheme-card h2 a", "href")
        shoot(
            page,
            args.base_url + str(href) + area,
            "table.figures",
            "assessment-scheme-results",
            full=args.full_page,
        )
        # The raters' page of a part rated at the district (Shangyu's 行风效能), as the centre sees it.
        page.goto(args.base_url + f"/assessment/schemes/?period={args.period}")
        rating = page.locator(".scheme-card a", has_text="录入评分").nth(1).get_attribute("href")
        shoot(page, args.base_url + str(rating), "table.ratings", "assessment-ratings", full=False)
        page.goto(args.base_url + f"/assessment/reports/?pk=month{area}")
        shoot(page, page.url, "form.filter-bar", "assessment-reports", full=False)
        page.select_option("select[name=p_month]", args.period[:7])
        page.click("form.filter-bar button[type=submit]")
        page.wait_for_selector("article.report", timeout=600_000)
        time.sleep(1)
        shoot(page, page.url, "article.report", "assessment-report", full=True)
        browser.close()


def shoot(page: Any, url: str, ready: str, name: str, *, full: bool) -> None:
    if page.url != url:
        page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    time.sleep(0.8)  # charts animate off, but the map draws after its fetch
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(path)


if __name__ == "__main__":
    main()
