#!/usr/bin/env python3
"""Runs ./mkspec tlc on the models of a checkout of the public TLA+ Examples repository
(github.com/tlaplus/Examples) and compares each verdict and state count with the expectations in
that repository's manifest.json files. It is how we check that mkspec reads TLC the way TLC's own
users expect, on specs we did not write.

usage: scripts/examples-conformance.py EXAMPLES_DIR [--library DIR,...] [--max-runtime SECONDS]
                                       [--only SUBSTRING] [--limit N]

EXAMPLES_DIR is the root of the Examples checkout (it holds specifications/). --library lists the
directories of the TLAPS and Community Modules libraries that many examples EXTEND. Models whose
recorded runtime exceeds --max-runtime (default 20 s) are skipped. Prints one line per model and
a tally; exits 1 if any verdict or count disagrees.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seconds(runtime):
    try:
        h, m, s = (int(x) for x in runtime.split(":"))
    except ValueError:
        return 10 ** 9
    return h * 3600 + m * 60 + s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("examples")
    ap.add_argument("--library", default="")
    ap.add_argument("--max-runtime", type=int, default=20)
    ap.add_argument("--only", default="")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    examples = Path(args.examples).resolve()
    rows, disagreements = [], 0
    manifests = sorted(examples.glob("specifications/*/manifest.json"))
    for manifest in manifests:
        data = json.loads(manifest.read_text())
        for module in data.get("modules", []):
            for model in module.get("models", []):
                if model.get("mode") != "exhaustive search" or model.get("result") == "unknown":
                    continue
                if seconds(model.get("runtime", "99:00:00")) > args.max_runtime:
                    continue
                spec = examples / module["path"]
                cfg = examples / model["path"]
                if args.only and args.only not in str(cfg):
                    continue
                if args.limit and len(rows) >= args.limit:
                    break
                cmd = [str(ROOT / "mkspec"), "tlc", str(spec), "--config", str(cfg), "--expect",
                       model["result"], "--timeout", "%ds" % max(60, 6 * seconds(model["runtime"]))]
                # One worker, as the Examples repository's own CI runs them: TLC's reported depth
                # can vary from run to run with several workers.
                cmd += ["--workers", str(model.get("workers", 1))]
                if args.library:
                    cmd += ["--library", args.library]
                p = subprocess.run(cmd, capture_output=True, text=True)
                out = p.stdout + p.stderr
                verdict = re.search(r"^verdict:\s+(.*)$", out, re.M)
                distinct = re.search(r"^states:\s+([\d,]+) distinct, ([\d,]+) generated", out, re.M)
                depth = re.search(r"^depth:\s+(\d+)", out, re.M)
                problems = []
                if p.returncode != 0:
                    problems.append("exit %d" % p.returncode)
                if model["result"] == "success":
                    for key, got in (("distinctStates", distinct and distinct.group(1)),
                                     ("totalStates", distinct and distinct.group(2)),
                                     ("stateDepth", depth and depth.group(1))):
                        if key in model and got is not None and int(got.replace(",", "")) != model[key]:
                            problems.append("%s %s != %s" % (key, got, model[key]))
                status = "agree" if not problems else "DISAGREE"
                disagreements += bool(problems)
                rel = cfg.relative_to(examples)
                line = "%-8s %-70s expected %-16s got %s%s" % (
                    status, rel, model["result"], verdict.group(1) if verdict else "?",
                    "" if not problems else "  [" + "; ".join(problems) + "]")
                print(line, flush=True)
                if problems:
                    tail = [l for l in out.splitlines() if l.startswith(("verdict", "error", "hint", "  "))][:6]
                    for l in tail:
                        print("         " + l)
                rows.append(line)
    print("%d models, %d agree, %d disagree" % (len(rows), len(rows) - disagreements, disagreements))
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
