// Keyboard shortcuts for the desk. Plain links and forms do the work; this only moves focus.
(function () {
  "use strict";
  function typing(event) {
    var target = event.target;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".queue-row .ticket-link"));
    if (!links.length) { return; }
    var index = links.indexOf(document.activeElement);
    var next = index === -1 ? 0 : Math.min(Math.max(index + step, 0), links.length - 1);
    links[next].focus();
    links[next].closest("tr").scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var search = document.getElementById("id_q");
    var reply = document.getElementById("id_body");
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); }
    else if (event.key === "j") { move(1); }
    else if (event.key === "k") { move(-1); }
    else if (event.key === "r" && reply) { event.preventDefault(); reply.focus(); }
    else if (event.key === "g") { window.location.href = "/desk/"; }
  });
})();
