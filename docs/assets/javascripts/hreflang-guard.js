/* Why this file exists: Material's bundle fetches "sitemap.xml" relative to every
   <link rel="alternate"> in <head> (the hreflang alternates, and the Atom feed: /sv/feed.xml would ask for
   /sv/sitemap.xml) when the page has loaded (for instant navigation, which this site does not use). Our
   alternates are absolute per-page URLs (hooks/translations.py), so that would request /sv/<page>/sitemap.xml,
   which does not exist, or another origin in a self-hosted copy.
   This script runs after the bundle and before DOMContentLoaded: it hides the links from Material's
   DOMContentLoaded handler and restores them right after it, so crawlers and tools see them unchanged.
   tests/test_browser.py fails if any request of a page fails, which catches a Material change here. */
(function () {
  "use strict";
  // every alternate: the translations and the Atom feed (tyouramentorointi/build/history.py) alike
  var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"]'));
  links.forEach(function (link) { link.setAttribute("rel", "x-alternate"); });
  document.addEventListener("DOMContentLoaded", function () {
    links.forEach(function (link) { link.setAttribute("rel", "alternate"); });
  }, { once: true });
})();
