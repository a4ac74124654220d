/* The step-by-step navigation of the mentoring (overrides/partials/step-nav.html; the GOV.UK "step by step"
   pattern). Without this script every step is open: headings and links. With it:

   - each step's title becomes a <button> inside its heading, with aria-expanded and aria-controls, and a
     visible "show"/"hide" word; the step's panel is `hidden` while it is closed;
   - the step that holds the current page starts open, the others closed;
   - one "show all steps" / "hide all steps" button before the steps opens or closes all of them; its
     aria-expanded says whether all are open.

   The texts come from the nav's data-* attributes (data/strings.yml); no inline script or style (the
   site's Content-Security-Policy). tests/test_reader_features.py drives it with and without JavaScript. */
(function () {
  "use strict";

  function setup(nav) {
    var words = nav.dataset;
    var toggles = [];

    function set(toggle, open) {
      toggle.button.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.panel.hidden = !open;
      toggle.state.textContent = open ? words.hide : words.show;
    }

    function showAllState(all) {
      var open = toggles.every(function (toggle) {
        return !toggle.panel.hidden;
      });
      all.setAttribute("aria-expanded", open ? "true" : "false");
      all.textContent = open ? words.hideAll : words.showAll;
    }

    var all = document.createElement("button");
    all.type = "button";
    all.className = "step-nav__all";

    nav.querySelectorAll(".step-nav__step").forEach(function (step) {
      var heading = step.querySelector(".step-nav__heading");
      var panel = step.querySelector(".step-nav__panel");
      if (!heading || !panel) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "step-nav__toggle";
      button.setAttribute("aria-controls", panel.id);
      // The number (for screen readers) and the title move into the button; the drawn circle stays out.
      Array.prototype.slice.call(heading.childNodes).forEach(function (node) {
        if (!(node.classList && node.classList.contains("step-nav__circle"))) button.appendChild(node);
      });
      var pause = document.createElement("span");
      pause.className = "step-nav__sr";
      pause.textContent = ", ";
      var state = document.createElement("span");
      state.className = "step-nav__state";
      button.appendChild(pause);
      button.appendChild(state);
      heading.appendChild(button);
      var toggle = { button: button, panel: panel, state: state };
      toggles.push(toggle);
      set(toggle, step.classList.contains("step-nav__step--active"));
      button.addEventListener("click", function () {
        set(toggle, button.getAttribute("aria-expanded") !== "true");
        showAllState(all);
      });
    });
    if (!toggles.length) return;

    all.setAttribute(
      "aria-controls",
      toggles
        .map(function (toggle) {
          return toggle.panel.id;
        })
        .join(" ")
    );
    all.addEventListener("click", function () {
      var open = all.getAttribute("aria-expanded") !== "true";
      toggles.forEach(function (toggle) {
        set(toggle, open);
      });
      showAllState(all);
    });
    var controls = document.createElement("div");
    controls.className = "step-nav__controls";
    controls.appendChild(all);
    var list = nav.querySelector(".step-nav__steps");
    list.parentNode.insertBefore(controls, list);
    showAllState(all);
    nav.classList.add("step-nav--js");
  }

  document.querySelectorAll("nav.step-nav").forEach(setup);
})();
