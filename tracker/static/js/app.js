/* What htmx does not do by itself (a file because the CSP forbids inline scripts; pages work without it):
   - weak connections: say what happened when a request fails (the texts are in base.html, so they are
     translated with the templates), and offer to try again;
   - keyboard and screen-reader users: a swap that removed the focused button moves focus to the
     refusal's error summary, the first field in error, or the swapped block's message or heading;
     a link to a form (".../items/MT02#entry-form") and an error summary's links focus their field. */
(function () {
  "use strict";
  var failed = null;

  function box() { return document.getElementById("net-error"); }

  // The error page's own sentence (e.g. an expired session), read as text, never run.
  function serverSays(xhr) {
    try {
      var heading = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("main h1");
      return heading ? heading.textContent.trim() : "";
    } catch (err) {
      return "";
    }
  }

  function hide() {
    var el = box();
    if (el) { el.hidden = true; }
    failed = null;
  }

  function show(kind, event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("[data-net-quiet]")) { return; }  // e.g. the inbox badge poll
    var el = box();
    if (!el) { return; }
    var xhr = event.detail && event.detail.xhr;
    var text = el.getAttribute("data-" + kind).replace("{code}", xhr ? xhr.status : "");  // texts: base.html
    var said = kind === "response" ? serverSays(xhr) : "";
    el.querySelector("[data-net-text]").textContent = said ? said + " " + text : text;
    failed = elt || null;
    el.hidden = false;
    el.querySelector("[data-net-retry]").focus();
  }

  function retry() {
    var elt = failed;
    hide();
    if (!elt || !document.body.contains(elt)) { window.location.reload(); return; }
    var form = elt.tagName === "FORM" ? elt : elt.closest("form");
    if (form && form.requestSubmit) { form.requestSubmit(); return; }
    window.htmx.trigger(elt, "submit");
  }

  document.addEventListener("htmx:sendError", function (e) { show("send", e); });
  document.addEventListener("htmx:timeout", function (e) { show("timeout", e); });
  document.addEventListener("htmx:responseError", function (e) { show("response", e); });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (!(e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("[data-net-quiet]"))) { hide(); }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    if (document.activeElement && document.activeElement !== document.body) { return; }
    var root = e.target;
    if (!root || !root.isConnected || root.closest("[data-net-quiet]")) { return; }
    var to = root.querySelector("[data-error-summary]") || root.querySelector("[aria-invalid='true']") ||
      root.querySelector("[data-saved]") || root.querySelector(".flash, .error, h2");
    if (!to) { return; }
    if (!to.matches("input, select, textarea")) { to.setAttribute("tabindex", "-1"); }
    to.focus();
    to.scrollIntoView({block: "start"});
  });
  // A page answered with a refusal: its summary is focused (autofocus) and wholly in the window,
  // even on a phone where focusing alone leaves it half below the fold.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); summary.scrollIntoView({block: "start"}); }
  });
  function field(target) {
    if (!target) { return null; }
    if (target.matches("input, select, textarea")) { return target; }
    var fields = target.querySelectorAll("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].offsetParent !== null) { return fields[i]; }
    }
    return null;
  }

  // An address ending in a form's id (the desk's "needs an update" links): focus that form's first field,
  // once the page has loaded (the browser's own scroll to the fragment would take the focus away).
  window.addEventListener("load", function () {
    if (!window.location.hash || (document.activeElement && document.activeElement !== document.body)) { return; }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    var to = target && field(target);
    if (to) { to.focus(); }
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-error-summary] a[href^='#']");
    if (link) {
      var to = field(document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1))));
      if (to) { e.preventDefault(); to.focus(); to.scrollIntoView({block: "center"}); }
      return;
    }
    if (e.target.closest("[data-net-retry]")) { retry(); }
    else if (e.target.closest("[data-net-dismiss]")) { hide(); }
  });
  // A period's kind fills its end from its start while the end is empty (or still what this filled):
  // a week ends six days after it starts, a month on its last day, a quarter on its quarter's last
  // day. The server still checks both.
  function readDay(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "") || /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(text || "") ||
      /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || "");
    if (!m) { return null; }
    var iso = m[1].length === 4;
    var d = new Date(Date.UTC(+(iso ? m[1] : m[3]), +m[2] - 1, +(iso ? m[3] : m[1])));
    return isNaN(d.getTime()) ? null : d;
  }
  function writeDay(d) {
    return ("0" + d.getUTCDate()).slice(-2) + "/" + ("0" + (d.getUTCMonth() + 1)).slice(-2) + "/" + d.getUTCFullYear();
  }
  function fillEnd(kind) {
    var end = document.getElementById(kind.getAttribute("data-fills-end"));
    var start = readDay((document.getElementById(kind.getAttribute("data-from")) || {}).value);
    if (!end || (end.value.trim() && end.value !== end.getAttribute("data-filled"))) { return; }
    var to = null;
    if (start && kind.value === "week") { to = new Date(start.getTime() + 6 * 86400000); }
    if (start && kind.value === "month") { to = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)); }
    if (start && kind.value === "quarter") {
      to = new Date(Date.UTC(start.getUTCFullYear(), 3 * Math.floor(start.getUTCMonth() / 3) + 3, 0));
    }
    end.value = to ? writeDay(to) : "";
    end.setAttribute("data-filled", end.value);
  }
  // On every keystroke of the start as well as on its change: an end typed after the start is then
  // never overwritten by the start's change firing late (when the start loses focus).
  function onPeriodField(e) {
    var kind = e.target.closest && (e.target.closest("[data-fills-end]") ||
      document.querySelector("[data-fills-end][data-from='" + e.target.id + "']"));
    if (kind && e.target.id !== kind.getAttribute("data-fills-end")) { fillEnd(kind); }
  }
  document.addEventListener("input", onPeriodField);
  document.addEventListener("change", onPeriodField);
  // A date filter typed day first (dd/mm/yyyy, or ddmmyyyy) travels in ISO, the one form addresses
  // carry; without JavaScript the server answers a typed date with its ISO address.
  document.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.verb !== "get") { return; }
    ["as_of", "from", "to"].forEach(function (name) {
      var value = e.detail.parameters[name];
      var m = typeof value === "string" &&
        (/^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value) || /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(value));
      if (m) { e.detail.parameters[name] = m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2); }
    });
  });
}());
