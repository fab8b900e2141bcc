// Runs the site's search script (static/search.js) in Node for the Rust tests:
//   node harness.js stem SCRIPT            words (JSON array) on stdin -> stems on stdout
//   node harness.js search SITE QUERIES    queries (JSON array of [query, filters]) on stdin
//                                          -> [{slugs, scores, facets}] on stdout
// The chunks are loaded the way the browser loads them: as scripts calling ibSearch().
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [command, target] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(0, "utf8"));

function loader(site) {
  return (kind, n) => {
    const file = kind === "meta" || kind === "facets" ? `${kind}.js` : `${kind}/${n}.js`;
    let data;
    vm.runInNewContext(fs.readFileSync(path.join(site, "search", file), "utf8"), {
      ibSearch: (k, i, d) => { data = d; },
    });
    return Promise.resolve(data);
  };
}

(async () => {
  if (command === "stem") {
    const api = require(path.resolve(target));
    process.stdout.write(JSON.stringify(input.map(api.stem)));
  } else if (command === "search") {
    const api = require(path.resolve(target, "static/search.js"));
    const engine = new api.Engine(loader(target));
    const out = [];
    for (const [query, filters] of input) {
      const found = await engine.search(query, filters || {});
      const records = await Promise.all(found.hits.map((h) => engine.record(h.doc)));
      out.push({
        slugs: records.map((r) => r.slug),
        scores: found.hits.map((h) => h.score),
        facets: Object.fromEntries(found.facets.map((f) => [f.key, Object.fromEntries(f.values.map((v) => [v.value, v.count]))])),
      });
    }
    process.stdout.write(JSON.stringify(out));
  } else {
    throw new Error(`unknown command ${command}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
