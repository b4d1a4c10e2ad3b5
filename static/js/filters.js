// Progressive enhancement: the filter form applies itself when a choice changes,
// and leaves empty fields out of the URL. Without JavaScript the "Apply filters"
// button submits the same form.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.addEventListener("submit", function () {
    form.querySelectorAll("input[type=search], input[type=date]").forEach(function (input) {
      if (!input.value) input.disabled = true;
    });
  });
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], select, input[type=date]")) {
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }
  });
})();
