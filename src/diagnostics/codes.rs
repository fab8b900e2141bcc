//! The catalogue of diagnostic codes: one place for each code's number, default level,
//! one-line summary and long explanation (`incidentbook explain CODE`).
//!
//! Numbering: IB00xx reading and publishing files, IB01xx front matter, IB02xx structure,
//! IB03xx language, IB04xx references and links, IB05xx timeline, IB06xx the learning
//! loop, IB07xx leaks (what must not leave the company) and the public edition.
//! Codes are stable: never renumber one, only add.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $summary:literal, $explanation:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            pub fn explanation(self) -> &'static str {
                match self { $( Code::$variant => $explanation, )* }
            }
        }
    };
}

codes! {
    Unreadable = "IB0001", Error, "a file could not be read",
"A file under the content folder could not be read: it is not readable by the current
user, it disappeared while the book was being read, or the disk returned an error.

The rest of the book is still checked. Fix the file's permissions, or add the file to
[build] ignore in book.toml if it is not a post-mortem.";

    InvalidUtf8 = "IB0002", Error, "a file is not valid UTF-8 text",
"Post-mortems must be UTF-8 text. The diagnostic points at the line of the first byte
that is not valid UTF-8. Files saved by some editors in Latin-1 or UTF-16 show this;
re-save the file as UTF-8. A binary file named .md also shows this: rename it or add
it to [build] ignore.";

    WalkError = "IB0003", Error, "a folder could not be walked",
"A folder under the content folder could not be listed, or a symbolic link points back
at one of its own parent folders (a loop). The folder is skipped; remove the link or fix
the folder's permissions.";

    EmptyFile = "IB0004", Warning, "a Markdown file is empty",
"The file holds nothing but white space, so it is not published. Write the
post-mortem (`incidentbook new \"TITLE\"` starts one from the template), or delete the
file.";

    NotPublished = "IB0005", Warning, "a file next to the post-mortems is not published",
"Files under the content folder that are not Markdown are published under media/ so
that post-mortems can show them. A file that a browser would run on the site's own
origin is never published: HTML, XHTML, XML, JavaScript, WebAssembly, and SVG that
holds script, event handlers, foreign objects or references to other files. A file of
an unknown type is published only when a post-mortem links to it.

Link to a screenshot (PNG, JPEG, WebP) or a PDF instead, remove the active parts of the
SVG, or add the file to [build] ignore in book.toml if it is not meant for the site.";

    OutsideBook = "IB0006", Error, "a symbolic link points outside the book",
"A symbolic link under the content folder leads to a file or folder outside the book's
folder (the folder of book.toml). Nothing outside the book is read or published, so
the link is skipped. Copy the file into the book, or remove the link.";

    TooLarge = "IB0007", Error, "a file is larger than the book allows",
"A post-mortem or factor description is larger than [build] max-file-size (by default
4 MiB). Such a file is almost always a pasted log or an export by mistake; it is not
read, so that one file cannot exhaust the memory of a build or of serve. Move the log
into a file of its own next to the post-mortem and link to it, or raise the limit:

    [build]
    max-file-size = 16777216";

    OutputCollision = "IB0008", Error, "two sources would be published at the same address",
"Every page of the site has exactly one source. Two post-mortems, factors, services,
teams or tags whose names become the same address (the same slug, or names that differ
only in letter case on a case-insensitive host), or a name that takes the address of a
page the site makes itself (`index`), would overwrite each other. The diagnostic names
both; rename one of them, or give a post-mortem a distinct `slug`.";

    ControlCharacter = "IB0009", Warning, "a file holds control characters",
"A post-mortem holds a control character (an escape, a backspace, a bell...): invisible
in an editor, but one can recolour or rewrite a terminal, start a command in a CI log,
or make the feed unreadable XML. Each is read as a space, so nothing of it reaches a
page, a log or the feed. Delete it from the file; it usually comes from text pasted out
of a terminal.";

    DeepHtml = "IB0010", Warning, "raw HTML nests too deep to publish as HTML",
"Markdown and raw HTML together nest more than 256 elements deep somewhere in a
section (block quotes in block quotes, or tags opened and never closed). Checking that
much raw HTML for script would take minutes, so the section's raw HTML is shown as
text instead; its Markdown is published as usual. Close the tags, or remove the
nesting; no real post-mortem needs more than a few levels.";

    NotADocument = "IB0011", Warning, "a post-mortem is not read because of its file name",
