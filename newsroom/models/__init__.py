from newsroom.models.alerts import (
    AlertDelivery,
    AlertFilter,
    AlertFilterTerm,
    AlertSubscription,
)
from newsroom.models.caching import ContentVersion
from newsroom.models.editorial import (
    Correction,
    EmbargoLink,
    EmbargoView,
    GovernmentPeriod,
)
from newsroom.models.pages import (
    RESERVED_SLUGS,
    HomePage,
    NewsroomPage,
    PressReleasePage,
    RelatedRelease,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
)
from newsroom.models.people import Appointment, Official, Organisation
from newsroom.models.subtrees import ReleaseInRegion, ReleaseInSector
from newsroom.models.taxonomy import Region, ReleaseTopic, Sector, Topic

__all__ = [
    "RESERVED_SLUGS",
    "AlertDelivery",
    "AlertFilter",
    "AlertFilterTerm",
    "AlertSubscription",
    "Appointment",
    "ContentVersion",
    "Correction",
    "EmbargoLink",
    "EmbargoView",
    "GovernmentPeriod",
    "HomePage",
    "NewsroomPage",
    "Official",
    "Organisation",
    "PressReleasePage",
    "Region",
    "RelatedRelease",
    "ReleaseInRegion",
    "ReleaseInSector",
    "ReleaseOfficial",
    "ReleaseOrganisation",
    "ReleaseRegion",
    "ReleaseSector",
    "ReleaseTopic",
    "Sector",
    "Topic",
]
