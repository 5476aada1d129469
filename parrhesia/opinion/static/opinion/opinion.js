// Parrhesia: keep the keyboard where the voter is after a vote sent by htmx.
// A vote swaps the card (or the statement's row) for a new one; without this, focus falls back to
// <body> and a keyboard user tabs through the whole page again to reach the next statement.
"use strict";

(function () {
  function firstButton(element) {
    return element ? element.querySelector("button[name=value]") : null;
  }

  function focusOn(element) {
    if (!element) return;
    if (!element.matches("button, a, input, select, textarea")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!form || !form.matches || !form.matches("form.vote-form")) return;
    const target = form.getAttribute("hx-target");
    const swapped = target ? document.querySelector(target) : null;
    if (!swapped) return;
    if (swapped.id === "next") {
      // The next statement for you: its first button, or the card saying you voted on all.
      focusOn(firstButton(swapped) || swapped);
      return;
    }
    // A statement in the list: the next statement's buttons, or this one's at the end.
    let next = swapped.nextElementSibling;
    while (next && !firstButton(next)) next = next.nextElementSibling;
    focusOn(firstButton(next) || firstButton(swapped) || swapped);
  });
})();
