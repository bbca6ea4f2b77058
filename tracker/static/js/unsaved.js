/* A guard before leaving a page with typed changes that are not saved (issue 14): forms marked
   data-unsaved-guard become dirty when a field in them changes, or are dirty from the start when the
   server showed them again after a refusal (data-unsaved: what is on screen is not stored). Submitting
   clears the mark (the page is leaving to save it); an htmx request that fails sets it again. Leaving
   a dirty page asks the browser's own question (beforeunload). Pages work the same without it. */
(function () {
  "use strict";
  var dirty = [];

  function guarded(el) {
    return el && el.closest ? el.closest("form[data-unsaved-guard]") : null;
  }

  function mark(form) {
    if (form && dirty.indexOf(form) < 0) { dirty.push(form); }
  }

  function clear(form) {
    dirty = dirty.filter(function (f) { return f !== form; });
  }

  function scan(root) {
    var wanted = "form[data-unsaved-guard][data-unsaved]";
    if (root.matches && root.matches(wanted)) { mark(root); }
    Array.prototype.forEach.call(root.querySelectorAll(wanted), mark);
  }

  document.addEventListener("input", function (e) { mark(guarded(e.target)); });
  document.addEventListener("change", function (e) { mark(guarded(e.target)); });
  document.addEventListener("submit", function (e) { var f = guarded(e.target); if (f) { clear(f); } });
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (e) { mark(guarded(e.detail && e.detail.elt)); });
  });
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
  document.addEventListener("DOMContentLoaded", function () { scan(document); });

  window.addEventListener("beforeunload", function (e) {
    dirty = dirty.filter(function (f) { return f.isConnected; });  // a swapped-out form saved nothing to lose
    if (dirty.length) {
      e.preventDefault();
      e.returnValue = "";  // older browsers ask only when a value is set
    }
  });
}());
