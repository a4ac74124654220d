/* Live filtering of the organisation list (get-involved/organisations/, cards from hooks/organisations.py).
   Without JavaScript every card is visible and the form stays hidden: a GET form cannot filter a static
   page. With it, the form appears; each change hides the cards that do not match, hides empty category
   sections, announces "Showing N of M" in the form's polite live region and keeps the choice in the URL
   (?want=&who=&lang=), so a filtered list can be bookmarked or shared. No inline scripts (strict CSP).

   Matching (tests/test_organisations.py checks the same rules):
   - want: the card offers it, or offers both;
   - who: the group is among the card's mentees (want=find-mentor), its mentors (want=become-mentor) or
     either (no want); "anyone" on a card matches every group;
   - lang: the card lists that mentoring language (cards whose language is not stated do not match). */
(function () {
  "use strict";
  var form = document.querySelector("form.org-filter");
  if (!form) {
    return;
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.org-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".org-group"));
  var status = form.querySelector(".org-filter__status");
  var names = ["want", "who", "lang"];

  function words(card, name) {
    var value = card.getAttribute("data-" + name) || "";
    return value ? value.split(" ") : [];
  }

  function includes(list, group) {
    return list.indexOf(group) !== -1 || list.indexOf("anyone") !== -1;
  }

  function matches(card, choice) {
    var offers = card.getAttribute("data-offers");
    if (choice.want && offers !== "both" && offers !== choice.want) {
      return false;
    }
    if (choice.who) {
      var mentees = words(card, "mentees");
      var mentors = words(card, "mentors");
      var ok;
      if (choice.want === "find-mentor") {
        ok = includes(mentees, choice.who);
      } else if (choice.want === "become-mentor") {
        ok = includes(mentors, choice.who);
      } else {
        ok = includes(mentees, choice.who) || includes(mentors, choice.who);
      }
      if (!ok) {
        return false;
      }
    }
    return !choice.lang || words(card, "languages").indexOf(choice.lang) !== -1;
  }

  function current() {
    var choice = {};
    names.forEach(function (name) {
      choice[name] = form.elements[name] ? form.elements[name].value : "";
    });
    return choice;
  }

  function apply() {
    var choice = current();
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card, choice);
      card.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    groups.forEach(function (group) {
      var empty = !group.querySelector("article.org-card:not([hidden])");
      group.hidden = empty;
      var heading = document.getElementById(group.getAttribute("data-heading"));
      if (heading) {
        heading.hidden = empty;
      }
    });
    var text = shown === 0
      ? form.getAttribute("data-none")
      : form.getAttribute("data-status").replace("{shown}", shown).replace("{total}", cards.length);
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
    var select = form.elements[name];
    var value = params.get(name);
    if (select && value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
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
