/* Why this file exists: Material's navigation drawer (below 76.25em, e.g. a phone at 375 px) is built
   from checkboxes and <label>s, which a keyboard cannot reach, and its hidden parts still take focus
   (Material issue #4101, open). This script, and nothing else, makes it operable:

   - the menu button (label[for=__drawer]) and the labels that open and close the sliding panels become
     buttons: role, tabindex, a name, aria-expanded, Enter and Space;
   - while the drawer is closed it is `inert`; while it is open the rest of the page is `inert`, focus
     moves into it, Escape or the close button closes it, and focus returns to the menu button;
   - inside the drawer only the visible panel takes focus; a closed panel is `inert`;
   - nested navigation landmarks get the name of their section (Material labels them by an empty label).

   Strings (button names) come from data/strings.yml through overrides/main.html (#__site_a11y).
   It changes nothing at desktop widths, where the drawer is the always visible sidebar.
   tests/test_accessibility.py walks through it with the keyboard at 375 px. */
(function () {
  "use strict";

  var drawerMedia = matchMedia("(max-width: 76.234375em)");
  var drawerToggle = document.getElementById("__drawer");
  var sidebar = document.querySelector(".md-sidebar--primary");
  var primaryNav = sidebar && sidebar.querySelector(".md-nav--primary");
  var menuButton = document.querySelector('.md-header label[for="__drawer"]');
  if (!drawerToggle || !sidebar || !primaryNav || !menuButton) return;

  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("__site_a11y").textContent);
  } catch (e) {
    strings = {};
  }

  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select, textarea, [tabindex]:not([tabindex="-1"])';

  /* ---------------------------------------------------------------- labels as buttons */

  function toggleOf(label) {
    return document.getElementById(label.htmlFor);
  }

  function makeButton(label, name) {
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    if (name) label.setAttribute("aria-label", name);
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      // Material clicks a focused label on Enter too: stop here, so the toggle flips once.
      event.preventDefault();
      event.stopPropagation();
      label.click();
    });
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // The menu button in the header.
  makeButton(menuButton, strings.menu || primaryNav.getAttribute("aria-label"));
  sidebar.id = sidebar.id || "__site_drawer";
  menuButton.setAttribute("aria-controls", sidebar.id);

  // The labels that open a sliding panel (sections, the page's table of contents) and the panel titles
  // that close it again. The drawer's own title label holds the logo link: it stays a label.
  var panelLabels = [];
  primaryNav.querySelectorAll("label[for]").forEach(function (label) {
    var toggle = toggleOf(label);
    if (!toggle || toggle === drawerToggle || !toggle.classList.contains("md-nav__toggle")) return;
    var panel = toggle.parentElement.querySelector(":scope > nav.md-nav");
    if (!panel) return;
    var title = panel.querySelector(":scope > .md-nav__title");
    // Section name: the panel's title; an arrow-only label gets it as its name.
    var name = text(label) ? null : text(title);
    makeButton(label, name);
    panelLabels.push(label);
  });

  // Nested navigation landmarks are labelled by the arrow label (no text) or by a missing element.
  primaryNav.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
    var by = document.getElementById(nav.getAttribute("aria-labelledby"));
    if (!by || (!text(by) && !by.getAttribute("aria-label"))) {
      nav.removeAttribute("aria-labelledby");
      nav.setAttribute("aria-label", text(nav.querySelector(":scope > .md-nav__title")));
    }
    // aria-expanded is not allowed on a navigation landmark; the buttons carry it.
    nav.removeAttribute("aria-expanded");
  });

  // The close button of the drawer, first in it: above every sliding panel.
  var closeButton = document.createElement("button");
  closeButton.type = "button";
  closeButton.className = "site-drawer-close";
  closeButton.setAttribute("aria-label", strings.close || "×");
  closeButton.innerHTML =
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/>' +
    "</svg>";
  closeButton.addEventListener("click", function () {
    setDrawer(false);
  });
  var inner = sidebar.querySelector(".md-sidebar__inner") || sidebar;
  inner.insertBefore(closeButton, inner.firstChild);

  /* ---------------------------------------------------------------- inert bookkeeping */

  var pageInert = []; // elements made inert while the drawer is open
  var panelInert = []; // parts of the drawer made inert because a panel covers them or is closed

  function setInert(list, element) {
    if (!element.inert) {
      element.inert = true;
      list.push(element);
    }
  }

  function clearInert(list) {
    while (list.length) list.pop().inert = false;
  }

  // Everything but `keep` and its ancestors, up to `root`.
  function inertAround(list, keep, root) {
    for (var node = keep; node && node !== root; node = node.parentElement) {
      var parent = node.parentElement;
      if (!parent) break;
      for (var sibling = parent.firstElementChild; sibling; sibling = sibling.nextElementSibling) {
        if (sibling !== node && sibling.tagName !== "SCRIPT" && sibling.tagName !== "INPUT") {
          setInert(list, sibling);
        }
      }
    }
  }

  function isOpen(panel) {
    var toggle = panel.parentElement.querySelector(":scope > .md-nav__toggle");
    return !toggle || toggle.checked;
  }

  // The sliding panel on top: follow the open panels down from the drawer's first level.
  function visiblePanel() {
    var current = primaryNav;
    for (;;) {
      var open = Array.prototype.filter.call(
        current.querySelectorAll(":scope > .md-nav__list > .md-nav__item > nav.md-nav"),
        isOpen
      );
      if (!open.length) return current;
      current = open[open.length - 1];
    }
  }

  function isDrawerMode() {
    return drawerMedia.matches;
  }

  function update() {
    panelLabels.forEach(function (label) {
      label.setAttribute("aria-expanded", String(toggleOf(label).checked));
    });
    clearInert(panelInert);
    clearInert(pageInert);
    if (!isDrawerMode()) {
      sidebar.inert = false;
      menuButton.removeAttribute("aria-expanded");
      return;
    }
    var open = drawerToggle.checked;
    menuButton.setAttribute("aria-expanded", String(open));
    sidebar.inert = !open;
    if (open) inertAround(pageInert, sidebar, document.body);
    var panel = visiblePanel();
    inertAround(panelInert, panel, primaryNav.parentElement);
    panel.querySelectorAll("nav.md-nav").forEach(function (nested) {
      if (!isOpen(nested)) setInert(panelInert, nested);
    });
    closeButton.inert = false;
  }

  function firstFocusable(root) {
    var all = root.querySelectorAll(FOCUSABLE);
    for (var i = 0; i < all.length; i++) {
      if (!all[i].closest("[inert]") && all[i].getClientRects().length) return all[i];
    }
    return null;
  }

  function setDrawer(open) {
    if (drawerToggle.checked !== open) drawerToggle.click();
  }

  /* ---------------------------------------------------------------- events */

  drawerToggle.addEventListener("change", function () {
    var hadFocus = sidebar.contains(document.activeElement) || document.activeElement === document.body;
    update();
    if (!isDrawerMode()) return;
    if (drawerToggle.checked) {
      var target = firstFocusable(visiblePanel()) || closeButton;
      target.focus();
    } else if (hadFocus) {
      menuButton.focus();
    }
  });

  // A panel opened or closed: focus follows into the panel, or back to the label that opened it.
  primaryNav.addEventListener("change", function (event) {
    var toggle = event.target;
    if (!toggle.classList || !toggle.classList.contains("md-nav__toggle")) return;
    update();
    if (!isDrawerMode() || !drawerToggle.checked) return;
    var panel = toggle.parentElement.querySelector(":scope > nav.md-nav");
    if (toggle.checked && panel) {
      var target = firstFocusable(panel);
      if (target) target.focus();
    } else {
      var opener = panelLabels.filter(function (label) {
        return label.htmlFor === toggle.id && !label.classList.contains("md-nav__title");
      })[0];
      if (opener && !opener.closest("[inert]")) opener.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isDrawerMode() && drawerToggle.checked) {
      event.preventDefault();
      setDrawer(false);
      menuButton.focus();
    }
  });

  if (drawerMedia.addEventListener) {
    drawerMedia.addEventListener("change", update);
  } else {
    drawerMedia.addListener(update);
  }

  update();
})();
