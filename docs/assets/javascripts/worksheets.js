/* Worksheets: keeps the answers of a worksheet form in this browser (localStorage) and filters the
   worksheet list on the materials page. The HTML comes from hooks/worksheets.py; this file only adds
   behaviour, and every page works without it (the form is then simply not saved).

   Storage: one key per field, "<data-storage of the form>:<field id>", where data-storage is
   "tyouramentorointi:<site path>:<worksheet id>:<language>"; a field of entry n of a log or table is
   "<log or table id>.<n>.<field or column id>". Nothing leaves the browser unless the reader saves the
   answers to a file (a JSON download made here, from a Blob; the format is described in
   hooks/worksheets.py) and a file the reader picks can be loaded back: it is only ever shown as text.
   No inline scripts, event handlers or eval (the site's Content Security Policy forbids them). */
(function () {
  "use strict";

  function getStorage() {
    try {
      var storage = window.localStorage;
      var probe = "tyouramentorointi:probe";
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    } catch {
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
    } catch {
      return value;
    }
  }

  function isRadioGroup(control) {
    return control.getAttribute("data-kind") === "radio";
  }

  /* The value of a control as stored and exported: text, a date (YYYY-MM-DD), "1" for a ticked box, the
     chosen option's id for a radio group; "" when empty. */
  function valueOf(control) {
    if (isRadioGroup(control)) {
      var chosen = control.querySelector("input[type=radio]:checked");
      return chosen ? chosen.value : "";
    }
    if (control.type === "checkbox") return control.checked ? "1" : "";
    return control.value;
  }

  function setValue(control, value) {
    if (isRadioGroup(control)) {
      each(control.querySelectorAll("input[type=radio]"), function (radio) {
        radio.checked = value !== "" && radio.value === value;
      });
    } else if (control.type === "checkbox") control.checked = value === "1";
    else control.value = value;
  }

  /* The print twin of a field: empty, it prints as lines to write on; filled, it prints the answer. */
  function mirror(control, lang) {
    if (isRadioGroup(control)) {
      each(control.querySelectorAll("input[type=radio]"), function (radio) {
        mirror(radio, lang);
      });
      return;
    }
    var twin = control.parentNode.querySelector(".worksheet-answer");
    if (!twin) return;
    if (control.type === "checkbox" || control.type === "radio") {
      twin.setAttribute("data-checked", control.checked ? "true" : "false");
      return;
    }
    var text = twin.querySelector(".worksheet-answer__text");
    if (text) text.textContent = control.type === "date" ? formatDate(control.value, lang) : control.value;
    if (control.value) twin.setAttribute("data-filled", "");
    else twin.removeAttribute("data-filled");
  }

  function message(template, values) {
    var text = template || "";
    Object.keys(values).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function today() {
    var now = new Date();
    function pad(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* A file on the reader's device: a Blob behind an <a download>. Nothing is sent anywhere. */
  function download(name, data) {
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  var KEY_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[1-9][0-9]*\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)?$/;

  /* Every answer of every worksheet kept in this browser for this copy of the site: {worksheet id: {key:
     value}}, each worksheet in the language `lang` if it has answers in it, else in another language. */
  function storedAnswers(storage, namespace, lang) {
    var found = {}; // id -> language -> answers
    if (!storage) return {};
    for (var i = 0; i < storage.length; i += 1) {
      var key = storage.key(i);
      if (!key || key.indexOf(namespace) !== 0) continue;
      var parts = key.slice(namespace.length).split(":");
      if (parts.length !== 3 || !/^M[1-9][0-9]*$/.test(parts[0]) || !KEY_RE.test(parts[2])) continue;
      var value = storage.getItem(key);
      if (!value) continue;
      var byLang = (found[parts[0]] = found[parts[0]] || {});
      (byLang[parts[1]] = byLang[parts[1]] || {})[parts[2]] = value;
    }
    var out = {};
    Object.keys(found).forEach(function (id) {
      var langs = Object.keys(found[id]).sort();
      out[id] = found[id][lang] || found[id][langs[0]];
    });
    return out;
  }

  function initForm(form, storage) {
    var prefix = form.getAttribute("data-storage") + ":";
    var wid = form.getAttribute("data-worksheet");
    // "tyouramentorointi:<site path>:" : the keys of every worksheet of this copy of the site
    var namespace = prefix.slice(0, prefix.length - (wid.length + 1 + (form.getAttribute("data-lang") || "").length + 1));
    var lang = form.getAttribute("data-lang") || document.documentElement.lang;
    var status = form.querySelector(".worksheet-status");
    var clear = form.querySelector(".worksheet-clear");
    var groups = [];

    function say(text) {
      if (status) status.textContent = text || "";
    }

    function msg(name) {
      return form.getAttribute("data-msg-" + name) || "";
    }

    function controls() {
      return form.querySelectorAll("[data-field]");
    }

    function keyOf(control) {
      return prefix + control.getAttribute("data-field");
    }

    function load(control) {
      var saved = storage ? storage.getItem(keyOf(control)) : null;
      setValue(control, saved === null ? "" : saved);
      mirror(control, lang);
    }

    function save(control) {
      if (!storage) return;
      var value = valueOf(control);
      try {
        if (value === "") storage.removeItem(keyOf(control));
        else storage.setItem(keyOf(control), value);
      } catch {
        /* storage full: keep what is on the page */
      }
    }

    function watch(control) {
      var radio = isRadioGroup(control);
      control.addEventListener(radio || control.type === "checkbox" ? "change" : "input", function () {
        save(control);
        mirror(control, lang);
        say("");
      });
    }

    /* A log or a table: entries numbered 1..n, each a copy of the first with its numbers changed. */
    function makeGroup(element) {
      var gid = element.getAttribute("data-group");
      var base = element.getAttribute("data-id-base");
      var holder = element.querySelector(".worksheet-group__entries");
      var template = holder.querySelector("[data-entry]").cloneNode(true);
      var min = Number(element.getAttribute("data-min")) || 1;
      var max = Number(element.getAttribute("data-max")) || 100;
      var add = element.querySelector(".worksheet-add");
      var fieldPrefix = gid + ".1.";
      var idPrefix = base + "-1";

      function renumber(node, n) {
        each([node].concat(Array.prototype.slice.call(node.querySelectorAll("*"))), function (el) {
          ["id", "for", "aria-labelledby", "aria-describedby"].forEach(function (name) {
            var value = el.getAttribute(name);
            if (!value) return;
            el.setAttribute(
              name,
              value
                .split(" ")
                .map(function (ref) {
                  return ref === idPrefix || ref.indexOf(idPrefix + "-") === 0 ? base + "-" + n + ref.slice(idPrefix.length) : ref;
                })
                .join(" ")
            );
          });
          ["data-field", "name"].forEach(function (name) {
            var value = el.getAttribute(name);
            if (value && value.indexOf(fieldPrefix) === 0) el.setAttribute(name, gid + "." + n + "." + value.slice(fieldPrefix.length));
          });
        });
        node.setAttribute("data-entry", String(n));
        each(node.querySelectorAll(".worksheet-entry__n"), function (span) {
          span.textContent = String(n);
        });
      }

      function count() {
        return holder.querySelectorAll("[data-entry]").length;
      }

      function resize(n) {
        n = Math.max(min, Math.min(max, n));
        while (count() > n) holder.removeChild(holder.lastElementChild);
        while (count() < n) {
          var entry = template.cloneNode(true);
          renumber(entry, count() + 1);
          holder.appendChild(entry);
          each(entry.querySelectorAll("[data-field]"), function (control) {
            setValue(control, "");
            mirror(control, lang);
            watch(control);
          });
        }
        if (add) add.disabled = count() >= max;
      }

      /* the highest entry number among keys like "<gid>.<n>.<field>" */
      function highest(keys) {
        var top = 0;
        keys.forEach(function (key) {
          var parts = key.split(".");
          if (parts.length === 3 && parts[0] === gid) top = Math.max(top, Number(parts[1]) || 0);
        });
        return top;
      }

      if (add) {
        add.hidden = false;
        add.addEventListener("click", function () {
          resize(count() + 1);
          var entry = holder.lastElementChild;
          var first = entry.querySelector("input:not([type=radio]), textarea, input[type=radio]");
          if (first) first.focus();
          say(message(msg("added"), { label: element.getAttribute("data-label") || "", n: count() }));
        });
      }
      return { resize: resize, highest: highest };
    }

    function storedKeys() {
      var keys = [];
      if (!storage) return keys;
      for (var i = 0; i < storage.length; i += 1) {
        var key = storage.key(i);
        if (key && key.indexOf(prefix) === 0) keys.push(key.slice(prefix.length));
      }
      return keys;
    }

    function sizeGroups(keys) {
      groups.forEach(function (group) {
        group.resize(group.highest(keys));
      });
    }

    function loadAll() {
      sizeGroups(storedKeys());
      each(controls(), load);
    }

    function answers() {
      var out = {};
      each(controls(), function (control) {
        var value = valueOf(control);
        if (value !== "") out[control.getAttribute("data-field")] = value;
      });
      return out;
    }

    function removeStored() {
      storedKeys().forEach(function (key) {
        storage.removeItem(prefix + key);
      });
    }

    // Never submitted: the form has no action and method="dialog"; Enter in a field does nothing.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });

    each(form.querySelectorAll(".worksheet-group[data-group]"), function (element) {
      groups.push(makeGroup(element));
    });
    each(controls(), watch);
    loadAll();

    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        if (storage) removeStored();
        sizeGroups([]);
        each(controls(), function (control) {
          setValue(control, "");
          mirror(control, lang);
        });
        say(msg("cleared"));
      });
    }

    /* ---- answers as a file: export this worksheet, export all, import */

    function envelope(worksheets) {
      return {
        format: form.getAttribute("data-format"),
        version: Number(form.getAttribute("data-version")),
        exported: new Date().toISOString(),
        language: lang,
        worksheets: worksheets
      };
    }

    function exportFile(all) {
      var worksheets = all ? storedAnswers(storage, namespace, lang) : {};
      worksheets[wid] = answers();
      var name = "tyouramentorointi-" + (all ? "answers" : wid) + "-" + today() + ".json";
      download(name, envelope(worksheets));
      say(message(msg("exported"), { file: name }));
    }

    /* The answers of this worksheet in a parsed file, or the name of the message that says why not. */
    function check(data) {
      if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== form.getAttribute("data-format")) {
        return { error: "not-answers" };
      }
      if (typeof data.version !== "number" || data.version < 1 || Math.floor(data.version) !== data.version) {
        return { error: "not-answers" };
      }
      if (data.version > Number(form.getAttribute("data-version"))) return { error: "newer" };
      var sheets = data.worksheets;
      if (!sheets || typeof sheets !== "object" || Array.isArray(sheets)) return { error: "not-answers" };
      var mine = sheets[wid];
      if (!mine || typeof mine !== "object" || Array.isArray(mine)) return { error: "other" };
      // keep only keys this worksheet has (entries up to data-max) and text values
      var known = {};
      each(controls(), function (control) {
        var key = control.getAttribute("data-field");
        var parts = key.split(".");
        known[parts.length === 3 ? parts[0] + ".*." + parts[2] : key] = control;
      });
      var accepted = {};
      Object.keys(mine).forEach(function (key) {
        var value = mine[key];
        if (typeof value !== "string" || value === "" || !KEY_RE.test(key)) return;
        var parts = key.split(".");
        var control = known[parts.length === 3 ? parts[0] + ".*." + parts[2] : key];
        if (!control) return;
        if (parts.length === 3) {
          var holder = control.closest(".worksheet-group");
          if (Number(parts[1]) > (Number(holder && holder.getAttribute("data-max")) || 100)) return;
        }
        if (isRadioGroup(control)) {
          var options = Array.prototype.map.call(control.querySelectorAll("input[type=radio]"), function (radio) {
            return radio.value;
          });
          if (options.indexOf(value) === -1) return;
        }
        if (value.length > 100000) return;
        accepted[key] = value;
      });
      return { answers: accepted };
    }

    function importAnswers(found) {
      var keys = Object.keys(found);
      if (storage) removeStored();
      sizeGroups(keys);
      each(controls(), function (control) {
        var key = control.getAttribute("data-field");
        setValue(control, Object.prototype.hasOwnProperty.call(found, key) ? found[key] : "");
        save(control);
        mirror(control, lang);
      });
      say(message(msg("loaded"), { n: keys.length }));
    }

    function importFile(input) {
      var file = input.files && input.files[0];
      if (!file) return;
      var limit = Number(form.getAttribute("data-max-bytes")) || 1000000;
      if (file.size > limit) {
        say(msg("too-large"));
        input.value = "";
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var data;
        try {
          data = JSON.parse(String(reader.result));
        } catch {
          say(msg("invalid"));
          input.value = "";
          return;
        }
        var result = check(data);
        if (result.error) say(msg(result.error));
        else importAnswers(result.answers);
        input.value = "";
      };
      reader.onerror = function () {
        say(msg("invalid"));
        input.value = "";
      };
      reader.readAsText(file);
    }

    var transfer = form.querySelector(".worksheet-transfer");
    if (transfer && window.Blob && window.FileReader && window.URL && URL.createObjectURL) {
      transfer.hidden = false;
      form.querySelector(".worksheet-export").addEventListener("click", function () {
        exportFile(false);
      });
      form.querySelector(".worksheet-export-all").addEventListener("click", function () {
        exportFile(true);
      });
      var input = form.querySelector(".worksheet-import");
      input.addEventListener("change", function () {
        importFile(input);
      });
    }

    // Another tab of the same worksheet changed an answer: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key !== null && event.key.indexOf(prefix) !== 0) return;
      loadAll();
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
        var form = control.closest("form");
        mirror(control, (form && form.getAttribute("data-lang")) || document.documentElement.lang);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
