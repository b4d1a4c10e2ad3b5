"""Precision and recall of the citation parser on the phrase table of
tests/models/test_citations.py.

    .venv/bin/python bench/citation_table.py

Scored per citation, repeats counted: a true positive is an expected key that
was found, a false positive a found key that was not expected, a false negative
an expected key that was not found. Needs no database or Django settings.
"""

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom.citations import find_citations  # noqa: E402
from tests.models.test_citations import TABLE, TABLE_EN, TABLE_ID  # noqa: E402


def score(table):
    true_pos = false_pos = false_neg = 0
    misses = []
    for phrase, expected in table:
        wanted = Counter(expected)
        found = Counter(citation.key for citation in find_citations(phrase))
        hits = wanted & found
        true_pos += sum(hits.values())
        extra, missing = found - hits, wanted - hits
        false_pos += sum(extra.values())
        false_neg += sum(missing.values())
        if extra or missing:
            misses.append(
                (phrase, sorted(missing.elements()), sorted(extra.elements()))
            )
    return true_pos, false_pos, false_neg, misses


def ratio(part, whole):
    return part / whole if whole else 1.0


def main():
    print(f"{'table':<12}{'phrases':>8}{'pos':>6}{'neg':>6}{'cites':>7}")
    for label, table in (("English", TABLE_EN), ("Indonesian", TABLE_ID)):
        positive = sum(1 for _, expected in table if expected)
        citations = sum(len(expected) for _, expected in table)
        print(
            f"{label:<12}{len(table):>8}{positive:>6}"
            f"{len(table) - positive:>6}{citations:>7}"
        )
    true_pos, false_pos, false_neg, misses = score(TABLE)
    print()
    print(f"true positives  {true_pos}")
    print(f"false positives {false_pos}")
    print(f"false negatives {false_neg}")
    print(f"precision       {ratio(true_pos, true_pos + false_pos):.3f}")
    print(f"recall          {ratio(true_pos, true_pos + false_neg):.3f}")
    for phrase, missing, extra in misses:
        print(f"\nMISS {phrase!r}")
        if missing:
            print(f"  not found:    {missing}")
        if extra:
            print(f"  not expected: {extra}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
