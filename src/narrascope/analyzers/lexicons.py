"""Hand-written word lists for the rule-based analyzers (hedging, evaluation, headline, timeline),
and the one lexicon narrascope reads from a package (VADER's valences: :func:`valences`).

Everything here is lower-case. Multi-word phrases are token sequences (split on spaces) and are
matched on the spaCy parse by ``LOWER``; single words are matched by lemma where noted.
Confidences are priors for how reliably a cue signals its kind in news prose.
"""

from __future__ import annotations

import functools

from narrascope.errors import ModelError


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return text.split()


# --------------------------------------------------------------------------- hedging
# (phrase, confidence). Phrases are matched on lower-cased tokens.
HEDGE_PHRASES: dict[str, float] = {
    "allegedly": 0.9,
    "reportedly": 0.9,
    "apparently": 0.8,
    "purportedly": 0.9,
    "supposedly": 0.85,
    "seemingly": 0.75,
    "ostensibly": 0.8,
    "presumably": 0.75,
    "possibly": 0.7,
    "perhaps": 0.7,
    "probably": 0.65,
    "arguably": 0.7,
    "alleged": 0.85,
    "rumored": 0.8,
    "rumoured": 0.8,
    "it is unclear": 0.85,
    "it remains unclear": 0.85,
    "it was unclear": 0.85,
    "it is not clear": 0.85,
    "it was not clear": 0.85,
    "it is not known": 0.8,
    "unclear whether": 0.8,
    "unclear if": 0.8,
    "is said to": 0.8,
    "are said to": 0.8,
    "was said to": 0.8,
    "were said to": 0.8,
    "is believed to": 0.75,
    "are believed to": 0.75,
    "is thought to": 0.75,
    "are thought to": 0.75,
    "according to some": 0.8,
    "some say": 0.7,
    "it appears": 0.7,
    "appears to": 0.65,
    "appear to": 0.65,
    "appeared to": 0.65,
    "seems to": 0.65,
    "seem to": 0.65,
    "seemed to": 0.65,
}
# single lemmas with a required coarse POS / fine tag -> confidence
HEDGE_LEMMAS: dict[tuple[str, str], float] = {
    ("may", "MD"): 0.7,
    ("might", "MD"): 0.7,
    ("could", "MD"): 0.5,
    ("claim", "VERB"): 0.65,
    ("suggest", "VERB"): 0.55,
    ("speculate", "VERB"): 0.7,
    ("estimate", "VERB"): 0.5,
}

DISTANCING_PHRASES: dict[str, float] = {
    "unconfirmed": 0.85,
    "unverified": 0.85,
    "uncorroborated": 0.9,
    "unsubstantiated": 0.9,
    "so-called": 0.85,
    "so - called": 0.85,
    "so called": 0.85,
    "purported": 0.85,
    "what he describes as": 0.9,
    "what she describes as": 0.9,
    "what they describe as": 0.9,
    "what it describes as": 0.9,
    "what he described as": 0.9,
    "what she described as": 0.9,
    "what they described as": 0.9,
    "what it described as": 0.9,
    "what he calls": 0.85,
    "what she calls": 0.85,
    "what they call": 0.85,
    "what he called": 0.85,
    "what she called": 0.85,
    "what they called": 0.85,
    "what officials call": 0.85,
    "what officials describe as": 0.9,
    "without evidence": 0.8,
    "without providing evidence": 0.85,
    "without offering evidence": 0.85,
    "no evidence": 0.7,
    "touted as": 0.6,
}
# negation + (optional adverb) + verb of confirmation, e.g. "not officially corroborated"
NEGATORS: frozenset[str] = frozenset({"not", "n't", "never", "nor"})
CONFIRM_LEMMAS: frozenset[str] = frozenset({
    "corroborate", "confirm", "verify", "substantiate", "prove", "authenticate", "validate",
})
# "X has been dubbed/labelled/branded Y"
LABEL_LEMMAS: dict[str, float] = {
    "dub": 0.85,
    "brand": 0.7,
    "label": 0.6,
    "tout": 0.6,
    "bill": 0.5,
}

