// Release editor: when an official is chosen and the role is still empty, fill it
// with the official's appointment on the release date (the server does the same on
// save, so this only saves the editor a step and shows the role before saving).
(function () {
  var script = document.currentScript;
  var roleUrl = script && script.dataset.roleUrl;
  if (!roleUrl) return;
  document.addEventListener("change", function (event) {
    var input = event.target;
    var match = /^release_officials-(\d+)-official$/.exec(input.name || "");
    if (!match || !input.value) return;
    var role = document.querySelector('[name="release_officials-' + match[1] + '-role"]');
    if (!role || role.value.trim()) return;
    var dateInput = document.querySelector('[name="release_date"]');
    var date = dateInput ? dateInput.value : "";
    // The release's language decides the role's: an edit form names the page,
    // an add form the section the release goes in.
    var path = window.location.pathname;
    var edit = /\/pages\/(\d+)\/edit\//.exec(path);
    var add = /\/pages\/add\/[^/]+\/[^/]+\/(\d+)\//.exec(path);
    var where = edit ? "&page=" + edit[1] : add ? "&parent=" + add[1] : "";
    fetch(roleUrl + input.value + "/?date=" + encodeURIComponent(date) + where, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.role && !role.value.trim()) role.value = data.role;
      });
  });
})();
