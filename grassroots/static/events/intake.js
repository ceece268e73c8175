/* 登记来电/来信: the channel's own fields, the type search, the place (search, map click or grid), and while the
   operator types, the caller's earlier reports and nearby open events of the same type (debounced JSON), any of
   which the call can join. Without this script the form still posts: every field is a plain input. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var DELAY = 350;

  function debounce(fn) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, DELAY);
    };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // -- the channel: letters and visits have their own fields; Alt+1…8 picks one -------------------------
  function channel() {
    var checked = form.querySelector("input[name=channel]:checked");
    return checked ? checked.value : "";
  }
  function showChannelFields() {
    form.querySelectorAll(".channel-only").forEach(function (box) {
      box.hidden = box.dataset.channel !== channel();
    });
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "channel") showChannelFields();
  });
  showChannelFields();

  // -- the type: a search box over the catalogue's select; ↓ moves into the list, Enter takes the first match --
  var search = $("type-search");
  var select = $("intake-event_type");
  function filterTypes() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var match = words.every(function (w) { return option.dataset.search.toLowerCase().indexOf(w) >= 0; });
      option.hidden = !match;
      if (match && !first) first = option;
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    return first;
  }
  search.addEventListener("input", filterTypes);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === "ArrowDown") {
      e.preventDefault();
      var first = filterTypes();
      if (first) {
        first.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (e.key === "ArrowDown") select.focus();
      else $("intake-description").focus();
    }
  });
  select.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      $("intake-description").focus();
    }
  });

  // -- the place: the map, a click, a found place or a grid sets the point --------------------------------
  var lon = $("intake-lon");
  var lat = $("intake-lat");
  var data = JSON.parse($("intake-map-data").textContent);
  var map = null;
  var marker = null;

  function setPoint(x, y, pan) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    $("point-text").textContent = lon.value + ", " + lat.value + "（WGS-84）";
    if (map) {
      if (marker) marker.setLatLng([y, x]);
      else marker = L.circleMarker([y, x], { radius: 8, color: "#fff", weight: 2, fillColor: "#9f1239", fillOpacity: 1 }).addTo(map);
      if (pan) map.setView([y, x], Math.max(map.getZoom(), 15));
    }
    refresh();
  }

  function drawMap() {
    var box = $("intake-map");
    if (!box || typeof L === "undefined" || map) return;
    map = L.map(box, { attributionControl: false, zoomControl: true });
    if (window.GrassrootsBasemap) GrassrootsBasemap.add(map);
    var layers = data.grids.map(function (g) {
      return L.geoJSON(g.boundary, { style: { color: "#1d4ed8", weight: 1.5, fillColor: "#93b4f5", fillOpacity: 0.12 } });
    });
    var bounds = null;
    layers.forEach(function (layer) {
      bounds = bounds ? bounds.extend(layer.getBounds()) : layer.getBounds();
    });
    if (bounds) map.fitBounds(bounds.pad(0.05));
    else map.setView([30.0, 120.5], 10);
    layers.forEach(function (layer) { layer.addTo(map); });
    map.on("click", function (e) { setPoint(e.latlng.lng, e.latlng.lat, false); });
    if (lon.value && lat.value) setPoint(parseFloat(lon.value), parseFloat(lat.value), true);
  }

  $("intake-grid").addEventListener("change", function () {
    var code = this.value;
    var grid = data.grids.filter(function (g) { return g.code === code; })[0];
    if (grid && !(lon.value && lat.value)) setPoint(grid.label[1], grid.label[0], true);
  });

  var places = $("place-results");
  var placeSearch = $("place-search");
  var found = [];
  function pickPlace(p) {
    places.hidden = true;
    var address = $("intake-address");
    if (!address.value.trim()) address.value = p.name;
    if (p.grid) $("intake-grid").value = p.grid;
    setPoint(p.lon, p.lat, true);
  }
  var findPlaces = debounce(function () {
    var q = placeSearch.value.trim();
    if (!q) { places.hidden = true; return; }
    fetch(form.dataset.placesUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { places: [] }; })
      .then(function (body) {
        found = body.places;
        places.textContent = "";
        found.forEach(function (p, i) {
          var item = el("li", "", p.name + "（" + p.kind + "）");
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", i === 0 ? "true" : "false");
          item.addEventListener("click", function () { pickPlace(p); });
          places.appendChild(item);
        });
        if (!found.length) places.appendChild(el("li", "muted", "没有找到，可直接填写地址或在地图上点选"));
        places.hidden = false;
      });
  });
  placeSearch.addEventListener("input", findPlaces);
  placeSearch.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      if (found.length) pickPlace(found[0]);
    }
  });

  // -- while typing: the caller's earlier reports and the duplicates nearby --------------------------------
  var joinField = $("intake-join");
  var submit = $("intake-submit");
  function setJoin(target) {
    joinField.value = target ? String(target.id) : "";
    $("join-number").textContent = target ? target.number : "";
    $("join-banner").hidden = !target;
    submit.textContent = target ? submit.dataset.joinLabel : submit.dataset.label;
  }
  $("join-cancel").addEventListener("click", function () { setJoin(null); });

  function renderList(list, items, empty) {
    list.textContent = "";
    if (!items.length) list.appendChild(el("li", "muted small", empty));
    items.forEach(function (c) {
      var item = el("li", "candidate");
      item.dataset.eventId = String(c.id);
      var link = el("a", "", c.number);
      link.href = c.url;
      link.target = "_blank";
      item.appendChild(link);
      item.appendChild(document.createTextNode(" " + c.title + " "));
      item.appendChild(el("span", "tag", c.status));
      var meta = [c.reported_at, c.source, c.type];
      if (c.caller) meta.push("反映人 " + c.caller);
      if (c.distance_m !== null) meta.push("相距约 " + c.distance_m + " 米");
      if (c.address) meta.push(c.address);
      item.appendChild(el("span", "meta", meta.join(" · ")));
      if (c.join) {
        var button = el("button", "btn small join", c.join.id === c.id ? "并入此事件" : "并入 " + c.join.number);
        button.type = "button";
        button.addEventListener("click", function () { setJoin(c.join); });
        item.appendChild(button);
      }
      list.appendChild(item);
    });
  }

  var asked = 0;
  var refresh = debounce(function () {
    var params = new URLSearchParams();
    var phone = $("intake-caller_phone").value.trim();
    if (phone) params.set("phone", phone);
    if (select.value) params.set("type", select.value);
    if (lon.value && lat.value) { params.set("lon", lon.value); params.set("lat", lat.value); }
    var mine = ++asked;
    fetch(form.dataset.candidatesUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || mine !== asked) return;
        renderList($("by-caller"), body.by_caller, phone ? "该号码近期没有反映记录" : "输入联系电话后显示");
        renderList($("nearby"), body.nearby, select.value && lon.value ? "附近没有同类未办结事件" : "选择分类和位置后显示");
        $("candidates").dataset.loaded = String(mine);
      });
  });
  $("intake-caller_phone").addEventListener("input", refresh);
  select.addEventListener("change", refresh);

  // Ctrl+Enter (⌘+Enter) submits from anywhere in the form.
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  function ready() {
    drawMap();
    if ($("intake-caller_phone").value || (select.value && lon.value)) refresh();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("load", drawMap);
})();
