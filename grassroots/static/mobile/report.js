/* 上报事件: the type picker with search, photos, the position on a tile-less map of the grid, a voice note,
   the fix-on-the-spot path, and the submit that keeps the report on the phone before sending it. */
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const errorBox = $("report-error");
  const maySelfHandle = form.dataset.maySelfHandle === "1";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The key is made here, when the form opens (a cached page must not reuse the server's).
  $("idempotency-key").value = uuid();

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
    if (text) errorBox.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  // -- type picker ------------------------------------------------------------------------------------
  const search = $("type-search");
  const picker = $("type-picker");
  const chosen = $("type-chosen");
  const options = Array.from(form.querySelectorAll(".type-option"));
  const groups = Array.from(form.querySelectorAll(".type-group"));
  const frequent = $("type-frequent");
  search.hidden = false;
  if (frequent) frequent.hidden = false;

  function filterTypes() {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let any = false;
    options.forEach((option) => {
      const text = option.dataset.search.toLowerCase();
      const match = words.every((w) => text.includes(w));
      option.hidden = !match;
      any = any || match;
    });
    groups.forEach((group) => {
      const visible = group.querySelectorAll(".type-option:not([hidden])").length;
      const count = group.querySelector("summary .muted");
      if (!count.dataset.total) count.dataset.total = count.textContent;
      count.textContent = words.length ? visible + " / " + count.dataset.total : count.dataset.total;
      group.hidden = visible === 0;
      group.open = words.length > 0 && visible > 0;
    });
    if (frequent) frequent.hidden = words.length > 0;
    $("type-none").hidden = any;
  }
  search.addEventListener("input", filterTypes);

  function selectedType() {
    const input = form.querySelector("input[name=event_type]:checked");
    return input ? input.closest(".type-option") : null;
  }

  function showChosen() {
    const option = selectedType();
    if (!option) return;
    $("type-chosen-name").textContent = option.querySelector(".type-name").textContent;
    $("type-chosen-group").textContent = option.dataset.groupLabel;
    chosen.hidden = false;
    picker.hidden = true;
    $("title").placeholder = option.querySelector(".type-name").textContent;
    updateFix();
  }

  form.addEventListener("change", (event) => {
    if (event.target.name === "event_type") {
      showError("");
      showChosen();
    }
  });
  $("type-change").addEventListener("click", () => {
    picker.hidden = false;
    chosen.hidden = true;
    search.focus();
  });
  form.querySelectorAll("[data-pick]").forEach((chip) =>
    chip.addEventListener("click", () => {
      const input = form.querySelector('input[name=event_type][value="' + chip.dataset.pick + '"]');
      if (input) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }),
  );

  // -- photos -----------------------------------------------------------------------------------------
  const MAX_SIDE = 1600;

  /* Phone photos are large: send a 1600-pixel JPEG when that is smaller (the original otherwise). */
  async function shrink(file) {
    const name = file.name || "photo.jpg";
    const keep = { blob: file, name: name, type: file.type };
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 300 * 1024 || !window.createImageBitmap) return keep;
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
      if (blob && blob.size < file.size) return { blob: blob, name: name.replace(/\.\w+$/, "") + ".jpg", type: "image/jpeg" };
    } catch (error) {
      /* not decodable here (HEIC on some phones): send it as it is */
    }
    return keep;
  }

  function photoList(inputId, thumbsId) {
    const input = $(inputId);
    const thumbs = $(thumbsId);
    const files = [];
    function render() {
      thumbs.textContent = "";
      files.forEach((file, index) => {
        const cell = document.createElement("div");
        cell.className = "thumb";
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file.blob);
        img.alt = "照片 " + (index + 1);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "thumb-remove";
        remove.setAttribute("aria-label", "删除第 " + (index + 1) + " 张照片");
        remove.textContent = "×";
        remove.addEventListener("click", () => {
          files.splice(index, 1);
          render();
        });
        cell.append(img, remove);
        thumbs.append(cell);
      });
    }
    input.addEventListener("change", async () => {
      const picked = Array.from(input.files || []);
      input.value = ""; // the same input takes the next shot
      for (const file of picked) files.push(await shrink(file));
      render();
    });
    return files;
  }
  const photos = photoList("photos", "photo-thumbs");
  const afterPhotos = $("after_photos") ? photoList("after_photos", "after-thumbs") : [];

  // -- position ---------------------------------------------------------------------------------------
  const lon = $("lon");
  const lat = $("lat");
  const posText = $("pos-text");
  const gridMap = JSON.parse($("grid-map").textContent);
  let map = null;
  let marker = null;
  let accuracy = null;
  let pinnedByHand = false;

  function setPoint(latitude, longitude, how) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    posText.textContent = how + " " + lat.value + ", " + lon.value;
    if (marker) marker.setLatLng([latitude, longitude]);
  }

  if (window.L) {
    map = L.map("map", { attributionControl: false, zoomControl: true });
    if (window.GrassrootsBasemap) GrassrootsBasemap.add(map);
    let bounds = null;
    if (gridMap.boundary) {
      const shape = L.geoJSON(gridMap.boundary, {
        style: { color: "#9f1239", weight: 3, fillColor: "#9f1239", fillOpacity: 0.08 },
      }).addTo(map);
      bounds = shape.getBounds();
    }
    const start = lat.value && lon.value ? [Number(lat.value), Number(lon.value)] : gridMap.center || [30, 120];
    if (bounds) map.fitBounds(bounds, { padding: [16, 16] });
    else map.setView(start, 16);
    const icon = L.divIcon({ className: "pin", html: "<span></span>", iconSize: [36, 36], iconAnchor: [18, 34] });
    marker = L.marker(start, { draggable: true, icon: icon, keyboard: true, title: "事件位置" }).addTo(map);
    marker.on("dragend", () => {
      pinnedByHand = true;
      const p = marker.getLatLng();
      setPoint(p.lat, p.lng, "已手动标出位置");
    });
    map.on("click", (event) => {
      pinnedByHand = true;
      setPoint(event.latlng.lat, event.latlng.lng, "已手动标出位置");
    });
  }

  function locate() {
    if (!navigator.geolocation) {
      posText.textContent = "本机不支持定位：请拖动图钉或点地图标出位置，或填写地址";
      return;
    }
    posText.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        if (pinnedByHand) return;
        const c = pos.coords;
        setPoint(c.latitude, c.longitude, "已定位（±" + Math.round(c.accuracy) + " 米）");
        if (map) {
          if (accuracy) accuracy.remove();
          accuracy = L.circle([c.latitude, c.longitude], {
            radius: c.accuracy,
            color: "#1d4ed8",
            weight: 1,
            fillOpacity: 0.08,
          }).addTo(map);
          if (!map.getBounds().contains([c.latitude, c.longitude])) map.setView([c.latitude, c.longitude], 16);
        }
      },
      () => {
        if (!pinnedByHand) posText.textContent = "未能定位：请拖动图钉或点地图标出位置，或填写地址";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }
  $("locate").hidden = false;
  $("locate").addEventListener("click", () => {
    pinnedByHand = false;
    locate();
  });
  if (lat.value && lon.value) posText.textContent = "位置 " + lat.value + ", " + lon.value;
  else locate();

  // -- voice note -------------------------------------------------------------------------------------
  let voice = null;
  const voiceBox = $("voice");
  if (window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    voiceBox.hidden = false;
    const button = $("voice-btn");
    const label = $("voice-label");
    const state = $("voice-state");
    const preview = $("voice-preview");
    const removeBtn = $("voice-remove");
    let recorder = null;
    let timer = null;
    const extension = (type) => (/mp4|m4a|aac/.test(type) ? ".m4a" : /ogg/.test(type) ? ".ogg" : ".webm");
    function stop() {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      clearTimeout(timer);
    }
    button.addEventListener("click", async () => {
      if (recorder && recorder.state === "recording") return stop();
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        state.textContent = "无法使用麦克风";
        return;
      }
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = (event) => event.data.size && chunks.push(event.data);
      recorder.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        const type = recorder.mimeType || "audio/webm";
        const blob = new Blob(chunks, { type: type });
        voice = { blob: blob, name: "语音说明" + extension(type), type: type };
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        removeBtn.hidden = false;
        button.setAttribute("aria-pressed", "false");
        button.classList.remove("recording");
        label.textContent = "重新录音";
        state.textContent = "已录音";
      };
      recorder.start();
      button.setAttribute("aria-pressed", "true");
      button.classList.add("recording");
      label.textContent = "停止录音";
      state.textContent = "正在录音…（最长 2 分钟）";
      timer = setTimeout(stop, 120000);
    });
    removeBtn.addEventListener("click", () => {
      voice = null;
      preview.hidden = true;
      removeBtn.hidden = true;
      label.textContent = "语音说明";
      state.textContent = "";
    });
  }

  // -- fix on the spot --------------------------------------------------------------------------------
  const fixSection = $("fix-section");
  const fixed = $("fixed");
  function updateFix() {
    if (!fixSection) return;
    const option = selectedType();
    const fixable = maySelfHandle && option && option.dataset.fixable === "1";
    fixSection.hidden = !fixable;
    if (!fixable) fixed.checked = false;
    $("fix-fields").hidden = !fixed.checked;
    const title = $("photos-title");
    title.textContent = fixed.checked ? title.dataset.fixTitle : title.dataset.title;
  }
  if (fixed) fixed.addEventListener("change", updateFix);
  updateFix();
  if (selectedType()) showChosen();

  // -- submit -----------------------------------------------------------------------------------------
  const submit = $("submit-report");

  function finish(item) {
    form.hidden = true;
    const doneBox = $("report-done");
    doneBox.hidden = false;
    if (item.state === "sent") {
      const handled = item.eventStatus === "self_handled";
      $("done-title").textContent = handled ? "已上报并办结（自行处置）" : "已上报";
      $("done-text").textContent = "事件编号 " + item.number + "，可在“我最近的上报”中查看进度。";
      doneBox.classList.remove("waiting");
    } else {
      $("done-title").textContent = "已保存到待发送";
      $("done-text").textContent =
        item.state === "auth"
          ? "登录已过期：重新登录后将自动发送，不会重复上报。"
          : "当前没有网络，上报已保存在本机，联网后自动发送，不会重复上报。";
      $("done-queue").hidden = false;
      doneBox.classList.add("waiting");
    }
    window.scrollTo(0, 0);
  }

  form.addEventListener("submit", async (event) => {
    if (!window.GridApp || !window.GridOutbox || !GridOutbox.available()) return; // the server takes the form
    event.preventDefault();
    const option = selectedType();
    if (!option) {
      picker.hidden = false;
      chosen.hidden = true;
      return showError("请选择事件类型");
    }
    if (!(lon.value && lat.value) && !$("address").value.trim()) {
      return showError("请标出位置：允许定位、拖动图钉或点地图，或填写地址");
    }
    const fixing = Boolean(fixed && fixed.checked && !fixSection.hidden);
    if (fixing && afterPhotos.length === 0) return showError("自行处置须拍处置后照片");
    showError("");
    submit.disabled = true;
    submit.textContent = "正在保存…";
    const typeName = option.querySelector(".type-name").textContent;
    const visitId = $("visit-id");
    const item = {
      key: $("idempotency-key").value,
      typeName: typeName,
      fields: {
        event_type: form.querySelector("input[name=event_type]:checked").value,
        source: "patrol",
        title: $("title").value.trim() || typeName,
        description: $("description").value.trim(),
        address: $("address").value.trim(),
        lon: lon.value,
        lat: lat.value,
      },
      photos: photos.slice(),
      voice: voice,
      fixed: fixing,
      fixNote: fixing ? $("fix_note").value.trim() : "",
      after: fixing ? afterPhotos.slice() : [],
      visitId: visitId ? visitId.value : null,
    };
    let after;
    try {
      after = await GridApp.queueReport(item);
    } catch (error) {
      submit.disabled = false;
      submit.textContent = "上报";
      return showError("无法保存到本机：" + (error && error.message ? error.message : error));
    }
    if (after.state === "failed" && !after.eventId) {
      // The server refused the report as written: take it back out of the queue and let it be corrected.
      await GridOutbox.remove(after.key);
      window.dispatchEvent(new CustomEvent("outbox-changed"));
      $("idempotency-key").value = uuid();
      submit.disabled = false;
      submit.textContent = "上报";
      return showError(after.lastError);
    }
    finish(after);
  });
})();
