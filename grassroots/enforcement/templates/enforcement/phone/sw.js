/* 执法通 service worker: keeps the officer's phone pages and their files for offline use, and sends what waits
   in the shared outbox (static/mobile/outbox.js) when the network returns. Version {{ version }}. */
"use strict";
const VERSION = "{{ version }}";
const STATIC_CACHE = "zfphone-static-" + VERSION;
const PAGE_CACHE = "zfphone-pages";
const STATIC_URLS = {{ static_urls|safe }};
const PAGE_URLS = {{ page_urls|safe }};
const STATIC_PREFIX = "{{ static_prefix }}";
const HOME_URL = "{{ home_url }}";
const REPORT_URL = "{{ report_url }}";
const LOGIN_URL = "{{ login_url }}";

importScripts("{{ outbox_url }}");

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(STATIC_URLS);
      const pages = await caches.open(PAGE_CACHE);
      await Promise.all(
        PAGE_URLS.map(async (url) => {
          try {
            const response = await fetch(url, { credentials: "same-origin" });
            if (response.ok && !response.redirected) await pages.put(url, response);
          } catch (error) {
            /* offline while installing: kept the next time the page is opened */
          }
        }),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("zfphone-static-") && n !== STATIC_CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

async function fromStatic(request) {
  const cached = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

function offlinePage() {
  const html =
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>离线 · 执法通</title>' +
    '<body style="margin:0;font:17px/1.6 system-ui,sans-serif;background:#eef1f5">' +
    '<main style="padding:20px 16px"><h1 style="font-size:1.3rem">当前没有网络</h1>' +
    "<p>这个页面还没有保存到本机，联网后再打开。巡查上报离线也能用，联网后自动发送。</p>" +
    '<a href="' + REPORT_URL + '">每日巡查上报</a> · <a href="' + HOME_URL + '">首页</a></main></body></html>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function page(request) {
  const cache = await caches.open(PAGE_CACHE);
  const path = new URL(request.url).pathname;
  try {
    const response = await fetch(request);
    if (response.redirected && new URL(response.url).pathname.startsWith(LOGIN_URL)) {
      await caches.delete(PAGE_CACHE); // signed out: the kept pages hold the previous person's data
    } else if (response.ok && !response.redirected) {
      await cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    return (await cache.match(path, { ignoreVary: true })) || offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // forms go to the network; the page keeps them in the outbox if that fails
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) event.respondWith(fromStatic(request));
  else if (request.mode === "navigate" && url.pathname.startsWith(HOME_URL)) event.respondWith(page(request));
});

async function flushAndTell() {
  const result = await self.GridOutbox.flush();
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: "window" });
  clients.forEach((client) => client.postMessage({ type: "outbox-changed" }));
  return result;
}

self.addEventListener("sync", (event) => {
  if (event.tag === "zfphone-outbox") event.waitUntil(flushAndTell());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "flush") event.waitUntil(flushAndTell());
});
