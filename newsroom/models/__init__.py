from newsroom.models.agenda import (
    EVENT_LINK_MODELS,
    AgendaPage,
    EventChange,
    EventOutcome,
    EventPage,
    ListedEvent,
)
from newsroom.models.alerts import (
    AlertDelivery,
    AlertFilter,
    AlertFilterTerm,
    AlertSubscription,
)
from newsroom.models.caching import ContentVersion
from newsroom.models.contacts import (
    MediaContact,
    MediaContactTranslation,
    OrganisationContact,
    ReleaseContact,
)
from newsroom.models.editorial import (
    Correction,
    EmbargoLink,
    EmbargoView,
    GovernmentPeriod,
)
from newsroom.models.figure_totals import FigureTotal
from newsroom.models.figures import ListedFigure
from newsroom.models.hub_counts import HubCount
from newsroom.models.images import NewsroomImage, NewsroomRendition
from newsroom.models.journalists import EmbargoDelivery, Journalist
from newsroom.models.links import (
    RelatedRelease,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseRegulation,
    ReleaseSector,
)
from newsroom.models.listed import ListedCount, ListedRelease
from newsroom.models.pages import (
    RESERVED_SLUGS,
    HomePage,
    NewsroomPage,
    PressReleasePage,
)
from newsroom.models.people import Appointment, Official, Organisation
from newsroom.models.regulations import Regulation, RegulationTranslation
from newsroom.models.subtrees import ReleaseInRegion, ReleaseInSector
from newsroom.models.taxonomy import Region, ReleaseTopic, Sector, Topic
from newsroom.models.translations import (
    AppointmentTranslation,
    OfficialTranslation,
    OrganisationTranslation,
    RegionTranslation,
    SectorTranslation,
    TopicTranslation,
)

__all__ = [
    "EVENT_LINK_MODELS",
    "AgendaPage",
    "EventChange",
    "EventOutcome",
    "EventPage",
    "ListedEvent",
    "NewsroomImage",
    "NewsroomRendition",
    "ListedFigure",
    "FigureTotal",
    "RESERVED_SLUGS",
    "AlertDelivery",
    "AlertFilter",
    "AlertFilterTerm",
    "AlertSubscription",
    "Appointment",
    "AppointmentTranslation",
    "ContentVersion",
    "Correction",
    "EmbargoDelivery",
    "EmbargoLink",
    "EmbargoView",
    "GovernmentPeriod",
    "HubCount",
    "HomePage",
    "Journalist",
    "ListedCount",
    "ListedRelease",
    "MediaContact",
    "MediaContactTranslation",
    "OrganisationContact",
    "ReleaseContact",
    "NewsroomPage",
    "Official",
    "OfficialTranslation",
    "Organisation",
    "OrganisationTranslation",
    "PressReleasePage",
    "Region",
    "RegionTranslation",
    "Regulation",
    "RegulationTranslation",
    "RelatedRelease",
    "ReleaseInRegion",
    "ReleaseInSector",
    "ReleaseOfficial",
    "ReleaseOrganisation",
    "ReleaseRegion",
    "ReleaseRegulation",
    "ReleaseSector",
    "ReleaseTopic",
    "Sector",
    "SectorTranslation",
    "Topic",
    "TopicTranslation",
]
