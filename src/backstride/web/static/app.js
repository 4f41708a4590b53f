// backstride: the one script of the app. The body map toggles the checkbox
// list beside it (which stays usable with a keyboard and a screen reader).
(function () {
  "use strict";

  function boxFor(map, value) {
    var name = map.getAttribute("data-bodymap");
    return document.querySelector(
      'input[type="checkbox"][name="' + name + '"][value="' + value + '"]'
    );
  }

  function sync(map) {
    map.querySelectorAll("[data-region]").forEach(function (shape) {
      var box = boxFor(map, shape.getAttribute("data-region"));
      var on = !!(box && box.checked);
      shape.classList.toggle("on", on);
      shape.setAttribute("aria-checked", on ? "true" : "false");
    });
  }

  function toggle(shape) {
    var map = shape.closest("[data-bodymap]");
    var box = boxFor(map, shape.getAttribute("data-region"));
    if (!box) return;
    box.checked = !box.checked;
    sync(map);
  }

  function syncAll() {
    document.querySelectorAll("[data-bodymap]").forEach(sync);
  }

  document.addEventListener("click", function (event) {
    var shape = event.target.closest && event.target.closest("[data-region]");
    if (shape) toggle(shape);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-region]") && (event.key === " " || event.key === "Enter")) {
      event.preventDefault();
      toggle(target);
    }
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches('input[type="checkbox"]')) {
      var map = document.querySelector('[data-bodymap="' + target.name + '"]');
      if (map) sync(map);
    }
  });
  document.addEventListener("DOMContentLoaded", syncAll);
  document.addEventListener("htmx:afterSettle", function () {
    syncAll();
    var heading = document.querySelector("#wizard h2");
    if (heading) heading.focus();
  });
})();
