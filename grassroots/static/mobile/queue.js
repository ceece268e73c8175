/* 待发送: the reports kept on this phone, each with its state; send now, retry or delete. */
(function () {
  "use strict";
  const list = document.getElementById("queue-list");
  if (!list || !window.GridOutbox || !window.GridApp) return;
  const template = document.getElementById("queue-item");
  const empty = document.getElementById("queue-empty");
  const sendAll = document.getElementById("queue-send");
  const summary = document.getElementById("queue-summary");
  const STATES = {
    pending: ["待发送", "yellow"],
    sending: ["发送中", "blue"],
    sent: ["已发送", "green"],
    failed: ["发送失败", "red"],
    auth: ["待登录", "red"],
  };

  function when(ms) {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, "0");
    return pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  async function render() {
    if (!GridOutbox.available()) {
      empty.textContent = "此浏览器不能在本机保存上报（可能处于无痕模式）。";
      return;
    }
    const items = await GridOutbox.all(GridApp.config.user);
    list.textContent = "";
    let waiting = 0;
    items.forEach((item) => {
      const node = template.content.firstElementChild.cloneNode(true);
      node.dataset.key = item.key;
      node.dataset.state = item.state;
      node.querySelector(".q-title").textContent = item.fields.title || item.typeName;
      const photos = item.state === "sent" ? item.photoCount || 0 : (item.photos || []).length;
      const parts = [item.typeName, "记录于 " + when(item.createdAt), photos + " 张照片"];
      if (item.voice || item.hadVoice) parts.push("含录音");
      if (item.fixed) parts.push("自行处置");
      if (item.number) parts.push(item.number);
      const meta = node.querySelector(".q-meta");
      parts.forEach((part) => {
        const span = document.createElement("span");
        span.textContent = part;
        meta.append(span, " "); // the lines break between the parts, never inside one
      });
      const [label, colour] = STATES[item.state] || [item.state, ""];
      const tag = node.querySelector(".q-state");
      tag.textContent = label;
      tag.className = "tag q-state " + colour;
      const error = node.querySelector(".q-error");
      error.textContent = item.state === "sent" ? "" : item.lastError || "";
      if (item.state !== "sent") {
        waiting += 1;
        const retry = node.querySelector(".q-retry");
        retry.hidden = item.state === "sending";
        retry.addEventListener("click", () => send(true));
        const remove = node.querySelector(".q-delete");
        remove.hidden = false;
        remove.addEventListener("click", async () => {
          if (!window.confirm("删除后这条上报不会再发送，确定删除？")) return;
          await GridOutbox.remove(item.key);
          window.dispatchEvent(new CustomEvent("outbox-changed"));
        });
      }
      list.append(node);
    });
    empty.hidden = items.length > 0;
    sendAll.hidden = waiting === 0;
    summary.textContent = waiting ? waiting + " 条待发送" : items.length ? "全部已发送" : "";
  }

  async function send(retryFailed) {
    sendAll.disabled = true;
    await GridApp.flush({ retryFailed: retryFailed });
    sendAll.disabled = false;
  }

  sendAll.addEventListener("click", () => send(true));
  window.addEventListener("outbox-changed", render);
  render();
})();
