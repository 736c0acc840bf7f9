import { CLIENT_DETAIL } from "./client-detail.ts";
import { CLIENT_LIST } from "./client-list.ts";
import { CLIENT_TRACE } from "./client-trace.ts";
import { CLIENT_UTIL } from "./client-util.ts";

/** Id of the <script type="application/json"> element the client reads its data from. */
export const DATA_ELEMENT_ID = "evalgate-data";

/**
 * The page's one script. Its parts share a scope (one function body), so each file stays about
 * one concern without a module loader, which a file opened from disk could not use anyway.
 */
export const CLIENT_SCRIPT = [
  "(function () {",
  '"use strict";',
  `var DATA = JSON.parse(document.getElementById(${JSON.stringify(DATA_ELEMENT_ID)}).textContent);`,
  "var META = DATA.meta, STRINGS = DATA.strings, EXAMPLES = DATA.examples;",
  CLIENT_UTIL,
  CLIENT_LIST,
  CLIENT_DETAIL,
  CLIENT_TRACE,
  "boot();",
  "})();",
].join("\n");
