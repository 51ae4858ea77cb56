// Desk: "Insert link" puts a help article's title and address (in the customer's
// language) into the reply at the cursor. No inline handlers: one delegated listener.
(function () {
  "use strict";
  if (window.tikettiInsertLink) { return; }
  window.tikettiInsertLink = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".kb-insert");
    var reply = document.getElementById("id_body");
    if (!button || !reply) { return; }
    event.preventDefault();
    var text = button.dataset.title + ": " + button.dataset.url;
    var start = reply.selectionStart, end = reply.selectionEnd;
    var before = reply.value.slice(0, start), after = reply.value.slice(end);
    var gap = before && !/\s$/.test(before) ? "\n" : "";
    reply.value = before + gap + text + (after && !/^\s/.test(after) ? "\n" : "") + after;
    var cursor = (before + gap + text).length;
    reply.focus();
    reply.setSelectionRange(cursor, cursor);
    reply.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
