// I2I Cohorts: small behaviours, no inline scripts (the Content-Security-Policy forbids them).
var KEPT = "i2i-kept-text:";

function forgetKeptText() {
  try {
    Object.keys(sessionStorage)
      .filter(function (key) {
        return key.indexOf(KEPT) === 0;
      })
      .forEach(function (key) {
        sessionStorage.removeItem(key);
      });
  } catch (error) {
    // No sessionStorage: nothing was kept.
  }
}

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
    // Text kept for after signing in again (below) lives only until the next page: signing
    // in is the one place it waits.
    if (location.pathname.indexOf("/accounts/") !== 0) {
      forgetKeptText();
    }
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
    keepText(); // if the session has timed out, this comes back after signing in
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
  // The session timed out while they were writing: the server answers the autosave with
  // HX-Redirect to the sign-in page. Stay on the page with the text, say so, and offer to
  // sign in; the text goes with them (in this tab's sessionStorage) and is put back and
  // saved when they return to this page.
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    var signIn = event.detail.xhr.getResponseHeader("HX-Redirect");
    if (event.detail.elt !== autosaved || !signIn || !status) {
      return;
    }
    event.preventDefault();
    status.innerHTML = "";
    var problem = document.createElement("span");
    problem.className = "autosave-problem";
    problem.textContent =
      "Not saved: you were signed out to keep records safe. Your text is still on this " +
      "page and comes back with you when you ";
    var link = document.createElement("a");
    link.href = signIn;
    link.textContent = "sign in again";
    link.addEventListener("click", function () {
      keepText();
      submitting = true; // kept: no need to ask before leaving
    });
    problem.appendChild(link);
    problem.appendChild(document.createTextNode("."));
    status.appendChild(problem);
  });
  if (putKeptTextBack()) {
    dirty = true;
    if (status) {
      status.textContent = "Your text from before you signed in again is back. Saving it now.";
    }
    saveNow();
  } else if (typedBeforeReady()) {
    // Typed while the page was still loading (a slow connection), or put back by the
    // browser on going back to the page: no input event reached the autosave, so save now.
    dirty = true;
    saveNow();
  }

  function saveNow() {
    window.setTimeout(function () {
      window.htmx.trigger(autosaved, "change");
    }, 0);
  }

  function typedBeforeReady() {
    var typed = false;
    eachField(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        typed = typed || field.checked !== field.defaultChecked;
      } else if (field.options) {
        typed = typed || selectionChanged(field);
      } else {
        typed = typed || field.value !== field.defaultValue;
      }
    });
    return typed;
  }

  function selectionChanged(select) {
    var options = Array.prototype.slice.call(select.options);
    if (select.multiple) {
      return options.some(function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    // A single choice with none marked selected in the page starts on its first option.
    var marked = options.filter(function (option) {
      return option.defaultSelected;
    });
    var start = marked.length ? marked[marked.length - 1] : options[0];
    return Boolean(start) && !start.selected;
  }

  function keepText() {
    try {
      sessionStorage.setItem(keptKey(), JSON.stringify(fieldValues()));
    } catch (error) {
      // No sessionStorage (a private window's quota): the text stays on the page.
    }
  }

  function putKeptTextBack() {
    var kept;
    try {
      kept = JSON.parse(sessionStorage.getItem(keptKey()) || "null");
      sessionStorage.removeItem(keptKey());
    } catch (error) {
      return false;
    }
    if (!kept) {
      return false;
    }
    var changed = false;
    eachField(function (field) {
      if (!Object.prototype.hasOwnProperty.call(kept, field.name)) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        var checked = kept[field.name].indexOf(field.value) >= 0;
        changed = changed || field.checked !== checked;
        field.checked = checked;
      } else if (field.value !== kept[field.name][0]) {
        field.value = kept[field.name][0];
        changed = true;
      }
    });
    return changed;
  }

  function keptKey() {
    return KEPT + autosaved.getAttribute("hx-post");
  }

  // What the person typed or chose; not the token, the button or the framework (a switch
  // that went through shows other fields, and one that did not is not repeated).
  function fieldValues() {
    var values = {};
    eachField(function (field) {
      values[field.name] = values[field.name] || [];
      if ((field.type !== "checkbox" && field.type !== "radio") || field.checked) {
        values[field.name].push(field.value);
      }
    });
    return values;
  }

  function eachField(callback) {
    Array.prototype.forEach.call(autosaved.elements, function (field) {
      var skip = ["csrfmiddlewaretoken", "action", "framework"];
      if (field.name && skip.indexOf(field.name) < 0 && field.type !== "submit") {
        callback(field);
      }
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
