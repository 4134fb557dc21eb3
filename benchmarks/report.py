"""Check that every engine gave the same decisions, then print the tables and draw growth.png.

    benchmarks/.venv/bin/python benchmarks/report.py RESULTS_DIR

RESULTS_DIR holds what run.sh's runners wrote: rust.json, node.json, python-ours.json, python-cedarpy.json,
seeds.json, growth.json, memory.json. Exits 1, after naming every disagreement, if two engines decided a request
differently (or apigw-authz differs from a scenario's stated expectation). Writes RESULTS_DIR/report.md (the
tables, as printed) and benchmarks/growth.png.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = "seed-1"
ORDER = ["seed-1", "lambda-authorizer", "50-statements", "500-statement-identity-set"]
GOALS = {"iam-simulate": 500, "cedar": 100}


def load(results: Path, name: str) -> Any:
    path = results / name
    if not path.exists():
        raise SystemExit(f"report: {path} is missing: run benchmarks/run.sh")
    return json.loads(path.read_text())


def by_scenario(runs: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    return {r["scenario"]: r["engines"] for r in runs}


def rate(x: Optional[float]) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def ratio(a: float, b: float, goal: Optional[int] = None) -> str:
    r = a / b
    text = f"{r:,.0f}×" if r >= 10 else f"{r:,.1f}×"
    if goal:
        text += " ✓" if r >= goal else f" (goal ≥ {goal}×)"
    return text


def table(head: List[str], rows: List[List[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def check(scenarios: Dict[str, Any], fronts: Dict[str, Dict[str, Dict[str, Any]]]) -> List[str]:
    """Every engine's decisions against apigw-authz's Rust front, and that against the stated expectations."""
    problems = []
    for name, s in scenarios.items():
        reference = fronts["rust"][name]["apigw-authz"]["decisions"]
        if s.get("expected") and s["expected"] != reference:
            problems.append(f"{name}: apigw-authz decided {reference}, the scenario expects {s['expected']}")
        for front, engines in fronts.items():
            for engine, result in engines.get(name, {}).items():
                for i, (got, want) in enumerate(zip(result["decisions"], reference)):
                    if got != want:
                        problems.append(f"{name} request {i}: {front} {engine} decided {got}, apigw-authz {want}")
                if len(result["decisions"]) != len(reference):
                    problems.append(f"{name}: {front} {engine} gave {len(result['decisions'])} decisions")
    return problems


def wasm_sizes() -> List[List[str]]:
    rows = []
    for label, path in [
        ("apigw-authz (npm, `dist/web/apigw_authz_bg.wasm`)", REPO / "bindings-js/dist/web/apigw_authz_bg.wasm"),
        ("@cedar-policy/cedar-wasm 4.13.0 (`cedar_wasm_bg.wasm`)",
         HERE / "node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm"),
    ]:
        if path.exists():
            data = path.read_bytes()
            rows.append([label, f"{len(data) / 1024:,.1f} KB", f"{len(gzip.compress(data, 9)) / 1024:,.1f} KB"])
    return rows


def plot(growth: Dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=90, sharey=True)
    for ax, key, color, label, title in [
        (a, "statements", "#1f6feb", "identity-policy statements of the caller", "statements, 1 to 1,000"),
        (b, "principals", "#d1242f", "principals described in the API", "principals, 1 to 100,000"),
    ]:
        xs = [g[key] for g in growth[key]]
        ax.loglog(xs, [g["perSecond"] for g in growth[key]], "o-", color=color)
        ax.axhline(2_000_000, color="grey", linestyle="--", linewidth=1)
        ax.set_xlabel(label)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.set_ylim(10_000, 4_000_000)
    a.set_ylabel("decisions / s (one core)")
    a.text(1, 2_200_000, "target of the seed scenarios: 2,000,000 / s", fontsize=8, color="grey")
    fig.suptitle("apigw-authz, Rust front: prepared decide (no explanation)", fontsize=11)
    fig.tight_layout()
    fig.savefig(out)


def main() -> None:
    results = Path(sys.argv[1])
    scenarios = {p.stem: json.loads(p.read_text()) for p in sorted((results.parent / "scenarios").glob("*.json"))}
    rust = by_scenario(load(results, "rust.json"))
    node = by_scenario(load(results, "node.json"))
    python: Dict[str, Dict[str, Any]] = {}
    for f in ("python-ours.json", "python-cedarpy.json"):
        for name, engines in by_scenario(load(results, f)).items():
            python.setdefault(name, {}).update(engines)
    fronts = {"rust": rust, "node": node, "python": python}

    problems = check(scenarios, fronts)
    if problems:
        print("ENGINES DISAGREE — the figures below compare different answers:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)

    names = [n for n in ORDER if n in rust] + [n for n in rust if n not in ORDER]
    out: List[str] = []
    cpu = "?"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                   if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load_avg = os.getloadavg()
    out.append(f"Measured {date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), one thread per engine; "
               f"load average at the end {load_avg[0]:.1f}. Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, "
               f"Python {platform.python_version()}. Decisions per second, best of three runs.")
    total = sum(len(s["requests"]) for s in scenarios.values())
    out.append(f"\nEvery engine gave the same decision (Allow / ExplicitDeny / ImplicitDeny) on all {total} requests "
               "of the four scenarios." if not problems else f"\n**{len(problems)} disagreements** (see stderr).")

    out.append("\n**Rust front** (release build; apigw-authz `PreparedApi::decide`, Cedar's `cedar-policy` 4.13.0 "
               "crate with policies, entities and request parsed once):\n")
    rows = []
    for n in names:
        e = rust[n]
        rows.append([n, rate(e["apigw-authz"]["perSecond"]), rate(e["apigw-authz (with explanation)"]["perSecond"]),
                     rate(e["apigw-authz (JSON in, JSON out)"]["perSecond"]), rate(e["cedar-policy"]["perSecond"]),
                     ratio(e["apigw-authz"]["perSecond"], e["cedar-policy"]["perSecond"],
                           GOALS["cedar"] if n == SEED else None),
                     f"{e['apigw-authz']['allocationsPerDecision']:.1f}"])
    out.append(table(["scenario", "apigw-authz decide", "with explanation", "JSON in → JSON out", "cedar-policy",
                      "× Cedar", "allocations / decision"], rows))

    out.append("\n**Node front** (apigw-authz npm package `Api.decide(request object)`; iam-simulate "
               "`runSimulation`; cedar-wasm `statefulIsAuthorized` with the policy set preparsed, and "
               "`isAuthorized` parsing it every call):\n")
    rows = []
    for n in names:
        e = node.get(n)
        if not e:
            continue
        ours = e["apigw-authz"]["perSecond"]
        rows.append([n, rate(ours), rate(e["apigw-authz"].get("batchPerSecond")), rate(e["iam-simulate"]["perSecond"]),
                     ratio(ours, e["iam-simulate"]["perSecond"], GOALS["iam-simulate"] if n == SEED else None),
                     rate(e["cedar-wasm"]["perSecond"]),
                     ratio(ours, e["cedar-wasm"]["perSecond"], GOALS["cedar"] if n == SEED else None),
                     rate(e["cedar-wasm (isAuthorized)"]["perSecond"])])
    out.append(table(["scenario", "apigw-authz", "authorizeMany, per decision", "iam-simulate", "× iam-simulate",
                      "cedar-wasm (prepared)", "× cedar-wasm", "cedar-wasm isAuthorized"], rows))

    out.append("\n**Python front** (apigw-authz `Api.authorize(request, explain=False)`, also with a request from "
               "`Api.parse_request` and in batches; cedarpy `is_authorized` with a `PolicySet` and `Entities` "
               "parsed once, and with the policy text parsed on every call):\n")
    rows = []
    for n in names:
        e = python.get(n)
        if not e:
            continue
        ours = e["apigw-authz"]["perSecond"]
        rows.append([n, rate(ours), rate(e["apigw-authz (parsed request)"]["perSecond"]),
                     rate(e["apigw-authz (batch)"]["perSecond"]), rate(e["cedarpy"]["perSecond"]),
                     rate(e["cedarpy (batch)"]["perSecond"]),
                     ratio(ours, e["cedarpy"]["perSecond"], GOALS["cedar"] if n == SEED else None),
                     rate(e["cedarpy (policies as text)"]["perSecond"]),
                     ratio(ours, e["cedarpy (policies as text)"]["perSecond"])])
    out.append(table(["scenario", "apigw-authz (dict)", "parsed request", "authorize_many", "cedarpy (prepared)",
                      "cedarpy batch", "× cedarpy", "cedarpy, policies as text", "× that"], rows))

    seeds = load(results, "seeds.json")
    out.append("\n**Every example suite** (examples/scenarios, Rust front, all cases round-robin; the target of "
               "the core issue is ≥ 2,000,000 decisions/s on one core):\n")
    out.append(table(["suite", "cases", "decide / s", "with explanation / s", "allocations / decision"],
                     [[s["suite"], str(s["cases"]), rate(s["decidePerSecond"]), rate(s["authorizePerSecond"]),
                       f"{s['allocationsPerDecision']:.1f}"] for s in seeds]))

    growth = load(results, "growth.json")
    out.append("\n**Growth** (Rust front; see growth.png):\n")
    out.append(table(["identity statements", "decisions / s", "prepare"],
                     [[f"{g['statements']:,}", rate(g["perSecond"]), f"{g['prepareMillis']:.2f} ms"]
                      for g in growth["statements"]]))
    out.append("")
    out.append(table(["principals", "decisions / s", "prepare", "config JSON"],
                     [[f"{g['principals']:,}", rate(g["perSecond"]), f"{g['prepareMillis']:,.1f} ms",
                       f"{g['configBytes'] / 1e6:,.2f} MB"] for g in growth["principals"]]))
    plot(growth, HERE / "growth.png")

    memory = load(results, "memory.json")
    out.append("\n**Memory and size**:\n")
    out.append(table(["", ""], [
        ["resource policy", f"{memory['policyBytes']:,} bytes, {memory['statements']} statements with conditions"],
        ["held by the prepared API", f"{memory['heldBytes']:,} bytes ({memory['heldBytes'] / memory['policyBytes']:.1f}× the policy text)"],
        ["peak while preparing", f"{memory['peakBytesDuringPrepare']:,} bytes in {memory['allocationsDuringPrepare']:,} allocations"],
        ["prepare time", f"{memory['prepareMicros']:,.0f} µs"],
        ["allocations per decide", f"{memory['decideAllocations']:.1f}"],
    ]))
    sizes = wasm_sizes()
    if sizes:
        out.append("")
        out.append(table(["WebAssembly module", ".wasm", "gzip -9"], sizes))

    text = "\n".join(out) + "\n"
    (results / "report.md").write_text(text)
    print(text)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
