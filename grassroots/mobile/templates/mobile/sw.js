/* 网格通 service worker: keeps the phone pages and their files for offline use, and sends the reports kept
   on the phone when the network returns (Background Sync where the browser has it). Version {{ version }}. */
"use strict";
const VERSION = "{{ version }}";
const STATIC_CACHE = "gridtong-static-" + VERSION;
const PAGE_CACHE = "gridtong-pages";
const STATIC_URLS = {{ static_urls|safe }};
const PAGE_URLS = {{ page_urls|safe }};
const STATIC_PREFIX = "{{ static_prefix }}";
const HOME_URL = "{{ home_url }}";
const REPORT_URL = "{{ report_url }}";
const QUEUE_URL = "{{ queue_url }}";
const LOGIN_URL = "{{ login_url }}";

importScripts("{{ outbox_url }}");

async function cachePages() {
  const cache = await caches.open(PAGE_CACHE);
  await Promise.all(
    PAGE_URLS.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (error) {
        /* offline while installing: the page is cached the next time it is opened */
      }
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(STATIC_URLS);
      await cachePages();
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("gridtong-static-") && n !== STATIC_CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

async function fromStatic(request) {
  const cached = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    cache.put(request, response.clone());
  }
  return response;
}

function offlinePage() {
  const link = (href, text, primary) =>
    '<a href="' + href + '" style="display:block;margin-top:12px;padding:14px;border-radius:10px;text-align:center;' +
    "font-weight:700;text-decoration:none;" +
    (primary ? "background:#9f1239;color:#fff" : "border:2px solid #cbd5e1;color:#0f172a") + '">' + text + "</a>";
  const html =
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>离线 · 网格通</title>' +
    '<body style="margin:0;font:17px/1.6 system-ui,sans-serif;color:#0f172a;background:#eef1f5">' +
    '<header style="background:#9f1239;color:#fff;padding:14px 16px;font-weight:700">网格通</header>' +
    '<main style="padding:20px 16px"><h1 style="font-size:1.3rem">当前没有网络</h1>' +
    "<p>这个页面还没有保存到本机，联网后再打开。上报事件离线也能用，联网后自动发送。</p>" +
    link(REPORT_URL, "上报事件", true) + link(QUEUE_URL, "待发送", false) + link(HOME_URL, "首页", false) +
    "</main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function page(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    const url = new URL(response.url);
    if (response.redirected && url.pathname.startsWith(LOGIN_URL)) {
      // Signed out: forget the pages kept for the previous session (they hold that person's data).
      await caches.delete(PAGE_CACHE);
    } else if (response.ok && !response.redirected) {
      await cache.put(new URL(request.url).pathname, response.clone());
    }
    return response;
  } catch (error) {
    const path = new URL(request.url).pathname;
    const options = { ignoreVary: true };
    return (await cache.match(path, options)) || offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // reports go to the network; the page keeps them when that fails
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(fromStatic(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(HOME_URL)) {
    event.respondWith(page(request));
  }
});

async function tellPages(message) {
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: "window" });
  clients.forEach((client) => client.postMessage(message));
}

async function flushAndTell() {
  const result = await self.GridOutbox.flush();
  await tellPages({ type: "outbox-changed" });
  return result;
}

self.addEventListener("sync", (event) => {
  if (event.tag === "gridtong-outbox") event.waitUntil(flushAndTell());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "flush") event.waitUntil(flushAndTell());
});
