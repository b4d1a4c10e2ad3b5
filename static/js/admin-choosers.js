// Multiple choosers (officials, sectors, regions... on the release and event
// forms): ticks survive a new search, and what the form already lists is shown
// as chosen instead of being offered again and refused at save.
//
// Wagtail's modal replaces its results on every search, and its "Confirm
// selection" sends only the boxes ticked on screen: tick an official, search
// again, tick another, and only the second was added. The ticks are kept here
// per modal and sent with the form as hidden inputs.
(function () {
  "use strict";
  var state = { form: null, ticked: new Set(), listed: new Set() };

  // The panel whose "Add" opened the modal: its rows' chosen ids.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('[id$="-OPEN_MODAL"]');
    if (!button) return;
    var relation = button.id.replace(/^id_/, "").replace(/-OPEN_MODAL$/, "");
    var listed = new Set();
    document
      .querySelectorAll('input[name^="' + relation + '-"]')
      .forEach(function (input) {
        var match = new RegExp("^" + relation + "-(\\d+)-(\\w+)$").exec(input.name);
        if (!match || match[2] === "id" || match[2] === "ORDER" || !input.value) return;
        if (input.type !== "hidden") return;
        var deleted = document.querySelector('[name="' + relation + "-" + match[1] + '-DELETE"]');
        if (deleted && (deleted.value === "1" || deleted.checked)) return;
        listed.add(input.value);
      });
    state = { form: null, ticked: new Set(), listed: listed };
  }, true);

  function formOf(node) {
    return node.closest && node.closest("[data-multiple-choice-form]");
  }

  function refresh(form) {
    if (form !== state.form) {
      state.form = form;
      state.ticked = new Set();
    }
    form.querySelectorAll("[data-multiple-choice-select]").forEach(function (box) {
      if (state.listed.has(box.value)) {
        box.checked = false;
        box.disabled = true;
        box.title = "Already on the form";
        var row = box.closest("tr");
        if (row && !row.querySelector(".newsroom-already-chosen")) {
          var note = document.createElement("span");
          note.className = "newsroom-already-chosen w-status";
          note.textContent = "already chosen";
          var cell = row.querySelector("td:last-child");
          if (cell) cell.appendChild(note);
        }
      } else if (state.ticked.has(box.value)) {
        box.checked = true;
      }
    });
    var submit = form.querySelector("[data-multiple-choice-submit]");
    if (submit) {
      if (state.ticked.size) submit.removeAttribute("disabled");
      var count = state.ticked.size;
      submit.value = count ? "Confirm selection (" + count + ")" : "Confirm selection";
    }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-multiple-choice-select]")) return;
    var form = formOf(box);
    if (!form) return;
    if (form !== state.form) refresh(form);
    if (box.checked) state.ticked.add(box.value);
    else state.ticked.delete(box.value);
    // After Wagtail's own handler, which disables the button when no box on
    // screen is ticked.
    window.setTimeout(function () { refresh(form); }, 0);
  });

  // New results (a search, another page): tick again what was ticked.
  new MutationObserver(function () {
    var form = document.querySelector("[data-multiple-choice-form]");
    if (form) refresh(form);
  }).observe(document.body, { childList: true, subtree: true });

  // Capture: before Wagtail's handler serialises the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-multiple-choice-form]")) return;
    form.querySelectorAll("input.newsroom-kept-choice").forEach(function (input) {
      input.remove();
    });
    var onScreen = new Set();
    form.querySelectorAll("[data-multiple-choice-select]:checked").forEach(function (box) {
      onScreen.add(box.value);
    });
    state.ticked.forEach(function (value) {
      if (onScreen.has(value)) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "id";
      input.value = value;
      input.className = "newsroom-kept-choice";
      form.appendChild(input);
    });
  }, true);
})();
