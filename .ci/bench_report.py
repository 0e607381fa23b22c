#!/usr/bin/env python3
"""Reads `chengyun bench all --quick`'s report: every bench ran, named its baseline's method and
gave positive figures with the sample counts beside its percentiles. No timing thresholds: CI's
machine is not the benchmark machine."""
import json
import sys

report = json.load(open(sys.argv[1]))
expected = {"routing", "intake", "evaluation", "indicators", "emergency", "cases", "ingest", "ingest-postgres", "cases-postgres", "cities", "datahub"}
results = {r["bench"] + ("-postgres" if r.get("backend") == "postgres" else ""): r for r in report["results"]}
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
    for key in ("webhook_lost", "webhook_duplicates", "webhook_batched_lost", "webhook_batched_duplicates"):
        if name == "datahub" and result.get(key) != 0:
            failures.append(f"{name}: {key} is {result.get(key)}")
    if result.get("errors", 0) != 0:
        failures.append(f"{name}: {result['errors']} requests failed")
    print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(result.items()) if k != "baseline_method"))
if failures:
    print("bench report problems:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"all {len(expected)} benches measured and named their baselines")
