/* 网格通 on every phone page: install the service worker, keep the outbox moving, show the network state,
   the 待发送 count, and distances to tasks. */
(function () {
  "use strict";
  const configEl = document.getElementById("m-config");
  if (!configEl) return;
  const data = configEl.dataset;

  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  const config = {
    user: data.user,
    // The cookie is current even when the page came from the phone's cache after a new sign-in.
    csrf: cookie("csrftoken") || data.csrf,
    reportUrl: data.apiReport,
    visitLink: data.visitLink,
  };
  const outbox = window.GridOutbox;
  const ready = outbox && outbox.available() ? outbox.setMeta("config", config).catch(() => null) : Promise.resolve();

  function emit() {
    window.dispatchEvent(new CustomEvent("outbox-changed"));
  }

  async function refreshCounts() {
    if (!outbox || !outbox.available()) return;
    let count = 0;
    try {
      count = await outbox.waitingCount(config.user);
    } catch (error) {
      return;
    }
    document.querySelectorAll("[data-queue-count]").forEach((el) => {
      el.textContent = String(count);
      el.hidden = count === 0;
    });
    document.querySelectorAll("[data-queue-count-tile]").forEach((el) => {
      el.textContent = String(count);
      el.classList.toggle("hot", count > 0);
    });
  }

  async function flush(options) {
    if (!outbox || !outbox.available()) return null;
    await ready;
    const result = await outbox.flush(options).catch(() => null);
    emit();
    return result;
  }

  async function requestSync() {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("gridtong-outbox");
    } catch (error) {
      /* no Background Sync here: the online event and the next page load send instead */
    }
  }

  /* Keep a report on the phone, then try to send it now. Answers the item in its state after the try. */
  async function queueReport(item) {
    await ready;
    item.owner = config.user;
    item.createdAt = Date.now();
    item.state = "pending";
    item.attempts = 0;
    item.lastError = "";
    await outbox.put(item);
    emit();
    let after = item;
    if (navigator.onLine !== false) {
      after = await outbox.sendKey(item.key, config);
    } else {
      after.lastError = "网络不可用，联网后自动发送";
      await outbox.put(after);
    }
    if (after.state !== "sent" && "serviceWorker" in navigator) requestSync();
    emit();
    return after;
  }

  function showNetwork() {
    const el = document.getElementById("net-status");
    if (el) el.hidden = navigator.onLine !== false;
  }

  // Distances from here to the tasks' points.
  function metres(lat1, lon1, lat2, lon2) {
    const rad = Math.PI / 180;
    const x = (lon2 - lon1) * rad * Math.cos(((lat1 + lat2) / 2) * rad);
    const y = (lat2 - lat1) * rad;
    return 6371000 * Math.hypot(x, y);
  }

  function distanceText(m) {
    const far = m < 1000 ? Math.round(m / 10) * 10 + " 米" : (m / 1000).toFixed(1) + " 公里";
    return " · 距您约 " + far;
  }

  function showDistances() {
    const targets = Array.from(document.querySelectorAll("[data-lat][data-lon]")).filter(
      (el) => el.dataset.lat && el.dataset.lon && el.querySelector("[data-distance]"),
    );
    if (!targets.length || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        targets.forEach((el) => {
          const m = metres(pos.coords.latitude, pos.coords.longitude, Number(el.dataset.lat), Number(el.dataset.lon));
          el.querySelectorAll("[data-distance]").forEach((d) => (d.textContent = distanceText(m)));
        });
      },
      () => {},
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  }

  // A form's position fields filled from GPS (the visit form).
  function autoLocate() {
    const text = document.querySelector("[data-auto-locate]");
    const lon = document.getElementById("lon");
    const lat = document.getElementById("lat");
    if (!text || !lon || !lat || !navigator.geolocation) return;
    text.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        lon.value = pos.coords.longitude.toFixed(6);
        lat.value = pos.coords.latitude.toFixed(6);
        text.textContent = "已记录位置 " + lat.value + ", " + lon.value + "（±" + Math.round(pos.coords.accuracy) + " 米）";
      },
      () => (text.textContent = "未能定位，走访记录将不带位置"),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  // How many photos a plain file input holds (pages without their own preview).
  document.querySelectorAll("input[type=file][data-file-count]").forEach((input) => {
    input.addEventListener("change", () => {
      const out = document.getElementById(input.dataset.fileCount);
      const n = input.files ? input.files.length : 0;
      if (out) out.textContent = n ? "已选 " + n + " 张照片" : "";
    });
  });

  window.GridApp = { config: config, ready: ready, queueReport: queueReport, flush: flush, refreshCounts: refreshCounts };

  window.addEventListener("outbox-changed", refreshCounts);
  window.addEventListener("online", () => {
    showNetwork();
    flush();
  });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  refreshCounts();
  showDistances();
  autoLocate();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.sw, { scope: data.scope }).catch(() => null);
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox-changed") emit();
    });
  }
  if (navigator.onLine !== false) flush();
  // While something waits, try again now and then (a network that comes back does not always say so).
  setInterval(async () => {
    if (navigator.onLine === false || !outbox || !outbox.available()) return;
    if ((await outbox.waitingCount(config.user).catch(() => 0)) > 0) flush();
  }, 30000);
})();
