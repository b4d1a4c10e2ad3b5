// Admin date fields: read what editors type, never swap it for today.
//
// Wagtail's date picker (jQuery xdsoft datetimepicker) validates on blur against its
// one display format (WAGTAIL_DATE_FORMAT, "Y-m-d"): anything else, such as
// "1 December 2026" or "01/12/2026", was replaced by today's date without a word.
// Loaded on every admin page before any picker starts, this turns that off and reads
// the field itself, with the same rules as the server (newsroom/forms.py,
// parse_typed_date): day before month, English or Indonesian month names. A date it
// reads is written back as the picker's format with the date in words beside it; one
// it cannot read is left as typed, marked invalid and explained (the server refuses
// it too).
(function () {
  "use strict";
  var $ = window.jQuery;
  if (!$ || !$.fn || !$.fn.datetimepicker) return;
  $.fn.datetimepicker.defaults.validateOnBlur = false;

  var MONTH_NAMES = [
    ["january", "januari", "jan"],
    ["february", "februari", "feb", "pebruari", "peb"],
    ["march", "maret", "mar"],
    ["april", "apr"],
    ["may", "mei"],
    ["june", "juni", "jun"],
    ["july", "juli", "jul"],
    ["august", "agustus", "aug", "agu", "agt", "ags"],
    ["september", "sep", "sept"],
    ["october", "oktober", "oct", "okt"],
    ["november", "nov", "nop", "nopember"],
    ["december", "desember", "dec", "des"],
  ];
  var MONTHS = {};
  MONTH_NAMES.forEach(function (names, index) {
    names.forEach(function (name) { MONTHS[name] = index + 1; });
  });
  var WEEKDAYS = (
    "monday mon tuesday tue tues wednesday wed thursday thu thurs friday fri " +
    "saturday sat sunday sun senin selasa rabu kamis jumat jum'at sabtu minggu ahad"
  ).split(" ");

  var DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
  var YEAR = "(\\d{4})";
  var NAME = "([^\\s\\d.,/-]+)";
  // [pattern, index of year, month, day, month name] in the match
  var DATE_PATTERNS = [
    [new RegExp("^" + YEAR + "[-/.](\\d{1,2})[-/.]" + DAY + "$"), 1, 2, 3, 0],
    [new RegExp("^" + DAY + "[-/.](\\d{1,2})[-/.]" + YEAR + "$"), 3, 2, 1, 0],
    [new RegExp("^" + DAY + "[\\s-]+" + NAME + "[\\s-]+" + YEAR + "$"), 3, 0, 1, 2],
    [new RegExp("^" + NAME + "\\s+" + DAY + "\\s+" + YEAR + "$"), 3, 0, 2, 1],
  ];
  var TIME = new RegExp(
    "^(.*?)(?:\\s+|T|\\s*,\\s*)(?:at\\s+|pukul\\s+|jam\\s+)?" +
      "(\\d{1,2})[:.](\\d{2})(?::(\\d{2}))?(?:\\s*(?:wib|wita|wit))?$",
    "i"
  );

  function parseDate(text) {
    var words = text.trim().toLowerCase().replace(/[,\s]+/g, " ");
    words = words.replace(/^[ .]+|[ .]+$/g, "");
    var space = words.indexOf(" ");
    if (space > 0 && WEEKDAYS.indexOf(words.slice(0, space).replace(/[.,]+$/, "")) >= 0) {
      words = words.slice(space + 1);
    }
    words = words.replace(/([^\s\d.,/-])\./g, "$1");
    for (var i = 0; i < DATE_PATTERNS.length; i++) {
      var rule = DATE_PATTERNS[i];
      var match = rule[0].exec(words);
      if (!match) continue;
      var month = rule[2] ? parseInt(match[rule[2]], 10) : MONTHS[match[rule[4]]];
      if (!month) return null;
      var year = parseInt(match[rule[1]], 10);
      var day = parseInt(match[rule[3]], 10);
      var date = new Date(Date.UTC(year, month - 1, day));
      if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
      return { year: year, month: month, day: day };
    }
    return null;
  }

  function parseDateTime(text) {
    text = text.trim();
    var match = TIME.exec(text);
    var hour = 0, minute = 0;
    if (match) {
      text = match[1];
      hour = parseInt(match[2], 10);
      minute = parseInt(match[3], 10);
      var second = match[4] ? parseInt(match[4], 10) : 0;
      if (hour > 23 || minute > 59 || second > 59) return null;
    }
    var date = parseDate(text);
    if (!date) return null;
    date.hour = hour;
    date.minute = minute;
    date.hasTime = true;
    return date;
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function iso(value) {
    var text = value.year + "-" + pad(value.month) + "-" + pad(value.day);
    return value.hasTime ? text + " " + pad(value.hour) + ":" + pad(value.minute) : text;
  }

  var language = (document.documentElement.lang || "en").slice(0, 2);
  var TEXT = {
    en: {
      date: "Type the date as 2026-12-01, 1/12/2026 or 1 December 2026.",
      datetime: "Type the date and time as 2026-12-01 09:00, 1/12/2026 09:00 or 1 December 2026 09:00.",
      unread: "Not read as a date: ",
    },
    id: {
      date: "Ketik tanggal seperti 2026-12-01, 1/12/2026 atau 1 Desember 2026.",
      datetime: "Ketik tanggal dan jam seperti 2026-12-01 09:00, 1/12/2026 09:00 atau 1 Desember 2026 09:00.",
      unread: "Tidak terbaca sebagai tanggal: ",
    },
  }[language === "id" ? "id" : "en"];

  function inWords(value) {
    var options = { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    var date = new Date(Date.UTC(value.year, value.month - 1, value.day));
    var text = new Intl.DateTimeFormat(language === "id" ? "id" : "en-GB", options).format(date);
    return value.hasTime ? text + ", " + pad(value.hour) + ":" + pad(value.minute) : text;
  }

  function noteFor(input) {
    var id = input.id + "-typed-date";
    var note = document.getElementById(id);
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = "w-field__help newsroom-typed-date";
      note.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", note);
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      described.push(id);
      input.setAttribute("aria-describedby", described.join(" ").trim());
    }
    return note;
  }

  function pickerOptions(input) {
    var picker = $(input).data("xdsoft_datetimepicker");
    return picker ? picker.data("options") : null;
  }

  function readField(input) {
    var options = pickerOptions(input);
    // Only the two ISO display formats are rewritten; a time-only field is left alone.
    if (!options || options.datepicker === false || !input.id) return;
    var withTime = options.timepicker !== false;
    if (options.format !== (withTime ? "Y-m-d H:i" : "Y-m-d")) return;
    var text = input.value.trim();
    if (!text) {
      input.removeAttribute("aria-invalid");
      if (document.getElementById(input.id + "-typed-date")) noteFor(input).textContent = "";
      return;
    }
    var value = withTime ? parseDateTime(text) : parseDate(text);
    var note = noteFor(input);
    if (!value) {
      input.setAttribute("aria-invalid", "true");
      note.classList.add("error-message");
      note.textContent = TEXT.unread + "“" + text + "”. " + (withTime ? TEXT.datetime : TEXT.date);
      return;
    }
    input.removeAttribute("aria-invalid");
    note.classList.remove("error-message");
    note.textContent = inWords(value);
    var normalised = iso(value);
    if (normalised !== input.value) {
      input.value = normalised;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  document.addEventListener("focusout", function (event) {
    if (event.target instanceof HTMLInputElement) readField(event.target);
  }, true);

  window.newsroomTypedDates = { parseDate: parseDate, parseDateTime: parseDateTime };
})();
