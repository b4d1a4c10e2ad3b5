"""Synthetic prose: shaped like real text, so a benchmark search matches what a
real one would (a subject word only in the releases about the subject)."""

import random
from types import SimpleNamespace

from newsroom.generation import GENERAL_WORDS, _body, subject_words


def words_of(body):
    text = body[0]["value"].replace("<p>", " ").replace("</p>", " ").lower()
    return set(text.replace(".", " ").split())


def test_subject_words_are_only_in_releases_about_the_subject():
    rng = random.Random(3)
    nickel = subject_words([SimpleNamespace(name="nickel")])
    about_nickel = [words_of(_body(rng, 190, nickel)) for _ in range(100)]
    about_nothing = [words_of(_body(rng, 190, [])) for _ in range(100)]
    assert all("nickel" in words for words in about_nickel)
    assert not any("nickel" in words or "smelter" in words for words in about_nothing)


def test_general_words_are_common_and_most_words_rare():
    rng = random.Random(4)
    releases = [words_of(_body(rng, 190, [])) for _ in range(300)]
    share = {
        word: sum(word in words for words in releases) / len(releases)
        for words in releases
        for word in words
    }
    assert share[GENERAL_WORDS[0]] > 0.9  # the commonest word: nearly everywhere
    rare = [word for word, part in share.items() if part < 0.05]
    assert len(rare) > len(share) / 2  # a long tail, as in real prose
