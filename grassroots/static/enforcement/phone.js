/* 执法通 on every page of the officer's phone: the service worker, the network state, the 待发送 count, and the
   two forms (evidence on a case, the daily report) kept in the grid worker's outbox (static/mobile/outbox.js)
   before they are sent, so what is recorded without a network is sent once when it returns. */
(function () {
  "use strict";
  const configEl = document.getElementById("zf-config");
  const outbox = window.GridOutbox;
  if (!configEl || !outbox) return;
  const data = configEl.dataset;
  const $ = (id) => document.getElementById(id);

  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The outbox's config is shared with the grid worker's pages: keep what they set, put in who is signed in.
  const mine = { user: data.user, csrf: cookie("csrftoken") || data.csrf };
  const ready = outbox.available()
    ? outbox
        .config()
        .then((old) => outbox.setMeta("config", Object.assign({}, old.user === mine.user ? old : {}, mine)))
        .catch(() => null)
    : Promise.resolve();

  function emit() {
    window.dispatchEvent(new CustomEvent("outbox-changed"));
  }

  async function refreshCounts() {
    if (!outbox.available()) return;
    const count = await outbox.waitingCount(mine.user).catch(() => 0);
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
    if (!outbox.available()) return null;
    await ready;
    const result = await outbox.flush(options).catch(() => null);
    emit();
    return result;
  }

  async function requestSync() {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("zfphone-outbox");
    } catch (error) {
      /* no Background Sync: the online event and the next page send instead */
    }
  }

  /* Keep the item on the phone, then try to send it now; answers the item in its state after the try. */
  async function queueItem(item) {
    await ready;
    Object.assign(item, { owner: mine.user, createdAt: Date.now(), state: "pending", attempts: 0, lastError: "" });
    await outbox.put(item);
    emit();
    let after = item;
    if (navigator.onLine !== false) {
      after = await outbox.sendKey(item.key, mine);
    } else {
      after.lastError = "网络不可用，联网后自动发送";
      await outbox.put(after);
    }
    if (after.state !== "sent" && "serviceWorker" in navigator) requestSync();
    emit();
    return after;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function locate() {
    const text = $("pos-text");
    if (!text || !$("lon") || !navigator.geolocation) return;
    text.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        $("lon").value = pos.coords.longitude.toFixed(6);
        $("lat").value = pos.coords.latitude.toFixed(6);
        text.textContent = "已定位 " + $("lat").value + ", " + $("lon").value + "（±" + Math.round(pos.coords.accuracy) + " 米）";
      },
      () => (text.textContent = "未能定位，将不带位置"),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }

  /* A form sent through the outbox: `spec` names its parts and how to read its fields and files. */
  function outboxForm(spec) {
    const form = $(spec.form);
    if (!form) return;
    const keyInput = form.querySelector("#idempotency-key");
    keyInput.value = uuid(); // made when the form opens: a page kept by the worker must not reuse one
    const errorBox = $(spec.prefix + "-error");
    const submit = $(spec.prefix + "-submit");
    function showError(text) {
      errorBox.textContent = text;
      errorBox.hidden = !text;
      if (text) errorBox.scrollIntoView({ block: "center" });
    }
    form.addEventListener("submit", async (event) => {
      if (!outbox.available()) return; // the server takes the form as it is
      event.preventDefault();
      const problem = spec.check(form);
      if (problem) return showError(problem);
      showError("");
      submit.disabled = true;
      const fields = {};
      new FormData(form).forEach((value, name) => {
        if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields[name] = value;
      });
      const input = form.querySelector("input[type=file]");
      const files = Array.from((input && input.files) || []).map((f) => ({ blob: f, name: f.name, type: f.type }));
      const item = {
        key: keyInput.value,
        url: form.dataset.url,
        typeName: spec.typeName(form),
        fields: fields,
        files: files,
        fileField: input ? input.name : "files",
      };
      let after;
      try {
        after = await queueItem(item);
      } catch (error) {
        submit.disabled = false;
        return showError("无法保存到本机：" + (error && error.message ? error.message : error));
      }
      if (after.state === "failed") {
        // Refused as written: out of the queue, to be corrected and sent under a new key.
        await outbox.remove(after.key);
        emit();
        keyInput.value = uuid();
        submit.disabled = false;
        return showError(after.lastError);
      }
      form.hidden = true;
      const done = $(spec.prefix + "-done");
      done.hidden = false;
      if (after.state === "sent") {
        $(spec.prefix + "-done-title").textContent = "已" + spec.verb;
        $(spec.prefix + "-done-text").textContent = after.number || "";
      } else {
        done.classList.add("waiting");
        $(spec.prefix + "-done-title").textContent = "已保存到待发送";
        $(spec.prefix + "-done-text").textContent =
          after.state === "auth" ? "登录已过期：重新登录后自动发送，不会重复。" : "当前没有网络，联网后自动发送，不会重复。";
        $(spec.prefix + "-done-queue").hidden = false;
      }
      window.scrollTo(0, 0);
    });
  }

  outboxForm({
    form: "evidence-form",
    prefix: "evidence",
    verb: "登记证据",
    typeName: (form) => "证据 · " + form.dataset.case,
    check: (form) => {
      const kind = form.querySelector("#kind").value;
      const file = form.querySelector("#file").files.length;
      if (kind === "note") return form.querySelector("#description").value.trim() ? "" : "笔录摘要须填写内容";
      return file ? "" : "请拍照或选择证据文件";
    },
  });
  outboxForm({
    form: "daily-form",
    prefix: "daily",
    verb: "上报",
    typeName: (form) => "巡查上报 · " + form.querySelector("#day").value,
    check: (form) => {
      const checked = form.querySelector("#checked").value;
      if (checked === "" || Number(checked) < 0) return "请填写检查场所/主体数";
      if (Number(form.querySelector("#problems_found").value || 0) > Number(checked)) return "发现问题数不能多于检查数";
      return "";
    },
  });

  document.querySelectorAll("input[type=file]").forEach((input) => {
    input.addEventListener("change", () => {
      const out = $(input.id === "file" ? "file-name" : "photo-count");
      const n = input.files ? input.files.length : 0;
      if (out) out.textContent = n ? "已选 " + n + " 个文件" : "";
    });
  });

  // -- 待发送 ----------------------------------------------------------------------------------------------
  const STATES = { pending: ["待发送", "yellow"], sending: ["发送中", "blue"], sent: ["已发送", "green"], failed: ["发送失败", "red"], auth: ["待登录", "red"] };
  async function renderQueue() {
    const list = $("zf-queue");
    if (!list || !outbox.available()) return;
    const items = (await outbox.all(mine.user)).filter((item) => item.url);
    list.textContent = "";
    let waiting = 0;
    items.forEach((item) => {
      const row = document.createElement("li");
      row.className = "m-row zf-q";
      row.dataset.state = item.state;
      const main = document.createElement("div");
      main.className = "m-row-main";
      const title = document.createElement("strong");
      title.textContent = item.typeName;
      const meta = document.createElement("small");
      meta.className = "zf-q-meta";
      const files = item.state === "sent" ? item.fileCount || 0 : (item.files || []).length;
      meta.textContent = files + " 个文件" + (item.number ? " · " + item.number : "") + (item.state !== "sent" && item.lastError ? " · " + item.lastError : "");
      const [label, colour] = STATES[item.state] || [item.state, ""];
      const tag = document.createElement("span");
      tag.className = "tag zf-q-state " + colour;
      tag.textContent = label;
      main.append(title, meta);
      row.append(main, tag);
      list.append(row);
      if (item.state !== "sent") waiting += 1;
    });
    $("zf-queue-empty").hidden = items.length > 0;
    $("zf-queue-send").hidden = waiting === 0;
    $("zf-queue-summary").textContent = waiting ? waiting + " 条待发送" : items.length ? "全部已发送" : "";
  }
  if ($("zf-queue-send")) $("zf-queue-send").addEventListener("click", () => flush({ retryFailed: true }));

  function showNetwork() {
    const el = $("net-status");
    if (el) el.hidden = navigator.onLine !== false;
  }

  window.ZfPhone = { queueItem: queueItem, flush: flush, ready: ready, user: mine.user };
  window.addEventListener("outbox-changed", () => {
    refreshCounts();
    renderQueue();
  });
  window.addEventListener("online", () => {
    showNetwork();
    flush();
  });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  refreshCounts();
  renderQueue();
  locate();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.sw, { scope: data.scope }).catch(() => null);
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox-changed") emit();
    });
  }
  if (navigator.onLine !== false) flush();
  setInterval(async () => {
    if (navigator.onLine === false || !outbox.available()) return;
    if ((await outbox.waitingCount(mine.user).catch(() => 0)) > 0) flush();
  }, 30000);
})();
