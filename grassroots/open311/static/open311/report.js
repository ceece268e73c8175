/* The report page's map: grid outlines over the shared base layer (js/basemap.js); a tap sets the pin. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var text = document.getElementById("pin-text");
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 }).setView([30.94, 120.89], 12);
  var pin = null;
  // WGS-84 tiles only: a tap on GCJ-02 tiles would place the pin hundreds of metres off (geo.basemap).
  if (window.GrassrootsBasemap) GrassrootsBasemap.add(map);

  function setPin(latlng, how) {
    if (!pin) {
      pin = L.circleMarker(latlng, { radius: 11, color: "#fff", weight: 3, fillColor: "#dc2626", fillOpacity: 1 }).addTo(map);
    } else {
      pin.setLatLng(latlng);
    }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    text.textContent = how + "：" + lat.value + "，" + lon.value + "（可再次轻点调整）";
    text.classList.add("pub-pin-set");
  }

  map.on("click", function (e) { setPin(e.latlng, "已选位置"); });

  if (lat.value && lon.value) {
    var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
    setPin(start, "已选位置");
  }

  fetch(el.dataset.grids, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data || !data.features.length) return;
      var layer = L.geoJSON(data, {
        interactive: false,
        style: { color: "#9f1239", weight: 1, opacity: 0.55, fillColor: "#fde7ec", fillOpacity: 0.35 }
      }).addTo(map);
      if (pin) {
        map.setView(pin.getLatLng(), 15);
      } else {
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      }
      if (pin) pin.bringToFront();
    })
    .catch(function () { /* the map still takes a tap without the outlines */ });

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      text.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(
        function (p) {
          var here = L.latLng(p.coords.latitude, p.coords.longitude);
          setPin(here, "当前位置");
          map.setView(here, 16);
        },
        function () { text.textContent = "无法获取位置，请在地图上轻点标出"; },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }

  var photos = document.getElementById("id_photos");
  var previews = document.getElementById("photo-previews");
  if (photos && previews && window.URL) {
    photos.addEventListener("change", function () {
      previews.textContent = "";
      var files = Array.prototype.slice.call(photos.files, 0, 3);
      if (photos.files.length > 3) {
        var note = document.createElement("p");
        note.className = "field-error";
        note.textContent = "最多上传 3 张照片，只会提交前 3 张";
        previews.appendChild(note);
      }
      var count = document.createElement("p");
      count.className = "pub-hint";
      count.textContent = files.length ? "已选 " + files.length + " 张照片" : "";
      previews.appendChild(count);
      files.forEach(function (f) {
        if (!/^image\//.test(f.type)) return;
        var img = document.createElement("img");
        img.src = URL.createObjectURL(f);
        img.alt = "照片预览";
        previews.appendChild(img);
      });
    });
  }
})();
