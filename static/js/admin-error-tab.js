// Page and snippet forms: after a refused save, open the tab that holds the
// first error. Wagtail reopens the tab the editor was on (or the first), so a
// missing withdrawal reason on Settings came back on Content with nothing to see.
(function () {
  "use strict";
  function openTabWithErrors() {
    var triggers = document.querySelectorAll('[data-w-tabs-target="trigger"]');
    if (!triggers.length) return;
    var selected = null;
    var firstWithErrors = null;
    triggers.forEach(function (trigger) {
      var panel = document.querySelector(trigger.getAttribute("href"));
      var hasErrors = panel && panel.querySelector(".error-message");
      if (trigger.getAttribute("aria-selected") === "true") selected = { trigger: trigger, hasErrors: hasErrors };
      if (hasErrors && !firstWithErrors) firstWithErrors = trigger;
    });
    if (firstWithErrors && !(selected && selected.hasErrors)) firstWithErrors.click();
  }
  // After Wagtail's tabs controller has chosen its own tab.
  window.addEventListener("load", function () { window.setTimeout(openTabWithErrors, 0); });
})();
