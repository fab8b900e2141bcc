/* incidentbook serve: live reload. Injected only by `incidentbook serve`; the published
 * site never contains it. Reloads when the site was rebuilt, keeping the scroll
 * position; shows the diagnostics over the page while the book has errors. */
(function () {
  "use strict";
  var KEY = "incidentbook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var overlay = null;

  function reload() {
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  }

  function show(report) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "incidentbook-errors";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "The book has errors");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(10,12,16,.97);" +
        "color:#f3f4f6;overflow:auto;padding:2rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var h = document.createElement("p");
    h.style.cssText = "font:600 16px system-ui,sans-serif;color:#fca5a5;margin:0 0 1rem";
    h.textContent = "The last edit has errors: this is the last good version of the page. Fix the file and it updates.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0;padding:1rem;border:0;border-radius:6px;" +
      "background:#111827;color:#f3f4f6;font:inherit;max-width:none;overflow:visible";
    pre.textContent = report;
    overlay.appendChild(h);
    overlay.appendChild(pre);
  }

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  var events = new EventSource("/__incidentbook/events");
  events.addEventListener("open", function () { window.incidentbookLive = "connected"; });
  events.addEventListener("version", function (e) {
    // A rebuild finished while this page was loading: it is out of date.
    if (version !== null && e.data !== version) reload();
  });
  events.addEventListener("reload", reload);
  events.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  events.addEventListener("ok", hide);
})();
