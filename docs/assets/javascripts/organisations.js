/* Live filtering of the organisation list (get-involved/organisations/, cards from hooks/organisations.py).
   Without JavaScript every card is visible and the form stays hidden: a GET form cannot filter a static
   page. With it, the form appears; each change applies the choices, announces the count in the form's
   polite live region and keeps the choice in the URL (?want=&who=&lang=&region=&open=yes), so a filtered
   list can be bookmarked or shared. No inline scripts, no eval (strict CSP).

   A filter never hides a possible match. For each chosen criterion a card is a match, "not stated" (the
   sources do not say: languages/region/open_to_all "unknown", mentor_groups left out) or no match:
   - want: the card offers it, or offers both;
   - who: the group is among the card's mentees (want=find-mentor), its mentors (want=become-mentor) or
     either (no want); "anyone" on a card matches every group; mentors not stated -> not stated;
   - lang: the card lists that mentoring language;
   - region: the card's places (with the places around or inside them, from the hook) include it; a card
     for the whole country or online matches every place; "national" finds only those;
   - open: the card says open_to_all yes.
   A card with a "no" is hidden. A card with a "not stated" stays visible after the matches of its section,
   with a note naming what is not stated; the live region tells both numbers.
   tests/test_organisations.py checks the same rules. */
(function () {
  "use strict";
  var form = document.querySelector("form.org-filter");
  if (!form) {
    return;
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.org-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".org-group"));
  var status = form.querySelector(".org-filter__status");
  var names = ["want", "who", "lang", "region", "open"];
  var unstatedOrder = ["who", "lang", "region", "open"];

  function words(card, name) {
    var value = card.getAttribute("data-" + name) || "";
    return value ? value.split(" ") : [];
  }

  function has(list, group) {
    return list.indexOf(group) !== -1 || list.indexOf("anyone") !== -1;
  }

  // "yes" | "unknown" | "no" for one criterion
  var rules = {
    want: function (card, value) {
      var offers = card.getAttribute("data-offers");
      return offers === "both" || offers === value ? "yes" : "no";
    },
    who: function (card, value, choice) {
      var mentees = words(card, "mentees");
      var mentors = words(card, "mentors");
      var mentorsUnknown = mentors.length === 1 && mentors[0] === "unknown";
      if (choice.want === "find-mentor") {
        return has(mentees, value) ? "yes" : "no";
      }
      if (choice.want === "become-mentor") {
        return mentorsUnknown ? "unknown" : (has(mentors, value) ? "yes" : "no");
      }
      if (has(mentees, value) || (!mentorsUnknown && has(mentors, value))) {
        return "yes";
      }
      return mentorsUnknown ? "unknown" : "no";
    },
    lang: function (card, value) {
      var languages = words(card, "languages");
      if (languages.length === 1 && languages[0] === "unknown") {
        return "unknown";
      }
      return languages.indexOf(value) !== -1 ? "yes" : "no";
    },
    region: function (card, value) {
      var places = words(card, "places");
      if (places.length === 1 && places[0] === "unknown") {
        return "unknown";
      }
      if (places.indexOf("national") !== -1) {
        return "yes";
      }
      return places.indexOf(value) !== -1 ? "yes" : "no";
    },
    open: function (card) {
      var open = card.getAttribute("data-open");
      return open === "yes" ? "yes" : (open === "unknown" ? "unknown" : "no");
    }
  };

  // {state: "match" | "unstated" | "none", unstated: [criteria not stated]}
  function judge(card, choice) {
    var unstated = [];
    for (var i = 0; i < names.length; i += 1) {
      var name = names[i];
      if (!choice[name]) {
        continue;
      }
      var result = rules[name](card, choice[name], choice);
      if (result === "no") {
        return { state: "none", unstated: [] };
      }
      if (result === "unknown") {
        unstated.push(name);
      }
    }
    return { state: unstated.length ? "unstated" : "match", unstated: unstated };
  }

  function current() {
    var choice = {};
    names.forEach(function (name) {
      var field = form.elements[name];
      if (!field) {
        choice[name] = "";
      } else if (field.type === "checkbox") {
        choice[name] = field.checked ? field.value : "";
      } else {
        choice[name] = field.value;
      }
    });
    return choice;
  }

  function whatText(list) {
    return list.map(function (name) {
      return form.getAttribute("data-what-" + name);
    }).join(", ");
  }

  function apply() {
    var choice = current();
    var matches = 0;
    var unstatedCount = 0;
    var unstatedNames = {};
    var later = [];
    cards.forEach(function (card) {
      var verdict = judge(card, choice);
      var note = card.querySelector(".org-card__unstated");
      card.hidden = verdict.state === "none";
      card.classList.toggle("org-card--unstated", verdict.state === "unstated");
      if (verdict.state === "match") {
        matches += 1;
      } else if (verdict.state === "unstated") {
        unstatedCount += 1;
        later.push(card);
        verdict.unstated.forEach(function (name) {
          unstatedNames[name] = true;
        });
      }
      if (note) {
        note.hidden = verdict.state !== "unstated";
        note.textContent = verdict.state === "unstated"
          ? form.getAttribute("data-unstated-card").replace("{what}", whatText(verdict.unstated))
          : "";
      }
    });
    // Matches first, then the "not stated" cards, each in the original order: the DOM order is the
    // reading and tabbing order, so the cards are moved, not only drawn elsewhere.
    cards.forEach(function (card) {
      if (later.indexOf(card) === -1) {
        card.parentNode.appendChild(card);
      }
    });
    later.forEach(function (card) {
      card.parentNode.appendChild(card);
    });
    groups.forEach(function (group) {
      var empty = !group.querySelector("article.org-card:not([hidden])");
      group.hidden = empty;
      var heading = document.getElementById(group.getAttribute("data-heading"));
      if (heading) {
        heading.hidden = empty;
      }
    });
    var text;
    if (unstatedCount > 0) {
      text = form.getAttribute("data-status-unstated")
        .replace("{matches}", matches)
        .replace("{total}", cards.length)
        .replace("{unstated}", unstatedCount)
        .replace("{what}", whatText(unstatedOrder.filter(function (name) { return unstatedNames[name]; })));
    } else if (matches === 0) {
      text = form.getAttribute("data-none");
    } else {
      text = form.getAttribute("data-status").replace("{shown}", matches).replace("{total}", cards.length);
    }
    status.textContent = text;
    return choice;
  }

  function remember(choice) {
    if (!window.history || !window.history.replaceState) {
      return;
    }
    var url = new URL(window.location.href);
    names.forEach(function (name) {
      if (choice[name]) {
        url.searchParams.set(name, choice[name]);
      } else {
        url.searchParams.delete(name);
      }
    });
    window.history.replaceState(window.history.state, "", url.toString());
  }

  // Choices from the address (a bookmarked or shared filter); unknown values are ignored.
  var params = new URLSearchParams(window.location.search);
  names.forEach(function (name) {
    var field = form.elements[name];
    var value = params.get(name);
    if (!field || !value) {
      return;
    }
    if (field.type === "checkbox") {
      field.checked = value === field.value;
    } else if (Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
      field.value = value;
    }
  });

  form.hidden = false;
  apply();

  form.addEventListener("change", function () {
    remember(apply());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember(apply());
  });
  form.addEventListener("reset", function () {
    // the reset event fires before the fields are reset
    window.setTimeout(function () {
      remember(apply());
    }, 0);
  });
})();
