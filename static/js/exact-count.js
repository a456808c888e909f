// A list larger than its counting cap says "more than N" at first; the exact total is asked for
// separately (the same filters) and replaces it once known. Without JavaScript the text stays.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".js-exact-count[data-count-url]").forEach(function (element) {
    fetch(element.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.text) { element.textContent = data.text; } })
      .catch(function () {});
  });
});
