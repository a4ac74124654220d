// ESLint over the site's own JavaScript (pinned in package.json; run by `make lint`, `make test`, `make test-fast`).
// The scripts are classic scripts, loaded as they are (no modules, no build step); workers/search-lang.js runs as
// a Web Worker. The syntax is ES2020 at most (the newest feature used is the optional catch binding of ES2019),
// which every browser the site supports runs as it is.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

const OURS = "docs/assets/javascripts/**/*.js";
const WORKERS = "docs/assets/javascripts/workers/**/*.js";

module.exports = [
  {
    files: [OURS],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2020, sourceType: "script" },
  },
  { files: [OURS], ignores: [WORKERS], languageOptions: { globals: globals.browser } },
  { files: [WORKERS], languageOptions: { globals: globals.worker } },
];
