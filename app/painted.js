// Inlined by trunk into the pages whose first view the server may paint ahead (index.html,
// acces.html). Until the app takes over the painted page (app/src/shell.rs), its buttons and
// boxes are remembered, not acted on, and done again by the app once it is here; its forms
// are never sent by the browser, which would put what was typed, a password too, in the
// address.
(function () {
  var controls = "button, input[type=checkbox], input[type=radio]";
  // Published for the app, which does the clicks again by their rank among these.
  window.controlesAvantApp = controls;
  window.clicsAvantApp = [];
  document.addEventListener("click", function (e) {
    var shell = document.getElementById("coquille");
    var control = e.target.closest && e.target.closest(controls);
    if (shell && control && shell.contains(control)) {
      window.clicsAvantApp.push([].indexOf.call(shell.querySelectorAll(controls), control));
      if (control.tagName === "BUTTON") e.preventDefault();
    }
  }, true);
  document.addEventListener("submit", function (e) {
    if (e.target.closest("#coquille")) e.preventDefault();
  }, true);
})();
