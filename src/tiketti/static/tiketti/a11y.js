// After an htmx swap replaces the part of the page that had focus, put focus back on the
// same control (or on the new content when the control is gone), and repeat the new status
// message in #live-status, a live region that stays in the page so screen readers say it.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
  var saved = null;
  var settled = null;  // htmx fires afterSettle once per new element, with the same detail

  function describe(node, root) {
    var all = Array.prototype.slice.call(root.querySelectorAll(FOCUSABLE));
    return { id: node.id, name: node.name, value: node.value, tag: node.tagName,
             index: all.indexOf(node) };
  }
  function find(root, was) {
    if (was.id) { var same = document.getElementById(was.id); if (same && root.contains(same)) { return same; } }
    var all = Array.prototype.slice.call(root.querySelectorAll(FOCUSABLE));
    var named = all.filter(function (node) {
      return was.name && node.name === was.name && node.tagName === was.tag &&
        (node.tagName !== "BUTTON" || node.value === was.value);
    });
    if (named.length) { return named[0]; }
    var at = all[was.index];
    return at && at.tagName === was.tag ? at : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, active = document.activeElement;
    saved = target && active && active !== document.body && target.contains(active)
      ? { targetId: target.id, target: target, control: describe(active, target) } : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail === settled) { return; }
    settled = event.detail;
    var root = event.detail.target;
    if (!root || !root.isConnected) {
      root = saved && saved.targetId ? document.getElementById(saved.targetId) : null;
    }
    if (!root) { saved = null; return; }
    if (saved) {
      var active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) {
        var control = find(root, saved.control);
        if (!control) { control = root; if (!root.hasAttribute("tabindex")) { root.setAttribute("tabindex", "-1"); } }
        control.focus();
      }
      saved = null;
    }
    if (root.closest("[aria-live]") && root.closest("[aria-live]").id !== "live-status") { return; }
    var message = root.matches("[role=status], [role=alert]") ? root : root.querySelector("[role=status], [role=alert]");
    var live = document.getElementById("live-status");
    if (message && live && message.textContent.trim()) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message.textContent.trim(); }, 50);
    }
  });
})();
