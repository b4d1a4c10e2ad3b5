"""What search engines and link previews read: canonical URLs, robots, JSON-LD."""

import json

from django.http import HttpResponse
from django.utils.html import _json_script_escapes
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap

from newsroom import kinds
from newsroom.finder import entity_names
from newsroom.finder.agenda import hub_counts
from newsroom.finder.filterset import FACETS

CANONICAL_PARAMETERS = [*FACETS, "from", "to"]


def jsonld_script(data):
    """A JSON-LD script element no field value can break out of (no raw < > &)."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(
        _json_script_escapes
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def listing_canonical(request, path, filterset):
    """Canonical URL of a listing: its valid filter parameters in a fixed order."""
    filterset.errors  # noqa: B018 -- validates once
    cleaned = filterset.form.cleaned_data
    pairs = []
    for name in CANONICAL_PARAMETERS:
        value = cleaned.get(name)
        if not value:
            continue
        if name in FACETS:
            # The slugs links in the page's language use.
            slugs = sorted(entity_names.localized_slug(e) for e in value)
            pairs.extend((name, slug) for slug in slugs)
        else:
            pairs.append((name, value.isoformat()))
    query = urlencode(pairs)
    return request.build_absolute_uri(path + (f"?{query}" if query else ""))


def listing_robots(request, filterset):
    """Search results, pages past the first and multi-filter combinations stay out of
    the index (endless near-duplicates); single filters and hubs are indexable."""
    values = sum(len(filterset.selected(name)) for name in FACETS) + sum(
        1 for name in ("from", "to") if filterset.cleaned(name)
    )
    page = request.GET.get("page", "1")
    if filterset.query or values > 1 or page not in ("", "1"):
        return "noindex, follow"
    return "index, follow"


def publisher(request):
    return {
        "@type": "GovernmentOrganization",
        "name": "Ministry of Industry of the Republic of Indonesia",
        "url": request.build_absolute_uri("/"),
    }


def place_jsonld(region, request):
    """A region as schema.org Place, named in the page's language; its Kemendagri
    code as ``identifier``."""
    place = {
        "@type": "Place",
        "name": entity_names.localized_name(region),
        "url": request.build_absolute_uri(entity_names.localized_url(region)),
    }
    if region.kemendagri_code:
        place["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "Kemendagri",
            "value": region.kemendagri_code,
        }
    return place


def release_jsonld(release, request):
    url = request.build_absolute_uri(release.url)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title[:110],
        "description": release.standfirst,
        "datePublished": release.release_date.isoformat(),
        "dateModified": (release.last_updated or release.release_date).isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "publisher": publisher(request),
        "author": publisher(request),
        "inLanguage": release.locale.language_code,
    }
    if release.dateline:
        data["dateline"] = release.dateline
    if release.hero_image:
        rendition = release.hero_image.get_rendition("width-1200")
        data["image"] = [request.build_absolute_uri(rendition.url)]
    # Names and hub URLs in the page's language.
    name, url_of = entity_names.localized_name, entity_names.localized_url
    about = [
        {
            "@type": "Person",
            "name": name(link.official),
            "jobTitle": link.role,
            "url": request.build_absolute_uri(url_of(link.official)),
        }
        for link in release.release_officials.all()
    ]
    about += [
        {
            "@type": "Organization",
            "name": name(organisation),
            "url": request.build_absolute_uri(url_of(organisation)),
        }
        for organisation in release.organisations
    ]
    mentions = [place_jsonld(region, request) for region in release.regions]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    citations = [
        legislation_jsonld(regulation, request) for regulation in release.regulations
    ]
    if citations:
        data["citation"] = citations
    keywords = [name(topic) for topic in release.sorted_topics()]
    keywords += [name(sector) for sector in release.sectors]
    if keywords:
        data["keywords"] = keywords
    return data


def legislation_jsonld(regulation, request):
    """A cited regulation as schema.org ``Legislation``, named in the page's
    language; the identifier is the citation as JDIH writes it."""
    data = {
        "@type": "Legislation",
        "name": entity_names.localized_name(regulation),
        "legislationIdentifier": regulation.local_name("id"),
        "legislationType": regulation.type_info.indonesian,
        "legislationJurisdiction": "ID",
        # An amended regulation is still in force, as amended.
        "legislationLegalForce": "https://schema.org/"
        + ("NotInForce" if regulation.status == "revoked" else "InForce"),
        "url": request.build_absolute_uri(entity_names.localized_url(regulation)),
    }
    if regulation.enacted:
        data["legislationDate"] = regulation.enacted.isoformat()
    if regulation.url:
        data["sameAs"] = regulation.url
    return data


def breadcrumb_jsonld(request, crumbs):
    """``crumbs``: (name, path) pairs from the home page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def person_jsonld(official, request):
    """The official in the page's language (names, bio and position)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": entity_names.localized_name(official),
        "url": request.build_absolute_uri(entity_names.localized_url(official)),
    }
    if official.honorific:
        data["honorificPrefix"] = official.honorific
    bio = entity_names.localized_text(official, "bio")
    if bio:
        data["description"] = bio
    current = official.appointment_on(None)
    if current:
        data["jobTitle"] = entity_names.localized_position(current)
        if current.organisation:
            data["worksFor"] = {
                "@type": "Organization",
                "name": entity_names.localized_name(current.organisation),
            }
    if official.portrait:
        rendition = official.portrait.get_rendition("fill-240x300")
        data["image"] = request.build_absolute_uri(rendition.url)
    return data


class LanguageSitemap(WagtailSitemap):
    """Wagtail's sitemap of the site's pages in the request's language: the English
    tree at /sitemap.xml, its Indonesian translation at /id/sitemap.xml."""

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.localized.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /embargo/",
        "Disallow: /news/export.csv",
        "Disallow: /id/news/export.csv",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        # The Indonesian pages (#8): Wagtail's sitemap lists one language's tree.
        f"Sitemap: {request.build_absolute_uri('/id/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def hub_sitemap_entries(newsroom, request=None):
    """Sitemap entries for hub indexes and each entity that has published releases
    or events (for a tree, in its subtree), by the slug of the newsroom's language."""
    base = newsroom.get_full_url(request)
    code = newsroom.locale.language_code
    # Entities its agenda's events name count too: their hubs list the events.
    rows_by_facet = hub_counts(newsroom)
    entries = []
    for kind in kinds.KINDS:
        segment = kind.segment
        entries.append({"location": f"{base}{segment}/"})
        rows = rows_by_facet[kind.name]
        translated = entity_names.names_of(
            kind.model, [row["entity_id"] for row in rows], code
        )
        for row in rows:
            _, local_slug = translated.get(row["entity_id"], ("", ""))
            slug = local_slug or row["entity_slug"]
            entries.append({"location": f"{base}{segment}/{slug}/"})
    return entries
