// Small progressive enhancements; every page works without JavaScript.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// A printed plan needs the exercise steps that are folded away on screen: open every
// closed <details> for printing (however printing was started) and fold them back after.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...document.querySelectorAll("details:not([open])")];
  openedForPrint.forEach((details) => { details.open = true; });
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((details) => { details.open = false; });
  openedForPrint = [];
});

// After HTMX replaces the main content, move keyboard and screen-reader focus to the new
// heading, as a full page load would. On settle, not swap: HTMX wires up the new buttons and
// applies autofocus while settling, and focus moved earlier could be taken back from a fast
// keyboard user (the settle delay is 0 in base.html so there is no gap at all).
document.addEventListener("htmx:afterSettle", (event) => {
  // A page restored from HTMX's history cache (the browser's Back) names no target.
  const target = event.detail.target || document.getElementById("main") || document.body;
  const heading = target.querySelector("[autofocus], h1, h2");
  if (heading) {
    if (!heading.hasAttribute("tabindex")) {
      heading.setAttribute("tabindex", "-1");
    }
    heading.focus();
  }
  if (target.id === "main") {
    window.scrollTo(0, 0);
  }
});

// An HTMX request that failed (server down, 5xx): fall back to a normal form submission so
// the browser shows the server's own page (never a silent dead button).
document.addEventListener("htmx:responseError", (event) => {
  const form = event.detail.elt.closest("form");
  if (form && !form.dataset.fellBack) {
    form.dataset.fellBack = "1";
    form.removeAttribute("hx-post");
    form.submit();
  }
});

// Diary entries are kept in the person's own time zone: tell the server which one the
// browser is in (without JavaScript the account's zone is used).
function fillTimeZones(root) {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  root.querySelectorAll("input[data-timezone]").forEach((input) => {
    if (!input.value) {
      input.value = zone;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => fillTimeZones(document));
document.addEventListener("htmx:afterSwap", (event) => fillTimeZones(event.detail.target || document));
