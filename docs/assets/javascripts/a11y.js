/* Why this file exists: Material's navigation drawer (below 76.25em, e.g. a phone at 375 px) is built
   from checkboxes and <label>s, which a keyboard cannot reach, and its hidden parts still take focus
   (Material issue #4101, open). This script makes it operable:

   - the menu button (label[for=__drawer]) and the labels that open and close the sliding panels become
     real <button>s with a name and aria-expanded;
   - while the drawer is closed it is `inert`; while it is open the rest of the page is `inert`, focus
     moves into it, Escape or its close button closes it, and focus returns to the menu button;
   - inside the drawer only the visible panel takes focus; a closed or covered panel is `inert`;
   - nested navigation landmarks get the name of their section (Material labels them by an empty label).

   One more Material/pymdownx gap: the checkbox of a task list item (`- [ ] ...`) sits in an empty
   <label>, so it has no name (axe "label"); it gets its item's text.

   Strings (button names) come from data/strings.yml through overrides/main.html (#__site_a11y).
   Nothing changes at desktop widths, where the drawer is the always visible sidebar.
   tests/test_accessibility.py walks through it with the keyboard at 375 px. */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* ---------------------------------------------------------------- task list checkboxes */

  document.querySelectorAll(".task-list-item > .task-list-control > input[type=checkbox]").forEach(function (box) {
    if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
    if (box.labels && box.labels.length && text(box.labels[0])) return;
    var item = box.closest(".task-list-item").cloneNode(true);
    item.querySelectorAll("ul, ol, .task-list-control").forEach(function (nested) {
      nested.remove();
    });
    var name = text(item);
    if (name) box.setAttribute("aria-label", name);
  });

  /* ---------------------------------------------------------------- the drawer */

  var drawerMedia = matchMedia("(max-width: 76.234375em)");
  var drawerToggle = document.getElementById("__drawer");
  var sidebar = document.querySelector(".md-sidebar--primary");
  var primaryNav = sidebar && sidebar.querySelector(".md-nav--primary");
  var menuButton = document.querySelector('.md-header label[for="__drawer"]');
  if (!drawerToggle || !sidebar || !primaryNav || !menuButton) return;

  var strings;
  try {
    strings = JSON.parse(document.getElementById("__site_a11y").textContent);
  } catch {
    strings = {};
  }

  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select, textarea, [tabindex]:not([tabindex="-1"])';

  /* ---------------------------------------------------------------- labels become buttons */

  function toggleOf(control) {
    return document.getElementById(control.getAttribute("for"));
  }

  // A <label> cannot take a button role (ARIA in HTML), so each one is replaced by a <button> with the
  // same attributes and children: Material's CSS selects them by class and [for], which still match.
  // The button flips the checkbox that the label was for; Enter and Space are the browser's own.
  function toButton(label, name) {
    var button = document.createElement("button");
    button.type = "button";
    Array.prototype.forEach.call(label.attributes, function (attr) {
      if (attr.name !== "tabindex") button.setAttribute(attr.name, attr.value);
    });
    button.classList.add("site-toggle-button");
    while (label.firstChild) button.appendChild(label.firstChild);
    if (name) button.setAttribute("aria-label", name);
    button.addEventListener("click", function () {
      toggleOf(button).click();
    });
    label.replaceWith(button);
    return button;
  }

  // The menu button in the header.
  menuButton = toButton(menuButton, strings.menu || primaryNav.getAttribute("aria-label"));
  sidebar.id = sidebar.id || "__site_drawer";
  menuButton.setAttribute("aria-controls", sidebar.id);

  // The labels that open a sliding panel (sections, the page's table of contents) and the panel titles
  // that close it again. The drawer's own title label holds the logo link: it stays a label.
  var panelButtons = [];
  primaryNav.querySelectorAll("label[for]").forEach(function (label) {
    var toggle = toggleOf(label);
    if (!toggle || toggle === drawerToggle || !toggle.classList.contains("md-nav__toggle")) return;
    var panel = toggle.parentElement.querySelector(":scope > nav.md-nav");
    if (!panel) return;
    // An arrow-only label gets the section's name, from the panel's title.
    var name = text(label) ? null : text(panel.querySelector(":scope > .md-nav__title"));
    var button = toButton(label, name);
    if (panel.id === "") panel.id = toggle.id + "_panel";
    button.setAttribute("aria-controls", panel.id);
    panelButtons.push(button);
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
    panelButtons.forEach(function (label) {
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
      var opener = panelButtons.filter(function (label) {
        return label.getAttribute("for") === toggle.id && !label.classList.contains("md-nav__title");
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
