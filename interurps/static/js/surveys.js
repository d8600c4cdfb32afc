// Conditions of a survey's form: a question or a section whose data-condition does not
// hold is hidden (and its inputs disabled, so that nothing hidden is sent). The server
// applies the same rules (interurps/analytics/surveys.py): keep both in step.
(function () {
  "use strict";

  function answerOf(form, key, visible) {
    if (!visible(key)) return null;
    var box = form.querySelector('[data-survey-question="' + key + '"]');
    if (!box) return null;
    var type = box.getAttribute("data-type");
    var inputs = box.querySelectorAll("input, select, textarea");
    if (type === "multiple") {
      var values = [];
      inputs.forEach(function (input) { if (input.checked) values.push(input.value); });
      return values.length ? values : null;
    }
    if (type === "single" || type === "scale") {
      var chosen = null;
      inputs.forEach(function (input) { if (input.checked) chosen = input.value; });
      return chosen;
    }
    var value = inputs.length ? inputs[0].value.trim() : "";
    return value === "" ? null : value;
  }

  function toNumber(value) {
    var n = parseFloat(String(value).replace(/\s/g, "").replace(",", "."));
    return isNaN(n) ? null : n;
  }

  function same(a, b) {
    if (typeof b === "number") return toNumber(a) === b;
    return a === b;
  }

  function holds(condition, value) {
    var op = condition.operator || "equals";
    var answered = value !== null && value !== "" && !(Array.isArray(value) && !value.length);
    if (op === "answered") return answered;
    if (op === "not_answered") return !answered;
    if (!answered) return false;
    var expected = condition.value;
    if (op === "gt" || op === "gte" || op === "lt" || op === "lte") {
      var n = toNumber(value);
      if (n === null) return false;
      return op === "gt" ? n > expected : op === "gte" ? n >= expected : op === "lt" ? n < expected : n <= expected;
    }
    if (op === "contains") return Array.isArray(value) && value.indexOf(expected) !== -1;
    var values = Array.isArray(value) ? value : [value];
    if (op === "equals") return values.some(function (v) { return same(v, expected); });
    if (op === "not_equals") return !values.some(function (v) { return same(v, expected); });
    if (op === "in") return values.some(function (v) { return expected.some(function (e) { return same(v, e); }); });
    return false;
  }

  function conditionsOf(element) {
    var text = element.getAttribute("data-condition");
    if (!text) return [];
    var parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  }

  function update(form) {
    var memo = {};
    function sectionVisible(section) {
      var key = "s:" + section.getAttribute("data-survey-section");
      if (!(key in memo)) {
        memo[key] = false; // a loop (refused on save) never recurses forever
        memo[key] = conditionsOf(section).every(function (c) { return holds(c, answerOf(form, c.question, visible)); });
      }
      return memo[key];
    }
    function visible(questionKey) {
      var key = "q:" + questionKey;
      if (!(key in memo)) {
        var box = form.querySelector('[data-survey-question="' + questionKey + '"]');
        memo[key] = false;
        if (box) {
          var section = box.closest("[data-survey-section]");
          memo[key] = (!section || sectionVisible(section)) &&
            conditionsOf(box).every(function (c) { return holds(c, answerOf(form, c.question, visible)); });
        }
      }
      return memo[key];
    }
    form.querySelectorAll("[data-survey-section]").forEach(function (section) {
      var shown = sectionVisible(section);
      section.hidden = !shown;
    });
    form.querySelectorAll("[data-survey-question]").forEach(function (box) {
      var shown = visible(box.getAttribute("data-survey-question"));
      box.hidden = !shown;
      box.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
    });
  }

  function setUp(form) {
    if (form.dataset.surveyReady) return;
    form.dataset.surveyReady = "1";
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
    update(form);
  }

  function setUpAll() {
    document.querySelectorAll("[data-survey-form]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", setUpAll);
  // The preview inserted by htmx in the questionnaire editor.
  document.addEventListener("htmx:afterSettle", setUpAll);
})();
