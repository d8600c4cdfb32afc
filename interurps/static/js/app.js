// Behaviour shared by every page, hooked on data-* attributes (no inline script: the
// Content-Security-Policy forbids them).
// - <form data-confirm="Question ?">: asks before submitting.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
})();
