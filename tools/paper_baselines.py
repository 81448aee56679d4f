#!/usr/bin/env python3
"""Writes baselines/paper/<finding>/step-<N>.json from the paper's released per-model results.

Usage: python3 tools/paper_baselines.py --authors-results DIR [--out DIR]

DIR holds the authors' three result CSVs, results/analysis/{all_perf_table,it_perf_table,official_eval_table}.csv of
github.com/KaiserWhoLearns/AmuroCharPTFTRelationship (columns ",model_id,eval dataset,Performance", all_perf_table also
",std"). Every row is classified by its model_id into a (column, checkpoint) cell of the evaluation set named by
"eval dataset", or deliberately ignored; a model_id that fits no pattern below, an unexpected header or evaluation set,
or two rows for one cell with different values stop the tool with an error naming the file and the rows.

Columns (the paper's setting: 4 demonstrations; fine-tuning lr 2e-6 for 3 epochs, XSum lr 2e-7, Tulu 5 epochs):
  all_perf_table.csv (ROUGE-L for generation sets, accuracy for classification sets):
    olmo1b_checkpoint-<N>_original_hf_4shots         base4 at step N
    olmo1b_original_hf_4shots                         base4 at main
    olmo1b_hf_ckpt<N>_<train>_<E>epoch_<lr>_4shots    ft_<train> at step N   (train, E, lr) in
    olmo1b_hf_main_<train>_<E>epoch_<lr>_4shots       ft_<train> at main      (xsum 3 2e-7), (socialiqa|mnli|paws 3 2e-6),
                                                                              (tulu 5 2e-6)
  official_eval_table.csv (OLMo-Eval ranked multiple-choice accuracy; arc_easy, arc_challenge, sciq, hellaswag,
  openbookqa, boolq, also rte and qqp):
    checkpoint-<N>                                    base(it) at step N
    olmo1b_original_hf                                base(it) at main
    olmo1b_hf_ckpt<N>_tulu_5epoch_2e-6                ft_tulu(it) at step N
    olmo1b_hf_main_tulu_5epoch_2e-6                   ft_tulu(it) at main
"main" is the Hub revision main of OLMo-1B-hf: "olmo1b_original_hf*" is the base model with no checkpoint named, and
"olmo1b_hf_main_*" fine-tunes it.

Ignored on purpose (not the paper's setting, or an evaluation no finding of ours uses):
  all_perf_table.csv:
    *_2shots, *_7shots, and ids with no "_<k>shots" suffix (0 demonstrations: the authors' generate_pred.sh leaves
      the suffix off when num_shots is 0): olmo1b_checkpoint-<N>_original, olmo1b_original_hf,
      olmo1b_hf_{ckpt<N>,main}_<train>_<E>epoch_<lr>
    fine-tuning runs at another learning rate or epoch count than the paper's (olmo1b_hf_main_mnli_3epoch_2e-5)
    checkpoint-1000_4shots (one socialiqa row outside the naming of every other base row; a rerun of
      olmo1b_checkpoint-1000_original_hf_4shots, 0.018451 against 0.018466)
  it_perf_table.csv: every row. It holds only alpaca, gsm, mmlu, toxigen and truthfulqa (Tulu-style open-ended
    evaluations, some with a *_cot_chat variant, of checkpoint-<N>, olmo1b_[hf_]ckpt<N>_tulu_5epoch_2e-6, olmo1b_original,
    olmo1b_hf_original, olmo1b_tulu_5epoch_2e-6, ...), which no finding here uses; the tool checks that it holds no
    other evaluation set, so a future release that adds one is an error rather than silently ignored.
The evaluation sets are kept under the authors' names (cnn, sciq, llmbar_*, <set>_instruct, <set>_inputoutput, ...);
the std column of all_perf_table.csv is read past, not used (see baselines/paper/README.md).

Each file is in exactly the format of src/AmuroChar.Science/Baselines/BaselineFile.cs: metrics sorted by name (ordinal), one
per line, every number with 4 decimals, "\\n" line ends; plus "partial": true (the paper did not measure every metric
our findings measure) and "source". The paper gives neither intervals nor item counts: each metric is stored with
"ci95": [mean, mean] and "n": 0 ("not recorded"), so the snapshot comparison uses the measured interval as tolerance
and does not compare n. Differences (gains, changes, format gaps) are computed exactly from the CSVs' full-precision
numbers and only then rounded to 4 decimals. A metric whose inputs the paper did not run is left out; a checkpoint
with no metric for a finding gets no file. The "main" revision becomes step-main.json (its step number is not written
anywhere in the paper's data). Standard library only. See baselines/paper/README.md.
"""

