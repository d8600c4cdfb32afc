// Behaviour shared by every page, hooked on data-* attributes (no inline script: the
// Content-Security-Policy forbids them).
// - <form data-confirm="Question ?">: asks before submitting.
// - [data-menu-toggle] (a <button aria-controls aria-expanded>): opens and closes the menu
//   on small screens.
// - every <table> scrolls inside a .table-scroll wrapper instead of widening the page; a
//   wrapper that does scroll is made focusable and named, so keyboards can scroll it.
// - [data-phone-list="url"] (the calendar's month grid): on a phone, and unless the user
//   chose a view, opens the list view instead.
// - [data-commune-pick="<input id>"]: a list of commune buttons ([data-add-commune], brought
//   by the htmx commune lookup) that fill that input with the chosen INSEE code.
(function () {
  "use strict";
  var PHONE = "(max-width: 600px)";

  document.documentElement.classList.add("js");

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  function setUpMenu(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) { return; }
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  function tableName(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    // Else the last heading before the table, else a generic name.
    var heading = null;
    document.querySelectorAll("h1, h2, h3, h4").forEach(function (candidate) {
      if (candidate.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) {
        heading = candidate;
      }
    });
    return heading ? heading.textContent.trim() : "Tableau";
  }

  function wrapTable(table) {
    var wrapper = table.parentElement;
    if (!wrapper.classList.contains("table-scroll")) {
      wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
    }
    return wrapper;
  }

  function markScrollable(wrapper) {
    var table = wrapper.querySelector("table");
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", tableName(table) + " (défilement horizontal)");
    } else if (wrapper.dataset.scrollMarked !== "static") {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  }

  function setUpTables(root) {
    var wrappers = [];
    root.querySelectorAll("table").forEach(function (table) {
      if (table.closest(".leaflet-container")) { return; }
      var wrapper = wrapTable(table);
      if (wrapper.hasAttribute("tabindex") && !wrapper.dataset.scrollMarked) {
        wrapper.dataset.scrollMarked = "static";  // focusable in the template already
      }
      wrappers.push(wrapper);
    });
    wrappers.forEach(markScrollable);
    return wrappers;
  }

  function phoneCalendar(grid) {
    var params = new URLSearchParams(window.location.search);
    if (!params.has("vue") && window.matchMedia(PHONE).matches) {
      window.location.replace(grid.dataset.phoneList);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-menu-toggle]").forEach(setUpMenu);
    document.querySelectorAll("[data-phone-list]").forEach(phoneCalendar);
    setUpTables(document);
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        document.querySelectorAll(".table-scroll").forEach(markScrollable);
      }, 150);
    });
  });
  // Tables brought in by htmx get the same treatment.
  document.addEventListener("htmx:afterSwap", function (event) {
    setUpTables(event.detail.elt.parentElement || document);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-commune-pick] [data-add-commune]");
    if (!button) { return; }
    var picker = button.closest("[data-commune-pick]");
    var input = document.getElementById(picker.dataset.communePick);
    if (!input) { return; }
    input.value = button.dataset.addCommune;
    var label = document.getElementById(picker.dataset.communePick + "-chosen");
    if (label) { label.textContent = button.dataset.communeName + " (" + button.dataset.addCommune + ")"; }
    input.focus();
  });
})();
