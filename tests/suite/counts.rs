//! One source of truth for action-item counts: every count of action items on every
//! page of a generated book's site (each marked `data-ib-count="SCOPE|SET"`), the JSON
//! export's and `check`'s agree with each other and with the truth read item by item
//! from `api/incidents.json`.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::Book;

/// The sets every page counts, per scope (`book`, `team:NAME`, `factor:ID`), worked out
/// from the JSON export's items: to do = open or in progress, overdue and in progress
/// parts of it.
fn truth(json: &serde_json::Value) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for incident in json["incidents"].as_array().unwrap() {
        for item in incident["action_items"].as_array().unwrap() {
            let status = item["status"].as_str().unwrap();
            let mut sets = vec!["all"];
            match status {
                "open" => sets.push("to-do"),
                "in-progress" => sets.extend(["to-do", "in-progress"]),
                "done" => sets.push("done"),
                "wont-do" => sets.push("wont-do"),
                other => panic!("unknown status {other}"),
            }
            if item["overdue"].as_bool().unwrap() {
                assert!(sets.contains(&"to-do"), "overdue is a part of to do");
                sets.push("overdue");
            }
            let owner = item["owner"].as_str().unwrap_or("no owner");
            let mut scopes = vec!["book".to_owned(), format!("team:{owner}")];
            for f in item["addresses"].as_array().unwrap() {
                scopes.push(format!("factor:{}", f.as_str().unwrap()));
            }
            for scope in &scopes {
                for set in &sets {
                    *out.entry(format!("{scope}|{set}")).or_default() += 1;
                }
            }
        }
    }
    out
}

#[test]
fn every_count_of_action_items_agrees_across_pages_the_json_export_and_check() {
    // As of mid-2024, a generated book has items overdue, items to do not yet due,
    // items in progress, done and won't do.
    let book = Book::corpus(
        300,
        "[book]\ntitle = \"Counts\"\n\n[build]\nas-of = 2024-06-30\n",
    );
    let site = book.build();
    let json: serde_json::Value = serde_json::from_str(&site.page("api/incidents.json")).unwrap();
    let truth = truth(&json);
    for set in ["to-do", "overdue", "in-progress", "done", "wont-do"] {
        assert!(
            truth[&format!("book|{set}")] > 0,
            "the book has items {set}"
        );
    }
    assert!(
        truth["book|to-do"] > truth["book|overdue"],
        "some to do are not yet due"
    );

    // Every mark on every page: its key, its number, the pages it is on.
    let mark = scraper::Selector::parse("[data-ib-count]").unwrap();
    let mut seen: BTreeMap<String, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    for file in site.files().into_iter().filter(|f| f.ends_with(".html")) {
        let html = scraper::Html::parse_document(&site.page(&file));
        for e in html.select(&mark) {
            let key = e.value().attr("data-ib-count").unwrap().to_owned();
            let text: String = e.text().collect();
            let n: usize = text
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{file}: {key} = {text:?}"));
            seen.entry(key)
                .or_default()
                .entry(n)
                .or_default()
                .insert(file.clone());
        }
    }
    let mut disagreements = Vec::new();
    for (key, values) in &seen {
        let want = truth.get(key).copied().unwrap_or(0);
        if values.len() != 1 || !values.contains_key(&want) {
            disagreements.push(format!("{key}: truth {want}, pages {values:?}"));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");

    // The same sets are counted on every kind of page.
    let on = |key: &str| -> BTreeSet<String> {
        seen.get(key)
            .map(|v| v.values().flatten().cloned().collect())
            .unwrap_or_default()
    };
    let book_to_do = on("book|to-do");
    for page in ["index.html", "actions/index.html"] {
        assert!(book_to_do.contains(page), "{page}: {book_to_do:?}");
    }
    let (team, _) = seen
        .keys()
        .filter_map(|k| k.strip_prefix("team:"))
        .filter_map(|k| k.split_once('|'))
        .find(|(_, set)| *set == "overdue")
        .expect("a team's overdue count");
    let team_pages = on(&format!("team:{team}|overdue"));
    for page in [
        "actions/index.html".to_owned(),
        format!("actions/{team}.html"),
        "insights/index.html".to_owned(),
    ] {
        assert!(team_pages.contains(&page), "{page}: {team_pages:?}");
    }
    let factor = json["incidents"][0]["action_items"][0]["addresses"][0]
        .as_str()
        .unwrap();
    let factor_pages = on(&format!("factor:{factor}|to-do"));
    for page in [
        "actions/index.html".to_owned(),
        format!("factors/{factor}.html"),
        "factors/index.html".to_owned(),
    ] {
        assert!(factor_pages.contains(&page), "{page}: {factor_pages:?}");
    }

    // The JSON export's own totals.
    let totals = &json["action_items"];
    for (field, set) in [
        ("total", "all"),
        ("to_do", "to-do"),
        ("overdue", "overdue"),
        ("in_progress", "in-progress"),
        ("done", "done"),
        ("wont_do", "wont-do"),
    ] {
        assert_eq!(
            totals[field].as_u64(),
            Some(truth[&format!("book|{set}")] as u64),
            "{field}"
        );
    }

    // check's summary names the same sets with the same numbers.
    let out = book.cmd(&["check"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let sentence = format!(
        "action items as of 2024-06-30: {} to do, of which {} overdue; {} done; {} won't do ({} in all)",
        truth["book|to-do"],
        truth["book|overdue"],
        truth["book|done"],
        truth["book|wont-do"],
        truth["book|all"]
    );
    assert!(stderr.contains(&sentence), "{sentence}\n{stderr}");
}