"Only files whose names end in `.md` are read as post-mortems. This one looks like a
post-mortem (Markdown under another extension, such as `.markdown`, or a file that
opens with front matter but has no `.md`), so it is neither read nor copied to the
site as a raw file. Rename it to end in `.md`, or list it in `[build] ignore` if it is
not meant to be published.";

    UnclosedFrontMatter = "IB0101", Error, "front matter is never closed",
"A file starts with `---` (YAML) or `+++` (TOML) but the closing line is missing, so the
whole file would be read as front matter. Add the closing `---` (or `+++`) on a line of
its own after the last field:

    ---
    title: Orders database locked during migration
    date: 2024-03-12
    ---";

    FrontMatterSyntax = "IB0102", Error, "front matter is not valid YAML or TOML",
"The block between the `---` lines is not valid YAML (or, between `+++`, TOML). The
diagnostic points at the line in the file where the parser stopped. Common causes: a
value holding `: ` that is not quoted, a tab used for indentation, a list item not
aligned with its siblings. Quote values that contain colons:

    title: \"Checkout: payments failed\"";

    MissingField = "IB0103", Error, "a required front-matter field is missing",
"Every post-mortem declares the fields the site and the checks rely on: by default
title, date, severity, status and services. Add the missing field to the front matter.
`incidentbook new \"TITLE\"` writes a file with every field in place.";

    InvalidField = "IB0104", Error, "a front-matter field has the wrong type or value",
"A field holds a value of the wrong kind: a date that is not YYYY-MM-DD, a timestamp
that is not RFC 3339 (`2024-03-12T14:05:00Z`), a single value where a list is expected,
or a list item missing its `id`. Correct the value; the help line shows the form expected.";

    InvalidValue = "IB0105", Error, "a front-matter field holds a value that is not allowed",
"`severity` and `status` take one of the values configured in book.toml (by default
SEV1, SEV2, SEV3, SEV4 and draft, in-review, final), so that lists, filters and counts
stay consistent across the book. Use one of the listed values, or add yours to
[validation] severities / statuses:

    [[validation.severities]]
    name = \"SEV0\"
    description = \"Company-wide outage\"";

    DuplicateSlug = "IB0106", Error, "two post-mortems have the same slug",
"Every post-mortem is published at incidents/<slug>.html, where the slug is the `slug`
field or else the file name. Two files with the same slug would overwrite each other's
page. Rename one file, or give one of them a distinct `slug` in its front matter.";

    UnknownField = "IB0107", Warning, "an unknown front-matter field",
"The front matter holds a key outside the schema. It is kept (templates can show it as
`page.extra`), but it may be a misspelling of a known field (`severty`). Correct it, or
declare it as expected:

    [validation]
    extra-fields = [\"runbook_url\"]

or accept any field with `allow-unknown-fields = true`.";

    TimestampOrder = "IB0108", Error, "incident timestamps are out of order",
"The timestamps must follow the incident: started <= detected <= mitigated <= resolved.
Durations (time to detect, mitigate, resolve) are computed from them. Check the dates
and the time zones (`Z`, `+02:00`) of the timestamps named in the message.";

    Placeholder = "IB0109", Error, "a final post-mortem still holds TODO or TBD",
"A post-mortem whose status is final is the published record; TODO and TBD markers say
it is not finished. Fill in the missing part, or move the status back to in-review.";

    DateMismatch = "IB0110", Warning, "a file's name starts with another date than its front matter",
"A post-mortem's file is named after the incident's date (`incidentbook new` writes
`content/2024/2024-03-12-orders-lock.md` for an incident of 12 March 2024), and its
front matter says `date: 2024-03-13`. One of the two is wrong: the site dates the
incident by the front matter, while people browsing the folder, and tools that sort
files by name, go by the name. Rename the file after the date it gives, or correct
`date` to the one in the name:

    git mv content/2024/2024-03-12-orders-lock.md content/2024/2024-03-13-orders-lock.md";

    LooseDate = "IB0111", Warning, "a date is not written YYYY-MM-DD",
"Dates in the front matter are written as ISO 8601 writes them: four digits for the
year, two for the month and two for the day (`2026-12-04`). A date such as `2026-12-4`
or `2026-1-04` is still read as the day it names, but it does not sort with the others
as text, does not match a file named after it, and other tools may read it otherwise.
Write the zeros: the help line shows the date as it should be written.";

    TemplateText = "IB0112", Warning, "the template's sample text is still there (an error once final)",
