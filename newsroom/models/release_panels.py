"""The release form's Relations tab: who, what and where a release links, and
the contacts journalists call. Kept apart from the page model for its length."""

from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)

from newsroom.models.contacts import contacts_panel
from newsroom.models.regulations import CitationsPanel

RELATION_PANELS = [
    MultipleChooserPanel(
        "release_officials",
        chooser_field_name="official",
        heading="Officials",
        label="Official",
        help_text="Leave the role blank to use the official's position on the "
        "release date.",
    ),
    MultipleChooserPanel(
        "release_sectors",
        chooser_field_name="sector",
        heading="Sectors",
        label="Sector",
        help_text="The industries concerned. Pick the most specific level.",
    ),
    MultipleChooserPanel(
        "release_regions",
        chooser_field_name="region",
        heading="Regions",
        label="Region",
        help_text="Places the release touches. Pick the most specific level.",
    ),
    MultipleChooserPanel(
        "release_organisations",
        chooser_field_name="organisation",
        heading="Organisations",
        label="Organisation",
        help_text="Ministries, agencies, governments and companies named.",
    ),
    FieldPanel("topics"),
    MultipleChooserPanel(
        "release_regulations",
        chooser_field_name="regulation",
        heading="Regulations",
        label="Regulation",
        help_text="Laws and regulations the release cites. Citations in the "
        "text of regulations in the register are added on save.",
    ),
    CitationsPanel(heading="Citations found in the text"),
    InlinePanel("related_links", heading="Related releases", label="Related release"),
    contacts_panel(),
    MultiFieldPanel(
        [
            FieldPanel("media_contact_name"),
            FieldPanel("media_contact_email"),
            FieldPanel("media_contact_phone"),
        ],
        heading="Other media contact (free text, shown after the chosen ones)",
    ),
]
