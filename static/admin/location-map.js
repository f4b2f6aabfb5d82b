/* A small map under each place's latitude field: click or drag to fill latitude/longitude.
   Works on saved places, on new inline rows ("Ajouter un lieu") and without tiles.

   Each map fills the inputs of its own place: the latitude and longitude found in the
   inline row (or the form) that holds the map. An id written in the page cannot do it:
   Django's inline script copies the hidden template row and renames ids, names and
   labels only, so the copy would keep naming the template's "__prefix__" inputs. */
"use strict";
(function () {
  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function coordinateSelector(name) {
    // "latitude" on a place's own page, "locations-2-latitude" in an inline row.
    return 'input[name="' + name + '"], input[name$="-' + name + '"]';
  }

  function initMap(container) {
    if (container.dataset.ready || container.closest(".empty-form")) {
      return;
    }
    const row = container.closest("tr, .inline-related") || container.closest("form");
    const latInput = row && row.querySelector(coordinateSelector("latitude"));
    if (!latInput || typeof L === "undefined") {
      return;
    }
    const lngInput = row.querySelector(coordinateSelector("longitude"));
    container.dataset.ready = "1";
    const canvas = document.createElement("div");
    container.appendChild(canvas);
    const center = [parseFloat(container.dataset.centerLat), parseFloat(container.dataset.centerLng)];
    const map = L.map(canvas).setView(center, parseInt(container.dataset.zoom, 10));
    L.tileLayer(container.dataset.tileUrl, {
      maxZoom: 19,
      attribution: "© les contributeurs d’OpenStreetMap",
    }).addTo(map);
    let marker = null;

    function current() {
      const lat = parseFloat(latInput.value.replace(",", "."));
      const lng = lngInput ? parseFloat(lngInput.value.replace(",", ".")) : NaN;
      return Number.isFinite(lat) && Number.isFinite(lng) ? [lat, lng] : null;
    }

    function place(latlng, fill) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: "Lieu" }).addTo(map);
        marker.on("dragend", function () {
          place(marker.getLatLng(), true);
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (fill) {
        const point = L.latLng(latlng);
        latInput.value = round(point.lat);
        if (lngInput) {
          lngInput.value = round(point.lng);
        }
      }
    }

    const start = current();
    if (start) {
      place(start, false);
      map.setView(start, 15);
    }
    map.on("click", function (event) {
      place(event.latlng, true);
    });
    // From the keyboard: arrows move the map (Leaflet's), Enter puts the point at its centre.
    canvas.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === canvas) {
        event.preventDefault();
        place(map.getCenter(), true);
      }
    });
    [latInput, lngInput].forEach(function (input) {
      if (input) {
        input.addEventListener("change", function () {
          const point = current();
          if (point) {
            place(point, false);
            map.panTo(point);
          }
        });
      }
    });
  }

  function initAll() {
    document.querySelectorAll(".location-map").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", initAll);
  document.addEventListener("formset:added", initAll);
})();
