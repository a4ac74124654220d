/* Search: tells this language's search worker (workers/search-lang.js) to load its index when the reader
   opens search, so that the index is not downloaded with every page. hooks/search.py writes the index URL
   into the search dialog (`data-site-search-index`); the worker listens on a BroadcastChannel named after
   the same absolute URL. Without this script the index loads at the first keystroke instead. */
(() => {
  "use strict";
  const dialog = document.querySelector(".md-search[data-site-search-index]");
  if (!dialog || typeof BroadcastChannel !== "function") return;
  const channel = new BroadcastChannel(new URL(dialog.getAttribute("data-site-search-index"), location.href).href);
  const toggle = document.getElementById("__search");
  const isQuery = (el) => el instanceof Element && el.matches("[data-md-component='search-query']");
  const open = () => channel.postMessage("open");

  document.addEventListener("focusin", (ev) => {
    if (isQuery(ev.target)) open();
  });
  if (toggle) toggle.addEventListener("change", () => toggle.checked && open());
  // The worker says hello when it starts: answer if search is already open (a ?q= link, a fast reader)
  channel.addEventListener("message", (ev) => {
    if (ev.data === "hello" && ((toggle && toggle.checked) || isQuery(document.activeElement))) open();
  });
})();