CONTESTATION_PHRASES: dict[str, float] = {
    "met with skepticism": 0.9,
    "met with scepticism": 0.9,
    "met with doubt": 0.85,
    "met with criticism": 0.85,
    "met with disbelief": 0.85,
    "met with derision": 0.85,
    "greeted with skepticism": 0.9,
    "greeted with scepticism": 0.9,
    "viewed with skepticism": 0.85,
    "viewed with suspicion": 0.85,
    "critics say": 0.85,
    "critics said": 0.85,
    "critics argue": 0.85,
    "critics contend": 0.85,
    "critics note": 0.8,
    "skeptics say": 0.85,
    "sceptics say": 0.85,
    "called into question": 0.85,
    "cast doubt": 0.85,
    "casts doubt": 0.85,
    "cast doubts": 0.85,
    "no basis in fact": 0.9,
    "false claim": 0.85,
    "false claims": 0.85,
    "baseless": 0.85,
    "debunked": 0.9,
}
CONTEST_LEMMAS: dict[str, float] = {
    "deny": 0.85,
    "dispute": 0.85,
    "refute": 0.9,
    "rebut": 0.85,
    "reject": 0.7,
    "contest": 0.7,
    "contradict": 0.8,
    "dismiss": 0.65,
    "disavow": 0.8,
    "question": 0.55,
}

BOOSTER_PHRASES: dict[str, float] = {
    "clearly": 0.8,
    "undoubtedly": 0.9,
    "undeniably": 0.9,
    "unquestionably": 0.9,
    "indisputably": 0.9,
    "certainly": 0.8,
    "definitely": 0.8,
    "obviously": 0.8,
    "evidently": 0.75,
    "surely": 0.7,
    "plainly": 0.7,
    "indeed": 0.6,
    "of course": 0.7,
    "in fact": 0.6,
    "without doubt": 0.9,
    "without a doubt": 0.9,
    "no doubt": 0.85,
    "beyond doubt": 0.9,
    "there is no question": 0.85,
    "not merely": 0.8,
    "not just": 0.7,
    "not simply": 0.75,
    "not only": 0.6,
    "tangible": 0.6,
    "decisive": 0.6,
    "undeniable": 0.85,
    "irrefutable": 0.85,
    "unmistakable": 0.8,
    "proves": 0.7,
    "proved": 0.6,
    "demonstrates": 0.5,
    "demonstrate": 0.5,
}

# --------------------------------------------------------------------------- evaluation
# evaluative adjectives (lemmas) -> weight. Strongly loaded words weigh 1.0.
EVAL_ADJ: dict[str, float] = {w: 1.0 for w in words("pivotal tangible decisive relentless mythic critical crucial vital existential "
    "unprecedented dramatic alarming staggering stunning shocking disastrous catastrophic "
    "devastating brutal ruthless heroic historic monumental remarkable extraordinary "
    "unparalleled fundamental profound striking troubling disturbing outrageous absurd "
    "ridiculous shameful disgraceful reckless dangerous destabilizing destabilising "
    "stabilizing stabilising necessary essential imperative urgent grave dire bleak "
    "fraught uncertain precarious fragile volatile chaotic tragic horrific appalling "
    "egregious blatant naked cynical hypocritical baseless dubious questionable "
    "legitimate illegitimate illegal unjust righteous moral immoral noble genuine "
    "symbolic meaningful significant major key central focal strategic decisive "
    "swift bold courageous brave weak strong powerful mighty formidable aggressive "
    "hostile brilliant masterful disastrous failed successful effective ineffective "
    "inevitable unstoppable irreversible landmark seismic sweeping radical extreme "
    "deep deepening growing mounting increasing escalating evolving multipolar")}
for _w in words("key central major significant strategic strong growing deep increasing evolving "
           "multipolar focal legitimate genuine necessary essential swift"):
    EVAL_ADJ[_w] = 0.5  # common, milder in news prose
