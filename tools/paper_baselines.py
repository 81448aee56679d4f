#!/usr/bin/env python3
"""Writes baselines/paper/<finding>/step-<N>.json from the paper's per-checkpoint results.

Usage: python3 tools/paper_baselines.py PAPER_RESULTS_TXT [--out DIR]

PAPER_RESULTS_TXT is paper-results-by-checkpoint.txt (derived from the authors' released CSVs,
results/analysis/*.csv in github.com/KaiserWhoLearns/AmuroCharPTFTRelationship): one "== eval <set>" block per
evaluation set, a tab-separated header "ckpt base4 ft_xsum ft_socialiqa ft_mnli ft_paws ft_tulu base(it) ft_tulu(it)",
one row per checkpoint, "-" where the paper did not run it.

Each file is in exactly the format of src/AmuroChar/Baselines/BaselineFile.cs: metrics sorted by name (ordinal), one
per line, every number with 4 decimals, "\\n" line ends; plus "partial": true (the paper did not measure every metric
our findings measure) and "source". The paper gives neither intervals nor item counts: each metric is stored with
"ci95": [mean, mean] and "n": 0 ("not recorded"), so the snapshot comparison uses the measured interval as tolerance
and does not compare n. Differences (gains, changes, format gaps) are computed exactly from the paper's 3-decimal
numbers. A metric whose inputs the paper did not run is left out; a checkpoint with no metric for a finding gets no
file. The "main" revision becomes step-main.json (its step number is not written anywhere in the paper's data).
Standard library only. See baselines/paper/README.md.
"""

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

SOURCE = "Sun & Dredze 2024 released results (results/analysis/*.csv)"

# Our names (src/AmuroChar/Findings/StudyPlan.cs).
LEARNED_SUITES = ["arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq"]
# (train set, in-domain eval set, metric, out-of-domain sets)
TASKS = [
    ("xsum", "xsum", "rougeL", ["cnn_dailymail", "xlsum"]),
    ("socialiqa", "socialiqa", "rougeL", ["sciq_qg", "tweetqa"]),
    ("mnli", "mnli_matched", "acc", ["mnli_mismatched", "rte", "gpt3nli"]),
    ("paws", "paws", "acc", ["qqp", "stsb"]),
]
FORMAT_TASKS = [("mnli", "mnli_matched"), ("paws", "paws")]
OTHER_FORMATS = ["instruct", "inputoutput"]

# Our evaluation set -> the paper's block. The "sciq" block holds both SciQ question generation (base4 and ft_*
# columns: ROUGE-L) and SciQ multiple choice (base(it) / ft_tulu(it): ranked accuracy).
BLOCK = {"cnn_dailymail": "cnn", "sciq_qg": "sciq"}

# The multiple-choice suites: the paper's OLMo-Eval ranked accuracy before / after Tulu instruction tuning.
MC_BASE, MC_TUNED = "base(it)", "ft_tulu(it)"

FINDINGS = ["dichotomy", "latent_improvement", "task_transfer", "domain_knowledge", "format_sensitivity", "instruction_tuning"]


def parse(path):
    """{block: {checkpoint: {column: Decimal}}} and the checkpoints in file order; "-" cells are left out."""
    blocks, checkpoints, block, header = {}, [], None, None
    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== eval "):
            block, header = line[len("== eval "):].strip(), None
            if block in blocks:
                sys.exit(f"{path}:{lineno}: block {block} appears twice")
            blocks[block] = {}
            continue
        if block is None:
            sys.exit(f"{path}:{lineno}: data before the first '== eval' block")
        cells = line.split("\t")
        if header is None:
            if cells[0] != "ckpt":
                sys.exit(f"{path}:{lineno}: expected a header starting with 'ckpt', got {cells[0]!r}")
            header = cells
            continue
        if len(cells) != len(header):
            sys.exit(f"{path}:{lineno}: {len(cells)} cells, header has {len(header)}")
        ckpt = cells[0]
        if ckpt != "main" and not ckpt.isdigit():
            sys.exit(f"{path}:{lineno}: checkpoint {ckpt!r} is neither a step number nor 'main'")
        if ckpt in blocks[block]:
            sys.exit(f"{path}:{lineno}: checkpoint {ckpt} appears twice in block {block}")
        if ckpt not in checkpoints:
            checkpoints.append(ckpt)
        row = {}
        for column, cell in zip(header[1:], cells[1:]):
            if cell != "-":
                row[column] = Decimal(cell)
        blocks[block][ckpt] = row
    if not blocks:
        sys.exit(f"{path}: no '== eval' blocks")
    return blocks, checkpoints


class Table:
    def __init__(self, blocks):
        self.blocks = blocks

    def get(self, evalset, column, ckpt, suffix=""):
        """The paper's number for our evaluation set (optionally in another format), or None."""
        name = BLOCK.get(evalset, evalset) + suffix
        if name not in self.blocks:
            sys.exit(f"no block '== eval {name}' in the results file (needed for {evalset})")
        return self.blocks[name].get(ckpt, {}).get(column)


