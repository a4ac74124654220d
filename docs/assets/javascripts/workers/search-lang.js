/* Search worker for one language: wraps Material for MkDocs' own search worker (not a fork of it).

   Material's bundle creates this worker from `__config.search` (hooks/search.py points it here) and sends it
   the stub `search/search_index.json` at page load. This worker answers at once and loads nothing else until
   the reader opens search (assets/javascripts/search.js posts "open" on a BroadcastChannel named after the
   absolute URL of this language's index) or types a query. Then it fetches this language's index, imports
   Material's worker next to this file and hands it the index; Material's worker loads lunr's stemmer for the
   language and stems the index with it. Every query word is stemmed here with the same lunr function before
   Material adds its `*` (which makes lunr skip its query pipeline), then backed off a little further (see
   BACK_OFF): the query term only gets shorter, and it is a prefix, so recall only grows.

   URL parameters (hooks/search.py writes them): lang, worker (Material's worker file, in this folder),
   index (this language's index, relative to this file). Material's private parts used here are numbered in
   hooks/search.py (4 and 5); tests/test_search.py checks them. No eval, no inline code: works under a CSP
   with `script-src 'self'` (plus worker-src/connect-src 'self'). */
"use strict";

(() => {
  /* Material's SearchMessageType (private part 4) */
  const SETUP = 0;
  const READY = 1;
  const QUERY = 2;
  const RESULT = 3;

  const here = new URL(self.location.href);
  const lang = here.searchParams.get("lang") || "en";
  const materialWorker = new URL(here.searchParams.get("worker") || "", here).href;
  const indexUrl = new URL(here.searchParams.get("index") || "", here).href;

  /* Query-side back-off after lunr's stemmer; `stem` re-runs lunr's stemmer on a word. */
  const BACK_OFF = {
    // Consonant gradation: mentorointi -> mentoroint but mentoroinnin -> mentoroin; tapaaminen -> tapaamin but
    // tapaamisen -> tapaamis. Back off to the last vowel: mentoroi, tapaami (at least 4 letters).
    fi: (word, stem) => {
      const backed = stem.replace(/[^aeiouyäö]+$/, "");
      return backed.length >= 4 ? backed : stem;
    },
    // lunr's Swedish Snowball is older than Snowball's "-et" rule (mentorskapet, avtalet) and keeps the
    // definite "-n" of -or/-ar/-er nouns (mentorn): strip them and stem again.
    sv: (word, stem, again) => {
      if (stem.length >= 6 && stem.endsWith("et")) return again(stem.slice(0, -2));
      if (stem.length >= 5 && /[aeo]rn$/.test(stem)) return again(stem.slice(0, -1));
      return stem;
    },
  };

  const post = self.postMessage.bind(self);
  let readySent = false;
  let materialReady = null;
  /* Material's worker answers our SETUP with READY too: the page has had its one READY already. */
  self.postMessage = (message, ...rest) => {
    if (message && message.type === READY) {
      if (materialReady) materialReady();
      if (readySent) return;
      readySent = true;
    }
    post(message, ...rest);
  };

  let options = { suggest: false };
  let material = null; // Material's message listener
  let words = null; // query word transformer, once the index is set up
  let failed = null;
  let loading = null;
  let pending = null;

  function importMaterial() {
    // Keep Material's message listener instead of letting it listen (private part 5)
    self.addEventListener = (type, listener, opts) => {
      if (type === "message") material = listener;
      else EventTarget.prototype.addEventListener.call(self, type, listener, opts);
    };
    try {
      importScripts(materialWorker);
    } finally {
      delete self.addEventListener;
    }
    if (typeof material !== "function" || typeof self.lunr !== "function")
      throw new Error(`${materialWorker} registered no message listener or no lunr: see hooks/search.py`);
  }

  function makeWords(lunr, config) {
    const ns = lang === "en" ? lunr : lunr[lang];
    if (!ns || typeof ns.stemmer !== "function") throw new Error(`lunr has no stemmer for "${lang}"`);
    const run = (word) => {
      const token = ns.stemmer(new lunr.Token(word, {}));
      return token ? token.toString() : word;
    };
    const isStopWord = (word) =>
      typeof ns.stopWordFilter === "function" && !ns.stopWordFilter(new lunr.Token(word, {}));
    const backOff = BACK_OFF[lang] || ((word, stem) => stem);
    const separator = new RegExp(config.separator, "g");
    const stemWord = (word) => {
      const lower = word.toLowerCase();
      return backOff(lower, run(lower), run);
    };
    /* One whitespace-separated term; `last` = the word still being typed (never dropped as a stop word) */
    const term = (value, last) => {
      // +required, -prohibited, fuzzy~ and boosted^ terms are not given `*`: lunr stems them itself
      if (/^[+-]/.test(value) || /[~^]\d*$/.test(value)) return value;
      const field = /^(title|text|tags|keywords|parts):/.exec(value);
      const rest = field ? value.slice(field[0].length) : value;
      const pieces = [];
      let cursor = 0;
      for (const match of rest.matchAll(separator)) {
        if (match.index > cursor) pieces.push(rest.slice(cursor, match.index));
        cursor = match.index + match[0].length;
        if (match[0].length === 0) break;
      }
      if (cursor < rest.length) pieces.push(rest.slice(cursor));
      const kept = pieces.filter((p, i) => (last && i === pieces.length - 1) || !isStopWord(p.toLowerCase()));
      if (!kept.length) return "";
      return (field ? field[0] : "") + kept.map(stemWord).join(" ");
    };
    return (query) => {
      // Quoted phrases become required terms in Material: leave them to lunr's own pipeline
      const parts = String(query).split(/("[^"]*"?)/);
      const typingLast = !/\s$/.test(query);
      const out = parts.map((part, p) => {
        if (p % 2) return part;
        const terms = part.split(/(\s+)/);
        return terms
          .map((value, t) => {
            if (!value || /^\s+$/.test(value)) return value;
            const last = typingLast && p === parts.length - 1 && t === terms.length - 1;
            return term(value, last);
          })
          .join("");
      });
      const result = out.join("").replace(/\s+/g, " ").trim();
      return result || String(query);
    };
  }

  async function setUp() {
    const response = await fetch(indexUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
    const index = await response.json();
    if (!index || !index.config || String(index.config.lang) !== lang || !Array.isArray(index.docs))
      throw new Error(`${indexUrl} is not the "${lang}" search index`);
    importMaterial();
    const ready = new Promise((resolve) => (materialReady = resolve));
    await material(new MessageEvent("message", {
      data: { type: SETUP, data: { config: index.config, docs: index.docs, options } },
    }));
    await ready;
    materialReady = null;
    return makeWords(self.lunr, index.config);
  }

  /* Queries are coalesced: a query that arrives while an earlier one is still being searched replaces the
     ones waiting behind it, so that the results of the last keystroke are not queued behind stale ones. */
  let latest = null;
  let scheduled = false;
  function forward(query) {
    latest = query;
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      const value = latest;
      latest = null;
      if (failed) post({ type: RESULT, data: { items: [] } });
      else material(new MessageEvent("message", { data: { type: QUERY, data: words(value) } }));
    }, 0);
  }

  function load() {
    if (!loading)
      loading = setUp().then(
        (fn) => {
          words = fn;
        },
        (error) => {
          failed = error;
          console.error(`search-lang.js: ${error && error.message ? error.message : error}`);
        },
      ).then(() => {
        const query = pending;
        pending = null;
        if (query !== null) forward(query);
      });
    return loading;
  }

  addEventListener("message", (ev) => {
    const message = ev.data;
    switch (message && message.type) {
      case SETUP:
        // The stub index at page load: nothing to search yet. Keep Material's options (search.suggest).
        if (message.data && message.data.options) options = message.data.options;
        self.postMessage({ type: READY });
        break;
      case QUERY:
        if (words || failed) {
          forward(message.data);
        } else if (!String(message.data).trim()) {
          post({ type: RESULT, data: { items: [] } });
        } else {
          pending = message.data;
          load();
        }
        break;
      default:
        throw new TypeError(
          `search-lang.js: unknown message type ${message && message.type}: Material's worker protocol ` +
            "changed (see hooks/search.py, private part 4)",
        );
    }
  });

  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(indexUrl);
    channel.onmessage = (ev) => {
      if (ev.data === "open") load();
    };
    channel.postMessage("hello"); // a page whose search is already open answers "open"
  }
})();
