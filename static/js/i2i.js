// I2I Cohorts: small behaviours, no inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so that screen reader users hear what to fix.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
