// Progressive enhancement for the review app; every page works without it.
// Served as a file: the Content-Security-Policy allows no inline script.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // "select all" checkbox of a findings table
  document.querySelectorAll("input.select-all").forEach(function (box) {
    box.addEventListener("change", function () {
      var table = box.closest("table");
      table.querySelectorAll("input[name=ids]").forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });

  // forms that ask before they act (data-confirm holds the question, as text)
  document.querySelectorAll("form.confirm").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm") || "确定？")) {
        event.preventDefault();
      }
    });
  });

  // bulk form: the unit chooser only for "reassign"; nothing submitted without a selection
  var bulk = document.getElementById("bulk");
  if (bulk) {
    var action = bulk.querySelector(".action-select");
    var unit = bulk.querySelector(".needs-reassign");
    var sync = function () {
      unit.hidden = action.value !== "reassign";
    };
    action.addEventListener("change", sync);
    sync();
    var scope = bulk.querySelector("select[name=scope]");
    bulk.addEventListener("submit", function (event) {
      if (scope.value === "selected" && !document.querySelector("input[name=ids]:checked")) {
        event.preventDefault();
        window.alert("请先勾选要处理的问题");
      }
    });
  }

  // filters apply as soon as a choice changes
  var filters = document.getElementById("filters");
  if (filters) {
    filters.querySelectorAll("select, input[type=checkbox]").forEach(function (field) {
      field.addEventListener("change", function () {
        filters.submit();
      });
    });
  }
});
