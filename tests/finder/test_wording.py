"""A filter in words (newsroom/finder/wording.py): the one wording of feed titles,
alert emails and alert reports."""

import datetime

from django.utils import translation

from newsroom import kinds
from newsroom.channels.exports import HEADER
from newsroom.finder import wording


class Chosen:
    """What wording reads of a filterset: the chosen entities, words and dates."""

    def __init__(self, query="", dates=None, **chosen):
        self.query = query
        self.dates = dates or {}
        self.chosen = chosen

    def selected(self, name):
        return [
            kinds.EntityRef(name, 1, label, label.lower())
            for label in self.chosen.get(name, [])
        ]

    def cleaned(self, name):
        return self.dates.get(name)


def describe(search_words=True, search_length=None, **chosen):
    with translation.override("en"):
        return wording.describe(
            Chosen(**chosen), search_words=search_words, search_length=search_length
        )


def test_public_orderings_name_every_kind():
    assert sorted(wording.READING_ORDER) == sorted(kinds.NAMES)
    assert set(kinds.SEGMENTS) <= set(HEADER)


def test_a_regulation_reads_citing_after_the_other_kinds():
    assert describe(regulation=["Law No. 3 of 2020"]) == (
        "Releases citing Law No. 3 of 2020"
    )
    assert describe(
        regulation=["Law No. 3 of 2020", "Law No. 4 of 2009"],
        organisation=["MIIT"],
        sector=["Nickel smelting"],
    ) == (
        "Releases on Nickel smelting involving MIIT citing Law No. 3 of 2020 "
        "or Law No. 4 of 2009"
    )
    # a topic alone still reads "on", whatever comes after it
    assert describe(topic=["nickel"], regulation=["Law No. 3 of 2020"]) == (
        "Releases on nickel citing Law No. 3 of 2020"
    )


def test_nothing_chosen_reads_all_releases():
    assert describe() == "All releases"


def test_conditions_read_in_order_with_names_of_one_kind_or_ed():
    assert describe(
        region=["North Maluku"],
        sector=["Nickel smelting", "Steel"],
        official=["Eko"],
        organisation=["MIIT"],
    ) == (
        "Releases on Nickel smelting or Steel in North Maluku with Eko involving MIIT"
    )


def test_a_topic_reads_on_alone_and_about_after_a_sector():
    assert describe(topic=["cobalt"]) == "Releases on cobalt"
    assert describe(topic=["cobalt"], sector=["Steel"]) == (
        "Releases on Steel about cobalt"
    )


def test_dates_read_from_to_or_until():
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
    assert describe(dates={"from": start, "to": end}) == (
        "Releases from 1 January 2024 to 30 June 2024"
    )
    assert describe(dates={"to": end}) == "Releases until 30 June 2024"


def test_search_words_are_quoted_cut_or_only_mentioned():
    assert describe(query="smelter") == "Releases matching “smelter”"
    long = "Your account is suspended, visit evil.example now"
    assert describe(query=long, search_length=20) == (
        "Releases matching “Your account is sus…”"
    )
    assert describe(query=long, search_words=False) == ("Releases matching a search")


def test_the_wording_follows_the_active_language(db):
    with translation.override("id"):
        described = wording.describe(Chosen(sector=["Baja"]))
    assert described != "Releases on Baja"
    assert "Baja" in described
    with translation.override("id"):
        described = wording.describe(
            Chosen(regulation=["Undang-Undang Nomor 3 Tahun 2020"])
        )
    assert described.endswith("merujuk Undang-Undang Nomor 3 Tahun 2020")
