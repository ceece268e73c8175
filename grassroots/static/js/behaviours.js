// Behaviour for every page, hung on data- attributes instead of inline handlers (the Content-Security-Policy
// allows no inline script): data-autosubmit submits its form on change, data-print prints the page, and a
// form with data-kind-form shows only the fields of the period kind its [data-kind-select] names, and
// data-width="42" sets a bar's width in per cent (through the CSSOM, which the policy allows).
(function () {
  "use strict";
  function showKind(form) {
    var select = form.querySelector("[data-kind-select]");
    if (!select) return;
    var kind = select.value;
    form.querySelectorAll("[data-show-kind]").forEach(function (el) {
      var off = el.getAttribute("data-show-kind").split(" ").indexOf(kind) < 0;
      el.hidden = off;
      // A hidden period field is not submitted either.
      [el].concat(Array.prototype.slice.call(el.querySelectorAll("input, select"))).forEach(function (field) {
        if (field.matches("input, select")) field.disabled = off;
      });
    });
  }
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.closest && el.closest("[data-autosubmit]") && el.form) el.form.submit();
    if (el.matches && el.matches("[data-kind-select]")) showKind(el.form);
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
  function init(root) {
    root = root && root.querySelectorAll ? root : document;
    root.querySelectorAll("form[data-kind-form]").forEach(showKind);
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseFloat(el.getAttribute("data-width")) || 0)) + "%";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  // Fragments htmx swaps in (a report's progress bar).
  document.addEventListener("htmx:load", function (e) { init(e.target.parentNode || document); });
})();
