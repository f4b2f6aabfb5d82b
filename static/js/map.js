/* The portal's maps, drawn on the maps that django-leaflet creates ("map:init").
   - the association page: its places, from a JSON script in the page;
   - the map page: the places of its view from /api/lieux.geojson?bbox=… (grouped by
     the server when there are too many: a group zooms in when clicked), asked again
     when the view moves, the commune's outline, and filters that redraw the markers
     and the list without reloading the page.
   Everything shown here is also listed in the page's HTML, for use without JavaScript. */
"use strict";
(function () {
  const NEUTRAL = "#1f2933";
  /* The words the map writes, in the page's language: data-* of the map's element
     (templates/associations/map.html), French when a page gives none. */
  const words = { approximate: "Emplacement approximatif", group: "%(count)s lieux" };

  function readWords(container) {
    words.approximate = container.dataset.approximateText || words.approximate;
    words.group = container.dataset.groupText || words.group;
  }

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  /* Places at the same point (an approximate place is often the commune's centre)
     share one marker whose popup lists them all. */
  function groupByPoint(features) {
    const groups = new Map();
    features.forEach(function (feature) {
      const key = feature.geometry.coordinates.join(",");
      if (!groups.has(key)) {
        groups.set(key, []);
      }
      groups.get(key).push(feature);
    });
    return Array.from(groups.values());
  }

  function popupHtml(group) {
    const items = group.map(function (feature) {
      const p = feature.properties;
      return (
        '<li><a href="' + escapeHtml(p.path) + '">' + escapeHtml(p.name) + "</a><br>" +
        escapeHtml(p.place) + (p.approximate ? "<br><em>" + escapeHtml(words.approximate) + "</em>" : "") + "</li>"
      );
    });
    return '<ul class="popup-list">' + items.join("") + "</ul>";
  }

  /* A group of places sent by the server: its count; clicked, the map zooms on it. */
  function drawGroup(layer, feature, map) {
    const coordinates = feature.geometry.coordinates;
    const count = feature.properties.count;
    const marker = L.circleMarker([coordinates[1], coordinates[0]], {
      radius: 12 + Math.min(Math.round(Math.log(count) * 3), 18),
      color: "#fff",
      weight: 3,
      fillColor: NEUTRAL,
      fillOpacity: 0.85,
      className: "place-marker place-group",
    });
    marker.bindTooltip(words.group.replace("%(count)s", count), { permanent: true, direction: "center", className: "place-group-count" });
    marker.on("click", function () {
      const box = feature.bbox;
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
    });
    marker.feature_count = count;
    layer.addLayer(marker);
  }

  function drawPlaces(layer, collection, map) {
    layer.clearLayers();
    if (collection.grouped) {
      collection.features.forEach(function (feature) { drawGroup(layer, feature, map); });
      return layer;
    }
    groupByPoint(collection.features).forEach(function (group) {
      const coordinates = group[0].geometry.coordinates;
      const approximate = group.every(function (feature) { return feature.properties.approximate; });
      const colour = group.length === 1 ? group[0].properties.colour : NEUTRAL;
      const marker = L.circleMarker([coordinates[1], coordinates[0]], {
        radius: group.length === 1 ? 9 : 12 + Math.min(group.length, 10),
        color: "#fff",
        weight: 3,
        fillColor: colour,
        fillOpacity: approximate ? 0.7 : 1,
        dashArray: approximate ? "4 4" : null,
        className: "place-marker",
      });
      marker.bindPopup(popupHtml(group));
      marker.feature_count = group.length;
      layer.addLayer(marker);
    });
    return layer;
  }

  function fit(map, layer, fallbackZoom) {
    const bounds = layer.getBounds ? layer.getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.pad(0.2), { maxZoom: fallbackZoom });
    }
  }

  function initAssociationMap(map, container) {
    const data = JSON.parse(document.getElementById(container.dataset.locationsId).textContent);
    const layer = drawPlaces(L.featureGroup().addTo(map), data);
    fit(map, layer, 14);
  }

  function initDirectoryMap(map, container) {
    const places = L.featureGroup().addTo(map);
    const form = document.getElementById(container.dataset.filterForm);
    const list = document.getElementById(container.dataset.list);
    const status = document.getElementById(container.dataset.status);
    window.__placesLayer = places;

    fetch(container.dataset.outlineUrl)
      .then(function (response) { return response.json(); })
      .then(function (outline) {
        L.geoJSON(outline, {
          interactive: false,
          style: { color: "#1d4e89", weight: 2, fillColor: "#1d4e89", fillOpacity: 0.06 },
        }).addTo(map).bringToBack();
      });

    let query = window.location.search;
    let asked = 0;  // only the answer to the latest question is drawn

    /* The places of the map's view, with the filters of `query`; the list too if asked. */
    function load(updateList) {
      const turn = ++asked;
      const separator = query ? "&" : "?";
      const view = separator + "bbox=" + map.getBounds().toBBoxString();
      const geojson = fetch(container.dataset.geojsonUrl + query + view).then(function (r) { return r.json(); });
      const html = updateList
        ? fetch(container.dataset.listUrl + query, { headers: { "X-Partial": "liste" } }).then(function (r) { return r.text(); })
        : Promise.resolve(null);
      return Promise.all([geojson, html]).then(function (results) {
        // A hand-edited address with an unknown filter: the API refuses it (400, no features).
        if (!results[0].features) { results[0].features = []; }
        if (results[1] !== null) {
          list.innerHTML = results[1];
        }
        // The view moved or the filters changed since: a later answer draws the markers.
        if (turn !== asked) { return results[0]; }
        drawPlaces(places, results[0], map);
        container.dataset.featureCount = results[0].features.reduce(function (sum, feature) {
          return sum + (feature.properties.group ? feature.properties.count : 1);
        }, 0);
        return results[0];
      });
    }

    // First the view the map opens on; then the extent of every place (`bbox`), whose
    // places are asked for once the map has moved there, and at each move after.
    load(false).then(function (collection) {
      const box = collection.bbox;
      if (box) {
        const bounds = L.latLngBounds([[box[1], box[0]], [box[3], box[2]]]);
        map.fitBounds(bounds.pad(0.2), { maxZoom: 14 });
      }
      map.on("moveend", function () { load(false); });
    });

    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const params = new URLSearchParams(new FormData(form));
        Array.from(params.keys()).forEach(function (key) {
          if (!params.get(key)) { params.delete(key); }
        });
        query = params.toString() ? "?" + params.toString() : "";
        load(true).then(function () {
          window.history.replaceState(null, "", window.location.pathname + query);
          if (status) { status.focus(); }
        });
      });
    }
  }

  window.addEventListener("map:init", function (event) {
    const map = event.detail.map;
    const container = map.getContainer();
    readWords(container);
    if (container.dataset.geojsonUrl) {
      initDirectoryMap(map, container);
    } else if (container.dataset.locationsId) {
      initAssociationMap(map, container);
    }
    container.dataset.ready = "1";
  });
})();