def minus(a, b):
    return None if a is None or b is None else a - b


def metrics_for(finding, t, ckpt):
    """{our metric name: Decimal or None} for one finding at one checkpoint (as its Measure method names them)."""
    m = {}
    if finding == "dichotomy":
        for suite in LEARNED_SUITES:
            # The paper does not say whether its ranked accuracy is length-normalised: stored as acc only.
            m[f"{suite}/acc"] = t.get(suite, MC_BASE, ckpt)
        for _, evalset, metric, _ in TASKS:
            m[f"{evalset}/{metric}"] = t.get(evalset, "base4", ckpt)
    elif finding == "latent_improvement":
        for train, evalset, metric, _ in TASKS:
            base, tuned = t.get(evalset, "base4", ckpt), t.get(evalset, f"ft_{train}", ckpt)
            m[f"{evalset}/base/{metric}"] = base
            m[f"{evalset}/finetuned/{metric}"] = tuned
            m[f"{evalset}/gain"] = minus(tuned, base)
        for suite in LEARNED_SUITES:
            m[f"{suite}/instruction_gain"] = minus(t.get(suite, MC_TUNED, ckpt), t.get(suite, MC_BASE, ckpt))
    elif finding == "task_transfer":
        for train, own, _, _ in TASKS:
            for _, evalset, _, _ in TASKS:
                if evalset != own:
                    m[f"{train}->{evalset}/change"] = minus(t.get(evalset, f"ft_{train}", ckpt), t.get(evalset, "base4", ckpt))
    elif finding == "domain_knowledge":
        for train, _, _, ood in TASKS:
            for s in ood:
                base, tuned = t.get(s, "base4", ckpt), t.get(s, f"ft_{train}", ckpt)
                m[f"{s}/base"] = base
                m[f"{s}/finetuned_on_{train}"] = tuned
                m[f"{s}/change"] = minus(tuned, base)
    elif finding == "format_sensitivity":
        for train, evalset in FORMAT_TASKS:
            default = t.get(evalset, f"ft_{train}", ckpt)
            m[f"{evalset}/default"] = default
            for f in OTHER_FORMATS:
                other = t.get(evalset, f"ft_{train}", ckpt, suffix=f"_{f}")
                m[f"{evalset}/{f}"] = other
                m[f"{evalset}/gap_{f}"] = minus(default, other)
    elif finding == "instruction_tuning":
        for suite in LEARNED_SUITES:
            base, tuned = t.get(suite, MC_BASE, ckpt), t.get(suite, MC_TUNED, ckpt)
            m[f"{suite}/base"] = base
            m[f"{suite}/instruction_tuned"] = tuned
            m[f"{suite}/change"] = minus(tuned, base)
    else:
        raise ValueError(finding)
    return {k: v for k, v in m.items() if v is not None}


def number(value):
    """As BaselineFile.Number writes it: 4 decimals, never "-0.0000"."""
    text = f"{Decimal(value).quantize(Decimal('0.0001')):.4f}"
    return text[1:] if text.startswith("-") and set(text[1:]) <= set("0.") else text


def ordinal_key(name):
    # C#'s ordinal order compares UTF-16 code units.
    return name.encode("utf-16-be")


def format_file(metrics):
    lines = []
    for name in sorted(metrics, key=ordinal_key):
        v = number(metrics[name])
        lines.append(f'    {json.dumps(name, ensure_ascii=False)}: {{"mean": {v}, "ci95": [{v}, {v}], "n": 0}}')
    body = "{\n  \"metrics\": {\n" + ",\n".join(lines) + "\n  }" if lines else "{\n  \"metrics\": {}"
    return body + ",\n  \"partial\": true,\n  \"source\": " + json.dumps(SOURCE, ensure_ascii=False) + "\n}\n"


def main():
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", help="paper-results-by-checkpoint.txt")
    ap.add_argument("--out", default=str(here / "baselines" / "paper"), help="output folder (default: baselines/paper)")
    args = ap.parse_args()

    blocks, checkpoints = parse(args.results)
    table = Table(blocks)
    out = Path(args.out)
    written = 0
    for finding in FINDINGS:
        folder = out / finding
        # This tool owns the paper baselines: regenerate them all, so none outlives its source row.
        if folder.is_dir():
            for old in folder.glob("step-*.json"):
                if not old.name.endswith(".received.json"):
                    old.unlink()
        for ckpt in checkpoints:
            metrics = metrics_for(finding, table, ckpt)
            if not metrics:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"step-{ckpt}.json"
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(format_file(metrics))
            written += 1
            print(f"{path}: {len(metrics)} metrics")
    print(f"{written} files under {out}")


if __name__ == "__main__":
    main()
