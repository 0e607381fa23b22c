#!/usr/bin/env python3
"""Reads `chengyun bench all --quick`'s report: every bench ran, named its baseline's method and
gave positive figures with the sample counts beside its percentiles. No timing thresholds: CI's
machine is not the benchmark machine."""
import json
import sys

report = json.load(open(sys.argv[1]))
expected = {"routing", "intake", "evaluation", "indicators", "emergency", "cases", "ingest", "ingest-postgres", "cases-postgres", "cities", "datahub",
            "intake-postgres", "datahub-postgres", "datahub-postgres-2nodes", "evaluation-postgres-2nodes", "indicators-postgres-2nodes", "emergency-postgres-2nodes", "cases-postgres-2nodes", "ingest-postgres-2nodes", "cities-2nodes"}


def key(result):
    """A result's name: the bench, then its backend when not the default, then its nodes when several."""
    name = result["bench"] + ("-postgres" if result.get("backend") == "postgres" else "")
    return name + (f"-{result['nodes']}nodes" if result.get("nodes", 1) > 1 else "")


results = {key(r): r for r in report["results"]}
failures = []
for name in sorted(expected):
    result = results.get(name)
    if result is None:
        failures.append(f"{name}: missing from the report")
        continue
    if "error" in result:
        failures.append(f"{name}: {result['error']}")
        continue
    if not result.get("baseline_method"):
        failures.append(f"{name}: no baseline_method")
    for key, value in result.items():
        if key.endswith("_p99_ms") or key == "p99_ms":
            samples = result.get(key.replace("_p99_ms", "_samples") if key != "p99_ms" else "samples")
            if not samples:
                failures.append(f"{name}: {key} without a sample count")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            failures.append(f"{name}: {key} is negative ({value})")
    # Webhooks: every change delivered, none under an id twice, through the outage too.
    for key in ("webhook_lost", "webhook_duplicates", "webhook_batched_lost", "webhook_batched_duplicates",
                "webhook_records_lost", "webhook_records_duplicates"):
        if name.startswith("datahub") and result.get(key) != 0:
            failures.append(f"{name}: {key} is {result.get(key)}")
    if result.get("errors", 0) != 0:
        failures.append(f"{name}: {result['errors']} requests failed")
    print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(result.items()) if k != "baseline_method"))
# The labelled intake set is the same on both backends (one seed): so must its figures be.
if "intake" in results and "intake-postgres" in results:
    differ = sorted(k for k in set(results["intake"]) | set(results["intake-postgres"])
                    if k not in ("backend", "reports_per_s", "run_s", "baseline_method")
                    and results["intake"].get(k) != results["intake-postgres"].get(k))
    if differ:
        failures.append("intake: SQLite and PostgreSQL differ in " + ", ".join(differ))
if failures:
    print("bench report problems:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"all {len(expected)} benches measured and named their baselines")
