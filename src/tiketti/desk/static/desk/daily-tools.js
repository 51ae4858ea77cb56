// Shortcuts for the desk's daily tools (selecting queue rows, choosing a macro). Each is
// one entry of SHORTCUTS; the forms work without this script.
(function () {
  "use strict";
  function typing(event) {
    var target = event.target;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  function focusedRowCheckbox() {
    var row = document.activeElement && document.activeElement.closest(".queue-row");
    return row ? row.querySelector(".select-ticket") : null;
  }
  var SHORTCUTS = [
    {
      key: "x",
      run: function () {
        var box = focusedRowCheckbox();
        if (box) { box.checked = !box.checked; return true; }
        return false;
      }
    },
    {
      key: "m",
      run: function () {
        var picker = document.getElementById("id_macro");
        if (picker) { picker.focus(); return true; }
        return false;
      }
    }
  ];
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    SHORTCUTS.forEach(function (shortcut) {
      if (event.key === shortcut.key && shortcut.run()) { event.preventDefault(); }
    });
  });
})();
