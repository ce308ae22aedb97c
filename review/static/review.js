// diglot review: keyboard navigation and the editor. Plain forms and links
// do the work; this only binds keys to them, so the pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var editor = document.getElementById("save-form");
  var text = document.getElementById("target-text");

  function go(id) {
    var a = document.getElementById(id);
    if (a && a.href) { window.location.assign(a.href); }
  }
  function edit() {
    if (!editor || !text) { return; }
    editor.classList.add("editing");
    text.focus();
  }
  function save() {
    if (editor) { editor.requestSubmit(); }
  }
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable);
  }

  if (editor && editor.classList.contains("editing") && text) {
    text.focus();
  }

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.ctrlKey || ev.metaKey) && (ev.key === "Enter" || ev.key === "s")) {
      if (editor && t === text) {
        ev.preventDefault();
        save();
      }
      return;
    }
    if (ev.key === "Escape" && typing(t)) {
      t.blur();
      return;
    }
    if (typing(t) || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    switch (ev.key) {
      case "j": go("next"); break;
      case "k": go("prev"); break;
      case "n": go("next-flagged"); break;
      case "r": go("raw-toggle"); break;
      case "e": ev.preventDefault(); edit(); break;
      case "a":
        var f = document.getElementById("accept-form");
        if (f) { f.requestSubmit(); }
        break;
      case "/":
        var q = document.getElementById("f-q");
        if (q) { ev.preventDefault(); q.focus(); }
        break;
      default: return;
    }
  });
})();
