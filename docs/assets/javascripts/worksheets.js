/* Worksheets: keeps the answers of a worksheet form in this browser (localStorage) and filters the
   worksheet list on the materials page. The HTML comes from hooks/worksheets.py; this file only adds
   behaviour, and every page works without it (the form is then simply not saved).

   Storage: one key per field, "<data-storage of the form>:<field id>", where data-storage is
   "tyouramentorointi:<site path>:<worksheet id>:<language>". Nothing leaves the browser.
   No inline scripts or event handlers (a strict Content Security Policy is planned). */
(function () {
  "use strict";

  function getStorage() {
    try {
      var storage = window.localStorage;
      var probe = "tyouramentorointi:probe";
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      return null; // private mode, storage disabled: the form still works, it is just not kept
    }
  }

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function formatDate(value, lang) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return value;
    var date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    try {
      return date.toLocaleDateString(lang);
    } catch (error) {
      return value;
    }
  }

  /* The print twin of a field: empty, it prints as lines to write on; filled, it prints the answer. */
  function mirror(control, lang) {
    var twin = control.parentNode.querySelector(".worksheet-answer");
    if (!twin) return;
    if (control.type === "checkbox") {
      twin.setAttribute("data-checked", control.checked ? "true" : "false");
      return;
    }
    var text = twin.querySelector(".worksheet-answer__text");
    if (text) text.textContent = control.type === "date" ? formatDate(control.value, lang) : control.value;
    if (control.value) twin.setAttribute("data-filled", "");
    else twin.removeAttribute("data-filled");
  }

  function initForm(form, storage) {
    var prefix = form.getAttribute("data-storage") + ":";
    var lang = form.getAttribute("data-lang") || document.documentElement.lang;
    var controls = form.querySelectorAll("[data-field]");
    var status = form.querySelector(".worksheet-status");
    var clear = form.querySelector(".worksheet-clear");

    function keyOf(control) {
      return prefix + control.getAttribute("data-field");
    }

    function load(control) {
      var saved = storage ? storage.getItem(keyOf(control)) : null;
      if (control.type === "checkbox") control.checked = saved === "1";
      else control.value = saved === null ? "" : saved;
      mirror(control, lang);
    }

    function save(control) {
      if (!storage) return;
      var value = control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
      try {
        if (value === "") storage.removeItem(keyOf(control));
        else storage.setItem(keyOf(control), value);
      } catch (error) {
        /* storage full: keep what is on the page */
      }
    }

    // Never submitted: the form has no action and method="dialog"; Enter in a field does nothing.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });

    each(controls, function (control) {
      load(control);
      control.addEventListener(control.type === "checkbox" ? "change" : "input", function () {
        save(control);
        mirror(control, lang);
        if (status) status.textContent = "";
      });
    });

    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        each(controls, function (control) {
          if (control.type === "checkbox") control.checked = false;
          else control.value = "";
          if (storage) storage.removeItem(keyOf(control));
          mirror(control, lang);
        });
        if (status) status.textContent = form.getAttribute("data-msg-cleared") || "";
      });
    }

    // Another tab of the same worksheet changed an answer: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key !== null && event.key.indexOf(prefix) !== 0) return;
      each(controls, function (control) {
        if (event.key === null || event.key === keyOf(control)) load(control);
      });
    });
  }

  function initIndex(index) {
    var filter = index.querySelector(".worksheet-index__filter");
    var count = index.querySelector(".worksheet-index__count");
    if (!filter) return;
    var selects = filter.querySelectorAll("select[data-filter]");
    var rows = index.querySelectorAll("tr[data-phase]");
    var groups = index.querySelectorAll("[data-phase-group]");
    var links = index.querySelectorAll("[data-phase-link]");
    var total = rows.length;

    function value(name) {
      var select = filter.querySelector('select[data-filter="' + name + '"]');
      return select ? select.value : "";
    }

    function apply(updateUrl) {
      var phase = value("phase");
      var role = value("role");
      var shown = 0;
      each(rows, function (row) {
        var rowPhase = row.getAttribute("data-phase");
        var rowRole = row.getAttribute("data-role");
        // "any" fits every phase; "both" is for mentors and mentees alike
        var visible =
          (!phase || rowPhase === phase || rowPhase === "any") &&
          (!role || rowRole === role || rowRole === "both");
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      each(groups, function (group) {
        var empty = group.querySelectorAll("tr[data-phase]:not([hidden])").length === 0;
        group.hidden = empty;
        each(links, function (link) {
          if (link.getAttribute("data-phase-link") === group.getAttribute("data-phase-group")) link.hidden = empty;
        });
      });
      var message = shown === 0 ? index.getAttribute("data-msg-none") : index.getAttribute("data-msg-count");
      count.textContent = (message || "").replace("{shown}", String(shown)).replace("{total}", String(total));
      if (updateUrl && window.history && window.URLSearchParams) {
        var params = new URLSearchParams(window.location.search);
        if (phase) params.set("phase", phase);
        else params.delete("phase");
        if (role) params.set("role", role);
        else params.delete("role");
        var query = params.toString();
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    // A filtered list can be bookmarked or shared: ?phase=start&role=mentee
    if (window.URLSearchParams) {
      var params = new URLSearchParams(window.location.search);
      each(selects, function (select) {
        var wanted = params.get(select.getAttribute("data-filter"));
        if (wanted && select.querySelector('option[value="' + wanted.replace(/[^a-z]/g, "") + '"]')) {
          select.value = wanted;
        }
      });
    }
    filter.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    each(selects, function (select) {
      select.addEventListener("change", function () {
        apply(true);
      });
    });
    filter.hidden = false;
    apply(false);
  }

  function init() {
    var storage = getStorage();
    each(document.querySelectorAll("form.worksheet[data-storage]"), function (form) {
      initForm(form, storage);
    });
    each(document.querySelectorAll(".worksheet-index"), initIndex);
    // Dates typed in another format, or answers restored late by the browser: refresh the print twins.
    window.addEventListener("beforeprint", function () {
      each(document.querySelectorAll("form.worksheet [data-field]"), function (control) {
        var form = control.form;
        mirror(control, (form && form.getAttribute("data-lang")) || document.documentElement.lang);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
