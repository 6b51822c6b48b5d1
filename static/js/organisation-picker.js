// Organisation pickers: each <select data-module="organisation-picker"> (participants/widgets.py)
// becomes one accessible autocomplete, the GOV.UK way (alphagov's accessible-autocomplete,
// static/vendor/): type to filter, arrow keys and Enter to choose, the results announced to
// screen readers. Without JavaScript the <select> works on its own.
//
// A picker whose select names a field in data-propose (the placement form's proposed_name)
// offers, when nothing matches, to propose a new organisation: Enter (or a click on the
// message) opens the "not listed" fields, fills in the name typed, empties the box (nothing
// is chosen from the directory) and moves focus there.
(function () {
  "use strict";

  if (!window.accessibleAutocomplete) {
    return; // The plain <select> stays.
  }

  function optionWithText(select, text) {
    return Array.prototype.filter.call(select.options, function (option) {
      return option.value && option.textContent === text;
    })[0];
  }

  function enhance(select) {
    var id = select.id;
    var describedBy = select.getAttribute("aria-describedby");
    var invalid = select.classList.contains("is-invalid");
    var proposeField = select.dataset.propose && document.getElementById(select.dataset.propose);
    var input = null;

    function typed() {
      return input ? input.value.trim() : "";
    }

    function noResults() {
      if (proposeField) {
        return (
          "No organisation in the directory matches “" + typed() + "”. " +
          "Press Enter to propose it as a new organisation."
        );
      }
      return "No organisation in the directory matches “" + typed() + "”.";
    }

    // What is seen is what is sent: once the name typed is proposed, nothing is chosen from
    // the directory, so the box shows nothing either; the name is in the proposed name's
    // field. The autocomplete keeps its own copy of the text and writes it back into the box,
    // so it is told as if the text had been deleted (an input event), and then confirms
    // nothing when the box loses focus.
    function clearBox() {
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function propose() {
      var name = typed();
      var details = proposeField.closest("details");
      if (details) {
        details.open = true;
      }
      select.value = "";
      if (!proposeField.value.trim()) {
        proposeField.value = name;
      }
      clearBox();
      proposeField.focus();
    }

    // The hidden <select> cannot take the browser's "fill this in" message: the box does.
    var required = select.required;
    select.required = false;

    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      required: required,
      // The option chosen before (a form shown again with errors) or nothing: never the
      // "Choose an organisation" placeholder as if it had been typed.
      defaultValue: "",
      autoselect: true,
      showAllValues: false,
      inputClasses: invalid ? "autocomplete__input--error" : null,
      tNoResults: noResults,
      tStatusNoResults: noResults,
      tStatusQueryTooShort: function (minQueryLength) {
        return "Type in " + minQueryLength + " or more characters for results";
      },
      tStatusSelectedOption: function (selectedOption, length, index) {
        return selectedOption + " " + (index + 1) + " of " + length + " is highlighted";
      },
      tStatusResults: function (length, contentSelectedOption) {
        var words = length === 1 ? "1 organisation matches." : length + " organisations match.";
        return words + " " + contentSelectedOption;
      },
      tAssistiveHint: function () {
        return (
          "When results are available use up and down arrows to review and Enter to choose. " +
          "Touch device users, explore by touch or with swipe gestures."
        );
      },
      // The <select> is what the form sends: it holds the option whose text is confirmed,
      // and nothing once the text typed matches no option.
      onConfirm: function (text) {
        var option = (text && optionWithText(select, text)) || optionWithText(select, typed());
        select.value = option ? option.value : "";
      },
    });

    input = document.getElementById(id);
    if (!input) {
      return;
    }
    if (invalid) {
      input.setAttribute("aria-invalid", "true");
    }
    if (describedBy) {
      // The hint and the error message stay named by the box, whatever the autocomplete
      // does with its own assistive hint.
      var keepDescription = function () {
        var current = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        var wanted = describedBy.split(" ").concat(current).filter(function (item, index, all) {
          return item && all.indexOf(item) === index;
        });
        if (wanted.join(" ") !== current.join(" ")) {
          input.setAttribute("aria-describedby", wanted.join(" "));
        }
      };
      keepDescription();
      new MutationObserver(keepDescription).observe(input, {
        attributes: true,
        attributeFilter: ["aria-describedby"],
      });
    }
    var wrapper = input.closest(".autocomplete__wrapper");
    if (wrapper) {
      // The grey completion shown behind the box is a second, unlabelled input: only a
      // picture of the text, hidden from assistive technology (upstream leaves it bare).
      var hideHint = function () {
        Array.prototype.forEach.call(wrapper.querySelectorAll(".autocomplete__hint"), function (hint) {
          hint.setAttribute("aria-hidden", "true");
        });
      };
      new MutationObserver(hideHint).observe(wrapper, { childList: true, subtree: true });
    }
    if (!proposeField) {
      return;
    }
    function nothingMatches() {
      return wrapper && wrapper.querySelector(".autocomplete__option--no-results");
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && nothingMatches()) {
        event.preventDefault(); // rather than send the form with nothing chosen
        propose();
      }
    });
    if (wrapper) {
      // mousedown, not click: the input's blur would take the message away before a click.
      wrapper.addEventListener("mousedown", function (event) {
        if (event.target.closest(".autocomplete__option--no-results")) {
          event.preventDefault();
          propose();
        }
      });
    }
  }

  Array.prototype.forEach.call(
    document.querySelectorAll('select[data-module="organisation-picker"]'),
    enhance
  );
})();
