"""How the genre head labels news-agency stories (PolNeAR articles credited to AP, AFP, Reuters or
UPI), which are reporting by any definition: a check of the English calibration from outside the
SemEval training data. Prints the count per genre and the share called reporting.

    python benchmarks/genre_wire.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

from narrascope.training.genre import wire_story_genres


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the data root (holding polnear/) or the polnear folder")
    counts = wire_story_genres(ap.parse_args().data)
    n = sum(counts.values())
    print(f"wire stories {n}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common())
          + f"; called reporting {counts['reporting'] / max(n, 1):.3f}")


if __name__ == "__main__":
    main()
