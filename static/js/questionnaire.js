// The young person's questionnaire speaks to whoever answers: once they say who they
// are ("C’est pour moi", "pour mon enfant"…), each question takes the words written for
// them in its data-wording-… attribute. Without this script, the words change when the
// form is sent.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) {
    return;
  }
  function reword(respondent) {
    form.querySelectorAll("[data-wording-" + respondent + "]").forEach(function (element) {
      element.textContent = element.getAttribute("data-wording-" + respondent);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "qui" && /^[a-z-]+$/.test(event.target.value)) {
      reword(event.target.value);
    }
  });
})();
