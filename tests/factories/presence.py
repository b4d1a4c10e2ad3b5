"""Where a release and its entities show on the public channels."""


def public_presence(client, release, entities, word):
    """Where an anonymous reader finds ``release``: {channel: found or count}.

    Channels: the release URL, /news/ (cards, result count, facet counts), search
    for ``word``, each hub of ``entities`` (cards, hub index count, hub feed),
    /news/feed/, /news/export.csv, /api/v2/releases/ and /sitemap.xml. Counts are
    numbers (0 when the option is absent); every other channel is True/False.
    """
    import re

    import feedparser

    def html(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    def cards(page):
        return re.findall(r'class="release-card__title"><a href="([^"]+)"', page)

    def count(page, pattern):
        found = re.search(pattern, page, re.S)
        return int(found.group(1)) if found else 0

    url = f"/news/{release.slug}/"
    full_url = f"http://localhost{url}"
    presence = {"page": client.get(url).status_code == 200}
    listing = html("/news/")
    presence["listing"] = url in cards(listing)
    presence["listing count"] = count(listing, r'class="result-count"[^>]*>(\d+) ')
    for facet, entity in entities.items():
        slug = entity.slug
        presence[f"{facet} facet count"] = count(
            listing, rf'id="f-{facet}-{slug}".*?class="facet__count">\((\d+)'
        )
        hub = f"/news/{facet}s/{slug}/"
        presence[f"{facet} hub"] = url in cards(html(hub))
        presence[f"{facet} hub index count"] = count(
            html(f"/news/{facet}s/"),
            rf'href="{hub}">[^<]*</a> <span class="entity-index__count">(\d+)',
        )
        hub_feed = feedparser.parse(html(f"{hub}feed/"))
        presence[f"{facet} hub feed"] = any(
            entry.link == full_url for entry in hub_feed.entries
        )
    presence["search"] = url in cards(html(f"/news/?q={word}"))
    feed = feedparser.parse(html("/news/feed/"))
    presence["feed"] = any(entry.link == full_url for entry in feed.entries)
    export = client.get("/news/export.csv")
    if export.status_code == 200:  # the CSV route, once site/urls.py serves it
        body = (
            b"".join(export.streaming_content) if export.streaming else export.content
        )
        presence["export"] = full_url in body.decode()
    api = client.get("/api/v2/releases/")
    assert api.status_code == 200
    presence["api"] = release.pk in [item["id"] for item in api.json()["items"]]
    presence["sitemap"] = f"<loc>{full_url}</loc>" in html("/sitemap.xml")
    return presence


def absent_everywhere(presence, counts=1):
    """``public_presence`` as it should be when the release is hidden and one other
    release carries the same entities (so every count is ``counts``)."""
    return {key: (counts if "count" in key else False) for key in presence}


def present_everywhere(presence, counts=2):
    return {key: (counts if "count" in key else True) for key in presence}
