"""How well free-text extraction recovers each vignette's findings from its narrative.

    .venv/bin/python scripts/lexicon_report.py [VIGNETTES.yaml ...] [--show CODE]

Per finding: recall (a finding the vignette has is extracted as present), precision (what
is extracted as present is really there), and wrongly negated (extracted as absent though
present: the dangerous error). Then the narrative-mode benchmark for each file.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from spasmcare.engine import DEFAULT_PARAMS
from spasmcare.evaluation.datasets import load_vignettes
from spasmcare.evaluation.metrics import summarise
from spasmcare.evaluation.runner import run_vignettes
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.narrative.extract import extract

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=[str(ROOT / "tests/data/dev_vignettes.yaml")])
    parser.add_argument("--show", help="print every narrative where this code was missed or wrong")
    args = parser.parse_args()
    kb = default_knowledge()
    counts: dict[str, Counter[str]] = {}
    for name in args.files:
        for vignette in load_vignettes(Path(name), kb):
            got = extract(vignette.narrative, kb).findings
            for code, finding in kb.findings.items():
                if finding.type != "bool" or finding.use == "medicine_safety":
                    continue
                truth, found = vignette.findings.get(code), got.get(code)
                c = counts.setdefault(code, Counter())
                if truth is True:
                    c["present"] += 1
                    c["hit" if found is True else ("negated" if found is False else "missed")] += 1
                elif found is True:
                    c["false_positive"] += 1
                if args.show == code and (truth is True) != (found is True):
                    print(
                        f"--- {vignette.id}: truth={truth} extracted={found}\n{vignette.narrative}\n"
                    )
    present = sum(c["present"] for c in counts.values())
    hits = sum(c["hit"] for c in counts.values())
    fps = sum(c["false_positive"] for c in counts.values())
    negated = sum(c["negated"] for c in counts.values())
    print(
        f"overall recall {hits}/{present} = {hits / max(present, 1):.2f}; precision {hits}/{hits + fps} = "
        f"{hits / max(hits + fps, 1):.2f}; wrongly negated {negated}"
    )
    print(f"{'code':38s} present  hit  missed  negated  false+")
    for code, c in sorted(
        counts.items(),
        key=lambda kv: -(kv[1]["missed"] + kv[1]["negated"] + kv[1]["false_positive"]),
    ):
        if c["missed"] or c["negated"] or c["false_positive"]:
            print(
                f"{code:38s} {c['present']:7d} {c['hit']:4d} {c['missed']:7d} {c['negated']:8d} {c['false_positive']:7d}"
            )
    for name in args.files:
        summary = summarise(
            run_vignettes(load_vignettes(Path(name), kb), "narrative", kb, DEFAULT_PARAMS)
        )
        keys = ("triage_accuracy", "under_triage_rate", "emergency_sensitivity", "top1", "top3")
        print(Path(name).name, "narrative mode:", {k: summary[k] for k in keys})


if __name__ == "__main__":
    main()
