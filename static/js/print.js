// Print buttons (<button data-print>) open the browser's print dialog; no inline script under the CSP.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
