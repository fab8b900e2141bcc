// Runs the site's search script (static/search.js) in Node for the Rust tests:
//   node harness.js stem SCRIPT            words (JSON array) on stdin -> stems on stdout
//   node harness.js search SITE QUERIES    queries (JSON array of [query, filters]) on stdin
//                                          -> [{slugs, scores, facets}] on stdout
//   node harness.js bytes SITE             queries (JSON array of strings) on stdin -> what
//                                          a browser loads for each as its first query
//                                          (the script, the index files, ten results)
// The chunks are loaded the way the browser loads them: as scripts calling ibSearch().
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [command, target] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(0, "utf8"));

function loader(site, loaded) {
  return (kind, n) => {
    const file = kind === "meta" || kind === "facets" || kind === "dates" ? `${kind}.js` : `${kind}/${n}.js`;
    if (loaded) loaded.push(path.join(site, "search", file));
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
        didYouMean: await engine.didYouMean(found),
        facets: Object.fromEntries((await found.counts()).map((f) => [f.key, Object.fromEntries(f.values.map((v) => [v.value, v.count]))])),
      });
    }
    process.stdout.write(JSON.stringify(out));
  } else if (command === "bytes") {
    const zlib = require("zlib");
    const api = require(path.resolve(target, "static/search.js"));
    const out = [];
    for (const query of input) {
      const loaded = [path.join(target, "static/search.js")];
      const engine = new api.Engine(loader(target, loaded));
      const found = await engine.search(query, {});
      await Promise.all(found.hits.slice(0, 10).map((h) => engine.record(h.doc)));
      let raw = 0, gzip = 0;
      for (const file of loaded) {
        const bytes = fs.readFileSync(file);
        raw += bytes.length;
        gzip += zlib.gzipSync(bytes, { level: 6 }).length;
      }
      // Then the filters with their counts, which the page shows after the results.
      await found.counts();
      let withFilters = { raw, gzip };
      for (const file of loaded.slice(loaded.length - 1)) {
        const bytes = fs.readFileSync(file);
        withFilters.raw += bytes.length;
        withFilters.gzip += zlib.gzipSync(bytes, { level: 6 }).length;
      }
      out.push({ query, files: loaded.length - 1, raw, gzip, withFilters, results: found.hits.length });
    }
    process.stdout.write(JSON.stringify(out));
  } else {
    throw new Error(`unknown command ${command}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