"`incidentbook new` fills a post-mortem with samples to replace: `example-service`,
`example-team`, the sample summary, timestamps at midnight and the timeline's \"What
happened first.\". Left in, they would be published as if they were facts. Replace
each with what happened, or delete it. It is a warning while the post-mortem is a
draft or in review, and an error once its status is final.";

    NotRecorded = "IB0113", Info, "an imported post-mortem lacks what its original never recorded",
"`incidentbook import` brings post-mortems written before incidentbook into the
template and marks them `imported: DATE`. A required field or section their original
never recorded (a severity, the services, a What Went Well section) cannot be made up
afterwards, so for these files its absence is a note rather than an error; new
post-mortems are held to the whole template. Fill it in when you know it, or leave it:
the page shows nothing in its place.";

    MissingSection = "IB0201", Error, "a required section is missing",
"Every post-mortem has the sections of the blameless template, by default Timeline,
Contributing Factors, What Went Well, Improvement Opportunities and Action Items, as
headings of the same level (usually `##`). Headings match without regard to case and
punctuation, and aliases count (\"Root Causes\" for Contributing Factors). Add the
section, or configure the template in book.toml:

    [[validation.sections]]
    name = \"Lessons Learned\"
    required = false";

    EmptySection = "IB0202", Warning, "a section is empty",
"The section has a heading but no text. Write it, or, if there is truly nothing to say,
say so in a sentence (\"No action items: the fix was part of the incident response.\"),
so readers know it was considered.";

    DuplicateSection = "IB0203", Warning, "a section appears twice",
"The same section heading appears twice at section level. Readers and tools expect one
of each; merge the two, or make one a sub-heading (`###`).";

    SectionOrder = "IB0204", Warning, "sections are out of the template's order",
"Readers of many post-mortems find their way faster when every one has the same
order. Move the section to its place, or turn the check off with
`[validation] section-order = false`.";

    SectionTypo = "IB0205", Warning, "a heading looks like a misspelt section name",
"The heading is one or two letters away from a section of the template, so it is taken
to be that section. Correct the spelling so that search and tools see the canonical
name.";

    SectionLevel = "IB0206", Warning, "a section's heading is at the wrong level",
"A heading names a section of the template (Timeline, Action Items…) but is deeper than
the other sections and comes before the first of them, as `### Timeline` above `##`
sections. Give it the level of the other sections. Under a section (\"Lessons
Learned\" > \"What Went Well\"), a sub-heading named like a section is taken as meant
and not reported.";

    PersonAsCause = "IB0301", Warning, "a person is named as the cause",
"A post-mortem that names a person (by name, @handle or individual role: \"the
engineer\", \"the intern\", \"the on-call\") as the subject of a failure (\"failed
to\", \"forgot\", \"missed\", \"ignored\") or as at fault (\"Mike's mistake\") puts
that person on trial, and stops the review at them. People acted sensibly on what they
knew; describe the condition that allowed the outcome instead: \"the pipeline had no
staging step for migrations\". The Timeline may record who did what as facts (\"02:14
Mike rolled back the migration\"), and naming someone to give credit is always fine.
Silence a deliberate use with `<!-- incidentbook-disable-next-line IB0301 -->`.";

    BlameWords = "IB0302", Warning, "blame or hindsight words",
"Words like \"human error\", \"careless\", \"negligent\", \"sloppy\", \"should have
known\" or \"obviously\" judge people with hindsight: what is obvious after the
incident was not obvious before it. Say what made the action reasonable at the time,
and what in the system would have made the outcome visible.";

    PersonCounterfactual = "IB0303", Warning, "a counterfactual about what a person should have done",
"\"The engineer should have checked\" imagines a different person rather than a
different system. Ask what information they had, and how the system might make the
right action the easy one. Counterfactuals about systems (\"the alert should have fired
at 02:05\") are fine, and so is a leader owning a decision in the first person (\"As
the manager, I should have…\").";

    TrialQuestion = "IB0304", Warning, "a question that puts someone on trial",
"\"Why did you…\", \"Who approved…\", \"What were you thinking…\" look for a culprit.
Ask questions that look for conditions: \"How might we…?\", \"What information did
the responder have when…?\", \"What made this the sensible choice at the time?\"";

    BehaviourAction = "IB0305", Warning, "an action item aims at individual behaviour",
"Action items such as \"be more careful\", \"double-check\", \"remember to\",
\"retrain\" or \"talk to Mike\" ask people to be better instead of changing the
system, and they decay within weeks. Suggest a change to a tool, a default, a check or a
process: \"make the deploy script refuse unreviewed migrations\". An action item is
owned by a team, not a person, so it survives people changing roles.";

    RootCause = "IB0306", Info, "\"root cause\" in the singular",
"Incidents in complex systems rarely have a single root cause, and \"root cause: human
error\" ends the inquiry where it should start. Describe the contributing factors: the
conditions that together made the incident possible.";

    BrokenLink = "IB0401", Error, "a relative link points at a file that does not exist",
"A link or image with a relative path (`../2023/2023-05-01-dns.md`, `diagram.png`) must
point at a file of the book: another post-mortem, or a file in the content folder that
is copied to the site. Paths are relative to the file that holds the link. Correct the
path, or use an absolute URL for pages outside the book.";

    UnknownFactor = "IB0402", Error, "a contributing factor is not in the catalogue",
"Contributing factors are named by id, and each id has a description in
`content/factors/<id>.md` (front matter `title` and `category`, the description as the
body). This makes the same condition one page, linked from every incident it contributed
to. Correct the id (the help line suggests the closest), create the factor's file, or
accept ad-hoc factors with `[validation] allow-ad-hoc-factors = true`.";

    DuplicateActionItem = "IB0403", Error, "two action items have the same id",
"Action-item ids are unique across the book, so `[[AI-2024-012]]` and the board always
mean one item. Give one of them a new id.";

    BrokenWikiLink = "IB0404", Error, "a wiki link names nothing in the book",
"`[[id]]` links to a contributing factor (by id or alias), an action item (by id) or a
post-mortem (by slug: its file name without `.md`, or its `slug` field). `[[id|text]]`
sets the link text. The help line suggests the closest existing id.";

    UnknownCategory = "IB0405", Warning, "a factor's category is not one of the book's",
"Factor categories group the factor index. The default list is testing, deployment,
monitoring, capacity, dependencies, configuration, process and knowledge; set your own
with `[validation] factor-categories`.";

    TimelineNoTime = "IB0501", Warning, "a timeline entry has no time",
"Each entry of the Timeline starts with a time: `14:05`, `14:05:30`, `2024-03-12 14:05`
or a full timestamp, optionally in bold or code (`**14:05**`). Times without a zone
are in the post-mortem's `timezone` field, else [validation] timezone (default UTC).";

    TimelineOrder = "IB0502", Warning, "timeline entries are out of order",
"Timeline entries are read in order. An entry earlier than the one before it is
reported; a time more than twelve hours earlier is read as the next day (timelines
cross midnight). Write the date (`2024-03-13 00:10`) to be explicit.";

    TimelineOutsideWindow = "IB0503", Warning, "a timeline entry is outside the incident window",
"An undated entry's time falls more than an hour (`[validation] timeline-grace-minutes`)
before `started` or after `resolved`. Check the time and
the zone. Entries that deliberately describe context before or after the incident (the
change deployed the day before) can carry their date, `2024-03-11 16:00`, which
exempts them from this check.";

    RecurringUnaddressed = "IB0601", Warning, "a factor keeps recurring and nothing addresses it",
"The factor contributed to several incidents (3 by default, `[validation]
recurrence-threshold`) and no action item lists it in `addresses`. A condition that keeps
coming back without a change aimed at it is the clearest sign the learning loop is not
closing. Add an action item that addresses it.";

    ActionWithoutFactor = "IB0602", Warning, "an action item addresses no contributing factor",
"Action items say which factors they address (`addresses: [factor-id]`), so each
factor's page shows what was done about it and whether it recurred afterwards. Add the
ids of the factors this item is meant to change.";

    OverdueAction = "IB0603", Warning, "an open action item is past its due date",
"The item is open or in progress and its due date has passed (judged against `[build]
as-of`, `SOURCE_DATE_EPOCH` or today). Update its status, or agree a new due date.";

    FinalWithoutActions = "IB0604", Warning, "a final post-mortem has no action items",
"A post-mortem marked final declares no action items in its front matter. If the
review decided that nothing needs to change, say so in the Action Items section and
silence this finding for the file; otherwise declare the items so the board can follow
them up.";

    PrivateKey = "IB0701", Error, "a private key",
"The file holds the first line of a private key (`-----BEGIN … PRIVATE KEY-----`).
A key pasted into a post-mortem is compromised: rotate it, then remove it.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0701 -->`.";

    AccessKey = "IB0702", Error, "a cloud access key",
"The file holds a cloud provider's access key: an AWS key id (`AKIA…`, `ASIA…`), a
Google Cloud API key (`AIza…`) or an Azure storage account key (`AccountKey=…`).
AWS's documentation example (`…EXAMPLE`) is not reported. Rotate the key.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0702 -->`.";

    Token = "IB0703", Error, "an access token",
"The file holds a token in a form its service issues: GitHub (`ghp_`, `github_pat_`),
GitLab (`glpat-`), Slack (`xoxb-`, a webhook URL), Stripe (`sk_live_`), npm, SendGrid,
Google OAuth (`ya29.`), or a random-looking `Bearer` token. Revoke the token.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0703 -->`.";

    Jwt = "IB0704", Error, "a JSON Web Token",
"The file holds a JSON Web Token (three base64url parts starting `eyJ`): a session or
service credential, often still valid, and its payload may name a user.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0704 -->`.";

    PasswordInUrl = "IB0705", Error, "a password in a URL",
"A URL carries a password (`postgres://user:PASSWORD@host/db`). Placeholders such as
`${DB_PASSWORD}`, `<password>` or `****` are not reported. Change the password.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0705 -->`.";

    SecretAssignment = "IB0706", Error, "a random-looking value assigned to a secret",
"A key named like a secret (`API_KEY=`, `client_secret:`, `token =`) is given a value
that looks random: letters and digits mixed, at least 3.5 bits per character and 16
characters or more. Placeholders and keys naming a hash (`sha256:`) are not reported;
version numbers, timestamps and hashes never look random this way.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0706 -->`.";

    Email = "IB0707", Error, "an e-mail address",
"The file holds an e-mail address: a person's or a customer's, which the public must
not see. Addresses at documentation domains (`example.com`, `.example`, `.test`) and
SSH remotes (`git@github.com`) are not reported; list a support address in
[leaks] allow.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0707 -->`.";

    Phone = "IB0708", Error, "a phone number",
"The file holds a phone number: an international one (`+44 20 7946 0958`) or a North
American one (`(415) 555-2671`, `415-555-2671`).

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0708 -->`.";

    IpAddress = "IB0709", Error, "an IP address",
"The file holds an IPv4 or IPv6 address, which reveals the network. Loopback,
unspecified and documentation addresses (`192.0.2.0/24`, `198.51.100.0/24`,
`203.0.113.0/24`, `2001:db8::/32`) and version numbers (`version 1.2.3.4`) are not
reported.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0709 -->`.";

    InternalHost = "IB0710", Error, "an internal host name",
"The file holds a host name that [leaks] internal-hosts calls internal (by default
`*.internal`, `*.corp` and `*.intranet`; a list of yours replaces them):

    [leaks]
    internal-hosts = [\"*.internal\", \"*.corp.example.com\", \"build01.example.com\"]

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0710 -->`.";

    RosterName = "IB0711", Error, "a name from the roster",
"The file names someone listed in the roster file ([leaks] roster, one name a line):
people or customers who must not be named in public. Names match as whole words, with
their capitals.

An error in public material (a post-mortem with `visibility: public`, outside its
internal passages), a warning in internal material. The value is masked in the
diagnostic so that CI logs do not repeat it. Remove it, move it into an internal
passage (a fenced ```internal block, or a section whose heading ends in `{.internal}`),
list a value that is fine to publish in [leaks] allow, or silence one line with
`<!-- incidentbook-disable-next-line IB0711 -->`.";

    LinkToInternal = "IB0712", Error, "public material links to what the public edition leaves out",
"A public post-mortem links to an internal post-mortem (or names it in a wiki link).
The public edition leaves the internal one out, so the link would lead nowhere, and its
title would tell what the internal one is about. Remove the link, move it into an
internal passage, or make the other post-mortem public.";
}

impl Code {
    /// Whether the finding's place holds a value no log may repeat (the leak check's):
    /// the snippet shows it masked.
    pub fn masks_value(self) -> bool {
        matches!(
            self,
            Code::PrivateKey
                | Code::AccessKey
                | Code::Token
                | Code::Jwt
                | Code::PasswordInUrl
                | Code::SecretAssignment
                | Code::Email
                | Code::Phone
                | Code::IpAddress
                | Code::InternalHost
                | Code::RosterName
        )
    }

    /// Looks a code up by its text, case-insensitively (`ib0101` works too).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// By its code (`IB0301`), as serialized: the build cache keeps the language lint's
/// findings with each post-mortem's parse.
impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let code = String::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code {code}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert!(
                code.explanation().len() > 40,
                "{} needs an explanation",
                code.as_str()
            );
            assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(*code));
        }
    }
}
