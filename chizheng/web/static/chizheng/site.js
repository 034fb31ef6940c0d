// A form marked data-confirm="…" asks before it is sent (destructive or irreversible steps).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// A link marked data-back goes back in the history (its href is where to go without one).
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// A button marked data-print prints the page (附件2's print view; its CSS is @media print).
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest && event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