import argparse
import csv
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

SOURCE = "Sun & Dredze 2024 released results (results/analysis/*.csv)"

# Our names (src/AmuroChar.Science/Findings/StudyPlan.cs).
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


CSV_ALL, CSV_IT, CSV_OFFICIAL = "all_perf_table.csv", "it_perf_table.csv", "official_eval_table.csv"
HEADERS = {
    CSV_ALL: ["", "model_id", "eval dataset", "Performance", "std"],
    CSV_IT: ["", "model_id", "eval dataset", "Performance"],
    CSV_OFFICIAL: ["", "model_id", "eval dataset", "Performance"],
}
# The paper's fine-tuning runs: train set -> (epochs, learning rate) as written in the model ids.
PAPER_FINETUNING = {"xsum": ("3", "2e-7"), "socialiqa": ("3", "2e-6"), "mnli": ("3", "2e-6"), "paws": ("3", "2e-6"),
                    "tulu": ("5", "2e-6")}
PAPER_SHOTS = 4
# it_perf_table.csv's evaluation sets: none of them is used here.
IT_ONLY_SETS = {"alpaca", "gsm", "mmlu", "toxigen", "truthfulqa"}
# official_eval_table.csv's evaluation sets.
OFFICIAL_SETS = {"arc_easy", "arc_challenge", "sciq", "hellaswag", "openbookqa", "boolq", "rte", "qqp"}

SHOTS = r"(?:_(?P<shots>\d+)shots)?"
ALL_BASE = re.compile(r"olmo1b_(?:checkpoint-(?P<step>\d+)_)?original(?P<hf>_hf)?" + SHOTS)
ALL_TUNED = re.compile(r"olmo1b_hf_(?:ckpt(?P<step>\d+)|main)_(?P<train>[a-z]+)_(?P<epochs>\d+)epoch_(?P<lr>\d+e-\d+)" + SHOTS)
ALL_RERUN = re.compile(r"checkpoint-\d+" + SHOTS)
OFFICIAL_BASE = re.compile(r"checkpoint-(?P<step>\d+)|olmo1b_original_hf")
OFFICIAL_TUNED = re.compile(r"olmo1b_hf_(?:ckpt(?P<step>\d+)|main)_tulu_5epoch_2e-6")


def fail(message):
    sys.exit(f"paper_baselines.py: {message}")


def shots_of(match):
    return int(match["shots"]) if match["shots"] else 0


def classify_all(model_id):
    """(column, checkpoint) for an all_perf_table.csv model id, or (None, why it is ignored)."""
    if m := ALL_BASE.fullmatch(model_id):
        if shots_of(m) != PAPER_SHOTS:
            return None, f"{shots_of(m)}-shot"
        if not m["hf"]:
            fail(f"{CSV_ALL}: unknown base model id {model_id!r} (expected ..._original_hf_{PAPER_SHOTS}shots)")
        return "base4", m["step"] or "main"
    if m := ALL_TUNED.fullmatch(model_id):
        if m["train"] not in PAPER_FINETUNING:
            fail(f"{CSV_ALL}: unknown training set {m['train']!r} in model id {model_id!r}")
        if (m["epochs"], m["lr"]) != PAPER_FINETUNING[m["train"]]:
            return None, f"{m['train']} fine-tuned for {m['epochs']} epochs at lr {m['lr']} (not the paper's)"
        if shots_of(m) != PAPER_SHOTS:
            return None, f"{shots_of(m)}-shot"
        return f"ft_{m['train']}", m["step"] or "main"
    if ALL_RERUN.fullmatch(model_id):
        return None, "rerun outside the olmo1b_..._original_hf naming"
    fail(f"{CSV_ALL}: unknown model id {model_id!r}")


