#!/usr/bin/env python3
"""Writes a synthetic archive of blameless post-mortems for the benchmark scripts.

    scripts/gen_corpus.py N OUTDIR [--seed S] [--format yaml|hugo|zola|mdbook] [--jobs J]

Each post-mortem is a plausible incident: a customer-facing service, a dependency, a
mechanism (a migration lock, replica lag, a retry storm, ...), a timeline that runs from
the change that set it off to the resolution, the conditions that made it possible
(from a catalogue of factors, written to content/factors/), what went well, what the
team wants to improve, and follow-up actions that address every factor. Bodies average
about 1,200 words and hold inline code, fenced code blocks, tables and links to earlier
post-mortems of the same service or mechanism.

Formats (the same incidents, so the tools measured get the same text):
  yaml    incidentbook's schema: OUTDIR/content/YYYY/*.md and content/factors/*.md
  hugo    the same YAML front matter, links as relref shortcodes, no factor pages
  zola    TOML front matter (taxonomies tags and services), _index.md per section
  mdbook  no front matter, the title as a heading; content/SUMMARY.md and README.md
A minimal configuration (book.toml, hugo.toml or config.toml and templates) is written
next to content/ when none is there; the benchmark scripts write their own.

Deterministic: the same N and seed give the same bytes whatever --jobs is, and the first
K post-mortems of a corpus of N are those of a corpus of K (links only point backwards).
Prints a summary line (documents, words, average, bytes) on stderr. Python 3 standard
library only. Random prose, not test fixtures: use it for benchmarks and scale tests.
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys

# ---------------------------------------------------------------------------------------
# Organisation: services (owning team, kind), people, places.

SERVICES = {
    # customer-facing
    "checkout-api": ("checkout-team", "api"),
    "cart-service": ("checkout-team", "api"),
    "orders-api": ("orders-team", "api"),
    "catalog-api": ("catalog-team", "api"),
    "pricing-engine": ("catalog-team", "api"),
    "search-api": ("search-team", "api"),
    "accounts-api": ("identity-team", "api"),
    "payments-gateway": ("payments-team", "api"),
    "shipping-quotes": ("fulfilment-team", "api"),
    "api-gateway": ("edge-team", "edge"),
    "graphql-edge": ("edge-team", "edge"),
    "recommendations": ("growth-team", "api"),
    "mobile-bff": ("mobile-team", "api"),
    "identity-provider": ("identity-team", "auth"),
    "token-service": ("identity-team", "auth"),
    "sso-bridge": ("identity-team", "auth"),
    # data stores
    "orders-db": ("storage-team", "db"),
    "ledger-postgres": ("payments-team", "db"),
    "accounts-mysql": ("storage-team", "db"),
    "inventory-db": ("fulfilment-team", "db"),
    "analytics-warehouse": ("data-team", "db"),
    "session-redis": ("platform-team", "cache"),
    "catalog-cache": ("catalog-team", "cache"),
    "rate-limit-redis": ("edge-team", "cache"),
    "search-cluster": ("search-team", "db"),
    # messaging and batch
    "events-kafka": ("messaging-team", "queue"),
    "jobs-rabbitmq": ("messaging-team", "queue"),
    "webhook-dispatcher": ("messaging-team", "queue"),
    "email-sender": ("growth-team", "queue"),
    "billing-batch": ("billing-team", "batch"),
    "nightly-reports": ("data-team", "batch"),
    "search-indexer": ("search-team", "batch"),
    "payout-runner": ("payments-team", "batch"),
    # infrastructure
    "cdn-edge": ("edge-team", "edge"),
    "ingress-nginx": ("platform-team", "edge"),
    "public-dns": ("edge-team", "infra"),
    "k8s-control-plane": ("platform-team", "infra"),
    "object-storage": ("storage-team", "infra"),
    "secrets-vault": ("security-team", "infra"),
    "feature-flags": ("platform-team", "infra"),
    "service-mesh": ("platform-team", "infra"),
    "ci-runners": ("developer-experience-team", "infra"),
}
SERVICE_NAMES = list(SERVICES)
FRONT = [s for s, (_, kind) in SERVICES.items() if kind in ("api", "edge", "auth")]
BY_KIND = {}
for _name, (_team, _kind) in SERVICES.items():
    BY_KIND.setdefault(_kind, []).append(_name)
TEAMS = sorted({team for team, _ in SERVICES.values()} | {"sre-team"})

FIRST = ("amara ben chen dana elif farid grace hana ivan jonas kemal lena marta nadia "
         "omar priya quinn rafael sofia tomas uma viktor wen xavier yara zoltan aisha "
         "bruno carla dmitri emeka fatima gustavo hiro ines jamal kaito leila mateo noor").split()
LAST = ("okafor lindqvist nakamura moreau haddad kowalski fernandes osei novak ibrahim "
        "castillo bergstrom tanaka mensah rossi petrov gupta oconnell silva dubois kim "
        "abebe horvat ozturk nguyen schmidt santos eriksen mwangi larsen").split()
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1",
           "ap-northeast-1", "sa-east-1"]
AUDIENCES = ["customers in the EU", "mobile users", "merchants", "new sign-ups",
             "enterprise tenants", "customers in North America", "partners on the public API",
             "the support team", "customers paying by card", "customers in Asia-Pacific",
             "returning customers", "marketplace sellers"]

# What customers saw: phrase, slug, verb phrase for the summary.
SYMPTOMS = [
    ("elevated error rates", "elevated-errors", "returned errors"),
    ("checkout failures", "checkout-failures", "could not complete checkout"),
    ("slow page loads", "slow-pages", "loaded pages slowly"),
    ("login failures", "login-failures", "could not sign in"),
    ("delayed notifications", "delayed-notifications", "received notifications late"),
    ("stale search results", "stale-search", "saw stale search results"),
    ("failed payments", "failed-payments", "saw card payments declined"),
    ("missing order updates", "missing-order-updates", "saw orders stuck in a pending state"),
    ("a partial outage", "partial-outage", "saw intermittent failures"),
    ("a full outage", "outage", "could not reach the service at all"),
    ("delayed payouts", "delayed-payouts", "received payouts late"),
    ("webhook delivery delays", "webhook-delays", "received webhooks late"),
    ("API timeouts", "api-timeouts", "saw requests time out"),
    ("duplicate emails", "duplicate-emails", "received the same email several times"),
]

# ---------------------------------------------------------------------------------------
# Mechanisms. `deps`: kinds of the service where it happened; `areas`: where the factors
# lie; `change`: what set it off (timeline); `onset`: the first signal; `clues`: what the
# responders found; `fixes`: what mitigated it; `mech`: how it worked, for the factors.

SCENARIOS = [
    dict(key="migration-lock", label="a schema migration lock", noun="migration lock",
         deps=["db"], areas=["database-migrations", "deploy-pipeline", "connection-pools"],
         tags=["database", "migration", "postgres", "locking"],
         metrics=["pg_locks_waiting", "db_query_duration_seconds", "pg_stat_activity_count"],
         errors=["canceling statement due to lock timeout", "Lock wait timeout exceeded; try restarting transaction"],
         change=["The release pipeline started migration `{mig}` against {dep}.",
                 "Migration `{mig}` began an `ALTER TABLE` on the `{table}` table of {dep}."],
         onset=["Queries waiting on locks in {dep} rose from {n} to {num}.",
                "Writes to the `{table}` table on {dep} started to queue behind the migration."],
         clues=["`pg_stat_activity` on {dep} showed {num} sessions waiting on an `AccessExclusiveLock` held by the migration.",
                "The lock graph for {dep} pointed at migration `{mig}`, still rewriting the `{table}` table.",
                "The migration lock on `{table}` was blocking every write from {svc}."],
         fixes=["The migration was cancelled with `pg_cancel_backend` and its lock released.",
                "The team rolled back migration `{mig}`; queued writes drained within {mins} minutes."],
         mech=["The migration lock on `{table}` was taken in a single transaction, so every write queued behind it until the connection pool of {svc} was empty.",
               "A migration that rewrites a table holds its lock for as long as the rewrite runs, and on production data that was {n} times longer than in staging.",
               "Nothing in the release pipeline estimated how long a migration lock would be held before it ran."],
         code=["sql", "log"]),
    dict(key="replica-lag", label="replica lag", noun="replica lag",
         deps=["db"], areas=["replication", "batch-jobs"],
         tags=["database", "replication", "consistency"],
         metrics=["replica_lag_seconds", "mysql_slave_lag_seconds", "wal_receive_lag_bytes"],
         errors=["read-after-write consistency violated", "row not found for id {num}"],
         change=["A bulk backfill job started writing to {dep}.",
                 "The nightly `{job}` job began updating rows on {dep}."],
         onset=["Replica lag on {dep} passed {num} seconds.",
                "Reads from the replicas of {dep} started returning rows several minutes old."],
         clues=["Replica lag on {dep} was above {num} seconds on every replica in {region}.",
                "The replica lag graph matched the start of the backfill to the minute.",
                "Requests from {svc} read their own writes from a replica that was behind by {mins} minutes."],
         fixes=["The backfill was paused and replica lag fell under one second within {mins} minutes.",
                "Reads from {svc} were pinned to the primary of {dep} until the replicas caught up."],
         mech=["Replica lag was not part of the routing decision: {svc} kept reading from replicas whatever their delay.",
               "The backfill wrote in batches of {num} rows with no pause between them, faster than a single replication thread applies them.",
               "Read-your-writes for {svc} relied on replica lag staying below one second, an assumption no test or alert covered."],
         code=["sql", "yaml"]),
    dict(key="connection-pool", label="database connection pool exhaustion", noun="connection pool exhaustion",
         deps=["db"], areas=["connection-pools", "client-retries", "autoscaling"],
         tags=["database", "connection-pool", "timeouts"],
         metrics=["db_pool_in_use", "db_pool_wait_seconds", "hikaricp_connections_pending"],
         errors=["timeout waiting for connection from pool", "FATAL: sorry, too many clients already",
                 "remaining connection slots are reserved for non-replication superuser connections"],
         change=["{svc} was scaled from {n} to {num} pods for an expected traffic peak.",
                 "A new consumer of {dep} was deployed with its own database connection pool."],
         onset=["Connection pool wait time on {svc} rose above {ms} ms.",
                "Requests from {svc} to {dep} began timing out while waiting for a connection."],
         clues=["Every instance of {svc} had all {n}0 connections of its pool in use; the database connection pool was the bottleneck, not {dep} itself.",
                "{dep} reported {num} open connections, close to its `max_connections` limit.",
                "Connection pool timeouts matched the scale-up of {svc} to the minute."],
         fixes=["{svc} was scaled back and a connection pooler placed in front of {dep}.",
                "The pool size of {svc} was lowered to {n}0 per pod, which kept the total under the limit of {dep}."],
         mech=["Each pod of {svc} opens its own database connection pool, so scaling out multiplied the connections to {dep} past its limit.",
               "Connection pool timeouts were retried at once, which kept every connection busy.",
               "The connection pool size was set years ago for a fleet a quarter of its current size."],
         code=["yaml", "log"]),
    dict(key="cert-expiry", label="an expired TLS certificate", noun="expired certificate",
         deps=["edge", "auth", "infra"], areas=["certificates", "secrets"],
         tags=["tls", "certificates", "security"],
         metrics=["tls_handshake_errors_total", "probe_ssl_earliest_cert_expiry"],
         errors=["x509: certificate has expired or is not yet valid", "SSL_ERROR_EXPIRED_CERT_ALERT",
                 "PKIX path validation failed"],
         change=["The certificate for `{domain}` reached its expiry date.",
                 "The intermediate certificate in the bundle on {dep} expired."],
         onset=["TLS handshakes to {dep} began failing for every client.",
                "Synthetic probes of `{domain}` reported certificate errors."],
         clues=["`openssl s_client` against {dep} showed a certificate that had expired at {clock} UTC.",
                "The renewal job for the certificate had not run since the vault path moved {n} months earlier."],
         fixes=["A renewed certificate was issued and rolled out to {dep}.",
                "The team installed the renewed certificate on {dep} and restarted the listeners."],
         mech=["Certificate renewal was a manual task recorded in a calendar that nobody owned after a reorganisation.",
               "The expiry alert watched only the leaf certificate, not the intermediate in the bundle.",
               "Certificates for internal endpoints were outside the automated renewal, which covered public names only."],
         code=["console", "log"]),
    dict(key="kafka-lag", label="Kafka consumer lag", noun="consumer lag",
         deps=["queue"], areas=["kafka-consumers", "autoscaling", "queues"],
         tags=["kafka", "queues", "consumer-lag"],
         metrics=["kafka_consumergroup_lag", "consumer_records_lag_max", "rebalance_total"],
         errors=["CommitFailedException: the group has already rebalanced", "Offset commit failed on partition {n}"],
         change=["A consumer deploy of {svc} changed the `max.poll.records` setting.",
                 "Traffic on the `{topic}` topic tripled during a marketing campaign."],
         onset=["Kafka consumer lag on `{topic}` passed {num} thousand messages.",
                "The consumer group of {svc} started rebalancing every few minutes."],
         clues=["Kafka consumer lag grew on all {n}0 partitions of `{topic}`, not on a single hot one.",
                "Consumers of {svc} spent most of their time rebalancing, since each poll took longer than `max.poll.interval.ms`.",
                "The consumer group had more members than `{topic}` has partitions, so the extra consumers idled."],
         fixes=["The `max.poll.records` change was reverted and consumer lag drained in {mins} minutes.",
                "Partitions of `{topic}` were increased and consumers of {svc} scaled to match."],
         mech=["Consumer lag had no alert of its own: the first signal was customers asking where their updates were.",
               "Each poll fetched more records than a consumer could process within the poll interval, so the group kept rebalancing.",
               "The partition count of `{topic}` capped how far the consumers could scale out."],
         code=["console", "yaml"]),
    dict(key="dns-change", label="a DNS record change", noun="DNS change",
         deps=["infra", "edge"], areas=["dns", "config-rollout"],
         tags=["dns", "networking", "configuration"],
         metrics=["dns_lookup_errors_total", "coredns_responses_nxdomain"],
         errors=["dial tcp: lookup {dep}.internal: no such host", "NXDOMAIN", "SERVFAIL"],
         change=["A change to the `{domain}` zone was applied by the infrastructure pipeline.",
                 "The TTL of the record for {dep} was raised from 60 to 86400 seconds."],
         onset=["Lookups of `{domain}` from {region} began returning NXDOMAIN.",
                "Resolvers in {region} started serving the old address of {dep}."],
         clues=["`dig` from a pod of {svc} returned no answer for the DNS record of {dep}.",
                "The DNS change removed a CNAME that {svc} still used for its health checks.",
                "Cached answers with a day-long TTL kept clients on the old address of {dep}."],
         fixes=["The DNS record was restored; resolvers recovered as caches expired.",
                "The previous zone file was re-applied and resolver caches flushed in {region}."],
         mech=["DNS changes went out through a pipeline that validated syntax but not what depended on each record.",
               "A long TTL turned a ten-minute DNS mistake into hours of cached failures.",
               "The DNS zone had no owner listed for the records {svc} relied on."],
         code=["console"]),
    dict(key="deploy-rollback", label="a deploy whose rollback timed out", noun="rollback timeout",
         deps=["api", "edge", "auth"], areas=["deploy-pipeline", "load-balancing"],
         tags=["deploy", "rollback", "kubernetes"],
         metrics=["kube_deployment_status_replicas_unavailable", "http_requests_errors_total"],
         errors=["deadline exceeded waiting for rollout", "ProgressDeadlineExceeded", "ImagePullBackOff"],
         change=["Deploy `{sha}` of {svc} started rolling out to {region}.",
                 "Version {version} of {svc} began its canary in {region}."],
         onset=["Error rate of {svc} rose to {pct}% in {region}.",
                "Readiness probes for the new pods of {svc} began failing."],
         clues=["The deploy rollback timeout of {mins} minutes expired before half of the pods were replaced.",
                "The rollback of {svc} was stuck: the old image had been garbage-collected from the registry.",
                "Deploy `{sha}` added a startup step that took longer than the readiness timeout."],
         fixes=["The previous image of {svc} was re-pushed and the rollback completed.",
                "The team raised the rollout deadline and rolled {svc} back by hand, {n} pods at a time."],
         mech=["Rollback was the same slow rollout as a deploy: the deploy rollback timeout assumed a fleet half its current size.",
               "The canary stage of {svc} looked only at the error rate, which stayed flat while latency doubled.",
               "Images older than a week were cleaned from the registry, including the one a rollback needed."],
         code=["console", "yaml"]),
    dict(key="disk-full", label="a full disk", noun="disk full",
         deps=["db", "queue", "infra"], areas=["disk-capacity", "batch-jobs"],
         tags=["disk", "storage", "capacity"],
         metrics=["node_filesystem_avail_bytes", "disk_used_percent", "wal_size_bytes"],
         errors=["No space left on device", "could not extend file: No space left on device",
                 "ENOSPC: no space left on device, write"],
         change=["Debug logging was switched on for {dep}.",
                 "A retention change stopped the cleanup of old segments on {dep}."],
         onset=["Free disk space on {dep} fell below {pct}%.",
                "The disk full alert fired for the data volume of {dep}."],
         clues=["The data volume of {dep} was 100% used; write-ahead logs had grown to {num} GB.",
                "The disk full condition was on one volume only: log files under `/var/log/{dep}` had filled it.",
                "Disk usage had grown steadily for {n} weeks before it reached the limit."],
         fixes=["Old segments were deleted and the volume of {dep} was grown by {num} GB.",
                "Log retention on {dep} was restored and the volume expanded online."],
         mech=["Disk usage alerts fired at 95%, which at the growth rate that week left {mins} minutes to act.",
               "The volume was sized at launch and never revisited as traffic grew {n} times.",
               "Logs and data shared one volume, so a noisy log filled the disk the database needed."],
         code=["console", "log"]),
    dict(key="retry-storm", label="a retry storm", noun="retry storm",
         deps=["api", "auth", "db"], areas=["client-retries", "rate-limits"],
         tags=["retries", "load", "resilience"],
         metrics=["http_client_retries_total", "upstream_rq_retry", "request_rate"],
         errors=["503 upstream overloaded", "circuit breaker is open", "upstream request timeout"],
         change=["{dep} slowed down during a routine restart of one of its nodes.",
                 "A brief network blip between {region} zones made calls to {dep} time out."],
         onset=["Request rate to {dep} rose to {n} times its usual level.",
                "Retries from {svc} to {dep} climbed past {num} per second."],
         clues=["Almost all traffic to {dep} was retries: the `attempt` label showed up to {n} attempts per request.",
                "Clients of {dep} retried at three layers, so one slow call became up to {n}0 requests.",
                "The retry storm continued after {dep} itself had recovered."],
         fixes=["Retries were switched off with the `{flag}` flag, and {dep} recovered within {mins} minutes.",
                "The gateway shed {pct}% of traffic to {dep} until the retry storm died down."],
         mech=["Retries at every layer multiplied the load on {dep} just when it had the least capacity to spare.",
               "The clients had no retry budget and no jitter, so retries arrived in synchronised waves.",
               "Nothing shed load: {dep} accepted every request and slowed down for all of them."],
         code=["yaml", "log"]),
    dict(key="cache-stampede", label="a cache stampede", noun="cache stampede",
         deps=["cache"], areas=["cache-tier", "client-retries"],
         tags=["cache", "redis", "load"],
         metrics=["cache_hit_ratio", "redis_evicted_keys_total", "origin_requests_total"],
         errors=["upstream request timeout", "READONLY You can't write against a read only replica"],
         change=["The cache cluster {dep} was restarted for a version upgrade.",
                 "A deploy changed the cache key format of {svc}, invalidating every entry."],
         onset=["Cache hit ratio on {dep} fell from {pct}% to almost zero.",
                "Requests from {svc} to the origin database tripled in a minute."],
         clues=["Thousands of requests recomputed the same keys at once: a cache stampede against the origin of {svc}.",
                "Popular keys in {dep} all expired within the same second, as their TTLs were identical.",
                "The origin behind {svc} was never sized to serve traffic with a cold cache."],
         fixes=["Request coalescing was enabled on {svc} and the cache warmed from a snapshot.",
                "Traffic to {svc} was rate-limited while {dep} refilled; the cache stampede stopped within {mins} minutes."],
         mech=["Every cache miss went to the origin, with no request coalescing, so a cold cache meant a cache stampede.",
               "Identical TTLs made popular keys expire together.",
               "Restarts of {dep} emptied it completely, and nothing warmed it before traffic returned."],
         code=["yaml", "log"]),
    dict(key="db-failover", label="a database failover", noun="database failover",
         deps=["db"], areas=["failover", "connection-pools", "dns"],
         tags=["database", "failover", "high-availability"],
         metrics=["pg_up", "db_failover_total", "replica_lag_seconds"],
         errors=["the database system is in recovery mode", "cannot execute UPDATE in a read-only transaction",
                 "server closed the connection unexpectedly"],
         change=["The primary of {dep} lost its network link during host maintenance.",
                 "A planned database failover of {dep} began for a minor version upgrade."],
         onset=["Writes from {svc} to {dep} began failing with read-only errors.",
                "The database failover of {dep} promoted a replica in {region}."],
         clues=["Clients of {dep} still held connections to the old primary after the database failover.",
                "The new primary of {dep} was promoted, but the DNS name kept pointing at the old one for {mins} minutes.",
                "Connection pools in {svc} only refreshed on restart, so they never saw the failover."],
         fixes=["{svc} was restarted in waves to reconnect to the new primary.",
                "The endpoint of {dep} was repointed by hand and connection pools recycled."],
         mech=["The database failover itself took {n} seconds; clients took {mins} minutes to follow it.",
               "The failover runbook described a topology that had changed two upgrades earlier.",
               "No game day had exercised a database failover of {dep} since it moved regions."],
         code=["sql", "console"]),
    dict(key="memory-leak", label="a memory leak", noun="memory leak",
         deps=["api", "queue", "batch"], areas=["memory-limits", "deploy-pipeline"],
         tags=["memory", "jvm", "performance"],
         metrics=["container_memory_working_set_bytes", "jvm_memory_used_bytes", "process_resident_memory_bytes"],
         errors=["OOMKilled", "java.lang.OutOfMemoryError: Java heap space", "fatal error: runtime: out of memory"],
         change=["Version {version} of {svc} was released with a new response cache.",
                 "Deploy `{sha}` of {svc} upgraded its HTTP client library."],
         onset=["Pods of {svc} began restarting with `OOMKilled`.",
                "Memory use of {svc} grew by {num} MB an hour."],
         clues=["A heap dump of {svc} showed {num} thousand retained response objects from the new cache.",
                "Restarts of {svc} came every {mins} minutes, in step with its memory growth.",
                "The memory leak appeared only under production traffic, with its long tail of distinct keys."],
         fixes=["{svc} was rolled back to the previous version and memory stayed flat.",
                "The response cache of {svc} was disabled by flag, stopping the memory leak."],
         mech=["The new cache had no size bound, so every distinct key stayed in memory.",
               "Load tests ran for {mins} minutes, too short for the memory leak to show.",
               "Crash loops were reported per pod, and no alert looked at restarts across the fleet."],
         code=["log", "console"]),
    dict(key="config-push", label="a bad configuration push", noun="configuration push",
         deps=["infra", "edge", "api"], areas=["config-rollout", "deploy-pipeline"],
         tags=["configuration", "deploy", "validation"],
         metrics=["config_reload_errors_total", "http_requests_errors_total"],
         errors=["invalid value for max_body_size", "unknown field \"timeout_ms\"", "config reload failed"],
         change=["A configuration change to {dep} was pushed to all regions at once.",
                 "The `{flag}` setting was changed in the shared configuration repository."],
         onset=["{svc} began rejecting requests in every region.",
                "Config reloads on {dep} failed and instances fell back to defaults."],
         clues=["The configuration push set a value that the running version of {dep} did not understand.",
                "Instances of {dep} rejected the new configuration and kept running with built-in defaults.",
                "The change reached every region within {n} minutes of the merge."],
         fixes=["The configuration change was reverted and pushed again to every region.",
                "The team restored the previous configuration of {dep} from its last good snapshot."],
         mech=["Configuration was pushed globally in one step, so the first region to see it was every region.",
               "The schema of the configuration was only checked by the service loading it, at run time.",
               "Review of the configuration change did not include the team that owns {dep}."],
         code=["yaml", "log"]),
    dict(key="flag-rollout", label="a feature flag rollout", noun="feature flag rollout",
         deps=["infra", "api"], areas=["feature-flags", "deploy-pipeline"],
         tags=["feature-flags", "rollout", "performance"],
         metrics=["feature_flag_evaluations_total", "http_request_duration_seconds"],
         errors=["flag evaluation timeout", "upstream request timeout"],
         change=["The `{flag}` flag was turned on for {pct}% of traffic to {svc}.",
                 "The `{flag}` feature flag rollout moved from 5% to 100%."],
         onset=["Latency p99 of {svc} rose to {ms} ms.",
                "{svc} began issuing {n} times as many queries to {dep}."],
         clues=["Only requests with the `{flag}` flag on were slow; the others were unaffected.",
                "The new code path behind the feature flag issued one query per item instead of one per page.",
                "The feature flag rollout reached 100% with no pause between steps."],
         fixes=["The `{flag}` flag was turned off; latency recovered in {mins} minutes.",
                "The feature flag rollout was reverted to 5% while the query pattern was fixed."],
         mech=["Feature flag rollouts had no automatic halt when latency rose.",
               "The code path behind the flag was load-tested with a catalogue {n}0 times smaller than production.",
               "Flag changes went through a different review than code changes, with no performance sign-off."],
         code=["yaml", "sql"]),
    dict(key="rate-limit", label="a rate limiter misconfiguration", noun="rate limiter",
         deps=["edge", "cache"], areas=["rate-limits", "config-rollout"],
         tags=["rate-limiting", "api", "configuration"],
         metrics=["ratelimit_over_limit_total", "http_responses_429_total"],
         errors=["429 Too Many Requests", "rate limit exceeded for key {tenant}"],
         change=["The rate limiter on {dep} was given a new per-tenant limit table.",
                 "A change to {dep} moved rate limiting from per-pod to a shared counter."],
         onset=["{svc} began returning 429 responses to {pct}% of requests.",
                "Partners on the public API reported requests rejected as over the limit."],
         clues=["The new limit table gave every tenant the limit meant for the smallest tier.",
                "The shared counter in {dep} counted each request {n} times.",
                "Rejections from the rate limiter were not on any dashboard the on-call used."],
         fixes=["The previous limit table was restored on {dep}.",
                "Rate limiting was switched to log-only mode until the counters were corrected."],
         mech=["Rate limiter changes took effect at once for all tenants, with no log-only stage.",
               "The limits were stored in a format that no test read back.",
               "Rejected requests counted as successes in the error-rate SLO."],
         code=["yaml", "log"]),
    dict(key="clock-skew", label="clock skew", noun="clock skew",
         deps=["auth", "infra"], areas=["time-sync", "secrets"],
         tags=["ntp", "authentication", "clocks"],
         metrics=["node_timex_offset_seconds", "auth_token_rejections_total"],
         errors=["token used before issued", "JWT not yet valid (nbf)", "signature has expired"],
         change=["A base image update for {dep} removed the NTP client.",
                 "Hosts of {dep} were moved to a subnet without access to the time servers."],
         onset=["Token validation in {svc} began rejecting fresh tokens.",
                "Clock offset on hosts of {dep} passed {n} seconds."],
         clues=["Hosts of {dep} were {num} seconds ahead of the rest of the fleet.",
                "Clock skew made tokens appear to come from the future on hosts with correct clocks.",
                "The base image change that removed chrony had been merged {n} weeks earlier."],
         fixes=["The NTP client was reinstalled and clocks stepped back into sync.",
                "Token validation tolerance was widened to {n} minutes while clocks were fixed."],
         mech=["No alert watched clock offset, since clocks were assumed to be synchronised.",
               "Token validation allowed no clock skew at all.",
               "Base image changes were tested for boot, not for the daemons they carried."],
         code=["console", "log"]),
    dict(key="noisy-neighbour", label="a noisy neighbour", noun="noisy neighbour",
         deps=["infra", "db", "cache"], areas=["shared-clusters", "batch-jobs"],
         tags=["capacity", "kubernetes", "multi-tenancy"],
         metrics=["container_cpu_cfs_throttled_seconds_total", "node_cpu_steal_seconds", "iops_used"],
         errors=["context deadline exceeded", "i/o timeout"],
         change=["A reporting job was scheduled onto the same nodes as {svc}.",
                 "A tenant on the shared cluster of {dep} started a large import."],
         onset=["CPU throttling of {svc} rose to {pct}%.",
                "Disk latency on the shared volume of {dep} rose to {ms} ms."],
         clues=["The noisy neighbour was a batch job with no CPU limit on the same nodes as {svc}.",
                "I/O from one tenant used {pct}% of the shared disk bandwidth of {dep}.",
                "Latency of {svc} tracked the batch job's CPU use almost exactly."],
         fixes=["The batch job was moved to a dedicated node pool.",
                "The noisy tenant's import was throttled and latency recovered."],
         mech=["Batch and latency-sensitive workloads shared nodes with no priority between them.",
               "Resource limits were optional for jobs, and the import set none.",
               "Per-tenant I/O on the shared cluster of {dep} was not visible on any dashboard."],
         code=["yaml", "console"]),
    dict(key="quota", label="an exhausted cloud quota", noun="quota exhaustion",
         deps=["infra"], areas=["cloud-quotas", "autoscaling"],
         tags=["cloud", "quota", "capacity"],
         metrics=["cloud_quota_usage_ratio", "autoscaler_failed_scale_ups_total"],
         errors=["QuotaExceeded: instance limit reached in {region}", "RESOURCE_EXHAUSTED", "LimitExceeded"],
         change=["A load test in a shared account launched {num} instances in {region}.",
                 "Autoscaling of {svc} requested {n}0 new nodes for the evening peak."],
         onset=["The cluster autoscaler failed to add nodes in {region}.",
                "Pending pods of {svc} rose to {num}."],
         clues=["The account had reached its instance quota in {region}.",
                "Quota usage had been above 90% for {n} weeks.",
                "A forgotten load test environment held {pct}% of the quota."],
         fixes=["An emergency quota increase was requested and granted.",
                "The load test environment was torn down, releasing {num} instances."],
         mech=["Quotas were tracked per account, not per environment, so tests competed with production.",
               "No alert fired as quota usage approached its limit.",
               "Capacity plans covered instances but not the cloud quotas that bound them."],
         code=["console"]),
    dict(key="cron-overlap", label="overlapping batch runs", noun="overlapping batch runs",
         deps=["batch"], areas=["batch-jobs", "shared-clusters"],
         tags=["cron", "batch", "database"],
         metrics=["job_duration_seconds", "db_cpu_utilisation"],
         errors=["job already running", "statement timeout"],
         change=["The `{job}` job started while the previous run was still going.",
                 "A schedule change moved the `{job}` job into business hours."],
         onset=["CPU on {dep} rose to {pct}% as two runs of `{job}` competed.",
                "{svc} queries to {dep} slowed to {ms} ms."],
         clues=["Two runs of `{job}` overlapped: the first had taken {n} hours instead of one.",
                "The job had no lock, so each scheduled run started regardless of the last.",
                "Overlapping batch runs held most of the database's CPU."],
         fixes=["The second run of `{job}` was stopped and the first allowed to finish.",
                "The schedule of `{job}` was paused until a lock was added."],
         mech=["Batch jobs ran on a fixed schedule with no guard against overlap.",
               "The job's run time grew with data volume, and nothing tracked it against its interval.",
               "Batch jobs and customer traffic shared the same primary database."],
         code=["console", "sql"]),
    dict(key="split-brain", label="a split brain", noun="split brain",
         deps=["db", "queue", "cache"], areas=["failover", "replication"],
         tags=["consensus", "partition", "data-integrity"],
         metrics=["raft_leader_changes_total", "cluster_members_visible"],
         errors=["two leaders elected for term {num}", "conflicting writes detected for key {tenant}"],
         change=["A network partition separated two zones of {dep}.",
                 "A maintenance restart of {dep} left a stale node believing it was leader."],
         onset=["Both halves of {dep} accepted writes.",
                "Clients of {dep} saw conflicting values for the same key."],
         clues=["{dep} had two leaders for {mins} minutes: a split brain.",
                "Quorum settings allowed a minority side to keep accepting writes.",
                "Fencing of the old leader relied on a script that had been removed."],
         fixes=["The minority side of {dep} was shut down and its writes reconciled.",
                "The stale leader was fenced by hand and the cluster rejoined."],
         mech=["The cluster of {dep} was configured with an even number of members, so a partition could split it in two.",
               "Fencing depended on a manual step described in an outdated runbook.",
               "Split brain had never been exercised in a game day."],
         code=["log", "console"]),
    dict(key="gc-pauses", label="long garbage collection pauses", noun="GC pauses",
         deps=["api", "db", "queue"], areas=["memory-limits", "load-balancing"],
         tags=["jvm", "latency", "performance"],
         metrics=["jvm_gc_pause_seconds", "http_request_duration_seconds"],
         errors=["upstream request timeout", "health check timed out"],
         change=["The heap size of {svc} was raised to {n}0 GB.",
                 "A library upgrade in {svc} changed the default garbage collector."],
         onset=["Latency p99 of {svc} rose to {ms} ms.",
                "Health checks of {svc} began timing out in bursts."],
         clues=["Garbage collection pauses of up to {n} seconds on every instance of {svc}.",
                "Pauses lined up with the health check failures that took instances out of rotation.",
                "The larger heap made each full collection much longer."],
         fixes=["{svc} was rolled back to the previous heap settings.",
                "The collector was switched back and instances restarted in waves."],
         mech=["Health checks treated a long pause as a dead instance, which moved load to the rest.",
               "Heap settings were changed without a latency test under production-sized data.",
               "Pause times were logged but not graphed."],
         code=["log", "yaml"]),
    dict(key="hot-partition", label="a hot partition", noun="hot partition",
         deps=["db", "queue"], areas=["shared-clusters", "queues"],
         tags=["sharding", "performance", "database"],
         metrics=["partition_write_rate", "shard_cpu_utilisation"],
         errors=["ProvisionedThroughputExceededException", "shard {n} overloaded"],
         change=["A large tenant began a bulk import through {svc}.",
                 "A key scheme change in {svc} sent all writes for new accounts to one shard."],
         onset=["One shard of {dep} reached {pct}% CPU while the others idled.",
                "Writes to {dep} for a subset of tenants began timing out."],
         clues=["A single tenant produced {pct}% of the writes, all to one hot partition.",
                "The partition key was the tenant id, so one tenant could not be spread out.",
                "The hot partition appeared within minutes of the import starting."],
         fixes=["The import was throttled to {num} writes per second.",
                "The tenant was moved to a dedicated shard."],
         mech=["The partition key concentrated a large tenant on one shard.",
               "Per-tenant write rates were not limited.",
               "Dashboards averaged across shards and hid the hot partition."],
         code=["sql", "log"]),
    dict(key="secret-rotation", label="a credential rotation", noun="credential rotation",
         deps=["auth", "db", "infra"], areas=["secrets", "config-rollout"],
         tags=["security", "credentials", "secrets"],
         metrics=["auth_failures_total", "vault_lease_expirations"],
         errors=["password authentication failed for user \"{svc}\"", "401 Unauthorized", "invalid_client"],
         change=["The scheduled credential rotation for {dep} ran.",
                 "The API key used by {svc} for {dep} was revoked as part of a security review."],
         onset=["{svc} began receiving authentication errors from {dep}.",
                "Authentication failures against {dep} rose to {num} per minute."],
         clues=["The rotated credential was picked up by new pods only; existing pods of {svc} kept the old one.",
                "The credential rotation revoked the old secret immediately, with no overlap window.",
                "{svc} read its credentials once at start-up."],
         fixes=["Pods of {svc} were restarted to pick up the new credential.",
                "The old credential was reinstated for {n} hours while clients reloaded."],
         mech=["Credential rotation revoked the old secret at once instead of keeping both valid for a while.",
               "Services read secrets at start-up only, so a rotation needed a restart nobody scheduled.",
               "The rotation runbook did not list the services that held the credential."],
         code=["console", "log"]),
    dict(key="lb-health", label="a load balancer health check change", noun="health check change",
         deps=["edge"], areas=["load-balancing", "config-rollout"],
         tags=["load-balancer", "networking", "health-checks"],
         metrics=["lb_healthy_hosts", "http_responses_5xx_total"],
         errors=["no healthy upstream", "502 Bad Gateway", "upstream connect error or disconnect/reset before headers"],
         change=["The health check path for {svc} on {dep} was changed to `/healthz/deep`.",
                 "A load balancer update on {dep} shortened the health check timeout to {n} seconds."],
         onset=["Healthy hosts behind {dep} for {svc} dropped to zero.",
                "{dep} began returning 502 for requests to {svc}."],
         clues=["The new deep health check called {svc}'s dependencies and timed out under load.",
                "All hosts failed the health check at once, so the load balancer had nothing to route to.",
                "The health check timeout was shorter than the p99 of the health endpoint."],
         fixes=["The health check was reverted to the shallow endpoint.",
                "The team raised the health check timeout and hosts returned to service."],
         mech=["Deep health checks made every host depend on the same downstream service.",
               "The load balancer had no fail-open mode when every host looked unhealthy.",
               "Health check settings were not versioned with the service."],
         code=["yaml", "log"]),
    dict(key="thread-pool", label="thread pool saturation", noun="thread pool saturation",
         deps=["api", "auth"], areas=["client-retries", "autoscaling"],
         tags=["concurrency", "latency", "timeouts"],
         metrics=["executor_queue_size", "tomcat_threads_busy", "http_request_duration_seconds"],
         errors=["RejectedExecutionException", "thread pool exhausted", "upstream request timeout"],
         change=["{dep} began responding slowly after a deploy.",
                 "A new endpoint of {svc} made blocking calls to {dep}."],
         onset=["Busy worker threads of {svc} reached their maximum.",
                "Requests to {svc} began queueing for {ms} ms."],
         clues=["Every worker thread of {svc} was blocked waiting on {dep}.",
                "Calls to {dep} had a timeout of {n}0 seconds, far above the caller's own deadline.",
                "Thread pool saturation in {svc} spread to unrelated endpoints."],
         fixes=["The timeout for calls to {dep} was lowered to {ms} ms.",
                "The slow endpoint was isolated onto its own thread pool."],
         mech=["All endpoints shared one thread pool, so one slow dependency stalled them all.",
               "Client timeouts were longer than the requests they served.",
               "Load tests used a fast stub for {dep}."],
         code=["yaml", "log"]),
    dict(key="missing-index", label="a missing index", noun="missing index",
         deps=["db"], areas=["database-migrations", "replication"],
         tags=["database", "performance", "queries"],
         metrics=["db_query_duration_seconds", "rows_examined_total"],
         errors=["canceling statement due to statement timeout", "query exceeded 30s"],
         change=["Migration `{mig}` dropped and recreated the indexes of the `{table}` table.",
                 "A new report in {svc} began querying `{table}` by `{column}`."],
         onset=["Query time on {dep} for the `{table}` table rose to {ms} ms.",
                "CPU of {dep} reached {pct}%."],
         clues=["`EXPLAIN` showed a sequential scan over {num} million rows of `{table}`.",
                "The index on `{table}({column})` was missing in production but present in staging.",
                "The slow queries all came from the new code path in {svc}."],
         fixes=["The missing index was created concurrently on {dep}.",
                "The report was disabled until the index was built."],
         mech=["Migrations were tested on staging, where `{table}` has {num} rows instead of millions.",
               "Index drift between environments was not detected by any check.",
               "Query plans were not reviewed for new queries on large tables."],
         code=["sql", "log"]),
    dict(key="queue-backlog", label="a queue backlog", noun="queue backlog",
         deps=["queue"], areas=["queues", "autoscaling", "batch-jobs"],
         tags=["queues", "backlog", "async"],
         metrics=["queue_depth", "message_age_seconds", "rabbitmq_queue_messages_ready"],
         errors=["message TTL expired", "consumer prefetch limit reached"],
         change=["A bulk send of {num} thousand messages entered `{topic}`.",
                 "Consumers of {dep} were scaled down by an autoscaling policy change."],
         onset=["Messages in `{topic}` waited more than {mins} minutes.",
                "The queue backlog on {dep} grew past {num} thousand."],
         clues=["The consumers of `{topic}` were processing {n}0 messages a second against {num} arriving.",
                "Autoscaling watched CPU, which stayed low while the queue backlog grew.",
                "Retried messages went back to the front of the queue, ahead of new ones."],
         fixes=["Consumers were scaled out by hand and the backlog cleared in {mins} minutes.",
                "The bulk send was paused and resumed at a controlled rate."],
         mech=["Consumers scaled on CPU rather than on queue depth or message age.",
               "Bulk traffic and transactional traffic shared one queue.",
               "No alert watched message age, only queue length."],
         code=["yaml", "console"]),
]
SCENARIO_BY_KEY = {s["key"]: s for s in SCENARIOS}

# ---------------------------------------------------------------------------------------
# The catalogue of contributing factors: a weakness of one part of the system. The
# factor `connection-pools-no-saturation-alert` is the weakness `no-saturation-alert` of
# the area `connection-pools`; each area lists the weaknesses that make sense for it.

AREAS = {
    "database-migrations": "database migrations",
    "connection-pools": "database connection pools",
    "certificates": "TLS certificates",
    "kafka-consumers": "Kafka consumers",
    "dns": "DNS records",
    "deploy-pipeline": "the deploy pipeline",
    "disk-capacity": "data volumes",
    "client-retries": "service-to-service calls",
    "cache-tier": "the cache tier",
    "failover": "database failover",
    "config-rollout": "shared configuration",
    "feature-flags": "feature flags",
    "batch-jobs": "batch jobs",
    "autoscaling": "autoscaling",
    "secrets": "service credentials",
    "load-balancing": "load balancer health checks",
    "memory-limits": "container memory limits",
    "rate-limits": "API rate limits",
    "shared-clusters": "shared clusters",
    "cloud-quotas": "cloud quotas",
    "time-sync": "clock synchronisation",
    "queues": "message queues",
    "replication": "database replication",
}

# key: (category, title, description, two action titles)
WEAKNESSES = {
    "no-load-test": ("testing", "No load test covers {area}",
                     "Changes to {area} are tested for correctness, not for behaviour under production load, which is first seen in production.",
                     ["Add a load test covering {area} to the release pipeline",
                      "Replay a sample of production traffic against {area} before each release"]),
    "small-staging": ("testing", "Staging data is too small to exercise {area}",
                      "Staging holds a small sample of production data, so changes to {area} that finish in seconds there can run for hours in production.",
                      ["Refresh staging with an anonymised, production-sized data set for {area}",
                       "Estimate the duration of changes to {area} from production statistics in CI"]),
    "no-drill": ("testing", "Game days never exercise {area}",
                 "The failure modes of {area} are known on paper but have never been rehearsed, so their real duration and side effects are unknown.",
                 ["Exercise a failure of {area} in the next game day",
                  "Run a monthly failure drill for {area} in staging"]),
    "untested-rollback": ("testing", "Rollback of changes to {area} is never rehearsed",
                          "Rolling back a change to {area} is documented, but the procedure has not been exercised since the setup last changed.",
                          ["Rehearse a rollback of {area} in the quarterly game day",
                           "Add an automated rollback test for {area} to the pipeline"]),
    "global-rollout": ("deployment", "Changes to {area} reach every region at once",
                       "Changes to {area} go out to all regions in one step, with no stage where a fault can show in one region before it reaches the rest.",
                       ["Roll out changes to {area} region by region with an automatic halt",
                        "Add a canary stage for changes to {area}"]),
    "no-auto-rollback": ("deployment", "No automatic rollback for changes to {area}",
                         "When a change to {area} degrades a service, reverting it is a manual decision, usually taken after several minutes of diagnosis.",
                         ["Roll back changes to {area} automatically when the error budget burns fast",
                          "Keep the previous version of {area} deployable for 30 days"]),
    "cause-alerts": ("monitoring", "Alerts on {area} watch causes, not symptoms",
                     "Alerting around {area} measures internal signals such as CPU or queue length; whether customers are affected has to be inferred from them.",
                     ["Page on customer-facing error rate and latency for the services behind {area}",
                      "Replace cause-based alerts on {area} with SLO burn-rate alerts"]),
    "no-saturation-alert": ("monitoring", "No saturation alert for {area}",
                            "Nothing alerts as usage of {area} nears its limit, so saturation is noticed only when requests fail.",
                            ["Alert when usage of {area} passes 80% of its limit",
                             "Add saturation panels for {area} to the service dashboards"]),
    "late-warning": ("monitoring", "No alert on the trend of {area}",
                     "Usage of {area} is recorded, but no alert looks at its trend, so a limit that is weeks away is seen on the day it is reached.",
                     ["Alert on the projected time to exhaustion of {area}",
                      "Review the trend of {area} in the weekly operations meeting"]),
    "fixed-capacity": ("capacity", "Fixed capacity for {area}",
                       "Capacity for {area} is set by hand and does not follow demand; peaks beyond the planned size queue or fail.",
                       ["Scale {area} on demand signals instead of a fixed size",
                        "Size {area} from last quarter's peak plus agreed headroom"]),
    "no-headroom": ("capacity", "No headroom target for {area}",
                    "There is no agreed headroom for {area}, so growth uses it up without anyone deciding to.",
                    ["Agree a headroom target for {area} and show it on the capacity dashboard",
                     "Review the headroom of {area} before every seasonal peak"]),
    "unbounded-retries": ("dependencies", "Retries in {area} have no budget or backoff",
                          "Callers retry failed work in {area} immediately and at several layers, so a slowdown multiplies the load on whatever is already struggling.",
                          ["Add retry budgets and jittered backoff to {area}",
                           "Retry at one layer only in {area}"]),
    "single-region": ("dependencies", "A single region hosts {area}",
                      "Everything in {area} lives in one region, so a regional fault affects every customer.",
                      ["Run {area} in a second region with automatic failover",
                       "Document and rehearse a regional failover of {area}"]),
    "hidden-coupling": ("dependencies", "Undocumented coupling between {area} and other services",
                        "Other services rely on {area} in ways that are not written down, so a change in one place breaks another without warning.",
                        ["Record the dependencies on {area} in the service catalogue",
                         "Give the most critical users of {area} an isolated instance"]),
    "unvalidated-config": ("configuration", "Settings for {area} are not validated before rollout",
                           "Settings for {area} are only read by the service that loads them, so an invalid value is first seen in production.",
                           ["Validate settings for {area} against a schema in CI",
                            "Load new settings for {area} in a dry-run instance before rollout"]),
    "env-drift": ("configuration", "Settings for {area} differ between staging and production",
                  "Staging and production have drifted apart for {area}, so a change that works in one can fail in the other.",
                  ["Generate settings for {area} in every environment from one source",
                   "Report drift in {area} between environments every week"]),
    "stale-runbook": ("knowledge", "Out-of-date runbook for {area}",
                      "The runbook for {area} describes a setup that has since changed, so responders work out the current steps during the incident.",
                      ["Rewrite the runbook for {area} and rehearse it",
                       "Link the runbook for {area} from every alert that may need it"]),
    "single-expert": ("knowledge", "Knowledge of {area} sits with one team",
                      "Only one team knows how failures of {area} unfold and how to recover from them; out of hours, responders wait for that team.",
                      ["Hold a walkthrough of the failure modes of {area} for the on-call rotation",
                       "Write the recovery procedures for {area} into the on-call handbook"]),
    "unclear-escalation": ("process", "No clear escalation path for {area}",
                           "When a problem involves {area}, it is not clear which team to page, and escalation waits on questions in chat.",
                           ["Publish an owner and escalation path for {area} in the service catalogue",
                            "Add {area} to the paging policy of the owning team"]),
    "manual-steps": ("process", "Manual steps in changes to {area}",
                     "Changes to {area} include manual steps that rely on the person running them knowing the current setup.",
                     ["Automate the manual steps in changes to {area}",
                      "Turn the procedure for changes to {area} into a pipeline with approvals"]),
    "review-gap": ("process", "Reviews of changes to {area} leave out dependent teams",
                   "Changes to {area} are reviewed within the team making them; teams whose services depend on {area} learn of a change when it affects them.",
                   ["Add dependent teams as reviewers of changes to {area}",
                    "Announce changes to {area} in the change calendar before they ship"]),
}

WEAK_FOR = {
    "database-migrations": ["small-staging", "untested-rollback", "no-auto-rollback", "review-gap", "manual-steps", "stale-runbook"],
    "connection-pools": ["no-saturation-alert", "fixed-capacity", "no-headroom", "env-drift", "unvalidated-config", "hidden-coupling"],
    "certificates": ["late-warning", "manual-steps", "single-expert", "unclear-escalation", "stale-runbook"],
    "kafka-consumers": ["no-saturation-alert", "cause-alerts", "fixed-capacity", "no-load-test", "unbounded-retries", "single-expert"],
    "dns": ["review-gap", "global-rollout", "unvalidated-config", "hidden-coupling", "manual-steps"],
    "deploy-pipeline": ["no-auto-rollback", "global-rollout", "untested-rollback", "cause-alerts", "manual-steps"],
    "disk-capacity": ["late-warning", "no-headroom", "fixed-capacity", "cause-alerts", "hidden-coupling"],
    "client-retries": ["unbounded-retries", "no-load-test", "env-drift", "hidden-coupling", "cause-alerts"],
    "cache-tier": ["no-load-test", "fixed-capacity", "hidden-coupling", "single-expert", "no-drill"],
    "failover": ["no-drill", "stale-runbook", "single-expert", "single-region", "manual-steps", "unclear-escalation"],
    "config-rollout": ["global-rollout", "unvalidated-config", "no-auto-rollback", "env-drift", "review-gap"],
    "feature-flags": ["global-rollout", "no-auto-rollback", "review-gap", "cause-alerts", "no-load-test"],
    "batch-jobs": ["hidden-coupling", "fixed-capacity", "late-warning", "unclear-escalation", "no-saturation-alert"],
    "autoscaling": ["cause-alerts", "no-headroom", "env-drift", "no-drill", "late-warning"],
    "secrets": ["manual-steps", "hidden-coupling", "stale-runbook", "review-gap", "no-drill"],
    "load-balancing": ["unvalidated-config", "global-rollout", "hidden-coupling", "single-expert", "env-drift"],
    "memory-limits": ["no-load-test", "no-saturation-alert", "env-drift", "cause-alerts", "fixed-capacity"],
    "rate-limits": ["unvalidated-config", "global-rollout", "cause-alerts", "review-gap"],
    "shared-clusters": ["no-headroom", "hidden-coupling", "single-region", "unclear-escalation", "no-saturation-alert"],
    "cloud-quotas": ["late-warning", "no-headroom", "unclear-escalation", "manual-steps"],
    "time-sync": ["cause-alerts", "hidden-coupling", "single-expert", "late-warning"],
    "queues": ["no-saturation-alert", "fixed-capacity", "unbounded-retries", "single-region", "cause-alerts"],
    "replication": ["late-warning", "no-load-test", "single-region", "no-drill", "stale-runbook"],
}
FACTORS = {"%s-%s" % (a, w): (w, a) for a, ws in WEAK_FOR.items() for w in ws}


def cap(s):
    return s[:1].upper() + s[1:]


def lower_first(s):
    """Lower-cases the first letter, unless the first word is an acronym (DNS, TLS)."""
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


def factor_title(fid):
    weakness, area = FACTORS[fid]
    return cap(WEAKNESSES[weakness][1].format(area=AREAS[area]))


# ---------------------------------------------------------------------------------------
# Slots: fixed values per post-mortem and values drawn anew at each use.

TABLES = ["orders", "line_items", "payments", "accounts", "sessions", "shipments", "invoices",
          "inventory_levels", "price_rules", "audit_events", "refunds", "subscriptions"]
COLUMNS = ["tenant_id", "created_at", "status", "customer_id", "external_ref", "updated_at", "sku"]
TOPICS = ["order-events", "payment-events", "inventory-updates", "email-requests",
          "search-updates", "audit-log", "webhook-deliveries", "price-changes"]
JOBS = ["ledger-reconcile", "nightly-export", "invoice-run", "search-reindex", "session-gc",
        "report-rollup", "stock-sync", "payout-batch"]
FLAGS = ["new-pricing-path", "async-checkout", "batched-writes", "client-retries", "edge-cache-v2",
         "fast-search", "bulk-inventory", "smart-routing"]
DOMAINS = ["api.shop.example", "auth.example.net", "pay.example.com", "cdn.example.org",
           "partners.example.com", "internal.example.io"]
ADJ = ["steady", "gradual", "sharp", "brief", "sustained", "intermittent", "partial", "regional",
       "unexpected", "noticeable", "small", "large", "slow", "sudden"]
TOOLS = ["the service dashboard", "the tracing UI", "the logs explorer", "the deploy history",
         "the dependency graph", "the SLO dashboard", "the status page", "the change calendar"]


def hexid(r, n):
    return "%0*x" % (n, r.getrandbits(4 * n))


DYNAMIC = {
    "n": lambda r, s: str(r.randint(2, 9)),
    "num": lambda r, s: str(r.randint(12, 980)),
    "pct": lambda r, s: str(r.randint(3, 97)),
    "mins": lambda r, s: str(r.randint(3, 55)),
    "ms": lambda r, s: str(r.choice((120, 250, 400, 800, 1200, 2500, 4000, 9000)) + r.randint(0, 99)),
    "sha": lambda r, s: hexid(r, 10),
    "trace": lambda r, s: hexid(r, 16),
    "version": lambda r, s: "v%d.%d.%d" % (r.randint(1, 9), r.randint(0, 40), r.randint(0, 20)),
    "mig": lambda r, s: "%04d_%s_%s" % (r.randint(100, 9999), r.choice(("add", "alter", "backfill", "drop")), r.choice(TABLES)),
    "ticket": lambda r, s: "%s-%d" % (r.choice(("OPS", "PLAT", "INC", "SRE", "DATA")), r.randint(100, 9999)),
    "host": lambda r, s: "%s-%d.%s.internal" % (r.choice((s["svc"], s["dep"])), r.randint(1, 64), s["region"]),
    "region": lambda r, s: r.choice(REGIONS),
    "person": lambda r, s: r.choice(s["crew"]),
    "other_team": lambda r, s: team_name(r.choice(TEAMS)),
    "adj": lambda r, s: r.choice(ADJ),
    "tool": lambda r, s: r.choice(TOOLS),
    "err": lambda r, s: fill(r.choice(s["sc"]["errors"]), s),
    "metric": lambda r, s: r.choice(s["sc"]["metrics"]),
    "mech": lambda r, s: fill(s.deck.draw(s["sc"]["mech"])[0], s),
    "clue": lambda r, s: fill(s.deck.draw(s["sc"]["clues"])[0], s),
    "other_service": lambda r, s: r.choice(SERVICE_NAMES),
    "tenant": lambda r, s: "tenant-%d" % r.randint(1000, 99999),
    "clock": lambda r, s: "%02d:%02d" % (r.randint(0, 23), r.randint(0, 59)),
}


class Slots(dict):
    """Format arguments: fixed per post-mortem, or drawn by DYNAMIC at each use."""

    def __missing__(self, key):
        return DYNAMIC[key](self.rng, self)


def fill(template, slots):
    return template.format_map(slots)


def say(template, slots):
    """A sentence: filled in, its first word capitalised unless it is an identifier
    (`orders-db`, `dana.okafor`, #channel, `code`)."""
    text = template.format_map(slots)
    first = text.split(" ", 1)[0]
    if first[:1].islower() and not any(c in first for c in "-._`#/0123456789"):
        return text[:1].upper() + text[1:]
    return text


def team_name(team):
    """How prose names a team: `storage-team` is "the storage team"."""
    words = team[:-5] if team.endswith("-team") else team
    return "the %s team" % ("SRE" if words == "sre" else words.replace("-", " "))


# ---------------------------------------------------------------------------------------
# Prose. Systems and teams are the subjects of what went wrong; people appear only doing
# the work of the response (the blameless-language lint reads every sentence).

SUMMARY_OPEN = [
    "On {long_date}, {audience} {symptom_verb} for {duration_text} while {svc} was affected by {label} on {dep}.",
    "For {duration_text} on {long_date}, {svc} showed {symptom}; the trigger was {label} on {dep}.",
    "Between {start_hm} and {end_hm} UTC on {long_date}, {symptom} in {svc} affected {audience}. The incident followed {label} on {dep}.",
    "On {long_date}, {label} on {dep} led to {symptom} in {svc} for {duration_text}, affecting {audience}.",
]
SUMMARY_MORE = [
    "The incident was classified as {severity} because {impact_reason}.",
    "About {pct}% of requests to {svc} were affected at the peak, and {num} support tickets were opened.",
    "{team} owns {svc} and {dep_team} owns {dep}; both teams took part in the response.",
    "Detection took {detect_mins} minutes, from the first failing request to the first page.",
    "No data was lost, but {num} operations had to be replayed once {svc} recovered.",
    "The response was coordinated in #{channel}, with {team} and {dep_team} on the call.",
    "Customers noticed the impact about as soon as the monitoring did: the first report came through the support queue.",
    "This review follows the incident through its timeline, then looks at the conditions that allowed it and at what changed since.",
    "Several conditions had to line up for the incident to happen, and this review describes each of them.",
    "Customers in {region} were affected first; other regions followed {mins} minutes later.",
    "Mitigation came {mitigate_mins} minutes after detection; full resolution took longer while backlogs drained.",
    "The estimated cost is {cost} in delayed or abandoned orders, plus support time.",
    "The review meeting took place {n} days later with {n} teams present.",
    "The incident stayed within {svc} and {dep}; no other service reported impact.",
]
IMPACT_REASONS = {
    "SEV1": ["a core flow was unavailable for most customers", "revenue was directly affected across regions",
             "data integrity was at risk for many tenants"],
    "SEV2": ["a core feature was degraded for a significant share of customers",
             "a large group of customers could not complete a key task"],
    "SEV3": ["a non-core feature was impaired", "a core feature was slow for a small share of customers"],
    "SEV4": ["customer impact was minimal", "the effect was limited to internal users"],
}

TL_DETECT = [
    "Alert `{alert}` fired; {oncall} acknowledged the page.",
    "{oncall} was paged by `{alert}` and acknowledged within {n} minutes.",
    "A customer report reached the support queue: {symptom} on {svc}. `{alert}` fired shortly after.",
    "Synthetic checks for {svc} began failing in {region}; `{alert}` paged {oncall}.",
]
TL_DECLARE = [
    "{ic} declared a {severity} incident and took the incident commander role; #{channel} opened.",
    "Incident declared as {severity}. {ic} became incident commander and opened #{channel}.",
    "#{channel} opened; {ic} took command and asked {dep_team} to join.",
]
TL_STATUS = [
    "Status page updated: investigating {symptom} on {svc}.",
    "First customer update posted on the status page.",
    "Support received a prepared message for customers asking about {symptom}.",
]
TL_INVESTIGATE = [
    "{person} ran `{command}` and saw `{err}` in the output.",
    "{person} looked at {tool}: `{metric}` for {dep} had moved at {onset_hm}.",
    "{dep_team} joined the call; {person} shared the graphs of `{metric}`.",
    "{clue}",
    "{clue}",
    "Logs of {svc} showed `{err}` from {num} hosts, starting with `{host}`.",
    "{person} compared the deploy history of {svc} with the start of the errors; nothing else had shipped in the {n} hours before.",
    "Traces of slow requests to {svc} spent most of their time waiting on {dep}.",
    "{person} confirmed the impact was limited to {region} at this point.",
    "A network fault in {region} was ruled out: traffic between zones looked normal.",
    "{person} found a similar incident from earlier in the year and shared its review in #{channel}.",
    "{person} posted the current error rate in #{channel}: {pct}% of requests to {svc}.",
    "Support reported {num} new tickets mentioning {symptom}.",
    "{person} opened {ticket} to track the customer-facing follow-up.",
    "{dep_team} paused all deploys to {dep}.",
    "The error budget burn rate of {svc} reached {n}0 times the sustainable rate.",
]
TL_ATTEMPT = [
    "{svc} was scaled from {n} to {n}0 replicas; the error rate did not change.",
    "The team restarted {n} instances of {svc}; errors returned within {mins} minutes.",
    "Traffic for {svc} was shifted away from {region}; the symptoms followed it.",
    "{dep_team} raised the timeouts of {svc}; latency improved slightly and errors continued.",
]
TL_MITIGATE_AFTER = [
    "Error rate of {svc} back to baseline.",
    "Latency p99 of {svc} back under {ms} ms.",
    "`{metric}` returned to its usual range.",
    "Mitigation confirmed; the team kept monitoring for recurrence.",
]
TL_MONITOR = [
    "Status page updated: monitoring.",
    "{ic} handed monitoring to {team} and stood down the call.",
    "Backlog of delayed work from the incident fully processed.",
    "{dep_team} confirmed {dep} had been stable for {mins} minutes.",
]
TL_RESOLVE = [
    "Incident resolved; the status page was closed and the review scheduled.",
    "Resolved. {ic} closed #{channel} and filed {ticket} for the follow-up.",
    "Incident resolved after a quiet monitoring period.",
]

FACTORS_INTRO = [
    "Several conditions combined in this incident. None of them alone would have led to an outage.",
    "The review found {nf_text}, described below in the order the responders met them.",
    "This section describes the conditions that allowed {label} on {dep} to turn into customer impact.",
    "The incident was not the result of one change but of conditions that had built up in {dep} and its clients.",
    "Each factor below was present for months before the incident. Together they turned {label} into {symptom} for {audience}.",
]
FACTOR_OPEN = [
    "{mech}",
    "During the review, {team} pointed out that {mech_lc}",
    "This condition predates the incident by a long way. {mech}",
    "When the review reconstructed the sequence of events, this condition stood out. {mech}",
    "{factor_desc} {mech}",
    "{factor_desc}",
]
FACTOR_BODY = [
    "Nothing in the tooling made the risk visible before the change went out.",
    "The signal was available in `{metric}`, but no alert or dashboard put it in front of the responders.",
    "The same condition exists in {n} other services owned by {other_team}.",
    "When the setup was designed, traffic was a fraction of today's and the trade-off was reasonable.",
    "Responders needed {mins} minutes to connect the symptom in {svc} to the condition in {dep}.",
    "The setting had been copied from a template that predates the current architecture.",
    "Every step of the change was reviewed and approved; the review process had no question that would surface this.",
    "The documentation described the intended behaviour, not the actual behaviour under load.",
    "A previous incident touched the same area, and the follow-up work was still in the backlog.",
    "Load on {dep} had grown by {pct}% over the previous year without a review of its limits.",
    "The information needed was spread across three dashboards and a wiki page.",
    "At the time of the change, everyone involved had good reason to expect it to be routine.",
    "No alert watched `{metric}`, so the first sign was customer impact.",
    "The condition was invisible in staging, where {dep} runs with a tenth of production traffic.",
    "{dep_team} and {team} each assumed the other side handled this case.",
    "Automation covered the common path; this incident took the uncommon one.",
    "The error `{err}` appeared in the logs of {svc} for {mins} minutes before the first page.",
    "Both teams agreed that the design choice made sense when it was made, and no longer does.",
    "Over the previous {n} months the condition produced warnings in {tool} that looked harmless.",
    "Dashboards for {dep} showed averages, which hid the tail where the failures were.",
    "The limit that was reached had been set when {dep} served a single region.",
    "Alerts for {dep} were routed to a channel that is muted outside business hours.",
    "The change itself was small; its effect depended on conditions in {dep} that the change did not touch.",
    "Staging and production differed in {n} settings that matter here, none of them documented.",
    "The design assumed that {dep} would fail fast, but under load it failed slowly, which is harder to detect.",
    "Two earlier reviews recommended work in this area; it was deprioritised in favour of launch commitments.",
    "Because {svc} and {dep} are owned by different teams, the interaction between them belonged to neither.",
    "The default value came from a library and had never been tuned for this traffic.",
    "A {adj} incident on {other_service} the year before had the same shape.",
    "Capacity tests last ran {n} months before the incident, before a {pct}% increase in traffic.",
    "The runbook step that applied here was written for an older version of {dep}.",
    "Logs of {svc} did not include the error returned by {dep}, so the failure looked local.",
    "The error budget of {svc} had been spent earlier in the month, so the on-call rotation was already stretched.",
    "The health check of {dep} reported it healthy throughout, because it only tested that the process was running.",
    "The behaviour is described in a design document from {year} that few of the current team had read.",
    "No single change introduced the risk: it accumulated over {n} releases.",
    "Tools to inspect the state of {dep} required access that only {n} people on the rotation had.",
    "Work to address this was planned for the next quarter, and the plan was reasonable given what was known.",
    "Traffic to {svc} follows a daily cycle, and the incident began near its peak.",
    "The configuration of {dep} is spread across {n} repositories, which makes its effective values hard to see.",
]
FACTOR_CLOSE = [
    "Addressed by {items}.",
    "Action items {items} address this factor.",
    "See {items} under Action Items.",
    "The follow-up for this factor is {items}.",
]
WENT_WELL = [
    "The rollback tooling for {svc} worked as documented.",
    "`{alert}` fired within {n} minutes of the first failed request.",
    "Support had a prepared message for affected customers within {mins} minutes.",
    "{dep_team} joined the call quickly once paged.",
    "{ic} kept a running log in #{channel}, which made this review much easier to write.",
    "The runbook for {svc} covered the first mitigation steps accurately.",
    "Dashboards for {dep} showed the problem clearly once the team knew where to look.",
    "Handover between time zones was smooth; the second shift picked up without repeating work.",
    "No data was lost: writes that failed were retried safely after recovery.",
    "Customer communication was timely, with status page updates every {n}0 minutes.",
    "Tracing showed the slow dependency on the first query.",
    "The team declared the incident early instead of investigating in a private chat.",
    "Feature flags allowed the new code path to be turned off without a deploy.",
    "A game day earlier in the quarter had rehearsed a similar failure.",
    "Capacity in other regions absorbed the shifted traffic without trouble.",
    "Responders from {team} and {dep_team} shared one call and one channel, so nobody worked on stale information.",
    "The incident commander role was handed over cleanly after {n} hours.",
    "Queued work was processed in order once {svc} recovered, and no customer had to retry by hand.",
]
WENT_WELL_CLOSE = [
    "Several of these went well because of work done after earlier incidents, which is worth recognising.",
    "Some of this was luck: people who knew {dep} well happened to be online. Improvement Opportunities covers how to rely less on that.",
    "The response was calm and well coordinated, which kept the impact shorter than it might have been.",
    "",
    "",
]
IMPROVE_PARA = [
    "The symptom was visible on {svc}, but the condition was in {dep}. How might we connect the two faster, so that responders start from the dependency graph rather than from the service that paged?",
    "The first {detect_mins} minutes went to working out which team owned {dep}. An owner lookup in the paging tool would shorten that.",
    "Responders had the right information, spread across {tool} and {tool}; putting `{metric}` next to the error rate of {svc} would make the link visible at a glance.",
    "The mitigation that worked was available from the start. Trying it first depended on recognising {label}, which took {mins} minutes.",
    "The review found that {label} had been seen before in other services. A shared catalogue of such failure modes could help teams recognise it.",
    "The status page was updated {mins} minutes after the incident was declared. A template per symptom would reduce that delay.",
    "Alerts told responders that {svc} was unhealthy, not what {audience} were experiencing. Alerting on the customer journey would put the impact first.",
    "Mitigation relied on commands typed from memory. Scripted, reviewed mitigations for {noun} would make the response faster and safer.",
    "Much of the diagnosis repeated work done in an earlier incident. Linking related reviews from the alerts would bring that knowledge to the next responder.",
    "The change that started the incident went through the normal process, which had no step that could reveal the risk. That is where the improvements are aimed.",
]
ATTEMPT_PARA = [
    "Scaling {svc} was the first attempt, and it did not help. Knowing which levers affect which failure modes would save time.",
    "The first mitigation attempt targeted {svc} itself, where the symptom was, rather than {dep}, where the condition was.",
]
IMPROVE_BULLETS = [
    "How might we see {label} in {dep} before customers do?",
    "How might we make the safe change to {dep} the easy one?",
    "How might we share what each team knows about {dep} before the next incident?",
    "What would have made the growth of `{metric}` visible weeks earlier?",
    "Which other services depend on {dep} in the same way as {svc}?",
    "The escalation path to {dep_team} was found by asking in chat.",
    "Mitigation steps were copied by hand from a wiki page.",
    "The dashboards for {svc} do not show its dependencies.",
    "Alert `{alert}` names the symptom but not where to look next.",
    "Testing of changes to {dep} uses data far smaller than production.",
    "The status page template did not fit a partial outage.",
    "How might we limit the blast radius of a change to {dep} to one region?",
    "Customer support learned about the incident from customers.",
]
RESPONSE_PARA = [
    "Detection relied on `{alert}`, which fires on {svc} rather than on {dep}.",
    "The first {n}0 minutes of the response went to narrowing the problem down from {svc} to {dep}.",
    "Responders considered a network fault, a bad deploy of {svc} and a problem in {dep}, and ruled them out in that order.",
    "Once {dep_team} joined, the diagnosis took {mins} minutes.",
    "The incident commander kept the call focused on mitigation first and diagnosis second.",
    "Customer updates went out through the status page and, for enterprise tenants, through their account managers.",
    "The mitigation was chosen because it could be reversed quickly if it made things worse.",
    "A full rollback was held back at first, because the change that started the incident was not yet known.",
    "Monitoring continued for {mins} minutes after mitigation before the incident was resolved.",
    "Two responders worked in parallel: one on mitigation, one on keeping customers informed.",
    "The timeline above was assembled from #{channel}, the paging tool and the deploy history.",
    "A handover to a second shift was prepared but not needed.",
    "Throughout the incident, `{metric}` was the clearest signal of progress.",
    "No data needed repair afterwards; {num} delayed jobs were replayed automatically.",
    "{team} and {dep_team} agreed early on who would make changes to {dep}, which avoided conflicting actions.",
    "Impact grew for the first {mins} minutes and then held steady until mitigation.",
]
RECAP_OPEN = ["In short: ", "In brief: ", "", "", "What happened: "]
ACTIONS_INTRO = [
    "The follow-up work below addresses each contributing factor. Owners report progress in the weekly operations review.",
    "Each action item names the factor it addresses. Items are tracked in the team backlogs.",
    "The teams agreed on these items at the review meeting.",
    "These items change the system rather than the people operating it.",
]
ACTIONS_CLOSE = [
    "Progress on these items is reviewed every two weeks in the operations review until all are closed.",
    "Items that were not taken on are recorded with the reason, so a later review can revisit them.",
    "{team} will report back on the items in the next quarterly reliability review.",
    "",
]


# What responders ran against the dependency, by its kind.
COMMANDS = {
    "db": ["psql -h {dep}.internal -c 'select count(*) from pg_stat_activity'", "pg_top -h {dep}.internal"],
    "queue": ["kafka-consumer-groups --describe --group {svc}", "rabbitmqctl list_queues name messages"],
    "cache": ["redis-cli -h {dep}.internal info stats", "redis-cli -h {dep}.internal --latency"],
    "edge": ["curl -sv https://{domain}/healthz", "kubectl -n edge logs deploy/{dep} --since=10m"],
    "auth": ["curl -s https://{domain}/.well-known/openid-configuration", "kubectl -n identity get pods"],
    "infra": ["dig +short {domain}", "kubectl get events -A --sort-by=.lastTimestamp"],
    "api": ["kubectl -n {ns} rollout status deploy/{svc}", "kubectl -n {ns} top pods -l app={svc}"],
    "batch": ["kubectl -n {ns} get jobs", "kubectl -n {ns} logs job/{job}"],
}


# ---------------------------------------------------------------------------------------
# Planning: everything other post-mortems need to know (file, title, date, factors), in
# index order, from a random stream of each post-mortem's own.

START = dt.date(2019, 3, 1)
SPAN_DAYS = (dt.date(2025, 10, 31) - START).days


def doc_rng(seed, index, salt):
    return random.Random("%s:%d:%d" % (salt, seed, index))


def plan_one(seed, index):
    r = doc_rng(seed, index, "plan")
    sc = r.choice(SCENARIOS)
    svc = r.choice(FRONT)
    deps = [d for kind in sc["deps"] for d in BY_KIND.get(kind, []) if d != svc]
    dep = r.choice(deps)
    # More incidents in later years, as the company and its systems grow.
    day = START + dt.timedelta(days=int(SPAN_DAYS * r.random() ** 0.7))
    start_min = r.randint(60, 1439 - 60)
    severity = r.choices(("SEV1", "SEV2", "SEV3", "SEV4"), (8, 25, 42, 25))[0]
    symptom = r.choice(SYMPTOMS)
    areas = sc["areas"]
    nf = r.choices((1, 2, 3), (3, 5, 2))[0]
    factors = []
    for _ in range(nf):
        area = r.choice(areas)
        fid = "%s-%s" % (area, r.choice(WEAK_FOR[area]))
        if fid not in factors:
            factors.append(fid)
    audience = r.choice(AUDIENCES)
    form = r.randrange(5)
    label, noun = sc["label"], sc["noun"]
    if form == 0:
        title = "%s in %s after %s" % (cap(symptom[0]), svc, label)
    elif form == 1:
        title = "%s: %s during %s" % (svc, symptom[0], label)
    elif form == 2:
        title = "%s on %s led to %s in %s" % (cap(label), dep, symptom[0], svc)
    elif form == 3:
        title = "%s for %s (%s, %s)" % (cap(symptom[0]), audience, svc, noun)
    else:
        title = "%s in %s degraded %s" % (cap(noun), dep, svc)
    status = r.choices(("final", "in-review", "draft"), (88, 6, 6))[0]
    return dict(index=index, sc=sc["key"], svc=svc, dep=dep, date=day, start_min=start_min,
                severity=severity, symptom=symptom, factors=factors, audience=audience,
                title=title, status=status, base="%s-%s-%s-%s" % (day.isoformat(), svc, symptom[1], sc["key"]))


def plan_all(seed, n):
    plans, taken = [], set()
    by_key = {}
    for i in range(n):
        p = plan_one(seed, i)
        name, k = p["base"], 2
        while name in taken:
            name = "%s-%d" % (p["base"], k)
            k += 1
        taken.add(name)
        p["path"] = "%d/%s.md" % (p["date"].year, name)
        # Earlier post-mortems of the same service or mechanism (links point backwards
        # only, so a prefix of the corpus is a corpus of its own).
        r = doc_rng(seed, i, "links")
        related = []
        if r.random() < 0.65:
            for key in (("svc", p["svc"]), ("sc", p["sc"])):
                # Of the last few, those that happened before this one.
                seen = [j for j in by_key.get(key, [])[-40:] if plans[j]["date"] < p["date"]]
                if seen:
                    j = seen[-1 - r.randrange(min(len(seen), 8))]
                    if j not in related:
                        related.append(j)
        p["related"] = [(plans[j]["title"], plans[j]["path"]) for j in related]
        for key in (("svc", p["svc"]), ("sc", p["sc"])):
            by_key.setdefault(key, []).append(i)
        plans.append(p)
    return plans


# ---------------------------------------------------------------------------------------
# Writing one post-mortem.

def ts(day, minute):
    t = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minute)
    return t.strftime("%Y-%m-%dT%H:%M:00Z")


