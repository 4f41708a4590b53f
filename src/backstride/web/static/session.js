// backstride: Today's guided session. One exercise at a time, a timer for holds
// and rests, and the next exercise after "Done" or "Skip". Without this script
// every exercise is listed and the buttons still work (plain form posts).
(function () {
  "use strict";

  function beep() {
    if (navigator.vibrate) navigator.vibrate(200);
  }

  function runTimer(box, seconds, label) {
    var face = box.querySelector("[data-timer-face]");
    if (box._timer) clearInterval(box._timer);
    var left = seconds;
    face.textContent = label + ": " + left + " s";
    box._timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(box._timer);
        box._timer = null;
        face.textContent = label + ": done";
        beep();
        return;
      }
      face.textContent = label + ": " + left + " s";
    }, 1000);
  }

  function show(session) {
    var steps = Array.prototype.slice.call(session.querySelectorAll("[data-step]"));
    var current = steps.filter(function (s) { return s.getAttribute("data-finished") !== "yes"; })[0];
    steps.forEach(function (s) { s.hidden = s !== current; });
    var finished = session.querySelector("[data-session-finished]");
    if (finished) finished.hidden = !!current;
    var progress = session.querySelector("[data-session-progress]");
    if (progress) {
      var done = steps.length - steps.filter(function (s) {
        return s.getAttribute("data-finished") !== "yes";
      }).length;
      progress.textContent = done + " of " + steps.length + " done";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var session = document.querySelector("[data-session]");
    if (session) {
      session.classList.add("one-at-a-time");
      show(session);
      session.addEventListener("click", function (event) {
        var hold = event.target.closest("[data-timer-hold]");
        var rest = event.target.closest("[data-timer-rest]");
        var button = hold || rest;
        if (!button) return;
        var box = button.closest("[data-timer]");
        if (hold) runTimer(box, parseInt(hold.getAttribute("data-timer-hold"), 10), "Hold");
        else runTimer(box, parseInt(rest.getAttribute("data-timer-rest"), 10), "Rest");
      });
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    }
  });
})();
