/* CALPAE: the few lines of JavaScript the forms need (htmx does the rest). */
(function () {
  "use strict";

  /* Budget lines: move a line up or down, then renumber the hidden ORDER fields in the order shown. */
  function renumeroter(corps) {
    var rang = 1;
    corps.querySelectorAll("tr.calpae-ligne").forEach(function (ligne) {
      var ordre = ligne.querySelector("input.calpae-ordre");
      if (ordre) { ordre.value = rang; }
      rang += 1;
    });
  }

  document.addEventListener("click", function (evenement) {
    var bouton = evenement.target.closest("[data-deplacer]");
    if (!bouton) { return; }
    var ligne = bouton.closest("tr");
    var corps = ligne.parentNode;
    if (bouton.dataset.deplacer === "-1" && ligne.previousElementSibling) {
      corps.insertBefore(ligne, ligne.previousElementSibling);
    } else if (bouton.dataset.deplacer === "1" && ligne.nextElementSibling) {
      corps.insertBefore(ligne.nextElementSibling, ligne);
    }
    renumeroter(corps);
    bouton.focus();
    corps.closest("form").dispatchEvent(new Event("change", { bubbles: true }));
  });

  /* A form sent back with errors: the error summary gets the focus (the user's eyes and screen readers go there,
     not to the top of a page scrolled to its bottom). */
  document.addEventListener("DOMContentLoaded", function () {
    var resume = document.querySelector("main .fr-alert--error[role=alert]");
    if (!resume) { return; }
    resume.setAttribute("tabindex", "-1");
    resume.focus({ preventScroll: true });
    resume.scrollIntoView({ block: "start" });  /* the summary at the top, the fields it names below it */
  });

  /* A table wider than the screen scrolls within its frame: the frame then takes the keyboard's focus, so that it
     can be scrolled without a mouse (RGAA 7.3, axe's scrollable-region-focusable). Only frames that scroll. */
  function cadresDefilants() {
    document.querySelectorAll(".fr-table > table, .fr-table__container").forEach(function (cadre) {
      if (cadre.scrollWidth > cadre.clientWidth + 1) {
        cadre.setAttribute("tabindex", "0");
      } else if (cadre.getAttribute("tabindex") === "0") {
        cadre.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", cadresDefilants);
  window.addEventListener("resize", cadresDefilants);

  /* A confirmation (templates/rapports/includes/confirmation.html): its link leads, without JavaScript, to the page
     with the modal open; with JavaScript the DSFR modal opens (or closes) in place. */
  function modale(id) {
    var element = document.getElementById(id);
    return element && window.dsfr ? window.dsfr(element).modal : null;
  }
  document.addEventListener("click", function (evenement) {
    var lien = evenement.target.closest("a[data-calpae-modale]");
    var api = lien ? modale(lien.dataset.calpaeModale) : null;
    if (!api) { return; }
    evenement.preventDefault();
    if (lien.hasAttribute("data-calpae-fermer")) { api.conceal(); } else { api.disclose(); }
  });

  document.addEventListener("htmx:afterSwap", function (evenement) {
    if (evenement.detail.target.id === "lignes-corps") { renumeroter(evenement.detail.target); }
    cadresDefilants();
  });
})();
