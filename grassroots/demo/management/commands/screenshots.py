"""`manage.py screenshots`: PNGs of the main pages, signed in as the demo users, for the docs and for review.

It serves the current database on a local port (or uses `--url`), signs in through the login page as each user
and saves one PNG per entry of `SHOTS` into docs/screenshots/. To add a page, add a `Shot` to `SHOTS`; a path may
name a placeholder such as `{operator_event}`, filled from the database by the function of that name in
`grassroots.demo.examples.EXAMPLES`. A page that answers with an error (not built yet, say) is skipped with a
warning. It lives with the demo: the shots are of the demo's pages, as its users, with its records.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from grassroots.demo.examples import EXAMPLES
from grassroots.demo.names import DEMO_PASSWORD

DESK = (1440, 900)
PHONE = (390, 844)


@dataclass(frozen=True)
class Shot:
    name: str  # the PNG's file name, without ".png"
    username: str  # "" for a page seen signed out
    path: str  # may hold {placeholders}; see grassroots.demo.examples
    viewport: tuple[int, int] = DESK
    wait_for: str = ""  # a CSS selector that must be visible before the shot
    full_page: bool = False
    script: str = ""  # JavaScript run on the page before the shot, to show a state (a search, a choice)


# -- page states for the phone shots ------------------------------------------------------------------------

# The report form with a type chosen: the photo button, the grid map and the fix-on-the-spot choice show.
PHONE_PICK_TYPE = """() => {
const input = document.querySelector('input[name=event_type][value="ZF0101"]');
input.checked = true;
input.dispatchEvent(new Event("change", { bubbles: true }));
document.getElementById("description").value = "桥头垃圾堆了三天，有异味";
}"""
PHONE_SEARCH_TYPE = """() => {
const search = document.getElementById("type-search");
search.value = "垃圾";
search.dispatchEvent(new Event("input"));
}"""
# Two reports kept on the phone (made offline), as the outbox stores them.
PHONE_QUEUE = """
async () => {
  const user = GridApp.config.user;
  // A real JPEG (uploads are decoded): a grey-green canvas.
  const canvas = document.createElement("canvas");
  canvas.width = 64;
  canvas.height = 48;
  canvas.getContext("2d").fillStyle = "#8a9";
  canvas.getContext("2d").fillRect(0, 0, 64, 48);
  const photo = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg"));
  const base = Date.now() - 25 * 60 * 1000;
  await GridOutbox.put({
    key: "demo-queue-1", owner: user, createdAt: base, state: "pending", attempts: 1,
    lastError: "网络不可用，联网后自动发送", typeName: "井盖缺损",
    fields: { event_type: "FW0402", title: "井盖缺损", source: "patrol" },
    photos: [{ blob: photo, name: "1.jpg" }, { blob: photo, name: "2.jpg" }], voice: null, fixed: false, after: [],
  });
  await GridOutbox.put({
    key: "demo-queue-2", owner: user, createdAt: base + 9 * 60 * 1000, state: "pending", attempts: 0,
    lastError: "", typeName: "非法小广告",
    fields: { event_type: "ZF0201", title: "电线杆上小广告", source: "patrol" },
    photos: [{ blob: photo, name: "1.jpg" }], voice: null, fixed: true, after: [{ blob: photo, name: "3.jpg" }],
  });
  window.dispatchEvent(new CustomEvent("outbox-changed"));
}
"""


SHOTS: list[Shot] = [
    Shot("login", "", "/login/"),
    Shot("command-queue", "operator", "/command/", wait_for="#queue-table"),
    Shot("command-queue-red", "operator", "/command/?light=red", wait_for="#queue-table"),
    Shot("command-event", "operator", "/command/events/{operator_event}/", wait_for="#timeline"),
    Shot(
        "command-event-dispatch",
        "dispatcher",
        "/command/events/{registered_event}/",
        wait_for="#action-dispatch",
    ),
    Shot("command-event-full", "operator", "/command/events/{operator_event}/", full_page=True),
    Shot("command-event-photos", "operator", "/command/events/{operator_photo_event}/", wait_for="#photos"),
    Shot("desk", "dept", "/command/desk/", wait_for="#desk-body"),
    Shot("desk-in-hand", "dept", "/command/desk/?tab=in_hand", wait_for="#desk-body"),
    Shot("desk-event", "dept", "/command/events/{dept_event}/", wait_for="#action-panel"),
    Shot("inbox", "dept", "/command/inbox/", wait_for="#inbox-body"),
    Shot(
        "command-event-phone",
        "gridworker",
        "/command/events/{gridworker_event}/",
        PHONE,
        wait_for="#timeline",
    ),
    # The command room's map (grids and clustered markers, no tile server) and overview.
    Shot("map", "operator", "/dashboard/map/", wait_for="#map[data-ready='1']"),
    Shot("overview", "operator", "/dashboard/", wait_for="#trend-chart canvas"),
    # The grid worker's phone pages.
    Shot("mobile-home", "gridworker", "/m/", PHONE, wait_for=".m-tiles"),
    Shot("mobile-report", "gridworker", "/m/report/", PHONE, wait_for="#map", script=PHONE_PICK_TYPE),
    Shot("mobile-report-search", "gridworker", "/m/report/", PHONE, script=PHONE_SEARCH_TYPE),
    Shot("mobile-tasks", "gridworker", "/m/tasks/", PHONE),
    Shot("mobile-task", "gridworker", "/m/tasks/{gridworker_task}/", PHONE, wait_for="#task-form"),
    Shot("mobile-visits", "gridworker", "/m/visits/", PHONE, wait_for=".m-stats"),
    Shot("mobile-visit-new", "gridworker", "/m/visits/new/", PHONE, wait_for="#visit-form"),
    # The pages the walk through the product (issue #12) changed, at desktop and phone width.
    Shot("command-event-verify", "operator", "/command/events/{citizen_report}/", wait_for="#action-panel"),
    Shot("command-event-extension", "shiftlead", "/command/events/{extension_event}/", wait_for="#requests"),
    Shot("command-queue-supervised", "operator", "/command/?supervised=1", wait_for="#queue-table"),
    Shot("command-queue-pending", "shiftlead", "/command/?pending=1", wait_for="#queue-table"),
    Shot("desk-history", "dept", "/command/desk/?tab=history", wait_for="#desk-body"),
    Shot("desk-phone", "dept", "/command/desk/", PHONE, wait_for="#desk-body"),
    Shot("inbox-grouped", "shiftlead", "/command/inbox/", wait_for="#inbox-body"),
    Shot("cockpit", "leader", "/assessment/dashboard/", wait_for=".map-legend strong"),
    Shot("cockpit-phone", "leader", "/assessment/dashboard/", PHONE, wait_for=".map-legend strong"),
    Shot("assessment-schemes", "leader", "/assessment/schemes/"),
    Shot("map-phone", "operator", "/dashboard/map/", PHONE, wait_for="#map[data-ready='1']"),
    Shot("public-report", "", "/report/", PHONE, wait_for="#map path"),
    Shot("public-report-desk", "", "/report/", wait_for="#map path"),
    Shot("admin-index", "admin", "/admin/"),
    Shot("api-docs", "", "/api/v1/docs", wait_for=".opblock"),
    Shot("command-event-verify-phone", "operator", "/command/events/{citizen_report}/", PHONE),
    Shot("command-event-extension-phone", "shiftlead", "/command/events/{extension_event}/", PHONE),
    Shot("command-queue-supervised-phone", "operator", "/command/?supervised=1", PHONE),
    Shot("desk-history-phone", "dept", "/command/desk/?tab=history", PHONE, wait_for="#desk-body"),
    Shot("inbox-grouped-phone", "shiftlead", "/command/inbox/", PHONE, wait_for="#inbox-body"),
    Shot("assessment-schemes-phone", "leader", "/assessment/schemes/", PHONE),
    Shot("admin-index-phone", "admin", "/admin/", PHONE),
    Shot("api-docs-phone", "", "/api/v1/docs", PHONE, wait_for=".opblock"),
    Shot("mobile-reports", "gridworker", "/m/reports/", PHONE),
    Shot("mobile-report-detail", "gridworker", "/m/reports/{gridworker_report}/", PHONE),
    Shot("mobile-inbox", "gridworker", "/m/inbox/", PHONE),
    Shot("mobile-map", "gridworker", "/m/map/", PHONE, wait_for="#map path"),
    Shot("mobile-team", "gridhead", "/m/team/", PHONE),
    # Last of the phone's: the reports it puts in the browser's outbox stay there for later pages.
    Shot("mobile-queue", "gridworker", "/m/queue/", PHONE, script=PHONE_QUEUE),
]


def resolve(path: str) -> str | None:
    """`path` with its placeholders filled; None when one has no value in this database."""
    values: dict[str, Any] = {}
    for _, name, _, _ in Formatter().parse(path):
        if not name:
            continue
        if name not in EXAMPLES:
            raise CommandError(f"未知占位符 {{{name}}}：请在 grassroots/demo/examples.py 的 EXAMPLES 中添加")
        value = EXAMPLES[name]()
        if value is None:
            return None
        values[name] = value
    return path.format(**values)


# -- a local server on the current database -----------------------------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def local_server() -> Iterator[str]:
    """Serve this project (its static files through WhiteNoise) on a free local port, in a thread."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Command(BaseCommand):
    help = "为主要页面截图（以演示账号登录），保存到 docs/screenshots/。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="使用已运行的站点（如 http://127.0.0.1:8000），不另起服务")
        parser.add_argument(
            "--out",
            default=str(settings.BASE_DIR / "docs" / "screenshots"),
            help="输出目录（默认 docs/screenshots）",
        )
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示账号的密码（默认 Demo@2026）")
        parser.add_argument("--only", action="append", default=[], help="只截这些（文件名，可重复）")
        parser.add_argument(
            "--chromium", default="", help="Chromium 可执行文件（默认 /usr/bin/chromium 或 $CHROMIUM）"
        )

    def handle(
        self,
        *args: Any,
        url: str | None,
        out: str,
        password: str,
        only: list[str],
        chromium: str,
        **options: Any,
    ) -> None:
        shots = [s for s in SHOTS if not only or s.name in only]
        if not shots:
            raise CommandError(f"没有名为 {', '.join(only)} 的截图；可选：{', '.join(s.name for s in SHOTS)}")
        # Placeholders read the database here, before the browser's event loop owns this thread.
        planned: list[tuple[Shot, str]] = []
        for shot in shots:
            path = resolve(shot.path)
            if path is None:
                self.stderr.write(
                    self.style.WARNING(f"跳过 {shot.name}：演示数据中没有合适的事件（{shot.path}）")
                )
                continue
            planned.append((shot, path))
        executable = chromium or os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
        if not Path(executable).exists():
            raise CommandError(f"找不到 Chromium：{executable}（apt-get install chromium fonts-noto-cjk）")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        if url:
            saved = self._take(url.rstrip("/"), planned, folder, password, executable)
        else:
            with local_server() as base:
                saved = self._take(base, planned, folder, password, executable)
        self.stdout.write(self.style.SUCCESS(f"已保存 {len(saved)} 张截图到 {folder}"))

    def _take(
        self, base: str, planned: list[tuple[Shot, str]], folder: Path, password: str, executable: str
    ) -> list[Path]:
        # Playwright runs an event loop in this thread; the server's threads do the ORM work, but Django's
        # async guard looks at any thread with a running loop.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        from playwright.sync_api import sync_playwright

        saved: list[Path] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            contexts: dict[tuple[str, tuple[int, int]], Any] = {}
            try:
                for shot, path in planned:
                    key = (shot.username, shot.viewport)
                    if key not in contexts:
                        contexts[key] = self._context(browser, base, shot, password)
                    context = contexts[key]
                    if context is None:
                        continue
                    page = context.new_page()
                    try:
                        response = page.goto(base + path, wait_until="networkidle")
                        if response is None or response.status >= 400:
                            status = response.status if response is not None else "无响应"
                            self.stderr.write(self.style.WARNING(f"跳过 {shot.name}：{path} 返回 {status}"))
                            continue
                        if shot.wait_for:
                            page.wait_for_selector(shot.wait_for, state="visible", timeout=10_000)
                        if shot.script:
                            page.evaluate(shot.script)
                        page.wait_for_timeout(300)  # let the map and fonts settle
                        target = folder / f"{shot.name}.png"
                        page.screenshot(path=str(target), full_page=shot.full_page)
                        saved.append(target)
                        self.stdout.write(f"  {target.name}  ← {shot.username or '未登录'} {path}")
                    except Exception as exc:  # one broken page must not lose the others
                        self.stderr.write(self.style.WARNING(f"跳过 {shot.name}：{exc}"))
                    finally:
                        page.close()
            finally:
                for context in contexts.values():
                    if context is not None:
                        context.close()
                browser.close()
        return saved

    def _context(self, browser: Any, base: str, shot: Shot, password: str) -> Any:
        width, height = shot.viewport
        phone = width < 600
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        if not shot.username:
            return context
        page = context.new_page()
        try:
            page.goto(base + "/login/")
            page.fill("#id_username", shot.username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if "/login/" in page.url:
                self.stderr.write(
                    self.style.WARNING(f"无法以 {shot.username} 登录（演示数据未载入或密码不对），跳过其截图")
                )
                context.close()
                return None
        finally:
            page.close()
        return context