def hm(minute):
    return "%02d:%02d" % ((minute // 60) % 24, minute % 60)


def duration_text(mins):
    if mins < 90:
        return "about %d minutes" % mins
    h, m = divmod(mins, 60)
    return "about %d hour%s %d minutes" % (h, "s" if h > 1 else "", m)


def handle(r):
    return "%s.%s" % (r.choice(FIRST), r.choice(LAST))


class Deck:
    """Draws from a pool without repeating until the pool is used up."""

    def __init__(self, r):
        self.r = r
        self.piles = {}

    def draw(self, pool, k=1):
        pile = self.piles.get(id(pool))
        out = []
        for _ in range(k):
            if not pile:
                pile = list(pool)
                self.r.shuffle(pile)
                self.piles[id(pool)] = pile
            out.append(pile.pop())
        return out


def build_doc(seed, p, fmt):
    """Returns (front matter fields, body Markdown) for one plan."""
    r = doc_rng(seed, p["index"], "body")
    deck = Deck(r)
    sc = SCENARIO_BY_KEY[p["sc"]]
    svc, dep, day = p["svc"], p["dep"], p["date"]
    team, dep_team = SERVICES[svc][0], SERVICES[dep][0]
    sev = p["severity"]
    slow = {"SEV1": 1.6, "SEV2": 1.3, "SEV3": 1.0, "SEV4": 0.8}[sev]
    start = p["start_min"]
    detect = start + r.randint(2, 25)
    declare = detect + r.randint(1, 6)
    mitigate = declare + int(r.randint(20, 150) * slow)
    resolve = mitigate + r.randint(10, 180)
    crew, size = [], r.randint(3, 5)
    while len(crew) < size:
        h = handle(r)
        if h not in crew:
            crew.append(h)
    authors = crew[:r.randint(1, 2)]
    nf = len(p["factors"])
    cost = {"SEV1": (100, 900), "SEV2": (20, 200), "SEV3": (2, 40), "SEV4": (1, 5)}[sev]
    s = Slots(svc=svc, dep=dep, team=team_name(team), dep_team=team_name(dep_team), ns=team[:-5] if team.endswith("-team") else team,
              region=r.choice(REGIONS), sc=sc, crew=crew, ic=crew[0], oncall=crew[1], severity=sev,
              symptom=p["symptom"][0], symptom_verb=p["symptom"][2], audience=p["audience"],
              label=sc["label"], noun=sc["noun"],
              long_date="%s %d, %d" % (day.strftime("%B"), day.day, day.year),
              duration_text=duration_text(mitigate - start), start_hm=hm(start), end_hm=hm(mitigate),
              detect_mins=str(detect - start), mitigate_mins=str(mitigate - detect), onset_hm=hm(start),
              alert="%s%s" % ("".join(cap(w) for w in svc.split("-")),
                              r.choice(("ErrorRateHigh", "LatencyHigh", "SLOBurn", "Saturated", "Unavailable"))),
              channel="inc-%s-%s" % (day.strftime("%Y%m%d"), svc),
              table=r.choice(TABLES), column=r.choice(COLUMNS), topic=r.choice(TOPICS),
              job=r.choice(JOBS), flag=r.choice(FLAGS), domain=r.choice(DOMAINS),
              impact_reason=r.choice(IMPACT_REASONS[sev]),
              nf_text="%s contributing factor%s" % (("one", "two", "three")[nf - 1], "s" if nf > 1 else ""),
              cost="%d thousand dollars" % r.randint(*cost),
              year=str(day.year - r.randint(2, 6)))
    s.rng, s.deck = r, deck
    s["command"] = fill(r.choice(COMMANDS[SERVICES[dep][1]]), s)
    draw = lambda pool, k=1: [say(t, s) for t in deck.draw(pool, k)]
    one = lambda pool: say(r.choice(pool), s)
    change, fix = one(sc["change"]), one(sc["fixes"])

    # Action items first: the factors cite them. Every factor has at least one.
    items = []
    extra = r.sample(p["factors"], r.randint(0, nf))
    for fid in p["factors"] + extra:
        weakness, area = FACTORS[fid]
        title = cap(r.choice(WEAKNESSES[weakness][3]).format(area=AREAS[area]))
        if any(it["title"] == title for it in items):
            continue
        owner = r.choice((team, team, dep_team, "sre-team", "platform-team"))
        item = dict(id="AI-%05d-%d" % (p["index"] + 1, len(items) + 1), title=title, owner=owner,
                    addresses=[fid])
        if p["status"] != "final":
            # Due dates are agreed at the review meeting, which has not happened yet.
            item["status"] = r.choice(("open", "open", "in-progress"))
        else:
            due = day + dt.timedelta(days=r.randint(14, 120))
            status = r.choices(("done", "wont-do", "in-progress", "open"), (90, 7, 2, 1))[0]
            item["status"] = status
            item["due"] = due
            if status == "done":
                item["closed"] = due + dt.timedelta(days=r.randint(-30, 12))
        items.append(item)

    out = []
    # Summary: what happened, then a recap of the mechanism.
    para = [one(SUMMARY_OPEN)] + draw(SUMMARY_MORE, r.randint(5, 7))
    out.append("## Summary\n\n" + " ".join(para) + "\n")
    out.append(r.choice(RECAP_OPEN) + " ".join([change] + draw(sc["clues"]) + [fix]) + "\n")
    if p["related"]:
        links = ", ".join("[%s](%s)" % (t, link(fmt, p["path"], path)) for t, path in p["related"])
        out.append("Related incidents: %s.\n" % links)

    # Timeline: (minute, text), in order and inside the incident's window.
    tl = []
    if r.random() < 0.85:
        tl.append((start - r.randint(3, 40), change))
    tl.append((start, one(sc["onset"])))
    tl.append((detect, one(TL_DETECT)))
    tl.append((declare, one(TL_DECLARE)))
    tl.append((declare + r.randint(1, 8), one(TL_STATUS)))
    marks = sorted(declare + 8 + r.randrange(mitigate - declare - 11) for _ in range(r.randint(4, 7)))
    for m, text in zip(marks, draw(TL_INVESTIGATE, len(marks))):
        tl.append((m, text))
    attempted = r.random() < 0.6
    if attempted:
        tl.append((marks[-1] + 1, one(TL_ATTEMPT)))
    tl.append((mitigate - r.randint(1, 3), fix))
    tl.append((mitigate, one(TL_MITIGATE_AFTER)))
    for m in sorted(r.randint(mitigate + 2, resolve - 2) for _ in range(r.randint(1, 2))):
        tl.append((m, one(TL_MONITOR)))
    tl.append((resolve, one(TL_RESOLVE)))
    tl.sort(key=lambda e: e[0])
    lines = ["## Timeline", "", "All times are UTC.", ""]
    lines += ["- **%s** %s" % (hm(m), text) for m, text in tl]
    lines += ["", " ".join(draw(RESPONSE_PARA, r.randint(4, 6)))]
    out.append("\n".join(lines) + "\n")
    kinds = list(sc["code"])
    if r.random() < 0.55:
        out.append(fill("Log lines from {svc} around the start of the impact:\n\n", s)
                   + code_block("log", r, s, day, start))
        if "log" in kinds:
            kinds.remove("log")

    # Contributing Factors
    part = ["## Contributing Factors", "", one(FACTORS_INTRO), ""]
    for k, fid in enumerate(p["factors"]):
        weakness, area = FACTORS[fid]
        s["factor_desc"] = WEAKNESSES[weakness][2].format(area=AREAS[area])
        s["mech_lc"] = lower_first(draw(sc["mech"])[0])
        s["items"] = ", ".join(it["id"] for it in items if fid in it["addresses"])
        part += ["### %s" % factor_title(fid), ""]
        part += [" ".join(draw(FACTOR_OPEN) + draw(FACTOR_BODY, r.randint(4, 7))), ""]
        part += [" ".join(draw(FACTOR_BODY, r.randint(3, 6)) + draw(FACTOR_CLOSE)), ""]
        if k == 0 and kinds and r.random() < 0.7:
            part += [code_block(r.choice(kinds), r, s, day, start)]
    out.append("\n".join(part))

    # What Went Well
    part = ["## What Went Well", ""] + ["- " + x for x in draw(WENT_WELL, r.randint(3, 6))]
    close = one(WENT_WELL_CLOSE)
    out.append("\n".join(part + (["", close] if close else [])) + "\n")

    # Improvement Opportunities
    first = draw(IMPROVE_PARA, 2)
    if attempted and r.random() < 0.5:
        first[1] = one(ATTEMPT_PARA)
    part = ["## Improvement Opportunities", "", " ".join(first), ""]
    if r.random() < 0.5:
        part += [metrics_table(r, s), ""]
    part += ["- " + x for x in draw(IMPROVE_BULLETS, r.randint(4, 6))]
    part += ["", " ".join(draw(IMPROVE_PARA, 2)), ""]
    out.append("\n".join(part))

    # Action Items
    rows = ["| ID | Action | Owner | Due | Status |", "| --- | --- | --- | --- | --- |"]
    for it in items:
        rows.append("| %s | %s | %s | %s | %s |" % (
            it["id"], it["title"], it["owner"], it["due"].isoformat() if "due" in it else "to be agreed",
            it["status"]))
    close = one(ACTIONS_CLOSE)
    out.append("## Action Items\n\n%s\n\n%s\n%s" % (one(ACTIONS_INTRO), "\n".join(rows),
                                                   "\n" + close + "\n" if close else ""))

    tags = list(dict.fromkeys(
        r.sample(sc["tags"], r.randint(2, len(sc["tags"])))
        + r.sample(["customer-impact", "on-call", "availability", "latency", "data", "runbook"], r.randint(0, 2))))
    fields = dict(title=p["title"], date=day, severity=sev, status=p["status"],
                  services=[svc, dep], teams=list(dict.fromkeys([team, dep_team])), authors=authors,
                  tags=tags, started=ts(day, start), detected=ts(day, detect),
                  mitigated=ts(day, mitigate), resolved=ts(day, resolve),
                  contributing_factors=p["factors"], action_items=items)
    return fields, "\n".join(out)


def code_block(kind, r, s, day, start):
    if kind == "log":
        lines = []
        t = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=start)
        for _ in range(r.randint(3, 6)):
            t += dt.timedelta(seconds=r.randint(1, 200), milliseconds=r.randint(0, 999))
            lines.append('%s.%03dZ %s [%s] host=%s trace_id=%s msg="%s" elapsed_ms=%d' % (
                t.strftime("%Y-%m-%dT%H:%M:%S"), t.microsecond // 1000, r.choice(("ERROR", "WARN", "ERROR")),
                r.choice((s["svc"], s["dep"])), fill("{host}", s), hexid(r, 16), fill("{err}", s).replace('"', "'"),
                r.randint(200, 30000)))
        return "```text\n%s\n```\n" % "\n".join(lines)
    if kind == "sql":
        q = r.choice([
            "SELECT pid, state, wait_event_type, now() - query_start AS age, left(query, 60)\nFROM pg_stat_activity\nWHERE wait_event_type = 'Lock' AND state <> 'idle'\nORDER BY age DESC\nLIMIT 20;",
            "EXPLAIN ANALYZE\nSELECT * FROM {table}\nWHERE {column} = $1\nORDER BY created_at DESC\nLIMIT 50;",
            "SELECT relation::regclass, mode, granted, count(*)\nFROM pg_locks\nGROUP BY 1, 2, 3\nORDER BY 4 DESC;",
        ])
        return "```sql\n%s\n```\n" % fill(q, s)
    if kind == "yaml":
        y = r.choice([
            "{svc}:\n  database:\n    pool_size: {n}0\n    acquire_timeout_ms: {ms}\n  retries:\n    max_attempts: {n}\n    backoff: none",
            "rollout:\n  service: {svc}\n  strategy: all-regions\n  canary_percent: 0\n  halt_on_error_rate: false",
            "consumer:\n  group: {svc}\n  topic: {topic}\n  max_poll_records: {num}\n  max_poll_interval_ms: {ms}",
            "cache:\n  cluster: {dep}\n  ttl_seconds: 300\n  jitter_seconds: 0\n  coalesce_misses: false",
        ])
        return "```yaml\n%s\n```\n" % fill(y, s)
    c = ["$ " + s["command"], "$ " + fill(r.choice(COMMANDS[SERVICES[s["svc"]][1]]), s)]
    return "```console\n%s\n```\n" % "\n".join(c)


def metrics_table(r, s):
    rows = ["| Metric | Baseline | Peak | After mitigation |", "| --- | ---: | ---: | ---: |"]
    for m in r.sample(s["sc"]["metrics"], min(len(s["sc"]["metrics"]), r.randint(2, 3))):
        base = r.randint(5, 400)
        rows.append("| `%s` | %d | %d | %d |" % (m, base, base * r.randint(4, 40), base + r.randint(0, base // 2 + 1)))
    return "\n".join(rows)


def link(fmt, here, there):
    if fmt == "hugo":
        return '{{< relref "/%s" >}}' % there
    if fmt == "zola":
        return "@/%s" % there
    return "../" + there if "/" in here else there


# ---------------------------------------------------------------------------------------
# Front matter.

def yq(v):
    """A YAML scalar: plain where that is safe, else double-quoted."""
    if isinstance(v, dt.date):
        return v.isoformat()
    v = str(v)
    plain = v and all(c.isalnum() or c in "-._" for c in v) and v[0] not in "-."
    if plain and v.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return v
    return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')


def yaml_front(f):
    out = ["---", "title: " + yq(f["title"])]
    for k in ("date", "severity", "status"):
        out.append("%s: %s" % (k, yq(f[k])))
    for k in ("services", "teams", "authors", "tags"):
        out.append("%s: [%s]" % (k, ", ".join(yq(x) for x in f[k])))
    for k in ("started", "detected", "mitigated", "resolved"):
        out.append("%s: %s" % (k, f[k]))
    out.append("contributing_factors: [%s]" % ", ".join(f["contributing_factors"]))
    out.append("action_items:")
    for it in f["action_items"]:
        out.append("  - id: %s" % it["id"])
        out.append("    title: %s" % yq(it["title"]))
        out.append("    owner: %s" % it["owner"])
        out.append("    status: %s" % it["status"])
        for k in ("due", "closed"):
            if k in it:
                out.append("    %s: %s" % (k, it[k].isoformat()))
        out.append("    addresses: [%s]" % ", ".join(it["addresses"]))
    out.append("---")
    return "\n".join(out) + "\n\n"


def tq(v):
    return '"%s"' % str(v).replace("\\", "\\\\").replace('"', '\\"')


def toml_front(f):
    arr = lambda xs: "[%s]" % ", ".join(tq(x) for x in xs)
    out = ["+++", "title = " + tq(f["title"]), "date = " + f["date"].isoformat(), "",
           "[taxonomies]", "tags = " + arr(f["tags"]), "services = " + arr(f["services"]), "",
           "[extra]", "severity = " + tq(f["severity"]), "status = " + tq(f["status"]),
           "authors = " + arr(f["authors"]), "teams = " + arr(f["teams"])]
    for k in ("started", "detected", "mitigated", "resolved"):
        out.append("%s = %s" % (k, f[k]))
    out.append("contributing_factors = " + arr(f["contributing_factors"]))
    for it in f["action_items"]:
        out += ["", "[[extra.action_items]]", "id = " + tq(it["id"]), "title = " + tq(it["title"]),
                "owner = " + tq(it["owner"]), "status = " + tq(it["status"])]
        for k in ("due", "closed"):
            if k in it:
                out.append("%s = %s" % (k, it[k].isoformat()))
        out.append("addresses = " + arr(it["addresses"]))
    out.append("+++")
    return "\n".join(out) + "\n\n"


def render(seed, p, fmt):
    fields, body = build_doc(seed, p, fmt)
    if fmt == "zola":
        head = toml_front(fields)
    elif fmt == "mdbook":
        head = "# %s\n\n" % fields["title"]
    else:
        head = yaml_front(fields)
    return head + body, len(body.split())


def write_chunk(args):
    """Writes a run of post-mortems; returns (words, bytes)."""
    seed, fmt, content, plans = args
    words = size = 0
    for p in plans:
        text, w = render(seed, p, fmt)
        data = text.encode("utf-8")
        with open(os.path.join(content, p["path"]), "wb") as fh:
            fh.write(data)
        words += w
        size += len(data)
    return words, size


# ---------------------------------------------------------------------------------------
# The rest of the book: factor pages, section indexes, tables of contents, configuration.

def factor_page(fid):
    weakness, area = FACTORS[fid]
    category, _, desc, actions = WEAKNESSES[weakness]
    r = random.Random("factor:" + fid)
    label = AREAS[area]
    text = desc.format(area=label)
    seen = [s["noun"] for s in SCENARIOS if area in s["areas"]]
    more = "It has contributed to incidents involving %s." % ", ".join(r.sample(seen, min(3, len(seen))))
    fix = "Typical remedies: %s." % "; ".join(lower_first(a.format(area=label)) for a in actions)
    return '---\ntitle: %s\ncategory: %s\n---\n\n%s %s\n\n%s\n' % (yq(factor_title(fid)), category, text, more, fix)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))


def write_if_absent(path, text):
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write(path, text)


def extras(fmt, outdir, content, plans):
    """Writes the non-post-mortem files; returns their bytes."""
    size = 0
    if fmt == "yaml":
        os.makedirs(os.path.join(content, "factors"), exist_ok=True)
        for fid in sorted({f for p in plans for f in p["factors"]}):
            size += write(os.path.join(content, "factors", fid + ".md"), factor_page(fid))
        write_if_absent(os.path.join(outdir, "book.toml"), '[book]\ntitle = "Synthetic post-mortems"\n')
    elif fmt == "hugo":
        write_if_absent(os.path.join(outdir, "hugo.toml"), 'baseURL = "http://localhost/"\ntitle = "Synthetic post-mortems"\n')
    elif fmt == "zola":
        size += write(os.path.join(content, "_index.md"), '+++\ntitle = "Post-mortems"\nsort_by = "date"\n+++\n')
        for year in sorted({p["date"].year for p in plans}):
            size += write(os.path.join(content, str(year), "_index.md"),
                          '+++\ntitle = "%d"\nsort_by = "date"\n+++\n' % year)
        write_if_absent(os.path.join(outdir, "config.toml"),
                        'base_url = "http://localhost/"\ntitle = "Synthetic post-mortems"\n'
                        'taxonomies = [\n  { name = "tags", render = false },\n  { name = "services", render = false },\n]\n')
        tpl = os.path.join(outdir, "templates")
        if not os.path.exists(tpl):
            page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ %s.title }}</title></head><body>%s</body></html>\n'
            write_if_absent(os.path.join(tpl, "page.html"), page % ("page", "<h1>{{ page.title }}</h1><time>{{ page.date }}</time>{{ page.content | safe }}"))
            listing = "<h1>{{ section.title }}</h1><ul>{% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul>"
            write_if_absent(os.path.join(tpl, "section.html"), page % ("section", listing))
            write_if_absent(os.path.join(tpl, "index.html"), page % ("section", listing))
    elif fmt == "mdbook":
        # Newest first, a part per year.
        lines = ["# Summary", "", "[Introduction](README.md)"]
        year = None
        for p in sorted(plans, key=lambda p: (p["date"], p["path"]), reverse=True):
            if p["date"].year != year:
                year = p["date"].year
                lines += ["", "# %d" % year, ""]
            lines.append("- [%s](%s)" % (p["title"], p["path"]))
        size += write(os.path.join(content, "SUMMARY.md"), "\n".join(lines) + "\n")
        size += write(os.path.join(content, "README.md"),
                      "# Post-mortems\n\n%d synthetic post-mortems, newest first in the table of contents.\n" % len(plans))
        write_if_absent(os.path.join(outdir, "book.toml"), '[book]\ntitle = "Synthetic post-mortems"\nsrc = "content"\n')
    return size


