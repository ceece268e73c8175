/* The command room's small behaviours: keyboard queue, selection for bulk steps, dispatch suggestions, photo
   viewer and the event map. Everything works without this file; it only makes the pages quicker to use.
   Handlers are delegated from the document, so they keep working after HTMX swaps parts of the page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // -- the queue: j/k to move, Enter to open, x to select, / to search --------------------------------------
  function rows() {
    return Array.from(document.querySelectorAll("#queue-table tbody tr[data-href]"));
  }
  function currentIndex(list) {
    return list.findIndex(function (tr) { return tr.classList.contains("current"); });
  }
  var cursor = null; // the id of the current row, kept when HTMX swaps the table (a filter, a refresh)
  function moveTo(list, index) {
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (tr) { tr.classList.remove("current"); });
    var row = list[index];
    row.classList.add("current");
    cursor = row.id;
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:afterSwap", function () {
    var row = cursor && document.getElementById(cursor);
    if (row && row.matches("#queue-table tbody tr[data-href]")) row.classList.add("current");
  });
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!document.getElementById("queue-table")) return;
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var list = rows();
    var i = currentIndex(list);
    if (e.key === "j" || (e.key === "ArrowDown" && i >= 0)) {
      moveTo(list, i + 1); e.preventDefault();
    } else if (e.key === "k" || (e.key === "ArrowUp" && i >= 0)) {
      moveTo(list, i < 0 ? 0 : i - 1); e.preventDefault();
    } else if (e.key === "Enter" && i >= 0) {
      window.location.href = list[i].dataset.href; e.preventDefault();
    } else if (e.key === "x" && i >= 0) {
      var box = list[i].querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
      e.preventDefault();
    } else if (e.key === "/") {
      var search = document.getElementById("filter-q");
      if (search) { search.focus(); search.select(); e.preventDefault(); }
    }
  });
  document.addEventListener("click", function (e) {
    var row = e.target.closest("#queue-table tbody tr[data-href]");
    if (!row || e.target.closest("a, input, button, label")) return;
    if (e.target.closest("td.sel")) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
      return;
    }
    window.location.href = row.dataset.href;
  });

  // -- selection and the bulk bar ---------------------------------------------------------------------------
  function refreshSelection() {
    var boxes = Array.from(document.querySelectorAll("#queue-table tbody input[name=ids]"));
    var chosen = boxes.filter(function (b) { return b.checked; });
    boxes.forEach(function (b) { b.closest("tr").classList.toggle("selected", b.checked); });
    var count = document.getElementById("selected-count");
    if (count) count.textContent = String(chosen.length);
    var bar = document.getElementById("bulk-form");
    if (bar) bar.classList.toggle("idle", chosen.length === 0);
    var all = document.getElementById("select-all");
    if (all) all.checked = boxes.length > 0 && chosen.length === boxes.length;
  }
  function refreshBulkOptions() {
    var select = document.getElementById("bulk-action");
    if (!select) return;
    document.querySelectorAll(".bulk-opt").forEach(function (opt) {
      opt.hidden = opt.dataset.for !== select.value;
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.id === "select-all") {
      document.querySelectorAll("#queue-table tbody input[name=ids]").forEach(function (b) {
        b.checked = e.target.checked;
      });
      refreshSelection();
    } else if (e.target.matches("#queue-table input[name=ids]")) {
      refreshSelection();
    } else if (e.target.id === "bulk-action") {
      refreshBulkOptions();
    }
  });
  document.addEventListener("submit", function (e) {
    if (e.target.id !== "bulk-form") return;
    var chosen = document.querySelectorAll("#queue-table tbody input[name=ids]:checked").length;
    if (!chosen) {
      e.preventDefault();
      window.alert("请先勾选事件（按 x 或点击复选框）");
    }
  });
  document.addEventListener("htmx:afterSwap", refreshSelection);

  // -- file inputs: show the chosen names next to the page's own button --------------------------------------
  document.addEventListener("change", function (e) {
    if (!e.target.matches(".file-pick input[type=file]")) return;
    var names = e.target.parentElement.querySelector(".file-names");
    if (!names) return;
    var files = Array.from(e.target.files || []).map(function (f) { return f.name; });
    names.textContent = files.length ? files.join("、") : names.dataset.empty;
  });

  // -- dispatch: a suggested unit fills the lead-unit field ---------------------------------------------------
  function markChosen(select) {
    document.querySelectorAll("[data-suggest-unit]").forEach(function (chip) {
      chip.classList.toggle("chosen", select && chip.dataset.suggestUnit === select.value);
    });
  }
  document.addEventListener("click", function (e) {
    var chip = e.target.closest("[data-suggest-unit]");
    if (!chip) return;
    var select = document.querySelector(chip.dataset.target);
    if (!select) return;
    select.value = chip.dataset.suggestUnit;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    markChosen(select);
  });
  document.addEventListener("change", function (e) {
    if (e.target.id === "dispatch-lead-unit") markChosen(e.target);
  });

  // -- photo viewer: thumbnails open a larger view; arrows step through ----------------------------------
  var photos = [];
  var shown = 0;
  function showPhoto(index) {
    var dialog = document.getElementById("photo-viewer");
    if (!dialog || !photos.length) return;
    shown = (index + photos.length) % photos.length;
    dialog.querySelector("img").src = photos[shown].dataset.photo;
    dialog.querySelector(".viewer-caption").textContent =
      photos[shown].dataset.caption + "（" + (shown + 1) + " / " + photos.length + "）";
    if (!dialog.open) dialog.showModal();
  }
  document.addEventListener("click", function (e) {
    var thumb = e.target.closest("a[data-photo]");
    if (thumb && typeof HTMLDialogElement === "function") {
      e.preventDefault();
      photos = Array.from(document.querySelectorAll("a[data-photo]"));
      showPhoto(photos.indexOf(thumb));
      return;
    }
    var step = e.target.closest("#photo-viewer [data-step]");
    if (step) showPhoto(shown + Number(step.dataset.step));
  });
  document.addEventListener("keydown", function (e) {
    var dialog = document.getElementById("photo-viewer");
    if (!dialog || !dialog.open) return;
    if (e.key === "ArrowRight") showPhoto(shown + 1);
    if (e.key === "ArrowLeft") showPhoto(shown - 1);
  });

  // -- the event map: the grid polygon and the point over the shared base layer (js/basemap.js) --------------
  function drawMap() {
    var el = document.getElementById("event-map");
    var source = document.getElementById("event-map-data");
    if (!el || !source || el.dataset.drawn || typeof L === "undefined") return;
    el.dataset.drawn = "1";
    var data = JSON.parse(source.textContent);
    var map = L.map(el, { attributionControl: false, zoomControl: true, scrollWheelZoom: false });
    if (window.GrassrootsBasemap) GrassrootsBasemap.add(map);
    // Leaflet draws a layer only on a map that has a view: fit the bounds first, then add the layers.
    var layers = [];
    var bounds = null;
    if (data.grid) {
      var grid = L.geoJSON(data.grid, {
        style: { color: "#1d4ed8", weight: 2, fillColor: "#93b4f5", fillOpacity: 0.18 }
      });
      layers.push(grid);
      bounds = grid.getBounds();
    }
    if (data.point) {
      layers.push(L.circleMarker(data.point, { radius: 8, color: "#fff", weight: 2, fillColor: "#9f1239", fillOpacity: 1 }));
      if (bounds) bounds.extend(data.point); else bounds = L.latLngBounds([data.point, data.point]);
    }
    if (!bounds) return;
    map.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    layers.forEach(function (layer) { layer.addTo(map); });
    if (grid && data.grid_name) {
      L.tooltip({ permanent: true, direction: "center", className: "grid-label" })
        .setLatLng(grid.getBounds().getCenter()).setContent(data.grid_name).addTo(map);
    }
  }

  function ready() {
    refreshSelection();
    refreshBulkOptions();
    markChosen(document.getElementById("dispatch-lead-unit"));
    drawMap();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("htmx:afterSettle", function () {
    markChosen(document.getElementById("dispatch-lead-unit"));
  });
})();
