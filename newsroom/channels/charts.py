"""Bar charts drawn on the server as SVG (templates/components/bar_chart.html).

No script and no inline style (the site's CSP allows neither): the geometry is
computed here and written as SVG attributes, the look comes from classes in the
static stylesheet. Each bar carries its value as text, so the chart reads
without colour, and each chart comes with a table of the same numbers and a
one-sentence summary for screen readers.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.templatetags.l10n import unlocalize
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from newsroom.finder.facet_statement import stored_months
from newsroom.finder.figures import dated_listing_url

WIDTH = 640
HEIGHT = 260
TOP = 24  # room for the value above the tallest bar
BOTTOM = 40  # room for the labels under the bars
LEFT = 8
GAP = 0.2  # of each bar's slot
MAX_BAR = 72  # a chart of one or two bars keeps bars of a bar's width


SVG_BAR = (
    '<rect class="chart__bar" x="{x}" y="{y}" width="{width}" height="{height}" '
    'fill="currentColor"/>'
)
SVG_VALUE = (
    '<text class="chart__value" x="{x}" y="{y}" text-anchor="middle" '
    'fill="currentColor">{text}</text>'
)
TABLE_ROW = '<tr><th scope="row">{label}</th><td data-value="{value}">{text}</td></tr>'


@dataclass
class Bar:
    label: str
    value: float
    value_text: str
    url: str | None = None
    axis_label: str | None = None  # under the bar; None: the label itself
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def centre(self):
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self):
        return round(self.y - 6, 1)


@dataclass
class BarChart:
    slug: str
    title: str
    summary: str
    label_heading: str
    value_heading: str
    bars: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    label_y: float = HEIGHT - BOTTOM + 18
    # Values above crowded bars would overlap: then only the table has them.
    label_every: int = 1

    def svg_bars(self):
        """Each bar's rectangle, and its value above it when there is room.

        Written here rather than by the template's loop, as facet options are
        (templatetags/newsroom_tags.py:facet_option_items): a chart of the whole
        archive has hundreds of bars, and the loop was a fifth of a listing's
        time. Numbers print as the template printed them (localize off);
        texts are escaped as it escaped them.
        """
        items = []
        for bar in self.bars:
            items.append(
                SVG_BAR.format(x=bar.x, y=bar.y, width=bar.width, height=bar.height)
            )
            if self.label_every == 1:
                text = conditional_escape(bar.value_text)
                items.append(SVG_VALUE.format(x=bar.centre, y=bar.value_y, text=text))
        return mark_safe("\n".join(items))

    def table_rows(self):
        """The table's rows: each bar's label (a link to its releases when it
        has some) and its value."""
        rows = []
        for bar in self.bars:
            label = conditional_escape(bar.label)
            if bar.url:
                label = f'<a href="{conditional_escape(bar.url)}">{label}</a>'
            rows.append(
                TABLE_ROW.format(
                    label=label,
                    value=conditional_escape(unlocalize(bar.value)),
                    text=conditional_escape(bar.value_text),
                )
            )
        return mark_safe("\n".join(rows))

    def shown_labels(self):
        """(bar, text) of the labels under the bars."""
        shown = []
        for index, bar in enumerate(self.bars):
            if bar.axis_label is not None:
                if bar.axis_label:
                    shown.append((bar, bar.axis_label))
            elif index % self.label_every == 0:
                shown.append((bar, bar.label))
        return shown


def bar_chart(slug, title, summary, label_heading, value_heading, bars):
    """A chart of ``bars`` (in order), scaled to the largest value."""
    chart = BarChart(slug, title, summary, label_heading, value_heading, bars)
    if not bars:
        return chart
    peak = max(bar.value for bar in bars) or 1
    slot = (WIDTH - 2 * LEFT) / len(bars)
    room = HEIGHT - TOP - BOTTOM
    width = min(slot * (1 - GAP), MAX_BAR)
    for index, bar in enumerate(bars):
        bar.width = round(width, 1)
        bar.x = round(LEFT + index * slot + (slot - width) / 2, 1)
        bar.height = round(room * max(bar.value, 0) / peak, 1)
        bar.y = round(chart.baseline - bar.height, 1)
    # Labels take about 40 units each.
    chart.label_every = max(1, -(-len(bars) * 40 // WIDTH))
    return chart


def year_charts(totals):
    """One chart per unit of a tracker grouped by year: the yearly totals, oldest
    year first."""
    charts = []
    years = sorted(totals.groups, key=lambda group: group.key)
    for index, (unit, is_currency) in enumerate(totals.units()):
        bars = []
        for group in years:
            total = next(
                (
                    t
                    for t in group.totals
                    if t.unit == unit and t.is_currency == is_currency
                ),
                None,
            )
            if total is not None:
                bars.append(
                    Bar(group.label, float(total.value), total.formatted, group.url)
                )
        if not bars:
            continue
        name = unit or _("no unit")
        peak = max(bars, key=lambda bar: bar.value)
        summary = _(
            "Totals in %(unit)s for %(count)s years, from %(first)s to %(last)s; "
            "the highest, %(peak)s, in %(peak_year)s."
        ) % {
            "unit": name,
            "count": len(bars),
            "first": bars[0].label,
            "last": bars[-1].label,
            "peak": peak.value_text,
            "peak_year": peak.label,
        }
        charts.append(
            bar_chart(
                f"figures-{index}",
                _("Totals per year, %(unit)s") % {"unit": name},
                summary,
                _("Year"),
                _("Total"),
                bars,
            )
        )
    return charts


def month_starts(first, last):
    """Every first of the month from ``first``'s month to ``last``'s."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_range_url(query, base_url):
    """A function of a month: the listing narrowed to that month within the
    current filters."""
    pairs = [
        (name, value)
        for name, values in query.filterset.data.lists()
        if name != "page"
        for value in values
    ]
    dated_url = dated_listing_url(query, base_url, pairs)

    def url(month):
        last_day = monthrange(month.year, month.month)[1]
        return dated_url(month, date(month.year, month.month, last_day))

    return url


