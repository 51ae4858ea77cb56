// Keyboard shortcuts for the desk. Plain links and forms do the work; this only moves focus.
// The keys are data: desk/keyboard.py's registry, given to the page as JSON (#desk-shortcuts).
// They can be turned off (WCAG 2.1.4); the `?` overlay lists them and holds the switch.
(function () {
  "use strict";
  if (window.tikettiDeskKeys) { return; }
  window.tikettiDeskKeys = true;
  var source = document.getElementById("desk-shortcuts");
  var dialog = document.getElementById("keyboard-help");
  if (!source || !dialog) { return; }
  var registry = JSON.parse(source.textContent);
  var opener = null;

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  function focusTargets() {
    return registry.shortcuts.filter(function (s) { return s.action === "focus"; })
      .map(function (s) { return s.target; }).join(",");
  }
  function move(selector, step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(selector));
    if (!links.length) { return; }
    var index = links.indexOf(document.activeElement);
    var next = index === -1 ? 0 : Math.min(Math.max(index + step, 0), links.length - 1);
    links[next].focus();
    (links[next].closest("tr") || links[next]).scrollIntoView({ block: "nearest" });
  }

  var actions = {
    focus: function (s) { var node = document.querySelector(s.target); if (node) { node.focus(); return true; } },
    click: function (s) { var node = document.querySelector(s.target); if (node) { node.click(); return true; } },
    next: function (s) { move(s.target, 1); return true; },
    previous: function (s) { move(s.target, -1); return true; },
    go: function (s) { window.location.href = s.target; return true; },
    help: function () { openHelp(); return true; }
  };

  // The overlay: a modal <dialog>. Tab and Shift+Tab stay inside it, Esc closes it (the
  // browser's "cancel"), and focus goes back to where it was.
  function focusable() {
    return Array.prototype.slice.call(dialog.querySelectorAll(
      "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea"));
  }
  function openHelp() {
    if (dialog.open) { return; }
    opener = document.activeElement;
    dialog.showModal();
    var first = focusable()[0];
    if (first) { first.focus(); }
  }
  dialog.addEventListener("close", function () {
    if (opener && opener.isConnected && opener !== document.body) { opener.focus(); }
    opener = null;
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") { return; }
    var nodes = focusable();
    var first = nodes[0], last = nodes[nodes.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  document.getElementById("keyboard-help-close").addEventListener("click", function () { dialog.close(); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-keyboard-help]")) { event.preventDefault(); openHelp(); }
  });

  // The on/off switch: saved for the person on the server, in effect at once.
  var form = document.getElementById("keyboard-setting");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var status = document.getElementById("keyboard-setting-status");
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (answer) { registry.enabled = answer.enabled; status.textContent = answer.message; })
      .catch(function () { form.submit(); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || dialog.open) { return; }
    if (typing(event.target)) {
      // Esc leaves a box a shortcut moved into (the search), so j/k work again.
      if (event.key === "Escape" && event.target.matches(focusTargets())) { event.target.blur(); }
      return;
    }
    if (!registry.enabled) { return; }
    var shortcut = registry.shortcuts.filter(function (s) { return s.key === event.key; })[0];
    if (shortcut && actions[shortcut.action](shortcut)) { event.preventDefault(); }
  });
})();
