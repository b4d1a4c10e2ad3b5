// Progressive enhancement: the filter form applies itself when a choice changes,
// and leaves empty fields out of the URL. Without JavaScript the "Apply filters"
// (wide screens) or "Show N results" (narrow ones) button submits the same form.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  var panel = document.getElementById("filters-panel");
  var toggle = panel && panel.querySelector("summary");
  // A choice made in the open panel reloads the page; the panel reopens on the
  // choice, so a reader on a phone can go on choosing (one tab's session only).
  var REOPEN = "newsroom-filters-reopen";
  var dirty = false;

  function wide() {
    return window.matchMedia("(min-width: 60rem)").matches;
  }

  function submit() {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  function close() {
    panel.open = false;
    toggle.focus();
  }

  if (panel) {
    // Browsers without ::details-content cannot show a closed panel's contents.
    var folds = !(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"));
    if (folds && wide()) panel.open = true;
    try {
      var reopen = window.sessionStorage.getItem(REOPEN);
      window.sessionStorage.removeItem(REOPEN);
      if (reopen !== null && !wide()) {
        panel.open = true;
        var chosen = document.getElementById(reopen);
        (chosen || toggle).focus();
      }
    } catch (error) {
      // Storage refused (privacy settings): the panel simply stays closed.
    }
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open && !wide()) {
        event.preventDefault();
        close();
      }
    });
    var show = form.querySelector("[data-show-results]");
    if (show) {
      show.addEventListener("click", function (event) {
        // The results already follow every choice: the button only closes the panel.
        if (!dirty) {
          event.preventDefault();
          close();
        }
      });
    }
  }

  form.addEventListener("submit", function () {
    form.querySelectorAll("input[type=search], input[type=date]").forEach(function (input) {
      if (!input.value) input.disabled = true;
    });
  });
  form.addEventListener("input", function () {
    dirty = true;
  });
  form.addEventListener("change", function (event) {
    dirty = true;
    if (event.target.matches("input[type=checkbox], select, input[type=date]")) {
      if (panel && panel.open && !wide() && event.target.id) {
        try {
          window.sessionStorage.setItem(REOPEN, event.target.id);
        } catch (error) {
          // Without storage the reloaded page shows the panel closed.
        }
      }
      submit();
    }
  });
})();
