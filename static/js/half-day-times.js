// The half-day form (placements/forms.py HalfDayForm): choosing morning or afternoon fills the
// start and end times with that session's typical times, unless the participant has typed
// their own. Without JavaScript the times may stay blank: the service then uses the same
// typical times (placements.models.TYPICAL_TIMES), which each input carries in data-typical
// ("am=09:00 pm=13:30").
(function () {
  "use strict";

  function typicalTimes(input) {
    var times = {};
    (input.dataset.typical || "").split(" ").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2) {
        times[parts[0]] = parts[1];
      }
    });
    return times;
  }

  function isTypical(input, times) {
    return Object.keys(times).some(function (session) {
      return times[session] === input.value;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var radios = document.querySelectorAll('input[type="radio"][data-module="half-day-session"]');
    var inputs = document.querySelectorAll("input[data-typical]");
    if (!radios.length || !inputs.length) {
      return;
    }

    function fill(session, onlyBlank) {
      Array.prototype.forEach.call(inputs, function (input) {
        var times = typicalTimes(input);
        var blank = input.value === "";
        if (times[session] && (blank || (!onlyBlank && isTypical(input, times)))) {
          input.value = times[session];
        }
      });
    }

    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) {
          fill(radio.value, false);
        }
      });
      if (radio.checked) {
        fill(radio.value, true);
      }
    });
  });
})();
