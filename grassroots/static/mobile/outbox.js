/* 网格通 outbox: reports kept on the phone (IndexedDB, photos as Blobs) until the API has them.
 *
 * Loaded by the pages and by the service worker (importScripts), so both can send. Every report carries the
 * idempotency key made when its form was opened: sending it twice (a retry, the page and the worker at once)
 * still creates one event. A report is stored before the first attempt, so nothing is lost if the network,
 * the page or the battery goes while it is sent.
 *
 * Other phone pages queue their own items here too (the enforcement officer's evidence and daily reports): an
 * item with a `url` is one multipart POST of its `fields` and `files` (sent as `fileField`) to that URL, with
 * the same idempotency key on every attempt; the answer's `label` is kept as the item's number.
 */
(function (root) {
  "use strict";
  const DB_NAME = "gridtong";
  const DB_VERSION = 1;
  const LEASE_MS = 60 * 1000; // a send that did not finish within this is tried again
  const KEEP_SENT_MS = 3 * 24 * 3600 * 1000;
  let dbPromise = null;
  let flushing = null;

  function available() {
    return typeof root.indexedDB !== "undefined";
  }

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = root.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "key" });
          if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "name" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  function result(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function put(item) {
    const db = await open();
    const tx = db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").put(item);
    await done(tx);
    return item;
  }

  async function get(key) {
    const db = await open();
    return result(db.transaction("outbox").objectStore("outbox").get(key));
  }

  async function remove(key) {
    const db = await open();
    const tx = db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").delete(key);
    await done(tx);
  }

  async function all(owner) {
    const db = await open();
    const items = await result(db.transaction("outbox").objectStore("outbox").getAll());
    return items
      .filter((item) => owner === undefined || String(item.owner) === String(owner))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async function setMeta(name, value) {
    const db = await open();
    const tx = db.transaction("meta", "readwrite");
    tx.objectStore("meta").put({ name: name, value: value });
    await done(tx);
  }

  async function getMeta(name) {
    const db = await open();
    const row = await result(db.transaction("meta").objectStore("meta").get(name));
    return row ? row.value : undefined;
  }

  /* Take the item for sending, atomically. `locked`: this context holds the item's Web Lock, so a "sending"
     state left by a page that went away mid-send is stale; without locks, a send older than the lease is. */
  async function claim(key, locked) {
    const db = await open();
    const tx = db.transaction("outbox", "readwrite");
    const store = tx.objectStore("outbox");
    const item = await result(store.get(key));
    let claimed = null;
    const now = Date.now();
    const busy = item && item.state === "sending" && !locked && now - item.lastTryAt < LEASE_MS;
    if (item && item.state !== "sent" && !busy) {
      item.state = "sending";
      item.lastTryAt = now;
      item.attempts = (item.attempts || 0) + 1;
      store.put(item);
      claimed = item;
    }
    await done(tx);
    return claimed;
  }

  /* Run `fn` holding the item's lock, if nobody else holds it (pages and the service worker share locks;
     a lock is let go when its page closes). */
  async function withLock(key, fn) {
    const locks = root.navigator && root.navigator.locks;
    if (!locks) return fn(false);
    return locks.request("gridtong-send-" + key, { ifAvailable: true }, (lock) => (lock ? fn(true) : null));
  }

  async function mark(item, state, error) {
    item.state = state;
    item.lastError = error || "";
    if (state === "sent") {
      item.sentAt = Date.now();
      // The server has the files now; keep only what the list shows.
      item.photoCount = (item.photos || []).length;
      item.afterCount = (item.after || []).length;
      item.hadVoice = Boolean(item.voice);
      item.fileCount = (item.files || []).length;
      item.photos = [];
      item.after = [];
      item.files = [];
      item.voice = null;
    }
    await put(item);
    return item;
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (error) {
      return {};
    }
  }

  function messageOf(body, fallback) {
    let text = (body && body.message) || fallback || "发送失败";
    const details = body && body.details;
    if (details && typeof details === "object" && !Array.isArray(details)) {
      const parts = Object.values(details).filter((v) => typeof v === "string");
      if (parts.length) text += "：" + parts.join("；");
    }
    return text;
  }

  function formOf(fields, files, fileField) {
    const form = new FormData();
    Object.keys(fields || {}).forEach((name) => {
      const value = fields[name];
      if (value !== null && value !== undefined && value !== "") form.append(name, value);
    });
    (files || []).forEach((file) => {
      if (file && file.blob) form.append(fileField || "files", file.blob, file.name);
    });
    return form;
  }

  async function post(url, form, config, extraHeaders) {
    const headers = Object.assign({ "X-CSRFToken": config.csrf || "" }, extraHeaders || {});
    return fetch(url, { method: "POST", body: form, headers: headers, credentials: "same-origin" });
  }

  function refused(response, body) {
    return response.status === 401 || (response.status === 403 && body.code === "csrf_failed");
  }

  /* An item that names its own endpoint: one POST, answered with JSON ({label} on success, {message} if not). */
  async function sendToUrl(item, config) {
    let response;
    try {
      const form = formOf(item.fields, item.files, item.fileField);
      response = await post(item.url, form, config, { "Idempotency-Key": item.key });
    } catch (error) {
      return mark(item, "pending", "网络不可用，联网后自动发送");
    }
    const body = await readJson(response);
    if (refused(response, body)) return mark(item, "auth", "登录已过期，请重新登录后发送");
    if (!response.ok) {
      if (response.status >= 500 || response.status === 429) {
        return mark(item, "pending", "服务器暂时无法处理，稍后自动重试");
      }
      return mark(item, "failed", messageOf(body));
    }
    item.number = body.label || "";
    item.created = body.created;
    return mark(item, "sent", "");
  }

  /* One attempt. Ends in state sent, pending (try again later), auth (sign in again) or failed (the server
     refused the report itself; retrying as it is would not help). */
  async function sendOne(item, config) {
    if (item.url) return sendToUrl(item, config);
    const reportUrl = config.reportUrl || "/api/v1/events";
    let response;
    let body;
    if (!item.eventId) {
      const files = (item.photos || []).concat(item.voice ? [item.voice] : []);
      try {
        response = await post(reportUrl, formOf(item.fields, files), config, { "Idempotency-Key": item.key });
      } catch (error) {
        return mark(item, "pending", "网络不可用，联网后自动发送");
      }
      body = await readJson(response);
      if (refused(response, body)) return mark(item, "auth", "登录已过期，请重新登录后发送");
      if (!response.ok) {
        if (response.status >= 500 || response.status === 429) {
          return mark(item, "pending", "服务器暂时无法处理，稍后自动重试");
        }
        return mark(item, "failed", messageOf(body));
      }
      item.eventId = body.event.id;
      item.number = body.event.number;
      item.eventStatus = body.event.status;
      item.created = body.created;
      await put(item);
    }
    if (item.fixed && item.eventStatus === "reported") {
      const form = formOf({ note: item.fixNote || "现场自行处置" }, item.after);
      try {
        response = await post(reportUrl + "/" + item.eventId + "/self_handle", form, config);
      } catch (error) {
        return mark(item, "pending", "已上报，自行处置待联网后发送");
      }
      body = await readJson(response);
      if (refused(response, body)) return mark(item, "auth", "登录已过期，请重新登录后发送");
      if (response.ok) {
        item.eventStatus = body.status;
      } else if (response.status >= 500) {
        return mark(item, "pending", "已上报，自行处置稍后自动重试");
      } else {
        return mark(item, "failed", "已上报（" + item.number + "），但自行处置未成功：" + messageOf(body));
      }
    }
    if (item.visitId && !item.visitLinked && config.visitLink) {
      try {
        const form = new FormData();
        form.append("event_id", item.eventId);
        response = await post(config.visitLink.replace("/0/", "/" + item.visitId + "/"), form, config);
        item.visitLinked = response.ok;
      } catch (error) {
        /* the link is a convenience; the event itself is safe */
      }
    }
    return mark(item, "sent", "");
  }

  async function sendKey(key, config) {
    const outcome = await withLock(key, async (locked) => {
      const item = await claim(key, locked);
      if (!item) return null;
      try {
        return await sendOne(item, config);
      } catch (error) {
        return mark(item, "pending", "发送中断，稍后自动重试");
      }
    });
    return outcome || get(key);
  }

  async function config() {
    return (await getMeta("config")) || {};
  }

  /* Send every waiting report of the signed-in person, one at a time. */
  async function flush(options) {
    if (flushing) return flushing;
    const retryFailed = Boolean(options && options.retryFailed);
    flushing = (async () => {
      const conf = await config();
      if (!conf.user) return { sent: 0, waiting: 0 };
      let sent = 0;
      let waiting = 0;
      const now = Date.now();
      for (const item of await all(conf.user)) {
        if (item.state === "sent") {
          if (now - (item.sentAt || 0) > KEEP_SENT_MS) await remove(item.key);
          continue;
        }
        if (item.state === "failed" && !retryFailed) continue;
        const after = await sendKey(item.key, conf);
        if (after && after.state === "sent") sent += 1;
        else waiting += 1;
        if (after && after.state === "pending" && after.lastError.indexOf("网络") === 0) break; // offline
      }
      return { sent: sent, waiting: waiting };
    })();
    try {
      return await flushing;
    } finally {
      flushing = null;
    }
  }

  async function waitingCount(owner) {
    return (await all(owner)).filter((item) => item.state !== "sent").length;
  }

  root.GridOutbox = {
    available: available,
    put: put,
    get: get,
    remove: remove,
    all: all,
    setMeta: setMeta,
    getMeta: getMeta,
    sendKey: sendKey,
    sendOne: sendOne,
    flush: flush,
    waitingCount: waitingCount,
    config: config,
  };
})(typeof self !== "undefined" ? self : this);