EVAL_ADV: dict[str, float] = {w: 1.0 for w in words("clearly undoubtedly undeniably unquestionably certainly obviously evidently surely "
    "dramatically alarmingly shockingly tragically remarkably fundamentally profoundly "
    "relentlessly ruthlessly brutally heroically necessarily inevitably")}
INTENSIFIERS: frozenset[str] = frozenset(
    words("very extremely highly deeply increasingly truly really incredibly utterly totally "
    "absolutely entirely completely particularly especially exceptionally immensely "
    "enormously vastly hugely so too ever")
)
EVAL_NOUNS: dict[str, float] = {w: 1.0 for w in words("catastrophe disaster crisis chaos fragmentation threat menace aggression tragedy "
    "triumph victory failure fiasco scandal outrage atrocity imperative duty dominance "
    "clout turning-point watershed milestone hallmark cornerstone legacy myth propaganda "
    "rhetoric stake stakes concern")}
for _w in words("concern stake stakes legacy rhetoric dominance clout duty"):
    EVAL_NOUNS[_w] = 0.5
# contrastive frames that mark a judgement: "not merely X; Y", "not just X but Y"
EVAL_FRAMES: dict[str, float] = {
    "not merely": 1.0,
    "not just": 0.8,
    "not simply": 0.9,
    "not only": 0.6,
    "more than": 0.4,
    "rather than": 0.4,
}
# verbs whose modal future is a prediction ("could reshape")
PREDICTIVE_VERBS: frozenset[str] = frozenset(
    words("reshape transform change alter redefine undermine threaten destabilize destabilise "
    "upend overturn shift tip derail jeopardize jeopardise erode weaken strengthen "
    "escalate spark trigger unleash doom revolutionize revolutionise determine decide")
)
MODALS: frozenset[str] = frozenset(words("could might may will would must should can"))
COPULAS: frozenset[str] = frozenset(words("be remain become seem appear represent constitute"))

# --------------------------------------------------------------------------- headline
# close synonyms for key terms (lemma -> alternatives that count as the same thing)
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("directive", "decree", "instruction", "mandate", "edict", "regulation", "ordinance"),
    ("government", "administration", "cabinet", "kremlin", "authorities"),
    ("war", "conflict", "invasion", "fighting", "hostilities"),
    ("peace", "ceasefire", "truce", "armistice"),
    ("citizen", "people", "civilian", "resident", "population"),
    ("protect", "protection", "defend", "defense", "defence", "safeguard"),
    ("ensure", "secure", "guarantee"),
    ("law", "legislation", "statute"),
    ("attack", "strike", "assault", "raid"),
    ("kill", "death", "dead", "die"),
    ("plan", "proposal", "scheme", "programme", "program"),
    ("deal", "agreement", "accord", "pact", "treaty"),
    ("talk", "negotiation", "dialogue"),
    ("sanction", "embargo", "penalty"),
    ("exercise", "drill", "manoeuvre", "maneuver"),
)
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in _SYNONYM_GROUPS:
    for _w in _group:
        SYNONYMS[_w] = SYNONYMS.get(_w, frozenset()) | frozenset(_group)

# --------------------------------------------------------------------------- timeline
MONTHS: dict[str, int] = {
    m: i + 1
    for i, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ))
    for m in names
}
WEEKDAYS: dict[str, int] = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}


# --------------------------------------------------------------------------- valence
@functools.cache
def valences() -> dict[str, float]:
    """The VADER sentiment lexicon (Hutto and Gilbert, ICWSM 2014; the ``vaderSentiment`` package's
    ``vader_lexicon.txt``, MIT; about 7,500 words, each with its mean valence from −4 to +4). Only
    the file is read: the package's analyser is not used. Read by the technique spans' word classes
    and the entity roles' grammar features."""
    from importlib.resources import files

    try:
        text = (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ModelError("the VADER lexicon that technique spans and entity roles read is missing "
                         "(package vaderSentiment)",
                         hint="reinstall narrascope (`make install`, or `pip install vaderSentiment==3.3.2`)") from exc
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0]] = float(parts[1])
    return out
