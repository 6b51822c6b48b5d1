// "Print this page": a button shown only where JavaScript can print (the CSP allows no
// inline script, so it is wired here). The print layout itself is CSS (print.css).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print-page]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
