// I2I Cohorts: small behaviours, no inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so that screen reader users hear what to fix.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // Autosaved forms: say plainly when a save fails, keep the text, and warn before leaving
  // the page with unsaved changes.
  var autosaved = document.querySelector("form[data-autosave]");
  if (!autosaved) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var submitting = false;
  autosaved.addEventListener("input", function () {
    dirty = true;
  });
  autosaved.addEventListener("submit", function () {
    submitting = true;
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.elt === autosaved && event.detail.xhr.status === 422) {
      // The server explains what it could not save; show it.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === autosaved && event.detail.successful) {
      dirty = false;
    }
  });
  function saveFailed(event) {
    if (event.detail.elt !== autosaved || !status) {
      return;
    }
    status.innerHTML = "";
    var problem = document.createElement("span");
    problem.className = "autosave-problem";
    problem.textContent =
      "Not saved: the connection failed. Your text is still on this page; " +
      "it will be saved when you next type, or use Save draft.";
    status.appendChild(problem);
  }
  document.body.addEventListener("htmx:sendError", saveFailed);
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status !== 422) {
      saveFailed(event);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
