// Enterprise filter of the complaint list: suggest enterprise names as the user types, from the
// scoped lookup endpoint, through a <datalist>. Without JavaScript the field is a plain text box
// whose text matches enterprise names.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.js-enterprise-lookup[data-lookup-url]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-options";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var term = input.value.trim();
      if (term.length < 1 || /^\d+$/.test(term)) { return; }
      timer = window.setTimeout(function () {
        asked = term;
        var url = input.dataset.lookupUrl + "?q=" + encodeURIComponent(term);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (asked !== term) { return; }  // a later keystroke asked again
            list.replaceChildren();
            data.results.forEach(function (row) {
              var option = document.createElement("option");
              option.value = row.name;
              option.label = row.credit_code;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 200);
    });
  });
});
