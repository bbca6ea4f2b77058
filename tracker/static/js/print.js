/* A print page's toolbar: the print button (the page's CSP allows only this script of the app's own). */
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
}());
