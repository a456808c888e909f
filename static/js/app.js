// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});

// Complaint form: the reason of a major complaint is asked only when "major" is ticked.
// Without JavaScript the field simply stays visible.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.js-toggle-major").forEach(function (checkbox) {
    var group = checkbox.form && checkbox.form.querySelector("[data-major-reason-group]");
    if (!group) { return; }
    var sync = function () { group.hidden = !checkbox.checked; };
    checkbox.addEventListener("change", sync);
    sync();
  });
});

// Irreversible official steps (a numbered transfer letter, closing, issuing minutes) say what
// will happen and ask before they are sent. The text comes from the step's declaration.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});

// Lists as cards on a phone: each cell of a .table-cards table gets its column's heading as
// data-label, and the columns whose heading is marked .phone-hide are left out of the card.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return { label: th.textContent.trim(), hide: th.classList.contains("phone-hide") };
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var heading = headings[column];
        if (heading && cell.colSpan === 1) {
          if (heading.label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heading.label); }
          if (heading.hide) { cell.classList.add("phone-hide"); }
        }
        column += cell.colSpan || 1;
      });
    });
  });
});

// Assigning a complaint: the handler list follows the chosen department (a handler with no
// department stays listed). Without JavaScript every handler is listed; the server checks.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-filters-handlers]").forEach(function (department) {
    var handler = department.form && department.form.querySelector("select[data-follows-department]");
    if (!handler) { return; }
    var sync = function () {
      var chosen = department.value;
      Array.prototype.forEach.call(handler.options, function (option) {
        var own = option.getAttribute("data-department");
        var shown = !option.value || !own || !chosen || own === chosen;
        option.hidden = !shown;
        option.disabled = !shown;
        if (!shown && option.selected) { handler.value = ""; }
      });
    };
    department.addEventListener("change", sync);
    sync();
  });
});