# ---------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="Synthetic, deterministic post-mortem corpus for the benchmarks (stdlib only).")
    ap.add_argument("n", type=int, help="number of post-mortems")
    ap.add_argument("outdir", help="output folder (post-mortems go to OUTDIR/content/)")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--format", choices=("yaml", "hugo", "zola", "mdbook"), default="yaml",
                    help="yaml: incidentbook (default); hugo, zola, mdbook: the same incidents for those tools")
    ap.add_argument("--zola", action="store_const", dest="format", const="zola", help="same as --format zola")
    ap.add_argument("--force", action="store_true", help="write into a non-empty OUTDIR/content (files of the same name are replaced, others kept)")
    ap.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8),
                    help="worker processes (default: the number of cores, at most 8); the output does not depend on it")
    a = ap.parse_args(argv)
    if a.n < 0 or a.jobs < 1:
        ap.error("n must be >= 0 and --jobs >= 1")
    content = os.path.join(a.outdir, "content")
    if os.path.isdir(content) and os.listdir(content) and not a.force:
        print("%s is not empty (use --force to write into it anyway)" % content, file=sys.stderr)
        return 1
    plans = plan_all(a.seed, a.n)
    for year in sorted({p["date"].year for p in plans}):
        os.makedirs(os.path.join(content, str(year)), exist_ok=True)
    os.makedirs(content, exist_ok=True)
    size = extras(a.format, a.outdir, content, plans)
    step = max(1, min(200, -(-a.n // (a.jobs * 4)) if a.n else 1))
    chunks = [(a.seed, a.format, content, plans[i:i + step]) for i in range(0, a.n, step)]
    words = 0
    if a.jobs > 1 and len(chunks) > 1:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(a.jobs, len(chunks))) as pool:
            results = pool.map(write_chunk, chunks)
    else:
        results = [write_chunk(c) for c in chunks]
    for w, b in results:
        words += w
        size += b
    print("wrote %d docs (%s) to %s: %d words (avg %d), %d bytes"
          % (a.n, a.format, content, words, words // a.n if a.n else 0, size), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
