// backstride: the assessment wizard's memory. Only the wizard page loads this file.
//
// The server keeps no draft: every answer travels in the form. This script keeps a
// copy of the form in sessionStorage (this tab only, gone when the tab closes) and
// puts each step in the browser history, so that Back, Forward and a reload come
// back to a step with its answers: the saved form is posted again with "_go" set
// to that step, and the server renders it exactly as it would have.
//
// It also makes "None of these apply to me" answer No to each warning sign, and a
// Yes to one of them take that choice back.
(function () {
  "use strict";
  var KEY = "backstride.wizard";

  function wizard() { return document.getElementById("wizard"); }
  function form() { var w = wizard(); return w && w.querySelector("form"); }

  function load() {
    try {
      var draft = JSON.parse(sessionStorage.getItem(KEY) || "null");
      return draft && draft.pairs ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function save() {
    var f = form();
    if (!f) return;
    var pairs = [];
    new FormData(f).forEach(function (value, name) {
      if (name !== "_go" && name !== "csrf_token" && typeof value === "string") pairs.push([name, value]);
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ step: wizard().getAttribute("data-step"), pairs: pairs }));
    } catch (e) { /* storage full or disabled: the wizard still works, without memory */ }
  }

  function forget() {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing to forget */ }
  }

  function address(step) {
    var w = wizard();
    var open = w && w.hasAttribute("data-open-warning") ? "&open_warning=1" : "";
    return "/assess?step=" + encodeURIComponent(step) + open;
  }

  // Record the step now shown: a new history entry when the step changed.
  function remember(replace) {
    var w = wizard();
    if (!w) return;
    var step = w.getAttribute("data-step");
    var state = { wizardStep: step };
    if (replace) {
      history.replaceState(state, "", address(step));
    } else if (!history.state || history.state.wizardStep !== step) {
      history.pushState(state, "", address(step));
    }
    save();
  }

  function swapIn(html) {
    var old = wizard();
    if (!old) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#wizard");
    if (!fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    fresh.dispatchEvent(new CustomEvent("wizard:restored", { bubbles: true }));
  }

  // Show `step` with the saved answers (after Back, Forward or a reload).
  function restore(step, replace) {
    var draft = load();
    if (!draft) return false;
    var body = new URLSearchParams();
    draft.pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("_go", step || draft.step);
    var w = wizard();
    if (w) w.setAttribute("aria-busy", "true");
    var headers = { "HX-Request": "true" };
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) headers["X-CSRF-Token"] = token.getAttribute("content");
    fetch("/assess", {
      method: "POST",
      body: body,
      headers: headers,
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) {
        swapIn(html);
        remember(replace);
      })
      .catch(function () {
        var current = wizard();
        if (current) current.removeAttribute("aria-busy");
      });
    return true;
  }

  function stepInAddress() {
    return new URLSearchParams(location.search).get("step");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var w = wizard();
    if (!w) return;
    var restart = document.querySelector("[data-wizard-restart]");
    if (restart) restart.hidden = false;
    if (w.hasAttribute("data-has-answers")) {
      // The server sent answers (a plain form POST): they are the newest.
      remember(true);
      return;
    }
    var state = history.state && history.state.wizardStep;
    if (!restore(stepInAddress() || state, true)) remember(true);
  });

  // A step came back from the server through htmx: a new history entry if it moved
  // (at once, as the page changes, so that a quick reload already finds it).
  document.addEventListener("htmx:afterSwap", function () {
    if (wizard()) remember(false);
  });

  // A step finished (the final POST is a plain one, so that a refresh never repeats it):
  // drop the draft as it leaves; a refused submission brings the answers back in the page.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-submit-assessment")) forget();
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.wizardStep && wizard()) restore(event.state.wizardStep, true);
  });

  // Back from the result restores this page from the browser's cache: start afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && wizard() && !load()) location.replace("/assess");
  });

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#wizard")) save();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest("#wizard")) return;
    if (target.matches("[data-none-of-these]") && target.checked) {
      document.querySelectorAll('#wizard .warning-sign input[type="radio"][value="no"]').forEach(function (no) {
        no.checked = true;
      });
    } else if (target.matches('.warning-sign input[type="radio"][value="yes"]') && target.checked) {
      var none = document.querySelector("#wizard [data-none-of-these]");
      if (none) none.checked = false;
    }
    save();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest && target.closest("[data-wizard-restart]")) {
      forget();
      location.assign("/assess");
    } else if (target.closest && target.closest("#wizard [data-region]")) {
      setTimeout(save, 0); // after app.js has ticked the body map's box
    }
  });
  document.addEventListener("keyup", function (event) {
    if (event.target.closest && event.target.closest("#wizard [data-region]")) save();
  });
})();