def classify_official(model_id):
    if m := OFFICIAL_BASE.fullmatch(model_id):
        return MC_BASE, m["step"] or "main"
    if m := OFFICIAL_TUNED.fullmatch(model_id):
        return MC_TUNED, m["step"] or "main"
    fail(f"{CSV_OFFICIAL}: unknown model id {model_id!r}")


def read_csv(folder, name):
    path = Path(folder) / name
    if not path.is_file():
        fail(f"{path}: not found (--authors-results must be the authors' results/analysis folder)")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != HEADERS[name]:
        fail(f"{path}: header {rows[0] if rows else None!r}, expected {HEADERS[name]!r}")
    out = []
    for lineno, cells in enumerate(rows[1:], 2):
        if len(cells) != len(HEADERS[name]):
            fail(f"{path}:{lineno}: {len(cells)} cells, header has {len(HEADERS[name])}")
        try:
            value = Decimal(cells[3])
        except InvalidOperation:
            fail(f"{path}:{lineno}: Performance {cells[3]!r} is not a number")
        if not value.is_finite():
            fail(f"{path}:{lineno}: Performance {cells[3]!r} is not a finite number")
        out.append({"where": f"{name}:{lineno} (row {cells[0]}, {cells[1]}, {cells[2]})",
                    "model_id": cells[1], "eval": cells[2], "value": value})
    return path, out


def load(folder):
    """{block: {checkpoint: {column: Decimal}}} and the checkpoints (steps ascending, then main), from the CSVs."""
    cells, ignored = {}, {}

    def put(row, column, ckpt):
        key = (row["eval"], column, ckpt)
        if key in cells and cells[key]["value"] != row["value"]:
            other = cells[key]
            fail(f"two rows for {column} of {row['eval']} at checkpoint {ckpt} with different values: "
                 f"{other['where']} = {other['value']} and {row['where']} = {row['value']}")
        cells.setdefault(key, row)

    _, rows = read_csv(folder, CSV_ALL)
    for row in rows:
        column, ckpt_or_why = classify_all(row["model_id"])
        if column is None:
            ignored[(CSV_ALL, ckpt_or_why)] = ignored.get((CSV_ALL, ckpt_or_why), 0) + 1
            continue
        put(row, column, ckpt_or_why)

    path, rows = read_csv(folder, CSV_OFFICIAL)
    for row in rows:
        if row["eval"] not in OFFICIAL_SETS:
            fail(f"{row['where']}: unexpected evaluation set {row['eval']!r} in {path}")
        put(row, *classify_official(row["model_id"]))

    path, rows = read_csv(folder, CSV_IT)
    for row in rows:
        if row["eval"] not in IT_ONLY_SETS:
            fail(f"{row['where']}: evaluation set {row['eval']!r} in {path} is not one this tool knows to ignore "
                 f"({', '.join(sorted(IT_ONLY_SETS))}); map it or add it there")
    if rows:
        ignored[(CSV_IT, "not used by any finding")] = len(rows)

    for (name, why), count in sorted(ignored.items()):
        print(f"ignored {count} rows of {name}: {why}")

    blocks, steps = {}, set()
    for (block, column, ckpt), row in cells.items():
        blocks.setdefault(block, {}).setdefault(ckpt, {})[column] = row["value"]
        steps.add(ckpt)
    checkpoints = sorted((c for c in steps if c != "main"), key=int) + (["main"] if "main" in steps else [])
    print(f"{len(cells)} cells in {len(blocks)} evaluation sets at {len(checkpoints)} checkpoints")
    return blocks, checkpoints


class Table:
    def __init__(self, blocks):
        self.blocks = blocks

    def get(self, evalset, column, ckpt, suffix=""):
        """The paper's number for our evaluation set (optionally in another format), or None."""
        name = BLOCK.get(evalset, evalset) + suffix
        if name not in self.blocks:
            fail(f"no row for evaluation set {name!r} in the authors' CSVs (needed for {evalset})")
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
    ap.add_argument("--authors-results", required=True, metavar="DIR",
                    help="folder with all_perf_table.csv, it_perf_table.csv and official_eval_table.csv "
                         "(results/analysis of the authors' repository)")
    ap.add_argument("--out", default=str(here / "baselines" / "paper"), help="output folder (default: baselines/paper)")
    args = ap.parse_args()

    blocks, checkpoints = load(args.authors_results)
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
