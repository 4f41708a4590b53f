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
    // The choice in words, in the list's order, under the map.
    var words = map.querySelector("[data-bodymap-selected]");
    if (!words) return;
    var chosen = [];
    var name = map.getAttribute("data-bodymap");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      var label = box.closest("label");
      if (box.checked && label) chosen.push(label.textContent.trim());
    });
    words.textContent = chosen.length
      ? "You chose: " + chosen.join("; ") + "."
      : "Nothing chosen yet: tap where you feel it, as many places as you need.";
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

// Plan page: Print, with every folded section opened for the paper and folded back after.
(function () {
  "use strict";
  var opened = [];
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

// Runs page: the upload's progress. htmx reports the bytes sent (htmx:xhr:progress);
// once they are all sent the bar turns indeterminate while the server imports.
(function () {
  "use strict";
  function parts(form) {
    var box = form.querySelector(".upload-progress");
    return box && { box: box, bar: box.querySelector("progress"), text: box.querySelector(".upload-status") };
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    var p = form && parts(form);
    if (!p) return;
    p.box.hidden = false;
    p.box.removeAttribute("data-outcome");
    form.removeAttribute("data-sent");
    p.bar.max = 100;
    p.bar.value = 0;
    p.text.textContent = "Uploading…";
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    var p = form && parts(form);
    // The same event reports the response downloading: after the upload, ignore it.
    if (!p || form.hasAttribute("data-sent")) return;
    if (!event.detail.lengthComputable || !event.detail.total) return;
    var share = Math.round((event.detail.loaded / event.detail.total) * 100);
    if (share >= 100) {
      form.setAttribute("data-sent", "");
      p.bar.removeAttribute("value");
      p.text.textContent = "Importing your runs…";
    } else {
      p.bar.value = share;
      p.text.textContent = "Uploading… " + share + "%";
    }
  });
  // The status line says what the server found (data-outcome and data-status on
  // #upload-result): "Done" only when every file was read; otherwise what failed.
  var FAILED = {
    0: "The upload failed: the connection to backstride was lost. Please try again.",
    403: "The upload failed: this page is out of date. Reload it and upload again.",
    413: "The upload failed: too much at once (256 MiB at most). Upload fewer files at a time."
  };
  function report(p, text, outcome) {
    p.box.hidden = outcome === "error";
    p.box.setAttribute("data-outcome", outcome);
    p.bar.max = 100;
    p.bar.value = outcome === "failed" || outcome === "error" ? 0 : 100;
    p.text.textContent = text;
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    var p = form && parts(form);
    if (!p) return;
    if (!event.detail.successful) {
      var status = event.detail.xhr ? event.detail.xhr.status : 0;
      // An earlier upload's summary must not stand beside this failure.
      var stale = document.getElementById("upload-result");
      if (stale) {
        stale.removeAttribute("data-outcome");
        stale.removeAttribute("data-status");
        stale.textContent = "";
      }
      report(p, FAILED[status] || "The upload failed (error " + status + "). Please try again.", "failed");
      return;
    }
    var result = document.getElementById("upload-result");
    var outcome = (result && result.getAttribute("data-outcome")) || "done";
    var text = (result && result.getAttribute("data-status")) || "Done.";
    report(p, text, outcome);
    if (outcome !== "error") form.reset();
  });
})();

// The phone's tab bar: "More" is a <details>; a tap elsewhere or Escape folds it.
(function () {
  "use strict";
  function fold(except) {
    document.querySelectorAll("details[data-more][open]").forEach(function (more) {
      if (more !== except) more.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    fold(event.target.closest && event.target.closest("details[data-more]"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details[data-more][open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });
})();

// Every htmx request carries the page's CSRF token (forms also carry it as a field).
document.addEventListener("htmx:configRequest", function (event) {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
});
