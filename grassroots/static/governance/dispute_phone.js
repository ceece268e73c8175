/* 矛盾纠纷上报 on the grid worker's phone: the form is kept in the outbox (static/mobile/outbox.js) with the
   idempotency key made when the form opened, then sent; without a network it is sent once the network returns. */
(function () {
  "use strict";
  const form = document.getElementById("dispute-form");
  const app = window.GridApp;
  const outbox = window.GridOutbox;
  if (!form || !app || !outbox) return;
  const $ = (id) => document.getElementById(id);
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(16) + "-" + Math.random().toString(16).slice(2);
  }
  const keyInput = $("idempotency-key");
  keyInput.value = uuid();
  function showError(text) {
    $("dispute-error").textContent = text;
    $("dispute-error").hidden = !text;
    if (text) $("dispute-error").scrollIntoView({ block: "center" });
  }
  form.addEventListener("submit", async (event) => {
    if (!outbox.available()) return; // the server takes the form as it is
    event.preventDefault();
    if (!form.querySelector("[name=p1_name]").value.trim() || !form.querySelector("[name=p2_name]").value.trim()) {
      return showError("请填写双方当事人姓名");
    }
    showError("");
    $("dispute-submit").disabled = true;
    const fields = {};
    new FormData(form).forEach((value, name) => {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields[name] = value;
    });
    const item = { key: keyInput.value, url: form.dataset.url, typeName: "矛盾纠纷 · " + (fields.title || ""), fields: fields, files: [], fileField: "files" };
    let after;
    try {
      after = await app.queueReport(item);
    } catch (error) {
      $("dispute-submit").disabled = false;
      return showError("无法保存到本机：" + (error && error.message ? error.message : error));
    }
    if (after.state === "failed") {
      await outbox.remove(after.key);
      keyInput.value = uuid();
      $("dispute-submit").disabled = false;
      return showError(after.lastError);
    }
    form.hidden = true;
    $("dispute-done").hidden = false;
    if (after.state === "sent") {
      $("dispute-done-title").textContent = "已上报";
      $("dispute-done-text").textContent = after.number || "";
    } else {
      $("dispute-done-title").textContent = "已保存到待发送";
      $("dispute-done-text").textContent = "当前没有网络，联网后自动发送，不会重复。";
      $("dispute-done-queue").hidden = false;
    }
    window.scrollTo(0, 0);
  });
})();
