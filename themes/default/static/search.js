/* incidentbook search: the site's search box, with no server.
 *
 * Loads the static index that `incidentbook build` writes under search/ (see
 * src/search/export.rs), piece by piece and only once the search box is used. Every
 * piece is a script calling ibSearch(kind, n, data), so search works from file:// too.
 * The analysis (tokens, stop words, Snowball English stemming) and the ranking mirror
 * src/search/analysis.rs and SearchIndex::search: tests hold them together.
 * No dependencies. Runs in browsers and, for the tests, in Node. */
(function (global) {
  "use strict";

  /* ---------- Analysis: text -> terms ---------- */

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  function utf8Length(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  /* Tokens of `text`: {term, typed, start, end, position}; stop words and over-long
   * tokens dropped, their positions (one per word) left out. */
  function tokens(text, meta) {
    var out = [];
    var stop = meta.stopSet;
    WORD.lastIndex = 0;
    var m, position = -1;
    while ((m = WORD.exec(text)) !== null) {
      position++;
      if (utf8Length(m[0]) >= meta.maxTokenBytes) continue;
      var lower = m[0].toLowerCase();
      if (stop.has(lower)) continue;
      out.push({ term: stem(lower), typed: Array.from(m[0]).length, start: m.index, end: m.index + m[0].length, position: position });
    }
    return out;
  }

  /* Snowball English (Porter2), as the Rust side's stemmer. */
  var EXCEPTIONS = {
    skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
    only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var REGION_PREFIXES = ["gener", "commun", "arsen", "emerg", "inter", "later", "organ", "past", "univers"];

  function isVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function endsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  /* A short syllable ending at `end` (exclusive). */
  function shortSyllable(w, end) {
    if (end >= 3 && !isVowel(w[end - 1]) && "wxY".indexOf(w[end - 1]) < 0 && isVowel(w[end - 2]) && !isVowel(w[end - 3])) return true;
    if (end === 2 && !isVowel(w[1]) && isVowel(w[0])) return true;
    return endsWith(w.slice(0, end), "past");
  }
  /* The longest of `suffixes` that `w` ends with, or "". */
  function longest(w, suffixes) {
    var best = "";
    for (var i = 0; i < suffixes.length; i++) {
      if (suffixes[i].length > best.length && endsWith(w, suffixes[i])) best = suffixes[i];
    }
    return best;
  }

  var STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize",
    ization: "ize", ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al",
    alli: "al", fulness: "ful", fulli: "ful", ousli: "ous", ousness: "ous", iveness: "ive",
    iviti: "ive", biliti: "ble", bli: "ble", ogist: "og", ogi: "og", lessli: "less", li: ""
  };
  var STEP2_KEYS = Object.keys(STEP2);
  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
  var STEP3_KEYS = Object.keys(STEP3);
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    if (Array.from(word).length < 3) return word;
    var w = word;
    var yFound = false;
    if (w[0] === "y") { w = "Y" + w.slice(1); yFound = true; }
    for (var i = 1; i < w.length; i++) {
      if (w[i] === "y" && isVowel(w[i - 1])) { w = w.slice(0, i) + "Y" + w.slice(i + 1); yFound = true; }
    }
    // Regions.
    var p1 = w.length, p2 = w.length;
    var k = -1;
    for (var r = 0; r < REGION_PREFIXES.length; r++) {
      if (w.indexOf(REGION_PREFIXES[r]) === 0) { k = REGION_PREFIXES[r].length; break; }
    }
    if (k < 0) k = afterVowelConsonant(w, 0);
    if (k >= 0) {
      p1 = k;
      var k2 = afterVowelConsonant(w, p1);
      if (k2 >= 0) p2 = k2;
    }
    // Step 1a.
    var s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    if (s === "sses") w = w.slice(0, -2);
    else if (s === "ied" || s === "ies") w = w.slice(0, -3) + (w.length - 3 >= 2 ? "i" : "ie");
    else if (s === "s") {
      var before = w.slice(0, -2);
      if (/[aeiouy]/.test(before)) w = w.slice(0, -1);
    }
    // Step 1b.
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    var stem1b = w.slice(0, w.length - s.length);
    var deleteSuffix = false;
    if (s === "eed" || s === "eedly") {
      if (stem1b.length >= p1 && !/^(succ|proc|exc)$/.test(stem1b)) w = stem1b + "ee";
    } else if (s === "ed" || s === "edly" || s === "ingly") {
      deleteSuffix = true;
    } else if (s === "ing") {
      if (/^[^aeiouy]y$/.test(stem1b)) w = stem1b.slice(0, -1) + "ie";
      else if (!/^(even|cann|inn|earr|herr|out)$/.test(stem1b)) deleteSuffix = true;
    }
    if (deleteSuffix && /[aeiouy]/.test(stem1b)) {
      w = stem1b;
      var end2 = w.slice(-2);
      if (end2 === "at" || end2 === "bl" || end2 === "iz") w += "e";
      else if (/^(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(end2)) {
        if (!(w.length === 3 && "aeo".indexOf(w[0]) >= 0)) w = w.slice(0, -1);
      } else if (w.length === p1 && shortSyllable(w, w.length)) w += "e";
    }
    // Step 1c.
    var last = w[w.length - 1];
    if ((last === "y" || last === "Y") && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    // Step 2.
    s = longest(w, STEP2_KEYS);
    if (s && w.length - s.length >= p1) {
      var head = w.slice(0, w.length - s.length);
      if (s === "ogi") { if (endsWith(head, "l")) w = head + "og"; }
      else if (s === "li") { if ("cdeghkmnrt".indexOf(head[head.length - 1]) >= 0) w = head; }
      else w = head + STEP2[s];
    }
    // Step 3.
    s = longest(w, STEP3_KEYS);
    if (s && w.length - s.length >= p1) {
      if (s !== "ative" || w.length - s.length >= p2) w = w.slice(0, w.length - s.length) + STEP3[s];
    }
    // Step 4.
    s = longest(w, STEP4);
    if (s && w.length - s.length >= p2) {
      var h4 = w.slice(0, w.length - s.length);
      if (s !== "ion" || endsWith(h4, "s") || endsWith(h4, "t")) w = h4;
    }
    // Step 5.
    last = w[w.length - 1];
    var at = w.length - 1;
    if (last === "e") {
      if (at >= p2 || (at >= p1 && !shortSyllable(w, at))) w = w.slice(0, -1);
    } else if (last === "l") {
      if (at >= p2 && w[at - 1] === "l") w = w.slice(0, -1);
    }
    return yFound ? w.replace(/Y/g, "y") : w;
  }

  /* Index just past the first non-vowel that follows a vowel, from `from`; -1 if none. */
  function afterVowelConsonant(w, from) {
    for (var i = from; i < w.length - 1; i++) {
      if (isVowel(w[i]) && !isVowel(w[i + 1])) return i + 2;
    }
    return -1;
  }

  /* Within `edits` edits: insertions, deletions, substitutions, swaps of neighbours,
   * each letter edited once (src/search/analysis.rs, within_edits). */
  function withinEdits(a, b, edits) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > edits) return false;
    var before = [], last = [], j;
    for (j = 0; j <= b.length; j++) { before.push(0); last.push(j); }
    for (var i = 1; i <= a.length; i++) {
      var row = [i], least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(last[j] + 1, row[j - 1] + 1, last[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        if (d < least) least = d;
      }
      if (least > edits) return false;
      before = last;
      last = row;
    }
    return last[b.length] <= edits;
  }

  /* The last word, for search as you type (src/search/analysis.rs, Prefix):
   * {word, start}, or null. */
  function lastWordPrefix(query) {
    if (/\s$/.test(query)) return null;
    var words = query.split(/\s+/).filter(Boolean);
    if (!words.length) return null;
    var last = words[words.length - 1];
    if (last.indexOf('"') >= 0) return null;
    var word = Array.from(last).filter(function (c) { return /[\p{Alphabetic}\p{N}]/u.test(c); })
      .map(function (c) { return c.toLowerCase(); }).join("");
    var chars = Array.from(word);
    var n = chars.length;
    if (n <= 2) return null;
    var keep = n <= 4 ? n : n <= 6 ? n - 1 : n - 3;
    return { word: word, start: chars.slice(0, keep).join("") };
  }

  /* Whether `term` may be the stem of a word starting with the typed word. */
  function admits(prefix, term) {
    return term.indexOf(prefix.start) === 0 && (term.indexOf(prefix.word) === 0 || prefix.word.indexOf(term) === 0);
  }

  /* ---------- Decoding ---------- */

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUE = {};
  for (var d = 0; d < 64; d++) DIGIT_VALUE[DIGITS[d]] = d;

  function varints(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT_VALUE[s[i]];
      v += (x & 31) * Math.pow(2, shift);
      shift += 5;
      if (x < 32) { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  /* Postings string -> Map(doc -> score). */
  function decodePostings(s, scale) {
    var n = varints(s), map = new Map(), doc = 0;
    for (var i = 0; i < n.length; i += 2) {
      doc += n[i];
      map.set(doc, n[i + 1] / scale);
    }
    return map;
  }

  function decodeDocs(s) {
    var n = varints(s), out = new Set(), doc = 0;
    for (var i = 0; i < n.length; i++) { doc += n[i]; out.add(doc); }
    return out;
  }

  /* ---------- The engine ---------- */

  /* `load(kind, n)` resolves to the data of search/<kind>/<n>.js (or meta.js, facets.js). */
  function Engine(load) {
    this.load = load;
    this.cache = new Map();
  }

  Engine.prototype.get = function (kind, n) {
    var key = kind + ":" + n;
    if (!this.cache.has(key)) this.cache.set(key, this.load(kind, n));
    return this.cache.get(key);
  };

  Engine.prototype.meta = function () {
    if (!this._meta) {
      this._meta = this.get("meta", 0).then(function (meta) {
        meta.stopSet = new Set(meta.stopWords);
        return meta;
      });
    }
    return this._meta;
  };

  /* The chunk of `firsts` (sorted first terms) that holds `term`. */
  function chunkOf(firsts, term) {
    var lo = 0, hi = firsts.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /* Map(term -> [postings, number]) of term chunk `n` (its first term's number first). */
  Engine.prototype.termChunk = function (meta, n) {
    var key = "terms:" + n;
    if (!this.cache.has(key)) {
      this.cache.set(key, this.get("t", n).then(function (flat) {
        var map = new Map();
        for (var i = 1; i < flat.length; i += 2) map.set(flat[i], [flat[i + 1], flat[0] + (i - 1) / 2]);
        return map;
      }));
    }
    return this.cache.get(key);
  };

  /* The term chunk that holds `term` (Map, as termChunk), found through the directory
   * of chunks (td/N.js: its first chunk's number, then where each chunk starts) that
   * meta.terms points to. */
  Engine.prototype.chunkFor = async function (meta, term) {
    var dir = await this.get("td", chunkOf(meta.terms, term));
    return this.termChunk(meta, dir[0] + chunkOf(dir[1], term));
  };

  /* Map(doc -> score) of `term`; empty when the term is not indexed. */
  Engine.prototype.postings = function (meta, term) {
    var key = "p:" + term;
    if (!this.cache.has(key)) {
      this.cache.set(key, this.chunkFor(meta, term).then(function (chunk) {
        var s = chunk.get(term);
        return s === undefined ? new Map() : decodePostings(s[0], meta.scale);
      }));
    }
    return this.cache.get(key);
  };

  /* The number of `term` in the index (its rank), or -1. */
  Engine.prototype.termNumber = async function (meta, term) {
    var chunk = await this.chunkFor(meta, term);
    var s = chunk.get(term);
    return s === undefined ? -1 : s[1];
  };

  /* Where each term stands in post-mortem `doc` (search/p/<doc>.js): per text field, a
   * Map(term number -> Set of positions). */
  Engine.prototype.places = function (doc) {
    var key = "places:" + doc;
    if (!this.cache.has(key)) {
      this.cache.set(key, this.get("p", doc).then(function (s) {
        var n = varints(s), i = 0, fields = [];
        while (i < n.length) {
          var count = n[i++], map = new Map(), term = 0;
          for (var k = 0; k < count; k++) {
            term += n[i++];
            var tf = n[i++], at = new Set(), p = 0;
            for (var j = 0; j < tf; j++) { p += n[i++]; at.add(p); }
            map.set(term, at);
          }
          fields.push(map);
        }
        return fields;
      }));
    }
    return this.cache.get(key);
  };

  /* Whether post-mortem `doc` has the phrases of `phrases` ([{numbers, offsets, not}]:
   * its terms' numbers and places in the phrase; `not`: excluded) as it should: each
   * with its words side by side, in one field, and none of those excluded; `partial`
   * (a hit with some of the words) need not have them. */
  Engine.prototype.hasPhrases = async function (doc, phrases, partial) {
    var fields = await this.places(doc);
    return phrases.every(function (phrase) {
      if (partial && !phrase.not) return true;
      return phrase.not !== fields.some(function (field) {
        var first = field.get(phrase.numbers[0]);
        if (!first) return false;
        var found = false;
        first.forEach(function (p) {
          if (found) return;
          found = phrase.numbers.every(function (t, k) {
            var at = field.get(t);
            return at !== undefined && at.has(p - phrase.offsets[0] + phrase.offsets[k]);
          });
        });
        return found;
      });
    });
  };

  /* [term, df] of the vocabulary starting with `start` and accepted by `keep`. */
  Engine.prototype.vocabulary = async function (meta, start, keep) {
    var out = [];
    for (var n = chunkOf(meta.vocab, start); n < meta.vocab.length; n++) {
      var flat = await this.get("v", n);
      var past = false;
      for (var i = 0; i < flat.length; i += 2) {
        var term = flat[i];
        if (term < start) continue;
        if (term.indexOf(start) !== 0) { past = true; break; }
        if (keep(term)) out.push([term, flat[i + 1]]);
      }
      if (past) break;
    }
    return out;
  };

  function pickExpansions(candidates, max) {
    candidates.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    return candidates.slice(0, max).map(function (c) { return c[0]; });
  }

  /* The keys a query's text may filter on (src/search/query.rs, KEYS). */
  var FILTER_KEYS = ["service", "team", "severity", "factor", "status", "after", "before", "year"];

  /* The first day of YYYY, YYYY-MM or YYYY-MM-DD, as "YYYY-MM-DD"; null if not a date. */
  function firstDay(value) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] : 1, d = m[3] ? +m[3] : 1;
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return date.toISOString().slice(0, 10);
  }

  /* Takes the filters out of a query (src/search/query.rs, parse): {text, filters,
   * error}. `service:checkout` outside quotes becomes filters.service; dates stand for
   * their first day; year:Y is after:Y before:Y+1. */
  function takeFilters(query) {
    var out = { text: "", filters: {}, error: null };
    var quoted = false;
    var re = /(\s*)(\S+)/g, m, last = 0;
    while ((m = re.exec(query)) !== null) {
      out.text += m[1];
      last = re.lastIndex;
      var token = m[2];
      var colon = token.indexOf(":");
      var key = colon > 0 ? token.slice(0, colon).toLowerCase() : "";
      var value = colon > 0 ? token.slice(colon + 1) : "";
      if (!quoted && value && FILTER_KEYS.indexOf(key) >= 0) {
        if (key === "after" || key === "before" || key === "year") {
          var day = firstDay(value);
          if (!day || (key === "year" && value.length !== 4)) {
            out.error = "`" + key + ":" + value + "` is not a date: write " + key + ":YYYY, " + key + ":YYYY-MM or " + key + ":YYYY-MM-DD";
            continue;
          }
          if (key === "year") {
            out.filters.after = day;
            out.filters.before = (+value + 1) + "-01-01";
          } else out.filters[key] = day;
        } else out.filters[key] = value;
        continue;
      }
      if ((token.split('"').length - 1) % 2 === 1) quoted = !quoted;
      out.text += token;
    }
    out.text += query.slice(last);
    return out;
  }


  /* The query's clauses, as tantivy's lenient parser reads them: words, +required,
   * -excluded, "phrases". Each {occur ("must", "not" or null as typed), terms, offsets
   * (each term's place in the clause), word (an unquoted word as typed, else null)}; a
   * clause whose words are all stop words has no terms. */
  function parseQuery(query, meta) {
    var clauses = [];
    var re = /([+-]?)"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(query)) !== null) {
      var occur = null, text, word = null;
      if (m[3] !== undefined) {
        text = m[3];
        if (text[0] === "+" || text[0] === "-") { occur = text[0] === "+" ? "must" : "not"; text = text.slice(1); }
        word = text;
      } else {
        text = m[2];
        if (m[1]) occur = m[1] === "+" ? "must" : "not";
      }
      var found = tokens(text, meta);
      clauses.push({
        occur: occur,
        terms: found.map(function (t) { return t.term; }),
        // Where each term stands in the clause: two terms or more are a phrase.
        offsets: found.map(function (t) { return t.position; }),
        word: word
      });
    }
    return clauses;
  }

  /* The post-mortems with every term of `lists` (one Map per term), with the sum of
   * their scores: Map(doc -> score). */
  function allOf(lists) {
    var out = new Map();
    if (!lists.length) return out;
    lists[0].forEach(function (_, doc) {
      var score = 0;
      for (var j = 0; j < lists.length; j++) {
        var s = lists[j].get(doc);
        if (s === undefined) return;
        score += s;
      }
      out.set(doc, score);
    });
    return out;
  }

  /* The terms `term` also stands for, in the groups of `meta.synonyms` it is in
   * (src/search/analysis.rs, Synonyms::of_term). */
  function synonymsOf(meta, term) {
    var out = [];
    (meta.synonyms || []).forEach(function (group) {
      if (group.indexOf(term) < 0) return;
      group.forEach(function (t) { if (t !== term && out.indexOf(t) < 0) out.push(t); });
    });
    return out;
  }

  /* Scores of the words (SearchIndex::search, `words`): each clause with its
   * alternatives (the last word's prefix expansions, its synonyms, its typo expansions
   * when given), required when `required` and typed without + or -, else optional. */
  function combine(clauses, lists, prefixScores, synonymScores, typoScores, required) {
    var fallback = required ? "must" : "should";
    var groups = [];
    clauses.forEach(function (c, k) {
      // An excluded phrase excludes the hits with its words side by side only (search).
      if (!c.terms.length || (c.occur === "not" && c.terms.length > 1)) return;
      var alts = [allOf(lists[k])];
      if (k === clauses.length - 1 && prefixScores) alts.push(prefixScores);
      if (synonymScores[k]) alts.push(synonymScores[k]);
      if (typoScores && typoScores[k]) alts.push(typoScores[k]);
      groups.push({ occur: c.occur || fallback, alts: alts });
    });
    var lastYields = clauses.length > 0 && clauses[clauses.length - 1].terms.length > 0;
    if (!lastYields && prefixScores) groups.push({ occur: fallback, alts: [prefixScores] });
    var hasMust = groups.some(function (g) { return g.occur === "must"; });
    var candidates = new Set();
    groups.forEach(function (g) {
      if (g.occur !== "not") g.alts.forEach(function (a) { a.forEach(function (_, doc) { candidates.add(doc); }); });
    });
    var scores = new Map();
    candidates.forEach(function (doc) {
      var score = 0, ok = true, any = false;
      for (var k = 0; k < groups.length && ok; k++) {
        var g = groups[k], matched = false, s = 0;
        for (var j = 0; j < g.alts.length; j++) {
          var x = g.alts[j].get(doc);
          if (x !== undefined) { matched = true; s += x; }
        }
        if (g.occur === "not") { if (matched) ok = false; continue; }
        if (!matched) { if (g.occur === "must") ok = false; continue; }
        any = true;
        score += s;
      }
      if (ok && (any || hasMust)) scores.set(doc, score);
    });
    return scores;
  }


  /* A post-mortem's best score among `terms`, times `weight`: Map(doc -> score). */
  Engine.prototype.anyOf = async function (meta, terms, weight) {
    var self = this;
    var lists = await Promise.all(terms.map(function (t) { return self.postings(meta, t); }));
    var best = new Map();
    lists.forEach(function (p) {
      p.forEach(function (score, doc) { if (!(best.get(doc) >= score)) best.set(doc, score); });
    });
    best.forEach(function (score, doc) { best.set(doc, score * weight); });
    return best;
  };

  function addInto(total, scores) {
    scores.forEach(function (s, doc) { total.set(doc, (total.get(doc) || 0) + s); });
  }

  function everyDoc(n) {
    var all = new Map();
    for (var d = 0; d < n; d++) all.set(d, 0);
    return all;
  }

  function ranked(scores, allowed) {
    var out = [];
    scores.forEach(function (score, doc) { if (!allowed || allowed(doc)) out.push({ doc: doc, score: score }); });
    out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return out;
  }

  /* Searches. `filters` maps a facet key ("severity", "year", ...) to one value, and
   * "after"/"before" to a date (YYYY-MM-DD); filters typed in the query
   * (`service:checkout`) are added to them. Resolves to {hits: [{doc, score, typo,
   * partial (it has only some of the words: after those with all, when they are few)}],
   * unchecked (how many hits past the first `shown` (10) may lack a phrase: only those
   * shown are checked), error (a filter that
   * cannot be read), filters (those applied), counts() (the filters with their counts
   * among the matches), terms (to highlight), prefix}. */
  Engine.prototype.search = async function (query, filters, shown) {
    var meta = await this.meta();
    var typed = takeFilters(query);
    filters = Object.assign({}, filters || {}, typed.filters);
    if (typed.error) {
      return { hits: [], error: typed.error, filters: filters, counts: async function () { return []; }, terms: new Set(), prefix: null };
    }
    var text = typed.text;
    var self = this;
    var clauses = parseQuery(text, meta);
    var prefix = lastWordPrefix(text);
    // No words: browsing by the filters alone, every post-mortem a match, newest first
    // (the order of the book, hence of the documents).
    var browsing = !text.trim();
    var lists = await Promise.all(clauses.map(function (c) {
      return Promise.all(c.terms.map(function (t) { return self.postings(meta, t); }));
    }));
    var prefixTerms = [], prefixScores = null;
    if (prefix) {
      prefixTerms = pickExpansions(await this.vocabulary(meta, prefix.start, function (t) { return admits(prefix, t); }), meta.maxExpansions);
      if (prefixTerms.length) prefixScores = await this.anyOf(meta, prefixTerms, meta.prefixWeight);
    }
    // A word of a synonym group also matches the group's other words.
    var synonymTerms = clauses.map(function (c) {
      return c.word !== null && c.terms.length === 1 ? synonymsOf(meta, c.terms[0]) : [];
    });
    var synonymScores = await Promise.all(synonymTerms.map(function (others) {
      return others.length ? self.anyOf(meta, others, meta.synonymWeight) : null;
    }));
    var scores = browsing ? everyDoc(meta.docs) : combine(clauses, lists, prefixScores, synonymScores, null, true);
    var active = Object.keys(filters).filter(function (k) { return filters[k] !== undefined && filters[k] !== ""; });
    // The filters are loaded only once one is chosen, or when their counts are asked for.
    var facets = active.length ? await this.facets() : [];
    var selected = facets.filter(function (f) { return active.indexOf(f.key) >= 0; })
      .map(function (f) { return { key: f.key, docs: valueDocs(f, filters[f.key]) }; });
    var dated = filters.after || filters.before ? await this.dates() : null;
    var after = filters.after ? dayNumber(filters.after) : 0, before = filters.before ? dayNumber(filters.before) : Infinity;
    var inPeriod = function (doc) { return !dated || (dated[doc] > 0 && dated[doc] >= after && dated[doc] < before); };
    var allowed = function (doc, except) {
      return inPeriod(doc) && selected.every(function (s) { return s.key === except || s.docs.has(doc); });
    };
    var hits = ranked(scores, function (doc) { return allowed(doc); });
    var typoTerms = [];
    // Words taken for typos, each with its closest spelling's term (didYouMean).
    var closest = [];
    if (hits.length < meta.fuzzyBelow && !browsing) {
      var typoScores = [];
      for (var k = 0; k < clauses.length; k++) {
        typoScores.push(null);
        if (clauses[k].word === null) continue;
        var long = tokens(clauses[k].word, meta).filter(function (t) { return t.typed >= meta.fuzzyMinLen; });
        if (long.length !== 1) continue;
        var term = long[0].term;
        // A word of the archive is not a typo.
        if ((await this.postings(meta, term)).size) continue;
        if (Array.from(term).length < meta.fuzzySharedPrefix) continue;
        var shared = Array.from(term).slice(0, meta.fuzzySharedPrefix).join("");
        // The closest spellings only: two edits when none is one away.
        var near = pickExpansions(await this.vocabulary(meta, shared, function (t) { return withinEdits(t, term, 1); }), meta.maxExpansions);
        if (!near.length && long[0].typed >= meta.fuzzyTwoEditsLen) {
          near = pickExpansions(await this.vocabulary(meta, shared, function (t) { return withinEdits(t, term, 2); }), meta.maxExpansions);
        }
        typoTerms = typoTerms.concat(near);
        if (near.length && clauses[k].occur !== "not") closest.push([clauses[k].word, near[0]]);
        if (near.length) typoScores[k] = await this.anyOf(meta, near, meta.fuzzyWeight);
      }
      // Hits found by the wider query, after those already found, marked `mark`.
      var more = function (found, mark) {
        var seen = new Set(hits.map(function (h) { return h.doc; }));
        ranked(found, function (doc) { return allowed(doc) && !seen.has(doc); }).forEach(function (h) {
          h[mark] = true;
          hits.push(h);
        });
        scores = found;
      };
      more(combine(clauses, lists, prefixScores, synonymScores, typoScores, true), "typo");
      var optional = clauses.filter(function (c) { return !c.occur && c.terms.length; }).length;
      if (hits.length < meta.fuzzyBelow && optional > 1) {
        // Few post-mortems have every word: then those that have some, said so.
        more(combine(clauses, lists, prefixScores, synonymScores, typoScores, false), "partial");
      }
    }
    // A phrase (two terms or more in a clause) needs its words side by side: checked for
    // the hits shown, whose files of places are loaded, not for all.
    var phrases = [];
    for (var c = 0; c < clauses.length; c++) {
      if (clauses[c].terms.length < 2) continue;
      var numbers = await Promise.all(clauses[c].terms.map(function (t) { return self.termNumber(meta, t); }));
      if (numbers.indexOf(-1) < 0) phrases.push({ numbers: numbers, offsets: clauses[c].offsets, not: clauses[c].occur === "not" });
    }
    var unchecked = 0;
    if (phrases.length) {
      var want = shown || 10, kept = [], next = 0;
      while (kept.length < want && next < hits.length) {
        var batch = hits.slice(next, next + want - kept.length);
        next += batch.length;
        var ok = await Promise.all(batch.map(function (h) { return self.hasPhrases(h.doc, phrases, h.partial); }));
        batch.forEach(function (h, j) {
          if (ok[j]) kept.push(h); else scores.delete(h.doc);
        });
      }
      unchecked = hits.length - next;
      hits = kept.concat(hits.slice(next));
    }
    var words = new Set();
    clauses.forEach(function (c, k) {
      if (c.occur !== "not") c.terms.concat(synonymTerms[k]).forEach(function (t) { words.add(t); });
    });
    prefixTerms.concat(typoTerms).forEach(function (t) { words.add(t); });
    var found = scores;
    // Counts: for each filter, among the matches that pass the other filters.
    var counts = async function () {
      var all = await self.facets();
      var chosen = all.filter(function (f) { return active.indexOf(f.key) >= 0; })
        .map(function (f) { return { key: f.key, docs: valueDocs(f, filters[f.key]) }; });
      var passes = function (doc, except) {
        return inPeriod(doc) && chosen.every(function (s) { return s.key === except || s.docs.has(doc); });
      };
      return all.map(function (f) {
        return {
          key: f.key,
          label: f.label,
          values: f.values.map(function (v) {
            var n = 0;
            found.forEach(function (_, doc) { if (v.docs.has(doc) && passes(doc, f.key)) n++; });
            return { value: v.value, label: v.label, count: n };
          })
        };
      });
    };
    return { hits: hits, unchecked: unchecked, error: null, filters: filters, counts: counts, terms: words, prefix: prefix, query: query, closest: closest };
  };

  /* "Did you mean …" (src/search/did_you_mean.rs): `found.query` with each word taken
   * for a typo written as the first word of the first results' titles and record texts
   * whose term is its closest spelling's; null when none is. */
  Engine.prototype.didYouMean = async function (found) {
    if (!found.closest || !found.closest.length) return null;
    var meta = await this.meta();
    var self = this;
    var records = await Promise.all(found.hits.slice(0, meta.didYouMeanFrom).map(function (h) { return self.record(h.doc); }));
    var texts = [];
    records.forEach(function (r) { texts.push(r.title, r.text); });
    var parts = found.query.match(/\S*\s|\S+$/g) || [];
    var replaced = false;
    found.closest.forEach(function (c) {
      var word = null;
      for (var i = 0; i < texts.length && word === null; i++) {
        var hit = tokens(texts[i], meta).filter(function (t) { return t.term === c[1]; })[0];
        if (hit) word = texts[i].slice(hit.start, hit.end).toLowerCase();
      }
      if (word === null) return;
      for (var j = 0; j < parts.length; j++) {
        if (parts[j].trimEnd().replace(/^[+-]+/, "") === c[0]) {
          parts[j] = parts[j].replace(c[0], word);
          replaced = true;
          break;
        }
      }
    });
    return replaced ? parts.join("") : null;
  };

  /* The post-mortems with `value` of facet `f`, the value matched in any case
   * (`severity:sev1`), as the CLI matches it. */
  function valueDocs(f, value) {
    var docs = f.byValue.get(value);
    if (docs) return docs;
    var lower = String(value).toLowerCase();
    var same = f.values.filter(function (v) { return v.value.toLowerCase() === lower; })[0];
    return same ? same.docs : new Set();
  }

  /* Days from 1970-01-01 plus one, as search/dates.js counts them. */
  function dayNumber(date) {
    return Math.round(Date.parse(date + "T00:00:00Z") / 86400000) + 1;
  }

  /* Each post-mortem's day (dayNumber; 0: no date), loaded for date filters only. */
  Engine.prototype.dates = function () {
    if (!this._dates) this._dates = this.get("dates", 0).then(varints);
    return this._dates;
  };

  Engine.prototype.facets = function () {
    if (!this._facets) {
      this._facets = this.get("facets", 0).then(function (list) {
        return list.map(function (f) {
          var values = f.values.map(function (v) { return { value: v[0], label: v[1], docs: decodeDocs(v[2]) }; });
          var byValue = new Map();
          values.forEach(function (v) { byValue.set(v.value, v.docs); });
          return { key: f.key, label: f.label, values: values, byValue: byValue };
        });
      });
    }
    return this._facets;
  };

  /* The record of post-mortem `doc`: {slug, title, date, severity, text, excerpt (the
   * body's start), url}. */
  Engine.prototype.record = async function (doc) {
    var meta = await this.meta();
    var group = await this.get("d", Math.floor(doc / meta.docGroup));
    var r = group[doc % meta.docGroup];
    // 0: the text is the excerpt's start (src/search/export.rs, records).
    var text = r[4] === 0 ? cut(r[5], meta.snippetChars) : r[4];
    return { slug: r[0], title: r[1], date: r[2], severity: r[3], text: text, excerpt: r[5], url: meta.url.replace("{}", r[0]) };
  };

  /* `text`, when longer than `chars` characters, cut at the last space before, with "…"
   * (src/search/export.rs, cut). */
  function cut(text, chars) {
    var all = Array.from(text);
    if (all.length <= chars) return text;
    var head = all.slice(0, chars).join("");
    var space = head.lastIndexOf(" ");
    return (space >= 0 ? head.slice(0, space) : head) + "…";
  }

  /* Whether token `t` of `text` is one a search for `terms` (and `prefix`) matched. */
  function matched(t, text, terms, prefix) {
    return terms.has(t.term) || (prefix && (admits(prefix, t.term) || text.slice(t.start, t.end).toLowerCase().indexOf(prefix.word) === 0));
  }

  /* `text` as HTML, words whose term is among `terms` (or starts with `prefix`) marked. */
  Engine.prototype.highlight = async function (text, terms, prefix) {
    var meta = await this.meta();
    var out = "", at = 0;
    tokens(text, meta).forEach(function (t) {
      if (matched(t, text, terms, prefix)) {
        out += escapeHtml(text.slice(at, t.start)) + "<mark>" + escapeHtml(text.slice(t.start, t.end)) + "</mark>";
        at = t.end;
      }
    });
    return out + escapeHtml(text.slice(at));
  };

  /* Characters of a snippet's passage, and of it before its best match
   * (src/search/highlight.rs, PASSAGE_CHARS and BEFORE_MATCH). */
  var PASSAGE_CHARS = 180, BEFORE_MATCH = 60;

  /* A result's snippet as HTML, as the CLI makes it (highlight.rs, passage): the
   * passage of the body's start around its best match (where the most of the query's
   * terms are within a passage's length), marked; else the record's text, marked. */
  Engine.prototype.snippet = async function (record, terms, prefix) {
    var meta = await this.meta();
    var text = record.excerpt || "";
    var found = tokens(text, meta).filter(function (t) { return matched(t, text, terms, prefix); });
    if (!found.length) return this.highlight(record.text, terms, prefix);
    var best = found[0].start, most = 0;
    for (var i = 0; i < found.length; i++) {
      var seen = new Set();
      for (var j = i; j < found.length && found[j].start < found[i].start + PASSAGE_CHARS; j++) seen.add(found[j].term);
      if (seen.size > most) { most = seen.size; best = found[i].start; }
    }
    var start = Math.max(0, best - BEFORE_MATCH);
    if (start > 0) {
      // To the start of the next word, unless that is the match itself.
      var space = text.slice(start, best).search(/\s/);
      start = space < 0 ? best : start + space + 1;
    }
    var end = Math.min(text.length, start + PASSAGE_CHARS);
    if (end < text.length) {
      var last = text.slice(start, end).lastIndexOf(" ");
      if (last > 0) end = start + last;
    }
    return (start > 0 ? "…" : "") + (await this.highlight(text.slice(start, end), terms, prefix)) + (end < text.length ? "…" : "");
  };

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var api = { Engine: Engine, stem: stem, tokens: tokens, lastWordPrefix: lastWordPrefix, withinEdits: withinEdits, takeFilters: takeFilters };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  global.incidentbookSearch = api;

  /* ---------- The page ---------- */

  var script = document.currentScript;
  var root = script ? script.src.replace(/static\/search\.js(\?.*)?$/, "") : "";
  var pending = {};

  /* Chunks are scripts: they call ibSearch(kind, n, data) when they run. */
  global.ibSearch = function (kind, n, data) {
    var key = kind + ":" + n;
    if (pending[key]) { pending[key].resolve(data); delete pending[key]; }
  };

  function loadScript(kind, n) {
    return new Promise(function (resolve, reject) {
      var key = kind + ":" + n;
      pending[key] = { resolve: resolve };
      var path = kind === "meta" || kind === "facets" || kind === "dates" ? kind + ".js" : kind + "/" + n + ".js";
      var el = document.createElement("script");
      el.src = root + "search/" + path;
      el.async = true;
      el.onerror = function () { delete pending[key]; reject(new Error("cannot load " + el.src)); };
      el.onload = function () { el.remove(); };
      document.head.appendChild(el);
    });
  }

  var engine = null;
  var ui = {};
  var state = { query: "", filters: {}, active: -1, seq: 0, results: [] };
  var LIMIT = 10;
  /* The search page shows more, and browsing by filters alone more again, page by page. */
  var PAGE_LIMIT = 50;
  /* Filters the search page takes from its URL (`?severity=SEV1&team=payments`). */
  var FACETS = ["severity", "status", "year", "service", "team", "factor", "after", "before"];

  /* The results' markup, here only: the search page's container gets it, and other pages
   * a panel under the header (the pages carry none, so that it is not repeated on each). */
  var PANEL_HTML =
    '<p id="ib-status" class="search-status" role="status" aria-live="polite"></p>' +
    '<div class="search-body">' +
    '<button type="button" id="ib-filters" class="filters-toggle" aria-expanded="false" aria-controls="ib-facets" hidden>Filters</button>' +
    '<div id="ib-facets" class="facets" aria-label="Filters"></div>' +
    '<ul id="ib-results" class="results" role="listbox" aria-label="Search results"></ul>' +
    "</div>";

  function makePanel(input) {
    var panel = document.getElementById("ib-search");
    if (!panel) {
      var header = document.querySelector(".site-header");
      if (!header) return null;
      panel = document.createElement("div");
      panel.id = "ib-search";
      panel.className = "search-panel wrap";
      panel.hidden = true;
      header.insertAdjacentElement("afterend", panel);
    }
    panel.insertAdjacentHTML("afterbegin", PANEL_HTML);
    // The field is a combobox only with this script.
    [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-controls", "ib-results"],
      ["aria-expanded", "false"], ["aria-keyshortcuts", "/"]].forEach(function (a) {
      input.setAttribute(a[0], a[1]);
    });
    input.insertAdjacentHTML("afterend", '<kbd class="search-key" aria-hidden="true">/</kbd>');
    return panel;
  }

  function init() {
    ui.input = document.getElementById("ib-q");
    if (!ui.input) return;
    ui.panel = makePanel(ui.input);
    if (!ui.panel) return;
    ui.status = document.getElementById("ib-status");
    ui.results = document.getElementById("ib-results");
    ui.facets = document.getElementById("ib-facets");
    // On a narrow screen the filters fold behind this control (style.css), so the
    // results come first.
    ui.filters = document.getElementById("ib-filters");
    if (ui.filters) ui.filters.addEventListener("click", function () {
      var open = ui.filters.getAttribute("aria-expanded") !== "true";
      ui.filters.setAttribute("aria-expanded", String(open));
      ui.facets.parentNode.classList.toggle("filters-open", open);
    });
    ui.page = ui.panel.classList.contains("search-page");
    ui.more = document.getElementById("ib-more");
    if (ui.more) ui.more.addEventListener("click", function () {
      var step = ui.input.value.trim() ? LIMIT : PAGE_LIMIT;
      var first = state.results.length;
      state.shown = first + step;
      run(true).then(function () {
        // Keyboard users carry on from the first new result.
        var next = ui.results.querySelectorAll("[role=option]")[first];
        if (next) { setActive(first); ui.input.focus(); }
      });
    });
    var timer = null;
    ui.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    ui.input.addEventListener("focus", function () { if (ui.input.value) open(); });
    ui.input.addEventListener("keydown", onKey);
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(true); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        ui.input.focus();
        ui.input.select();
      }
    });
    document.addEventListener("click", function (e) {
      if (!ui.page && !ui.panel.contains(e.target) && e.target !== ui.input) close(false);
    });
    ui.form = ui.input.form;
    if (ui.form) ui.form.addEventListener("submit", function (e) {
      if (!ui.page) return; // other pages: go to the search page
      e.preventDefault();
      choose(state.active >= 0 ? state.active : 0);
    });
    // Listing pages: the form combining filters goes to this page's browse mode.
    document.querySelectorAll("form[data-ib-combine]").forEach(function (f) {
      fillCombine(f);
      f.hidden = false;
      f.addEventListener("submit", function () {
        // Unset filters stay out of the URL.
        f.querySelectorAll("select").forEach(function (s) { s.disabled = !s.value; });
        setTimeout(function () { f.querySelectorAll("select").forEach(function (s) { s.disabled = false; }); }, 0);
      });
    });
    highlightPage();
    if (ui.page) {
      var params = new URLSearchParams(location.search);
      FACETS.forEach(function (key) { if (params.get(key)) state.filters[key] = params.get(key); });
      var q = params.get("q");
      if (q) ui.input.value = q;
      if (q || Object.keys(state.filters).length) run();
    }
  }

  /* The form combining a listing's filters gets one select per filter of the page,
   * its options the filter's links (their text before the count), the current one
   * chosen. */
  function fillCombine(form) {
    var fields = form.querySelector(".combine-fields");
    var button = fields.querySelector("button");
    var bar = form.parentNode.querySelector("nav.filters");
    if (!bar) return;
    bar.querySelectorAll("details[data-key]").forEach(function (group) {
      var label = document.createElement("label");
      label.textContent = group.querySelector("summary").textContent + " ";
      var select = document.createElement("select");
      select.name = group.dataset.key;
      select.add(new Option("Any", ""));
      group.querySelectorAll("a").forEach(function (a) {
        var value = a.firstChild.textContent.trim();
        select.add(new Option(value, value, false, a.getAttribute("aria-current") === "page"));
      });
      label.appendChild(select);
      fields.insertBefore(label, button);
    });
  }

  /* A page opened from a result (`?highlight=term term`, as mdBook does) marks the
   * words of its content whose term is one of those, and shows the first. */
  function highlightPage() {
    var wanted = new URLSearchParams(location.search).get("highlight");
    var content = document.querySelector("main");
    if (!wanted || !content) return;
    var terms = new Set(wanted.split(/\s+/).filter(Boolean));
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (parent.closest("script, style, mark, #ib-search, form")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue, at = 0, parts = [], m;
      WORD.lastIndex = 0;
      while ((m = WORD.exec(text)) !== null) {
        if (!terms.has(stem(m[0].toLowerCase()))) continue;
        parts.push(document.createTextNode(text.slice(at, m.index)));
        var el = document.createElement("mark");
        el.textContent = m[0];
        parts.push(el);
        if (!first) first = el;
        at = m.index + m[0].length;
      }
      if (!parts.length) return;
      parts.push(document.createTextNode(text.slice(at)));
      parts.forEach(function (p) { node.parentNode.insertBefore(p, node); });
      node.remove();
    });
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
  }

  function open() {
    ui.panel.hidden = false;
    ui.input.setAttribute("aria-expanded", "true");
  }

  function close(refocus) {
    if (ui.page) return;
    ui.panel.hidden = true;
    ui.input.setAttribute("aria-expanded", "false");
    setActive(-1);
    if (refocus) ui.input.focus();
  }

  function onKey(e) {
    var n = state.results.length;
    if (e.key === "ArrowDown") { e.preventDefault(); if (n) { open(); setActive((state.active + 1) % n); } }
    else if (e.key === "ArrowUp") { e.preventDefault(); if (n) setActive(state.active <= 0 ? n - 1 : state.active - 1); }
    else if (e.key === "Enter") {
      if (n) { e.preventDefault(); choose(state.active >= 0 ? state.active : 0); }
    } else if (e.key === "Escape") { ui.input.value = ""; close(false); }
  }

  function setActive(k) {
    state.active = k;
    var items = ui.results.querySelectorAll("[role=option]");
    items.forEach(function (li, i) {
      li.setAttribute("aria-selected", i === k ? "true" : "false");
      if (i === k) li.scrollIntoView({ block: "nearest" });
    });
    if (k >= 0 && items[k]) ui.input.setAttribute("aria-activedescendant", items[k].id);
    else ui.input.removeAttribute("aria-activedescendant");
  }

  function choose(k) {
    var li = ui.results.querySelectorAll("[role=option]")[k];
    if (li) location.href = li.getAttribute("data-href");
  }

  /* Runs the query of the box with the chosen filters; `more` keeps the results shown
   * so far and shows the next page of them (the search page's "Show more"). */
  async function run(more) {
    var query = ui.input.value;
    var seq = ++state.seq;
    var filtered = Object.keys(state.filters).length > 0;
    if (ui.page) {
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      FACETS.forEach(function (key) {
        if (state.filters[key]) url.searchParams.set(key, state.filters[key]); else url.searchParams.delete(key);
      });
      history.replaceState(null, "", url);
    }
    if (!query.trim() && !(ui.page && filtered)) {
      state.results = [];
      ui.results.innerHTML = "";
      ui.facets.innerHTML = "";
      if (ui.filters) ui.filters.hidden = true;
      ui.status.textContent = "";
      if (ui.more) ui.more.hidden = true;
      if (!ui.page) close(false);
      return;
    }
    open();
    ui.panel.setAttribute("aria-busy", "true");
    try {
      if (!engine) engine = new Engine(loadScript);
      var step = ui.page && !query.trim() ? PAGE_LIMIT : LIMIT;
      if (!more || !state.shown) state.shown = step;
      var limit = ui.page ? state.shown : LIMIT;
      var found = await engine.search(query, state.filters, limit);
      var shown = found.hits.slice(0, limit);
      var records = await Promise.all(shown.map(function (h) { return engine.record(h.doc); }));
      var snippets = await Promise.all(records.map(function (r) { return engine.snippet(r, found.terms, found.prefix); }));
      var titles = await Promise.all(records.map(function (r) { return engine.highlight(r.title, found.terms, found.prefix); }));
      var suggestion = await engine.didYouMean(found);
      if (seq !== state.seq) return; // a newer query is on its way
      state.results = records;
      renderResults(found, records, titles, snippets);
      renderSuggestion(suggestion);
      // The filters and their counts follow the results, never hold them up.
      var facets = await found.counts();
      if (seq !== state.seq) return;
      renderFacets(facets, found.filters);
    } catch (err) {
      if (seq !== state.seq) return;
      state.results = [];
      ui.results.innerHTML = "";
      ui.status.textContent = "Search is unavailable: " + err.message + ". Rebuild the site with incidentbook build.";
    } finally {
      if (seq === state.seq) ui.panel.removeAttribute("aria-busy");
    }
  }

  function renderResults(found, records, titles, snippets) {
    var total = found.hits.length;
    var partial = found.hits.filter(function (h) { return h.partial; }).length;
    var full = total - partial;
    var typos = full && found.hits[0].typo;
    var browsing = !takeFilters(ui.input.value).text.trim();
    // Past the results shown, a phrase's matches are not checked: at most that many.
    var count = function (n) { return (found.unchecked ? "up to " : "") + (n === 1 ? "1 post-mortem" : n + " post-mortems"); };
    ui.status.textContent = found.error ? found.error + "." :
      total === 0 ? "No post-mortem matches." :
      (full ? count(full) + (typos ? " (closest spellings)" : "") : "No post-mortem has every word") +
      (partial ? (full ? ", then " : "; ") + count(partial) + " with some of the words" : "") +
      (browsing ? " with these filters, newest first" : "") +
      (total > records.length ? (browsing ? ", " : ", best ") + records.length + " shown" : "") + ".";
    if (ui.more) ui.more.hidden = total <= records.length;
    // The opened page marks the same words (`highlightPage`).
    var words = Array.from(found.terms).join(" ");
    var mark = words ? "?highlight=" + encodeURIComponent(words) : "";
    // Options hold no links (a link inside an option is a control inside a control);
    // a click opens the result, with Ctrl, Cmd or the middle button in a new tab.
    ui.results.innerHTML = records.map(function (r, i) {
      var sev = r.severity ? '<span class="sev sev-' + escapeHtml(r.severity.toLowerCase()) + '">' + escapeHtml(r.severity) + "</span> " : "";
      return '<li role="option" id="ib-r-' + i + '" aria-selected="false" data-href="' + escapeHtml(root + r.url + mark) + '">' +
        '<span class="result-title">' + titles[i] + "</span>" +
        '<span class="result-meta">' + sev + escapeHtml(r.date) +
        (found.hits[i].partial ? ' <span class="result-partial">some of the words</span>' : "") + "</span>" +
        '<span class="result-snippet">' + snippets[i] + "</span></li>";
    }).join("");
    state.active = -1;
    ui.results.querySelectorAll("li").forEach(function (li) {
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      var go = function (e) {
        var href = li.getAttribute("data-href");
        if (e.ctrlKey || e.metaKey || e.button === 1) window.open(href, "_blank", "noopener");
        else location.href = href;
      };
      li.addEventListener("click", go);
      li.addEventListener("auxclick", function (e) { if (e.button === 1) go(e); });
    });
  }

  /* "Did you mean …", a link to the search page with the query as the archive spells it. */
  function renderSuggestion(suggestion) {
    var el = document.getElementById("ib-dym");
    if (!suggestion) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement("p");
      el.id = "ib-dym";
      el.className = "search-did-you-mean";
      ui.status.parentNode.insertBefore(el, ui.status.nextSibling);
    }
    var url = new URL(root + "search.html", location.href);
    url.searchParams.set("q", suggestion);
    FACETS.forEach(function (key) { if (state.filters[key]) url.searchParams.set(key, state.filters[key]); });
    el.innerHTML = 'Did you mean <a href="' + escapeHtml(url.href) + '">' + escapeHtml(suggestion) + "</a>?";
    el.querySelector("a").addEventListener("click", function (e) {
      if (!ui.page) return;
      e.preventDefault();
      ui.input.value = suggestion;
      run();
    });
  }

  /* The filters with their counts; those in effect (chosen here or typed in the
   * query, `filters`) pressed. */
  function renderFacets(facets, filters) {
    var on = function (key, value) {
      return filters[key] !== undefined && String(filters[key]).toLowerCase() === value.toLowerCase();
    };
    if (ui.filters) {
      var chosen = Object.keys(filters).filter(function (k) { return filters[k]; }).length;
      ui.filters.textContent = chosen ? "Filters (" + chosen + ")" : "Filters";
    }
    ui.facets.innerHTML = facets.map(function (f) {
      var values = f.values.filter(function (v) { return v.count > 0 || on(f.key, v.value); }).slice(0, 8);
      if (!values.length) return "";
      return '<fieldset class="facet"><legend>' + escapeHtml(f.label) + "</legend>" + values.map(function (v) {
        return '<button type="button" class="chip" aria-pressed="' + on(f.key, v.value) + '" data-key="' + escapeHtml(f.key) +
          '" data-value="' + escapeHtml(v.value) + '">' + escapeHtml(v.label) + ' <span class="count">' + v.count + "</span></button>";
      }).join("") + "</fieldset>";
    }).join("");
    if (ui.filters) ui.filters.hidden = !ui.facets.innerHTML;
    ui.facets.querySelectorAll("button").forEach(function (b) {
      b.addEventListener("click", function () {
        var key = b.getAttribute("data-key"), value = b.getAttribute("data-value");
        var wasOn = on(key, value);
        // A filter typed in the query gives way to the filter bar: its words leave the box.
        if (takeFilters(ui.input.value).filters[key] !== undefined) ui.input.value = withoutFilter(ui.input.value, key);
        if (wasOn) delete state.filters[key]; else state.filters[key] = value;
        run().then(function () {
          var again = ui.facets.querySelector('button[data-key="' + key + '"][data-value="' + CSS.escape(value) + '"]');
          if (again) again.focus();
        });
      });
    });
  }

  /* `query` without its `key:value` filters. */
  function withoutFilter(query, key) {
    return query.split(/(\s+)/).filter(function (part) {
      return part.toLowerCase().indexOf(key + ":") !== 0;
    }).join("").replace(/\s+/g, " ").trim();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(typeof window !== "undefined" ? window : globalThis);
