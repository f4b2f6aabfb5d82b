/* A row added with "Ajouter un contact" names its number in its inputs' labels
   ("Courriel (contact 3)"): the template row's labels hold "__num__" instead
   (core.admin.LabelledRowsMixin), and Django's inline script renames only ids,
   names and for attributes of the row it copies. */
"use strict";
document.addEventListener("formset:added", function (event) {
  const match = /-(\d+)$/.exec(event.target.id || "");
  if (!match) {
    return;
  }
  const number = String(parseInt(match[1], 10) + 1);
  event.target.querySelectorAll("[aria-label*='__num__']").forEach(function (element) {
    element.setAttribute("aria-label", element.getAttribute("aria-label").replace("__num__", number));
  });
});