def axis_label(month, months):
    """What fits under a month's bar: its short name over a year or less, every
    quarter's over three years, each January's year beyond."""
    if months <= 12:
        return date_text(month, "M")
    if months <= 36:
        return date_text(month, "M y") if month.month % 3 == 1 else ""
    return date_text(month, "Y") if month.month == 1 else ""


def date_text(day, format):
    """``day`` (a date) in ``format``, in the active language, remembered per
    language: a chart of the whole archive names hundreds of months on every
    listing, and the listing's cards write their dates (about 30 µs each
    through Django's date formatting), the same few thousand days each time."""
    return _date_text(get_language(), day, format)


@lru_cache(maxsize=8192)
def _date_text(language, day, format):
    return date_format(day, format)


def counted_months(rows, restrict):
    """{first day of the month: releases} of listing rows, counted live."""
    rows = rows.order_by()
    if restrict is not None:
        rows = rows.filter(pk__in=restrict)
    counts = (
        rows.annotate(month=TruncMonth("release_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {as_date(row["month"]): row["n"] for row in counts}


def as_date(month):
    """A truncated month as a date: some backends return a datetime."""
    return month.date() if isinstance(month, datetime) else month


def month_chart(query, base_url):
    """Releases per month over the filtered results (one query), the months
    without a release shown as empty bars; None when nothing matched."""
    scope = query.stored_scope()
    if scope is not None:
        # The stored counts: 80 ms for the whole newsroom and 50 ms for a large
        # hub at 100,000 releases to count live, on the pages most readers open.
        counts = stored_months(query.newsroom, *scope)
    elif query.facet_counts.months is not None:
        counts = query.facet_counts.months  # counted with the facets
    else:
        counts = counted_months(query.filterset.qs, query.restrict_to())
    if not counts:
        return None
    months = list(month_starts(min(counts), max(counts)))
    month_url = month_range_url(query, base_url)
    bars = []
    for month in months:
        n = counts.get(month, 0)
        bar = Bar(date_text(month, "YEAR_MONTH_FORMAT"), n, str(n))
        bar.url = month_url(month) if n else None
        bar.axis_label = axis_label(month, len(months))
        bars.append(bar)
    total = sum(counts.values())
    busiest = max(bars, key=lambda bar: bar.value)
    summary = ngettext(
        "%(total)s release over %(months)s months, from %(first)s to %(last)s; "
        "the most, %(peak)s, in %(peak_month)s.",
        "%(total)s releases over %(months)s months, from %(first)s to %(last)s; "
        "the most, %(peak)s, in %(peak_month)s.",
        total,
    ) % {
        "total": total,
        "months": len(months),
        "first": bars[0].label,
        "last": bars[-1].label,
        "peak": busiest.value_text,
        "peak_month": busiest.label,
    }
    chart = bar_chart(
        "releases-per-month",
        _("Releases per month"),
        summary,
        _("Month"),
        _("Releases"),
        bars,
    )
    chart.total = total
    return chart
